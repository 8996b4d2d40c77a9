use super::SetLocale;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_i18n::Locale as _;

/// The language switch in the header: a plain form, on every page.
///
/// The browser posts it and follows the redirect back to the same page,
/// rendered anew in the chosen language. It is not an island: a page without
/// a form to check ships no code at all, and a full page load is what a
/// switch needs anyway.
#[component]
pub fn LanguageSwitch(
    /// The language the page is in.
    locale: Locale,
    /// The path of the page, to come back to it after switching.
    next: String,
    /// The message of a failed submission, written by the server.
    error: Option<String>,
) -> impl IntoView {
    let options = Locale::get_all().iter().map(move |&option| {
        view! {
            <button
                type="submit"
                name="locale"
                value=option.as_str()
                lang=option.as_str()
                aria-pressed=if option == locale { "true" } else { "false" }
                aria-describedby="locale-error"
            >
                {language_name(option)}
            </button>
        }
    });
    view! {
        <form class="lang-switch" action=SetLocale::PATH method="post">
            <fieldset>
                <legend class="visually-hidden">{td_string!(locale, language.label)}</legend>
                <input type="hidden" name="next" value=next />
                {options.collect_view()}
            </fieldset>
            <p id="locale-error" class="field-error" role="alert">
                {error}
            </p>
        </form>
    }
}

/// A language is named in itself, so a reader finds their own language
/// whatever the page is in.
fn language_name(locale: Locale) -> &'static str {
    td_string!(locale, language.self_name)
}

/// What to say about a failed switch: the field's own message if there is one.
pub fn describe(error: &AppError, locale: Locale) -> String {
    error
        .field_message("locale")
        .map(str::to_owned)
        .unwrap_or_else(|| error.message(locale).to_owned())
}
