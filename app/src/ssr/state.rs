use super::{hashing::Hasher, mail::Mailer, settings::Settings};
use crate::error::AppError;
use leptos::prelude::use_context;
use sqlx::PgPool;
use std::sync::Arc;

/// Everything a request handler needs, shared by every request. Cheap to
/// clone; nothing in it is specific to one server instance, so any number of
/// instances can serve the same database.
#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: PgPool,
    pub mailer: Mailer,
    pub settings: Arc<Settings>,
    /// This instance's password-hashing budget.
    pub hasher: Hasher,
}

impl AppState {
    pub fn new(pool: PgPool, mailer: Mailer, settings: Settings) -> Self {
        let hasher = Hasher::new(
            settings.hash_concurrency,
            std::time::Duration::from_millis(settings.hash_queue_ms),
        );
        Self {
            pool,
            mailer,
            settings: Arc::new(settings),
            hasher,
        }
    }
}

/// The [`AppState`] provided to routes and server functions.
///
/// Missing state is a wiring bug, not a user error: it is logged and answered
/// with a plain internal error.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState was not provided to this request");
        AppError::Internal
    })
}
