//! How long the office takes to answer a request, in its opening hours:
//! a Friday-evening request is not late on Monday morning; a request left
//! past ANSWER_WITHIN_HOURS is marked late on the desk and counted in the
//! reports; confirming, proposing, rejecting and cancelling all answer it.

use crate::helpers::booking::{book, cccd, office, slot, Form};
use crate::helpers::staff::{sign_in, slot_date, staff};
use crate::helpers::{get_as, post_as, spawn_app, TestApp};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

async fn open_hours(pool: &PgPool, office: Uuid, from: &str, to: &str) -> f64 {
    let seconds: i64 =
        sqlx::query_scalar("SELECT office_open_seconds($1, $2::timestamptz, $3::timestamptz)")
            .bind(office)
            .bind(from)
            .bind(to)
            .fetch_one(pool)
            .await
            .unwrap();
    seconds as f64 / 3600.0
}

async fn hours(
    pool: &PgPool,
    office: Uuid,
    weekdays: std::ops::RangeInclusive<i16>,
    opens: &str,
    closes: &str,
) {
    for weekday in weekdays {
        sqlx::query(
            "INSERT INTO opening_hours (office_id, weekday, opens, closes) VALUES ($1, $2, $3::time, $4::time)",
        )
        .bind(office)
        .bind(weekday)
        .bind(opens)
        .bind(closes)
        .execute(pool)
        .await
        .unwrap();
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn waiting_is_counted_in_the_offices_opening_hours(pool: PgPool) {
    let a = office(&pool, "a").await;
    // Monday to Friday, 07:30–11:30 and 13:30–16:30 (Vietnam time).
    hours(&pool, a, 1..=5, "07:30", "11:30").await;
    hours(&pool, a, 1..=5, "13:30", "16:30").await;
    // Friday 4 December 2026, 17:00 → Monday 09:00: only Monday's 1.5 hours.
    assert_eq!(
        open_hours(&pool, a, "2026-12-04 17:00+07", "2026-12-07 09:00+07").await,
        1.5
    );
    // Within one day, the lunch break does not count.
    assert_eq!(
        open_hours(&pool, a, "2026-12-04 10:00+07", "2026-12-04 15:00+07").await,
        3.0
    );
    // New Year's Day (a Friday, a public holiday) does not count either.
    assert_eq!(
        open_hours(&pool, a, "2026-12-31 16:00+07", "2027-01-04 08:30+07").await,
        1.5
    );
    // A day the office closed does not count; a date's own hours replace
    // the week's.
    sqlx::query("INSERT INTO office_closures (office_id, day, reason) VALUES ($1, '2026-12-07', 'Tập huấn')")
        .bind(a)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO special_hours (office_id, day, opens, closes) VALUES ($1, '2026-12-08', '08:00', '09:00')")
        .bind(a)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        open_hours(&pool, a, "2026-12-04 17:00+07", "2026-12-09 07:00+07").await,
        1.0
    );
    // Backwards or empty: nothing.
    assert_eq!(
        open_hours(&pool, a, "2026-12-04 15:00+07", "2026-12-04 10:00+07").await,
        0.0
    );
}

async fn request(app: &TestApp, slot: i64, n: u32) -> String {
    let r = book(app, &Form::valid(slot, &cccd(n))).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    r.json::<Value>()["code"].as_str().unwrap().to_owned()
}

async fn asked(pool: &PgPool, code: &str, ago: &str) {
    sqlx::query("UPDATE bookings SET requested_at = now() - $2::interval WHERE code = $1")
        .bind(code)
        .bind(ago)
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_request_left_past_the_limit_is_late_on_the_desk_and_in_the_reports(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    // Open around the clock every day, so the clock is the measure here.
    hours(&pool, a, 1..=7, "00:00", "23:59").await;
    let s = slot(&pool, a, "2 days", 10).await;
    let fresh = request(&app, s, 1).await;
    let old = request(&app, s, 2).await;
    let answered_late = request(&app, s, 3).await;
    let answered_soon = request(&app, s, 4).await;
    let proposed_late = request(&app, s, 5).await;
    for code in [&old, &answered_late, &proposed_late] {
        asked(&pool, code, "5 days").await;
    }
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    let date = slot_date(&pool, s).await;
    let day: Value = get_as(
        &app,
        &desk,
        &format!("/api/staff/bookings?office=a&date={date}"),
    )
    .await
    .json();
    let card = |code: &str| {
        day["pending"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["code"] == code)
            .cloned()
            .unwrap()
    };
    assert_eq!(card(&fresh)["late"], false);
    assert!(card(&fresh)["waited_minutes"].as_i64().unwrap() <= 1);
    assert_eq!(card(&old)["late"], true);
    // Five days less the minute a day the hours leave out.
    let waited = card(&old)["waited_minutes"].as_i64().unwrap();
    assert!((7150..=7200).contains(&waited), "{waited}");

    // Answers: a confirm now (late), a confirm at once (in time), another
    // time proposed (late); an answered request waits no more.
    for code in [&answered_late, &answered_soon] {
        let r = post_as(
            &app,
            &desk,
            "/api/staff/bookings/confirm",
            &[("code", code)],
        )
        .await;
        assert_eq!(r.status(), 200, "{}", r.text());
    }
    let other = slot(&pool, a, "3 days", 4).await;
    let other_at: String = sqlx::query_scalar("SELECT to_char(starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD\"T\"HH24:MI') FROM slots WHERE id = $1")
        .bind(other)
        .fetch_one(&pool)
        .await
        .unwrap();
    let r = post_as(
        &app,
        &desk,
        "/api/staff/bookings/propose",
        &[("code", &proposed_late), ("starts_at", &other_at)],
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    let day: Value = get_as(
        &app,
        &desk,
        &format!("/api/staff/bookings?office=a&date={date}"),
    )
    .await
    .json();
    let proposed = day["pending"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["code"] == proposed_late.as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        proposed["waited_minutes"],
        Value::Null,
        "answered by the proposal"
    );
    assert_eq!(proposed["late"], false);

    // The report counts the two answered late and the one still waiting
    // past the limit; not the fresh one nor the one answered at once.
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let report: Value = get_as(
        &app,
        &officer,
        &format!("/api/staff/reports?from={date}&to={date}"),
    )
    .await
    .json();
    assert_eq!(report["totals"]["answered_late"], 3, "{}", report["totals"]);
    assert_eq!(report["totals"]["bookings"], 5);

    // A move by the citizen asks again: the clock starts over.
    let moved_to = slot(&pool, a, "4 days", 4).await;
    let r = app
        .call(
            "/api/bookings/reschedule",
            &[
                ("code", &old),
                ("phone", "0912 345 678"),
                ("slot_id", &moved_to.to_string()),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    let late_still: bool = sqlx::query_scalar(
        "SELECT office_open_seconds(office_id, requested_at, now()) >= 16 * 3600 FROM bookings WHERE code = $1",
    )
    .bind(&old)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!late_still);
}
