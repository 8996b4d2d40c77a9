//! Joining, reading and leaving a waiting list.

use super::offers::give_back;
use super::JOINED;
use crate::booking::citizen::{Citizen, Visit};
use crate::booking::repo::{new_token, token_hash};
use crate::booking::waitlist::WaitState;
use crate::booking::BookingCode;
use crate::ssr::outbox::{self, About, Queued};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgPool, Postgres, Transaction};
use std::time::Duration;
use uuid::Uuid;

/// A validated request to wait for a place on `day`.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub office: Uuid,
    pub day: NaiveDate,
    /// The time asked for; `None`: any time that day.
    pub slot: Option<i64>,
    /// The e-mail is required (checked by the caller).
    pub citizen: Citizen,
    pub visit: Visit,
    pub locale: &'static str,
}

/// Why an entry could not be made.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// No slot of the office that day can still be offered (closed, past,
    /// or the time asked for is not one of the day's).
    #[error("the day cannot be waited for")]
    NotWaitable,
    /// A place is bookable that day: book it instead.
    #[error("the day has room")]
    DayNotFull,
    #[error("this citizen already waits for this day")]
    AlreadyWaiting,
    /// The citizen holds a booking at this office on this day or earlier.
    #[error("this citizen already has an earlier booking here")]
    AlreadyBooked,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// An entry as its holder and the desk see it.
#[derive(Debug, Clone)]
pub struct EntryRow {
    pub id: Uuid,
    pub code: String,
    pub office_id: Uuid,
    pub office_slug: String,
    pub office_name_vi: String,
    pub office_name_en: Option<String>,
    pub day: NaiveDate,
    pub slot_starts_at: Option<DateTime<Utc>>,
    pub state: WaitState,
    pub phone: String,
    pub email: String,
    pub full_name: String,
    pub locale: String,
    /// Entries of the day ahead of this one (while it waits).
    pub ahead: i64,
    /// The place on offer, its end and until when it is held.
    pub offer_starts_at: Option<DateTime<Utc>>,
    pub offer_ends_at: Option<DateTime<Utc>>,
    pub offer_until: Option<DateTime<Utc>>,
    /// The booking the entry moves (or made, once claimed).
    pub booking_id: Option<Uuid>,
}

/// Writes an entry for a full day, a private link to it and its
/// confirmation e-mail, in one transaction. Returns the entry and the link's
/// token.
pub async fn join(
    pool: &PgPool,
    new: &NewEntry,
    hold: Duration,
) -> Result<(EntryRow, String), JoinError> {
    let mut tx = pool.begin().await?;
    let day = sqlx::query!(
        r#"
        SELECT count(*) FILTER (WHERE s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
                                  AND ($3::bigint IS NULL OR s.id = $3)) AS "offerable!",
               count(*) FILTER (WHERE s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
                                  AND slot_room(s) > 0) AS "room!"
        FROM slots s JOIN offices o ON o.id = s.office_id
        WHERE s.office_id = $1 AND o.active AND NOT s.withdrawn
          AND s.starts_at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND s.starts_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND s.starts_at < ((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + o.horizon_days + 1)::timestamp
                            AT TIME ZONE 'Asia/Ho_Chi_Minh'
        "#,
        new.office,
        new.day,
        new.slot
    )
    .fetch_one(&mut *tx)
    .await?;
    if day.offerable == 0 {
        return Err(JoinError::NotWaitable);
    }
    if day.room > 0 {
        return Err(JoinError::DayNotFull);
    }
    // A booking for a later day may wait for this one (the claim moves it);
    // one on this day or before has nothing to wait for.
    let held = sqlx::query!(
        r#"
        SELECT b.id, (s.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > $3 AS "later!"
        FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE b.office_id = $1 AND b.citizen_id = $2 AND b.status IN ('requested', 'confirmed', 'checked_in')
        "#,
        new.office,
        new.citizen.citizen_id,
        new.day
    )
    .fetch_optional(&mut *tx)
    .await?;
    let booking = match held {
        Some(b) if b.later => Some(b.id),
        Some(_) => return Err(JoinError::AlreadyBooked),
        None => None,
    };
    let code = BookingCode::random();
    let email = new.citizen.email.as_deref().unwrap_or_default();
    let consent_version = crate::consent::repo::current_version(&mut tx).await?;
    let inserted = sqlx::query_scalar!(
        r#"
        INSERT INTO waitlist_entries (code, office_id, day, slot_id, booking_id, full_name, citizen_id, phone,
                                      email, topic, summary, party_size, representatives, needs, interpreter,
                                      locale, consent_version, consented_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, now())
        RETURNING id
        "#,
        code.as_str(),
        new.office,
        new.day,
        new.slot,
        booking,
        new.citizen.full_name,
        new.citizen.citizen_id,
        new.citizen.phone,
        email,
        new.visit.topic.as_str(),
        new.visit.summary,
        new.visit.party_size,
        &new.visit.representatives,
        new.visit.needs,
        new.visit.interpreter,
        new.locale,
        consent_version,
    )
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            return Err(JoinError::AlreadyWaiting)
        }
        Err(other) => return Err(other.into()),
    };
    let token = issue_token(&mut tx, id).await?;
    outbox::enqueue(&mut tx, &Queued::new(JOINED, About::Waitlist(id))).await?;
    let entry = by_id_in(&mut tx, id, hold).await?;
    tx.commit().await?;
    Ok((entry, token))
}

