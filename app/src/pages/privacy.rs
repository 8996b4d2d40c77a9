use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

/// The privacy notice required by the Personal Data Protection Law.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Title text=td_string!(locale, privacy.title) />
        <article class="prose">
            <h1>{td!(locale, privacy.title)}</h1>
            <p class="lead">{td!(locale, privacy.intro)}</p>
            <h2>{td!(locale, privacy.what_heading)}</h2>
            <p>{td!(locale, privacy.what)}</p>
            <h2>{td!(locale, privacy.why_heading)}</h2>
            <p>{td!(locale, privacy.why)}</p>
            <h2>{td!(locale, privacy.keep_heading)}</h2>
            <p>{td!(locale, privacy.keep)}</p>
            <h2>{td!(locale, privacy.rights_heading)}</h2>
            <p>{td!(locale, privacy.rights)}</p>
            <h2>{td!(locale, privacy.cookie_heading)}</h2>
            <p>{td!(locale, privacy.cookie)}</p>
        </article>
    }
}
