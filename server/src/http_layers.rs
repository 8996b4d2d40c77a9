//! Middleware every response goes through: request ids and logs, the
//! bounds on bodies and time, the start-up gate, compression, cross-site
//! request refusal, security and cache headers.

use crate::{bounds, page_scripts, unavailable};
use app::ssr::Settings;
use axum::{
    body::Body,
    extract::Request as AxumRequest,
    http::{header, HeaderName, HeaderValue, Request, Response},
    middleware::{from_fn, Next},
    Router,
};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    csrf::CsrfLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps `router` in the layers, outermost first.
pub fn wrap<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    settings: &Settings,
    readiness: unavailable::Readiness,
) -> Router<S> {
    let timeout = Duration::from_secs(settings.request_timeout_secs);
    let hsts = settings.public_url.starts_with("https://").then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        )
    });
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(request_span)
                    .on_request(())
                    .on_response(DefaultOnResponse::new().level(Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(from_fn(move |r: AxumRequest, n: Next| {
                unavailable::gate(readiness.clone(), r, n)
            }))
            .layer(from_fn(move |r: AxumRequest, n: Next| {
                bounds::bounded_body(timeout, r, n)
            }))
            .layer(from_fn(move |r: AxumRequest, n: Next| {
                bounds::handler_timeout(timeout, r, n)
            }))
            // Brotli 5 rather than the default 4: a page ~7% smaller for a
            // fraction of a millisecond (the booking page: 4.7 -> 4.4 KB).
            // The bundle and stylesheet go out precompressed by cargo-leptos.
            .layer(CompressionLayer::new().quality(CompressionLevel::Precise(5)))
            .layer(from_fn(unavailable::page_for_503))
            // Cross-site POSTs are refused before any handler runs
            // (Sec-Fetch-Site, else Origin against Host), on top of the
            // SameSite staff cookie.
            .layer(CsrfLayer::new())
            .option_layer(hsts)
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("DENY"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static(
                    "camera=(self), microphone=(), geolocation=(), interest-cohort=()",
                ),
            ))
            .layer(from_fn(cache_headers))
            // Inside compression: it sees the page's own chunks.
            .layer(from_fn(page_scripts::strip_empty_data_scripts)),
    )
}

/// Every log line of a request carries its id. Only the path is logged:
/// query strings are never written to the log.
fn request_span(request: &Request<Body>) -> tracing::Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", id, method = %request.method(), path = request.uri().path())
}

/// Whether answers at `path` may hold personal data or staff data: never
/// stored by the browser, so that on a shared desk computer the back button
/// cannot show a ticket or a case after sign-out. Only the public pages and
/// the public slot and office lists escape it.
fn is_personal(path: &str) -> bool {
    let under = |prefix: &str| {
        path == prefix
            || path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('.'))
    };
    under("/my-booking")
        || under("/waitlist")
        || under("/track")
        || under("/staff")
        || path.starts_with("/book/")
        || (path.starts_with("/api/") && !matches!(path, "/api/slots" | "/api/offices"))
}

/// Personal and staff answers are `no-store`; other pages depend on the
/// language cookie and header, are revalidated on every visit and never
/// shared between users.
async fn cache_headers(request: AxumRequest, next: Next) -> Response<Body> {
    let personal = is_personal(request.uri().path());
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    if personal {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if is_html {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("private, no-cache"));
    }
    if is_html {
        headers.append(
            header::VARY,
            HeaderValue::from_static("Cookie, Accept-Language"),
        );
    }
    response
}

/// Adds the Content-Security-Policy for a rendered page: scripts only from
/// this site or inline with this response's nonce, WebAssembly allowed.
pub fn content_security_policy() {
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
    else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::is_personal;

    #[test]
    fn personal_and_staff_paths_are_never_stored() {
        for path in [
            "/my-booking",
            "/my-booking/calendar.ics",
            "/waitlist",
            "/book/tw-ha-noi/wait",
            "/track",
            "/staff",
            "/staff/cases/view",
            "/staff/cases.csv",
            "/book/tw-ha-noi",
            "/api/bookings/lookup",
            "/api/staff/bookings",
            "/api/pages/manage",
        ] {
            assert!(is_personal(path), "{path}");
        }
        for path in [
            "/",
            "/contact",
            "/privacy",
            "/api/slots",
            "/api/offices",
            "/staffing",
            "/pkg/x.css",
        ] {
            assert!(!is_personal(path), "{path}");
        }
    }
}
