//! The purge: applies the retention table in bounded batches.
//!
//! Each batch is one statement in its own transaction that picks at most
//! `batch` rows with `FOR UPDATE SKIP LOCKED`, so any number of instances
//! can purge at once without waiting on each other or touching a row twice,
//! and no transaction grows with the backlog. Every statement only picks
//! rows still due (not yet anonymised, still present), so a second run
//! finds nothing and an interrupted run just continues. Reports count
//! rows, statuses, topics, times and offices, none of which change.
//!
//! The dry run does the same work in one transaction it rolls back: its
//! counts are exactly what a run would do at that moment, from the same SQL.

use super::policy::{DataClass, Retention, TABLE};
use sqlx::{PgConnection, PgPool};

/// What an anonymised booking's or case's personal fields read. The
/// migration's CHECKs (`*_anonymised_holds_nothing`) require these values.
pub const ANONYMOUS_NAME: &str = "Ẩn danh";
pub const ANONYMOUS_CITIZEN_ID: &str = "000000000000";
pub const ANONYMOUS_PHONE: &str = "0000000000";
pub const ANONYMOUS_SUMMARY: &str = "Đã xoá theo thời hạn lưu trữ.";

/// Rows per batch in the workers' runs.
pub const BATCH: i64 = 500;

/// Rows handled per class, in the table's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub Vec<(DataClass, u64)>);

impl Counts {
    pub fn get(&self, class: DataClass) -> u64 {
        self.0
            .iter()
            .find(|(c, _)| *c == class)
            .map_or(0, |(_, n)| *n)
    }

    pub fn total(&self) -> u64 {
        self.0.iter().map(|(_, n)| n).sum()
    }
}

/// Purges everything due, batch by batch, each batch committed alone.
pub async fn run(pool: &PgPool, retention: &Retention, batch: i64) -> Result<Counts, sqlx::Error> {
    let batch = batch.max(1);
    let mut counts = Vec::with_capacity(TABLE.len());
    for rule in &TABLE {
        let days = days(retention, rule.class);
        let mut total = 0;
        loop {
            let mut tx = pool.begin().await?;
            let n = step(&mut tx, rule.class, days, batch).await?;
            tx.commit().await?;
            total += n;
            if n < u64::try_from(batch).unwrap_or(u64::MAX) {
                break;
            }
        }
        counts.push((rule.class, total));
    }
    Ok(Counts(counts))
}

/// What [`run`] would purge now, by class; changes nothing.
pub async fn dry_run(pool: &PgPool, retention: &Retention) -> Result<Counts, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mut counts = Vec::with_capacity(TABLE.len());
    for rule in &TABLE {
        let n = step(&mut tx, rule.class, days(retention, rule.class), i64::MAX).await?;
        counts.push((rule.class, n));
    }
    tx.rollback().await?;
    Ok(Counts(counts))
}

fn days(retention: &Retention, class: DataClass) -> i32 {
    i32::try_from(retention.days(class)).unwrap_or(i32::MAX)
}

/// One batch of `class`: at most `limit` rows past `days`.
async fn step(
    conn: &mut PgConnection,
    class: DataClass,
    days: i32,
    limit: i64,
) -> Result<u64, sqlx::Error> {
    let done = match class {
        DataClass::Bookings => anonymise_bookings(conn, days, limit).await?,
        DataClass::BookingNotes => clear_booking_notes(conn, days, limit).await?,
        DataClass::WaitlistEntries => delete_waitlist_entries(conn, days, limit).await?,
        DataClass::CaseContacts => anonymise_case_contacts(conn, days, limit).await?,
        DataClass::SentMail => sqlx::query!(
            r#"
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox
                WHERE state <> 'queued' AND done_at < now() - make_interval(days => $1)
                ORDER BY done_at LIMIT $2
                FOR UPDATE SKIP LOCKED)
            "#,
            days,
            limit
        )
        .execute(conn)
        .await?
        .rows_affected(),
        DataClass::PrivateLinks => delete_expired_links(conn, days, limit).await?,
        DataClass::RateLimitWindows => sqlx::query!(
            r#"
            DELETE FROM rate_limits WHERE (key, window_start) IN (
                SELECT key, window_start FROM rate_limits
                WHERE window_start < now() - make_interval(days => $1)
                LIMIT $2
                FOR UPDATE SKIP LOCKED)
            "#,
            days,
            limit
        )
        .execute(conn)
        .await?
        .rows_affected(),
        DataClass::StaffSessions => sqlx::query!(
            r#"
            DELETE FROM staff_sessions WHERE id IN (
                SELECT id FROM staff_sessions
                WHERE expires_at < now() - make_interval(days => $1)
                LIMIT $2
                FOR UPDATE SKIP LOCKED)
            "#,
            days,
            limit
        )
        .execute(conn)
        .await?
        .rows_affected(),
        DataClass::FormDrafts => sqlx::query!(
            r#"
            DELETE FROM form_drafts WHERE id IN (
                SELECT id FROM form_drafts
                WHERE expires_at < now() - make_interval(days => $1)
                LIMIT $2
                FOR UPDATE SKIP LOCKED)
            "#,
            days,
            limit
        )
        .execute(conn)
        .await?
        .rows_affected(),
    };
    Ok(done)
}

