//! Changes to one slot from the desk: blocking it, its own capacity, its
//! own kept places.

use super::{begin, finish, Change, RuleError};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;
use uuid::Uuid;

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
            "DELETE FROM slot_overrides WHERE office_id = $1 AND starts_at = $2 AND NOT blocked AND capacity IS NULL AND kept_walk_in IS NULL AND kept_priority IS NULL",
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
    let slot = sqlx::query_scalar!(
        "UPDATE slots SET capacity = $3 WHERE office_id = $1 AND starts_at = $2 RETURNING id",
        change.office,
        starts_at,
        capacity
    )
    .fetch_one(&mut *tx)
    .await?;
    // New places go to the day's waiting list first.
    crate::booking::waitlist::repo::offer_room(&mut tx, slot).await?;
    finish(tx, change).await
}

/// Gives one slot its own numbers of kept places (never more than its
/// places). Fewer kept is room online at once: offered to the day's waiting
/// list first.
pub async fn set_kept(
    pool: &PgPool,
    starts_at: DateTime<Utc>,
    kept: (i16, i16),
    change: Change<'_>,
) -> Result<(), RuleError> {
    let mut tx = begin(pool, change.office).await?;
    let slot = sqlx::query!(
        "SELECT id, capacity FROM slots WHERE office_id = $1 AND starts_at = $2 AND NOT withdrawn FOR UPDATE",
        change.office,
        starts_at
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(RuleError::NotFound)?;
    if kept.0 + kept.1 > slot.capacity {
        return Err(RuleError::KeptAboveCapacity);
    }
    sqlx::query!(
        r#"
        INSERT INTO slot_overrides (office_id, starts_at, kept_walk_in, kept_priority) VALUES ($1, $2, $3, $4)
        ON CONFLICT (office_id, starts_at) DO UPDATE
            SET kept_walk_in = EXCLUDED.kept_walk_in, kept_priority = EXCLUDED.kept_priority
        "#,
        change.office,
        starts_at,
        kept.0,
        kept.1
    )
    .execute(&mut *tx)
    .await?;
    crate::booking::waitlist::repo::offer_room(&mut tx, slot.id).await?;
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
