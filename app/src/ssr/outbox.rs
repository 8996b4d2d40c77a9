//! The transactional outbox. A feature writes *which message* is due and
//! *which record* it is about in the same transaction as the change it
//! reports ([`enqueue`]). The message itself, and any private link in it
//! with its token, is made only when it is sent (`crate::mailing`): no row,
//! waiting, sent or dead, holds a link that works, and a resent message gets
//! a fresh one.
//!
//! Delivery leases a few rows at a time ([`lease_due`]) and records each
//! one's outcome on its own, so any number of instances share the work, no
//! transaction is held across an SMTP exchange, and a worker that dies
//! mid-send only delays its rows until the lease runs out. After the last retry a message is *dead*:
//! kept, listed for administrators with a reason that quotes no address,
//! and resent from there.

use serde_json::Value;
use sqlx::{PgPool, Postgres, Transaction};
use std::time::Duration;
use uuid::Uuid;

/// The record a message is about; its recipient is read from it at send time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    Booking(Uuid),
    Case(Uuid),
    /// A waiting-list entry.
    Waitlist(Uuid),
    Staff(Uuid),
}

/// A message to send later.
#[derive(Debug, Clone)]
pub struct Queued {
    pub kind: &'static str,
    pub about: About,
    /// What the message needs besides the record (a step's label, a day):
    /// never a token or a link.
    pub payload: Value,
}

impl Queued {
    pub fn new(kind: &'static str, about: About) -> Self {
        Self {
            kind,
            about,
            payload: Value::Object(Default::default()),
        }
    }

    pub fn with(mut self, payload: Value) -> Self {
        self.payload = payload;
        self
    }
}

