//! SQL for staff accounts and their one-time password links.

use super::password_link;
use crate::staff::Role;
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

pub struct AccountRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub offices: Vec<String>,
    pub totp: bool,
}

macro_rules! select_accounts {
    ($where:literal $(, $arg:expr)*) => {
        sqlx::query_as!(
            AccountRow,
            r#"
            SELECT a.id, a.email, a.display_name, a.role AS "role: Role", a.active,
                   coalesce(array_agg(o.slug ORDER BY o.position, o.slug) FILTER (WHERE o.slug IS NOT NULL), '{}') AS "offices!",
                   (a.totp_secret IS NOT NULL) AS "totp!"
            FROM staff_accounts a
            LEFT JOIN staff_offices so ON so.staff_id = a.id
            LEFT JOIN offices o ON o.id = so.office_id
            "# + $where + " GROUP BY a.id ORDER BY a.email",
            $($arg),*
        )
    };
}

pub async fn list(pool: &PgPool) -> Result<Vec<AccountRow>, sqlx::Error> {
    select_accounts!("").fetch_all(pool).await
}

pub async fn by_email(pool: &PgPool, email: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    select_accounts!("WHERE a.email = $1", email)
        .fetch_optional(pool)
        .await
}

/// The stored password hash of a member, to check it typed again.
pub async fn password_hash(pool: &PgPool, id: Uuid) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!("SELECT password_hash FROM staff_accounts WHERE id = $1", id)
        .fetch_one(pool)
        .await
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("that e-mail already has an account")]
    EmailTaken,
    #[error("no such account")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A password hash no password matches: sign-in is impossible until the
/// member sets one through their link. Each is different, so setting one
/// also ends any session tied to the previous hash.
fn unusable_hash() -> String {
    format!("!unset-{}", Uuid::new_v4())
}

async fn set_offices(
    tx: &mut Transaction<'_, Postgres>,
    staff: Uuid,
    offices: &[Uuid],
) -> Result<(), sqlx::Error> {
    // Only what changes is written: each office added or removed ends the
    // member's sessions (a trigger bumps the privileges epoch).
    sqlx::query!(
        "DELETE FROM staff_offices WHERE staff_id = $1 AND office_id <> ALL($2)",
        staff,
        offices
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "INSERT INTO staff_offices (staff_id, office_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING",
        staff,
        offices
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub struct NewAccount<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub offices: &'a [Uuid],
}

/// Creates the account (no usable password) and e-mails its link.
pub async fn create(pool: &PgPool, new: &NewAccount<'_>) -> Result<Uuid, AccountError> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        r#"
        INSERT INTO staff_accounts (email, display_name, role, password_hash)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (email) DO NOTHING
        RETURNING id
        "#,
        new.email,
        new.display_name,
        new.role,
        unusable_hash()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AccountError::EmailTaken)?;
    set_offices(&mut tx, id, new.offices).await?;
    password_link::queue(&mut tx, id, true).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes role, offices and status.
pub async fn update(
    pool: &PgPool,
    email: &str,
    role: &str,
    offices: &[Uuid],
    active: bool,
) -> Result<Uuid, AccountError> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "UPDATE staff_accounts SET role = $2, active = $3 WHERE email = $1 RETURNING id",
        email,
        role,
        active
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AccountError::NotFound)?;
    set_offices(&mut tx, id, offices).await?;
    tx.commit().await?;
    Ok(id)
}

/// Ends the member's password (and so their sessions) and e-mails a link.
pub async fn reset(pool: &PgPool, email: &str) -> Result<Uuid, AccountError> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        "UPDATE staff_accounts SET password_hash = $2 WHERE email = $1 RETURNING id",
        email,
        unusable_hash()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AccountError::NotFound)?;
    password_link::queue(&mut tx, row.id, false).await?;
    tx.commit().await?;
    Ok(row.id)
}

/// Whether `token` is a link that can still set a password (nothing is
/// used up).
pub async fn link_is_open(pool: &PgPool, token: &str) -> Result<bool, sqlx::Error> {
    let token_hash: [u8; 32] = Sha256::digest(token.trim().as_bytes()).into();
    sqlx::query_scalar!(
        r#"
        SELECT EXISTS (SELECT 1 FROM staff_password_tokens
                       WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()) AS "open!"
        "#,
        &token_hash[..]
    )
    .fetch_one(pool)
    .await
}

/// Uses a link: marks it used and sets the hash, or finds nothing (unknown,
/// used or expired).
pub async fn set_with_link(
    pool: &PgPool,
    token: &str,
    hash: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    let token_hash: [u8; 32] = Sha256::digest(token.trim().as_bytes()).into();
    let mut tx = pool.begin().await?;
    let staff = sqlx::query_scalar!(
        r#"
        UPDATE staff_password_tokens SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
        RETURNING staff_id
        "#,
        &token_hash[..]
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(staff) = staff {
        sqlx::query!(
            "UPDATE staff_accounts SET password_hash = $2 WHERE id = $1",
            staff,
            hash
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(staff)
}

pub async fn set_password(pool: &PgPool, staff: Uuid, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE staff_accounts SET password_hash = $2 WHERE id = $1",
        staff,
        hash
    )
    .execute(pool)
    .await?;
    Ok(())
}
