//! What the schedule server functions do: check the member (officer of the
//! office, or admin), validate each field, apply the rule through
//! [`repo`](super::repo), run the slot generator, and shape the answer or
//! the redirect back to the page.

use super::repo::{self, Change, HoursRow, RuleError, SpecialRow};
use super::{ClosedDay, DayClosed, ScheduleView, SpecialHours, WeeklyHours};
use crate::booking::schedule::generate;
use crate::error::{AppError, ConflictReason, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::staff::auth::{self, Permission, StaffUser};
use crate::staff::desk::{self, OfficeRow};
use crate::staff::OfficeChoice;
use crate::time::today_vn;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

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

fn office_choice(row: &OfficeRow, locale: Locale) -> OfficeChoice {
    OfficeChoice {
        slug: row.slug.clone(),
        name: match (locale, &row.name_en) {
            (Locale::en, Some(en)) => en.clone(),
            _ => row.name_vi.clone(),
        },
    }
}

/// The member (officer or admin) and the office they act on (404 unknown,
/// 403 not theirs). An empty slug means their first office.
async fn member_and_office(
    state: &AppState,
    slug: &str,
) -> Result<(StaffUser, OfficeRow), AppError> {
    let user = auth::require(state, Permission::Schedules).await?;
    let office = if slug.trim().is_empty() {
        desk::offices_among(&state.pool, &user.office_ids)
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::Forbidden)?
    } else {
        desk::office_by_slug(&state.pool, slug.trim())
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
    let mine = desk::offices_among(&state.pool, &user.office_ids).await?;
    let settings = repo::settings(&state.pool, office.id).await?;
    let hours = repo::hours(&state.pool, office.id).await?;
    let special = repo::special(&state.pool, office.id).await?;
    let closed = repo::closures(&state.pool, office.id).await?;
    Ok(ScheduleView {
        office: office_choice(&office, locale),
        offices: mine.iter().map(|o| office_choice(o, locale)).collect(),
        horizon_days: settings.horizon_days,
        min_notice_minutes: settings.min_notice_minutes,
        walk_ins_outside_slots: settings.walk_ins_outside_slots,
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

/// `POST /api/staff/schedule/settings`.
pub async fn settings(
    office: String,
    horizon: String,
    notice: String,
    walk_ins: Option<String>,
) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &office).await?;
    let mut f = Fields::new(locale);
    let horizon = f.check("horizon_days", number::<i32>(&horizon, 1, 366));
    let notice = f.check("min_notice_minutes", number::<i32>(&notice, 0, 20160));
    let (horizon, notice) = f.done((horizon, notice))?;
    let walk_ins = crate::booking::validate::consent(walk_ins.as_deref()).is_ok();
    let details = serde_json::json!({
        "horizon_days": horizon, "min_notice_minutes": notice, "walk_ins_outside_slots": walk_ins,
    });
    let settings = repo::Settings {
        horizon_days: horizon,
        min_notice_minutes: notice,
        walk_ins_outside_slots: walk_ins,
    };
    repo::set_settings(
        &state.pool,
        &settings,
        change(&state, &user, &office, "schedule.settings", details),
    )
    .await
    .map_err(|e| rule_error(e, locale, "horizon_days"))?;
    regenerate(&state).await;
    back("/staff/schedule", &office.slug, "settings");
    Ok(())
}

/// The hours of a weekly session or of one date, as typed.
pub struct HoursForm {
    pub office: String,
    /// The weekday (1–7) or the date.
    pub day: String,
    pub opens: String,
    pub closes: String,
    pub slot_minutes: String,
    pub capacity: String,
}

struct Hours {
    opens: NaiveTime,
    closes: NaiveTime,
    slot_minutes: i16,
    capacity: i16,
}

/// Checks the hours' fields (the day field is the caller's).
fn hours_fields(form: &HoursForm, f: &mut Fields) -> Option<Hours> {
    let opens = f.check("opens", time(&form.opens));
    let closes = f.check("closes", time(&form.closes));
    let slot_minutes = f.check("slot_minutes", number::<i16>(&form.slot_minutes, 5, 480));
    let capacity = f.check("capacity", number::<i16>(&form.capacity, 1, 500));
    let (opens, closes, slot_minutes, capacity) = (opens?, closes?, slot_minutes?, capacity?);
    let minutes = (closes - opens).num_minutes();
    if minutes <= 0 {
        f.check::<()>("closes", Err(ValidationCode::EndBeforeStart));
        return None;
    }
    if minutes < i64::from(slot_minutes) {
        f.check::<()>("slot_minutes", Err(ValidationCode::SlotTooLong));
        return None;
    }
    Some(Hours {
        opens,
        closes,
        slot_minutes,
        capacity,
    })
}

/// `POST /api/staff/schedule/hours/add`.
pub async fn hours_add(form: HoursForm) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &form.office).await?;
    let mut f = Fields::new(locale);
    let weekday = f.check(
        "weekday",
        number::<i16>(&form.day, 1, 7).map_err(|_| ValidationCode::InvalidChoice),
    );
    let hours = hours_fields(&form, &mut f);
    let (weekday, h) = f.done((weekday, hours))?;
    let row = HoursRow {
        weekday,
        opens: h.opens,
        closes: h.closes,
        slot_minutes: h.slot_minutes,
        capacity: h.capacity,
    };
    let details = serde_json::json!({
        "weekday": weekday, "opens": hhmm(h.opens), "closes": hhmm(h.closes),
        "slot_minutes": h.slot_minutes, "capacity": h.capacity,
    });
    repo::add_hours(
        &state.pool,
        &row,
        change(&state, &user, &office, "schedule.hours_add", details),
    )
    .await
    .map_err(|e| rule_error(e, locale, "opens"))?;
    regenerate(&state).await;
    back("/staff/schedule", &office.slug, "hours");
    Ok(())
}

