//! What one day of an office holds for its waiting list: the times a
//! citizen can wait for, and the list as the desk reads it.

use crate::booking::slots::SlotRow;
use crate::booking::waitlist::WaitState;
use crate::booking::Topic;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

/// The times of `day` of `office` a citizen can still wait for (offered,
/// past the notice, within the horizon), with or without room.
pub async fn day_times(
    pool: &PgPool,
    office: Uuid,
    day: NaiveDate,
) -> Result<Vec<SlotRow>, sqlx::Error> {
    sqlx::query_as!(
        SlotRow,
        r#"
        SELECT s.id, s.starts_at, s.ends_at, s.capacity, (s.capacity - slot_room(s))::smallint AS "taken!"
        FROM slots s JOIN offices o ON o.id = s.office_id
        WHERE s.office_id = $1 AND o.active AND NOT s.withdrawn
          AND s.starts_at >= now() + make_interval(mins => o.min_notice_minutes)
          AND s.starts_at >= $2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND s.starts_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND s.starts_at < ((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + o.horizon_days + 1)::timestamp
                            AT TIME ZONE 'Asia/Ho_Chi_Minh'
        ORDER BY s.starts_at
        "#,
        office,
        day
    )
    .fetch_all(pool)
    .await
}

/// The waiting list of `day` of `office` for the desk, in the order places
/// are offered; entries that ended are left out.
pub async fn for_day(
    pool: &PgPool,
    office: Uuid,
    day: NaiveDate,
    hold: Duration,
) -> Result<Vec<DeskEntry>, sqlx::Error> {
    sqlx::query_as!(
        DeskEntry,
        r#"
        SELECT w.code, w.state AS "state: WaitState", w.full_name, w.phone, w.topic AS "topic: Topic", w.party_size, ws.starts_at AS "slot_starts_at?",
               least(w.offered_at + make_interval(secs => $3),
                     os.starts_at - make_interval(mins => o.min_notice_minutes)) AS "offer_until?",
               os.starts_at AS "offer_starts_at?"
        FROM waitlist_entries w
        JOIN offices o ON o.id = w.office_id
        LEFT JOIN slots ws ON ws.id = w.slot_id
        LEFT JOIN slots os ON os.id = w.offered_slot AND w.state = 'offered'
        WHERE w.office_id = $1 AND w.day = $2 AND w.state IN ('waiting', 'offered')
        ORDER BY w.created_at, w.id
        "#,
        office,
        day,
        hold.as_secs_f64()
    )
    .fetch_all(pool)
    .await
}

/// One entry of a day's list as the desk reads it (masked by the caller
/// under the identity rule).
#[derive(Debug, Clone)]
pub struct DeskEntry {
    pub code: String,
    pub state: WaitState,
    pub full_name: String,
    pub phone: String,
    pub topic: Topic,
    pub party_size: i16,
    pub slot_starts_at: Option<DateTime<Utc>>,
    pub offer_until: Option<DateTime<Utc>>,
    pub offer_starts_at: Option<DateTime<Utc>>,
}
