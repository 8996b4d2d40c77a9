//! Moving a case on: status changes, assignment and extensions. Each locks
//! the case, checks the office, role and the rules, and writes the case,
//! its timeline entry, its audit row and the citizen's e-mail together.

use super::clock::clock;
use super::form::{choice, nfc, note_field, parse_code};
use super::notify::{self, row_locale};
use super::reading::detail_of;
use super::repo::{self, CaseRow};
use super::timeline::step_label;
use super::{deadline, CaseDetail, CaseKind, CaseStatus, Complexity, TrackingCode};
use crate::error::{AppError, ConflictReason, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::{self, Permission, StaffUser};
use crate::time::today_vn;
use serde_json::json;
use sqlx::{Postgres, Transaction};

/// The locked case, after the member's role and office are checked.
async fn locked(
    tx: &mut Transaction<'_, Postgres>,
    user: &StaffUser,
    code: &TrackingCode,
) -> Result<CaseRow, AppError> {
    let row = repo::lock(tx, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    auth::require_office(user, row.office_id)?;
    Ok(row)
}

fn invalid_transition() -> AppError {
    AppError::Conflict {
        reason: ConflictReason::InvalidTransition,
    }
}

/// After a change: the detail for an API client, or back to the case's page
/// for a browser posting the form.
async fn after_change(
    state: &AppState,
    user: &StaffUser,
    code: &TrackingCode,
    locale: Locale,
) -> Result<CaseDetail, AppError> {
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("/staff/cases/view?code={}&done=1", code.as_str()));
    }
    let row = repo::by_code(&state.pool, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    detail_of(state, &row, user, locale).await
}

/// `POST /api/staff/cases/update-status`.
pub async fn update_status(
    code: String,
    status: String,
    public_note: String,
    internal_note: String,
    agency_name: String,
) -> Result<CaseDetail, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::Cases).await?;
    let mut f = Fields::new(locale);
    let code = f.check("code", TrackingCode::parse(&code));
    let to = f.check("status", choice(&status, CaseStatus::parse));
    let public_note = f.check("public_note", note_field(&public_note));
    let internal_note = f.check("internal_note", note_field(&internal_note));
    let agency_name = nfc(agency_name.trim());
    if to == Some(CaseStatus::Transferred) {
        match agency_name.chars().count() {
            0 => f.push("agency", ValidationCode::Required),
            1 => f.push("agency", ValidationCode::TooShort),
            n if n > 200 => f.push("agency", ValidationCode::TooLong),
            _ => {}
        }
    }
    let (code, to, public_note, internal_note) = f.done((code, to, public_note, internal_note))?;
    let holidays = repo::holidays(&state.pool).await?;
    let today = today_vn();
    let mut tx = state.pool.begin().await?;
    let row = locked(&mut tx, &user, &code).await?;
    let (kind, from) = (row.kind, row.status);
    if !from.can_become(to, kind) {
        return Err(invalid_transition());
    }
    let mut accepted_on = row.accepted_on;
    let mut suspended_on = row.suspended_on;
    let mut paused_days = row.paused_days;
    let mut event = "status";
    match (from, to) {
        (_, CaseStatus::Accepted) => accepted_on = Some(today),
        (_, CaseStatus::Suspended) => suspended_on = Some(today),
        (CaseStatus::Suspended, CaseStatus::Verifying) => {
            let since = suspended_on.unwrap_or(today);
            paused_days += i32::try_from((today - since).num_days()).unwrap_or(0);
            suspended_on = None;
            event = "resumed";
        }
        _ => {}
    }
    let extensions = repo::extensions(&mut tx, row.id).await?;
    let mut next = row.clone();
    next.accepted_on = accepted_on;
    next.paused_days = paused_days;
    let due = deadline::due(to, &clock(&next, kind, &extensions), &holidays).map(|d| d.on);
    let agency_now = if to == CaseStatus::Transferred {
        agency_name.clone()
    } else {
        row.agency.clone()
    };
    repo::save_state(
        &mut tx,
        row.id,
        &repo::State {
            status: to,
            agency: &agency_now,
            complexity: row.complexity,
            accepted_on,
            suspended_on,
            paused_days,
            due_on: due,
        },
    )
    .await?;
    repo::add_event(
        &mut tx,
        &repo::Event {
            case_id: row.id,
            actor: Some(user.id),
            event,
            status: to,
            public: true,
            public_note: &public_note,
            internal_note: &internal_note,
            extension_days: None,
            due_on: due,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &user,
        &state.settings.trusted_proxies,
        Entry {
            action: "case.status_changed",
            record_type: "case",
            record_id: code.as_str(),
            office: Some(row.office_id),
            details: json!({ "from": from.as_str(), "to": to.as_str() }),
        },
    )
    .await?;
    let step = step_label(event, to, due, row_locale(&row));
    notify::queue_update(&mut tx, &row, &step, &public_note, due).await?;
    tx.commit().await?;
    after_change(&state, &user, &code, locale).await
}

