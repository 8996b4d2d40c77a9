//! Registering someone at the desk without a booking.

use crate::booking::Topic;
use crate::error::AppError;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::staff::StaffWalkIn;
use crate::time::time_vn;
use crate::ui::{field_error, form_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// A field of the walk-in form, its error beside it.
fn walk_in_field(
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    error: &Option<AppError>,
    extra: (&'static str, &'static str),
) -> impl IntoView {
    let id = format!("walkin-{name}");
    let message = field_error(error, name);
    let error_id = format!("{id}-error");
    let invalid = message.as_ref().map(|_| "true");
    let required = extra.0 == "required";
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type=kind name=name required=required autocomplete=extra.1 aria-invalid=invalid aria-describedby=error_id.clone() />
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

#[component]
pub(super) fn WalkInForm(office: String, slots: Vec<String>, outside: bool) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(StaffWalkIn::PATH);
    let open = error.is_some();
    if slots.is_empty() && !outside {
        return view! {
            <section class="card" aria-labelledby="walk-in-heading">
                <h2 id="walk-in-heading">{td!(locale, staff.walk_in_heading)}</h2>
                <p>{td!(locale, staff.walk_in_none)}</p>
            </section>
        }
        .into_any();
    }
    let options = slots
        .iter()
        .map(|s| view! { <option value=s.clone()>{time_vn(s)}</option> })
        .collect_view();
    let now_option =
        outside.then(|| view! { <option value="now">{td!(locale, staff.walk_in_now)}</option> });
    let topics = [Topic::Complaint, Topic::Denunciation, Topic::Petition]
        .into_iter()
        .map(|t| view! { <option value=t.as_str()>{t.label(locale)}</option> })
        .collect_view();
    let e = |name: &str| field_error(&error, name);
    view! {
        <section class="card" aria-labelledby="walk-in-heading">
            <details class="desk-more" open=open>
                <summary><h2 id="walk-in-heading" class="summary-heading">{td!(locale, staff.walk_in_heading)}</h2></summary>
                <p class="hint">{td!(locale, staff.walk_in_hint)}</p>
                <form action=StaffWalkIn::PATH method="post" novalidate=true class="walk-in-form">
                    <ErrorSummary error=error.clone() id="walk-in-errors" prefix="walkin" />
                    <input type="hidden" name="office" value=office />
                    <div class="field">
                        <label for="walkin-starts_at">{td!(locale, staff.walk_in_slot)}</label>
                        <select id="walkin-starts_at" name="starts_at">{options}{now_option}</select>
                        <p class="field-error" id="walkin-starts_at-error">{e("starts_at")}</p>
                    </div>
                    {walk_in_field("full_name", td_string!(locale, staff.name), "text", &error, ("required", "off"))}
                    {walk_in_field("citizen_id", td_string!(locale, staff.citizen_id), "text", &error, ("required", "off"))}
                    {walk_in_field("phone", td_string!(locale, staff.phone), "tel", &error, ("required", "off"))}
                    {walk_in_field("email", td_string!(locale, staff.email_optional), "email", &error, ("", "off"))}
                    <div class="field">
                        <label for="walkin-topic">{td!(locale, staff.topic)}</label>
                        <select id="walkin-topic" name="topic">{topics}</select>
                    </div>
                    <div class="field">
                        <label for="walkin-summary">{td!(locale, staff.summary)}</label>
                        <textarea id="walkin-summary" name="summary" rows="3" maxlength="2000" required=true
                            aria-invalid=e("summary").map(|_| "true") aria-describedby="walkin-summary-error"></textarea>
                        <p class="field-error" id="walkin-summary-error">{e("summary")}</p>
                    </div>
                    <div class="field">
                        <label for="walkin-party_size">{td!(locale, staff.party_size)}</label>
                        <input id="walkin-party_size" type="number" name="party_size" value="1" min="1" max="500" required=true
                            aria-invalid=e("party_size").map(|_| "true") aria-describedby="walkin-party_size-error" />
                        <p class="field-error" id="walkin-party_size-error">{e("party_size")}</p>
                    </div>
                    <div class="field">
                        <label for="walkin-representatives">{td!(locale, staff.representatives)}</label>
                        <p class="hint" id="walkin-representatives-hint">{td!(locale, staff.representatives_hint)}</p>
                        <textarea id="walkin-representatives" name="representatives" rows="2"
                            aria-invalid=e("representatives").map(|_| "true") aria-describedby="walkin-representatives-hint walkin-representatives-error"></textarea>
                        <p class="field-error" id="walkin-representatives-error">{e("representatives")}</p>
                    </div>
                    {walk_in_field("needs", td_string!(locale, staff.needs), "text", &error, ("", "off"))}
                    <div class="choice__item">
                        <input id="walkin-interpreter" type="checkbox" name="interpreter" value="true" />
                        <label for="walkin-interpreter">{td!(locale, staff.interpreter)}</label>
                    </div>
                    <button type="submit" class="button button--primary">{td!(locale, staff.walk_in_submit)}</button>
                </form>
            </details>
        </section>
    }
    .into_any()
}
