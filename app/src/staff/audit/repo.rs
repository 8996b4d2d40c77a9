//! The append-only audit trail: every staff action, written in the same
//! transaction as the change it records.

use crate::ssr::client;
use crate::staff::auth::StaffUser;
use serde_json::Value;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// One action to record.
pub struct Entry<'a> {
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: &'a str,
    pub office: Option<Uuid>,
    pub details: Value,
}

/// The client address of the current request, as rate limits see it.
fn address(trusted: &[ipnet::IpNet]) -> Option<String> {
    client::client_addr(trusted).map(|a| a.to_string())
}

pub async fn record(
    tx: &mut Transaction<'_, Postgres>,
    actor: &StaffUser,
    trusted: &[ipnet::IpNet],
    entry: Entry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        INSERT INTO audit_log (actor_id, actor_email, action, record_type, record_id, office_id, client_addr, details)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        "#,
        actor.id,
        actor.email,
        entry.action,
        entry.record_type,
        entry.record_id,
        entry.office,
        address(trusted),
        entry.details,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// [`record`] in a transaction of its own, for actions that change nothing
/// else (sign-in, sign-out, views).
pub async fn record_alone(
    pool: &PgPool,
    actor: &StaffUser,
    trusted: &[ipnet::IpNet],
    entry: Entry<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    record(&mut tx, actor, trusted, entry).await?;
    tx.commit().await
}

/// Records that `actor` was shown the denouncers of `records` (booking or
/// case codes) through `via`, one row each, in one transaction.
pub async fn identity_viewed(
    pool: &PgPool,
    actor: &StaffUser,
    trusted: &[ipnet::IpNet],
    record_type: &str,
    records: &[String],
    office: Uuid,
    via: &str,
) -> Result<(), sqlx::Error> {
    let action = format!("{record_type}.identity_viewed");
    let details = serde_json::json!({ "via": via });
    viewed(
        pool,
        actor,
        trusted,
        &action,
        record_type,
        records,
        office,
        &details,
    )
    .await
}

/// Records that `actor` was shown a citizen's `fields` (`citizen_id`,
/// `phone`) of `records` through `via`: which fields, never their values.
#[allow(clippy::too_many_arguments)]
pub async fn contact_viewed(
    pool: &PgPool,
    actor: &StaffUser,
    trusted: &[ipnet::IpNet],
    record_type: &str,
    records: &[String],
    office: Uuid,
    via: &str,
    fields: &[&str],
) -> Result<(), sqlx::Error> {
    let action = format!("{record_type}.contact_viewed");
    let details = serde_json::json!({ "via": via, "fields": fields });
    viewed(
        pool,
        actor,
        trusted,
        &action,
        record_type,
        records,
        office,
        &details,
    )
    .await
}

/// One audit row per record, in one transaction.
#[allow(clippy::too_many_arguments)]
async fn viewed(
    pool: &PgPool,
    actor: &StaffUser,
    trusted: &[ipnet::IpNet],
    action: &str,
    record_type: &str,
    records: &[String],
    office: Uuid,
    details: &Value,
) -> Result<(), sqlx::Error> {
    if records.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    for code in records {
        record(
            &mut tx,
            actor,
            trusted,
            Entry {
                action,
                record_type,
                record_id: code,
                office: Some(office),
                details: details.clone(),
            },
        )
        .await?;
    }
    tx.commit().await
}

/// A row of the trail as admins browse it.
#[derive(Debug)]
pub struct AuditRow {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_email: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub client_addr: Option<String>,
    pub details: Value,
}

/// Filter for [`browse`]; empty strings match everything.
pub struct Filter<'a> {
    pub action: &'a str,
    pub actor: &'a str,
    pub record: &'a str,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub limit: i64,
}

/// Newest first. Dates are Vietnam days, both ends included.
pub async fn browse(pool: &PgPool, f: &Filter<'_>) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as!(
        AuditRow,
        r#"
        SELECT id, at, actor_email, action, record_type, record_id, client_addr, details
        FROM audit_log
        WHERE ($1 = '' OR action = $1)
          AND ($2 = '' OR actor_email = lower($2))
          AND ($3 = '' OR record_id = $3)
          AND ($4::date IS NULL OR at >= $4::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
          AND ($5::date IS NULL OR at < ($5::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
        ORDER BY at DESC, id DESC
        LIMIT $6
        "#,
        f.action,
        f.actor,
        f.record,
        f.from,
        f.to,
        f.limit,
    )
    .fetch_all(pool)
    .await
}
