//! `/staff/cases`: the cases of the member's offices, overdue ones first and
//! highlighted, with days left; and the form to open a case by hand (a
//! letter by post, a portal submission).

use crate::cases::{
    staff_cases, CaseKind, CaseList, CaseStatus, Channel, StaffCreateCase, TrackingCode,
};
use crate::error::AppError;
use crate::i18n::{td, td_string, Locale};
use crate::locale::use_locale;
use crate::staff::staff_me;
use crate::staff::ui::{SignInNeeded, StaffBar};
use crate::time::date_vn;
use crate::ui::{field_error, form_error, ErrorSummary};
use crate::ui::{TextArea, TextField};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

/// "3 days left", "due today", "5 days overdue".
pub(super) fn days_left(days: Option<i64>, locale: Locale) -> String {
    match days {
        None => String::new(),
        Some(0) => td_string!(locale, cases.due_today).to_owned(),
        Some(n) if n > 0 => td_string!(locale, cases.days_left, n = n).to_string(),
        Some(n) => td_string!(locale, cases.days_overdue, n = -n).to_string(),
    }
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let param = move |name: &str| query.get(name).filter(|v| !v.is_empty());
    let filter = (param("office"), param("status"), param("mine"));
    let data = Resource::new_blocking(|| (), {
        let filter = filter.clone();
        move |_| {
            let (office, status, mine) = filter.clone();
            async move {
                let me = staff_me().await?;
                let list = staff_cases(office, status, mine).await?;
                Ok::<_, AppError>((me, list))
            }
        }
    });
    view! {
        <Title text=td_string!(locale, cases.title) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((me, list)) => view! {
                        <StaffBar me />
                        <h1>{td!(locale, cases.title)}</h1>
                        <CaseFilter list=list.clone() />
                        <CaseTable list=list.clone() />
                        <NewCaseForm list />
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <SignInNeeded /> }.into_any(),
                    Err(error) => view! {
                        <h1>{td!(locale, cases.title)}</h1>
                        <p class="notice notice--error" role="alert">{error.message(locale)}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn CaseFilter(list: CaseList) -> impl IntoView {
    let locale = use_locale();
    let offices = list
        .offices
        .iter()
        .map(|o| {
            view! { <option value=o.slug.clone() selected=o.slug == list.office>{o.name.clone()}</option> }
        })
        .collect_view();
    let statuses = CaseStatus::ALL
        .iter()
        .map(|s| {
            view! {
                <option value=s.as_str() selected=list.status == Some(*s)>
                    {s.label(locale)}
                </option>
            }
        })
        .collect_view();
    view! {
        <form class="audit-filter" action="/staff/cases" method="get">
            <div class="field">
                <label for="cases-office">{td!(locale, staff.office)}</label>
                <select id="cases-office" name="office">
                    <option value="">{td!(locale, cases.all_offices)}</option>
                    {offices}
                </select>
            </div>
            <div class="field">
                <label for="cases-status">{td!(locale, cases.status)}</label>
                <select id="cases-status" name="status">
                    <option value="">{td!(locale, cases.all_statuses)}</option>
                    {statuses}
                </select>
            </div>
            <div class="field check">
                <input id="cases-mine" type="checkbox" name="mine" value="1" />
                <label for="cases-mine">{td!(locale, cases.mine)}</label>
            </div>
            <button type="submit" class="button">{td!(locale, staff.show)}</button>
        </form>
    }
    .into_any()
}

#[component]
fn CaseTable(list: CaseList) -> impl IntoView {
    let locale = use_locale();
    if list.cases.is_empty() {
        return view! { <p>{td!(locale, cases.empty)}</p> }.into_any();
    }
    let rows = list
        .cases
        .into_iter()
        .map(|c| {
            let href = format!("/staff/cases/view?code={}", c.code);
            view! {
                <tr class:overdue=c.overdue>
                    <td><a href=href>{TrackingCode::pretty(&c.code)}</a></td>
                    <td>{c.kind.label(locale)}</td>
                    <td>{c.citizen}</td>
                    <td>{c.status_label}</td>
                    <td>{c.due_on.as_deref().map(date_vn).unwrap_or_default()}</td>
                    <td>
                        {c.overdue.then(|| view! { <strong>{td!(locale, cases.overdue)}" "</strong> })}
                        {days_left(c.days_left, locale)}
                    </td>
                    <td>{c.assigned.unwrap_or_default()}</td>
                    <td>{date_vn(&c.received_on)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=td_string!(locale, cases.title)>
            <table class="audit-table case-table">
                <thead>
                    <tr>
                        <th scope="col">{td!(locale, cases.code)}</th>
                        <th scope="col">{td!(locale, cases.kind)}</th>
                        <th scope="col">{td!(locale, cases.citizen)}</th>
                        <th scope="col">{td!(locale, cases.status)}</th>
                        <th scope="col">{td!(locale, cases.due)}</th>
                        <th scope="col">{td!(locale, cases.days)}</th>
                        <th scope="col">{td!(locale, cases.assigned)}</th>
                        <th scope="col">{td!(locale, cases.received)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn NewCaseForm(list: CaseList) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(StaffCreateCase::PATH);
    let e = {
        let error = error.clone();
        move |name: &str| field_error(&error, name)
    };
    let offices = list
        .offices
        .iter()
        .map(|o| view! { <option value=o.slug.clone()>{o.name.clone()}</option> })
        .collect_view();
    let kinds = CaseKind::ALL
        .iter()
        .map(|k| view! { <option value=k.as_str()>{k.label(locale)}</option> })
        .collect_view();
    let channels = [Channel::Post, Channel::Portal, Channel::Reception]
        .iter()
        .map(|c| view! { <option value=c.as_str()>{c.label(locale)}</option> })
        .collect_view();
    view! {
        <details class="card" open=error.is_some()>
            <summary>{td!(locale, cases.new_heading)}</summary>
            <p class="hint">{td!(locale, cases.new_hint)}</p>
            <form action=StaffCreateCase::PATH method="post" novalidate=true>
                <ErrorSummary error=error.clone() id="new-case-errors" />
                <div class="field">
                    <label for="f-office">{td!(locale, staff.office)}</label>
                    <select id="f-office" name="office">{offices}</select>
                </div>
                <div class="field">
                    <label for="f-kind">{td!(locale, cases.kind)}</label>
                    <select id="f-kind" name="kind">{kinds}</select>
                </div>
                <div class="field">
                    <label for="f-channel">{td!(locale, cases.channel)}</label>
                    <select id="f-channel" name="channel">{channels}</select>
                </div>
                <TextField name="received_on" label=td_string!(locale, cases.received) hint=None error=e("received_on") autocomplete="off" kind="date" required=false maxlength=10 />
                <TextField name="full_name" label=td_string!(locale, booking.full_name) hint=None error=e("full_name") autocomplete="off" required=true maxlength=100 />
                <TextField name="citizen_id" label=td_string!(locale, booking.citizen_id) hint=Some(td_string!(locale, cases.citizen_id_hint)) error=e("citizen_id") autocomplete="off" inputmode="numeric" required=false maxlength=12 />
                <TextField name="phone" label=td_string!(locale, booking.phone) hint=None error=e("phone") autocomplete="off" kind="tel" required=true maxlength=20 />
                <TextField name="email" label=td_string!(locale, booking.email) hint=None error=e("email") autocomplete="off" kind="email" required=false maxlength=254 />
                <div class="field check">
                    <input id="f-notify" type="checkbox" name="notify" value="on" />
                    <label for="f-notify">{td!(locale, cases.notify)}</label>
                </div>
                <div class="field check">
                    <input id="f-remote_area" type="checkbox" name="remote_area" value="on" />
                    <label for="f-remote_area">{td!(locale, cases.remote_area)}</label>
                </div>
                <TextArea name="summary" label=td_string!(locale, booking.summary) hint=None error=e("summary") required=true maxlength=2000 rows=4 />
                <button type="submit" class="button button--primary">{td!(locale, cases.open)}</button>
            </form>
        </details>
    }
    .into_any()
}
