//! Another time the office proposes for a request (trả lịch hẹn). The
//! proposed slot's place is held for the citizen in its `taken` count, so
//! the slot's CHECK still guards the total; every way a proposal closes
//! (accepted, declined, expired, or withdrawn because the booking ended or
//! moved first) gives the held place back in the same transaction.

use super::events::record_event;
use super::read::{by_id_in, BookingRow};
use crate::booking::notice::{self, MailKind};
use crate::booking::waitlist::repo::offer_room;
use crate::booking::{BookingStatus, HistoryStep};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// An open proposal as the citizen and the desk see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenProposal {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub message: String,
}

/// Why an answer was refused.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    #[error("no open proposal")]
    NoProposal,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The booking's open, unexpired proposal.
pub async fn open_for(pool: &PgPool, booking: Uuid) -> Result<Option<OpenProposal>, sqlx::Error> {
    sqlx::query_as!(
        OpenProposal,
        r#"
        SELECT s.starts_at, s.ends_at, p.expires_at, p.message
        FROM booking_proposals p JOIN slots s ON s.id = p.slot_id
        WHERE p.booking_id = $1 AND p.outcome IS NULL AND p.expires_at > now()
        "#,
        booking
    )
    .fetch_optional(pool)
    .await
}

/// Closes the booking's open proposal, if it has one, as `outcome`
/// (`declined`, `withdrawn`), and gives its held place back (to the
/// waiting list first). The caller holds the booking's row lock. Returns
/// whether one was open.
pub async fn close_open(
    tx: &mut Transaction<'_, Postgres>,
    booking: Uuid,
    outcome: &str,
) -> Result<bool, sqlx::Error> {
    let freed = sqlx::query_scalar!(
        r#"
        WITH p AS (
            UPDATE booking_proposals SET outcome = $2, closed_at = now()
            WHERE booking_id = $1 AND outcome IS NULL
            RETURNING slot_id
        )
        UPDATE slots SET taken = taken - 1 FROM p WHERE slots.id = p.slot_id
        RETURNING slots.id
        "#,
        booking,
        outcome
    )
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(slot) = freed {
        offer_room(tx, slot).await?;
    }
    Ok(freed.is_some())
}

/// The citizen's answer. Accepting moves the booking to the proposed slot
/// (whose place it already holds), frees the old place and confirms it;
/// declining gives the held place back and leaves the request as it was.
/// An expired proposal cannot be answered.
pub async fn answer(pool: &PgPool, booking: Uuid, accept: bool) -> Result<BookingRow, AnswerError> {
    let mut tx = pool.begin().await?;
    let open = sqlx::query!(
        r#"
        SELECT p.id, p.slot_id, b.slot_id AS current_slot, b.status AS "status: BookingStatus"
        FROM bookings b
        JOIN booking_proposals p ON p.booking_id = b.id AND p.outcome IS NULL AND p.expires_at > now()
        WHERE b.id = $1
        FOR UPDATE OF b, p
        "#,
        booking
    )
    .fetch_optional(&mut *tx)
    .await?
    .filter(|o| o.status == BookingStatus::Requested)
    .ok_or(AnswerError::NoProposal)?;
    if !accept {
        close_open(&mut tx, booking, "declined").await?;
        record_event(
            &mut tx,
            booking,
            "citizen",
            HistoryStep::ProposalDeclined,
            None,
            Some(open.slot_id),
            None,
        )
        .await?;
        let row = by_id_in(&mut tx, booking).await?;
        tx.commit().await?;
        return Ok(row);
    }
    sqlx::query!(
        "UPDATE booking_proposals SET outcome = 'accepted', closed_at = now() WHERE id = $1",
        open.id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE slots SET taken = taken - 1 WHERE id = $1",
        open.current_slot
    )
    .execute(&mut *tx)
    .await?;
    // Moved first, so the offer counts only the kept places still filled.
    sqlx::query!(
        r#"
        UPDATE bookings SET slot_id = $2, status = 'confirmed', kept_place = false, updated_at = now(),
                            reminder_queued_at = NULL, answered_at = COALESCE(answered_at, now())
        WHERE id = $1
        "#,
        booking,
        open.slot_id
    )
    .execute(&mut *tx)
    .await?;
    offer_room(&mut tx, open.current_slot).await?;
    record_event(
        &mut tx,
        booking,
        "citizen",
        HistoryStep::Moved,
        Some(open.current_slot),
        Some(open.slot_id),
        None,
    )
    .await?;
    record_event(
        &mut tx,
        booking,
        "citizen",
        HistoryStep::Confirmed,
        None,
        None,
        None,
    )
    .await?;
    let row = by_id_in(&mut tx, booking).await?;
    notice::queue(&mut tx, MailKind::Confirmed, booking, row.email.is_some()).await?;
    tx.commit().await?;
    Ok(row)
}

/// Closes up to `batch` proposals past their time and gives their places
/// back (to the waiting list first), in one transaction; safe on every
/// instance at once (`SKIP LOCKED`). Returns how many.
pub async fn expire_due(pool: &PgPool, batch: i64) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let freed = sqlx::query!(
        r#"
        WITH due AS (
            SELECT id FROM booking_proposals
            WHERE outcome IS NULL AND expires_at <= now()
            ORDER BY expires_at
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        ), p AS (
            UPDATE booking_proposals bp SET outcome = 'expired', closed_at = now()
            FROM due WHERE bp.id = due.id
            RETURNING bp.booking_id, bp.slot_id
        ), history AS (
            INSERT INTO booking_events (booking_id, actor, status, to_slot)
            SELECT booking_id, 'system', 'proposal_expired', slot_id FROM p
        )
        UPDATE slots SET taken = taken - n.count
        FROM (SELECT slot_id, count(*)::smallint AS count FROM p GROUP BY slot_id) n
        WHERE slots.id = n.slot_id
        RETURNING slots.id, n.count AS "count!"
        "#,
        batch
    )
    .fetch_all(&mut *tx)
    .await?;
    for slot in &freed {
        offer_room(&mut tx, slot.id).await?;
    }
    tx.commit().await?;
    Ok(freed
        .iter()
        .map(|s| u64::try_from(s.count).unwrap_or(0))
        .sum())
}

/// Withdraws the open proposals into `day` of `office` (the day is being
/// closed) and gives their places back. The caller holds the office's
/// slot lock.
pub async fn withdraw_into_day(
    tx: &mut Transaction<'_, Postgres>,
    office: Uuid,
    day: NaiveDate,
) -> Result<u64, sqlx::Error> {
    let withdrawn = sqlx::query_scalar!(
        r#"
        WITH p AS (
            UPDATE booking_proposals bp SET outcome = 'withdrawn', closed_at = now()
            FROM slots s
            WHERE s.id = bp.slot_id AND bp.outcome IS NULL AND s.office_id = $1
              AND s.starts_at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
              AND s.starts_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
            RETURNING bp.booking_id, bp.slot_id
        ), freed AS (
            UPDATE slots SET taken = taken - n.count
            FROM (SELECT slot_id, count(*)::smallint AS count FROM p GROUP BY slot_id) n
            WHERE slots.id = n.slot_id
        )
        SELECT count(*) AS "count!" FROM p
        "#,
        office,
        day
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(u64::try_from(withdrawn).unwrap_or(0))
}
