//! Staff members made for tests, signed in (administrators with their
//! second factor), and what the desk tests read back.

use super::booking::{book, cccd, Form, TODAY_VN_START};
use super::{get_as, post_as, TestApp, TestResponse};
use serde_json::Value;
use sqlx::PgPool;
use totp_rs::TOTP;
use uuid::Uuid;

pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// A staff account with `role`, serving `offices`.
pub(crate) async fn staff(pool: &PgPool, email: &str, role: &str, offices: &[Uuid]) -> Uuid {
    let hash = password_auth::generate_hash(PASSWORD);
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO staff_accounts (email, display_name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(email)
    .bind(format!("Cán bộ {role}"))
    .bind(role)
    .bind(hash)
    .fetch_one(pool)
    .await
    .unwrap();
    for office in offices {
        sqlx::query("INSERT INTO staff_offices (staff_id, office_id) VALUES ($1, $2)")
            .bind(id)
            .bind(office)
            .execute(pool)
            .await
            .unwrap();
    }
    id
}

pub(crate) fn session_cookie(response: &TestResponse) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("td_staff="))
        .map(str::to_owned)
}

/// Signs in and returns the `Cookie` header value of the session.
pub(crate) async fn sign_in(app: &TestApp, email: &str) -> String {
    let response = app
        .call(
            "/api/staff/login",
            &[("email", email), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let cookie = session_cookie(&response).expect("a session cookie");
    cookie.split(';').next().unwrap().to_owned()
}

/// Time passes until the appointment of booking `code` has begun (today,
/// Vietnam time): its slot now starts a minute ago (just after midnight, at
/// midnight).
pub(crate) async fn the_day_comes(pool: &PgPool, code: &str) {
    sqlx::query(&format!(
        "UPDATE slots SET starts_at = greatest(now() - interval '1 minute', {TODAY_VN_START}),
                          ends_at = now() + interval '29 minutes'
         WHERE id = (SELECT slot_id FROM bookings WHERE code = $1)",
    ))
    .bind(code)
    .execute(pool)
    .await
    .unwrap();
}

/// Waits out the last `margin` seconds of the Vietnam day, for a test that
/// needs a moment later today: at most `margin` seconds, once a day.
pub(crate) async fn time_left_today(pool: &PgPool, margin: f64) {
    let left: f64 = sqlx::query_scalar(&format!(
        "SELECT extract(epoch FROM {TODAY_VN_START} + interval '1 day' - now())::float8"
    ))
    .fetch_one(pool)
    .await
    .unwrap();
    if left < margin {
        tokio::time::sleep(std::time::Duration::from_secs_f64(left + 1.0)).await;
    }
}

/// A slot's start as the desk's forms send it (RFC 3339, Vietnam time).
pub(crate) async fn slot_start(pool: &PgPool, slot: i64) -> String {
    sqlx::query_scalar(
        r#"SELECT to_char(starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"') FROM slots WHERE id = $1"#,
    )
    .bind(slot)
    .fetch_one(pool)
    .await
    .unwrap()
}

pub(crate) async fn slot_date(pool: &PgPool, slot: i64) -> String {
    sqlx::query_scalar(
        "SELECT (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text FROM slots WHERE id = $1",
    )
    .bind(slot)
    .fetch_one(pool)
    .await
    .unwrap()
}

pub(crate) async fn booked(app: &TestApp, slot: i64, n: u32) -> String {
    let response = book(app, &Form::valid(slot, &cccd(n))).await;
    assert_eq!(response.status(), 200, "{}", response.text());
    response.json::<Value>()["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) async fn status_of(pool: &PgPool, code: &str) -> String {
    sqlx::query_scalar("SELECT status FROM bookings WHERE code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub(crate) async fn audit_actions(
    pool: &PgPool,
    record: &str,
) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT action, actor_email, client_addr FROM audit_log WHERE record_id = $1 ORDER BY id",
    )
    .bind(record)
    .fetch_all(pool)
    .await
    .unwrap()
}

pub(crate) fn cookie_of(response: &TestResponse, previous: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("td_staff="))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .unwrap_or_else(|| previous.to_owned())
}

pub(crate) async fn password(app: &TestApp, email: &str) -> (TestResponse, String) {
    let r = app
        .call(
            "/api/staff/login",
            &[("email", email), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    let cookie = cookie_of(&r, "");
    (r, cookie)
}

/// Signs an administrator in, enrolling them first if needed; returns the
/// session cookie and the TOTP the test now holds.
pub(crate) async fn sign_in_admin(app: &TestApp, email: &str) -> (String, TOTP) {
    let (r, cookie) = password(app, email).await;
    assert_eq!(r.json::<Value>()["second_factor"], "enroll");
    let enrollment = get_as(app, &cookie, "/api/staff/login/enroll").await;
    assert_eq!(enrollment.status(), 200, "{}", enrollment.text());
    let url = enrollment.json::<Value>()["otpauth_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let totp = TOTP::from_url_unchecked(&url).unwrap();
    let code = totp.generate_current().unwrap();
    let confirmed = post_as(
        app,
        &cookie,
        "/api/staff/login/enroll/confirm",
        &[("code", &code)],
    )
    .await;
    assert_eq!(confirmed.status(), 200, "{}", confirmed.text());
    (cookie_of(&confirmed, &cookie), totp)
}
