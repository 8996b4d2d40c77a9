//! Every SQL statement of a citizen's rights over their booking: who holds
//! the proof, what is held, and the withdrawal of consent.

use super::WithdrawalOutcome;
use crate::booking::repo::{close_open, record_event};
use crate::booking::waitlist::repo::offer_room;
use crate::booking::{BookingStatus, HistoryStep, Topic};
use crate::retention::erase;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

/// What a proof of holding a booking found: the booking, and what a
/// download would also need.
pub struct Holder {
    pub id: Uuid,
    pub phone: String,
    pub citizen_id: String,
    /// A private link from the e-mail or the booking's first page (not one
    /// a code + phone look-up made).
    pub private_link: bool,
}

/// The booking `token` opens, if it is valid and unexpired.
pub async fn holder_by_token(pool: &PgPool, token: &str) -> Result<Option<Holder>, sqlx::Error> {
    let hash = crate::booking::repo::token_hash(token);
    sqlx::query_as!(
        Holder,
        r#"
        SELECT b.id, b.phone, b.citizen_id, t.kind = 'link' AS "private_link!"
        FROM booking_tokens t JOIN bookings b ON b.id = t.booking_id
        WHERE t.token_hash = $1 AND t.expires_at > now()
        "#,
        &hash[..]
    )
    .fetch_optional(pool)
    .await
}

/// The booking with this code.
pub async fn holder_by_code(pool: &PgPool, code: &str) -> Result<Option<Holder>, sqlx::Error> {
    sqlx::query_as!(
        Holder,
        r#"SELECT id, phone, citizen_id, false AS "private_link!" FROM bookings WHERE code = $1"#,
        code
    )
    .fetch_optional(pool)
    .await
}

/// Everything personal the booking row holds, with where and when.
pub struct Held {
    pub code: String,
    pub status: BookingStatus,
    pub office_slug: String,
    pub office_name_vi: String,
    pub office_name_en: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub full_name: String,
    pub citizen_id: String,
    pub phone: String,
    pub email: Option<String>,
    pub topic: Topic,
    pub summary: String,
    pub party_size: i16,
    pub representatives: Vec<String>,
    pub needs: String,
    pub interpreter: bool,
    pub priority: Option<String>,
    pub locale: String,
    pub legal_basis: String,
    pub consent_version: Option<String>,
    pub consented_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub consent_withdrawn_at: Option<DateTime<Utc>>,
    pub anonymised_at: Option<DateTime<Utc>>,
}

pub async fn held(pool: &PgPool, id: Uuid) -> Result<Held, sqlx::Error> {
    sqlx::query_as!(
        Held,
        r#"
        SELECT b.code, b.status AS "status: BookingStatus", o.slug AS office_slug,
               o.name_vi AS office_name_vi, o.name_en AS office_name_en, s.starts_at, s.ends_at,
               b.created_at, b.full_name, b.citizen_id, b.phone, b.email, b.topic AS "topic: Topic",
               b.summary, b.party_size, b.representatives, b.needs, b.interpreter, b.priority,
               b.locale, b.legal_basis, b.consent_version, b.consented_at, b.cancel_reason,
               b.consent_withdrawn_at, b.anonymised_at
        FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN offices o ON o.id = b.office_id
        WHERE b.id = $1
        "#,
        id
    )
    .fetch_one(pool)
    .await
}

/// One step of the booking's history, with the note the citizen was shown
/// (a reason for a cancel or a refusal).
pub struct Step {
    pub at: DateTime<Utc>,
    pub step: HistoryStep,
    pub note: Option<String>,
}

pub async fn steps(pool: &PgPool, id: Uuid) -> Result<Vec<Step>, sqlx::Error> {
    sqlx::query_as!(
        Step,
        r#"SELECT at, status AS "step: HistoryStep", note FROM booking_events WHERE booking_id = $1 ORDER BY at, id"#,
        id
    )
    .fetch_all(pool)
    .await
}

/// A time the office proposed, with its message to the citizen.
pub struct Proposal {
    pub created_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub message: String,
    pub outcome: Option<String>,
}

pub async fn proposals(pool: &PgPool, id: Uuid) -> Result<Vec<Proposal>, sqlx::Error> {
    sqlx::query_as!(
        Proposal,
        r#"
        SELECT p.created_at, s.starts_at, p.message, p.outcome
        FROM booking_proposals p JOIN slots s ON s.id = p.slot_id
        WHERE p.booking_id = $1 ORDER BY p.created_at, p.id
        "#,
        id
    )
    .fetch_all(pool)
    .await
}

/// An e-mail owed or sent about the booking (the message itself is never
/// stored: what it was and how its delivery went).
pub struct Mail {
    pub kind: String,
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}

pub async fn mail(pool: &PgPool, id: Uuid) -> Result<Vec<Mail>, sqlx::Error> {
    sqlx::query_as!(
        Mail,
        "SELECT kind, state, created_at, done_at FROM outbox WHERE booking_id = $1 ORDER BY created_at, id",
        id
    )
    .fetch_all(pool)
    .await
}

/// Withdraws the citizen's consent for booking `id`, in one transaction
/// under the booking's row lock: a booking still to come is cancelled (its
/// place back to the waiting list first, then the public) and anonymised;
/// one that never led to a reception is anonymised; after a reception only
/// the contact details go. A second withdrawal finds nothing left to do and
/// answers the same.
pub async fn withdraw(pool: &PgPool, id: Uuid) -> Result<WithdrawalOutcome, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let current = sqlx::query!(
        r#"
        SELECT b.status AS "status: BookingStatus", b.slot_id, s.starts_at > now() AS "ahead!",
               b.anonymised_at IS NOT NULL AS "anonymised!",
               b.consent_withdrawn_at IS NOT NULL AS "withdrawn!"
        FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE b.id = $1
        FOR UPDATE OF b
        "#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    let outcome = match current.status {
        // Done already (a second request of a burst waited for the first's
        // lock, or the purge came first): nothing left to do.
        _ if current.anonymised => WithdrawalOutcome::Erased,
        _ if current.withdrawn => WithdrawalOutcome::ContactErased,
        BookingStatus::Requested | BookingStatus::Confirmed if current.ahead => {
            sqlx::query!(
                "UPDATE bookings SET status = 'cancelled', updated_at = now() WHERE id = $1",
                id
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "UPDATE slots SET taken = taken - 1 WHERE id = $1",
                current.slot_id
            )
            .execute(&mut *tx)
            .await?;
            close_open(&mut tx, id, "withdrawn").await?;
            offer_room(&mut tx, current.slot_id).await?;
            record_event(
                &mut tx,
                id,
                "citizen",
                HistoryStep::Cancelled,
                Some(current.slot_id),
                None,
                None,
            )
            .await?;
            WithdrawalOutcome::Cancelled
        }
        BookingStatus::CheckedIn | BookingStatus::Completed => WithdrawalOutcome::ContactErased,
        _ => WithdrawalOutcome::Erased,
    };
    if !(current.anonymised || current.withdrawn) {
        match outcome {
            WithdrawalOutcome::ContactErased => erase::contact(&mut tx, id).await?,
            WithdrawalOutcome::Cancelled | WithdrawalOutcome::Erased => {
                erase::booking(&mut tx, id).await?
            }
        }
        record_event(
            &mut tx,
            id,
            "citizen",
            HistoryStep::ConsentWithdrawn,
            None,
            None,
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(outcome)
}
