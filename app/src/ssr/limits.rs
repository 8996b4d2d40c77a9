//! Rate limits shared by every server instance: fixed windows counted in
//! PostgreSQL, so two instances never double a limit.

use crate::error::AppError;
use sqlx::PgPool;

/// Counts one hit against `key` and refuses it when the window already holds
/// `limit` hits.
pub async fn hit(pool: &PgPool, key: &str, window_secs: i32, limit: u32) -> Result<(), AppError> {
    let row = sqlx::query!(
        r#"
        INSERT INTO rate_limits (key, window_start, hits)
        VALUES ($1, to_timestamp(floor(extract(epoch FROM now())::float8 / $2::float8) * $2::float8), 1)
        ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
        RETURNING hits,
                  ceil(extract(epoch FROM window_start + make_interval(secs => $2::float8) - now()))::int AS "retry_after!"
        "#,
        key,
        f64::from(window_secs),
    )
    .fetch_one(pool)
    .await?;
    if i64::from(row.hits) > i64::from(limit) {
        Err(limited(row.retry_after))
    } else {
        Ok(())
    }
}

/// Refuses when `key` has reached `limit` hits in the current window,
/// without counting this request (failures are counted by [`hit`]).
pub async fn check(pool: &PgPool, key: &str, window_secs: i32, limit: u32) -> Result<(), AppError> {
    let row = sqlx::query!(
        r#"
        SELECT hits,
               ceil(extract(epoch FROM window_start + make_interval(secs => $2::float8) - now()))::int AS "retry_after!"
        FROM rate_limits
        WHERE key = $1 AND window_start = to_timestamp(floor(extract(epoch FROM now())::float8 / $2::float8) * $2::float8)
        "#,
        key,
        f64::from(window_secs),
    )
    .fetch_optional(pool)
    .await?;
    match row {
        Some(row) if i64::from(row.hits) >= i64::from(limit) => Err(limited(row.retry_after)),
        _ => Ok(()),
    }
}

/// Forgets windows that ended more than a day ago.
pub async fn purge(pool: &PgPool) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query!("DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

fn limited(retry_after: i32) -> AppError {
    AppError::RateLimited {
        retry_after_secs: u32::try_from(retry_after.max(1)).unwrap_or(1),
    }
}