/// A new private link to `entry`, valid until a week after its day.
pub async fn issue_token(
    tx: &mut Transaction<'_, Postgres>,
    entry: Uuid,
) -> Result<String, sqlx::Error> {
    let (token, hash) = new_token();
    sqlx::query!(
        r#"
        INSERT INTO waitlist_tokens (token_hash, entry_id, expires_at)
        SELECT $1, id, (day + 8)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' FROM waitlist_entries WHERE id = $2
        "#,
        &hash[..],
        entry
    )
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// `query_as!` over entries with their office, place on offer and queue
/// position, filtered by `$where`; `$1` is the hold in seconds.
macro_rules! select_entry {
    ($where:literal, $($arg:expr),*) => {
        sqlx::query_as!(
            EntryRow,
            r#"
            SELECT w.id, w.code, w.office_id, o.slug AS office_slug, o.name_vi AS office_name_vi,
                   o.name_en AS office_name_en, w.day, ws.starts_at AS "slot_starts_at?", w.state AS "state: WaitState",
                   w.phone, w.email, w.full_name, w.locale,
                   (SELECT count(*) FROM waitlist_entries a
                    WHERE a.office_id = w.office_id AND a.day = w.day AND a.state = 'waiting'
                      AND (a.created_at, a.id) < (w.created_at, w.id)) AS "ahead!",
                   os.starts_at AS "offer_starts_at?", os.ends_at AS "offer_ends_at?",
                   least(w.offered_at + make_interval(secs => $1),
                         os.starts_at - make_interval(mins => o.min_notice_minutes)) AS "offer_until?",
                   w.booking_id
            FROM waitlist_entries w
            JOIN offices o ON o.id = w.office_id
            LEFT JOIN slots ws ON ws.id = w.slot_id
            LEFT JOIN slots os ON os.id = w.offered_slot AND w.state = 'offered'
            "# + $where,
            $($arg),*
        )
    };
}

pub async fn by_id_in(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    hold: Duration,
) -> Result<EntryRow, sqlx::Error> {
    select_entry!("WHERE w.id = $2", hold.as_secs_f64(), id)
        .fetch_one(&mut **tx)
        .await
}

pub async fn find_in(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    hold: Duration,
) -> Result<Option<EntryRow>, sqlx::Error> {
    select_entry!("WHERE w.id = $2", hold.as_secs_f64(), id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn by_code(
    pool: &PgPool,
    code: &str,
    hold: Duration,
) -> Result<Option<EntryRow>, sqlx::Error> {
    select_entry!("WHERE w.code = $2", hold.as_secs_f64(), code)
        .fetch_optional(pool)
        .await
}

/// The entry a private link opens, if the link is valid and unexpired.
pub async fn by_token(
    pool: &PgPool,
    token: &str,
    hold: Duration,
) -> Result<Option<EntryRow>, sqlx::Error> {
    let hash = token_hash(token);
    select_entry!(
        "WHERE w.id = (SELECT entry_id FROM waitlist_tokens WHERE token_hash = $2 AND expires_at > now())",
        hold.as_secs_f64(),
        &hash[..]
    )
    .fetch_optional(pool)
    .await
}

/// Takes the entry off the list. A place on offer to it goes to the next
/// entry. Leaving twice is leaving once; a claimed or ended entry stays as
/// it is. Returns the entry as it is afterwards.
pub async fn leave(pool: &PgPool, id: Uuid, hold: Duration) -> Result<EntryRow, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let old = sqlx::query!(
        r#"
        WITH old AS (
            SELECT id, state, offered_slot FROM waitlist_entries
            WHERE id = $1 AND state IN ('waiting', 'offered') FOR UPDATE
        )
        UPDATE waitlist_entries w SET state = 'left', updated_at = now()
        FROM old WHERE w.id = old.id
        RETURNING old.state AS "was!", old.offered_slot
        "#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(old) = old {
        if let (true, Some(slot)) = (old.was == "offered", old.offered_slot) {
            sqlx::query!("UPDATE slots SET held = held - 1 WHERE id = $1", slot)
                .execute(&mut *tx)
                .await?;
            give_back(&mut tx, slot).await?;
        }
    }
    let entry = by_id_in(&mut tx, id, hold).await?;
    tx.commit().await?;
    Ok(entry)
}
