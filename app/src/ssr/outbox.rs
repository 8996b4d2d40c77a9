//! The transactional outbox: features write a message in the same
//! transaction as the change it reports ([`enqueue`]); [`deliver_due`] sends
//! what is due. Every instance runs a worker; `FOR UPDATE SKIP LOCKED` hands
//! each row to exactly one of them, and the row stays locked until its
//! outcome is recorded.

use super::mail::{Email, Mailer};
use sqlx::{PgPool, Postgres, Transaction};

/// After this many failed attempts a message is given up and marked failed.
pub const MAX_ATTEMPTS: i32 = 10;

/// A message to write to the outbox.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub kind: &'static str,
    pub booking_id: Option<uuid::Uuid>,
    pub case_id: Option<uuid::Uuid>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub ics: Option<String>,
}

/// Writes `message` inside the caller's transaction.
pub async fn enqueue(
    tx: &mut Transaction<'_, Postgres>,
    message: &Outgoing,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        INSERT INTO outbox (kind, booking_id, case_id, to_address, subject, body_text, body_html, ics)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        "#,
        message.kind,
        message.booking_id,
        message.case_id,
        message.to,
        message.subject,
        message.text,
        message.html,
        message.ics,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What one delivery round did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Sends up to `batch` due messages. Failures are retried with exponential
/// backoff (30 s, 1 min, 2 min … capped at 1 h) until [`MAX_ATTEMPTS`].
pub async fn deliver_due(pool: &PgPool, mailer: &Mailer, batch: i64) -> Result<Round, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let rows = sqlx::query!(
        r#"
        SELECT id, kind, to_address, subject, body_text, body_html, ics, attempts
        FROM outbox
        WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
        ORDER BY next_attempt_at, id
        LIMIT $1
        FOR UPDATE SKIP LOCKED
        "#,
        batch
    )
    .fetch_all(&mut *tx)
    .await?;

    let mut round = Round::default();
    for row in rows {
        let outcome = match row.to_address.parse() {
            Ok(to) => {
                let email = Email {
                    to,
                    subject: row.subject,
                    text: row.body_text,
                    html: Some(row.body_html),
                    ics: row.ics.map(|ics| ("tiep-dan.ics".to_owned(), ics)),
                };
                mailer.send(&email).await.map_err(|e| e.to_string())
            }
            Err(_) => Err("the recipient address cannot be parsed".to_owned()),
        };
        match outcome {
            Ok(()) => {
                sqlx::query!(
                    "UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1",
                    row.id
                )
                .execute(&mut *tx)
                .await?;
                tracing::info!(outbox_id = row.id, kind = %row.kind, "mail sent");
                round.sent += 1;
            }
            Err(error) => {
                let attempts = row.attempts + 1;
                let give_up = attempts >= MAX_ATTEMPTS;
                // Kept in the table for operators; the log gets only the id,
                // since SMTP replies can quote the recipient's address.
                sqlx::query!(
                    r#"
                    UPDATE outbox
                    SET attempts = $2,
                        last_error = left($3, 500),
                        next_attempt_at = now() + least(interval '1 hour', interval '30 seconds' * power(2, $2 - 1)),
                        failed_at = CASE WHEN $4 THEN now() END
                    WHERE id = $1
                    "#,
                    row.id,
                    attempts,
                    error,
                    give_up,
                )
                .execute(&mut *tx)
                .await?;
                tracing::warn!(outbox_id = row.id, kind = %row.kind, attempts, give_up, "mail not sent");
                if give_up {
                    round.failed += 1;
                } else {
                    round.retried += 1;
                }
            }
        }
    }
    tx.commit().await?;
    Ok(round)
}
