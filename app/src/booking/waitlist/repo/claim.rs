//! Claiming a place on offer: the held place becomes a booking (status
//! requested: the office answers it as any other), or moves the booking the
//! citizen holds for a later day, in one transaction. The entry is locked
//! before its booking and the slots, the order leaving takes them in; a
//! change freeing a place only ever skips a locked entry.

use super::offers::give_back;
use crate::booking::notice::{self, MailKind};
use crate::booking::repo::{by_id_in, close_open, issue_token, record_event, Created};
use crate::booking::{BookingCode, HistoryStep};
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// No offer is open: never made, claimed by another, or past its time.
    #[error("no offer open")]
    OfferExpired,
    /// The citizen booked at this office since joining.
    #[error("this citizen already has an active booking at this office")]
    AlreadyBooked,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Claims the place offered to `entry`. A second claim of a claimed entry
/// finds the booking it made.
pub async fn claim(pool: &PgPool, entry: Uuid, hold: Duration) -> Result<Created, ClaimError> {
    let mut tx = pool.begin().await?;
    let e = sqlx::query!(
        r#"
        SELECT w.state, w.offered_slot, w.booking_id,
               (w.state = 'offered' AND NOT s.withdrawn
                AND w.offered_at + make_interval(secs => $2) > now()
                AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)) AS "live!"
        FROM waitlist_entries w
        JOIN offices o ON o.id = w.office_id
        LEFT JOIN slots s ON s.id = w.offered_slot
        WHERE w.id = $1
        FOR UPDATE OF w
        "#,
        entry,
        hold.as_secs_f64()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ClaimError::OfferExpired)?;
    if e.state == "claimed" {
        let Some(booking) = e.booking_id else {
            return Err(ClaimError::OfferExpired);
        };
        let token = issue_token(&mut *tx, booking).await?;
        let booking = by_id_in(&mut tx, booking).await?;
        tx.commit().await?;
        return Ok(Created {
            booking,
            token,
            replayed: true,
        });
    }
    let (true, Some(slot)) = (e.live, e.offered_slot) else {
        return Err(ClaimError::OfferExpired);
    };
    // The place stays taken: it now belongs to a booking, not an offer.
    sqlx::query!("UPDATE slots SET held = held - 1 WHERE id = $1", slot)
        .execute(&mut *tx)
        .await?;
    let moving = match e.booking_id {
        Some(b) => {
            sqlx::query!(
                r#"
            SELECT id, slot_id, email IS NOT NULL AS "has_email!" FROM bookings
            WHERE id = $1 AND status IN ('requested', 'confirmed') FOR UPDATE
            "#,
                b
            )
            .fetch_optional(&mut *tx)
            .await?
        }
        None => None,
    };
    let booking = match moving {
        Some(old) => {
            sqlx::query!(
                r#"
                UPDATE bookings SET slot_id = $2, status = 'requested', kept_place = false, updated_at = now(),
                                    reminder_queued_at = NULL, requested_at = now(), answered_at = NULL
                WHERE id = $1
                "#,
                old.id,
                slot
            )
            .execute(&mut *tx)
            .await?;
            close_open(&mut tx, old.id, "withdrawn").await?;
            // The later day's place is free now: its own waiting list first.
            give_back(&mut tx, old.slot_id).await?;
            record_event(
                &mut tx,
                old.id,
                "citizen",
                HistoryStep::Moved,
                Some(old.slot_id),
                Some(slot),
                None,
            )
            .await?;
            notice::queue(&mut tx, MailKind::Moved, old.id, old.has_email).await?;
            old.id
        }
        None => {
            let code = BookingCode::random();
            let made = sqlx::query_scalar!(
                r#"
                WITH b AS (
                    INSERT INTO bookings (code, office_id, slot_id, full_name, citizen_id, phone, email, topic,
                                          summary, party_size, representatives, needs, interpreter, locale,
                                          consent_version, consented_at)
                    SELECT $2, office_id, offered_slot, full_name, citizen_id, phone, email, topic,
                           summary, party_size, representatives, needs, interpreter, locale,
                           consent_version, consented_at
                    FROM waitlist_entries WHERE id = $1
                    RETURNING id, slot_id
                ), e AS (
                    INSERT INTO booking_events (booking_id, actor, status, to_slot, note)
                    SELECT id, 'citizen', 'requested', slot_id, 'waitlist' FROM b
                )
                SELECT id AS "id!" FROM b
                "#,
                entry,
                code.as_str()
            )
            .fetch_one(&mut *tx)
            .await;
            let id = match made {
                Ok(id) => id,
                Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                    return Err(ClaimError::AlreadyBooked)
                }
                Err(other) => return Err(other.into()),
            };
            notice::queue(&mut tx, MailKind::Received, id, true).await?;
            id
        }
    };
    sqlx::query!(
        "UPDATE waitlist_entries SET state = 'claimed', booking_id = $2, updated_at = now() WHERE id = $1",
        entry,
        booking
    )
    .execute(&mut *tx)
    .await?;
    let token = issue_token(&mut *tx, booking).await?;
    let booking = by_id_in(&mut tx, booking).await?;
    tx.commit().await?;
    Ok(Created {
        booking,
        token,
        replayed: false,
    })
}
