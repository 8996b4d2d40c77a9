//! Desk actions respect time: a citizen is checked in only on the day of
//! their appointment (Vietnam time), marked absent only once it has begun,
//! and a case opened from the reception is received on that day.

use crate::helpers::booking::{book, cccd, office, slot, Form};
use crate::helpers::staff::{sign_in, staff, the_day_comes, time_left_today};
use crate::helpers::{post_as, spawn_app, TestApp};
use serde_json::Value;
use sqlx::PgPool;

async fn confirmed(app: &TestApp, cookie: &str, slot: i64, n: u32) -> String {
    let made = book(app, &Form::valid(slot, &cccd(n))).await;
    assert_eq!(made.status(), 200, "{}", made.text());
    let code = made.json::<Value>()["code"].as_str().unwrap().to_owned();
    let ok = post_as(
        app,
        cookie,
        "/api/staff/bookings/confirm",
        &[("code", &code)],
    )
    .await;
    assert_eq!(ok.status(), 200, "{}", ok.text());
    code
}

fn reason(r: &crate::helpers::TestResponse) -> String {
    r.json::<Value>()["reason"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_booking_three_weeks_ahead_cannot_be_checked_in_or_marked_absent_today(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    let later = slot(&pool, a, "21 days", 4).await;
    let code = confirmed(&app, &desk, later, 1).await;

    let check_in = post_as(
        &app,
        &desk,
        "/api/staff/bookings/check-in",
        &[("code", &code)],
    )
    .await;
    assert_eq!(check_in.status(), 409, "{}", check_in.text());
    assert_eq!(reason(&check_in), "not_today");
    let absent = post_as(
        &app,
        &desk,
        "/api/staff/bookings/no-show",
        &[("code", &code)],
    )
    .await;
    assert_eq!(absent.status(), 409, "{}", absent.text());
    assert_eq!(reason(&absent), "not_yet_begun");
    let status: String = sqlx::query_scalar("SELECT status FROM bookings WHERE code = $1")
        .bind(&code)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "confirmed", "nothing changed");

    // The day comes: now it can.
    the_day_comes(&pool, &code).await;
    let check_in = post_as(
        &app,
        &desk,
        "/api/staff/bookings/check-in",
        &[("code", &code)],
    )
    .await;
    assert_eq!(check_in.status(), 200, "{}", check_in.text());
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_no_show_waits_for_the_appointment_to_begin(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    let s = slot(&pool, a, "3 days", 4).await;
    let code = confirmed(&app, &desk, s, 1).await;
    // Later today.
    time_left_today(&pool, 60.0).await;
    sqlx::query("UPDATE slots SET starts_at = now() + interval '30 seconds', ends_at = now() + interval '30 minutes' WHERE id = $1")
        .bind(s)
        .execute(&pool)
        .await
        .unwrap();
    let absent = post_as(
        &app,
        &desk,
        "/api/staff/bookings/no-show",
        &[("code", &code)],
    )
    .await;
    assert_eq!(
        (absent.status(), reason(&absent).as_str()),
        (409, "not_yet_begun")
    );
    the_day_comes(&pool, &code).await;
    let absent = post_as(
        &app,
        &desk,
        "/api/staff/bookings/no-show",
        &[("code", &code)],
    )
    .await;
    assert_eq!(absent.status(), 200, "{}", absent.text());
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_case_opened_from_a_reception_is_received_on_the_day_of_the_reception(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    let s = slot(&pool, a, "21 days", 4).await;
    let code = confirmed(&app, &desk, s, 1).await;
    the_day_comes(&pool, &code).await;
    let check_in = post_as(
        &app,
        &desk,
        "/api/staff/bookings/check-in",
        &[("code", &code)],
    )
    .await;
    assert_eq!(check_in.status(), 200, "{}", check_in.text());
    let opened = post_as(
        &app,
        &desk,
        "/api/staff/cases/create",
        &[("booking_code", &code)],
    )
    .await;
    assert_eq!(opened.status(), 200, "{}", opened.text());
    let case = opened.json::<Value>()["code"].as_str().unwrap().to_owned();
    let (received, today): (chrono::NaiveDate, chrono::NaiveDate) = sqlx::query_as(
        "SELECT received_on, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date FROM cases WHERE code = $1",
    )
    .bind(&case)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(received, today);
}
