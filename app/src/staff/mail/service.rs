//! The messages the outbox gave up on, for administrators: what kind, about
//! which record, why (a code that quotes no address), and a button that
//! queues each one again with a fresh link.

use super::{UndeliveredMail, UndeliveredView};
use crate::error::{AppError, ValidationCode};
use crate::locale::use_locale;
use crate::ssr::{app_state, outbox, respond::is_plain_form_post};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::{self, Permission};
use crate::time::rfc3339;

/// `GET /api/staff/mail`.
pub async fn list() -> Result<UndeliveredView, AppError> {
    let state = app_state()?;
    auth::require(&state, Permission::Admin).await?;
    let rows = outbox::dead(&state.pool, 200).await?;
    Ok(UndeliveredView {
        count: u64::try_from(outbox::dead_count(&state.pool).await?).unwrap_or(0),
        messages: rows
            .into_iter()
            .map(|r| UndeliveredMail {
                id: r.id,
                kind: r.kind,
                record: r.record.unwrap_or_default(),
                reason: r.reason.unwrap_or_default(),
                attempts: r.attempts,
                queued_at: rfc3339(r.created_at),
                dead_at: r.dead_at.map(rfc3339),
            })
            .collect(),
    })
}

/// `POST /api/staff/mail/resend`.
pub async fn resend(id: String) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::Admin).await?;
    let id: i64 = id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("id", ValidationCode::InvalidNumber, locale))?;
    let mut tx = state.pool.begin().await?;
    let row = outbox::resend(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        &user,
        &state.settings.trusted_proxies,
        Entry {
            action: "mail.resend",
            record_type: "outbox",
            record_id: &row.id.to_string(),
            office: row.office_id,
            details: serde_json::json!({ "kind": row.kind, "record": row.record }),
        },
    )
    .await?;
    tx.commit().await?;
    if is_plain_form_post() {
        leptos_axum::redirect("/staff/mail?done=1");
    }
    Ok(())
}
