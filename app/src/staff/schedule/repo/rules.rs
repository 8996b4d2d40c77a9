//! The rules an office's slots come from: its booking settings, weekly
//! hours and the hours of single dates.

use super::{begin, finish, Change, HoursRow, OfficeSettings, RuleError, SpecialRow};
use chrono::{NaiveDate, NaiveTime};
use sqlx::PgPool;

pub async fn set_settings(
    pool: &PgPool,
    settings: &OfficeSettings,
    change: Change<'_>,
) -> Result<(), RuleError> {
    let mut tx = begin(pool, change.office).await?;
    sqlx::query!(
        r#"
        UPDATE offices SET horizon_days = $2, min_notice_minutes = $3, walk_ins_outside_slots = $4,
                           kept_walk_in = $5, kept_priority = $6, kept_release_hours = $7
        WHERE id = $1
        "#,
        change.office,
        settings.horizon_days,
        settings.min_notice_minutes,
        settings.walk_ins_outside_slots,
        settings.kept_walk_in,
        settings.kept_priority,
        settings.kept_release_hours
    )
    .execute(&mut *tx)
    .await?;
    // Fewer places kept (or kept for less long) is room online at once:
    // the days' waiting lists first.
    let slots = sqlx::query_scalar!(
        r#"
        SELECT DISTINCT s.id FROM slots s
        JOIN waitlist_entries w ON w.office_id = s.office_id AND w.state = 'waiting'
             AND w.day = (s.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        WHERE s.office_id = $1 AND s.starts_at > now() AND NOT s.withdrawn
        ORDER BY s.id
        "#,
        change.office
    )
    .fetch_all(&mut *tx)
    .await?;
    for slot in slots {
        crate::booking::waitlist::repo::offer_room(&mut tx, slot).await?;
    }
    finish(tx, change).await
}

pub async fn add_hours(pool: &PgPool, row: &HoursRow, change: Change<'_>) -> Result<(), RuleError> {
    let mut tx = begin(pool, change.office).await?;
    // One writer of an office's hours at a time, so two overlapping
    // sessions cannot both pass the check.
    sqlx::query!(
        "SELECT id FROM offices WHERE id = $1 FOR UPDATE",
        change.office
    )
    .fetch_one(&mut *tx)
    .await?;
    let overlaps = sqlx::query_scalar!(
        r#"
        SELECT EXISTS (SELECT 1 FROM opening_hours
                       WHERE office_id = $1 AND weekday = $2 AND opens <> $3
                         AND opens < $4 AND closes > $3) AS "x!"
        "#,
        change.office,
        row.weekday,
        row.opens,
        row.closes
    )
    .fetch_one(&mut *tx)
    .await?;
    if overlaps {
        return Err(RuleError::Overlap);
    }
    sqlx::query!(
        r#"
        INSERT INTO opening_hours (office_id, weekday, opens, closes, slot_minutes, capacity)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (office_id, weekday, opens) DO UPDATE
            SET closes = EXCLUDED.closes, slot_minutes = EXCLUDED.slot_minutes, capacity = EXCLUDED.capacity
        "#,
        change.office,
        row.weekday,
        row.opens,
        row.closes,
        row.slot_minutes,
        row.capacity
    )
    .execute(&mut *tx)
    .await?;
    finish(tx, change).await
}

pub async fn remove_hours(
    pool: &PgPool,
    weekday: i16,
    opens: NaiveTime,
    change: Change<'_>,
) -> Result<(), RuleError> {
    let mut tx = begin(pool, change.office).await?;
    let gone = sqlx::query!(
        "DELETE FROM opening_hours WHERE office_id = $1 AND weekday = $2 AND opens = $3",
        change.office,
        weekday,
        opens
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if gone == 0 {
        return Err(RuleError::NotFound);
    }
    finish(tx, change).await
}

pub async fn add_special(
    pool: &PgPool,
    row: &SpecialRow,
    change: Change<'_>,
) -> Result<(), RuleError> {
    let mut tx = begin(pool, change.office).await?;
    sqlx::query!(
        "SELECT id FROM offices WHERE id = $1 FOR UPDATE",
        change.office
    )
    .fetch_one(&mut *tx)
    .await?;
    let overlaps = sqlx::query_scalar!(
        r#"
        SELECT EXISTS (SELECT 1 FROM special_hours
                       WHERE office_id = $1 AND day = $2 AND opens <> $3
                         AND opens < $4 AND closes > $3) AS "x!"
        "#,
        change.office,
        row.day,
        row.opens,
        row.closes
    )
    .fetch_one(&mut *tx)
    .await?;
    if overlaps {
        return Err(RuleError::Overlap);
    }
    sqlx::query!(
        r#"
        INSERT INTO special_hours (office_id, day, opens, closes, slot_minutes, capacity)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (office_id, day, opens) DO UPDATE
            SET closes = EXCLUDED.closes, slot_minutes = EXCLUDED.slot_minutes, capacity = EXCLUDED.capacity
        "#,
        change.office,
        row.day,
        row.opens,
        row.closes,
        row.slot_minutes,
        row.capacity
    )
    .execute(&mut *tx)
    .await?;
    finish(tx, change).await
}

pub async fn remove_special(
    pool: &PgPool,
    day: NaiveDate,
    change: Change<'_>,
) -> Result<(), RuleError> {
    let mut tx = begin(pool, change.office).await?;
    let gone = sqlx::query!(
        "DELETE FROM special_hours WHERE office_id = $1 AND day = $2",
        change.office,
        day
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if gone == 0 {
        return Err(RuleError::NotFound);
    }
    finish(tx, change).await
}