/// `POST /api/staff/schedule/hours/remove`.
pub async fn hours_remove(office: String, weekday: String, opens: String) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &office).await?;
    let mut f = Fields::new(locale);
    let weekday = f.check(
        "weekday",
        number::<i16>(&weekday, 1, 7).map_err(|_| ValidationCode::InvalidChoice),
    );
    let opens = f.check("opens", time(&opens));
    let (weekday, opens) = f.done((weekday, opens))?;
    let details = serde_json::json!({ "weekday": weekday, "opens": hhmm(opens) });
    repo::remove_hours(
        &state.pool,
        weekday,
        opens,
        change(&state, &user, &office, "schedule.hours_remove", details),
    )
    .await
    .map_err(|e| rule_error(e, locale, "opens"))?;
    regenerate(&state).await;
    back("/staff/schedule", &office.slug, "hours");
    Ok(())
}

/// `POST /api/staff/schedule/special/add`.
pub async fn special_add(form: HoursForm) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &form.office).await?;
    let mut f = Fields::new(locale);
    let day = f.check("date", future_date(&form.day));
    let hours = hours_fields(&form, &mut f);
    let (day, h) = f.done((day, hours))?;
    let row = SpecialRow {
        day,
        opens: h.opens,
        closes: h.closes,
        slot_minutes: h.slot_minutes,
        capacity: h.capacity,
    };
    let details = serde_json::json!({
        "date": day.to_string(), "opens": hhmm(h.opens), "closes": hhmm(h.closes),
        "slot_minutes": h.slot_minutes, "capacity": h.capacity,
    });
    repo::add_special(
        &state.pool,
        &row,
        change(&state, &user, &office, "schedule.special_add", details),
    )
    .await
    .map_err(|e| rule_error(e, locale, "opens"))?;
    regenerate(&state).await;
    back("/staff/schedule", &office.slug, "special");
    Ok(())
}

