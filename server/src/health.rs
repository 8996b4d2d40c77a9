//! Probes for load balancers and orchestrators.

use app::ssr::{db, AppState};
use axum::{extract::State, http::StatusCode};

/// `/healthz`: the process is alive and answering.
pub async fn alive() -> &'static str {
    "ok"
}

/// `/readyz`: this instance can serve requests, i.e. the database answers.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if db::ping(&state.pool).await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}
