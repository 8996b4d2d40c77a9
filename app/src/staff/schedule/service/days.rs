//! A day closed or reopened, a slot blocked or given its own capacity.

use crate::error::{AppError, Fields};
use crate::locale::use_locale;
use crate::ssr::{app_state, respond::is_plain_form_post};
use crate::staff::schedule::repo::{self};
use crate::staff::schedule::DayClosed;

use super::{
    back, change, future_date, member_and_office, number, reason, regenerate, rule_error, starts_at,
};
use chrono::{DateTime, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

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

/// `POST /api/staff/slots/kept`.
pub async fn slot_kept(
    office: String,
    at: String,
    walk_in: String,
    priority: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let (user, office) = member_and_office(&state, &office).await?;
    let mut f = Fields::new(locale);
    let at = f.check("starts_at", starts_at(&at));
    let walk_in = f.check("kept_walk_in", number::<i16>(&walk_in, 0, 500));
    let priority = f.check("kept_priority", number::<i16>(&priority, 0, 500));
    let (at, walk_in, priority) = f.done((at, walk_in, priority))?;
    let details = serde_json::json!({
        "starts_at": at.to_rfc3339(), "kept_walk_in": walk_in, "kept_priority": priority,
    });
    repo::set_kept(
        &state.pool,
        at,
        (walk_in, priority),
        change(&state, &user, &office, "slot.kept", details),
    )
    .await
    .map_err(|e| rule_error(e, locale, "kept_walk_in"))?;
    regenerate(&state).await;
    back_to_desk(&office.slug, at, "kept");
    Ok(())
}
