//! What the staff server functions do: check who is asking, validate, call
//! [`desk`](super::desk) or [`audit`](super::audit), and shape the answer
//! (or the redirect, for a browser posting a plain form).

use super::audit::{self, Entry};
use super::auth::{self, Credentials, Permission, StaffUser};
use super::confidentiality::{self, Matter};
use super::desk::{self, DeskError, DeskRow, OfficeRow};
use super::device;
use super::walk_in::{self, Place, WalkIn, WalkInError};
use super::{
    AuditEntry, DayCounts, DaySlot, DayView, DeskAction, DeskBooking, DeskResult, OfficeChoice,
    Role, SecondFactor, StaffProfile,
};
use crate::booking::citizen::{Citizen, CitizenInput, Visit, VisitInput};
use crate::booking::{BookingCode, BookingStatus, Topic};
use crate::error::{AppError, ConflictReason, Fields, ValidationCode};
use crate::i18n::{td_string, Locale};
use crate::locale::use_locale;
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::time::{rfc3339, today_vn};
use axum_login::AuthnBackend as _;
use chrono::{NaiveDate, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

pub(crate) fn office_choice(row: &OfficeRow, locale: Locale) -> OfficeChoice {
    OfficeChoice {
        slug: row.slug.clone(),
        name: match (locale, &row.name_en) {
            (Locale::en, Some(en)) => en.clone(),
            _ => row.name_vi.clone(),
        },
    }
}

pub(super) async fn profile(
    state: &AppState,
    user: &StaffUser,
    locale: Locale,
) -> Result<StaffProfile, AppError> {
    let offices = desk::offices_among(&state.pool, &user.office_ids).await?;
    Ok(StaffProfile {
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        offices: offices.iter().map(|o| office_choice(o, locale)).collect(),
        second_factor: None,
    })
}

/// `POST /api/staff/login`.
pub async fn login(email: String, password: String) -> Result<StaffProfile, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let mut f = Fields::new(locale);
    if email.trim().is_empty() {
        f.push("email", ValidationCode::Required);
    } else if email.len() > 254 {
        f.push("email", ValidationCode::TooLong);
    }
    if password.is_empty() {
        f.push("password", ValidationCode::Required);
    } else if password.len() > 1024 {
        f.push("password", ValidationCode::TooLong);
    }
    f.finish()?;
    // The attempt is counted before the password is looked at.
    let claim = device::claim_attempt(&state, &email).await?;
    let mut session = auth::session().await?;
    // The backend itself rather than `AuthSession::authenticate`, which
    // logs every refusal for lack of a hashing turn as an error.
    let user = match session
        .backend
        .authenticate(Credentials {
            email: email.clone(),
            password,
        })
        .await
    {
        Ok(user) => user,
        Err(e) => {
            // Refused for lack of a hashing turn, or broken: not an attempt.
            claim.give_back(&state.pool).await?;
            return Err(e.into());
        }
    };
    // Unknown e-mail and wrong password: the same 401, and the attempt stays
    // counted.
    let Some(user) = user else {
        return Err(AppError::Unauthorized);
    };
    claim.give_back(&state.pool).await?;
    if user.role == Role::Admin {
        // Administrators are signed in only after their second factor.
        super::totp::start(&session, &user).await?;
        let enrolled = super::totp::is_enrolled(&state.pool, user.id).await?;
        let (step, page) = if enrolled {
            (SecondFactor::Totp, "/staff/sign-in/code")
        } else {
            (SecondFactor::Enroll, "/staff/sign-in/enroll")
        };
        if is_plain_form_post() {
            leptos_axum::redirect(page);
        }
        let mut pending = profile(&state, &user, locale).await?;
        pending.second_factor = Some(step);
        return Ok(pending);
    }
    open_session(&state, &mut session, &user, None).await?;
    if is_plain_form_post() {
        leptos_axum::redirect("/staff");
    }
    profile(&state, &user, locale).await
}

/// Signs the member in once every step is passed: the session id rotates
/// (no fixation) and is tied to the password, the time and — for an
/// administrator, `second_factor` says how — the second step are stamped,
/// the browser becomes known to the sign-in limits (an administrator's only
/// now), and the sign-in is audited.
pub(super) async fn open_session(
    state: &AppState,
    session: &mut auth::AuthSession,
    user: &StaffUser,
    second_factor: Option<&str>,
) -> Result<(), AppError> {
    session.login(user).await.map_err(|e| {
        tracing::error!(error = %e, "could not open a staff session");
        AppError::Internal
    })?;
    auth::stamp_sign_in(session).await?;
    if second_factor.is_some() {
        auth::stamp_second_factor(session).await?;
    }
    device::remember(state, &user.email);
    let details = match second_factor {
        Some(how) => serde_json::json!({ "second_factor": how }),
        None => serde_json::json!({}),
    };
    audit::record_alone(
        &state.pool,
        user,
        &state.settings.trusted_proxies,
        Entry {
            action: "staff.sign_in",
            record_type: "staff_account",
            record_id: &user.id.to_string(),
            office: None,
            details,
        },
    )
    .await?;
    Ok(())
}

