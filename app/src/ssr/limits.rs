//! Rate limits shared by every server instance: fixed windows counted in
//! PostgreSQL, so two instances never double a limit.
//!
//! Guards count before they check. [`claim`] takes an attempt from every
//! window it names in one `INSERT … ON CONFLICT … DO UPDATE … RETURNING`,
//! which PostgreSQL serialises per row, so a burst of a hundred requests
//! gets exactly `max` attempts through however they interleave; only then is
//! the secret checked. An attempt that turns out right is handed back
//! ([`Claim::give_back`]): the windows count failures, and a member who
//! signs in correctly does not use up their own allowance.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// The window of every look-up and sign-in limit: a quarter of an hour.
pub const QUARTER_HOUR: i32 = 900;

/// One window: `max` attempts per `window_secs` for `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub key: String,
    pub window_secs: i32,
    pub max: u32,
}

impl Limit {
    pub fn new(key: impl Into<String>, window_secs: i32, max: u32) -> Self {
        Self {
            key: key.into(),
            window_secs,
            max,
        }
    }
}

/// Attempts taken from their windows; dropping it keeps them counted.
#[must_use = "an attempt that succeeded should be given back"]
#[derive(Debug)]
pub struct Claim {
    taken: Vec<(String, DateTime<Utc>)>,
}

/// Takes one attempt from each of `limits` at once, or none: when any window
/// is already full the whole claim is handed back and the answer is 429.
pub async fn claim(pool: &PgPool, limits: &[Limit]) -> Result<Claim, AppError> {
    // One order for every caller, so two claims on the same keys cannot
    // deadlock each other.
    let mut limits: Vec<&Limit> = limits.iter().collect();
    limits.sort_by(|a, b| a.key.cmp(&b.key));
    limits.dedup_by(|a, b| a.key == b.key);
    let keys: Vec<String> = limits.iter().map(|l| l.key.clone()).collect();
    let windows: Vec<f64> = limits.iter().map(|l| f64::from(l.window_secs)).collect();
    let rows = sqlx::query!(
        r#"
        INSERT INTO rate_limits (key, window_start, hits)
        SELECT t.key, to_timestamp(floor(extract(epoch FROM now())::float8 / t.secs) * t.secs), 1
        FROM unnest($1::text[], $2::float8[]) WITH ORDINALITY AS t(key, secs, n)
        ORDER BY t.n
        ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
        RETURNING key, window_start, hits,
                  ceil(extract(epoch FROM window_start - now()))::int AS "starts_in!"
        "#,
        &keys,
        &windows,
    )
    .fetch_all(pool)
    .await?;
    let mut retry_after = None;
    for row in &rows {
        let Some(limit) = limits.iter().find(|l| l.key == row.key) else {
            continue;
        };
        if i64::from(row.hits) > i64::from(limit.max) {
            let wait = row.starts_in + limit.window_secs;
            retry_after = Some(retry_after.map_or(wait, |w: i32| w.max(wait)));
        }
    }
    let claim = Claim {
        taken: rows.into_iter().map(|r| (r.key, r.window_start)).collect(),
    };
    match retry_after {
        None => Ok(claim),
        Some(wait) => {
            // Refused before any secret was looked at: not an attempt.
            claim.give_back(pool).await?;
            Err(limited(wait))
        }
    }
}

impl Claim {
    /// The same claim without `key`'s attempt, which stays counted whatever
    /// happens next.
    pub fn except(mut self, key: &str) -> Self {
        self.taken.retain(|(k, _)| k != key);
        self
    }

    /// Hands the attempts back: the secret was right (or never checked).
    pub async fn give_back(self, pool: &PgPool) -> Result<(), AppError> {
        if self.taken.is_empty() {
            return Ok(());
        }
        let (keys, starts): (Vec<String>, Vec<DateTime<Utc>>) = self.taken.into_iter().unzip();
        sqlx::query!(
            r#"
            UPDATE rate_limits r SET hits = r.hits - 1
            FROM unnest($1::text[], $2::timestamptz[]) AS t(key, window_start)
            WHERE r.key = t.key AND r.window_start = t.window_start AND r.hits > 0
            "#,
            &keys,
            &starts,
        )
        .execute(pool)
        .await?;
        Ok(())
    }
}

/// Counts one attempt that always counts (a booking request, say), refusing
/// it when the window is full.
pub async fn hit(pool: &PgPool, key: &str, window_secs: i32, max: u32) -> Result<(), AppError> {
    let _counted = claim(pool, &[Limit::new(key, window_secs, max)]).await?;
    Ok(())
}

fn limited(retry_after: i32) -> AppError {
    AppError::RateLimited {
        retry_after_secs: u32::try_from(retry_after.max(1)).unwrap_or(1),
    }
}
