use super::SetLocale;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use leptos::prelude::*;
use leptos_i18n::Locale as _;

/// The language switch in the header.
///
/// Without JavaScript it is a plain form: the browser posts it and follows
/// the redirect back to the same page. Once hydrated it posts in the
/// background, says that it is switching, and cannot be pressed twice.
#[island]
pub fn LanguageSwitch(
    /// The language the page is in.
    locale: Locale,
    /// The path of the page, to come back to it after switching.
    next: String,
    /// An error from a previous no-JavaScript submission, decoded by the server.
    error: Option<AppError>,
) -> impl IntoView {
    let action = ServerAction::<SetLocale>::new();
    let pending = action.pending();
    // Set only in the browser, once the island is live: tests and styles use it.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    let shown_error = move || match action.value().get() {
        Some(Err(e)) => Some(e),
        Some(Ok(())) => None,
        None => error.clone(),
    };
    let options = Locale::get_all().iter().map(move |&option| {
        let current = option == locale;
        view! {
            <button
                type="submit"
                name="locale"
                value=option.as_str()
                lang=option.as_str()
                aria-pressed=if current { "true" } else { "false" }
                aria-describedby="locale-error"
                disabled=move || pending.get()
            >
                {language_name(option)}
            </button>
        }
    });

    view! {
        <ActionForm action attr:class="lang-switch" attr:data-hydrated=move || hydrated.get().then_some("true")>
            <fieldset>
                <legend class="visually-hidden">{td_string!(locale, language.label)}</legend>
                <input type="hidden" name="next" value=next />
                {options.collect_view()}
            </fieldset>
            <p class="lang-switch__status" role="status">
                {move || pending.get().then(|| td_string!(locale, language.switching))}
            </p>
            <p id="locale-error" class="field-error" role="alert">
                {move || shown_error().map(|e| describe(&e, locale))}
            </p>
        </ActionForm>
    }
}

/// A language is named in itself, so a reader finds their own language
/// whatever the page is in.
fn language_name(locale: Locale) -> &'static str {
    td_string!(locale, language.self_name)
}

fn describe(error: &AppError, locale: Locale) -> String {
    error
        .field_message("locale")
        .map(str::to_owned)
        .unwrap_or_else(|| error.message(locale).to_owned())
}
