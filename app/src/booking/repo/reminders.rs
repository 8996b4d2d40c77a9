//! The day-before reminders, queued once per booking.

use crate::booking::notice::{self, MailKind};
use sqlx::PgPool;

/// Queues the day-before reminder of every confirmed booking tomorrow
/// (Vietnam date) that has an e-mail and none queued yet; its page cancels
/// in one tap. The `UPDATE … RETURNING` claims each booking once, however
/// many instances run this.
pub async fn queue_reminders(pool: &PgPool) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let ids = sqlx::query_scalar!(
        r#"
        UPDATE bookings b SET reminder_queued_at = now()
        FROM slots s
        WHERE s.id = b.slot_id
          AND b.status = 'confirmed'
          AND b.email IS NOT NULL
          AND b.reminder_queued_at IS NULL
          AND (s.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
              = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1
        RETURNING b.id
        "#
    )
    .fetch_all(&mut *tx)
    .await?;
    for id in &ids {
        notice::queue(&mut tx, MailKind::Reminder, *id, true).await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}
