//! SQL for schedule rules. Each change runs in one transaction that first
//! locks the office's future slots (so no booking can land in between),
//! changes the rule, asks the plan whether any booked slot would end up with
//! fewer places than bookings (and rolls back if so), and applies the plan
//! to the slots before committing.

use crate::booking::notice::{self, MailKind};
use crate::booking::schedule::{apply_office, lock_office, slots_below_taken};
use crate::booking::{repo, HistoryStep};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::StaffUser;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("a slot would have fewer places than bookings")]
    BelowTaken,
    #[error("overlaps another session")]
    Overlap,
    #[error("no such slot or rule")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub struct Settings {
    pub horizon_days: i32,
    pub min_notice_minutes: i32,
    pub walk_ins_outside_slots: bool,
}

pub struct HoursRow {
    pub weekday: i16,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    pub slot_minutes: i16,
    pub capacity: i16,
}

pub struct SpecialRow {
    pub day: NaiveDate,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    pub slot_minutes: i16,
    pub capacity: i16,
}

pub struct ClosureRow {
    pub day: NaiveDate,
    pub reason: String,
}

/// What a change is, for the audit trail.
pub struct Change<'a> {
    pub user: &'a StaffUser,
    pub trusted: &'a [ipnet::IpNet],
    pub office: Uuid,
    pub action: &'a str,
    pub record: &'a str,
    pub details: serde_json::Value,
}

pub async fn settings(pool: &PgPool, office: Uuid) -> Result<Settings, sqlx::Error> {
    sqlx::query_as!(
        Settings,
        "SELECT horizon_days, min_notice_minutes, walk_ins_outside_slots FROM offices WHERE id = $1",
        office
    )
    .fetch_one(pool)
    .await
}

pub async fn hours(pool: &PgPool, office: Uuid) -> Result<Vec<HoursRow>, sqlx::Error> {
    sqlx::query_as!(
        HoursRow,
        "SELECT weekday, opens, closes, slot_minutes, capacity FROM opening_hours WHERE office_id = $1 ORDER BY weekday, opens",
        office
    )
    .fetch_all(pool)
    .await
}

pub async fn special(pool: &PgPool, office: Uuid) -> Result<Vec<SpecialRow>, sqlx::Error> {
    sqlx::query_as!(
        SpecialRow,
        r#"
        SELECT day, opens, closes, slot_minutes, capacity FROM special_hours
        WHERE office_id = $1 AND day >= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        ORDER BY day, opens
        "#,
        office
    )
    .fetch_all(pool)
    .await
}

pub async fn closures(pool: &PgPool, office: Uuid) -> Result<Vec<ClosureRow>, sqlx::Error> {
    sqlx::query_as!(
        ClosureRow,
        r#"
        SELECT day, reason FROM office_closures
        WHERE office_id = $1 AND day >= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        ORDER BY day
        "#,
        office
    )
    .fetch_all(pool)
    .await
}

/// Opens an edit's transaction with the office's slots locked.
async fn begin(pool: &PgPool, office: Uuid) -> Result<Transaction<'_, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    lock_office(&mut tx, office).await?;
    Ok(tx)
}

