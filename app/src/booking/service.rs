//! What the booking server functions do: read and validate the request,
//! apply rate limits, call [`repo`](super::repo), and shape the answer (or
//! the redirect, for a browser posting a plain form).

use super::repo::{BookError, SlotProblem};
use super::slots;
use super::{validate, BookingCode, OfficeSummary, SlotInfo};
use crate::error::{AppError, ConflictReason, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::offices::repo::{self as offices, OfficeRow};
use crate::ssr::limits::{self, Limit};
use crate::ssr::{app_state, client, AppState};
use crate::time::{rfc3339, today_vn};
use chrono::NaiveDate;

pub(super) const HOUR: i32 = 3600;

pub(super) fn slot_id(raw: &str) -> Result<i64, ValidationCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ValidationCode::Required);
    }
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(ValidationCode::InvalidSlot)
}

pub(super) fn parse_date(raw: &str) -> Result<NaiveDate, ValidationCode> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| ValidationCode::InvalidDate)
}

pub(super) async fn office(state: &AppState, slug: &str) -> Result<OfficeRow, AppError> {
    offices::by_slug(&state.pool, slug.trim())
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) fn office_summary(row: &OfficeRow, locale: Locale) -> OfficeSummary {
    OfficeSummary {
        slug: row.slug.clone(),
        name: row.name(locale).to_owned(),
        address: row.address(locale).to_owned(),
    }
}

pub(super) fn slot_info(row: &slots::SlotRow) -> SlotInfo {
    SlotInfo {
        id: row.id,
        starts_at: rfc3339(row.starts_at),
        ends_at: rfc3339(row.ends_at),
        capacity: row.capacity,
        remaining: row.capacity - row.taken,
    }
}

pub(super) fn book_error(error: BookError, locale: Locale, slot_field: &str) -> AppError {
    match error {
        BookError::Slot(SlotProblem::Full) => AppError::Conflict {
            reason: ConflictReason::SlotFull,
        },
        BookError::Slot(SlotProblem::NotBookable) => {
            AppError::invalid(slot_field, ValidationCode::InvalidSlot, locale)
        }
        BookError::AlreadyBooked => AppError::Conflict {
            reason: ConflictReason::AlreadyBooked,
        },
        BookError::InvalidTransition => AppError::Conflict {
            reason: ConflictReason::InvalidTransition,
        },
        BookError::TooLate => AppError::Conflict {
            reason: ConflictReason::TooLate,
        },
        BookError::Db(e) => e.into(),
    }
}

/// How a citizen proves a booking or a waiting-list entry is theirs.
pub(super) enum Proof {
    /// The private link's token.
    Token(String),
    /// The code and the phone it was made with (canonical).
    Code(BookingCode, String),
}

/// Finds what a request speaks of, proven by `token` or by `code` + `phone`
/// (`find` looks it up; for a code it must also match the phone). Every
/// miss counts against the client address before the record is looked at,
/// and answers the same 404 whichever part was wrong; a match hands the
/// attempt back.
pub(super) async fn find_holder<T>(
    state: &AppState,
    locale: Locale,
    code: &str,
    phone: &str,
    token: &str,
    find: impl AsyncFnOnce(Proof) -> Result<Option<T>, sqlx::Error>,
) -> Result<T, AppError> {
    let (found, attempt) = find_holder_counted(state, locale, code, phone, token, find).await?;
    attempt.give_back(&state.pool).await?;
    Ok(found)
}

/// [`find_holder`], with the look-up's attempt still counted on a match:
/// the caller gives it back once the rest of the proof holds, or drops it
/// to count a failure. One attempt, taken once: handing it back and taking
/// another would let two requests in flight refuse each other without
/// either being counted.
pub(super) async fn find_holder_counted<T>(
    state: &AppState,
    locale: Locale,
    code: &str,
    phone: &str,
    token: &str,
    find: impl AsyncFnOnce(Proof) -> Result<Option<T>, sqlx::Error>,
) -> Result<(T, limits::Claim), AppError> {
    let token = token.trim();
    let proof = if token.is_empty() {
        let mut c = Fields::new(locale);
        let code = c.check("code", BookingCode::parse(code));
        let phone = c.check("phone", validate::phone(phone));
        let (code, phone) = c.done((code, phone))?;
        Some(Proof::Code(code, phone))
    } else {
        // No token is this long: nothing to hash or look up.
        (token.len() <= 128).then(|| Proof::Token(token.to_owned()))
    };
    let claim = limits::claim(
        &state.pool,
        &[Limit::new(
            client_key(state, "lookup"),
            limits::QUARTER_HOUR,
            state.settings.lookup_failures_per_15_min,
        )],
    )
    .await?;
    let found = match proof {
        Some(proof) => find(proof).await?,
        None => None,
    };
    let Some(found) = found else {
        return Err(AppError::NotFound);
    };
    Ok((found, claim))
}

pub(super) fn client_key(state: &AppState, action: &str) -> String {
    format!(
        "{action}:{}",
        client::client_key(&state.settings.trusted_proxies)
    )
}

/// `GET /api/slots`.
pub async fn list_slots(
    office_slug: String,
    from: Option<String>,
    days: Option<String>,
) -> Result<Vec<SlotInfo>, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let mut checker = Fields::new(locale);
    let from = match from.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(raw) => checker.check("from", parse_date(raw)),
        None => Some(today_vn()),
    };
    let days = match days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(raw) => checker.check(
            "days",
            raw.parse::<i32>()
                .ok()
                .filter(|d| (1..=62).contains(d))
                .ok_or(ValidationCode::InvalidChoice),
        ),
        None => Some(14),
    };
    let (from, days) = checker.done((from, days))?;
    let office = office(&state, &office_slug).await?;
    let slots = slots::bookable_slots(&state.pool, office.id, from, days).await?;
    Ok(slots.iter().map(slot_info).collect())
}
