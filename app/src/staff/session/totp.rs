//! The administrators' second factor: TOTP (RFC 6238, through totp-rs) with
//! a replay guard, and one-time recovery codes.
//!
//! Between the password and the code, the session holds only a pending
//! sign-in (who, since when); the member is signed in once the code is
//! right. The secret is kept sealed with `TOTP_KEY` ([`crate::ssr::seal`]),
//! in the account row and, while it is being enrolled, in the session.

use crate::error::AppError;
use crate::ssr::seal;
use crate::ssr::AppState;
use crate::staff::auth::{AuthSession, StaffUser};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use totp_rs::{Algorithm, TOTP};
use uuid::Uuid;

const PENDING: &str = "mfa_pending";
const ENROLL_SECRET: &str = "mfa_enroll_secret";
const FRESH_CODES: &str = "mfa_fresh_recovery_codes";
/// How long a password stays good for the second step.
const PENDING_SECS: i64 = 300;
const STEP: u64 = 30;
pub const RECOVERY_CODES: usize = 10;

#[derive(Serialize, Deserialize)]
struct Pending {
    user: Uuid,
    at: i64,
}

fn session_error(e: tower_sessions::session::Error) -> AppError {
    crate::staff::auth::session_error(e)
}

/// Remembers that `user` gave the right password.
pub async fn start(auth: &AuthSession, user: &StaffUser) -> Result<(), AppError> {
    // A new id for the half-signed-in session too.
    auth.session.cycle_id().await.map_err(session_error)?;
    auth.session
        .insert(
            PENDING,
            Pending {
                user: user.id,
                at: chrono::Utc::now().timestamp(),
            },
        )
        .await
        .map_err(session_error)
}

/// The member whose password was just right, if it was recent.
pub async fn pending(auth: &AuthSession) -> Result<Option<Uuid>, AppError> {
    let pending: Option<Pending> = auth.session.get(PENDING).await.map_err(session_error)?;
    Ok(pending
        .filter(|p| chrono::Utc::now().timestamp() - p.at <= PENDING_SECS)
        .map(|p| p.user))
}

pub async fn finish(auth: &AuthSession) -> Result<(), AppError> {
    auth.session
        .remove::<serde_json::Value>(PENDING)
        .await
        .map_err(session_error)?;
    auth.session
        .remove::<serde_json::Value>(ENROLL_SECRET)
        .await
        .map_err(session_error)?;
    Ok(())
}

fn totp(secret: Vec<u8>, account: &str) -> Result<TOTP, AppError> {
    // Skew 0: [`matching_step`] tries the neighbouring steps itself, to
    // know which one matched.
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP,
        secret,
        Some("Tiếp dân".to_owned()),
        account.to_owned(),
    )
    .map_err(|e| {
        tracing::error!(error = %e, "could not build a TOTP");
        AppError::Internal
    })
}

/// The 30-second step `code` is right for (this one, or one either side
/// for clock drift), if any.
pub fn matching_step(
    secret: &[u8],
    account: &str,
    code: &str,
    now: u64,
) -> Result<Option<u64>, AppError> {
    let totp = totp(secret.to_vec(), account)?;
    let code = code.trim().replace(' ', "");
    let current = now / STEP;
    Ok([current.saturating_sub(1), current, current + 1]
        .into_iter()
        .find(|step| totp.check(&code, step * STEP)))
}

/// What a member's secret is sealed for: their account, so a sealed value
/// copied to another row does not open.
fn context(user: Uuid) -> Vec<u8> {
    format!("totp:{user}").into_bytes()
}

fn seal_secret(state: &AppState, user: Uuid, secret: &[u8]) -> Result<Vec<u8>, AppError> {
    seal::seal(
        state.settings.totp_key.expose_secret(),
        &context(user),
        secret,
    )
    .map_err(|e| {
        tracing::error!(error = %e, "could not seal a TOTP secret");
        AppError::Internal
    })
}

fn open_secret(state: &AppState, user: Uuid, sealed: &[u8]) -> Result<Vec<u8>, AppError> {
    seal::open(
        state.settings.totp_key.expose_secret(),
        &context(user),
        sealed,
    )
    .map_err(|e| {
        // Another TOTP_KEY than the one it was sealed with, or a damaged row.
        tracing::error!(error = %e, "could not open a TOTP secret");
        AppError::Internal
    })
}

/// The secret being enrolled (made on first ask, kept sealed in the session
/// until confirmed), as base32 and as an `otpauth://` address.
pub async fn enrollment(
    state: &AppState,
    auth: &AuthSession,
    user: &StaffUser,
) -> Result<(String, String), AppError> {
    let secret = match enrollment_secret(state, auth, user.id).await? {
        Some(secret) => secret,
        None => {
            use rand::RngCore as _;
            let mut bytes = vec![0u8; 20];
            rand::rng().fill_bytes(&mut bytes);
            auth.session
                .insert(ENROLL_SECRET, seal_secret(state, user.id, &bytes)?)
                .await
                .map_err(session_error)?;
            bytes
        }
    };
    let totp = totp(secret, &user.email)?;
    Ok((totp.get_secret_base32(), totp.get_url()))
}

