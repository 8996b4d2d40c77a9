//! `/staff/cases/view?code=…`: one case — its facts, deadline, the citizen
//! (masked for a denunciation unless the reader may see the denouncer), the
//! whole timeline with internal notes, and the forms to move it on, assign
//! it and extend its deadline.

use super::list::days_left;
use crate::cases::TrackingCode;
use crate::cases::{
    staff_case, CaseDetail, CaseKind, CaseStatus, Complexity, StaffAssignCase, StaffExtendCase,
    StaffUpdateCaseStatus,
};
use crate::error::AppError;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::staff::staff_me;
use crate::staff::ui::{SignInNeeded, StaffBar};
use crate::time::{date_vn, time_vn};
use crate::ui::{field_error, form_error, ErrorSummary};
use crate::ui::{TextArea, TextField};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

#[component]
pub fn CasePage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let code = query.get("code").unwrap_or_default();
    let done = query.get("done").is_some() && query.get("__err").is_none();
    let data = Resource::new_blocking(
        || (),
        move |_| {
            let code = code.clone();
            async move {
                let me = staff_me().await?;
                let case = staff_case(code).await?;
                Ok::<_, AppError>((me, case))
            }
        },
    );
    view! {
        <Title text=td_string!(locale, cases.case_title) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((me, case)) => view! {
                        <StaffBar me />
                        <CaseFacts case=case.clone() done />
                        <CaseActions case=case.clone() />
                        <CaseTimeline case />
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <SignInNeeded /> }.into_any(),
                    Err(error) => view! {
                        <h1>{td!(locale, cases.case_title)}</h1>
                        <p class="notice notice--error" role="alert">{error.message(locale)}</p>
                        <p><a href="/staff/cases">{td!(locale, cases.back)}</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn CaseFacts(case: CaseDetail, done: bool) -> impl IntoView {
    let locale = use_locale();
    let c = case;
    let contact = c.contact.clone();
    view! {
        <p><a href="/staff/cases">{td!(locale, cases.back)}</a></p>
        <h1>{td!(locale, cases.case_title)}" "<span class="ticket__code" data-code=c.code.clone()>{TrackingCode::pretty(&c.code)}</span></h1>
        {done.then(|| view! { <p class="notice notice--ok" role="status">{td!(locale, cases.saved)}</p> })}
        <p class=format!("status status--case-{}", c.status.as_str())>{c.status_label.clone()}</p>
        <dl class="ticket__facts">
            <dt>{td!(locale, cases.kind)}</dt>
            <dd>{c.kind.label(locale)}</dd>
            <dt>{td!(locale, cases.due)}</dt>
            <dd class:overdue=c.overdue>
                {match c.due_on.clone() {
                    Some(due) => format!("{} ({})", date_vn(&due), days_left(c.days_left, locale)),
                    None => td_string!(locale, cases.no_deadline).to_owned(),
                }}
                {c.due_rule.clone().map(|r| view! { <br /><small>{r}</small> })}
            </dd>
            <dt>{td!(locale, cases.agency)}</dt>
            <dd>{c.agency.clone()}</dd>
            <dt>{td!(locale, cases.assigned)}</dt>
            <dd>{c.assigned.clone().map(|a| a.name).unwrap_or_else(|| td_string!(locale, cases.unassigned).to_owned())}</dd>
            <dt>{td!(locale, cases.received)}</dt>
            <dd>{format!("{} · {}", date_vn(&c.received_on), c.channel.label(locale))}</dd>
            <dt>{td!(locale, staff.office)}</dt>
            <dd>{c.office.clone()}</dd>
            {c.booking_code.clone().map(|b| view! { <dt>{td!(locale, cases.booking)}</dt><dd>{b}</dd> })}
            <dt>{td!(locale, cases.citizen)}</dt>
            <dd class="case-contact" data-masked=contact.masked.to_string()>
                {contact.full_name.clone()}
                {contact.citizen_id.clone().map(|id| view! { <br />{td!(locale, cases.cccd)}": "{id} })}
                <br />{td!(locale, booking.phone)}": "{contact.phone.clone()}
                {contact.email.clone().map(|e| view! { <br />"E-mail: "{e} })}
                {contact.masked.then(|| view! { <br /><small>{td!(locale, cases.masked_note)}</small> })}
            </dd>
            <dt>{td!(locale, cases.notify)}</dt>
            <dd>{if c.notify { td_string!(locale, cases.yes) } else { td_string!(locale, cases.no) }}</dd>
        </dl>
        <h2>{td!(locale, booking.summary)}</h2>
        <p class="case-summary">{c.summary.clone()}</p>
    }
    .into_any()
}

#[component]
fn CaseActions(case: CaseDetail) -> impl IntoView {
    let locale = use_locale();
    if !case.can_manage {
        return ().into_any();
    }
    let status_error = form_error(StaffUpdateCaseStatus::PATH);
    let assign_error = form_error(StaffAssignCase::PATH);
    let extend_error = form_error(StaffExtendCase::PATH);
    let code = case.code.clone();
    let options = case
        .next
        .iter()
        .map(|s| view! { <option value=s.as_str()>{s.label(locale)}</option> })
        .collect_view();
    let move_form = (!case.next.is_empty()).then(|| view! {
        <section class="card" aria-labelledby="status-heading">
            <h2 id="status-heading">{td!(locale, cases.move_heading)}</h2>
            <form action=StaffUpdateCaseStatus::PATH method="post" novalidate=true>
                <ErrorSummary error=status_error.clone() id="status-errors" />
                <input type="hidden" name="code" value=code.clone() />
                <div class="field">
                    <label for="f-status">{td!(locale, cases.new_status)}</label>
                    <select id="f-status" name="status">{options}</select>
                </div>
                <TextField name="agency" label=td_string!(locale, cases.agency) hint=Some(td_string!(locale, cases.agency_hint)) error=field_error(&status_error, "agency") autocomplete="off" required=false maxlength=200 />
                <TextArea name="public_note" label=td_string!(locale, cases.public_note) hint=Some(td_string!(locale, cases.public_note_hint)) error=field_error(&status_error, "public_note") required=false maxlength=2000 rows=3 />
                <TextArea name="internal_note" label=td_string!(locale, cases.internal_note) hint=Some(td_string!(locale, cases.internal_note_hint)) error=field_error(&status_error, "internal_note") required=false maxlength=2000 rows=3 />
                <button type="submit" class="button button--primary">{td!(locale, cases.move_submit)}</button>
            </form>
        </section>
    });
    let officers = case
        .officers
        .iter()
        .map(|o| {
            let selected = case.assigned.as_ref().is_some_and(|a| a.email == o.email);
            view! { <option value=o.email.clone() selected=selected>{o.name.clone()}</option> }
        })
        .collect_view();
    let extendable = matches!(case.status, CaseStatus::Accepted | CaseStatus::Verifying)
        && case.kind != CaseKind::Petition;
    let extend_form = extendable.then(|| view! {
        <section class="card" aria-labelledby="extend-heading">
            <h2 id="extend-heading">{td!(locale, cases.extend_heading)}</h2>
            <p class="hint">{if case.kind == CaseKind::Denunciation { td_string!(locale, cases.extend_hint_denunciation) } else { td_string!(locale, cases.extend_hint_complaint) }}</p>
            <form action=StaffExtendCase::PATH method="post" novalidate=true>
                <ErrorSummary error=extend_error.clone() id="extend-errors" />
                <input type="hidden" name="code" value=code.clone() />
                <div class="field">
                    <label for="f-complexity">{td!(locale, cases.complexity)}</label>
                    <select id="f-complexity" name="complexity">
                        <option value=Complexity::Complicated.as_str() selected=case.complexity == Complexity::Complicated>{td!(locale, cases.complicated)}</option>
                        <option value=Complexity::EspeciallyComplicated.as_str() selected=case.complexity == Complexity::EspeciallyComplicated>{td!(locale, cases.especially_complicated)}</option>
                    </select>
                </div>
                {(case.kind == CaseKind::Denunciation).then(|| view! {
                    <TextField name="days" label=td_string!(locale, cases.extend_days) hint=None error=field_error(&extend_error, "days") autocomplete="off" inputmode="numeric" required=true maxlength=2 value="30" />
                })}
                <TextArea name="reason" label=td_string!(locale, cases.extend_reason) hint=Some(td_string!(locale, cases.public_note_hint)) error=field_error(&extend_error, "reason") required=true maxlength=2000 rows=2 />
                <button type="submit" class="button">{td!(locale, cases.extend_submit)}</button>
            </form>
        </section>
    });
    let assign_form = case.can_assign.then(|| {
        view! {
            <section class="card" aria-labelledby="assign-heading">
                <h2 id="assign-heading">{td!(locale, cases.assign_heading)}</h2>
                <form action=StaffAssignCase::PATH method="post" novalidate=true>
                    <ErrorSummary error=assign_error.clone() id="assign-errors" />
                    <input type="hidden" name="code" value=code.clone() />
                    <div class="field">
                        <label for="f-officer">{td!(locale, cases.officer)}</label>
                        <select id="f-officer" name="officer">{officers}</select>
                    </div>
                    <button type="submit" class="button">{td!(locale, cases.assign_submit)}</button>
                </form>
            </section>
        }
    });
    view! {
        {move_form}
        {assign_form}
        {extend_form}
    }
    .into_any()
}

#[component]
fn CaseTimeline(case: CaseDetail) -> impl IntoView {
    let locale = use_locale();
    let steps = case
        .timeline
        .into_iter()
        .rev()
        .map(|e| {
            view! {
                <li>
                    <time datetime=e.at.clone()>{format!("{} {}", date_vn(&e.at), time_vn(&e.at))}</time>
                    " – "<strong>{e.label.clone()}</strong>
                    {e.actor.clone().map(|a| view! { " · "{a} })}
                    {(!e.public).then(|| view! { " · "<em>{td!(locale, cases.internal_only)}</em> })}
                    {(!e.public_note.is_empty()).then(|| view! {
                        <p class="timeline__note">{td!(locale, cases.public_note)}": "{e.public_note.clone()}</p>
                    })}
                    {(!e.internal_note.is_empty()).then(|| view! {
                        <p class="timeline__note timeline__note--internal">{td!(locale, cases.internal_note)}": "{e.internal_note.clone()}</p>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{td!(locale, cases.timeline)}</h2>
            <ol class="history timeline" reversed=true>{steps}</ol>
        </section>
    }
    .into_any()
}
