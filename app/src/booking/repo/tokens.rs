//! Private links: random tokens of which only a SHA-256 is stored.

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// A new private link for `booking`, valid until 30 days after its slot.
/// Only the SHA-256 of the token is stored.
pub async fn issue_token<'e>(
    db: impl sqlx::PgExecutor<'e>,
    booking: Uuid,
) -> Result<String, sqlx::Error> {
    let (token, hash) = new_token();
    sqlx::query!(
        r#"
        INSERT INTO booking_tokens (token_hash, booking_id, expires_at)
        SELECT $1, b.id, s.ends_at + interval '30 days'
        FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE b.id = $2
        "#,
        &hash[..],
        booking
    )
    .execute(db)
    .await?;
    Ok(token)
}

/// A short-lived link made after a successful code + phone look-up. It
/// proves no more than they did: it does not open the personal-data
/// download without the CCCD (`own_data`).
pub async fn issue_lookup_token(pool: &PgPool, booking: Uuid) -> Result<String, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let token = issue_token(&mut *tx, booking).await?;
    let hash = token_hash(&token);
    sqlx::query!(
        "UPDATE booking_tokens SET kind = 'lookup', expires_at = least(expires_at, now() + interval '2 hours') WHERE token_hash = $1",
        &hash[..]
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// 256 random bits, URL-safe, and the SHA-256 that is stored instead.
pub fn new_token() -> (String, [u8; 32]) {
    use base64::Engine as _;
    use rand::RngCore as _;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}
