//! Making a booking: the place claimed and the row, its first history step,
//! its private link and its e-mail, in one transaction; a double submit or
//! a repeated booking finds what was made.

use super::read::{by_id_in, BookingRow};
use super::tokens::{issue_token, new_token};
use crate::booking::citizen::{Citizen, Visit};
use crate::booking::notice::{self, MailKind};
use crate::booking::BookingStatus;
use sqlx::PgPool;
use uuid::Uuid;

/// A validated booking request.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub slot_id: i64,
    pub citizen: Citizen,
    pub visit: Visit,
    pub locale: &'static str,
    pub request_id: Option<Uuid>,
}

/// Why a slot could not be claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotProblem {
    /// No such slot, withdrawn, another office's, or outside notice/horizon.
    NotBookable,
    /// Every place is taken.
    Full,
}

#[derive(Debug, thiserror::Error)]
pub enum BookError {
    #[error("slot: {0:?}")]
    Slot(SlotProblem),
    #[error("this citizen already has an active booking at this office")]
    AlreadyBooked,
    #[error("the booking is not in a status that allows this")]
    InvalidTransition,
    #[error("too late to change")]
    TooLate,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A booking just made (or found again, for a repeated submit), with a fresh
/// private-link token.
#[derive(Debug, Clone)]
pub struct Created {
    pub booking: BookingRow,
    pub token: String,
    pub replayed: bool,
}

/// Books a slot: claims a place, writes the booking, its first history
/// event, a private link and the confirmation e-mail, all in one
/// transaction.
pub async fn create(pool: &PgPool, new: &NewBooking) -> Result<Created, BookError> {
    if let Some(found) = replay_by_request(pool, new).await? {
        return Ok(found);
    }
    // Three statements in one transaction (claim; booking + history +
    // link; e-mail if any): each round trip is latency under load.
    let mut tx = pool.begin().await?;
    let claimed = sqlx::query!(
        r#"
        UPDATE slots s SET taken = s.taken + 1
        FROM offices o
        WHERE s.id = $1 AND o.id = s.office_id AND o.active
          AND NOT s.withdrawn
          AND slot_room(s) >= 1
          AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
          AND s.starts_at < ((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + o.horizon_days + 1)::timestamp
                            AT TIME ZONE 'Asia/Ho_Chi_Minh'
        RETURNING s.office_id, s.starts_at, s.ends_at, o.slug, o.name_vi, o.name_en, o.address_vi, o.address_en,
                  s.starts_at - make_interval(mins => o.min_notice_minutes) AS "change_deadline!"
        "#,
        new.slot_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(claimed) = claimed else {
        drop(tx);
        return Err(BookError::Slot(slot_problem(pool, new.slot_id).await?));
    };

    let code = crate::booking::BookingCode::random();
    let (token, hash) = new_token();
    let consent_version = crate::consent::repo::current_version(&mut tx).await?;
    let inserted = sqlx::query_scalar!(
        r#"
        WITH b AS (
            INSERT INTO bookings (code, office_id, slot_id, full_name, citizen_id, phone, email, topic,
                                  summary, party_size, representatives, needs, interpreter, locale,
                                  consent_version, consented_at, request_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now(), $16)
            RETURNING id
        ),
        e AS (
            INSERT INTO booking_events (booking_id, actor, status, to_slot)
            SELECT id, 'citizen', 'requested', $3 FROM b
        ),
        t AS (
            INSERT INTO booking_tokens (token_hash, booking_id, expires_at)
            SELECT $17, id, $18 FROM b
        )
        SELECT id AS "id!" FROM b
        "#,
        code.as_str(),
        claimed.office_id,
        new.slot_id,
        new.citizen.full_name,
        new.citizen.citizen_id,
        new.citizen.phone,
        new.citizen.email,
        new.visit.topic.as_str(),
        new.visit.summary,
        new.visit.party_size,
        &new.visit.representatives,
        new.visit.needs,
        new.visit.interpreter,
        new.locale,
        consent_version,
        new.request_id,
        &hash[..],
        claimed.ends_at + chrono::Duration::days(30),
    )
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            // Rolls back the claimed place too.
            drop(tx);
            return match replay_active(pool, claimed.office_id, new).await? {
                Some(found) => Ok(found),
                None => Err(BookError::AlreadyBooked),
            };
        }
        Err(other) => return Err(other.into()),
    };
    let booking = BookingRow {
        id,
        code: code.as_str().to_owned(),
        status: BookingStatus::Requested,
        phone: new.citizen.phone.clone(),
        email: new.citizen.email.clone(),
        full_name: new.citizen.full_name.clone(),
        topic: new.visit.topic,
        party_size: new.visit.party_size,
        representatives: new.visit.representatives.clone(),
        locale: new.locale.to_owned(),
        slot_id: new.slot_id,
        starts_at: claimed.starts_at,
        ends_at: claimed.ends_at,
        office_slug: claimed.slug,
        office_name_vi: claimed.name_vi,
        office_name_en: claimed.name_en,
        office_address_vi: claimed.address_vi,
        office_address_en: claimed.address_en,
        change_deadline: claimed.change_deadline,
        cancel_reason: None,
    };
    notice::queue(&mut tx, MailKind::Received, id, new.citizen.email.is_some()).await?;
    tx.commit().await?;
    Ok(Created {
        booking,
        token,
        replayed: false,
    })
}

/// A repeated submit of the same form (same one-time request id).
pub(super) async fn replay_by_request(
    pool: &PgPool,
    new: &NewBooking,
) -> Result<Option<Created>, BookError> {
    let Some(request_id) = new.request_id else {
        return Ok(None);
    };
    let found = sqlx::query!(
        "SELECT id, citizen_id FROM bookings WHERE request_id = $1",
        request_id
    )
    .fetch_optional(pool)
    .await?;
    match found {
        Some(row) if row.citizen_id == new.citizen.citizen_id => {
            Ok(Some(reissue(pool, row.id).await?))
        }
        Some(_) => Err(BookError::AlreadyBooked),
        None => Ok(None),
    }
}

/// After the one-active rule refused an insert: the same request sent again
/// (same slot, phone and name, within ten minutes) gets the booking it made;
/// anything else is a second booking, refused.
pub(super) async fn replay_active(
    pool: &PgPool,
    office: Uuid,
    new: &NewBooking,
) -> Result<Option<Created>, BookError> {
    let found = sqlx::query_scalar!(
        r#"
        SELECT id FROM bookings
        WHERE office_id = $1 AND citizen_id = $2
          AND status IN ('requested', 'confirmed', 'checked_in')
          AND slot_id = $3 AND phone = $4 AND full_name = $5
          AND created_at > now() - interval '10 minutes'
          AND (request_id IS NULL OR $6::uuid IS NULL OR request_id = $6)
        "#,
        office,
        new.citizen.citizen_id,
        new.slot_id,
        new.citizen.phone,
        new.citizen.full_name,
        new.request_id,
    )
    .fetch_optional(pool)
    .await?;
    match found {
        Some(id) => Ok(Some(reissue(pool, id).await?)),
        None => Ok(None),
    }
}

pub(super) async fn reissue(pool: &PgPool, id: Uuid) -> Result<Created, BookError> {
    let mut tx = pool.begin().await?;
    let token = issue_token(&mut *tx, id).await?;
    let booking = by_id_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Created {
        booking,
        token,
        replayed: true,
    })
}

/// Why a claim of `slot` found no room. Room that is free but refused
/// because someone waits for the slot's day (see `slot_room` in the
/// open-room migration) is offered to the first entries now, before the
/// claim answers "full", rather than at the offers loop's next round.
pub(super) async fn slot_problem(pool: &PgPool, slot: i64) -> Result<SlotProblem, sqlx::Error> {
    let found = sqlx::query!(
        r#"
        SELECT slot_room(s) = 0 AS "full!", slot_free(s) > 0 AS "waited_for!"
        FROM slots s JOIN offices o ON o.id = s.office_id
        WHERE s.id = $1 AND NOT s.withdrawn AND o.active
          AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
        "#,
        slot
    )
    .fetch_optional(pool)
    .await?;
    Ok(match found {
        Some(room) if room.full => {
            if room.waited_for {
                let mut tx = pool.begin().await?;
                crate::booking::waitlist::repo::offer_room(&mut tx, slot).await?;
                tx.commit().await?;
            }
            SlotProblem::Full
        }
        _ => SlotProblem::NotBookable,
    })
}
