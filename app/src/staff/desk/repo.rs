//! SQL for the front desk: a day's slots and bookings of one office, and the
//! status changes staff make. Each change locks the booking row, so two staff
//! members acting on the same booking at once see each other's result.

use crate::booking::notice::{self, MailKind};
use crate::booking::repo::{self, BookingRow};
use crate::booking::{BookingStatus, DeskAction, Topic};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::StaffUser;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;
use uuid::Uuid;

pub struct DaySlotRow {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i16,
    pub taken: i16,
    pub withdrawn: bool,
    pub kept_walk_in: i16,
    pub kept_priority: i16,
    /// Still kept from online booking now.
    pub kept: i32,
}

pub struct DeskRow {
    pub code: String,
    pub status: BookingStatus,
    pub full_name: String,
    pub party_size: i16,
    pub representatives: Vec<String>,
    pub topic: Topic,
    pub summary: String,
    pub needs: String,
    pub interpreter: bool,
    pub email_given: bool,
    /// Shown only to call a citizen who gave no e-mail (see `day.rs`).
    pub phone: String,
    pub slot_id: i64,
    pub created_at: DateTime<Utc>,
    pub notes: Vec<String>,
    pub walk_in: bool,
    pub priority: Option<crate::booking::PriorityGroup>,
    /// The officer handling the case opened from this booking, if any.
    pub case_handler: Option<Uuid>,
    /// The start of another time proposed and not yet answered.
    pub proposed_at: Option<DateTime<Utc>>,
    /// A request not yet answered: how long it has waited, in the office's
    /// opening hours.
    pub waited_seconds: Option<i64>,
}

/// The office's slots on `day` (Vietnam date), including withdrawn ones
/// that still hold bookings.
pub async fn day_slots(
    pool: &PgPool,
    office: Uuid,
    day: NaiveDate,
) -> Result<Vec<DaySlotRow>, sqlx::Error> {
    sqlx::query_as!(
        DaySlotRow,
        r#"
        SELECT s.id, s.starts_at, s.ends_at, s.capacity, s.taken, s.withdrawn,
               COALESCE(v.kept_walk_in, o.kept_walk_in) AS "kept_walk_in!",
               COALESCE(v.kept_priority, o.kept_priority) AS "kept_priority!",
               slot_kept(s) AS "kept!"
        FROM slots s
        JOIN offices o ON o.id = s.office_id
        LEFT JOIN slot_overrides v ON v.office_id = s.office_id AND v.starts_at = s.starts_at
        WHERE s.office_id = $1
          AND s.starts_at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND s.starts_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND (NOT s.withdrawn OR EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id))
        ORDER BY s.starts_at
        "#,
        office,
        day,
    )
    .fetch_all(pool)
    .await
}

/// Every booking in the office's slots on `day`, in slot order, with the
/// staff notes on each.
pub async fn day_bookings(
    pool: &PgPool,
    office: Uuid,
    day: NaiveDate,
) -> Result<Vec<DeskRow>, sqlx::Error> {
    sqlx::query_as!(
        DeskRow,
        r#"
        SELECT b.code, b.status AS "status: BookingStatus", b.full_name, b.party_size, b.representatives,
               b.topic AS "topic: Topic",
               b.summary, b.needs, b.interpreter, (b.email IS NOT NULL) AS "email_given!",
               b.phone, b.slot_id, b.created_at, b.walk_in,
               b.priority AS "priority: crate::booking::PriorityGroup",
               coalesce((SELECT array_agg(n.body ORDER BY n.at) FROM booking_notes n WHERE n.booking_id = b.id), '{}') AS "notes!",
               c.assigned_to AS "case_handler?",
               (SELECT ps.starts_at FROM booking_proposals p JOIN slots ps ON ps.id = p.slot_id
                WHERE p.booking_id = b.id AND p.outcome IS NULL AND p.expires_at > now()) AS "proposed_at?",
               CASE WHEN b.status = 'requested' AND b.answered_at IS NULL
                    THEN office_open_seconds(b.office_id, b.requested_at, now()) END AS "waited_seconds?"
        FROM bookings b
        JOIN slots s ON s.id = b.slot_id
        LEFT JOIN cases c ON c.booking_id = b.id
        WHERE b.office_id = $1
          AND s.starts_at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND s.starts_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
        ORDER BY s.starts_at, b.created_at
        "#,
        office,
        day,
    )
    .fetch_all(pool)
    .await
}

/// Slots running now or later today with room (walk-ins can go there).
pub async fn walk_in_slots(pool: &PgPool, office: Uuid) -> Result<Vec<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        SELECT starts_at FROM slots
        WHERE office_id = $1 AND NOT withdrawn AND ends_at > now() AND taken < capacity
          AND ((starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
               OR starts_at <= now())
        ORDER BY starts_at
        "#,
        office
    )
    .fetch_all(pool)
    .await
}

/// Slots of `day` not yet begun with a place, kept or not (a priority
/// citizen can be booked there).
pub async fn priority_slots(
    pool: &PgPool,
    office: Uuid,
    day: NaiveDate,
) -> Result<Vec<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        SELECT starts_at FROM slots
        WHERE office_id = $1 AND NOT withdrawn AND starts_at > now() AND taken < capacity
          AND starts_at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND starts_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
        ORDER BY starts_at
        "#,
        office,
        day
    )
    .fetch_all(pool)
    .await
}

