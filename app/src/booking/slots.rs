//! SQL for what citizens choose from: offices and their bookable slots,
//! day by day.

use super::DayState;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

// Dates become instants with `date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`:
// the explicit `::timestamp` matters, since a bare `date AT TIME ZONE` is read
// as a UTC instant converted the other way, seven hours off.

#[derive(Debug, Clone)]
pub struct SlotRow {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i16,
    pub taken: i16,
}

/// Bookable slots of `office` starting on the Vietnam dates `from` ..
/// `from + days`: offered, with a place left, past the minimum notice and
/// within the horizon. `taken` is what is not open to an online claim
/// (`slot_room` in the open-room migration): places kept back for the desk,
/// and free places held for the day's waiting list.
pub async fn bookable_slots(
    pool: &PgPool,
    office: Uuid,
    from: chrono::NaiveDate,
    days: i32,
) -> Result<Vec<SlotRow>, sqlx::Error> {
    sqlx::query_as!(
        SlotRow,
        r#"
        SELECT s.id, s.starts_at, s.ends_at, s.capacity, (s.capacity - slot_room(s))::smallint AS "taken!"
        FROM slots s
        JOIN offices o ON o.id = s.office_id
        WHERE s.office_id = $1
          AND NOT s.withdrawn
          AND slot_room(s) > 0
          AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
          AND s.starts_at < ((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + o.horizon_days + 1)::timestamp
                            AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND s.starts_at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND s.starts_at < ($2::date + $3::int)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
        ORDER BY s.starts_at
        "#,
        office,
        from,
        days
    )
    .fetch_all(pool)
    .await
}

/// One row per day from today to the end of the horizon: open (places
/// left), full (slots, but none bookable) or closed (no slots).
pub async fn calendar(
    pool: &PgPool,
    office: Uuid,
) -> Result<Vec<(chrono::NaiveDate, DayState, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        WITH o AS (SELECT * FROM offices WHERE id = $1),
        days AS (
            SELECT d::date AS day
            FROM o, generate_series((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                                    (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + o.horizon_days,
                                    interval '1 day') AS d
        )
        SELECT days.day AS "day!",
               count(s.id) AS "slots!",
               coalesce(sum(slot_room(s)) FILTER (
                   WHERE s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)), 0)::bigint AS "free!"
        FROM days
        CROSS JOIN o
        LEFT JOIN slots s ON s.office_id = o.id AND NOT s.withdrawn
             AND s.starts_at >= days.day::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
             AND s.starts_at < (days.day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
        GROUP BY days.day
        ORDER BY days.day
        "#,
        office
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let state = if r.slots == 0 {
                DayState::Closed
            } else if r.free > 0 {
                DayState::Open
            } else {
                DayState::Full
            };
            (r.day, state, r.free)
        })
        .collect())
}
