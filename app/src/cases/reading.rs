//! What staff read: the case list (overdue first) and one case with its
//! whole timeline, the denouncer masked unless the reader may see them.

use super::access::{audit_contact, audit_identity, contact, sees_identity};
use super::clock::{clock, standing, ymd};
use super::form::{flag, parse_code};
use super::repo::{self, CaseRow};
use super::timeline::{agency, step_label};
use super::{
    deadline, CaseDetail, CaseKind, CaseList, CaseStatus, CaseSummary, OfficerChoice, StaffEvent,
};
use crate::error::{AppError, ValidationCode};
use crate::i18n::{td_string, Locale};
use crate::locale::use_locale;
use crate::offices::repo as offices;
use crate::ssr::{app_state, AppState};
use crate::staff::auth::{self, Permission, StaffUser};
use crate::time::{rfc3339, today_vn};
use chrono::NaiveDate;

fn summary_of(row: &CaseRow, user: &StaffUser, locale: Locale, today: NaiveDate) -> CaseSummary {
    let (kind, status) = (row.kind, row.status);
    let (days_left, overdue) = standing(row.due_on, today);
    CaseSummary {
        code: row.code.clone(),
        kind,
        status,
        status_label: status.label(locale).to_owned(),
        office: row.office_name(locale).to_owned(),
        citizen: contact(row, sees_identity(user, row), locale).full_name,
        masked: !sees_identity(user, row),
        assigned: row.assigned_name.clone(),
        received_on: ymd(row.received_on),
        due_on: row.due_on.map(ymd),
        days_left,
        overdue,
    }
}

/// `GET /api/staff/cases`.
pub async fn list(office: String, status: String, mine: String) -> Result<CaseList, AppError> {
    let state = app_state()?;
    let user = auth::require(&state, Permission::FrontDesk).await?;
    list_for(&state, &user, use_locale(), &office, &status, &mine, "list").await
}

/// The list `user` may see: the CSV export reads the same rows, masked the
/// same way.
pub async fn list_for(
    state: &AppState,
    user: &StaffUser,
    locale: Locale,
    office: &str,
    status: &str,
    mine: &str,
    via: &str,
) -> Result<CaseList, AppError> {
    let offices = offices::among(&state.pool, &user.office_ids).await?;
    let ids = if office.trim().is_empty() {
        offices.iter().map(|o| o.id).collect::<Vec<_>>()
    } else {
        let o = offices::by_slug(&state.pool, office.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        auth::require_office(user, o.id)?;
        vec![o.id]
    };
    let status =
        match status.trim() {
            "" => None,
            raw => Some(CaseStatus::parse(raw).ok_or_else(|| {
                AppError::invalid("status", ValidationCode::InvalidChoice, locale)
            })?),
        };
    let today = today_vn();
    let rows = repo::list(
        &state.pool,
        &ids,
        status.map_or("", CaseStatus::as_str),
        flag(mine).then_some(user.id),
        today,
    )
    .await?;
    let shown: Vec<&CaseRow> = rows
        .iter()
        .filter(|r| r.kind == CaseKind::Denunciation && sees_identity(user, r))
        .collect();
    audit_identity(state, user, &shown, via).await?;
    Ok(CaseList {
        offices: offices.iter().map(|o| o.choice(locale)).collect(),
        office: office.trim().to_owned(),
        status,
        cases: rows
            .iter()
            .map(|r| summary_of(r, user, locale, today))
            .collect(),
        can_manage: user.role.may(Permission::Cases),
    })
}

pub(super) async fn detail_of(
    state: &AppState,
    row: &CaseRow,
    user: &StaffUser,
    locale: Locale,
) -> Result<CaseDetail, AppError> {
    let (kind, status) = (row.kind, row.status);
    let visible = sees_identity(user, row);
    if visible && kind == CaseKind::Denunciation {
        audit_identity(state, user, &[row], "case").await?;
    }
    if visible {
        audit_contact(state, user, row, "case").await?;
    }
    let events = repo::events(&state.pool, row.id, false).await?;
    let extensions: Vec<i32> = events
        .iter()
        .filter(|e| e.event == "extended")
        .filter_map(|e| e.extension_days)
        .collect();
    let holidays = repo::holidays(&state.pool).await?;
    let due = deadline::due(status, &clock(row, kind, &extensions), &holidays);
    let (days_left, overdue) = standing(row.due_on, today_vn());
    let can_manage = user.role.may(Permission::Cases);
    let can_assign = user.role.may(Permission::AssignCases);
    let officers = repo::officers(&state.pool, row.office_id).await?;
    let assigned = row
        .assigned_to
        .and_then(|id| officers.iter().find(|o| o.id == id))
        .map(|o| OfficerChoice {
            email: o.email.clone(),
            name: o.display_name.clone(),
        })
        .or_else(|| {
            row.assigned_name.clone().map(|name| OfficerChoice {
                email: String::new(),
                name,
            })
        });
    Ok(CaseDetail {
        code: row.code.clone(),
        kind,
        status,
        status_label: status.label(locale).to_owned(),
        // A denunciation's own words can name the denouncer: sealed with them.
        summary: if visible {
            row.summary.clone()
        } else {
            td_string!(locale, cases.confidential).to_owned()
        },
        channel: row.channel,
        received_on: ymd(row.received_on),
        office: row.office_name(locale).to_owned(),
        // The booking's code leads to its card at the desk: it is part of
        // the identity the reader may or may not see.
        booking_code: row.booking_code.clone().filter(|_| visible),
        agency: agency(row),
        assigned,
        complexity: row.complexity,
        remote_area: row.remote_area,
        due_on: row.due_on.map(ymd),
        due_rule: due.map(|d| d.cite.to_owned()),
        days_left,
        overdue,
        contact: contact(row, visible, locale),
        notify: row.notify,
        timeline: events
            .iter()
            .map(|e| {
                let status = e.status;
                StaffEvent {
                    at: rfc3339(e.at),
                    actor: e.actor_name.clone(),
                    event: e.event.clone(),
                    status,
                    label: step_label(&e.event, status, e.due_on, locale),
                    public: e.public,
                    public_note: e.public_note.clone(),
                    internal_note: e.internal_note.clone(),
                    extension_days: e.extension_days,
                    due_on: e.due_on.map(ymd),
                }
            })
            .collect(),
        next: if can_manage {
            status.next(kind)
        } else {
            Vec::new()
        },
        officers: if can_assign {
            officers
                .iter()
                .map(|o| OfficerChoice {
                    email: o.email.clone(),
                    name: o.display_name.clone(),
                })
                .collect()
        } else {
            Vec::new()
        },
        can_manage,
        can_assign,
    })
}

/// `GET /api/staff/cases/case`.
pub async fn detail(code: String) -> Result<CaseDetail, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::FrontDesk).await?;
    let code = parse_code(&code, locale)?;
    let row = repo::by_code(&state.pool, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    auth::require_office(&user, row.office_id)?;
    detail_of(&state, &row, &user, locale).await
}
