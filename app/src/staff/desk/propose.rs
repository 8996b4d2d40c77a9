//! The desk answers a request with another time: a slot of the same office
//! with room, its place held for the citizen until they accept or decline,
//! or until the proposal expires (`PROPOSAL_HOURS`, and never past the
//! proposed slot's notice).

use crate::booking::notice::{self, MailKind};
use crate::booking::repo::{self, BookingRow, OpenProposal};
use crate::booking::{BookingStatus, HistoryStep};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::StaffUser;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Why a proposal was refused.
#[derive(Debug, thiserror::Error)]
pub enum ProposeError {
    #[error("no such booking")]
    NotFound,
    #[error("another office's booking")]
    OtherOffice,
    #[error("only a request can be answered with another time")]
    NotRequested(BookingStatus),
    #[error("the booking already has an open proposal")]
    AlreadyOpen,
    #[error("no bookable slot of the office starts then")]
    NoSuchSlot,
    #[error("the proposed slot is full")]
    Full,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// What the desk proposes.
pub struct Proposal<'a> {
    pub code: &'a str,
    pub starts_at: DateTime<Utc>,
    pub message: &'a str,
    pub hours: i32,
}

/// Holds a place of the proposed slot and records the proposal, its
/// history step and its audit entry in one transaction.
pub async fn propose(
    pool: &PgPool,
    user: &StaffUser,
    trusted: &[ipnet::IpNet],
    p: &Proposal<'_>,
) -> Result<(BookingRow, OpenProposal), ProposeError> {
    let mut tx = pool.begin().await?;
    let current = sqlx::query!(
        r#"
        SELECT b.id, b.office_id, b.slot_id, b.status AS "status: BookingStatus",
               EXISTS (SELECT 1 FROM booking_proposals p WHERE p.booking_id = b.id AND p.outcome IS NULL)
                   AS "open!"
        FROM bookings b WHERE b.code = $1
        FOR UPDATE OF b
        "#,
        p.code
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ProposeError::NotFound)?;
    if !user.serves(current.office_id) {
        return Err(ProposeError::OtherOffice);
    }
    if current.status != BookingStatus::Requested {
        return Err(ProposeError::NotRequested(current.status));
    }
    if current.open {
        return Err(ProposeError::AlreadyOpen);
    }
    // An online request is answered with an online place: the kept ones
    // stay for walk-ins and priority citizens.
    let held = sqlx::query!(
        r#"
        UPDATE slots s SET taken = s.taken + 1
        FROM offices o
        WHERE s.office_id = $1 AND s.starts_at = $2 AND s.id <> $3 AND o.id = s.office_id
          AND o.active AND NOT s.withdrawn AND slot_room(s) >= 1
          AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
        RETURNING s.id, s.starts_at, s.ends_at,
                  LEAST(now() + make_interval(hours => $4),
                        s.starts_at - make_interval(mins => o.min_notice_minutes)) AS "expires_at!"
        "#,
        current.office_id,
        p.starts_at,
        current.slot_id,
        p.hours
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(held) = held else {
        let found = sqlx::query!(
            r#"
            SELECT s.id, slot_room(s) = 0 AS "full!", slot_free(s) > 0 AS "waited_for!"
            FROM slots s JOIN offices o ON o.id = s.office_id
            WHERE s.office_id = $1 AND s.starts_at = $2 AND s.id <> $3 AND NOT s.withdrawn
              AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
            "#,
            current.office_id,
            p.starts_at,
            current.slot_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        return Err(match found {
            Some(room) if room.full => {
                // Free room someone waits for goes to them now (as a
                // refused online claim does); nothing else was written.
                if room.waited_for {
                    crate::booking::waitlist::repo::offer_room(&mut tx, room.id).await?;
                    tx.commit().await?;
                }
                ProposeError::Full
            }
            _ => ProposeError::NoSuchSlot,
        });
    };
    let message = p.message.trim();
    let inserted = sqlx::query!(
        r#"
        INSERT INTO booking_proposals (booking_id, slot_id, message, proposed_by, expires_at)
        VALUES ($1, $2, $3, $4, $5)
        "#,
        current.id,
        held.id,
        message,
        user.id,
        held.expires_at
    )
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        // Two desks at once: the row lock let this one in after the other
        // committed, but the check above read the booking as it was before.
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            return Err(ProposeError::AlreadyOpen)
        }
        Err(other) => return Err(other.into()),
    }
    // Another time is an answer too.
    sqlx::query!(
        "UPDATE bookings SET answered_at = COALESCE(answered_at, now()) WHERE id = $1",
        current.id
    )
    .execute(&mut *tx)
    .await?;
    repo::record_event(
        &mut tx,
        current.id,
        &user.id.to_string(),
        HistoryStep::Proposed,
        Some(current.slot_id),
        Some(held.id),
        Some(message).filter(|m| !m.is_empty()),
    )
    .await?;
    audit::record(
        &mut tx,
        user,
        trusted,
        Entry {
            action: "booking.propose",
            record_type: "booking",
            record_id: p.code,
            office: Some(current.office_id),
            details: serde_json::json!({
                "starts_at": held.starts_at, "expires_at": held.expires_at,
            }),
        },
    )
    .await?;
    let booking = repo::by_id_in(&mut tx, current.id).await?;
    notice::queue(
        &mut tx,
        MailKind::Proposed,
        current.id,
        booking.email.is_some(),
    )
    .await?;
    tx.commit().await?;
    Ok((
        booking,
        OpenProposal {
            starts_at: held.starts_at,
            ends_at: held.ends_at,
            expires_at: held.expires_at,
            message: message.to_owned(),
        },
    ))
}
