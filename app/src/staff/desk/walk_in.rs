//! Walk-ins: someone at the desk without a booking is registered into a
//! slot of today that still has room, and is checked in at once. The place
//! is claimed exactly as a citizen's booking claims it, so a walk-in never
//! overbooks a slot either. The desk may use a place kept back from online
//! booking (see the `slot_kept` function in the kept-places migration): a
//! desk booking is marked `kept_place`, which fills a kept place first.

use crate::booking::citizen::{Citizen, Visit};
use crate::booking::repo;
use crate::booking::{BookingCode, BookingStatus, HistoryStep, PriorityGroup};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::StaffUser;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

/// Where a walk-in goes.
pub enum Place {
    /// A slot running now or later today with room.
    Slot(DateTime<Utc>),
    /// Outside the slots, now (only where the office allows it).
    Now,
}

pub struct WalkIn {
    pub office: Uuid,
    pub place: Place,
    pub citizen: Citizen,
    pub visit: Visit,
}

#[derive(Debug, thiserror::Error)]
pub enum WalkInError {
    #[error("no place left in that slot")]
    Full,
    #[error("not a slot running now or later today")]
    NoSuchSlot,
    #[error("the office takes no walk-ins outside its slots")]
    NotAllowed,
    #[error("this CCCD already holds an active booking at this office")]
    AlreadyBooked,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Registers the walk-in; returns the new booking's code.
pub async fn register(
    pool: &PgPool,
    user: &StaffUser,
    trusted: &[ipnet::IpNet],
    w: &WalkIn,
) -> Result<String, WalkInError> {
    let mut tx = pool.begin().await?;
    let slot = match w.place {
        Place::Slot(starts_at) => claim(&mut tx, w.office, starts_at).await?,
        Place::Now => own_slot(&mut tx, w.office).await?,
    };
    let code = BookingCode::random();
    let id = insert(
        &mut tx,
        &DeskMade {
            code: &code,
            office: w.office,
            slot,
            citizen: &w.citizen,
            visit: &w.visit,
            priority: None,
        },
    )
    .await?;
    repo::record_event(
        &mut tx,
        id,
        &user.id.to_string(),
        HistoryStep::CheckedIn,
        None,
        Some(slot),
        Some("walk-in"),
    )
    .await?;
    audit::record(
        &mut tx,
        user,
        trusted,
        Entry {
            action: "booking.walk_in",
            record_type: "booking",
            record_id: code.as_str(),
            office: Some(w.office),
            details: serde_json::json!({ "outside_slots": matches!(w.place, Place::Now) }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(code.as_str().to_owned())
}

/// A booking the desk makes: a walk-in (checked in at once) or a priority
/// citizen's booking ahead (confirmed, for `priority`'s reason).
pub(super) struct DeskMade<'a> {
    pub code: &'a BookingCode,
    pub office: Uuid,
    pub slot: i64,
    pub citizen: &'a Citizen,
    pub visit: &'a Visit,
    pub priority: Option<PriorityGroup>,
}

/// Writes a desk booking into a place already claimed; it fills a kept
/// place. The legal basis is the duty to receive citizens, not consent
/// (recorded as `desk-…`).
pub(super) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    d: &DeskMade<'_>,
) -> Result<Uuid, WalkInError> {
    let (status, walk_in) = match d.priority {
        None => (BookingStatus::CheckedIn, true),
        Some(_) => (BookingStatus::Confirmed, false),
    };
    let inserted = sqlx::query_scalar!(
        r#"
        INSERT INTO bookings (code, office_id, slot_id, status, full_name, citizen_id, phone, email, topic,
                              summary, party_size, representatives, needs, interpreter, locale,
                              legal_basis, walk_in, kept_place, priority, answered_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'vi', 'legal_duty', $15, true, $16, now())
        RETURNING id
        "#,
        d.code.as_str(),
        d.office,
        d.slot,
        status.as_str(),
        d.citizen.full_name,
        d.citizen.citizen_id,
        d.citizen.phone,
        d.citizen.email,
        d.visit.topic.as_str(),
        d.visit.summary,
        d.visit.party_size,
        &d.visit.representatives,
        d.visit.needs,
        d.visit.interpreter,
        walk_in,
        d.priority.map(PriorityGroup::as_str),
    )
    .fetch_one(&mut **tx)
    .await;
    match inserted {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(db))
            if db.constraint() == Some("bookings_one_active_per_citizen") =>
        {
            Err(WalkInError::AlreadyBooked)
        }
        Err(e) => Err(e.into()),
    }
}

/// Takes a place in the office's slot at `starts_at`, if it runs now or
/// later today and has room.
async fn claim(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    office: Uuid,
    starts_at: DateTime<Utc>,
) -> Result<i64, WalkInError> {
    let slot = sqlx::query_scalar!(
        r#"
        UPDATE slots SET taken = taken + 1
        WHERE office_id = $1 AND starts_at = $2 AND NOT withdrawn
          AND ends_at > now()
          AND ((starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
               OR starts_at <= now())
          AND taken + 1 <= capacity
        RETURNING id
        "#,
        office,
        starts_at
    )
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(slot) = slot {
        return Ok(slot);
    }
    let exists = sqlx::query_scalar!(
        r#"
        SELECT EXISTS (SELECT 1 FROM slots WHERE office_id = $1 AND starts_at = $2 AND NOT withdrawn
                       AND ends_at > now()
                       AND ((starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                            OR starts_at <= now())) AS "x!"
        "#,
        office,
        starts_at
    )
    .fetch_one(&mut **tx)
    .await?;
    Err(if exists {
        WalkInError::Full
    } else {
        WalkInError::NoSuchSlot
    })
}

/// A slot of one place starting now, for a walk-in outside the offered
/// slots: withdrawn from the start, so it is never offered to citizens, and
/// kept by the generator because a booking points at it.
async fn own_slot(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    office: Uuid,
) -> Result<i64, WalkInError> {
    let allowed = sqlx::query_scalar!(
        "SELECT walk_ins_outside_slots FROM offices WHERE id = $1",
        office
    )
    .fetch_one(&mut **tx)
    .await?;
    if !allowed {
        return Err(WalkInError::NotAllowed);
    }
    // To the microsecond: two walk-ins in the same second still get a slot
    // each (starts are unique per office).
    Ok(sqlx::query_scalar!(
        r#"
        INSERT INTO slots (office_id, starts_at, ends_at, capacity, taken, withdrawn)
        VALUES ($1, clock_timestamp(), clock_timestamp() + interval '30 minutes', 1, 1, true)
        RETURNING id
        "#,
        office
    )
    .fetch_one(&mut **tx)
    .await?)
}
