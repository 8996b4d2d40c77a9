//! Queuing the e-mails about an address change, inside the change's own
//! transaction (the messages are written when sent, in [`super::notify`]).

use crate::ssr::outbox::{self, About, Queued};
use serde_json::json;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

/// Outbox kinds.
pub const UPDATE: &str = "case_update";
pub const EMAIL_CONFIRM: &str = "case_email_confirm";
pub const EMAIL_CHANGED: &str = "case_email_changed";

/// Queues the two messages of an address change: the link to the new
/// address, and (when there was one) the notice to the old.
pub(super) async fn queue_email_change(
    tx: &mut Transaction<'_, Postgres>,
    case: Uuid,
    change: i64,
    had_address: bool,
) -> Result<(), sqlx::Error> {
    let payload = json!({ "change": change });
    outbox::enqueue(
        tx,
        &Queued::new(EMAIL_CONFIRM, About::Case(case)).with(payload.clone()),
    )
    .await?;
    if had_address {
        outbox::enqueue(
            tx,
            &Queued::new(EMAIL_CHANGED, About::Case(case)).with(payload),
        )
        .await?;
    }
    Ok(())
}
