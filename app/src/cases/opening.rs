//! Opening a case: from a reception that took place (the citizen's details
//! carried over) or by hand.

use super::deadline::Clock;
use super::form::{choice, flag, kind_field, nfc, received_field};
use super::notify;
use super::notify::row_locale;
use super::repo;
use super::{
    deadline, CaseCreated, CaseForm, CaseKind, CaseStatus, Channel, Complexity, TrackingCode,
};
use crate::booking::citizen::Citizen;
use crate::booking::{validate, BookingCode, BookingStatus};
use crate::error::{AppError, ConflictReason, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::offices::repo as offices;
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::{self, Permission, StaffUser};
use crate::staff::Role;
use crate::time::today_vn;
use chrono::NaiveDate;
use leptos_i18n::Locale as _;
use serde_json::json;

/// Who and what a new case is about, validated.
struct Opening {
    office_id: uuid::Uuid,
    booking_id: Option<uuid::Uuid>,
    kind: CaseKind,
    summary: String,
    channel: Channel,
    received_on: NaiveDate,
    full_name: String,
    citizen_id: Option<String>,
    phone: String,
    email: Option<String>,
    locale: String,
}

/// `POST /api/staff/cases/create`.
pub async fn create(form: CaseForm) -> Result<CaseCreated, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::FrontDesk).await?;
    let today = today_vn();
    let opening = if form.booking_code.trim().is_empty() {
        by_hand(&state, &user, &form, locale, today).await?
    } else {
        match from_booking(&state, &user, &form, locale).await? {
            Ok(opening) => opening,
            // The reception already has its case: answer that one.
            Err(existing) => return Ok(opened(existing)),
        }
    };
    let notify = flag(&form.notify) && opening.email.is_some();
    let remote = flag(&form.remote_area);
    let holidays = repo::holidays(&state.pool).await?;
    let clock = Clock {
        kind: opening.kind,
        received_on: opening.received_on,
        accepted_on: None,
        complexity: Complexity::Normal,
        remote,
        extensions: vec![],
        paused_days: 0,
    };
    let due = deadline::due(CaseStatus::Received, &clock, &holidays).map(|d| d.on);
    // An officer who opens a complaint or petition handles it until someone
    // reassigns it. A denunciation waits for a supervisor or an administrator
    // to assign it: whoever handles it sees the denouncer.
    let assigned_to =
        (user.role == Role::Officer && opening.kind != CaseKind::Denunciation).then_some(user.id);
    let mut tx = state.pool.begin().await?;
    let mut attempt = 0;
    let code = loop {
        let code = TrackingCode::random();
        let new = repo::NewCase {
            code: code.as_str(),
            kind: opening.kind,
            summary: &opening.summary,
            channel: opening.channel,
            received_on: opening.received_on,
            office_id: opening.office_id,
            booking_id: opening.booking_id,
            assigned_to,
            remote_area: remote,
            due_on: due,
            full_name: &opening.full_name,
            citizen_id: opening.citizen_id.as_deref(),
            phone: &opening.phone,
            email: opening.email.as_deref(),
            notify,
            locale: &opening.locale,
        };
        match repo::insert(&mut tx, &new, user.id).await {
            Ok(Some(_)) => break code,
            Ok(None) if attempt < 3 => attempt += 1,
            Ok(None) => return Err(AppError::Internal),
            Err(sqlx::Error::Database(db)) if db.constraint() == Some("cases_booking_id_key") => {
                // Two members opened the same reception at once.
                return Err(AppError::Conflict {
                    reason: ConflictReason::Changed,
                });
            }
            Err(e) => return Err(e.into()),
        }
    };
    audit::record(
        &mut tx,
        &user,
        &state.settings.trusted_proxies,
        Entry {
            action: "case.created",
            record_type: "case",
            record_id: code.as_str(),
            office: Some(opening.office_id),
            details: json!({
                "kind": opening.kind.as_str(),
                "channel": opening.channel.as_str(),
                "from_booking": !form.booking_code.trim().is_empty(),
            }),
        },
    )
    .await?;
    if notify {
        let row = repo::lock(&mut tx, code.as_str())
            .await?
            .ok_or(AppError::Internal)?;
        let label = CaseStatus::Received.label(row_locale(&row));
        notify::queue_update(&mut tx, &row, label, "", due).await?;
    }
    tx.commit().await?;
    Ok(opened(code.as_str().to_owned()))
}

fn opened(code: String) -> CaseCreated {
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("/staff/cases/view?code={code}"));
    }
    CaseCreated { code }
}

/// `Err(code)` when the booking already has a case.
async fn from_booking(
    state: &AppState,
    user: &StaffUser,
    form: &CaseForm,
    locale: Locale,
) -> Result<Result<Opening, String>, AppError> {
    let mut f = Fields::new(locale);
    let code = f.check("booking_code", BookingCode::parse(&form.booking_code));
    let kind = if form.kind.trim().is_empty() {
        None
    } else {
        f.check("kind", kind_field(&form.kind))
    };
    let summary = if form.summary.trim().is_empty() {
        None
    } else {
        f.check("summary", validate::summary(&nfc(&form.summary)))
    };
    let code = f.done(code)?;
    let booking = repo::booking_ref(&state.pool, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    auth::require_office(user, booking.office_id)?;
    if let Some(existing) = booking.case_code {
        return Ok(Err(existing));
    }
    // A case follows a reception that took place.
    if !matches!(
        booking.status,
        BookingStatus::CheckedIn | BookingStatus::Completed
    ) {
        return Err(AppError::Conflict {
            reason: ConflictReason::InvalidTransition,
        });
    }
    let contact = repo::booking_contact(&state.pool, booking.id).await?;
    Ok(Ok(Opening {
        office_id: booking.office_id,
        booking_id: Some(booking.id),
        kind: kind.unwrap_or(booking.topic.into()),
        summary: summary.unwrap_or(contact.summary),
        channel: Channel::Reception,
        received_on: contact.received_on,
        full_name: contact.full_name,
        citizen_id: Some(contact.citizen_id),
        phone: contact.phone,
        email: contact.email,
        locale: contact.locale,
    }))
}

async fn by_hand(
    state: &AppState,
    user: &StaffUser,
    form: &CaseForm,
    locale: Locale,
    today: NaiveDate,
) -> Result<Opening, AppError> {
    let mut f = Fields::new(locale);
    let office = if form.office.trim().is_empty() {
        f.push("office", ValidationCode::Required);
        None
    } else {
        offices::by_slug(&state.pool, form.office.trim()).await?
    };
    if office.is_none() && !form.office.trim().is_empty() {
        f.push("office", ValidationCode::InvalidChoice);
    }
    let kind = f.check("kind", kind_field(&form.kind));
    let summary = f.check("summary", validate::summary(&nfc(&form.summary)));
    let citizen = Citizen::parse_cccd_optional(&form.citizen, &mut f);
    if flag(&form.notify) && form.citizen.email.trim().is_empty() {
        f.push("email", ValidationCode::Required);
    }
    let channel = f.check("channel", choice(&form.channel, Channel::parse));
    let received_on = f.check("received_on", received_field(&form.received_on, today));
    let (office, kind, summary, citizen, channel, received_on) =
        f.done((office, kind, summary, citizen, channel, received_on))?;
    auth::require_office(user, office.id)?;
    Ok(Opening {
        office_id: office.id,
        booking_id: None,
        kind,
        summary,
        channel,
        received_on,
        full_name: citizen.full_name,
        citizen_id: citizen.citizen_id,
        phone: citizen.phone,
        email: citizen.email,
        locale: locale.as_str().to_owned(),
    })
}
