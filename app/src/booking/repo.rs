//! SQL for bookings. Every rule that concurrency could break is enforced by
//! PostgreSQL itself: the slot's `taken` counter and its CHECK, conditional
//! updates, the one-active-booking unique index, and status
//! compare-and-swap.

use super::citizen::{Citizen, Visit};
use super::notice::{self, MailKind};
use super::{BookingStatus, HistoryStep, Topic};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Postgres, Transaction};
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

/// A booking with what the citizen sees of it.
#[derive(Debug, Clone)]
pub struct BookingRow {
    pub id: Uuid,
    pub code: String,
    pub status: BookingStatus,
    pub phone: String,
    pub email: Option<String>,
    pub full_name: String,
    pub topic: Topic,
    pub party_size: i16,
    pub representatives: Vec<String>,
    pub locale: String,
    pub slot_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub office_slug: String,
    pub office_name_vi: String,
    pub office_name_en: Option<String>,
    pub office_address_vi: String,
    pub office_address_en: Option<String>,
    /// Cancel and move are open until this instant.
    pub change_deadline: DateTime<Utc>,
    /// Why it was cancelled or rejected, when a reason was given.
    pub cancel_reason: Option<String>,
}

/// `query_as!` over bookings with their slot and office, filtered by `$where`.
macro_rules! select_booking {
    ($where:literal, $($arg:expr),*) => {
        sqlx::query_as!(
            BookingRow,
            r#"
            SELECT b.id, b.code, b.status AS "status: BookingStatus", b.phone, b.email, b.full_name,
                   b.topic AS "topic: Topic", b.party_size,
                   b.representatives, b.locale, b.slot_id, s.starts_at, s.ends_at,
                   o.slug AS office_slug, o.name_vi AS office_name_vi, o.name_en AS office_name_en,
                   o.address_vi AS office_address_vi, o.address_en AS office_address_en,
                   s.starts_at - make_interval(mins => o.min_notice_minutes) AS "change_deadline!",
                   b.cancel_reason
            FROM bookings b
            JOIN slots s ON s.id = b.slot_id
            JOIN offices o ON o.id = b.office_id
            "# + $where,
            $($arg),*
        )
    };
}

pub async fn by_code(pool: &PgPool, code: &str) -> Result<Option<BookingRow>, sqlx::Error> {
    select_booking!("WHERE b.code = $1", code)
        .fetch_optional(pool)
        .await
}

pub async fn by_id(pool: &PgPool, id: Uuid) -> Result<Option<BookingRow>, sqlx::Error> {
    select_booking!("WHERE b.id = $1", id)
        .fetch_optional(pool)
        .await
}

/// The booking a private link opens, if the link is valid and unexpired.
pub async fn by_token(pool: &PgPool, token: &str) -> Result<Option<BookingRow>, sqlx::Error> {
    let hash = token_hash(token);
    select_booking!(
        "WHERE b.id = (SELECT booking_id FROM booking_tokens WHERE token_hash = $1 AND expires_at > now())",
        &hash[..]
    )
    .fetch_optional(pool)
    .await
}