/// `POST /api/staff/schedule/special/remove`.
pub async fn special_remove(office: String, date: String) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &office).await?;
    let mut f = Fields::new(locale);
    let day = f.check("date", future_date(&date));
    let day = f.done(day)?;
    let details = serde_json::json!({ "date": day.to_string() });
    repo::remove_special(
        &state.pool,
        day,
        change(&state, &user, &office, "schedule.special_remove", details),
    )
    .await
    .map_err(|e| rule_error(e, locale, "date"))?;
    regenerate(&state).await;
    back("/staff/schedule", &office.slug, "special");
    Ok(())
}

/// `POST /api/staff/schedule/close-day`.
pub async fn close_day(
    office: String,
    date: String,
    reason_raw: String,
) -> Result<DayClosed, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &office).await?;
    let mut f = Fields::new(locale);
    let day = f.check("date", future_date(&date));
    let why = f.check("reason", reason(&reason_raw, true));
    let (day, why) = f.done((day, why))?;
    let details = serde_json::json!({ "date": day.to_string(), "reason": why });
    let cancelled = repo::close_day(
        &state.pool,
        day,
        &why,
        change(&state, &user, &office, "schedule.close_day", details),
    )
    .await
    .map_err(|e| rule_error(e, locale, "date"))?;
    regenerate(&state).await;
    back("/staff/schedule", &office.slug, "closed");
    Ok(DayClosed {
        date: day.format("%Y-%m-%d").to_string(),
        cancelled: u32::try_from(cancelled).unwrap_or(u32::MAX),
    })
}

/// `POST /api/staff/schedule/reopen-day`.
pub async fn reopen_day(office: String, date: String) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &office).await?;
    let mut f = Fields::new(locale);
    let day = f.check("date", future_date(&date));
    let day = f.done(day)?;
    let details = serde_json::json!({ "date": day.to_string() });
    repo::reopen_day(
        &state.pool,
        day,
        change(&state, &user, &office, "schedule.reopen_day", details),
    )
    .await
    .map_err(|e| rule_error(e, locale, "date"))?;
    regenerate(&state).await;
    back("/staff/schedule", &office.slug, "reopened");
    Ok(())
}

fn back_to_desk(office: &str, at: DateTime<Utc>, done: &str) {
    if is_plain_form_post() {
        let date = at.with_timezone(&Ho_Chi_Minh).date_naive();
        leptos_axum::redirect(&format!(
            "/staff?office={office}&date={date}&slot_done={done}"
        ));
    }
}

/// `POST /api/staff/slots/block` and `/unblock`.
pub async fn block(office: String, at: String, why: String, blocked: bool) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &office).await?;
    let mut f = Fields::new(locale);
    let at = f.check("starts_at", starts_at(&at));
    let why = f.check("reason", reason(&why, false));
    let (at, why) = f.done((at, why))?;
    let action = if blocked {
        "slot.block"
    } else {
        "slot.unblock"
    };
    let details = serde_json::json!({ "starts_at": at.to_rfc3339(), "reason": why });
    repo::set_blocked(
        &state.pool,
        at,
        blocked,
        &why,
        change(&state, &user, &office, action, details),
    )
    .await
    .map_err(|e| rule_error(e, locale, "starts_at"))?;
    regenerate(&state).await;
    back_to_desk(
        &office.slug,
        at,
        if blocked { "blocked" } else { "unblocked" },
    );
    Ok(())
}

/// `POST /api/staff/slots/capacity`.
pub async fn slot_capacity(office: String, at: String, capacity: String) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &office).await?;
    let mut f = Fields::new(locale);
    let at = f.check("starts_at", starts_at(&at));
    let capacity = f.check("capacity", number::<i16>(&capacity, 1, 500));
    let (at, capacity) = f.done((at, capacity))?;
    let details = serde_json::json!({ "starts_at": at.to_rfc3339(), "capacity": capacity });
    repo::set_capacity(
        &state.pool,
        at,
        capacity,
        change(&state, &user, &office, "slot.capacity", details),
    )
    .await
    .map_err(|e| rule_error(e, locale, "capacity"))?;
    regenerate(&state).await;
    back_to_desk(&office.slug, at, "capacity");
    Ok(())
}
