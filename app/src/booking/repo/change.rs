//! A citizen's cancel and move: compare-and-swap on the status, the places
//! freed and claimed in the same transaction; and the history every change
//! writes.

use super::create::{slot_problem, BookError, SlotProblem};
use super::events::record_event;
use super::proposals::close_open;
use super::read::{by_id, by_id_in, BookingRow};
use crate::booking::notice::{self, MailKind};
use crate::booking::waitlist::repo::offer_room;
use crate::booking::{BookingStatus, HistoryStep};
use sqlx::PgPool;
use uuid::Uuid;

/// Cancels a booking if its status and the notice allow it. A repeated
/// cancel finds the status already changed and frees nothing.
pub async fn cancel(pool: &PgPool, id: Uuid, reason: &str) -> Result<BookingRow, BookError> {
    let mut tx = pool.begin().await?;
    let freed = sqlx::query_scalar!(
        r#"
        WITH b AS (
            UPDATE bookings b SET status = 'cancelled', cancel_reason = NULLIF($2, ''), updated_at = now()
            FROM slots s, offices o
            WHERE b.id = $1 AND s.id = b.slot_id AND o.id = b.office_id
              AND b.status IN ('requested', 'confirmed')
              AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
            RETURNING b.slot_id
        )
        UPDATE slots SET taken = taken - 1 FROM b WHERE slots.id = b.slot_id
        RETURNING slots.id
        "#,
        id,
        reason
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(slot) = freed else {
        drop(tx);
        return Err(why_unchangeable(pool, id).await?);
    };
    close_open(&mut tx, id, "withdrawn").await?;
    // The freed place goes to the day's waiting list before anyone else
    // can see it.
    offer_room(&mut tx, slot).await?;
    record_event(
        &mut tx,
        id,
        "citizen",
        HistoryStep::Cancelled,
        Some(slot),
        None,
        Some(reason).filter(|r| !r.is_empty()),
    )
    .await?;
    let booking = by_id_in(&mut tx, id).await?;
    notice::queue(&mut tx, MailKind::Cancelled, id, booking.email.is_some()).await?;
    tx.commit().await?;
    Ok(booking)
}

/// Moves a booking to `new_slot` of the same office: the new place is taken
/// and the old one freed in one transaction, or nothing changes. Both slots
/// are locked in id order, so concurrent moves cannot deadlock each other;
/// a deadlock with anything else is retried.
pub async fn reschedule(pool: &PgPool, id: Uuid, new_slot: i64) -> Result<BookingRow, BookError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match try_reschedule(pool, id, new_slot).await {
            Err(BookError::Db(sqlx::Error::Database(db)))
                if attempt < 4 && matches!(db.code().as_deref(), Some("40P01" | "40001")) =>
            {
                continue
            }
            other => return other,
        }
    }
}

pub(super) async fn try_reschedule(
    pool: &PgPool,
    id: Uuid,
    new_slot: i64,
) -> Result<BookingRow, BookError> {
    let mut tx = pool.begin().await?;
    let current = sqlx::query!(
        r#"
        SELECT b.slot_id, b.office_id, b.status AS "status: BookingStatus",
               s.starts_at >= now() + make_interval(mins => o.min_notice_minutes) AS "in_time!"
        FROM bookings b
        JOIN slots s ON s.id = b.slot_id
        JOIN offices o ON o.id = b.office_id
        WHERE b.id = $1
        FOR UPDATE OF b
        "#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(BookError::InvalidTransition)?;
    if !current.status.changeable() {
        return Err(BookError::InvalidTransition);
    }
    if !current.in_time {
        return Err(BookError::TooLate);
    }
    if current.slot_id == new_slot {
        return Err(BookError::Slot(SlotProblem::NotBookable));
    }
    let mut ids = [current.slot_id, new_slot];
    ids.sort_unstable();
    sqlx::query!(
        "SELECT id FROM slots WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        &ids[..]
    )
    .fetch_all(&mut *tx)
    .await?;
    let claimed = sqlx::query_scalar!(
        r#"
        UPDATE slots s SET taken = s.taken + 1
        FROM offices o
        WHERE s.id = $1 AND s.office_id = $2 AND o.id = s.office_id AND o.active
          AND NOT s.withdrawn
          AND slot_room(s) >= 1
          AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
          AND s.starts_at < ((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + o.horizon_days + 1)::timestamp
                            AT TIME ZONE 'Asia/Ho_Chi_Minh'
        RETURNING s.id
        "#,
        new_slot,
        current.office_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if claimed.is_none() {
        drop(tx);
        return Err(BookError::Slot(slot_problem(pool, new_slot).await?));
    }
    sqlx::query!(
        "UPDATE slots SET taken = taken - 1 WHERE id = $1",
        current.slot_id
    )
    .execute(&mut *tx)
    .await?;
    // A new time needs the office to confirm it again; the new place is an
    // online one, so the booking no longer fills a kept place (before the
    // offer below, which counts the kept places the desk has filled).
    sqlx::query!(
        r#"
        UPDATE bookings SET slot_id = $2, status = 'requested', kept_place = false, updated_at = now(),
                            reminder_queued_at = NULL, requested_at = now(), answered_at = NULL
        WHERE id = $1
        "#,
        id,
        new_slot
    )
    .execute(&mut *tx)
    .await?;
    offer_room(&mut tx, current.slot_id).await?;
    // The citizen chose another time themselves: a proposal still open
    // gives its place back.
    close_open(&mut tx, id, "withdrawn").await?;
    record_event(
        &mut tx,
        id,
        "citizen",
        HistoryStep::Moved,
        Some(current.slot_id),
        Some(new_slot),
        None,
    )
    .await?;
    let booking = by_id_in(&mut tx, id).await?;
    notice::queue(&mut tx, MailKind::Moved, id, booking.email.is_some()).await?;
    tx.commit().await?;
    Ok(booking)
}

pub(super) async fn why_unchangeable(pool: &PgPool, id: Uuid) -> Result<BookError, sqlx::Error> {
    Ok(match by_id(pool, id).await? {
        Some(b) if b.status.changeable() => BookError::TooLate,
        _ => BookError::InvalidTransition,
    })
}
