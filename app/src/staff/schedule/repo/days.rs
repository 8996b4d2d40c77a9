//! Closing a day (its bookings cancelled and told) and reopening it.

use super::{begin, finish, Change, RuleError};
use crate::booking::generator::lock_office;
use crate::booking::notice::{self, MailKind};
use crate::booking::{repo, HistoryStep};
use chrono::NaiveDate;
use sqlx::PgPool;

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
    // Proposals into the day lose their place with it, and its waiting
    // list ends, each entry told (before the office's slots are locked: the
    // order a citizen's answer and a claim take them in).
    repo::withdraw_into_day(&mut tx, change.office, day).await?;
    crate::booking::waitlist::repo::close_day(&mut tx, change.office, day).await?;
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
            UPDATE bookings b SET status = 'cancelled', cancel_reason = $3, updated_at = now(),
                   answered_at = CASE WHEN b.status = 'requested' THEN COALESCE(b.answered_at, now())
                                      ELSE b.answered_at END
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
        repo::close_open(&mut tx, row.id, "withdrawn").await?;
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
