//! The case's e-mail: updates on or off, and changing the address (a link
//! to the new one, a notice to the old one).

use super::read::CaseRow;
use crate::booking::repo::{new_token, token_hash};
use sqlx::PgPool;
use uuid::Uuid;

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
    crate::cases::notice::queue_email_change(&mut tx, case.id, id, case.email.is_some()).await?;
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