/// Finished bookings past their period lose every personal field, and with
/// them their staff notes, history notes, proposal messages and links.
async fn anonymise_bookings(
    conn: &mut PgConnection,
    days: i32,
    limit: i64,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        r#"
        WITH due AS (
            SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
            WHERE b.anonymised_at IS NULL
              AND (b.status IN ('completed', 'rejected', 'cancelled', 'no_show') OR s.ends_at < now())
              AND greatest(s.ends_at, b.updated_at) < now() - make_interval(days => $1)
            ORDER BY b.updated_at
            LIMIT $2
            FOR UPDATE OF b SKIP LOCKED
        ), notes AS (
            DELETE FROM booking_notes n USING due WHERE n.booking_id = due.id
        ), events AS (
            UPDATE booking_events e SET note = NULL
            FROM due WHERE e.booking_id = due.id AND e.note IS NOT NULL
        ), proposals AS (
            UPDATE booking_proposals p SET message = ''
            FROM due WHERE p.booking_id = due.id AND p.message <> ''
        ), links AS (
            DELETE FROM booking_tokens t USING due WHERE t.booking_id = due.id
        )
        UPDATE bookings b
        SET full_name = $3, citizen_id = $4, phone = $5, email = NULL, summary = $6,
            representatives = '{}', needs = '', cancel_reason = NULL, anonymised_at = now()
        FROM due WHERE b.id = due.id
        "#,
        days,
        limit,
        ANONYMOUS_NAME,
        ANONYMOUS_CITIZEN_ID,
        ANONYMOUS_PHONE,
        ANONYMOUS_SUMMARY,
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Staff notes, history-entry notes and proposal messages of finished
/// bookings past the notes' period (which may be shorter than the
/// booking's); counted per booking.
async fn clear_booking_notes(
    conn: &mut PgConnection,
    days: i32,
    limit: i64,
) -> Result<u64, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        WITH due AS (
            SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
            WHERE (b.status IN ('completed', 'rejected', 'cancelled', 'no_show') OR s.ends_at < now())
              AND greatest(s.ends_at, b.updated_at) < now() - make_interval(days => $1)
              AND (EXISTS (SELECT 1 FROM booking_notes n WHERE n.booking_id = b.id)
                   OR EXISTS (SELECT 1 FROM booking_events e WHERE e.booking_id = b.id AND e.note IS NOT NULL)
                   OR EXISTS (SELECT 1 FROM booking_proposals p WHERE p.booking_id = b.id AND p.message <> ''))
            ORDER BY b.updated_at
            LIMIT $2
            FOR UPDATE OF b SKIP LOCKED
        ), notes AS (
            DELETE FROM booking_notes n USING due WHERE n.booking_id = due.id
        ), events AS (
            UPDATE booking_events e SET note = NULL
            FROM due WHERE e.booking_id = due.id AND e.note IS NOT NULL
        ), proposals AS (
            UPDATE booking_proposals p SET message = ''
            FROM due WHERE p.booking_id = due.id AND p.message <> ''
        )
        SELECT count(*) AS "count!" FROM due
        "#,
        days,
        limit,
    )
    .fetch_one(conn)
    .await?;
    Ok(u64::try_from(row.count).unwrap_or(0))
}

/// Entries that no longer wait (claimed, left, lapsed, closed, ended, or
/// still waiting for a day gone by) past their period. An entry on offer
/// is never deleted here: the offers worker lapses it first.
async fn delete_waitlist_entries(
    conn: &mut PgConnection,
    days: i32,
    limit: i64,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        r#"
        DELETE FROM waitlist_entries WHERE id IN (
            SELECT id FROM waitlist_entries
            WHERE (state NOT IN ('waiting', 'offered')
                   OR (state = 'waiting' AND day < (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date))
              AND greatest(updated_at, (day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
                  < now() - make_interval(days => $1)
            ORDER BY updated_at LIMIT $2
            FOR UPDATE SKIP LOCKED)
        "#,
        days,
        limit,
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Closed and withdrawn cases past their period lose the citizen's contact
/// (name, CCCD, phone, e-mail), their private links and e-mail changes.
/// The case's own content (kind, summary, timeline) is the case file and
/// stays.
async fn anonymise_case_contacts(
    conn: &mut PgConnection,
    days: i32,
    limit: i64,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        r#"
        WITH due AS (
            SELECT id FROM cases
            WHERE anonymised_at IS NULL AND status IN ('closed', 'withdrawn')
              AND updated_at < now() - make_interval(days => $1)
            ORDER BY updated_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ), links AS (
            DELETE FROM case_tokens t USING due WHERE t.case_id = due.id
        ), changes AS (
            DELETE FROM case_email_changes c USING due WHERE c.case_id = due.id
        )
        UPDATE cases c
        SET full_name = $3, citizen_id = NULL, phone = $4, email = NULL, notify = false,
            anonymised_at = now()
        FROM due WHERE c.id = due.id
        "#,
        days,
        limit,
        ANONYMOUS_NAME,
        ANONYMOUS_PHONE,
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Expired private links of bookings, waiting-list entries and cases
/// (`limit` per kind).
async fn delete_expired_links(
    conn: &mut PgConnection,
    days: i32,
    limit: i64,
) -> Result<u64, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        WITH b AS (
            DELETE FROM booking_tokens WHERE token_hash IN (
                SELECT token_hash FROM booking_tokens
                WHERE expires_at < now() - make_interval(days => $1)
                LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING 1
        ), w AS (
            DELETE FROM waitlist_tokens WHERE token_hash IN (
                SELECT token_hash FROM waitlist_tokens
                WHERE expires_at < now() - make_interval(days => $1)
                LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING 1
        ), c AS (
            DELETE FROM case_tokens WHERE token_hash IN (
                SELECT token_hash FROM case_tokens
                WHERE expires_at < now() - make_interval(days => $1)
                LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM b) + (SELECT count(*) FROM w) + (SELECT count(*) FROM c) AS "count!"
        "#,
        days,
        limit,
    )
    .fetch_one(conn)
    .await?;
    Ok(u64::try_from(row.count).unwrap_or(0))
}
