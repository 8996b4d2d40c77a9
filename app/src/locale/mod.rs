//! Which language a page is in, and how a citizen changes it.
//!
//! The server picks the locale for every request (the `lang` cookie, then
//! `Accept-Language`, then Vietnamese) and writes it to `<html lang>`, where
//! the islands read it: the browser never has to guess it again and
//! hydration cannot disagree with the server. The switch is a plain form.

mod switch;

pub use switch::{describe, LanguageSwitch};

use crate::error::AppError;
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_i18n::Locale as _;

/// Name of the cookie that remembers the language a citizen chose.
pub const LOCALE_COOKIE: &str = "lang";

/// The locale of the page being rendered.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// Picks the locale from a `Cookie` header and an `Accept-Language` header.
pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Locale {
    let from_cookie = cookie_header.and_then(|header| {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LOCALE_COOKIE)
            .and_then(|(_, value)| parse_locale(value))
    });
    from_cookie
        .or_else(|| accept_language.and_then(best_accepted))
        .unwrap_or_default()
}

/// A supported locale from its tag (`vi`, `en`, `en-GB`…), if any.
pub fn parse_locale(tag: &str) -> Option<Locale> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    Locale::get_all()
        .iter()
        .copied()
        .find(|l| l.as_str() == primary)
}

/// The supported language the browser ranks highest (RFC 9110 quality values).
fn best_accepted(header: &str) -> Option<Locale> {
    let mut ranked: Vec<(f32, Locale)> = header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let locale = parse_locale(parts.next()?)?;
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (quality > 0.0).then_some((quality, locale))
        })
        .collect();
    // Stable sort keeps the browser's order among equal qualities.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map(|(_, l)| *l)
}

/// Only a path on this site may be a redirect target: never another host.
/// Browsers drop tabs and newlines from a `Location` and read `\\` as `/`,
/// so `/<TAB>/evil.example` would leave the site: a target must be a path of
/// visible ASCII characters, without `\\` and without `//`.
pub fn safe_local_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.contains("//")
                && !p.contains('\\')
                && p.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Remembers `locale` in a cookie and sends the citizen back to `next`.
#[server(endpoint = "locale")]
pub async fn set_locale(locale: String, next: Option<String>) -> Result<(), AppError> {
    use crate::error::ValidationCode;
    use http::{header, HeaderValue};

    let Some(chosen) = parse_locale(&locale) else {
        return crate::ssr::respond(Err(AppError::invalid(
            "locale",
            ValidationCode::UnsupportedLocale,
            use_locale(),
        )));
    };
    let state = crate::ssr::app_state()?;
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        chosen.as_str()
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
    leptos_axum::redirect(&safe_local_path(next.as_deref()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_is_the_default() {
        assert_eq!(negotiate(None, None), Locale::vi);
        assert_eq!(negotiate(None, Some("fr-FR, de;q=0.5")), Locale::vi);
    }

    #[test]
    fn the_cookie_wins_over_the_browser() {
        assert_eq!(negotiate(Some("a=1; lang=en"), Some("vi")), Locale::en);
        assert_eq!(negotiate(Some("lang=vi"), Some("en-US")), Locale::vi);
    }

    #[test]
    fn a_bad_cookie_falls_back_to_the_browser() {
        assert_eq!(
            negotiate(Some("lang=xx"), Some("en-GB,en;q=0.9")),
            Locale::en
        );
    }

    #[test]
    fn accept_language_is_ranked_by_quality() {
        assert_eq!(
            negotiate(None, Some("fr;q=1, vi;q=0.4, en;q=0.8")),
            Locale::en
        );
        assert_eq!(negotiate(None, Some("en;q=0, vi")), Locale::vi);
        assert_eq!(negotiate(None, Some("en;q=0")), Locale::vi);
    }

    #[test]
    fn redirects_stay_on_this_site() {
        assert_eq!(safe_local_path(Some("/contact?x=1")), "/contact?x=1");
        assert_eq!(safe_local_path(Some("//evil.example")), "/");
        assert_eq!(safe_local_path(Some("https://evil.example")), "/");
        assert_eq!(safe_local_path(Some("/\\evil.example")), "/");
        assert_eq!(safe_local_path(None), "/");
        for sneaky in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil",
            "/a//b",
            "/\r\n/x",
            "/é",
        ] {
            assert_eq!(safe_local_path(Some(sneaky)), "/", "{sneaky:?}");
        }
        assert_eq!(
            safe_local_path(Some("/book/tw-ha-noi?day=2026-12-02")),
            "/book/tw-ha-noi?day=2026-12-02"
        );
    }
}
