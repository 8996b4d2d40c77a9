//! The one-time link that lets a member set their password: queued when an
//! account is made or its password reset, and minted only when the e-mail
//! is sent, so the outbox never holds a link that works. A link lasts 48
//! hours from that moment; a newer one (a reset, a resend) ends the older.

use crate::booking::notify::escape;
use crate::ssr::mail::Message;
use crate::ssr::outbox::{self, About, Queued};
use crate::ssr::AppState;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

/// The outbox kind.
pub const KIND: &str = "staff_password_link";

/// Ends the member's unused links and queues the e-mail with a new one.
/// `first`: the account was just made (else the password was reset).
pub async fn queue(
    tx: &mut Transaction<'_, Postgres>,
    staff: Uuid,
    first: bool,
) -> Result<(), sqlx::Error> {
    end_open_links(tx, staff).await?;
    outbox::enqueue(
        tx,
        &Queued::new(KIND, About::Staff(staff)).with(json!({ "first": first })),
    )
    .await
}

async fn end_open_links(
    tx: &mut Transaction<'_, Postgres>,
    staff: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE staff_password_tokens SET used_at = now() WHERE staff_id = $1 AND used_at IS NULL",
        staff
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// 256 random bits, URL-safe, and the SHA-256 that is stored instead.
fn new_token() -> (String, [u8; 32]) {
    use base64::Engine as _;
    use rand::RngCore as _;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = Sha256::digest(token.as_bytes()).into();
    (token, hash)
}

/// The e-mail with a link minted now; `None` when the account is gone,
/// disabled, or has set its password since.
pub async fn render(
    state: &AppState,
    staff: Uuid,
    payload: &Value,
) -> Result<Option<Message>, sqlx::Error> {
    let mut tx = state.pool.begin().await?;
    // A password set since the link was asked for: nothing to send.
    let Some(member) = sqlx::query!(
        r#"
        SELECT email, display_name FROM staff_accounts
        WHERE id = $1 AND active AND password_hash LIKE '!unset-%'
        FOR UPDATE
        "#,
        staff
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    end_open_links(&mut tx, staff).await?;
    let (token, hash) = new_token();
    sqlx::query!(
        "INSERT INTO staff_password_tokens (token_hash, staff_id, expires_at) VALUES ($1, $2, now() + interval '48 hours')",
        &hash[..],
        staff
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let first = payload
        .get("first")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let url = format!("{}/staff/set-password?t={token}", state.settings.public_url);
    Ok(Some(message(
        &member.email,
        &member.display_name,
        &url,
        first,
    )))
}

fn message(to: &str, name: &str, url: &str, first: bool) -> Message {
    let lead = if first {
        "Một tài khoản cán bộ trên hệ thống Tiếp dân đã được tạo cho anh/chị."
    } else {
        "Mật khẩu tài khoản cán bộ của anh/chị trên hệ thống Tiếp dân đã được quản trị viên đặt lại."
    };
    let text = format!(
        "Xin chào {name},\n\n{lead} Mở đường dẫn sau để đặt mật khẩu (dùng được một lần, trong 48 giờ):\n\n{url}\n\nNếu anh/chị không chờ thư này, hãy báo cho quản trị viên.\n\n— Tiếp dân\n"
    );
    let html = format!(
        "<!DOCTYPE html><html lang=\"vi\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>Xin chào {name},</p><p>{lead} Mở đường dẫn sau để đặt mật khẩu (dùng được một lần, trong 48 giờ):</p><p><a href=\"{url}\">Đặt mật khẩu</a></p><p>Nếu anh/chị không chờ thư này, hãy báo cho quản trị viên.</p></body></html>",
        name = escape(name),
        url = escape(url),
    );
    Message {
        to: to.to_owned(),
        subject: "Tiếp dân: đặt mật khẩu tài khoản cán bộ".to_owned(),
        text,
        html,
        ics: None,
    }
}
