//! How a case moves on: its timeline entries, its saved state, its officer.

use crate::cases::{CaseStatus, Complexity};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

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