pub async fn enrollment_secret(
    state: &AppState,
    auth: &AuthSession,
    user: Uuid,
) -> Result<Option<Vec<u8>>, AppError> {
    let sealed: Option<Vec<u8>> = auth
        .session
        .get(ENROLL_SECRET)
        .await
        .map_err(session_error)?;
    sealed.map(|s| open_secret(state, user, &s)).transpose()
}

/// Recovery codes just made, kept in the session until their page shows
/// them once.
pub async fn keep_fresh_codes(auth: &AuthSession, codes: &[String]) -> Result<(), AppError> {
    auth.session
        .insert(FRESH_CODES, codes)
        .await
        .map_err(session_error)
}

pub async fn take_fresh_codes(auth: &AuthSession) -> Result<Vec<String>, AppError> {
    Ok(auth
        .session
        .remove::<Vec<String>>(FRESH_CODES)
        .await
        .map_err(session_error)?
        .unwrap_or_default())
}

fn code_hash(code: &str) -> [u8; 32] {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Sha256::digest(normal.as_bytes()).into()
}

/// Ten codes of 10 characters (`xxxxx-xxxxx`, 50 bits each).
fn new_codes() -> Vec<String> {
    use rand::Rng as _;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let s: String = (0..10)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect();
            format!("{}-{}", &s[..5], &s[5..])
        })
        .collect()
}

pub struct Stored {
    pub secret: Option<Vec<u8>>,
    pub last_step: i64,
}

/// The member's secret, opened. A secret still kept in clear (written
/// before secrets were sealed) is sealed on the way.
pub async fn stored(state: &AppState, user: Uuid) -> Result<Stored, AppError> {
    let row = sqlx::query!(
        "SELECT totp_secret, totp_last_step FROM staff_accounts WHERE id = $1",
        user
    )
    .fetch_one(&state.pool)
    .await?;
    let secret = match row.totp_secret {
        None => None,
        Some(kept) if seal::is_sealed(&kept) => Some(open_secret(state, user, &kept)?),
        Some(clear) => {
            let sealed = seal_secret(state, user, &clear)?;
            sqlx::query!(
                "UPDATE staff_accounts SET totp_secret = $2 WHERE id = $1 AND totp_secret = $3",
                user,
                sealed,
                clear
            )
            .execute(&state.pool)
            .await?;
            Some(clear)
        }
    };
    Ok(Stored {
        secret,
        last_step: row.totp_last_step,
    })
}

/// Whether the member has enrolled a second factor.
pub async fn is_enrolled(pool: &PgPool, user: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT totp_secret IS NOT NULL AS "enrolled!" FROM staff_accounts WHERE id = $1"#,
        user
    )
    .fetch_one(pool)
    .await
}

/// Accepts `step` for `user` unless a code for it (or a later one) was
/// already used: one winner even when two requests race.
pub async fn claim_step(pool: &PgPool, user: Uuid, step: u64) -> Result<bool, sqlx::Error> {
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    Ok(sqlx::query!(
        "UPDATE staff_accounts SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2",
        user,
        step
    )
    .execute(pool)
    .await?
    .rows_affected()
        == 1)
}

/// Uses up a recovery code, if it is one of the member's unused ones.
pub async fn use_recovery_code(pool: &PgPool, user: Uuid, code: &str) -> Result<bool, sqlx::Error> {
    let hash = code_hash(code);
    Ok(sqlx::query!(
        "UPDATE staff_recovery_codes SET used_at = now() WHERE staff_id = $1 AND code_hash = $2 AND used_at IS NULL",
        user,
        &hash[..]
    )
    .execute(pool)
    .await?
    .rows_affected()
        == 1)
}

/// Stores the confirmed secret (and the step its first code used) and a
/// fresh set of recovery codes, replacing any earlier ones; returns the
/// codes, which exist nowhere else in clear.
pub async fn enroll(
    state: &AppState,
    user: Uuid,
    secret: &[u8],
    step: u64,
) -> Result<Vec<String>, AppError> {
    let codes = new_codes();
    let sealed = seal_secret(state, user, secret)?;
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "UPDATE staff_accounts SET totp_secret = $2, totp_last_step = $3 WHERE id = $1",
        user,
        sealed,
        i64::try_from(step).unwrap_or(i64::MAX)
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM staff_recovery_codes WHERE staff_id = $1", user)
        .execute(&mut *tx)
        .await?;
    for code in &codes {
        sqlx::query!(
            "INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2)",
            user,
            &code_hash(code)[..]
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(codes)
}

#[cfg(test)]
mod tests;
