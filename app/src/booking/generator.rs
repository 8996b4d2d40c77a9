//! Turning each office's rules (weekly hours, special hours, closures,
//! public holidays, horizon) into concrete slot rows.
//!
//! The rules themselves are the `slot_plan` view (migration
//! `..._schedule.sql`); [`generate`] is idempotent and safe to run from every server instance at
//! once: an advisory lock makes runs take turns, and the statements only
//! converge the table on the rules. A slot that the rules no longer produce is
//! deleted when nothing ever pointed at it, and otherwise only withdrawn
//! (no longer offered), so a booked slot is never silently dropped.

use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// Any constant key: one writer of slots from the rules at a time, across
/// all instances (the generator, or a schedule edit).
const PLAN_LOCK: i64 = 7_216_001;

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
    sqlx::query!("SELECT pg_advisory_xact_lock($1)", PLAN_LOCK)
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

/// For a schedule edit, before it changes any rule: takes the generator's
/// lock and locks every future slot of `office` (in id order, as moves do).
/// A booking claims its place with an `UPDATE` of its slot, so from here
/// until the edit commits no place of the office can be taken, and a claim
/// waiting on a slot sees the edited row when it goes on.
pub async fn lock_office(
    tx: &mut Transaction<'_, Postgres>,
    office: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT pg_advisory_xact_lock($1)", PLAN_LOCK)
        .execute(&mut **tx)
        .await?;
    sqlx::query!(
        "SELECT id FROM slots WHERE office_id = $1 AND starts_at > now() ORDER BY id FOR UPDATE",
        office
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(())
}

/// How many of `office`'s future slots the rules, as the transaction now
/// sees them, would give fewer places than they hold.
pub async fn slots_below_taken(
    tx: &mut Transaction<'_, Postgres>,
    office: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        SELECT count(*) AS "n!" FROM slot_plan p
        JOIN slots s ON s.office_id = p.office_id AND s.starts_at = p.starts_at
        WHERE p.office_id = $1 AND s.starts_at > now() AND p.capacity < s.taken
        "#,
        office
    )
    .fetch_one(&mut **tx)
    .await
}

/// Brings `office`'s future slots in step with its rules inside the edit's
/// transaction (after [`lock_office`]): new places, changed capacities, and
/// slots the rules no longer offer withdrawn at once, not at the
/// generator's next run.
pub async fn apply_office(
    tx: &mut Transaction<'_, Postgres>,
    office: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        INSERT INTO slots (office_id, starts_at, ends_at, capacity)
        SELECT office_id, starts_at, ends_at, capacity FROM slot_plan
        WHERE office_id = $1 AND starts_at > now()
        ON CONFLICT (office_id, starts_at) DO UPDATE
            SET ends_at = EXCLUDED.ends_at,
                capacity = GREATEST(EXCLUDED.capacity, slots.taken),
                withdrawn = false
            WHERE slots.ends_at IS DISTINCT FROM EXCLUDED.ends_at
               OR slots.capacity IS DISTINCT FROM GREATEST(EXCLUDED.capacity, slots.taken)
               OR slots.withdrawn
        "#,
        office
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        r#"
        UPDATE slots s SET withdrawn = true
        WHERE s.office_id = $1 AND s.starts_at > now() AND NOT s.withdrawn
          AND NOT EXISTS (SELECT 1 FROM slot_plan d
                          WHERE d.office_id = s.office_id AND d.starts_at = s.starts_at)
        "#,
        office
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
