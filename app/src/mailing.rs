//! Delivering the outbox: one message at a time, rendered from its record
//! at the moment it is sent, its private link (if any) minted then, sent,
//! and its outcome recorded. Each instance's worker calls [`deliver_due`].

use crate::booking::notify as booking_mail;
use crate::booking::waitlist::notify as waitlist_mail;
use crate::cases::{digest, notify as case_mail};
use crate::ssr::mail::Message;
use crate::ssr::outbox::{self, Leased, Outcome};
use crate::ssr::AppState;
use crate::staff::accounts::password_link;
use std::time::Duration;

/// Why a row could not be rendered.
enum Unrenderable {
    /// Retry: the database was out of reach, say.
    Later(sqlx::Error),
    /// A kind this build does not know.
    UnknownKind,
}

impl From<sqlx::Error> for Unrenderable {
    fn from(e: sqlx::Error) -> Self {
        Self::Later(e)
    }
}

/// The message a row stands for, made now; `None` when there is nobody to
/// send it to any more.
async fn render(state: &AppState, row: &Leased) -> Result<Option<Message>, Unrenderable> {
    if let Some(kind) = booking_mail::MailKind::parse(&row.kind) {
        let Some(booking) = row.booking_id else {
            return Ok(None);
        };
        return Ok(booking_mail::render(state, kind, booking).await?);
    }
    if waitlist_mail::knows(&row.kind) {
        let Some(entry) = row.waitlist_id else {
            return Ok(None);
        };
        return Ok(waitlist_mail::render(state, &row.kind, entry).await?);
    }
    match (row.kind.as_str(), row.case_id, row.staff_id) {
        (case_mail::UPDATE, Some(case), _) => {
            Ok(case_mail::render_update(state, case, &row.payload).await?)
        }
        (case_mail::EMAIL_CONFIRM, Some(case), _) => {
            Ok(case_mail::render_email_confirm(state, case, &row.payload).await?)
        }
        (case_mail::EMAIL_CHANGED, Some(case), _) => {
            Ok(case_mail::render_email_changed(state, case, &row.payload).await?)
        }
        (password_link::KIND, _, Some(staff)) => {
            Ok(password_link::render(state, staff, &row.payload).await?)
        }
        (digest::KIND, _, Some(staff)) => Ok(digest::render(state, staff, &row.payload).await?),
        (case_mail::UPDATE | case_mail::EMAIL_CONFIRM | case_mail::EMAIL_CHANGED, None, _)
        | (password_link::KIND | digest::KIND, _, None) => Ok(None),
        _ => Err(Unrenderable::UnknownKind),
    }
}

/// Messages one worker leases at a time.
const BATCH: i64 = 8;

/// Sends the due messages one worker can take at once; `true` when there
/// were any (more may be waiting).
pub async fn deliver_due(state: &AppState) -> Result<bool, sqlx::Error> {
    let settings = &state.settings;
    // Long enough for every message of the batch: each gets one SMTP
    // exchange and the rendering around it.
    let lease = Duration::from_secs((settings.smtp_timeout_secs + 10) * BATCH as u64 + 30);
    let rows = outbox::lease_due(&state.pool, lease, settings.outbox_max_attempts, BATCH).await?;
    if rows.is_empty() {
        return Ok(false);
    }
    // The mail server down: the batch waits for its next try, with no
    // message rendered and no link minted for nothing.
    if let Err(e) = state.mailer.reachable().await {
        let outcome = Outcome::Failed(e.reason());
        for row in &rows {
            record(state, row, &outcome).await?;
        }
        return Ok(true);
    }
    for row in &rows {
        deliver(state, row).await?;
    }
    Ok(true)
}

/// Renders, sends and records one leased message.
async fn deliver(state: &AppState, row: &Leased) -> Result<(), sqlx::Error> {
    let outcome = match render(state, row).await {
        Ok(None) => Outcome::Skipped("no_recipient"),
        Ok(Some(message)) => match message.into_email() {
            None => Outcome::Dead("bad_address".to_owned()),
            Some(email) => match state.mailer.send(&email).await {
                Ok(()) => Outcome::Sent,
                Err(e) if e.is_permanent() => Outcome::Dead(e.reason()),
                Err(e) => Outcome::Failed(e.reason()),
            },
        },
        Err(Unrenderable::Later(e)) => {
            tracing::warn!(outbox_id = row.id, error = %e, "could not render a message");
            Outcome::Failed("database".to_owned())
        }
        Err(Unrenderable::UnknownKind) => Outcome::Dead("unknown_kind".to_owned()),
    };
    record(state, row, &outcome).await
}

/// Ends a leased message's attempt in the table, then in the log.
async fn record(state: &AppState, row: &Leased, outcome: &Outcome) -> Result<(), sqlx::Error> {
    let settings = &state.settings;
    outbox::finish(
        &state.pool,
        row,
        outcome,
        settings.outbox_retry_secs,
        settings.outbox_max_attempts,
    )
    .await?;
    log(row, outcome, settings.outbox_max_attempts);
    Ok(())
}

/// The id and kind only: the reason is a code, and never an address.
fn log(row: &Leased, outcome: &Outcome, max_attempts: i32) {
    match outcome {
        Outcome::Sent => tracing::info!(outbox_id = row.id, kind = %row.kind, "mail sent"),
        Outcome::Skipped(why) => {
            tracing::info!(outbox_id = row.id, kind = %row.kind, why, "mail skipped")
        }
        Outcome::Failed(why) if row.attempts < max_attempts => tracing::warn!(
            outbox_id = row.id,
            kind = %row.kind,
            attempts = row.attempts,
            why = %why,
            "mail not sent; will retry"
        ),
        Outcome::Failed(why) | Outcome::Dead(why) => tracing::error!(
            outbox_id = row.id,
            kind = %row.kind,
            attempts = row.attempts,
            why = %why,
            "mail dead; an administrator can resend it"
        ),
    }
}