/// Whether the office takes walk-ins outside its slots.
pub async fn walk_ins_outside_slots(pool: &PgPool, office: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT walk_ins_outside_slots FROM offices WHERE id = $1",
        office
    )
    .fetch_one(pool)
    .await
}

/// Why a desk action was refused.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("no such booking")]
    NotFound,
    #[error("not one of the member's offices")]
    OtherOffice,
    #[error("status {0:?} does not allow this action")]
    InvalidTransition(BookingStatus),
    #[error("check-in is only on the day of the appointment")]
    NotToday,
    #[error("a no-show only once the appointment has begun")]
    NotYetBegun,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Applies `action` to the booking `code`: status, freed place (reject),
/// history, audit and e-mail in one transaction.
pub async fn apply(
    pool: &PgPool,
    user: &StaffUser,
    trusted: &[ipnet::IpNet],
    code: &str,
    action: DeskAction,
    reason: &str,
) -> Result<BookingRow, DeskError> {
    let mut tx = pool.begin().await?;
    let current = sqlx::query!(
        r#"
        SELECT b.id, b.office_id, b.slot_id, b.status AS "status: BookingStatus",
               (s.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                   = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS "on_the_day!",
               s.starts_at <= now() AS "begun!"
        FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE b.code = $1
        FOR UPDATE OF b
        "#,
        code
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(DeskError::NotFound)?;
    if !user.serves(current.office_id) {
        return Err(DeskError::OtherOffice);
    }
    if !action.allowed_from(current.status) {
        return Err(DeskError::InvalidTransition(current.status));
    }
    // A citizen is received on the day of their appointment (Vietnam time),
    // and is absent only once their time has come.
    match action {
        DeskAction::CheckIn if !current.on_the_day => return Err(DeskError::NotToday),
        DeskAction::NoShow if !current.begun => return Err(DeskError::NotYetBegun),
        _ => {}
    }
    let to = action.resulting_status();
    let reason = Some(reason.trim()).filter(|r| !r.is_empty());
    sqlx::query!(
        r#"
        UPDATE bookings
        SET status = $2, updated_at = now(),
            cancel_reason = CASE WHEN $2 IN ('rejected', 'cancelled') THEN $3 ELSE cancel_reason END,
            -- Confirming, rejecting and cancelling a request answer it.
            answered_at = CASE WHEN status = 'requested' THEN COALESCE(answered_at, now()) ELSE answered_at END
        WHERE id = $1
        "#,
        current.id,
        to.as_str(),
        reason,
    )
    .execute(&mut *tx)
    .await?;
    if action.frees_place() {
        sqlx::query!(
            "UPDATE slots SET taken = taken - 1 WHERE id = $1",
            current.slot_id
        )
        .execute(&mut *tx)
        .await?;
        // To the day's waiting list first.
        crate::booking::waitlist::repo::offer_room(&mut tx, current.slot_id).await?;
    }
    // Any answer to the request ends a proposal still open for it.
    repo::close_open(&mut tx, current.id, "withdrawn").await?;
    repo::record_event(
        &mut tx,
        current.id,
        &user.id.to_string(),
        to.into(),
        None,
        None,
        reason,
    )
    .await?;
    audit::record(
        &mut tx,
        user,
        trusted,
        Entry {
            action: action.audit_name(),
            record_type: "booking",
            record_id: code,
            office: Some(current.office_id),
            // The reason is free text about a citizen: it stays with the booking
            // (where the purge reaches it), the append-only trail only
            // records that one was given.
            details: serde_json::json!({ "from": current.status, "to": to, "reason_given": reason.is_some() }),
        },
    )
    .await?;
    let booking = repo::by_id_in(&mut tx, current.id).await?;
    let notice = match action {
        DeskAction::Confirm => Some(MailKind::Confirmed),
        DeskAction::Reject => Some(MailKind::Rejected),
        DeskAction::Cancel => Some(MailKind::CancelledByStaff),
        DeskAction::CheckIn | DeskAction::NoShow | DeskAction::Complete => None,
    };
    if let Some(kind) = notice {
        notice::queue(&mut tx, kind, current.id, booking.email.is_some()).await?;
    }
    tx.commit().await?;
    Ok(booking)
}

/// Adds a staff note to a booking (never shown to the citizen).
pub async fn add_note(
    pool: &PgPool,
    user: &StaffUser,
    trusted: &[ipnet::IpNet],
    code: &str,
    body: &str,
) -> Result<(), DeskError> {
    let mut tx = pool.begin().await?;
    let booking = sqlx::query!("SELECT id, office_id FROM bookings WHERE code = $1", code)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DeskError::NotFound)?;
    if !user.serves(booking.office_id) {
        return Err(DeskError::OtherOffice);
    }
    sqlx::query!(
        "INSERT INTO booking_notes (booking_id, author_id, body) VALUES ($1, $2, $3)",
        booking.id,
        user.id,
        body
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        user,
        trusted,
        Entry {
            action: "booking.note",
            record_type: "booking",
            record_id: code,
            office: Some(booking.office_id),
            details: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
