//! `/staff/audit`: the audit trail for administrators, filterable by action,
//! staff member, record and period.

use crate::error::AppError;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::staff::ui::{SignInNeeded, StaffBar};
use crate::staff::{staff_audit, staff_me, AuditEntry};
use crate::time::{date_vn, time_vn};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

#[component]
pub fn AuditPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let param = move |name: &str| query.get(name).filter(|v| !v.is_empty());
    let filter = (
        param("action"),
        param("actor"),
        param("record"),
        param("from"),
        param("to"),
    );
    let data = Resource::new_blocking(|| (), {
        let filter = filter.clone();
        move |_| {
            let (action, actor, record, from, to) = filter.clone();
            async move {
                let me = staff_me().await?;
                let rows = staff_audit(action, actor, record, from, to).await?;
                Ok::<_, AppError>((me, rows))
            }
        }
    });
    view! {
        <Title text=td_string!(locale, staff.audit_title) />
        <Suspense>
            {move || {
                let filter = filter.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((me, rows)) => view! {
                            <StaffBar me />
                            <h1>{td!(locale, staff.audit_title)}</h1>
                            <AuditFilter filter />
                            <AuditTable rows />
                        }.into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInNeeded /> }.into_any(),
                        Err(error) => view! {
                            <h1>{td!(locale, staff.audit_title)}</h1>
                            <p class="notice notice--error" role="alert">{error.message(locale)}</p>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

type Filter = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

#[component]
fn AuditFilter(filter: Filter) -> impl IntoView {
    let locale = use_locale();
    let (action, actor, record, from, to) = filter;
    let field = |id: &'static str,
                 label: &'static str,
                 kind: &'static str,
                 value: Option<String>| {
        view! {
            <div class="field">
                <label for=format!("audit-{id}")>{label}</label>
                <input id=format!("audit-{id}") type=kind name=id value=value.unwrap_or_default() />
            </div>
        }
    };
    view! {
        <form class="audit-filter" action="/staff/audit" method="get">
            {field("action", td_string!(locale, staff.audit_action), "text", action)}
            {field("actor", td_string!(locale, staff.audit_actor), "email", actor)}
            {field("record", td_string!(locale, staff.audit_record), "text", record)}
            {field("from", td_string!(locale, staff.audit_from), "date", from)}
            {field("to", td_string!(locale, staff.audit_to), "date", to)}
            <button type="submit" class="button">{td!(locale, staff.audit_filter)}</button>
        </form>
    }
    .into_any()
}

#[component]
fn AuditTable(rows: Vec<AuditEntry>) -> impl IntoView {
    let locale = use_locale();
    if rows.is_empty() {
        return view! { <p>{td!(locale, staff.audit_empty)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=td_string!(locale, staff.audit_title)>
            <table class="audit-table">
                <thead>
                    <tr>
                        <th scope="col">{td!(locale, staff.audit_at)}</th>
                        <th scope="col">{td!(locale, staff.audit_actor)}</th>
                        <th scope="col">{td!(locale, staff.audit_action)}</th>
                        <th scope="col">{td!(locale, staff.audit_record)}</th>
                        <th scope="col">{td!(locale, staff.audit_address)}</th>
                        <th scope="col">{td!(locale, staff.audit_details)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td><time datetime=r.at.clone()>{format!("{} {}", date_vn(&r.at), time_vn(&r.at))}</time></td>
                            <td>{r.actor}</td>
                            <td><code>{r.action}</code></td>
                            <td>{format!("{} {}", r.record_type, r.record_id)}</td>
                            <td>{r.client_addr.unwrap_or_default()}</td>
                            <td><code>{r.details}</code></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}
