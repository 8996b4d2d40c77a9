//! Erasing one booking's personal data now, when its citizen withdraws
//! consent, with the same neutral values the purge leaves (so reports read
//! the same either way).

use super::purge::{ANONYMOUS_CITIZEN_ID, ANONYMOUS_NAME, ANONYMOUS_PHONE, ANONYMOUS_SUMMARY};
use sqlx::PgConnection;
use uuid::Uuid;

/// Every personal field of the booking, its free-text notes and messages,
/// its private links: what the purge does past the retention period, at
/// once. (A waiting-list entry is a record of its own, left from its page.)
/// Idempotent.
pub async fn booking(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        WITH notes AS (
            DELETE FROM booking_notes WHERE booking_id = $1
        ), events AS (
            UPDATE booking_events SET note = NULL WHERE booking_id = $1 AND note IS NOT NULL
        ), proposals AS (
            UPDATE booking_proposals SET message = '' WHERE booking_id = $1 AND message <> ''
        ), links AS (
            DELETE FROM booking_tokens WHERE booking_id = $1
        )
        UPDATE bookings
        SET full_name = $2, citizen_id = $3, phone = $4, email = NULL, summary = $5,
            representatives = '{}', needs = '', cancel_reason = NULL,
            anonymised_at = coalesce(anonymised_at, now()),
            consent_withdrawn_at = coalesce(consent_withdrawn_at, now()), updated_at = now()
        WHERE id = $1
        "#,
        id,
        ANONYMOUS_NAME,
        ANONYMOUS_CITIZEN_ID,
        ANONYMOUS_PHONE,
        ANONYMOUS_SUMMARY,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// After a reception: the contact details (phone, e-mail), the needs told
/// in confidence and the private links go; the name, CCCD, summary and
/// representatives stay, as the reception's record, until the purge (whose
/// clock this does not reset). Idempotent.
pub async fn contact(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        WITH links AS (
            DELETE FROM booking_tokens WHERE booking_id = $1
        )
        UPDATE bookings
        SET phone = $2, email = NULL, needs = '',
            consent_withdrawn_at = coalesce(consent_withdrawn_at, now())
        WHERE id = $1
        "#,
        id,
        ANONYMOUS_PHONE,
    )
    .execute(conn)
    .await?;
    Ok(())
}
