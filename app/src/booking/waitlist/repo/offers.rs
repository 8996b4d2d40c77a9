//! Places offered to the waiting list. Every change that frees a place
//! calls [`offer_room`] in its own transaction, after giving the place back
//! and before committing: nobody outside that transaction ever sees the
//! place free while someone waits for it (no slot trading between a
//! canceller and a friend). An offered place stays in the slot's `taken`
//! (and in `held`), so the public claim and the CHECK still count it.
//!
//! Entries are locked with `SKIP LOCKED`: two transactions freeing places
//! at once offer them to two different entries, and neither waits for the
//! other; the slot's row lock (already taken by the change that freed the
//! place) keeps one slot's room from being offered twice.

use super::{DAY_CLOSED, LAPSED, OFFER};
use crate::ssr::outbox::{self, About, Queued};
use sqlx::{PgPool, Postgres, Transaction};
use std::time::Duration;
use uuid::Uuid;

/// Offers the room `slot` has now (`slot_free`: places no booking,
/// proposal or offer holds, nor kept back for the desk) to the first entries waiting for its
/// day (any time, or this time), one place each, and queues their e-mails. A slot no longer
/// bookable online (withdrawn, past its notice, its office closed) offers
/// nothing. Returns how many places were offered.
pub async fn offer_room(tx: &mut Transaction<'_, Postgres>, slot: i64) -> Result<u64, sqlx::Error> {
    let offered = sqlx::query_scalar!(
        r#"
        WITH s AS (
            SELECT s.id, s.office_id, slot_free(s) AS room,
                   (s.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day
            FROM slots s JOIN offices o ON o.id = s.office_id
            WHERE s.id = $1 AND o.active AND NOT s.withdrawn AND slot_free(s) > 0
              AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
            FOR UPDATE OF s
        ), first AS (
            SELECT w.id FROM waitlist_entries w JOIN s ON w.office_id = s.office_id AND w.day = s.day
            WHERE w.state = 'waiting' AND (w.slot_id IS NULL OR w.slot_id = s.id)
            ORDER BY w.created_at, w.id
            LIMIT (SELECT room FROM s)
            FOR UPDATE OF w SKIP LOCKED
        ), offered AS (
            UPDATE waitlist_entries w
            SET state = 'offered', offered_slot = $1, offered_at = now(), updated_at = now()
            FROM first WHERE w.id = first.id
            RETURNING w.id
        ), held AS (
            UPDATE slots SET taken = taken + n.count, held = held + n.count
            FROM (SELECT count(*)::smallint AS count FROM offered) n
            WHERE slots.id = $1 AND n.count > 0
        )
        SELECT id AS "id!" FROM offered
        "#,
        slot
    )
    .fetch_all(&mut **tx)
    .await?;
    for entry in &offered {
        outbox::enqueue(tx, &Queued::new(OFFER, About::Waitlist(*entry))).await?;
    }
    Ok(offered.len() as u64)
}

/// Gives one place of `slot` back and offers the slot's room to the waiting
/// list, in the caller's transaction.
pub async fn give_back(tx: &mut Transaction<'_, Postgres>, slot: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE slots SET taken = taken - 1 WHERE id = $1", slot)
        .execute(&mut **tx)
        .await?;
    offer_room(tx, slot).await?;
    Ok(())
}

/// Ends up to `batch` offers nobody claimed in time (`hold`, or the slot's
/// notice, or the slot withdrawn), tells each entry by e-mail that it has
/// left the list, and offers each place to the next entry, in one
/// transaction; safe on every instance at once (`SKIP LOCKED`).
/// Returns how many offers lapsed.
pub async fn expire_offers(pool: &PgPool, hold: Duration, batch: i64) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // The slots' update runs though the final SELECT does not read it (a
    // data-modifying WITH always runs once).
    let lapsed = sqlx::query!(
        r#"
        WITH due AS (
            SELECT w.id, w.offered_slot AS slot FROM waitlist_entries w
            JOIN slots s ON s.id = w.offered_slot JOIN offices o ON o.id = s.office_id
            WHERE w.state = 'offered'
              AND (w.offered_at + make_interval(secs => $1) <= now()
                   OR s.starts_at < now() + make_interval(mins => o.min_notice_minutes)
                   OR s.withdrawn)
            ORDER BY w.offered_at
            LIMIT $2
            FOR UPDATE OF w SKIP LOCKED
        ), lapsed AS (
            UPDATE waitlist_entries w SET state = 'lapsed', updated_at = now()
            FROM due WHERE w.id = due.id
            RETURNING w.id, due.slot
        ), freed AS (
            UPDATE slots SET taken = taken - n.count, held = held - n.count
            FROM (SELECT slot, count(*)::smallint AS count FROM lapsed GROUP BY slot) n
            WHERE slots.id = n.slot
        )
        SELECT id AS "id!", slot AS "slot!" FROM lapsed
        "#,
        hold.as_secs_f64(),
        batch
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut slots: Vec<i64> = lapsed.iter().map(|l| l.slot).collect();
    slots.sort_unstable();
    slots.dedup();
    for slot in slots {
        offer_room(&mut tx, slot).await?;
    }
    for entry in &lapsed {
        outbox::enqueue(&mut tx, &Queued::new(LAPSED, About::Waitlist(entry.id))).await?;
    }
    // Entries for a day gone by wait no longer.
    sqlx::query!(
        r#"
        UPDATE waitlist_entries SET state = 'ended', updated_at = now()
        WHERE state = 'waiting' AND day < (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        "#
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(lapsed.len() as u64)
}

/// Offers the free room of every slot someone waits for: room that
/// appeared without a change offering it in its own transaction — kept
/// places released by the clock, a capacity the rules raised, an entry that
/// joined while a place was being freed. Run by the offers loop, so such
/// room reaches the first entry within a minute on whichever instance runs
/// it. Its cost is bounded by the days that have someone waiting (at most
/// the offices' horizons), and each slot it finds is offered and so leaves
/// the set: a round with nothing to offer is one query.
/// Returns how many places were offered.
pub async fn offer_all_room(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let slots = sqlx::query_scalar!(
        r#"
        WITH days AS (
            SELECT DISTINCT office_id, day FROM waitlist_entries WHERE state = 'waiting'
        )
        SELECT s.id FROM days
        JOIN offices o ON o.id = days.office_id
        JOIN slots s ON s.office_id = days.office_id
             AND s.starts_at >= days.day::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
             AND s.starts_at < (days.day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
        WHERE o.active AND NOT s.withdrawn
          AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
          AND slot_free(s) > 0
          AND EXISTS (SELECT 1 FROM waitlist_entries w
                      WHERE w.state = 'waiting' AND w.office_id = days.office_id AND w.day = days.day
                        AND (w.slot_id IS NULL OR w.slot_id = s.id))
        ORDER BY s.id
        "#
    )
    .fetch_all(pool)
    .await?;
    let mut offered = 0;
    for slot in slots {
        let mut tx = pool.begin().await?;
        offered += offer_room(&mut tx, slot).await?;
        tx.commit().await?;
    }
    Ok(offered)
}

/// Ends the waiting of `day` of `office` (the office is closing it): each
/// entry is told, an offered place leaves the (withdrawn) slot. The caller
/// has locked the day's bookings and not yet its slots, the order a claim
/// takes entries and slots in.
pub async fn close_day(
    tx: &mut Transaction<'_, Postgres>,
    office: Uuid,
    day: chrono::NaiveDate,
) -> Result<u64, sqlx::Error> {
    let closed = sqlx::query_scalar!(
        r#"
        WITH old AS (
            SELECT id, offered_slot, state FROM waitlist_entries
            WHERE office_id = $1 AND day = $2 AND state IN ('waiting', 'offered')
            ORDER BY id
            FOR UPDATE
        ), closed AS (
            UPDATE waitlist_entries w SET state = 'closed', updated_at = now()
            FROM old WHERE w.id = old.id
            RETURNING w.id
        ), freed AS (
            UPDATE slots SET taken = taken - n.count, held = held - n.count
            FROM (SELECT offered_slot, count(*)::smallint AS count FROM old
                  WHERE state = 'offered' GROUP BY offered_slot) n
            WHERE slots.id = n.offered_slot
        )
        SELECT id AS "id!" FROM closed
        "#,
        office,
        day
    )
    .fetch_all(&mut **tx)
    .await?;
    for entry in &closed {
        outbox::enqueue(tx, &Queued::new(DAY_CLOSED, About::Waitlist(*entry))).await?;
    }
    Ok(closed.len() as u64)
}
