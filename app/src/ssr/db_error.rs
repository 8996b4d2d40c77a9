//! What a database failure means to the client: an outage to retry shortly
//! (503), or an internal error; only the kind of failure is logged.

use crate::error::AppError;

/// How long a client is asked to wait while the database is out of reach.
pub const OUTAGE_RETRY_SECS: u32 = 5;

impl From<sqlx::Error> for AppError {
    /// Every database failure is internal to the citizen, and one that says
    /// the database is out of reach (no connection within the pool's short
    /// wait, a broken or refused connection, a server shutting down) is a
    /// 503 to retry shortly. Only the kind of failure is logged: Postgres
    /// error details can quote row values, and those may be personal data.
    fn from(error: sqlx::Error) -> Self {
        if is_outage(&error) {
            tracing::warn!(error = %outage_kind(&error), "database unavailable");
            return AppError::Unavailable {
                retry_after_secs: OUTAGE_RETRY_SECS,
            };
        }
        match &error {
            sqlx::Error::Database(db) => tracing::error!(
                code = db.code().as_deref().unwrap_or("?"),
                constraint = db.constraint().unwrap_or(""),
                table = db.table().unwrap_or(""),
                "database error"
            ),
            other => tracing::error!(error = %other, "database error"),
        }
        AppError::Internal
    }
}

/// Whether `error` means the database cannot be reached right now, rather
/// than that this query is wrong.
pub fn is_outage(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        // A connection that broke mid-conversation reads as garbage.
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        // Class 08: connection exception; 57P01-03: the server is shutting
        // down or starting; 53300: too many connections.
        sqlx::Error::Database(db) => db.code().is_some_and(|c| {
            c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

fn outage_kind(error: &sqlx::Error) -> &'static str {
    match error {
        sqlx::Error::PoolTimedOut => "no connection within the pool's wait",
        sqlx::Error::PoolClosed => "pool closed",
        sqlx::Error::Io(_) => "connection broken or refused",
        sqlx::Error::Tls(_) => "TLS failure",
        sqlx::Error::Protocol(_) => "connection broke mid-conversation",
        sqlx::Error::WorkerCrashed => "connection worker crashed",
        _ => "server refusing connections",
    }
}