/// Writes `message` inside the caller's transaction.
pub async fn enqueue(
    tx: &mut Transaction<'_, Postgres>,
    message: &Queued,
) -> Result<(), sqlx::Error> {
    let (mut booking, mut case, mut staff, mut waitlist) = (None, None, None, None);
    match message.about {
        About::Booking(id) => booking = Some(id),
        About::Case(id) => case = Some(id),
        About::Staff(id) => staff = Some(id),
        About::Waitlist(id) => waitlist = Some(id),
    }
    sqlx::query!(
        "INSERT INTO outbox (kind, booking_id, case_id, staff_id, waitlist_id, payload) VALUES ($1, $2, $3, $4, $5, $6)",
        message.kind,
        booking,
        case,
        staff,
        waitlist,
        message.payload,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A row taken for one delivery attempt.
#[derive(Debug, Clone)]
pub struct Leased {
    pub id: i64,
    pub kind: String,
    pub booking_id: Option<Uuid>,
    pub case_id: Option<Uuid>,
    pub staff_id: Option<Uuid>,
    pub waitlist_id: Option<Uuid>,
    pub payload: Value,
    /// Attempts so far, this one included.
    pub attempts: i32,
}

/// Takes up to `batch` due messages for `lease`, counting an attempt on
/// each; empty when nothing is due. Each is then sent and finished on its
/// own ([`finish`]): a lease is a claim, not a transaction held open.
pub async fn lease_due(
    pool: &PgPool,
    lease: Duration,
    max_attempts: i32,
    batch: i64,
) -> Result<Vec<Leased>, sqlx::Error> {
    sqlx::query_as!(
        Leased,
        r#"
        UPDATE outbox SET leased_until = now() + make_interval(secs => $1), attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM outbox
            WHERE state = 'queued' AND next_attempt_at <= now() AND attempts < $2
              AND (leased_until IS NULL OR leased_until < now())
            ORDER BY next_attempt_at, id
            LIMIT $3
            FOR UPDATE SKIP LOCKED
        )
        RETURNING id, kind, booking_id, case_id, staff_id, waitlist_id, payload, attempts
        "#,
        lease.as_secs_f64(),
        max_attempts,
        batch
    )
    .fetch_all(pool)
    .await
}

/// Declares dead the messages whose worker died during their last allowed
/// attempt (their lease ran out with no outcome recorded). Returns how many.
pub async fn bury_interrupted(pool: &PgPool, max_attempts: i32) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        r#"
        UPDATE outbox SET state = 'dead', done_at = now(), leased_until = NULL, last_failure = 'interrupted'
        WHERE state = 'queued' AND attempts >= $1 AND leased_until < now()
        "#,
        max_attempts
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// How a delivery attempt ended. Reasons are short codes (`smtp 451`,
/// `timeout`, `no_recipient`…): never an SMTP reply, which can quote the
/// recipient's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Nothing to send any more (no e-mail on file, the record is gone).
    Skipped(&'static str),
    /// Try again later, or give up when this was the last attempt.
    Failed(String),
    /// Retrying cannot help (a malformed address, a permanent refusal).
    Dead(String),
}

/// Records `outcome` for a leased row. Retries wait `retry_secs`, then
/// twice as long each time, up to an hour.
pub async fn finish(
    pool: &PgPool,
    row: &Leased,
    outcome: &Outcome,
    retry_secs: i32,
    max_attempts: i32,
) -> Result<(), sqlx::Error> {
    let (state, reason) = match outcome {
        Outcome::Sent => ("sent", None),
        Outcome::Skipped(reason) => ("skipped", Some((*reason).to_owned())),
        Outcome::Failed(reason) if row.attempts >= max_attempts => ("dead", Some(reason.clone())),
        Outcome::Failed(reason) => ("queued", Some(reason.clone())),
        Outcome::Dead(reason) => ("dead", Some(reason.clone())),
    };
    sqlx::query!(
        r#"
        UPDATE outbox
        SET state = $2,
            last_failure = $3,
            leased_until = NULL,
            done_at = CASE WHEN $2 = 'queued' THEN NULL ELSE now() END,
            next_attempt_at = CASE WHEN $2 = 'queued'
                THEN now() + least(interval '1 hour', make_interval(secs => $4::float8 * power(2, attempts - 1)))
                ELSE next_attempt_at END
        WHERE id = $1
        "#,
        row.id,
        state,
        reason,
        f64::from(retry_secs),
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A message that will not be sent without an administrator.
#[derive(Debug, Clone)]
pub struct DeadRow {
    pub id: i64,
    pub kind: String,
    /// The booking's or the case's code, or the staff member's name.
    pub record: Option<String>,
    pub office_id: Option<Uuid>,
    pub attempts: i32,
    pub reason: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub dead_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The dead messages, newest first.
pub async fn dead(pool: &PgPool, limit: i64) -> Result<Vec<DeadRow>, sqlx::Error> {
    sqlx::query_as!(
        DeadRow,
        r#"
        SELECT o.id, o.kind, coalesce(b.code, c.code, w.code, s.display_name) AS record,
               coalesce(b.office_id, c.office_id, w.office_id) AS office_id,
               o.attempts, o.last_failure AS reason, o.created_at, o.done_at AS dead_at
        FROM outbox o
        LEFT JOIN bookings b ON b.id = o.booking_id
        LEFT JOIN cases c ON c.id = o.case_id
        LEFT JOIN waitlist_entries w ON w.id = o.waitlist_id
        LEFT JOIN staff_accounts s ON s.id = o.staff_id
        WHERE o.state = 'dead'
        ORDER BY o.done_at DESC NULLS LAST, o.id DESC
        LIMIT $1
        "#,
        limit
    )
    .fetch_all(pool)
    .await
}

/// How many messages are dead.
pub async fn dead_count(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM outbox WHERE state = 'dead'"#)
        .fetch_one(pool)
        .await
}

/// Puts a dead message back in the queue, due now with its attempts
/// cleared; `false` when `id` is not a dead message.
pub async fn resend(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
) -> Result<Option<DeadRow>, sqlx::Error> {
    let row = sqlx::query_as!(
        DeadRow,
        r#"
        WITH r AS (
            UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = now(),
                              done_at = NULL, last_failure = NULL, leased_until = NULL
            WHERE id = $1 AND state = 'dead'
            RETURNING id, kind, booking_id, case_id, staff_id, waitlist_id, attempts, created_at
        )
        SELECT r.id, r.kind, coalesce(b.code, c.code, w.code, s.display_name) AS record,
               coalesce(b.office_id, c.office_id, w.office_id) AS office_id,
               r.attempts, NULL::text AS reason, r.created_at, NULL::timestamptz AS dead_at
        FROM r
        LEFT JOIN bookings b ON b.id = r.booking_id
        LEFT JOIN cases c ON c.id = r.case_id
        LEFT JOIN waitlist_entries w ON w.id = r.waitlist_id
        LEFT JOIN staff_accounts s ON s.id = r.staff_id
        "#,
        id
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row)
}
