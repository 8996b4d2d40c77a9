//! Reading a booking with its slot and office, and its history.

use super::tokens::token_hash;
use crate::booking::{BookingStatus, HistoryStep, Topic};
use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// A booking with what the citizen sees of it.
#[derive(Debug, Clone)]
pub struct BookingRow {
    pub id: Uuid,
    pub code: String,
    pub status: BookingStatus,
    pub phone: String,
    pub email: Option<String>,
    pub full_name: String,
    pub topic: Topic,
    pub party_size: i16,
    pub representatives: Vec<String>,
    pub locale: String,
    pub slot_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub office_slug: String,
    pub office_name_vi: String,
    pub office_name_en: Option<String>,
    pub office_address_vi: String,
    pub office_address_en: Option<String>,
    /// Cancel and move are open until this instant.
    pub change_deadline: DateTime<Utc>,
    /// Why it was cancelled or rejected, when a reason was given.
    pub cancel_reason: Option<String>,
}

/// `query_as!` over bookings with their slot and office, filtered by `$where`.
macro_rules! select_booking {
    ($where:literal, $($arg:expr),*) => {
        sqlx::query_as!(
            BookingRow,
            r#"
            SELECT b.id, b.code, b.status AS "status: BookingStatus", b.phone, b.email, b.full_name,
                   b.topic AS "topic: Topic", b.party_size,
                   b.representatives, b.locale, b.slot_id, s.starts_at, s.ends_at,
                   o.slug AS office_slug, o.name_vi AS office_name_vi, o.name_en AS office_name_en,
                   o.address_vi AS office_address_vi, o.address_en AS office_address_en,
                   s.starts_at - make_interval(mins => o.min_notice_minutes) AS "change_deadline!",
                   b.cancel_reason
            FROM bookings b
            JOIN slots s ON s.id = b.slot_id
            JOIN offices o ON o.id = b.office_id
            "# + $where,
            $($arg),*
        )
    };
}

pub async fn by_code(pool: &PgPool, code: &str) -> Result<Option<BookingRow>, sqlx::Error> {
    select_booking!("WHERE b.code = $1", code)
        .fetch_optional(pool)
        .await
}

pub async fn by_id(pool: &PgPool, id: Uuid) -> Result<Option<BookingRow>, sqlx::Error> {
    select_booking!("WHERE b.id = $1", id)
        .fetch_optional(pool)
        .await
}

/// The booking a private link opens, if the link is valid and unexpired.
pub async fn by_token(pool: &PgPool, token: &str) -> Result<Option<BookingRow>, sqlx::Error> {
    let hash = token_hash(token);
    select_booking!(
        "WHERE b.id = (SELECT booking_id FROM booking_tokens WHERE token_hash = $1 AND expires_at > now())",
        &hash[..]
    )
    .fetch_optional(pool)
    .await
}

pub async fn history(
    pool: &PgPool,
    booking: Uuid,
) -> Result<Vec<(DateTime<Utc>, HistoryStep)>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"SELECT at, status AS "status: HistoryStep" FROM booking_events WHERE booking_id = $1 ORDER BY at, id"#,
        booking
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.at, r.status))
    .collect())
}

pub async fn by_id_in(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
) -> Result<BookingRow, sqlx::Error> {
    select_booking!("WHERE b.id = $1", id)
        .fetch_one(&mut **tx)
        .await
}