/// `POST /api/staff/cases/assign`. Supervisors and administrators decide
/// who handles a case: the assigned officer sees a denouncer, so nobody
/// becomes "the officer handling it" by their own hand.
pub async fn assign(code: String, officer: String) -> Result<CaseDetail, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::AssignCases).await?;
    let code = parse_code(&code, locale)?;
    if officer.trim().is_empty() {
        return Err(AppError::invalid(
            "officer",
            ValidationCode::Required,
            locale,
        ));
    }
    let mut tx = state.pool.begin().await?;
    let row = locked(&mut tx, &user, &code).await?;
    let officers = repo::officers(&state.pool, row.office_id).await?;
    let wanted = officer.trim().to_lowercase();
    let Some(chosen) = officers.iter().find(|o| o.email == wanted) else {
        return Err(AppError::invalid(
            "officer",
            ValidationCode::InvalidChoice,
            locale,
        ));
    };
    repo::assign(&mut tx, row.id, chosen.id).await?;
    repo::add_event(
        &mut tx,
        &repo::Event {
            case_id: row.id,
            actor: Some(user.id),
            event: "assigned",
            status: row.status,
            public: false,
            public_note: "",
            internal_note: &chosen.display_name,
            extension_days: None,
            due_on: row.due_on,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &user,
        &state.settings.trusted_proxies,
        Entry {
            action: "case.assigned",
            record_type: "case",
            record_id: code.as_str(),
            office: Some(row.office_id),
            details: json!({ "officer": chosen.email }),
        },
    )
    .await?;
    tx.commit().await?;
    after_change(&state, &user, &code, locale).await
}

/// `POST /api/staff/cases/extend`.
pub async fn extend(
    code: String,
    complexity: String,
    days: String,
    reason: String,
) -> Result<CaseDetail, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::Cases).await?;
    let mut f = Fields::new(locale);
    let code = f.check("code", TrackingCode::parse(&code));
    let complexity = f.check("complexity", choice(&complexity, Complexity::parse));
    let days = f.check(
        "days",
        match days.trim() {
            "" => Ok(None),
            raw => raw
                .parse::<u32>()
                .map(Some)
                .map_err(|_| ValidationCode::InvalidNumber),
        },
    );
    let reason = f.check("reason", note_field(&reason));
    if reason.as_deref() == Some("") {
        f.push("reason", ValidationCode::Required);
    }
    let (code, complexity, days, reason) = f.done((code, complexity, days, reason))?;
    let holidays = repo::holidays(&state.pool).await?;
    let mut tx = state.pool.begin().await?;
    let row = locked(&mut tx, &user, &code).await?;
    let (kind, status) = (row.kind, row.status);
    let mut extensions = repo::extensions(&mut tx, row.id).await?;
    let days = match kind {
        CaseKind::Denunciation => days.unwrap_or(0),
        _ => 0,
    };
    match deadline::check_extension(kind, status, complexity, extensions.len(), days) {
        Ok(()) => {}
        Err(deadline::ExtensionError::TooLong) => {
            return Err(AppError::invalid(
                "days",
                ValidationCode::InvalidNumber,
                locale,
            ))
        }
        Err(deadline::ExtensionError::NotAllowed) => return Err(invalid_transition()),
    }
    let before: Option<deadline::Due> =
        deadline::due(status, &clock(&row, kind, &extensions), &holidays);
    let mut next = row.clone();
    next.complexity = complexity;
    extensions.push(i32::try_from(days).unwrap_or(0));
    let due = deadline::due(status, &clock(&next, kind, &extensions), &holidays);
    let added = match (&before, &due) {
        (Some(b), Some(a)) => i32::try_from((a.on - b.on).num_days()).unwrap_or(0),
        _ => 0,
    };
    let recorded = if kind == CaseKind::Denunciation {
        i32::try_from(days).unwrap_or(0)
    } else {
        added
    };
    let due_on = due.map(|d| d.on);
    repo::save_state(
        &mut tx,
        row.id,
        &repo::State {
            status: row.status,
            agency: &row.agency,
            complexity,
            accepted_on: row.accepted_on,
            suspended_on: row.suspended_on,
            paused_days: row.paused_days,
            due_on,
        },
    )
    .await?;
    repo::add_event(
        &mut tx,
        &repo::Event {
            case_id: row.id,
            actor: Some(user.id),
            event: "extended",
            status: row.status,
            public: true,
            public_note: &reason,
            internal_note: "",
            extension_days: Some(recorded.clamp(0, 60)),
            due_on,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &user,
        &state.settings.trusted_proxies,
        Entry {
            action: "case.extended",
            record_type: "case",
            record_id: code.as_str(),
            office: Some(row.office_id),
            details: json!({ "complexity": complexity.as_str(), "days": recorded }),
        },
    )
    .await?;
    let step = step_label("extended", status, due_on, row_locale(&row));
    notify::queue_update(&mut tx, &row, &step, &reason, due_on).await?;
    tx.commit().await?;
    after_change(&state, &user, &code, locale).await
}
