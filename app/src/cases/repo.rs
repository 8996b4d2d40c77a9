//! Every SQL statement about cases.

use super::deadline::Holidays;
use super::{CaseKind, CaseStatus, Channel, Complexity};
use crate::booking::repo::{new_token, token_hash};
use crate::booking::{BookingStatus, Topic};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// A case with its office and assigned officer.
#[derive(Debug, Clone)]
pub struct CaseRow {
    pub id: Uuid,
    pub code: String,
    pub kind: CaseKind,
    pub summary: String,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub office_id: Uuid,
    pub office_name_vi: String,
    pub office_name_en: Option<String>,
    pub booking_code: Option<String>,
    pub agency: String,
    pub assigned_to: Option<Uuid>,
    pub assigned_name: Option<String>,
    pub status: CaseStatus,
    pub complexity: Complexity,
    pub remote_area: bool,
    pub accepted_on: Option<NaiveDate>,
    pub suspended_on: Option<NaiveDate>,
    pub paused_days: i32,
    pub due_on: Option<NaiveDate>,
    pub full_name: String,
    pub citizen_id: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    pub notify: bool,
    pub locale: String,
}

macro_rules! select_case {
    ($tail:literal, $($arg:expr),*) => {
        sqlx::query_as!(
            CaseRow,
            r#"
            SELECT c.id, c.code, c.kind AS "kind: CaseKind", c.summary, c.channel AS "channel: Channel",
                   c.received_on, c.office_id,
                   o.name_vi AS office_name_vi, o.name_en AS office_name_en,
                   b.code AS "booking_code?", c.agency, c.assigned_to,
                   a.display_name AS "assigned_name?", c.status AS "status: CaseStatus",
                   c.complexity AS "complexity: Complexity", c.remote_area,
                   c.accepted_on, c.suspended_on, c.paused_days, c.due_on, c.full_name,
                   c.citizen_id, c.phone, c.email, c.notify, c.locale
            FROM cases c
            JOIN offices o ON o.id = c.office_id
            LEFT JOIN bookings b ON b.id = c.booking_id
            LEFT JOIN staff_accounts a ON a.id = c.assigned_to
            "# + $tail,
            $($arg),*
        )
    };
}

pub async fn by_code(pool: &PgPool, code: &str) -> Result<Option<CaseRow>, sqlx::Error> {
    select_case!("WHERE c.code = $1", code)
        .fetch_optional(pool)
        .await
}

pub async fn by_id(pool: &PgPool, id: Uuid) -> Result<Option<CaseRow>, sqlx::Error> {
    select_case!("WHERE c.id = $1", id)
        .fetch_optional(pool)
        .await
}

/// The case, its row locked until the transaction ends: every change to a
/// case goes through here, so two officers never interleave.
pub async fn lock(
    tx: &mut Transaction<'_, Postgres>,
    code: &str,
) -> Result<Option<CaseRow>, sqlx::Error> {
    select_case!("WHERE c.code = $1 FOR UPDATE OF c", code)
        .fetch_optional(&mut **tx)
        .await
}

/// The case a private link opens, if the link is valid and unexpired.
pub async fn by_token(pool: &PgPool, token: &str) -> Result<Option<CaseRow>, sqlx::Error> {
    let hash = token_hash(token);
    select_case!(
        "WHERE c.id = (SELECT case_id FROM case_tokens WHERE token_hash = $1 AND expires_at > now())",
        &hash[..]
    )
    .fetch_optional(pool)
    .await
}

/// A private link to `case_id`, valid for `hours`.
pub async fn issue_token<'e>(
    db: impl sqlx::PgExecutor<'e>,
    case_id: Uuid,
    hours: i32,
) -> Result<String, sqlx::Error> {
    let (token, hash) = new_token();
    sqlx::query!(
        "INSERT INTO case_tokens (token_hash, case_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))",
        &hash[..],
        case_id,
        hours
    )
    .execute(db)
    .await?;
    Ok(token)
}

