//! Turning an [`AppError`] into the HTTP answer a server function gives.

use crate::error::AppError;
use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Sets the response status (and `Retry-After`) for `error`.
///
/// A plain HTML form post (no JavaScript) is left alone: leptos answers it
/// with a redirect back to the form carrying the error, and a 4xx status here
/// would turn that redirect into a bare error page.
pub fn set_error_status(error: &AppError) {
    let Some(response) = use_context::<ResponseOptions>() else {
        return;
    };
    if is_plain_form_post() {
        return;
    }
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.set_status(status);
    if let AppError::RateLimited { retry_after_secs } = error {
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

impl From<sqlx::Error> for AppError {
    /// Every database failure is internal to the citizen. Only the kind of
    /// failure is logged: Postgres error details can quote row values, and
    /// those may be personal data.
    fn from(error: sqlx::Error) -> Self {
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
