//! The office's rules: booking settings, weekly hours, hours of one date.

use crate::error::{AppError, Fields, ValidationCode};
use crate::locale::use_locale;
use crate::ssr::app_state;
use crate::staff::schedule::repo::{self, HoursRow, SpecialRow};

use super::{
    back, change, future_date, hhmm, member_and_office, number, regenerate, rule_error, time,
};
use chrono::NaiveTime;

/// The booking settings as posted; a kept-places field left out keeps its
/// value (clients that predate them change nothing).
pub struct SettingsForm {
    pub office: String,
    pub horizon: String,
    pub notice: String,
    pub walk_ins: Option<String>,
    pub kept_walk_in: Option<String>,
    pub kept_priority: Option<String>,
    pub kept_release_hours: Option<String>,
}

/// Kept places must be released while citizens can still book them: before
/// online booking closes at the minimum notice.
fn release_in_time(
    kept: i16,
    release_hours: i32,
    notice_minutes: i32,
) -> Result<(), ValidationCode> {
    if kept > 0 && release_hours * 60 <= notice_minutes {
        Err(ValidationCode::ReleaseAfterNotice)
    } else {
        Ok(())
    }
}

/// `POST /api/staff/schedule/settings`.
pub async fn settings(form: SettingsForm) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &form.office).await?;
    let current = repo::settings(&state.pool, office.id).await?;
    let or_current = |raw: &Option<String>, now: String| raw.clone().unwrap_or(now);
    let mut f = Fields::new(locale);
    let horizon = f.check("horizon_days", number::<i32>(&form.horizon, 1, 366));
    let notice = f.check("min_notice_minutes", number::<i32>(&form.notice, 0, 20160));
    let kept_walk_in = f.check(
        "kept_walk_in",
        number::<i16>(
            &or_current(&form.kept_walk_in, current.kept_walk_in.to_string()),
            0,
            500,
        ),
    );
    let kept_priority = f.check(
        "kept_priority",
        number::<i16>(
            &or_current(&form.kept_priority, current.kept_priority.to_string()),
            0,
            500,
        ),
    );
    let release = f.check(
        "kept_release_hours",
        number::<i32>(
            &or_current(
                &form.kept_release_hours,
                current.kept_release_hours.to_string(),
            ),
            1,
            720,
        ),
    );
    let (horizon, notice, kept_walk_in, kept_priority, release) =
        f.done((horizon, notice, kept_walk_in, kept_priority, release))?;
    release_in_time(kept_walk_in + kept_priority, release, notice)
        .map_err(|code| AppError::invalid("kept_release_hours", code, locale))?;
    let walk_ins = crate::booking::validate::consent(form.walk_ins.as_deref()).is_ok();
    let details = serde_json::json!({
        "horizon_days": horizon, "min_notice_minutes": notice, "walk_ins_outside_slots": walk_ins,
        "kept_walk_in": kept_walk_in, "kept_priority": kept_priority, "kept_release_hours": release,
    });
    let settings = repo::OfficeSettings {
        horizon_days: horizon,
        min_notice_minutes: notice,
        walk_ins_outside_slots: walk_ins,
        kept_walk_in,
        kept_priority,
        kept_release_hours: release,
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
