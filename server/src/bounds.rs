//! What one request may spend: at most [`BODY_LIMIT`] bytes of body,
//! arriving within `REQUEST_TIMEOUT_SECS` (else 408), and an answer ready
//! within the same again (else 503). Refusals carry the usual error JSON.

use crate::json_error::error_response;
use crate::unavailable;
use app::error::AppError;
use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use std::time::Duration;

/// The largest request body any route takes. No endpoint documents more:
/// the longest form (a booking) is a few kilobytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Reads the whole body, bounded in size and time, before any handler runs:
/// a declared `Content-Length` over the limit is refused at once, a chunked
/// body as soon as it passes the limit, a body still arriving after the
/// timeout gets 408. The handler then gets the bytes already read.
pub async fn bounded_body(timeout: Duration, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let bytes = match tokio::time::timeout(timeout, axum::body::to_bytes(body, BODY_LIMIT)).await {
        Err(_) => return error_response(&AppError::Timeout).with_close(),
        Ok(Err(e)) if is_length_limit(&e) => return too_large(),
        // The client went away or sent a broken chunked encoding.
        Ok(Err(_)) => return error_response(&AppError::BadRequest).with_close(),
        Ok(Ok(bytes)) => bytes,
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn too_large() -> Response {
    // The rest of the body is never read: the connection cannot be reused.
    error_response(&AppError::PayloadTooLarge).with_close()
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// Answers 503 (the unavailable page or JSON) when the handler has not
/// answered within `timeout`.
pub async fn handler_timeout(timeout: Duration, request: Request, next: Next) -> Response {
    let wants_html = unavailable::wants_html(&request);
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("request took longer than REQUEST_TIMEOUT_SECS; answered 503");
            unavailable::response(wants_html, unavailable::BUSY_RETRY_SECS)
        }
    }
}

trait WithClose {
    fn with_close(self) -> Self;
}

impl WithClose for Response {
    fn with_close(mut self) -> Self {
        self.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        self
    }
}
