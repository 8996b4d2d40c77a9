//! The pieces every form is made of, citizen's or staff's: labelled fields
//! with their hint and error, the error summary, and the error a plain form
//! post brought back in the address.

use crate::error::AppError;
use crate::i18n::td;
use crate::locale::use_locale;
use leptos::prelude::*;
use leptos::server_fn::error::ServerFnUrlError;
use leptos_router::hooks::use_location;

/// The error of a form posted without JavaScript to the server function at
/// `path`, which leptos sent back to this page in the query.
pub fn form_error(path: &str) -> Option<AppError> {
    let query = use_location().query.get_untracked();
    (query.get_str("__path") == Some(path))
        .then(|| {
            query
                .get_str("__err")
                .map(ServerFnUrlError::<AppError>::decode_err)
        })
        .flatten()
}

/// The field's message in `error`, if any.
pub fn field_error(error: &Option<AppError>, field: &str) -> Option<String> {
    error
        .as_ref()
        .and_then(|e| e.field_message(field))
        .map(str::to_owned)
}

/// The error summary at the top of a form: the general message, and a
/// link to each invalid field (`#f-NAME`).
#[component]
pub fn ErrorSummary(
    error: Option<AppError>,
    #[prop(into)] id: String,
    /// The prefix of the fields' ids (`{prefix}-{name}`), where a page holds
    /// several forms.
    #[prop(optional)]
    prefix: Option<&'static str>,
) -> impl IntoView {
    let locale = use_locale();
    let Some(error) = error else {
        return view! { <div id=id class="error-summary" role="alert" hidden=true></div> }
            .into_any();
    };
    let links = match &error {
        AppError::Validation { fields } => fields
            .iter()
            .map(|f| {
                let href = format!("#{}-{}", prefix.unwrap_or("f"), f.field);
                view! { <li><a href=href>{f.message.clone()}</a></li> }
            })
            .collect_view()
            .into_any(),
        _ => ().into_any(),
    };
    view! {
        <div id=id class="error-summary" role="alert" tabindex="-1">
            <p><strong>{error.message(locale)}</strong></p>
            <ul>{links}</ul>
        </div>
    }
    .into_any()
}

/// Hint and error paragraphs under a field, with the ids its input's
/// `aria-describedby` points at. The error paragraph is always there (empty
/// when valid) so that the browser-side check can fill it.
#[component]
pub fn FieldNotes(
    name: &'static str,
    hint: Option<String>,
    error: Option<String>,
) -> impl IntoView {
    let hint_id = format!("f-{name}-hint");
    let error_id = format!("f-{name}-error");
    view! {
        {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
        <p class="field-error" id=error_id data-error-for=name>{error}</p>
    }
}

/// `aria-describedby` for a field with or without a hint.
pub fn described_by(name: &str, has_hint: bool) -> String {
    if has_hint {
        format!("f-{name}-hint f-{name}-error")
    } else {
        format!("f-{name}-error")
    }
}

/// A labelled single-line input with its hint and error.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    error: Option<String>,
    autocomplete: &'static str,
    required: bool,
    maxlength: u16,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("f-{name}");
    let invalid = error.as_ref().map(|_| "true");
    view! {
        <div class="field">
            <label for=id.clone()>
                {label}
                {required.then(|| view! { " "<span class="req">{td!(locale, booking.required_mark)}</span> })}
            </label>
            <input
                type=kind
                id=id
                name=name
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                maxlength=maxlength
                value=value
                aria-invalid=invalid
                aria-describedby=described_by(name, hint.is_some())
            />
            <FieldNotes name hint=hint.map(str::to_owned) error />
        </div>
    }
}

/// A labelled multi-line input with its hint and error.
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    error: Option<String>,
    required: bool,
    maxlength: u16,
    rows: u8,
    #[prop(optional, into)] value: String,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("f-{name}");
    let invalid = error.as_ref().map(|_| "true");
    view! {
        <div class="field">
            <label for=id.clone()>
                {label}
                {required.then(|| view! { " "<span class="req">{td!(locale, booking.required_mark)}</span> })}
            </label>
            <textarea
                id=id
                name=name
                required=required
                maxlength=maxlength
                rows=rows
                aria-invalid=invalid
                aria-describedby=described_by(name, hint.is_some())
            >
                {value}
            </textarea>
            <FieldNotes name hint=hint.map(str::to_owned) error />
        </div>
    }
}
