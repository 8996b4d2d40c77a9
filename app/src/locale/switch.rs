use super::SetLocale;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use leptos::prelude::*;
use leptos::server_fn::{redirect::set_redirect_hook, ServerFn};
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
    /// The message of a failed no-JavaScript submission, written by the server.
    error: Option<String>,
) -> impl IntoView {
    let action = ServerAction::<SetLocale>::new();
    let pending = action.pending();
    // Not `<ActionForm>`: reading the whole form through serde_qs would add
    // kilobytes to the bundle, and the pressed button is all there is to read.
    let on_submit = {
        let next = next.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let locale = ev
                .submitter()
                .and_then(|button| button.get_attribute("value"))
                .unwrap_or_default();
            action.dispatch(SetLocale {
                locale,
                next: Some(next.clone()),
            });
        }
    };
    // Effects run only in the browser, once the island is live.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| {
        // Tests and styles look for this mark.
        hydrated.set(true);
        // The server answers with where to go; a full load renders the page
        // anew in the chosen language.
        let _ = set_redirect_hook(|location: &str| {
            let _ = window().location().assign(location);
        });
    });

    let shown_error = move || match action.value().get() {
        Some(Err(e)) => Some(describe(&e, locale)),
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
                // Not `disabled`: that would drop keyboard focus mid-switch.
                aria-disabled=move || pending.get().then_some("true")
            >
                {language_name(option)}
            </button>
        }
    });

    view! {
        <form
            class="lang-switch"
            action=SetLocale::PATH
            method="post"
            on:submit=on_submit
            data-hydrated=move || hydrated.get().then_some("true")
        >
            <fieldset>
                <legend class="visually-hidden">{td_string!(locale, language.label)}</legend>
                <input type="hidden" name="next" value=next />
                {options.collect_view()}
            </fieldset>
            <p class="lang-switch__status" role="status">
                {move || pending.get().then(|| td_string!(locale, language.switching))}
            </p>
            <p id="locale-error" class="field-error" role="alert">
                {shown_error}
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