/// Refuses the transaction's change if the rules now give a booked slot
/// fewer places than it holds, applies it to the slots, records it and
/// commits.
async fn finish(mut tx: Transaction<'_, Postgres>, change: Change<'_>) -> Result<(), RuleError> {
    if slots_below_taken(&mut tx, change.office).await? > 0 {
        return Err(RuleError::BelowTaken);
    }
    apply_office(&mut tx, change.office).await?;
    audit::record(
        &mut tx,
        change.user,
        change.trusted,
        Entry {
            action: change.action,
            record_type: "office",
            record_id: change.record,
            office: Some(change.office),
            details: change.details,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_settings(
    pool: &PgPool,
    settings: &Settings,
    change: Change<'_>,
) -> Result<(), RuleError> {
    let mut tx = begin(pool, change.office).await?;
    sqlx::query!(
        "UPDATE offices SET horizon_days = $2, min_notice_minutes = $3, walk_ins_outside_slots = $4 WHERE id = $1",
        change.office,
        settings.horizon_days,
        settings.min_notice_minutes,
        settings.walk_ins_outside_slots
    )
    .execute(&mut *tx)
    .await?;
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

/// Closes `day`: the closure, then every requested or confirmed booking of
/// that day cancelled with `reason`, its place freed, its history, and its
/// e-mail, and the day's slots withdrawn, all in one transaction. The day's
/// bookings are locked before the slots (the order every booking change
/// takes), then the slots, so a booking being made at that moment is either
/// committed first and cancelled here, or refused after. Returns how many
/// were cancelled.
pub async fn close_day(
    pool: &PgPool,
    day: NaiveDate,
    reason: &str,
    change: Change<'_>,
) -> Result<usize, RuleError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"
        SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE b.office_id = $1 AND b.status IN ('requested', 'confirmed')
          AND s.starts_at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND s.starts_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
        ORDER BY b.id
        FOR UPDATE OF b
        "#,
        change.office,
        day
    )
    .fetch_all(&mut *tx)
    .await?;
    lock_office(&mut tx, change.office).await?;
    sqlx::query!(
        r#"
        INSERT INTO office_closures (office_id, day, reason) VALUES ($1, $2, $3)
        ON CONFLICT (office_id, day) DO UPDATE SET reason = EXCLUDED.reason
        "#,
        change.office,
        day,
        reason
    )
    .execute(&mut *tx)
    .await?;
    let cancelled = sqlx::query!(
        r#"
        WITH b AS (
            UPDATE bookings b SET status = 'cancelled', cancel_reason = $3, updated_at = now()
            FROM slots s
            WHERE s.id = b.slot_id AND b.office_id = $1
              AND b.status IN ('requested', 'confirmed')
              AND s.starts_at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
              AND s.starts_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
            RETURNING b.id, b.slot_id, (b.email IS NOT NULL) AS has_email
        ), freed AS (
            UPDATE slots SET taken = taken - n.count
            FROM (SELECT slot_id, count(*)::smallint AS count FROM b GROUP BY slot_id) n
            WHERE slots.id = n.slot_id
        )
        SELECT id, has_email AS "has_email!" FROM b
        "#,
        change.office,
        day,
        reason
    )
    .fetch_all(&mut *tx)
    .await?;
    let actor = change.user.id.to_string();
    for row in &cancelled {
        repo::record_event(
            &mut tx,
            row.id,
            &actor,
            HistoryStep::Cancelled,
            None,
            None,
            Some(reason),
        )
        .await?;
        notice::queue(&mut tx, MailKind::ClosedByOffice, row.id, row.has_email).await?;
    }
    let count = cancelled.len();
    let mut change = change;
    change.details["cancelled"] = serde_json::json!(count);
    finish(tx, change).await?;
    Ok(count)
}

pub async fn reopen_day(
    pool: &PgPool,
    day: NaiveDate,
    change: Change<'_>,
) -> Result<(), RuleError> {
    let mut tx = begin(pool, change.office).await?;
    let gone = sqlx::query!(
        "DELETE FROM office_closures WHERE office_id = $1 AND day = $2",
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

/// Blocks or unblocks the slot of the office starting at `starts_at`.
pub async fn set_blocked(
    pool: &PgPool,
    starts_at: DateTime<Utc>,
    blocked: bool,
    reason: &str,
    change: Change<'_>,
) -> Result<(), RuleError> {
    let mut tx = begin(pool, change.office).await?;
    if blocked {
        let exists = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM slots WHERE office_id = $1 AND starts_at = $2 AND NOT withdrawn) AS "x!""#,
            change.office,
            starts_at
        )
        .fetch_one(&mut *tx)
        .await?;
        if !exists {
            return Err(RuleError::NotFound);
        }
        sqlx::query!(
            r#"
            INSERT INTO slot_overrides (office_id, starts_at, blocked, reason) VALUES ($1, $2, true, $3)
            ON CONFLICT (office_id, starts_at) DO UPDATE SET blocked = true, reason = EXCLUDED.reason
            "#,
            change.office,
            starts_at,
            reason
        )
        .execute(&mut *tx)
        .await?;
    } else {
        let changed = sqlx::query!(
            "UPDATE slot_overrides SET blocked = false, reason = '' WHERE office_id = $1 AND starts_at = $2 AND blocked",
            change.office,
            starts_at
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(RuleError::NotFound);
        }
        sqlx::query!(
            "DELETE FROM slot_overrides WHERE office_id = $1 AND starts_at = $2 AND NOT blocked AND capacity IS NULL",
            change.office,
            starts_at
        )
        .execute(&mut *tx)
        .await?;
    }
    finish(tx, change).await
}

/// Gives one slot its own capacity (never below its bookings).
pub async fn set_capacity(
    pool: &PgPool,
    starts_at: DateTime<Utc>,
    capacity: i16,
    change: Change<'_>,
) -> Result<(), RuleError> {
    let mut tx = begin(pool, change.office).await?;
    let taken = sqlx::query_scalar!(
        "SELECT taken FROM slots WHERE office_id = $1 AND starts_at = $2 AND NOT withdrawn FOR UPDATE",
        change.office,
        starts_at
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(RuleError::NotFound)?;
    if capacity < taken {
        return Err(RuleError::BelowTaken);
    }
    sqlx::query!(
        r#"
        INSERT INTO slot_overrides (office_id, starts_at, capacity) VALUES ($1, $2, $3)
        ON CONFLICT (office_id, starts_at) DO UPDATE SET capacity = EXCLUDED.capacity
        "#,
        change.office,
        starts_at,
        capacity
    )
    .execute(&mut *tx)
    .await?;
    // Applied now, under the same lock as the check, rather than waiting for
    // the generator (which would apply the same value).
    sqlx::query!(
        "UPDATE slots SET capacity = $3 WHERE office_id = $1 AND starts_at = $2",
        change.office,
        starts_at,
        capacity
    )
    .execute(&mut *tx)
    .await?;
    finish(tx, change).await
}

/// Blocked slots of the office on `day`, for the desk to offer reopening.
pub async fn blocked_on(
    pool: &PgPool,
    office: Uuid,
    day: NaiveDate,
) -> Result<Vec<(DateTime<Utc>, String)>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"
        SELECT starts_at, reason FROM slot_overrides
        WHERE office_id = $1 AND blocked
          AND starts_at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND starts_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
        ORDER BY starts_at
        "#,
        office,
        day
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.starts_at, r.reason))
    .collect())
}