/// `POST /api/staff/logout`.
pub async fn logout() -> Result<(), AppError> {
    let state = app_state()?;
    let user = auth::current(&state).await;
    if is_plain_form_post() {
        leptos_axum::redirect("/staff/sign-in?signed_out=1");
    }
    let user = user?;
    audit::record_alone(
        &state.pool,
        &user,
        &state.settings.trusted_proxies,
        Entry {
            action: "staff.sign_out",
            record_type: "staff_account",
            record_id: &user.id.to_string(),
            office: None,
            details: serde_json::json!({}),
        },
    )
    .await?;
    let mut session = auth::session().await?;
    session.logout().await.map_err(|e| {
        tracing::error!(error = %e, "could not end a staff session");
        AppError::Internal
    })?;
    Ok(())
}

/// `GET /api/staff/me`.
pub async fn me() -> Result<StaffProfile, AppError> {
    let state = app_state()?;
    let user = auth::current(&state).await?;
    profile(&state, &user, use_locale()).await
}

/// A booking as `user` may see it: a denouncer's name, representatives and
/// summary withheld unless the one rule lets them through.
fn desk_booking(
    row: DeskRow,
    user: &StaffUser,
    office: uuid::Uuid,
    starts_at: &str,
    ends_at: &str,
    locale: Locale,
) -> Result<DeskBooking, AppError> {
    let (topic, status) = (row.topic, row.status);
    let visible = confidentiality::sees_identity(
        user,
        &Matter {
            denunciation: topic == Topic::Denunciation,
            office,
            handler: row.case_handler,
        },
    );
    let hidden = || td_string!(locale, cases.confidential).to_owned();
    Ok(DeskBooking {
        code: row.code,
        status,
        full_name: if visible { row.full_name } else { hidden() },
        party_size: row.party_size,
        representatives: if visible {
            row.representatives
        } else {
            row.representatives.iter().map(|_| hidden()).collect()
        },
        topic,
        summary: if visible { row.summary } else { hidden() },
        needs: row.needs,
        interpreter: row.interpreter,
        email_given: row.email_given,
        starts_at: starts_at.to_owned(),
        ends_at: ends_at.to_owned(),
        notes: row.notes,
        walk_in: row.walk_in,
        masked: !visible,
    })
}

