//! "The service is briefly unavailable": what a citizen sees (a plain page)
//! or an API client reads (the usual error JSON), with `Retry-After`, while
//! the database is out of reach, the server is still starting, or it is at
//! its limit of work. Never a 500.

use crate::json_error::error_response;
use app::error::AppError;
use axum::{
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What a client is asked to wait after a refusal for load.
pub const BUSY_RETRY_SECS: u32 = 2;
/// And while the server starts (the database not reached yet).
pub const STARTING_RETRY_SECS: u32 = 5;

const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"robots\" content=\"noindex\">\
<title>Tạm thời gián đoạn – Tiếp dân</title></head><body>\
<main><h1>Hệ thống đang tạm thời gián đoạn</h1>\
<p>Xin lỗi ông/bà. Vui lòng thử lại sau ít phút; thông tin đã gửi trước đó không bị mất.</p>\
<p><a href=\"/\">Về trang chủ</a></p>\
<h2 lang=\"en\">The service is briefly unavailable</h2>\
<p lang=\"en\">We are sorry. Please try again in a few minutes; nothing you sent before is lost.</p>\
</main></body></html>\n";

/// Whether the client wants a page rather than JSON: a browser navigating
/// or posting a plain form.
pub fn wants_html(request: &Request) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// The 503 answer, as a page or as JSON.
pub fn response(html: bool, retry_after_secs: u32) -> Response {
    let mut response = if html {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            PAGE,
        )
            .into_response()
    } else {
        error_response(&AppError::Unavailable { retry_after_secs })
    };
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A page whose data could not be read (the database out of reach) was
/// rendered with status 503: the citizen gets the plain page instead of a
/// half-empty one.
pub async fn page_for_503(request: Request, next: Next) -> Response {
    let html = wants_html(&request);
    let answer = next.run(request).await;
    let is_page = answer
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if answer.status() != StatusCode::SERVICE_UNAVAILABLE || !(html && is_page) {
        return answer;
    }
    let retry = answer
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(app::ssr::db_error::OUTAGE_RETRY_SECS);
    response(true, retry)
}

/// Whether this instance has reached its database and applied the
/// migrations. Until then everything but the probes and static files is
/// answered 503.
#[derive(Clone, Debug, Default)]
pub struct Readiness(Arc<AtomicBool>);

impl Readiness {
    pub fn ready() -> Self {
        Self(Arc::new(AtomicBool::new(true)))
    }

    pub fn starting() -> Self {
        Self::default()
    }

    pub fn is_ready(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    pub fn set_ready(&self) {
        self.0.store(true, Ordering::Release);
    }
}

/// The gate: 503 while the instance is starting.
pub async fn gate(readiness: Readiness, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // The probes, and files (`/pkg/…`, `/favicon.svg`) that need no database.
    let top_level_file = !path.get(1..).unwrap_or("").contains('/') && path.contains('.');
    let always_open =
        path == "/healthz" || path == "/readyz" || path.starts_with("/pkg/") || top_level_file;
    if readiness.is_ready() || always_open {
        return next.run(request).await;
    }
    response(wants_html(&request), STARTING_RETRY_SECS)
}
