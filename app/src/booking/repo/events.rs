//! The history every booking change writes: one step, its actor, the slots
//! left and taken, and a note.

use crate::booking::HistoryStep;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

pub async fn record_event(
    tx: &mut Transaction<'_, Postgres>,
    booking: Uuid,
    actor: &str,
    step: HistoryStep,
    from_slot: Option<i64>,
    to_slot: Option<i64>,
    note: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO booking_events (booking_id, actor, status, from_slot, to_slot, note) VALUES ($1, $2, $3, $4, $5, $6)",
        booking,
        actor,
        step.as_str(),
        from_slot,
        to_slot,
        note
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
