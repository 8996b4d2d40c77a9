//! Turning an [`AppError`] into the HTTP answer a server function gives.

use crate::error::AppError;
use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Sets the response status (and `Retry-After`) for `error`.
///
/// A browser's request (a plain form post without JavaScript, or a page
/// being rendered) is left alone: leptos answers a form post with a
/// redirect back to the form carrying the error, which a 4xx here would
/// turn into a bare error page, and a page shows the error itself. Except
/// while the service is unavailable: then every answer is the 503 page.
pub fn set_error_status(error: &AppError) {
    let Some(response) = use_context::<ResponseOptions>() else {
        return;
    };
    if is_plain_form_post() && !matches!(error, AppError::Unavailable { .. }) {
        return;
    }
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.set_status(status);
    if let AppError::RateLimited { retry_after_secs } | AppError::Unavailable { retry_after_secs } =
        error
    {
        response.insert_header(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
    }
}

/// Applies [`set_error_status`] to a server function's result and passes it on.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        set_error_status(error);
    }
    result
}

/// Whether the current request is a form submitted by the browser itself,
/// as opposed to a `fetch` from a hydrated island or an API client.
pub fn is_plain_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

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