pub async fn holidays(pool: &PgPool) -> Result<Holidays, sqlx::Error> {
    let days = sqlx::query_scalar!("SELECT day FROM holidays")
        .fetch_all(pool)
        .await?;
    Ok(Holidays::new(days))
}

/// What opening a case from a booking needs to know of it.
pub struct BookingRef {
    pub id: Uuid,
    pub office_id: Uuid,
    pub status: BookingStatus,
    pub topic: Topic,
    pub case_code: Option<String>,
}

pub async fn booking_ref(pool: &PgPool, code: &str) -> Result<Option<BookingRef>, sqlx::Error> {
    sqlx::query_as!(
        BookingRef,
        r#"
        SELECT b.id, b.office_id, b.status AS "status: BookingStatus", b.topic AS "topic: Topic",
               c.code AS "case_code?"
        FROM bookings b LEFT JOIN cases c ON c.booking_id = b.id
        WHERE b.code = $1
        "#,
        code
    )
    .fetch_optional(pool)
    .await
}

/// A case to write. The contact comes from the booking when there is one.
pub struct NewCase<'a> {
    pub code: &'a str,
    pub kind: CaseKind,
    pub summary: &'a str,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub office_id: Uuid,
    pub booking_id: Option<Uuid>,
    pub assigned_to: Option<Uuid>,
    pub remote_area: bool,
    pub due_on: Option<NaiveDate>,
    pub full_name: &'a str,
    pub citizen_id: Option<&'a str>,
    pub phone: &'a str,
    pub email: Option<&'a str>,
    pub notify: bool,
    pub locale: &'a str,
}

/// Inserts the case (the handling agency is its office until transferred)
/// and its first timeline event. `None` when the code is taken.
pub async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    new: &NewCase<'_>,
    actor: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        r#"
        INSERT INTO cases (code, kind, summary, channel, received_on, office_id, booking_id, agency,
                           assigned_to, remote_area, due_on, full_name, citizen_id, phone, email,
                           notify, locale)
        SELECT $1, $2, $3, $4, $5, o.id, $7, o.name_vi, $8, $9, $10, $11, $12, $13, $14, $15, $16
        FROM offices o WHERE o.id = $6
        ON CONFLICT (code) DO NOTHING
        RETURNING id
        "#,
        new.code,
        new.kind.as_str(),
        new.summary,
        new.channel.as_str(),
        new.received_on,
        new.office_id,
        new.booking_id,
        new.assigned_to,
        new.remote_area,
        new.due_on,
        new.full_name,
        new.citizen_id,
        new.phone,
        new.email,
        new.notify,
        new.locale,
    )
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = id {
        add_event(
            tx,
            &Event {
                case_id: id,
                actor: Some(actor),
                event: "opened",
                status: CaseStatus::Received,
                public: true,
                public_note: "",
                internal_note: "",
                extension_days: None,
                due_on: new.due_on,
            },
        )
        .await?;
    }
    Ok(id)
}

/// The contact of the booking `id`, to carry over into its case.
pub struct BookingContact {
    pub full_name: String,
    pub citizen_id: String,
    pub phone: String,
    pub email: Option<String>,
    pub summary: String,
    pub locale: String,
    pub received_on: NaiveDate,
}

pub async fn booking_contact(pool: &PgPool, id: Uuid) -> Result<BookingContact, sqlx::Error> {
    sqlx::query_as!(
        BookingContact,
        r#"
        SELECT b.full_name, b.citizen_id, b.phone, b.email, b.summary, b.locale,
               -- The day the citizen was received: their check-in.
               (coalesce((SELECT min(e.at) FROM booking_events e
                          WHERE e.booking_id = b.id AND e.status = 'checked_in'),
                         s.starts_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS "received_on!"
        FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE b.id = $1
        "#,
        id
    )
    .fetch_one(pool)
    .await
}

/// One timeline entry to write.
pub struct Event<'a> {
    pub case_id: Uuid,
    pub actor: Option<Uuid>,
    pub event: &'a str,
    pub status: CaseStatus,
    pub public: bool,
    pub public_note: &'a str,
    pub internal_note: &'a str,
    pub extension_days: Option<i32>,
    pub due_on: Option<NaiveDate>,
}

pub async fn add_event(
    tx: &mut Transaction<'_, Postgres>,
    e: &Event<'_>,
) -> Result<DateTime<Utc>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        INSERT INTO case_events (case_id, actor_id, event, status, public, public_note, internal_note,
                                 extension_days, due_on)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        RETURNING at
        "#,
        e.case_id,
        e.actor,
        e.event,
        e.status.as_str(),
        e.public,
        e.public_note,
        e.internal_note,
        e.extension_days,
        e.due_on,
    )
    .fetch_one(&mut **tx)
    .await
}

