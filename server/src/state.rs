//! The state every handler is given.

use crate::unavailable::Readiness;
use app::ssr::AppState;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

/// What axum hands to handlers: leptos' options and the app's state.
#[derive(Clone)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
    pub readiness: Readiness,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(state: &ServerState) -> Self {
        state.app.clone()
    }
}
