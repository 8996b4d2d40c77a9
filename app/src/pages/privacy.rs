use crate::consent::{consent_texts, ConsentText};
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

/// The privacy notice required by the Personal Data Protection Law, with
/// the consent text in force and every earlier version.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let locale = use_locale();
    let texts = Resource::new_blocking(|| (), |_| consent_texts());
    view! {
        <Title text=td_string!(locale, privacy.title) />
        <article class="prose">
            <h1>{td!(locale, privacy.title)}</h1>
            <p class="lead">{td!(locale, privacy.intro)}</p>
            <h2>{td!(locale, privacy.what_heading)}</h2>
            <p>{td!(locale, privacy.what)}</p>
            <h2>{td!(locale, privacy.why_heading)}</h2>
            <p>{td!(locale, privacy.why)}</p>
            <p>{td!(locale, privacy.legal_duty)}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    texts.await.ok().map(|texts| view! { <ConsentVersions texts /> })
                })}
            </Suspense>
            <h2>{td!(locale, privacy.keep_heading)}</h2>
            <p>{td!(locale, privacy.keep)}</p>
            <h2>{td!(locale, privacy.rights_heading)}</h2>
            <p>{td!(locale, privacy.rights)}</p>
            <h2>{td!(locale, privacy.cookie_heading)}</h2>
            <p>{td!(locale, privacy.cookie)}</p>
        </article>
    }
}

/// The consent text in force, then the earlier ones, newest first.
#[component]
fn ConsentVersions(texts: Vec<ConsentText>) -> impl IntoView {
    let locale = use_locale();
    let mut texts = texts.into_iter();
    let current = texts.next();
    let earlier: Vec<ConsentText> = texts.collect();
    view! {
        <section aria-labelledby="consent-heading" id="consent">
            <h2 id="consent-heading">{td!(locale, privacy.consent_heading)}</h2>
            {current.map(|c| view! {
                <p class="hint">{td_string!(locale, privacy.consent_current, date = c.valid_from.clone(), version = c.version.clone()).to_string()}</p>
                <p><strong>{td!(locale, privacy.consent_purpose)}</strong>" "{c.purpose}</p>
                <blockquote>{c.text}</blockquote>
            })}
            {(!earlier.is_empty()).then(|| view! {
                <h3>{td!(locale, privacy.consent_earlier)}</h3>
                {earlier.into_iter().map(|c| view! {
                    <p class="hint">{td_string!(locale, privacy.consent_from, date = c.valid_from.clone(), version = c.version.clone()).to_string()}</p>
                    <p><strong>{td!(locale, privacy.consent_purpose)}</strong>" "{c.purpose}</p>
                    <blockquote>{c.text}</blockquote>
                }).collect_view()}
            })}
        </section>
    }
}
