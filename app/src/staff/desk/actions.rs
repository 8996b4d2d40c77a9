//! What the desk does to bookings: the status changes, notes and walk-ins,
//! with the way back to the day a plain form post came from.

use super::ahead::{self, Ahead};
use super::propose::{self, ProposeError};
use super::repo::{self as desk, DeskError};
use super::walk_in::{self, Place, WalkIn, WalkInError};
use super::{DeskAction, DeskResult, PriorityForm, Proposed, WalkInForm};
use crate::booking::citizen::nfc;
use crate::booking::citizen::{Citizen, Visit};
use crate::booking::{BookingCode, BookingStatus, PriorityGroup, ProposalInfo};
use crate::error::{AppError, ConflictReason, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::offices::repo as offices;
use crate::ssr::{app_state, respond::is_plain_form_post};
use crate::staff::auth::{self, Permission};
use crate::time::rfc3339;
use chrono::Utc;
use chrono_tz::Asia::Ho_Chi_Minh;

fn desk_error(error: DeskError) -> AppError {
    match error {
        DeskError::NotFound => AppError::NotFound,
        DeskError::OtherOffice => AppError::Forbidden,
        DeskError::InvalidTransition(_) => AppError::Conflict {
            reason: ConflictReason::InvalidTransition,
        },
        DeskError::NotToday => AppError::Conflict {
            reason: ConflictReason::NotToday,
        },
        DeskError::NotYetBegun => AppError::Conflict {
            reason: ConflictReason::NotYetBegun,
        },
        DeskError::Db(e) => e.into(),
    }
}

/// Sends a browser that posted a plain form back to the day it acted on,
/// with what was done.
fn back_to_day(office: &str, starts_at: chrono::DateTime<Utc>, done: &str, code: &str) {
    if is_plain_form_post() {
        let date = starts_at.with_timezone(&Ho_Chi_Minh).date_naive();
        leptos_axum::redirect(&format!(
            "/staff?office={office}&date={date}&done={done}&code={code}"
        ));
    }
}

fn parse_code(raw: &str, locale: Locale) -> Result<BookingCode, AppError> {
    BookingCode::parse(raw).map_err(|code| AppError::invalid("code", code, locale))
}

/// The front-desk actions.
pub async fn act(action: DeskAction, code: String, reason: String) -> Result<DeskResult, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::FrontDesk).await?;
    let code = parse_code(&code, locale)?;
    let reason = reason.trim().to_owned();
    if action.needs_reason() {
        if reason.is_empty() {
            return Err(AppError::invalid(
                "reason",
                ValidationCode::Required,
                locale,
            ));
        }
        if reason.chars().count() > 500 {
            return Err(AppError::invalid("reason", ValidationCode::TooLong, locale));
        }
    }
    let booking = desk::apply(
        &state.pool,
        &user,
        &state.settings.trusted_proxies,
        code.as_str(),
        action,
        &reason,
    )
    .await
    .map_err(desk_error)?;
    back_to_day(
        &booking.office_slug,
        booking.starts_at,
        action.resulting_status().as_str(),
        &booking.code,
    );
    Ok(DeskResult {
        code: booking.code,
        status: booking.status,
    })
}

/// A slot's start as RFC 3339, or as the desk's date-and-time field sends
/// it (`YYYY-MM-DDTHH:MM`, Vietnam time).
fn proposed_start(raw: &str) -> Result<chrono::DateTime<Utc>, ValidationCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ValidationCode::Required);
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .ok()
        .and_then(|local| local.and_local_timezone(Ho_Chi_Minh).single())
        .map(|t| t.with_timezone(&Utc))
        .ok_or(ValidationCode::InvalidSlot)
}

/// `POST /api/staff/bookings/propose`.
pub async fn propose(
    code: String,
    starts_at: String,
    message: String,
) -> Result<Proposed, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::FrontDesk).await?;
    let mut f = Fields::new(locale);
    let code = f.check("code", BookingCode::parse(&code));
    let at = f.check("starts_at", proposed_start(&starts_at));
    let message = nfc(message.trim());
    let fits = f.check(
        "message",
        if message.chars().count() > 500 {
            Err(ValidationCode::TooLong)
        } else {
            Ok(())
        },
    );
    let (code, at, ()) = f.done((code, at, fits))?;
    let (booking, proposal) = propose::propose(
        &state.pool,
        &user,
        &state.settings.trusted_proxies,
        &propose::Proposal {
            code: code.as_str(),
            starts_at: at,
            message: &message,
            hours: state.settings.proposal_hours,
        },
    )
    .await
    .map_err(|e| match e {
        ProposeError::NotFound => AppError::NotFound,
        ProposeError::OtherOffice => AppError::Forbidden,
        ProposeError::NotRequested(_) => AppError::Conflict {
            reason: ConflictReason::InvalidTransition,
        },
        ProposeError::AlreadyOpen => AppError::Conflict {
            reason: ConflictReason::AlreadyProposed,
        },
        ProposeError::Full => AppError::Conflict {
            reason: ConflictReason::SlotFull,
        },
        ProposeError::NoSuchSlot => {
            AppError::invalid("starts_at", ValidationCode::InvalidSlot, locale)
        }
        ProposeError::Db(e) => e.into(),
    })?;
    back_to_day(
        &booking.office_slug,
        booking.starts_at,
        "proposed",
        &booking.code,
    );
    Ok(Proposed {
        code: booking.code,
        status: booking.status,
        proposal: ProposalInfo {
            starts_at: rfc3339(proposal.starts_at),
            ends_at: rfc3339(proposal.ends_at),
            expires_at: rfc3339(proposal.expires_at),
            message: proposal.message,
        },
    })
}

