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

/// A slot starting `from_now` (a PostgreSQL interval) with `capacity` places.
pub(crate) async fn slot(pool: &PgPool, office: Uuid, from_now: &str, capacity: i16) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO slots (office_id, starts_at, ends_at, capacity)
         VALUES ($1, date_trunc('minute', now() + $2::interval), date_trunc('minute', now() + $2::interval) + interval '30 minutes', $3)
         RETURNING id",
    )
    .bind(office)
    .bind(from_now)
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
