//! Bookings made for tests: offices, slots, CCCDs and the booking form.

use super::{TestApp, TestResponse};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// An office with default rules (30-day horizon, 2-hour notice) and no
/// weekly hours: tests make exactly the slots they need.
pub(crate) async fn office(pool: &PgPool, slug: &str) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO offices (slug, name_vi, name_en, address_vi) VALUES ($1, 'Trụ sở thử', 'Test office', 'Số 1 phố Thử') RETURNING id",
    )
    .bind(slug)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A slot `from_now` ahead (a PostgreSQL interval) with `capacity` places.
///
/// A day or more counts from 09:00 today in Vietnam, not from the moment
/// the test runs: `"3 days"` is 09:00 on the Vietnam date three days on and
/// `"3 days 2 hours"` 11:00 that day, whatever the hour, so slots meant for
/// one day stay on one day at 23:30 too. Less than a day counts from now
/// (`"1 hour"`, `"-5 minutes"`): those tests are about the minutes around
/// the present.
pub(crate) async fn slot(pool: &PgPool, office: Uuid, from_now: &str, capacity: i16) -> i64 {
    sqlx::query_scalar(
        "WITH at AS (
             SELECT CASE WHEN ($2::interval >= interval '1 day' OR $2::interval <= interval '-1 day') THEN
                        (((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + time '09:00') AT TIME ZONE 'Asia/Ho_Chi_Minh') + $2::interval
                    ELSE date_trunc('minute', now() + $2::interval) END AS starts_at
         )
         INSERT INTO slots (office_id, starts_at, ends_at, capacity)
         SELECT $1, starts_at, starts_at + interval '30 minutes', $3 FROM at
         RETURNING id",
    )
    .bind(office)
    .bind(from_now)
    .bind(capacity)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The start of today in Vietnam, as SQL: moments "a few minutes ago"
/// are clamped to it, so that just after midnight they stay today.
pub(crate) const TODAY_VN_START: &str =
    "((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')";

/// A slot running now, today in Vietnam: it began up to five minutes ago
/// (at midnight, just after it) and ends in 25 minutes. Returns its id and
/// its start as the desk's forms send it (RFC 3339, Vietnam time).
pub(crate) async fn running_slot(pool: &PgPool, office: Uuid, capacity: i16) -> (i64, String) {
    sqlx::query_as(&format!(
        r#"
        INSERT INTO slots (office_id, starts_at, ends_at, capacity)
        VALUES ($1, greatest(date_trunc('minute', now()) - interval '5 minutes', {TODAY_VN_START}),
                date_trunc('minute', now()) + interval '25 minutes', $2)
        RETURNING id, to_char(starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"')
        "#
    ))
    .bind(office)
    .bind(capacity)
    .fetch_one(pool)
    .await
    .unwrap()
}

pub(crate) async fn taken(pool: &PgPool, slot: i64) -> i16 {
    sqlx::query_scalar("SELECT taken FROM slots WHERE id = $1")
        .bind(slot)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A CCCD with a valid province code, distinct per `n`.
pub(crate) fn cccd(n: u32) -> String {
    format!("001{n:09}")
}

pub(crate) struct Form {
    pub(crate) fields: Vec<(&'static str, String)>,
}

impl Form {
    pub(crate) fn valid(slot: i64, cccd: &str) -> Self {
        Self {
            fields: vec![
                ("slot_id", slot.to_string()),
                ("full_name", "Nguyễn Văn An".into()),
                ("citizen_id", cccd.into()),
                ("phone", "0912 345 678".into()),
                ("email", "an.nguyen@example.vn".into()),
                ("topic", "complaint".into()),
                (
                    "summary",
                    "Khiếu nại quyết định thu hồi đất năm 2025.".into(),
                ),
                ("party_size", "1".into()),
                ("consent", "true".into()),
            ],
        }
    }

    pub(crate) fn set(mut self, name: &'static str, value: &str) -> Self {
        self.fields.retain(|(k, _)| *k != name);
        self.fields.push((name, value.into()));
        self
    }

    pub(crate) fn without(mut self, name: &str) -> Self {
        self.fields.retain(|(k, _)| *k != name);
        self
    }

    pub(crate) fn pairs(&self) -> Vec<(&str, &str)> {
        self.fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
}

pub(crate) async fn book(app: &TestApp, form: &Form) -> TestResponse {
    app.call("/api/bookings/create", &form.pairs(), &[]).await
}

pub(crate) fn field_codes(response: &TestResponse) -> Vec<(String, String)> {
    let body: Value = response.json();
    body["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap().to_owned(),
                        f["code"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The state of the waiting-list entry `code`.
pub(crate) async fn waitlist_state(pool: &PgPool, code: &str) -> String {
    sqlx::query_scalar("SELECT state FROM waitlist_entries WHERE code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
}
