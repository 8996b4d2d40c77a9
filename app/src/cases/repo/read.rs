//! Reading cases: by code, id or private link, locked for a change, the
//! office's list, and the officers a case can be given to.

use crate::booking::repo::{new_token, token_hash};
use crate::cases::deadline::Holidays;
use crate::cases::{CaseKind, CaseStatus, Channel, Complexity};
use crate::i18n::Locale;
use chrono::NaiveDate;
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

impl CaseRow {
    pub fn office_name(&self, locale: Locale) -> &str {
        match (locale, &self.office_name_en) {
            (Locale::en, Some(en)) => en,
            _ => &self.office_name_vi,
        }
    }
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
