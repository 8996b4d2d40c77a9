use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Shown, with status 404, for any path no route matches.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let locale = use_locale();
    view! {
        <Title text=td_string!(locale, not_found.title) />
        <h1>{td!(locale, not_found.title)}</h1>
        <p>{td!(locale, not_found.body)}</p>
        <p><A href="/">{td!(locale, not_found.back)}</A></p>
    }
}
