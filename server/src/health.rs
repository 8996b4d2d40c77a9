//! Probes for load balancers and orchestrators.

use crate::state::ServerState;
use app::ssr::db;
use axum::{extract::State, http::StatusCode};

/// `/healthz`: the process is alive and answering.
pub async fn alive() -> &'static str {
    "ok"
}

/// `/readyz`: this instance can serve requests: it has applied the
/// migrations and the database answers.
pub async fn ready(State(state): State<ServerState>) -> (StatusCode, &'static str) {
    if !state.readiness.is_ready() {
        (StatusCode::SERVICE_UNAVAILABLE, "starting")
    } else if db::ping(&state.app.pool).await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}
