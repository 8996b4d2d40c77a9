//! The report's SQL: counts grouped in the database, labelled in Rust.

use crate::booking::{BookingStatus, Topic};
use crate::cases::{CaseKind, CaseStatus};
use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

/// Bookings of one office, topic and status whose slot is in the period.
pub struct BookingGroup {
    pub office: String,
    pub topic: Topic,
    pub status: BookingStatus,
    pub n: i64,
    /// Requests the office answered (confirmed, proposed, rejected,
    /// cancelled) after `answer_within` seconds of its opening hours, or
    /// still waits for past them.
    pub answered_late: i64,
}

pub async fn bookings(
    pool: &PgPool,
    offices: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
    answer_within: i64,
) -> Result<Vec<BookingGroup>, sqlx::Error> {
    sqlx::query_as!(
        BookingGroup,
        r#"
        SELECT o.slug AS office, b.topic AS "topic: Topic", b.status AS "status: BookingStatus",
               count(*) AS "n!",
               -- Opening hours never exceed the clock: only a wait that long
               -- by the clock needs counting in them.
               count(*) FILTER (WHERE
                   COALESCE(b.answered_at, now()) - b.requested_at >= make_interval(secs => $4)
                   AND office_open_seconds(b.office_id, b.requested_at,
                           COALESCE(b.answered_at, CASE WHEN b.status = 'requested' THEN now() END)) >= $4
               ) AS "answered_late!"
        FROM bookings b
        JOIN slots s ON s.id = b.slot_id
        JOIN offices o ON o.id = b.office_id
        WHERE b.office_id = ANY($1)
          AND s.starts_at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND s.starts_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
        GROUP BY 1, 2, 3
        "#,
        offices,
        from,
        to,
        answer_within as f64
    )
    .fetch_all(pool)
    .await
}

/// Cases of one office, kind and current status, with what happened to
/// them in the period.
pub struct CaseGroup {
    pub office: String,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub received: i64,
    pub accepted: i64,
    pub concluded: i64,
    pub overdue: i64,
}

pub async fn cases(
    pool: &PgPool,
    offices: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<CaseGroup>, sqlx::Error> {
    sqlx::query_as!(
        CaseGroup,
        r#"
        SELECT o.slug AS office, c.kind AS "kind: CaseKind", c.status AS "status: CaseStatus",
               count(*) FILTER (WHERE c.received_on BETWEEN $2 AND $3) AS "received!",
               count(*) FILTER (WHERE c.accepted_on BETWEEN $2 AND $3) AS "accepted!",
               count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM case_events e
                   WHERE e.case_id = c.id AND e.status = 'concluded' AND e.event = 'status'
                     AND e.at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
                     AND e.at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
               )) AS "concluded!",
               count(*) FILTER (WHERE c.due_on < $4) AS "overdue!"
        FROM cases c JOIN offices o ON o.id = c.office_id
        WHERE c.office_id = ANY($1)
        GROUP BY 1, 2, 3
        "#,
        offices,
        from,
        to,
        today
    )
    .fetch_all(pool)
    .await
}
