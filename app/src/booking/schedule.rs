//! Turning each office's rules (weekly hours, special hours, closures,
//! public holidays, horizon) into concrete slot rows.
//!
//! The rules themselves are the `slot_plan` view (migration
//! `..._schedule.sql`); [`generate`] is idempotent and safe to run from every server instance at
//! once: an advisory lock makes runs take turns, and the statements only
//! converge the table on the rules. A slot that the rules no longer produce is
//! deleted when nothing ever pointed at it, and otherwise only withdrawn
//! (no longer offered), so a booked slot is never silently dropped.

use sqlx::PgPool;

/// Counts from one run, for the log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Generated {
    pub upserted: u64,
    pub withdrawn: u64,
    pub deleted: u64,
}

/// Brings the slots of every active office from today (Vietnam time) to the
/// end of its horizon in step with its rules.
pub async fn generate(pool: &PgPool) -> Result<Generated, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Any constant key: one generator at a time across all instances.
    sqlx::query!("SELECT pg_advisory_xact_lock(7216001)")
        .execute(&mut *tx)
        .await?;

    // Never below what is taken: the CHECK would refuse it, and the places
    // are someone's appointment.
    let upserted = sqlx::query!(
        r#"
        INSERT INTO slots (office_id, starts_at, ends_at, capacity)
        SELECT office_id, starts_at, ends_at, capacity FROM slot_plan
        WHERE starts_at > now()
        ON CONFLICT (office_id, starts_at) DO UPDATE
            SET ends_at = EXCLUDED.ends_at,
                capacity = GREATEST(EXCLUDED.capacity, slots.taken),
                withdrawn = false
            WHERE slots.ends_at IS DISTINCT FROM EXCLUDED.ends_at
               OR slots.capacity IS DISTINCT FROM GREATEST(EXCLUDED.capacity, slots.taken)
               OR slots.withdrawn
        "#
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();

    let deleted = sqlx::query!(
        r#"
        DELETE FROM slots s
        WHERE s.starts_at > now()
          AND NOT EXISTS (SELECT 1 FROM slot_plan d
                          WHERE d.office_id = s.office_id AND d.starts_at = s.starts_at)
          AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id)
        "#
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();

    let withdrawn = sqlx::query!(
        r#"
        UPDATE slots s SET withdrawn = true
        WHERE s.starts_at > now() AND NOT s.withdrawn
          AND NOT EXISTS (SELECT 1 FROM slot_plan d
                          WHERE d.office_id = s.office_id AND d.starts_at = s.starts_at)
        "#
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();

    tx.commit().await?;
    Ok(Generated {
        upserted,
        withdrawn,
        deleted,
    })
}