/// `GET /api/staff/bookings`.
pub async fn day(office: String, date: String) -> Result<DayView, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::FrontDesk).await?;
    let mine = desk::offices_among(&state.pool, &user.office_ids).await?;
    let office = if office.trim().is_empty() {
        mine.first().ok_or(AppError::Forbidden)?.clone_row()
    } else {
        desk::office_by_slug(&state.pool, office.trim())
            .await?
            .ok_or(AppError::NotFound)?
    };
    auth::require_office(&user, office.id)?;
    let date = if date.trim().is_empty() {
        today_vn()
    } else {
        NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("date", ValidationCode::InvalidDate, locale))?
    };
    let slots = desk::day_slots(&state.pool, office.id, date).await?;
    let bookings = desk::day_bookings(&state.pool, office.id, date).await?;

    let mut counts = DayCounts::default();
    let mut pending = Vec::new();
    let mut day_slots: Vec<DaySlot> = Vec::with_capacity(slots.len());
    let mut by_slot: std::collections::HashMap<i64, usize> = Default::default();
    for slot in &slots {
        if !slot.withdrawn {
            counts.free += u32::try_from(slot.capacity - slot.taken).unwrap_or(0);
        }
        by_slot.insert(slot.id, day_slots.len());
        day_slots.push(DaySlot {
            starts_at: rfc3339(slot.starts_at),
            ends_at: rfc3339(slot.ends_at),
            capacity: slot.capacity,
            taken: slot.taken,
            withdrawn: slot.withdrawn,
            bookings: Vec::new(),
        });
    }
    let mut denouncers_shown = Vec::new();
    for row in bookings {
        let Some(&index) = by_slot.get(&row.slot_id) else {
            continue;
        };
        let slot = &mut day_slots[index];
        let booking = desk_booking(
            row,
            &user,
            office.id,
            &slot.starts_at,
            &slot.ends_at,
            locale,
        )?;
        if booking.topic == Topic::Denunciation && !booking.masked {
            denouncers_shown.push(booking.code.clone());
        }
        match booking.status {
            BookingStatus::Requested => {
                counts.pending += 1;
                pending.push(booking.clone());
            }
            BookingStatus::Confirmed => counts.expected += 1,
            BookingStatus::CheckedIn | BookingStatus::Completed => {
                counts.expected += 1;
                counts.arrived += 1;
            }
            BookingStatus::NoShow => {
                counts.expected += 1;
                counts.no_show += 1;
            }
            BookingStatus::Rejected | BookingStatus::Cancelled => {}
        }
        slot.bookings.push(booking);
    }
    audit::identity_viewed(
        &state.pool,
        &user,
        &state.settings.trusted_proxies,
        "booking",
        &denouncers_shown,
        office.id,
        "desk",
    )
    .await?;
    Ok(DayView {
        office: office_choice(&office, locale),
        offices: mine.iter().map(|o| office_choice(o, locale)).collect(),
        date: date.format("%Y-%m-%d").to_string(),
        previous_date: date
            .pred_opt()
            .unwrap_or(date)
            .format("%Y-%m-%d")
            .to_string(),
        next_date: date
            .succ_opt()
            .unwrap_or(date)
            .format("%Y-%m-%d")
            .to_string(),
        today: today_vn().format("%Y-%m-%d").to_string(),
        counts,
        can_edit_schedule: user.role.may(Permission::Schedules),
        walk_in_outside_slots: desk::walk_ins_outside_slots(&state.pool, office.id).await?,
        walk_in_slots: if date == today_vn() {
            desk::walk_in_slots(&state.pool, office.id)
                .await?
                .into_iter()
                .map(rfc3339)
                .collect()
        } else {
            Vec::new()
        },
        blocked: super::schedule::repo::blocked_on(&state.pool, office.id, date)
            .await?
            .into_iter()
            .map(|(at, reason)| super::BlockedSlot {
                starts_at: rfc3339(at),
                reason,
            })
            .collect(),
        pending,
        slots: day_slots,
    })
}

impl OfficeRow {
    fn clone_row(&self) -> OfficeRow {
        OfficeRow {
            id: self.id,
            slug: self.slug.clone(),
            name_vi: self.name_vi.clone(),
            name_en: self.name_en.clone(),
        }
    }
}

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

pub struct AuditQuery {
    pub action: String,
    pub actor: String,
    pub record: String,
    pub from: String,
    pub to: String,
}

fn optional_date(raw: &str, field: &str, locale: Locale) -> Result<Option<NaiveDate>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| AppError::invalid(field, ValidationCode::InvalidDate, locale))
}

/// `GET /api/staff/audit`.
pub async fn audit_trail(q: AuditQuery) -> Result<Vec<AuditEntry>, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    auth::require(&state, Permission::Admin).await?;
    let filter = audit::Filter {
        action: q.action.trim(),
        actor: q.actor.trim(),
        record: q.record.trim(),
        from: optional_date(&q.from, "from", locale)?,
        to: optional_date(&q.to, "to", locale)?,
        limit: 200,
    };
    let rows = audit::browse(&state.pool, &filter).await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: rfc3339(r.at),
            actor: r.actor_email,
            action: r.action,
            record_type: r.record_type,
            record_id: r.record_id,
            client_addr: r.client_addr,
            details: r.details.to_string(),
        })
        .collect())
}

/// The walk-in form as typed.
pub struct WalkInForm {
    pub office: String,
    pub starts_at: String,
    pub full_name: String,
    pub citizen_id: String,
    pub phone: String,
    pub email: String,
    pub topic: String,
    pub summary: String,
    pub party_size: String,
    pub representatives: String,
    pub needs: String,
    pub interpreter: Option<String>,
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
    let office = desk::office_by_slug(&state.pool, form.office.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    auth::require_office(&user, office.id)?;
    let mut f = Fields::new(locale);
    let place = f.check("starts_at", walk_in_place(&form.starts_at));
    let citizen = Citizen::parse(
        CitizenInput {
            full_name: &form.full_name,
            citizen_id: &form.citizen_id,
            phone: &form.phone,
            email: &form.email,
        },
        &mut f,
    );
    let visit = Visit::parse(
        VisitInput {
            topic: &form.topic,
            summary: &form.summary,
            party_size: &form.party_size,
            representatives: &form.representatives,
            needs: &form.needs,
            interpreter: form.interpreter.as_deref(),
        },
        &mut f,
    );
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
        .map_err(|e| match e {
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
        })?;
    back_to_day(&office.slug, back_at, "checked_in", &code);
    Ok(DeskResult {
        code,
        status: BookingStatus::CheckedIn,
    })
}
