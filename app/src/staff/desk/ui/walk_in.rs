//! The desk's own bookings: someone at the desk without a booking (a
//! walk-in), and a priority citizen booked ahead. Both ask the same
//! citizen's fields, kept in one place here.

use crate::booking::{PriorityGroup, Topic};
use crate::error::AppError;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::staff::{StaffBookPriority, StaffWalkIn};
use crate::time::time_vn;
use crate::ui::{field_error, form_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// A text field of a desk form, its error beside it.
fn desk_field(
    prefix: &'static str,
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    error: &Option<AppError>,
    required: bool,
) -> impl IntoView {
    let id = format!("{prefix}-{name}");
    let message = field_error(error, name);
    let error_id = format!("{id}-error");
    let invalid = message.as_ref().map(|_| "true");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type=kind name=name required=required autocomplete="off" aria-invalid=invalid aria-describedby=error_id.clone() />
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

/// Who and about what: the booking form's fields, the e-mail optional; the
/// CCCD read from the card the person shows or tells.
#[component]
fn CitizenAndVisit(prefix: &'static str, error: Option<AppError>) -> impl IntoView {
    let locale = use_locale();
    let topics = Topic::ALL
        .into_iter()
        .map(|t| view! { <option value=t.as_str()>{t.label(locale)}</option> })
        .collect_view();
    let e = |name: &str| field_error(&error, name);
    let id = move |name: &str| format!("{prefix}-{name}");
    view! {
        {desk_field(prefix, "full_name", td_string!(locale, staff.name), "text", &error, true)}
        {desk_field(prefix, "citizen_id", td_string!(locale, staff.citizen_id), "text", &error, true)}
        {desk_field(prefix, "phone", td_string!(locale, staff.phone), "tel", &error, true)}
        {desk_field(prefix, "email", td_string!(locale, staff.email_optional), "email", &error, false)}
        <div class="field">
            <label for=id("topic")>{td!(locale, staff.topic)}</label>
            <select id=id("topic") name="topic">{topics}</select>
        </div>
        <div class="field">
            <label for=id("summary")>{td!(locale, staff.summary)}</label>
            <textarea id=id("summary") name="summary" rows="3" maxlength="2000" required=true
                aria-invalid=e("summary").map(|_| "true") aria-describedby=id("summary-error")></textarea>
            <p class="field-error" id=id("summary-error")>{e("summary")}</p>
        </div>
        <div class="field">
            <label for=id("party_size")>{td!(locale, staff.party_size)}</label>
            <input id=id("party_size") type="number" name="party_size" value="1" min="1" max="500" required=true
                aria-invalid=e("party_size").map(|_| "true") aria-describedby=id("party_size-error") />
            <p class="field-error" id=id("party_size-error")>{e("party_size")}</p>
        </div>
        <div class="field">
            <label for=id("representatives")>{td!(locale, staff.representatives)}</label>
            <p class="hint" id=id("representatives-hint")>{td!(locale, staff.representatives_hint)}</p>
            <textarea id=id("representatives") name="representatives" rows="2"
                aria-invalid=e("representatives").map(|_| "true")
                aria-describedby=format!("{} {}", id("representatives-hint"), id("representatives-error"))></textarea>
            <p class="field-error" id=id("representatives-error")>{e("representatives")}</p>
        </div>
        {desk_field(prefix, "needs", td_string!(locale, staff.needs), "text", &error, false)}
        <div class="choice__item">
            <input id=id("interpreter") type="checkbox" name="interpreter" value="true" />
            <label for=id("interpreter")>{td!(locale, staff.interpreter)}</label>
        </div>
    }
}

/// The slot to use, its error beside it.
fn slot_select(
    prefix: &'static str,
    label: &'static str,
    options: impl IntoView,
    error: &Option<AppError>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=format!("{prefix}-starts_at")>{label}</label>
            <select id=format!("{prefix}-starts_at") name="starts_at">{options}</select>
            <p class="field-error" id=format!("{prefix}-starts_at-error")>{field_error(error, "starts_at")}</p>
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
    view! {
        <section class="card" aria-labelledby="walk-in-heading">
            <details class="desk-more" open=open>
                <summary><h2 id="walk-in-heading" class="summary-heading">{td!(locale, staff.walk_in_heading)}</h2></summary>
                <p class="hint">{td!(locale, staff.walk_in_hint)}</p>
                <form action=StaffWalkIn::PATH method="post" novalidate=true class="walk-in-form">
                    <ErrorSummary error=error.clone() id="walk-in-errors" prefix="walkin" />
                    <input type="hidden" name="office" value=office />
                    {slot_select("walkin", td_string!(locale, staff.walk_in_slot), (options, now_option), &error)}
                    <CitizenAndVisit prefix="walkin" error=error.clone() />
                    <button type="submit" class="button button--primary">{td!(locale, staff.walk_in_submit)}</button>
                </form>
            </details>
        </section>
    }
    .into_any()
}

/// Booking a priority citizen ahead into a slot of the day shown, a kept
/// place or any other.
#[component]
pub(super) fn PriorityForm(office: String, slots: Vec<String>) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(StaffBookPriority::PATH);
    if slots.is_empty() {
        return ().into_any();
    }
    let open = error.is_some();
    let options = slots
        .iter()
        .map(|s| view! { <option value=s.clone()>{time_vn(s)}</option> })
        .collect_view();
    let groups = PriorityGroup::ALL
        .into_iter()
        .map(|g| view! { <option value=g.as_str()>{g.label(locale)}</option> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="priority-heading">
            <details class="desk-more" open=open>
                <summary><h2 id="priority-heading" class="summary-heading">{td!(locale, staff.priority_heading)}</h2></summary>
                <p class="hint">{td!(locale, staff.priority_hint)}</p>
                <form action=StaffBookPriority::PATH method="post" novalidate=true class="walk-in-form">
                    <ErrorSummary error=error.clone() id="priority-errors" prefix="prio" />
                    <input type="hidden" name="office" value=office />
                    {slot_select("prio", td_string!(locale, staff.walk_in_slot), options, &error)}
                    <div class="field">
                        <label for="prio-priority">{td!(locale, staff.priority_group)}</label>
                        <select id="prio-priority" name="priority">{groups}</select>
                        <p class="field-error" id="prio-priority-error">{field_error(&error, "priority")}</p>
                    </div>
                    <CitizenAndVisit prefix="prio" error=error.clone() />
                    <button type="submit" class="button button--primary">{td!(locale, staff.priority_submit)}</button>
                </form>
            </details>
        </section>
    }
    .into_any()
}