/// A timeline entry as read back.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub event: String,
    pub status: CaseStatus,
    pub public: bool,
    pub public_note: String,
    pub internal_note: String,
    pub extension_days: Option<i32>,
    pub due_on: Option<NaiveDate>,
}

/// The timeline, oldest first; only the public entries when `public_only`.
pub async fn events(
    pool: &PgPool,
    case_id: Uuid,
    public_only: bool,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as!(
        EventRow,
        r#"
        SELECT e.at, a.display_name AS "actor_name?", e.event, e.status AS "status: CaseStatus",
               e.public, e.public_note,
               e.internal_note, e.extension_days, e.due_on
        FROM case_events e LEFT JOIN staff_accounts a ON a.id = e.actor_id
        WHERE e.case_id = $1 AND (e.public OR NOT $2)
        ORDER BY e.at, e.id
        "#,
        case_id,
        public_only
    )
    .fetch_all(pool)
    .await
}

/// Days of the extensions recorded so far.
pub async fn extensions(
    tx: &mut Transaction<'_, Postgres>,
    case_id: Uuid,
) -> Result<Vec<i32>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT extension_days AS "days!" FROM case_events WHERE case_id = $1 AND event = 'extended' ORDER BY id"#,
        case_id
    )
    .fetch_all(&mut **tx)
    .await
}

/// The case's new state after a change.
pub struct State<'a> {
    pub status: CaseStatus,
    pub agency: &'a str,
    pub complexity: Complexity,
    pub accepted_on: Option<NaiveDate>,
    pub suspended_on: Option<NaiveDate>,
    pub paused_days: i32,
    pub due_on: Option<NaiveDate>,
}

pub async fn save_state(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    s: &State<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        UPDATE cases SET status = $2, agency = $3, complexity = $4, accepted_on = $5,
                         suspended_on = $6, paused_days = $7, due_on = $8, updated_at = now()
        WHERE id = $1
        "#,
        id,
        s.status.as_str(),
        s.agency,
        s.complexity.as_str(),
        s.accepted_on,
        s.suspended_on,
        s.paused_days,
        s.due_on,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn assign(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    staff: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE cases SET assigned_to = $2, updated_at = now() WHERE id = $1",
        id,
        staff
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Turns the e-mail at every step on or off (the address stays as it is).
pub async fn set_notify(pool: &PgPool, id: Uuid, notify: bool) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE cases SET notify = $2, updated_at = now() WHERE id = $1",
        id,
        notify
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Asks for `new_email` to replace the case's address, with `notify` once
/// confirmed; earlier unconfirmed requests stop counting. Queues the link
/// to the new address and the notice to the old one in the same
/// transaction. Returns the request's id.
pub async fn request_email_change(
    pool: &PgPool,
    case: &CaseRow,
    new_email: &str,
    notify: bool,
) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "UPDATE case_email_changes SET withdrawn_at = now() WHERE case_id = $1 AND confirmed_at IS NULL AND withdrawn_at IS NULL",
        case.id
    )
    .execute(&mut *tx)
    .await?;
    let id = sqlx::query_scalar!(
        r#"
        INSERT INTO case_email_changes (case_id, new_email, old_email, notify, expires_at)
        VALUES ($1, $2, $3, $4, now() + interval '48 hours')
        RETURNING id
        "#,
        case.id,
        new_email,
        case.email,
        notify
    )
    .fetch_one(&mut *tx)
    .await?;
    super::notice::queue_email_change(&mut tx, case.id, id, case.email.is_some()).await?;
    tx.commit().await?;
    Ok(id)
}

