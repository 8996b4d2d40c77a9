//! The HTTP side of a server function's answer: its status when it failed,
//! and whether the browser itself posted the form.

use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Sets the response status (and `Retry-After`) of a failed server function.
///
/// A browser's request (a plain form post without JavaScript, or a page
/// being rendered) is left alone: leptos answers a form post with a
/// redirect back to the form carrying the error, which a 4xx here would
/// turn into a bare error page, and a page shows the error itself. Except
/// while the service is `unavailable`: then every answer is the 503 page.
pub fn set_status(status: u16, retry_after_secs: Option<u32>, unavailable: bool) {
    let Some(response) = use_context::<ResponseOptions>() else {
        return;
    };
    if is_plain_form_post() && !unavailable {
        return;
    }
    response.set_status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    if let Some(secs) = retry_after_secs {
        response.insert_header(header::RETRY_AFTER, HeaderValue::from(secs));
    }
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