/// `POST /api/staff/bookings/note`.
pub async fn note(code: String, note: String) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::FrontDesk).await?;
    let code = parse_code(&code, locale)?;
    let note = note.trim();
    if note.is_empty() {
        return Err(AppError::invalid("note", ValidationCode::Required, locale));
    }
    if note.chars().count() > 1000 {
        return Err(AppError::invalid("note", ValidationCode::TooLong, locale));
    }
    desk::add_note(
        &state.pool,
        &user,
        &state.settings.trusted_proxies,
        code.as_str(),
        note,
    )
    .await
    .map_err(desk_error)?;
    if let Some(booking) = crate::booking::repo::by_code(&state.pool, code.as_str()).await? {
        back_to_day(
            &booking.office_slug,
            booking.starts_at,
            "noted",
            &booking.code,
        );
    }
    Ok(())
}

/// `now`, or the RFC 3339 start of a slot.
fn walk_in_place(raw: &str) -> Result<Place, ValidationCode> {
    if raw.trim() == "now" {
        return Ok(Place::Now);
    }
    chrono::DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| Place::Slot(t.with_timezone(&Utc)))
        .map_err(|_| ValidationCode::InvalidSlot)
}

/// `POST /api/staff/bookings/walk-in`.
pub async fn walk_in(form: WalkInForm) -> Result<DeskResult, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::FrontDesk).await?;
    let office = offices::by_slug(&state.pool, form.office.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    auth::require_office(&user, office.id)?;
    let mut f = Fields::new(locale);
    let place = f.check("starts_at", walk_in_place(&form.starts_at));
    let citizen = Citizen::parse(&form.citizen, &mut f);
    let visit = Visit::parse(&form.visit, &mut f);
    let (place, citizen, visit) = f.done((place, citizen, visit))?;
    let back_at = match place {
        Place::Slot(at) => at,
        Place::Now => Utc::now(),
    };
    let w = WalkIn {
        office: office.id,
        place,
        citizen,
        visit,
    };
    let code = walk_in::register(&state.pool, &user, &state.settings.trusted_proxies, &w)
        .await
        .map_err(|e| desk_booking_error(e, locale))?;
    back_to_day(&office.slug, back_at, "checked_in", &code);
    Ok(DeskResult {
        code,
        status: BookingStatus::CheckedIn,
    })
}

fn desk_booking_error(e: WalkInError, locale: Locale) -> AppError {
    match e {
        WalkInError::Full => AppError::Conflict {
            reason: ConflictReason::SlotFull,
        },
        WalkInError::NoSuchSlot | WalkInError::NotAllowed => {
            AppError::invalid("starts_at", ValidationCode::InvalidSlot, locale)
        }
        WalkInError::AlreadyBooked => AppError::Conflict {
            reason: ConflictReason::AlreadyBooked,
        },
        WalkInError::Db(e) => e.into(),
    }
}

/// `POST /api/staff/bookings/priority`.
pub async fn priority(form: PriorityForm) -> Result<DeskResult, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::FrontDesk).await?;
    let office = offices::by_slug(&state.pool, form.office.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    auth::require_office(&user, office.id)?;
    let mut f = Fields::new(locale);
    let at = f.check("starts_at", proposed_start(&form.starts_at));
    let group = f.check("priority", PriorityGroup::parse(&form.priority));
    let citizen = Citizen::parse(&form.citizen, &mut f);
    let visit = Visit::parse(&form.visit, &mut f);
    let (starts_at, group, citizen, visit) = f.done((at, group, citizen, visit))?;
    let a = Ahead {
        office: office.id,
        starts_at,
        group,
        citizen,
        visit,
    };
    let code = ahead::book(&state.pool, &user, &state.settings.trusted_proxies, &a)
        .await
        .map_err(|e| desk_booking_error(e, locale))?;
    back_to_day(&office.slug, starts_at, "confirmed", &code);
    Ok(DeskResult {
        code,
        status: BookingStatus::Confirmed,
    })
}