/// The new address waiting for its confirmation, if any.
pub async fn pending_email(pool: &PgPool, case: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        SELECT new_email FROM case_email_changes
        WHERE case_id = $1 AND confirmed_at IS NULL AND withdrawn_at IS NULL AND expires_at > now()
        ORDER BY id DESC LIMIT 1
        "#,
        case
    )
    .fetch_optional(pool)
    .await
}

/// Mints the confirmation token of an open request (replacing any earlier
/// one, so only the latest e-mail's link works): the address to send it to
/// and the token. `None` once it is confirmed, withdrawn or expired.
pub async fn mint_email_change_token(
    pool: &PgPool,
    case: Uuid,
    change: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let (token, hash) = new_token();
    let to = sqlx::query_scalar!(
        r#"
        UPDATE case_email_changes SET token_hash = $3
        WHERE id = $1 AND case_id = $2 AND confirmed_at IS NULL AND withdrawn_at IS NULL
          AND expires_at > now()
        RETURNING new_email
        "#,
        change,
        case,
        &hash[..]
    )
    .fetch_optional(pool)
    .await?;
    Ok(to.map(|to| (to, token)))
}

/// The old and new addresses of a request.
pub async fn email_change_addresses(
    pool: &PgPool,
    case: Uuid,
    change: i64,
) -> Result<Option<(Option<String>, String)>, sqlx::Error> {
    Ok(sqlx::query!(
        "SELECT old_email, new_email FROM case_email_changes WHERE id = $1 AND case_id = $2",
        change,
        case
    )
    .fetch_optional(pool)
    .await?
    .map(|r| (r.old_email, r.new_email)))
}

/// Uses a confirmation link: the case takes the new address (and the
/// notify choice made with it). Returns the case, or `None` for an
/// unknown, used, withdrawn or expired link.
pub async fn confirm_email_change(pool: &PgPool, token: &str) -> Result<Option<Uuid>, sqlx::Error> {
    let hash = token_hash(token);
    let mut tx = pool.begin().await?;
    let change = sqlx::query!(
        r#"
        UPDATE case_email_changes SET confirmed_at = now()
        WHERE token_hash = $1 AND confirmed_at IS NULL AND withdrawn_at IS NULL AND expires_at > now()
        RETURNING case_id, new_email, notify
        "#,
        &hash[..]
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(change) = change else {
        return Ok(None);
    };
    sqlx::query!(
        "UPDATE cases SET email = $2, notify = $3, updated_at = now() WHERE id = $1",
        change.case_id,
        change.new_email,
        change.notify
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(change.case_id))
}

/// An officer, supervisor or admin serving `office`, who can be assigned its cases.
#[derive(Debug, Clone)]
pub struct Officer {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
}

pub async fn officers(pool: &PgPool, office: Uuid) -> Result<Vec<Officer>, sqlx::Error> {
    sqlx::query_as!(
        Officer,
        r#"
        SELECT a.id, a.email, a.display_name
        FROM staff_accounts a JOIN staff_offices so ON so.staff_id = a.id
        WHERE so.office_id = $1 AND a.active AND a.role IN ('officer', 'supervisor', 'admin')
        ORDER BY a.display_name
        "#,
        office
    )
    .fetch_all(pool)
    .await
}

/// The cases of `offices`, overdue first, then by deadline, open ones
/// before finished ones.
pub async fn list(
    pool: &PgPool,
    offices: &[Uuid],
    status: &str,
    assigned_to: Option<Uuid>,
    today: NaiveDate,
) -> Result<Vec<CaseRow>, sqlx::Error> {
    select_case!(
        r#"
        WHERE c.office_id = ANY($1) AND ($2 = '' OR c.status = $2)
          AND ($3::uuid IS NULL OR c.assigned_to = $3)
        ORDER BY (c.due_on < $4) DESC NULLS LAST, c.due_on NULLS LAST, c.received_on DESC, c.code
        LIMIT 500
        "#,
        offices,
        status,
        assigned_to,
        today
    )
    .fetch_all(pool)
    .await
}
