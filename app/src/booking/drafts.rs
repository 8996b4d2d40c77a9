//! SQL for the drafts of refused no-JavaScript booking forms (see the
//! `form_drafts` migration).

use sqlx::PgPool;
use uuid::Uuid;

/// Keeps a refused form for ten minutes; returns its id.
pub async fn save(pool: &PgPool, data: &serde_json::Value) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO form_drafts (data) VALUES ($1) RETURNING id",
        data
    )
    .fetch_one(pool)
    .await
}

/// Reads a draft once: it is deleted as it is read.
pub async fn take(pool: &PgPool, id: Uuid) -> Result<Option<serde_json::Value>, sqlx::Error> {
    sqlx::query_scalar!(
        "DELETE FROM form_drafts WHERE id = $1 AND expires_at > now() RETURNING data",
        id
    )
    .fetch_optional(pool)
    .await
}

/// Deletes drafts nobody came back for.
pub async fn purge(pool: &PgPool) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query!("DELETE FROM form_drafts WHERE expires_at <= now()")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