pub async fn history(
    pool: &PgPool,
    booking: Uuid,
) -> Result<Vec<(DateTime<Utc>, HistoryStep)>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"SELECT at, status AS "status: HistoryStep" FROM booking_events WHERE booking_id = $1 ORDER BY at, id"#,
        booking
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.at, r.status))
    .collect())
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
          AND s.taken + 1 <= s.capacity
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

    let code = super::BookingCode::random();
    let (token, hash) = new_token();
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
        super::CONSENT_VERSION,
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
async fn replay_by_request(pool: &PgPool, new: &NewBooking) -> Result<Option<Created>, BookError> {
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
async fn replay_active(
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

async fn reissue(pool: &PgPool, id: Uuid) -> Result<Created, BookError> {
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

async fn slot_problem(pool: &PgPool, slot: i64) -> Result<SlotProblem, sqlx::Error> {
    let full = sqlx::query_scalar!(
        r#"
        SELECT s.taken >= s.capacity AS "full!"
        FROM slots s JOIN offices o ON o.id = s.office_id
        WHERE s.id = $1 AND NOT s.withdrawn AND o.active
          AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
        "#,
        slot
    )
    .fetch_optional(pool)
    .await?;
    Ok(match full {
        Some(true) => SlotProblem::Full,
        _ => SlotProblem::NotBookable,
    })
}

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

async fn try_reschedule(pool: &PgPool, id: Uuid, new_slot: i64) -> Result<BookingRow, BookError> {
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
          AND s.taken + 1 <= s.capacity
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
    // A new time needs the office to confirm it again.
    sqlx::query!(
        "UPDATE bookings SET slot_id = $2, status = 'requested', updated_at = now(), reminder_queued_at = NULL WHERE id = $1",
        id,
        new_slot
    )
    .execute(&mut *tx)
    .await?;
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

async fn why_unchangeable(pool: &PgPool, id: Uuid) -> Result<BookError, sqlx::Error> {
    Ok(match by_id(pool, id).await? {
        Some(b) if b.status.changeable() => BookError::TooLate,
        _ => BookError::InvalidTransition,
    })
}

pub(crate) async fn by_id_in(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
) -> Result<BookingRow, sqlx::Error> {
    select_booking!("WHERE b.id = $1", id)
        .fetch_one(&mut **tx)
        .await
}

pub(crate) async fn record_event(
    tx: &mut Transaction<'_, Postgres>,
    booking: Uuid,
    actor: &str,
    step: HistoryStep,
    from_slot: Option<i64>,
    to_slot: Option<i64>,
    note: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO booking_events (booking_id, actor, status, from_slot, to_slot, note) VALUES ($1, $2, $3, $4, $5, $6)",
        booking,
        actor,
        step.as_str(),
        from_slot,
        to_slot,
        note
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A new private link for `booking`, valid until 30 days after its slot.
/// Only the SHA-256 of the token is stored.
pub async fn issue_token<'e>(
    db: impl sqlx::PgExecutor<'e>,
    booking: Uuid,
) -> Result<String, sqlx::Error> {
    let (token, hash) = new_token();
    sqlx::query!(
        r#"
        INSERT INTO booking_tokens (token_hash, booking_id, expires_at)
        SELECT $1, b.id, s.ends_at + interval '30 days'
        FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE b.id = $2
        "#,
        &hash[..],
        booking
    )
    .execute(db)
    .await?;
    Ok(token)
}

/// A short-lived link made after a successful code + phone look-up.
pub async fn issue_lookup_token(pool: &PgPool, booking: Uuid) -> Result<String, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let token = issue_token(&mut *tx, booking).await?;
    let hash = token_hash(&token);
    sqlx::query!(
        "UPDATE booking_tokens SET expires_at = least(expires_at, now() + interval '2 hours') WHERE token_hash = $1",
        &hash[..]
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// 256 random bits, URL-safe, and the SHA-256 that is stored instead.
pub(crate) fn new_token() -> (String, [u8; 32]) {
    use base64::Engine as _;
    use rand::RngCore as _;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub(crate) fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Queues the day-before reminder of every confirmed booking tomorrow
/// (Vietnam date) that has an e-mail and none queued yet; its page cancels
/// in one tap. The `UPDATE … RETURNING` claims each booking once, however
/// many instances run this.
pub async fn queue_reminders(pool: &PgPool) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let ids = sqlx::query_scalar!(
        r#"
        UPDATE bookings b SET reminder_queued_at = now()
        FROM slots s
        WHERE s.id = b.slot_id
          AND b.status = 'confirmed'
          AND b.email IS NOT NULL
          AND b.reminder_queued_at IS NULL
          AND (s.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
              = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1
        RETURNING b.id
        "#
    )
    .fetch_all(&mut *tx)
    .await?;
    for id in &ids {
        notice::queue(&mut tx, MailKind::Reminder, *id, true).await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}
