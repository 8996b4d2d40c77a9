//! Cases made for tests: straight into the table, or opened from a
//! reception through the API, and moved on.

use super::booking::{book, cccd, slot, Form};
use super::{post_as, TestApp, TestResponse};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// A case of `office` with a chosen code, straight into the table.
pub(crate) async fn case_with_code(pool: &PgPool, office: Uuid, code: &str, kind: &str) {
    sqlx::query(
        r#"
        INSERT INTO cases (code, kind, summary, channel, received_on, office_id, agency, full_name,
                           citizen_id, phone, due_on)
        VALUES ($1, $2, 'Nội dung đơn để thử quyền truy cập', 'post', current_date, $3,
                'Cơ quan thử', 'Trần Thị Bình', '001099000123', '0987654321', current_date + 10)
        "#,
    )
    .bind(code)
    .bind(kind)
    .bind(office)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO case_events (case_id, event, status, public) SELECT id, 'opened', 'received', true FROM cases WHERE code = $1",
    )
    .bind(code)
    .execute(pool)
    .await
    .unwrap();
}

/// A booking of `office` that took place today (its day came, it was
/// checked in), with `topic`.
pub(crate) async fn received(
    app: &TestApp,
    pool: &PgPool,
    office: Uuid,
    n: u32,
    topic: &str,
) -> String {
    received_with(
        app,
        pool,
        Form::valid(slot(pool, office, "3 days", 4).await, &cccd(n)).set("topic", topic),
    )
    .await
}

pub(crate) async fn received_with(app: &TestApp, pool: &PgPool, form: Form) -> String {
    let created = book(app, &form).await;
    assert_eq!(created.status(), 200, "{}", created.text());
    let code = created.json::<Value>()["code"].as_str().unwrap().to_owned();
    super::staff::the_day_comes(pool, &code).await;
    sqlx::query("UPDATE bookings SET status = 'checked_in' WHERE code = $1")
        .bind(&code)
        .execute(pool)
        .await
        .unwrap();
    code
}

pub(crate) async fn lookup(app: &TestApp, code: &str, verifier: &str, from: &str) -> TestResponse {
    app.call(
        "/api/cases/lookup",
        &[("code", code), ("verifier", verifier)],
        &[("x-forwarded-for", from)],
    )
    .await
}

pub(crate) async fn move_to(
    app: &TestApp,
    cookie: &str,
    code: &str,
    status: &str,
    public: &str,
    internal: &str,
) -> TestResponse {
    post_as(
        app,
        cookie,
        "/api/staff/cases/update-status",
        &[
            ("code", code),
            ("status", status),
            ("public_note", public),
            ("internal_note", internal),
            // Only a transfer reads it; with it, only the machine can refuse.
            ("agency", "UBND huyện Đông Anh"),
        ],
    )
    .await
}

pub(crate) fn label(status: &str) -> &'static str {
    app::cases::CaseStatus::parse(status)
        .unwrap()
        .label(app::i18n::Locale::vi)
}

/// The changes audited on record `code` (the views of its citizen, which
/// every staff read adds, are tested on their own).
pub(crate) async fn audit_of(pool: &PgPool, code: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE record_id = $1 AND action NOT LIKE '%\\_viewed' ORDER BY id",
    )
        .bind(code)
        .fetch_all(pool)
        .await
        .unwrap()
}
