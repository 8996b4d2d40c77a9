//! Reading a cookie of the current request and setting one on its answer.

use http::{header, request::Parts, HeaderValue};
use leptos::prelude::use_context;

/// The value of cookie `name` on the current request, if it has one.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<Parts>()?;
    let found = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned());
    found
}

/// A cookie to set: always `HttpOnly`.
pub struct SetCookie<'a> {
    pub name: &'a str,
    pub value: &'a str,
    pub path: &'a str,
    pub max_age_secs: u64,
    /// `Strict` or `Lax`.
    pub same_site: &'a str,
    pub secure: bool,
}

/// Adds `Set-Cookie` to the current answer.
pub fn set_cookie(cookie: &SetCookie<'_>) {
    let secure = if cookie.secure { "; Secure" } else { "" };
    let line = format!(
        "{}={}; Path={}; Max-Age={}; HttpOnly; SameSite={}{secure}",
        cookie.name, cookie.value, cookie.path, cookie.max_age_secs, cookie.same_site
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&line),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}
