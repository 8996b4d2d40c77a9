//! The one island of the citizen forms: checks fields in the browser with
//! the same rules and words as the server, shows a pending state, and stops
//! a second submit. The forms themselves are server-rendered and post
//! natively, so they work the same before (or without) WebAssembly.

use leptos::prelude::*;

/// Wraps one or more forms. A form opts into checks with
/// `data-check="name1 name2 …"`; every wrapped form gets the pending state
/// (its submit button shows `data-pending-text`). Its messages are in the
/// page's language (`<html lang>`): an island without props carries no JSON
/// decoder in the bundle.
#[island]
pub fn FormGuard(children: Children) -> impl IntoView {
    // The body runs on the server to render and in the browser to hydrate;
    // no signal or effect: the bundle then carries none of their machinery.
    // Back to this page from the next one (the browser's page cache), the
    // form is no longer being sent. Dropping the handle keeps the listener
    // for the page's lifetime.
    #[cfg(feature = "hydrate")]
    let _ = window_event_listener_untyped("pageshow", |_| browser::reset_pending());
    view! {
        <div
            class="form-guard"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                #[cfg(feature = "hydrate")]
                browser::on_submit(&ev);
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
        >
            {children()}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    /// Undoes the pending state of every form on the page.
    pub fn reset_pending() {
        let Some(document) = leptos::prelude::window().document() else {
            return;
        };
        let Ok(forms) = document.query_selector_all("form[data-pending]") else {
            return;
        };
        for i in 0..forms.length() {
            let Some(form) = forms.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let _ = form.remove_attribute("data-pending");
            let _ = form.remove_attribute("aria-busy");
            if let Ok(buttons) = form.query_selector_all("button[aria-disabled]") {
                for j in 0..buttons.length() {
                    if let Some(button) = buttons.item(j).and_then(|n| n.dyn_into::<Element>().ok())
                    {
                        let _ = button.remove_attribute("aria-disabled");
                        if let Some(idle) = button.get_attribute("data-idle-text") {
                            button.set_text_content(Some(&idle));
                        }
                    }
                }
            }
        }
    }

    use crate::booking::{validate, BookingCode, Topic};
    use crate::error::ValidationCode;
    use crate::i18n::Locale;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, FormData, HtmlElement, HtmlFormElement, SubmitEvent};

    /// The page's language, as the server wrote it.
    fn page_locale() -> Locale {
        let lang = leptos::prelude::document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"));
        match lang.as_deref() {
            Some("en") => Locale::en,
            _ => Locale::vi,
        }
    }

    pub fn on_submit(ev: &SubmitEvent) {
        let locale = page_locale();
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if form.has_attribute("data-pending") {
            ev.prevent_default();
            return;
        }
        if let Some(names) = form.get_attribute("data-check") {
            let Ok(data) = FormData::new_with_form(&form) else {
                return;
            };
            let value = |name: &str| data.get(name).as_string();
            let party = value("party_size").and_then(|p| validate::party_size(&p).ok());
            let mut first_invalid: Option<Element> = None;
            let mut invalid = 0;
            for name in names.split_whitespace() {
                let raw = value(name);
                let text = raw.clone().unwrap_or_default();
                let problem = match name {
                    "full_name" => validate::full_name(&text).err(),
                    "citizen_id" => validate::citizen_id(&text).err(),
                    "phone" => validate::phone(&text).err(),
                    "email" => validate::email(&text).err(),
                    "topic" => Topic::parse(&text).err(),
                    "summary" => validate::summary(&text).err(),
                    "party_size" => validate::party_size(&text).err(),
                    "representatives" => validate::representatives(&text, party).err(),
                    "needs" => validate::needs(&text).err(),
                    "reason" => validate::reason(&text).err(),
                    "consent" => validate::consent(raw.as_deref()).err(),
                    "code" => BookingCode::parse(&text).err(),
                    "slot_id" => text
                        .trim()
                        .is_empty()
                        .then_some(ValidationCode::InvalidSlot),
                    _ => None,
                };
                let field = form.query_selector(&format!("#f-{name}")).ok().flatten();
                if let Some(note) = form
                    .query_selector(&format!("#f-{name}-error"))
                    .ok()
                    .flatten()
                {
                    note.set_text_content(problem.map(|p| p.message(locale)));
                }
                if let Some(field) = &field {
                    if problem.is_some() {
                        let _ = field.set_attribute("aria-invalid", "true");
                    } else {
                        let _ = field.remove_attribute("aria-invalid");
                    }
                }
                if problem.is_some() {
                    invalid += 1;
                    if first_invalid.is_none() {
                        first_invalid = field;
                    }
                }
            }
            if invalid > 0 {
                ev.prevent_default();
                if let Some(summary) = form.query_selector(".error-summary").ok().flatten() {
                    summary.set_text_content(Some(crate::i18n::td_string!(locale, errors.summary)));
                    let _ = summary.remove_attribute("hidden");
                }
                if let Some(field) = first_invalid {
                    let target = if field.tag_name() == "FIELDSET" {
                        field
                            .query_selector("input")
                            .ok()
                            .flatten()
                            .unwrap_or(field)
                    } else {
                        field
                    };
                    if let Ok(el) = target.dyn_into::<HtmlElement>() {
                        let _ = el.focus();
                    }
                }
                return;
            }
        }
        // Valid: let the browser post it, once.
        let _ = form.set_attribute("data-pending", "true");
        let _ = form.set_attribute("aria-busy", "true");
        if let Ok(buttons) = form.query_selector_all("button[type=submit]") {
            for i in 0..buttons.length() {
                if let Some(button) = buttons.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    let _ = button.set_attribute("aria-disabled", "true");
                    if let Some(text) = button.get_attribute("data-pending-text") {
                        let idle = button.text_content().unwrap_or_default();
                        let _ = button.set_attribute("data-idle-text", &idle);
                        button.set_text_content(Some(&text));
                    }
                }
            }
        }
    }
}
