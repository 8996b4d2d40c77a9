//! The connection pool and the migrations every binary and test shares.

use super::Settings;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::time::Duration;

/// The migrations in `migrations/`, embedded at compile time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Opens a pool without waiting for the database, so the process starts (and
/// `/healthz` answers) even while Postgres is still coming up; `/readyz` says
/// when it is reachable. A request waits at most
/// `DATABASE_ACQUIRE_TIMEOUT_MS` for a connection: while the database is out
/// of reach that turns into a quick 503, not a long hang.
pub fn connect_lazy(options: PgConnectOptions, settings: &Settings) -> PgPool {
    PgPoolOptions::new()
        .max_connections(settings.database_max_connections)
        .acquire_timeout(Duration::from_millis(settings.database_acquire_timeout_ms))
        .connect_lazy_with(options)
}

/// Whether the database answers a trivial query.
pub async fn ping(pool: &PgPool) -> bool {
    sqlx::query_scalar!("SELECT 1 AS \"one!\"")
        .fetch_one(pool)
        .await
        .is_ok()
}
