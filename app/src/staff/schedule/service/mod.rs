//! What the schedule server functions do: check the member (officer of the
//! office, or admin), validate each field, apply the rule through
//! [`repo`](super::repo), run the slot generator, and shape the answer or
//! the redirect back to the page.

mod days;
mod rules;

pub use days::{block, close_day, reopen_day, slot_capacity, slot_kept};
pub use rules::{
    hours_add, hours_remove, settings, special_add, special_remove, HoursForm, SettingsForm,
};

use super::repo::{self, Change, RuleError};
use super::{ClosedDay, ScheduleView, SpecialHours, WeeklyHours};
use crate::booking::generator::generate;
use crate::error::{AppError, ConflictReason, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::offices::repo::{self as offices, OfficeRow};
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::staff::auth::{self, Permission, StaffUser};

use crate::time::today_vn;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// Collects every field's problem so a form shows them all at once.
fn number<T: std::str::FromStr + PartialOrd>(
    raw: &str,
    min: T,
    max: T,
) -> Result<T, ValidationCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ValidationCode::Required);
    }
    raw.parse::<T>()
        .ok()
        .filter(|n| *n >= min && *n <= max)
        .ok_or(ValidationCode::InvalidNumber)
}

fn time(raw: &str) -> Result<NaiveTime, ValidationCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ValidationCode::Required);
    }
    NaiveTime::parse_from_str(raw, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(raw, "%H:%M:%S"))
        .map_err(|_| ValidationCode::InvalidTime)
}

/// A date from today on.
fn future_date(raw: &str) -> Result<NaiveDate, ValidationCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ValidationCode::Required);
    }
    let date =
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| ValidationCode::InvalidDate)?;
    if date < today_vn() {
        return Err(ValidationCode::PastDate);
    }
    Ok(date)
}

fn reason(raw: &str, required: bool) -> Result<String, ValidationCode> {
    let raw = raw.trim();
    if raw.is_empty() && required {
        return Err(ValidationCode::Required);
    }
    if raw.chars().count() > 500 {
        return Err(ValidationCode::TooLong);
    }
    Ok(raw.to_owned())
}

fn starts_at(raw: &str) -> Result<DateTime<Utc>, ValidationCode> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ValidationCode::InvalidSlot)
}

fn hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// The member (officer or admin) and the office they act on (404 unknown,
/// 403 not theirs). An empty slug means their first office.
async fn member_and_office(
    state: &AppState,
    slug: &str,
) -> Result<(StaffUser, OfficeRow), AppError> {
    let user = auth::require(state, Permission::Schedules).await?;
    let office = if slug.trim().is_empty() {
        offices::among(&state.pool, &user.office_ids)
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::Forbidden)?
    } else {
        offices::by_slug(&state.pool, slug.trim())
            .await?
            .ok_or(AppError::NotFound)?
    };
    auth::require_office(&user, office.id)?;
    Ok((user, office))
}

fn rule_error(error: RuleError, locale: Locale, overlap_field: &str) -> AppError {
    match error {
        RuleError::BelowTaken => AppError::Conflict {
            reason: ConflictReason::CapacityBelowTaken,
        },
        RuleError::Overlap => AppError::invalid(overlap_field, ValidationCode::Overlaps, locale),
        RuleError::KeptAboveCapacity => {
            AppError::invalid("kept_walk_in", ValidationCode::KeptAboveCapacity, locale)
        }
        RuleError::NotFound => AppError::NotFound,
        RuleError::Db(e) => e.into(),
    }
}

/// Runs the generator so the change shows at once; a failure only delays
/// it to the next maintenance pass.
async fn regenerate(state: &AppState) {
    if let Err(e) = generate(&state.pool).await {
        tracing::warn!(error = %e, "slot generation after a schedule change failed");
    }
}

fn back(path: &str, office: &str, done: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("{path}?office={office}&done={done}"));
    }
}

/// `GET /api/staff/schedule`.
pub async fn view(office: String) -> Result<ScheduleView, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &office).await?;
    let mine = offices::among(&state.pool, &user.office_ids).await?;
    let settings = repo::settings(&state.pool, office.id).await?;
    let hours = repo::hours(&state.pool, office.id).await?;
    let special = repo::special(&state.pool, office.id).await?;
    let closed = repo::closures(&state.pool, office.id).await?;
    Ok(ScheduleView {
        office: office.choice(locale),
        offices: mine.iter().map(|o| o.choice(locale)).collect(),
        horizon_days: settings.horizon_days,
        min_notice_minutes: settings.min_notice_minutes,
        walk_ins_outside_slots: settings.walk_ins_outside_slots,
        kept_walk_in: settings.kept_walk_in,
        kept_priority: settings.kept_priority,
        kept_release_hours: settings.kept_release_hours,
        hours: hours
            .into_iter()
            .map(|h| WeeklyHours {
                weekday: h.weekday,
                opens: hhmm(h.opens),
                closes: hhmm(h.closes),
                slot_minutes: h.slot_minutes,
                capacity: h.capacity,
            })
            .collect(),
        special: special
            .into_iter()
            .map(|h| SpecialHours {
                date: h.day.format("%Y-%m-%d").to_string(),
                opens: hhmm(h.opens),
                closes: hhmm(h.closes),
                slot_minutes: h.slot_minutes,
                capacity: h.capacity,
            })
            .collect(),
        closed: closed
            .into_iter()
            .map(|c| ClosedDay {
                date: c.day.format("%Y-%m-%d").to_string(),
                reason: c.reason,
            })
            .collect(),
    })
}

fn change<'a>(
    state: &'a AppState,
    user: &'a StaffUser,
    office: &'a OfficeRow,
    action: &'a str,
    details: serde_json::Value,
) -> Change<'a> {
    Change {
        user,
        trusted: &state.settings.trusted_proxies,
        office: office.id,
        action,
        record: &office.slug,
        details,
    }
}
