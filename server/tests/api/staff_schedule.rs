//! Schedule editing: rules applied to slots, never below the bookings a slot
//! holds; closing a day cancels its bookings and tells each citizen.

use crate::helpers::booking::{book, cccd, office, taken, Form};
use crate::helpers::staff::{sign_in, staff};
use crate::helpers::{post_as, spawn_app_with, TestApp, TestResponse};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// An office open every day 08:00–10:00, 30-minute slots of 2 places, with
/// its slots generated.
async fn open_office(pool: &PgPool, slug: &str) -> Uuid {
    let id = office(pool, slug).await;
    for weekday in 1..=7i16 {
        sqlx::query(
            "INSERT INTO opening_hours (office_id, weekday, opens, closes, slot_minutes, capacity) VALUES ($1, $2, '08:00', '10:00', 30, 2)",
        )
        .bind(id)
        .bind(weekday)
        .execute(pool)
        .await
        .unwrap();
    }
    app::booking::generator::generate(pool).await.unwrap();
    id
}

/// The first slot at least `days` days ahead (a public holiday has none):
/// (id, starts_at as RFC 3339, date).
async fn slot_in(pool: &PgPool, office: Uuid, days: i32) -> (i64, String, String) {
    sqlx::query_as(
        r#"
        SELECT id, to_char(starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"'),
               (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text
        FROM slots
        WHERE office_id = $1 AND (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + $2
        ORDER BY starts_at LIMIT 1
        "#,
    )
    .bind(office)
    .bind(days)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn officer(app: &TestApp, office: Uuid) -> String {
    staff(&app.pool, "canbo@test.vn", "officer", &[office]).await;
    sign_in(app, "canbo@test.vn").await
}

fn codes(response: &TestResponse) -> Vec<(String, String)> {
    crate::helpers::booking::field_codes(response)
}

async fn spawn(pool: &PgPool) -> TestApp {
    spawn_app_with(pool.clone(), &[("BOOKING_ATTEMPTS_PER_HOUR", "1000")]).await
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn closing_a_day_cancels_its_bookings_and_tells_each_citizen(pool: PgPool) {
    let app = spawn(&pool).await;
    let a = open_office(&pool, "a").await;
    let (slot, _, date) = slot_in(&pool, a, 3).await;
    let first = book(
        &app,
        &Form::valid(slot, &cccd(1)).set("email", "mot@example.vn"),
    )
    .await;
    let second = book(
        &app,
        &Form::valid(slot, &cccd(2)).set("email", "hai@example.vn"),
    )
    .await;
    assert_eq!(second.status(), 200, "{}", second.text());
    let cookie = officer(&app, a).await;
    let first_code = first.json::<Value>()["code"].as_str().unwrap().to_owned();
    post_as(
        &app,
        &cookie,
        "/api/staff/bookings/confirm",
        &[("code", &first_code)],
    )
    .await;

    let no_reason = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/close-day",
        &[("office", "a"), ("date", &date)],
    )
    .await;
    assert_eq!(no_reason.status(), 422);
    assert_eq!(
        codes(&no_reason),
        [("reason".to_owned(), "required".to_owned())]
    );
    let past = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/close-day",
        &[("office", "a"), ("date", "2020-01-01"), ("reason", "x")],
    )
    .await;
    assert_eq!(codes(&past), [("date".to_owned(), "past_date".to_owned())]);

    let reason = "Trụ sở tổ chức hội nghị toàn ngành";
    let closed = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/close-day",
        &[("office", "a"), ("date", &date), ("reason", reason)],
    )
    .await;
    assert_eq!(closed.status(), 200, "{}", closed.text());
    assert_eq!(closed.json::<Value>()["cancelled"], 2);
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM bookings ORDER BY created_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(statuses, ["cancelled", "cancelled"]);
    assert_eq!(taken(&pool, slot).await, 0);
    for to in ["mot@example.vn", "hai@example.vn"] {
        let mail = app.mail_to(to, "hủy").await;
        let text = mail.text().unwrap();
        assert!(text.contains(reason) && text.contains("/book/a"), "{text}");
    }
    // The day offers nothing any more, and the trail says who closed it.
    let offered: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM slots WHERE office_id = $1 AND NOT withdrawn AND (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = $2::date",
    )
    .bind(a)
    .bind(&date)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(offered, 0);
    let audit: Value =
        sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'schedule.close_day'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audit["cancelled"], 2);

    // Reopening offers the day again; the cancelled bookings stay cancelled.
    let reopened = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/reopen-day",
        &[("office", "a"), ("date", &date)],
    )
    .await;
    assert_eq!(reopened.status(), 200, "{}", reopened.text());
    let offered: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM slots WHERE office_id = $1 AND NOT withdrawn AND (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = $2::date",
    )
    .bind(a)
    .bind(&date)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(offered, 4);
    let trail: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'schedule.%' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(trail, ["schedule.close_day", "schedule.reopen_day"]);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn capacity_never_goes_below_the_bookings_a_slot_holds(pool: PgPool) {
    let app = spawn(&pool).await;
    let a = open_office(&pool, "a").await;
    let (slot, starts_at, _) = slot_in(&pool, a, 3).await;
    for n in 1..=2 {
        assert_eq!(book(&app, &Form::valid(slot, &cccd(n))).await.status(), 200);
    }
    let cookie = officer(&app, a).await;

    let lower = post_as(
        &app,
        &cookie,
        "/api/staff/slots/capacity",
        &[
            ("office", "a"),
            ("starts_at", &starts_at),
            ("capacity", "1"),
        ],
    )
    .await;
    assert_eq!(lower.status(), 409, "{}", lower.text());
    assert_eq!(lower.json::<Value>()["reason"], "capacity_below_taken");
    // Nor can the weekly hours of the slot's weekday.
    let weekday: String = sqlx::query_scalar("SELECT extract(isodow FROM starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::text FROM slots WHERE id = $1")
        .bind(slot)
        .fetch_one(&pool)
        .await
        .unwrap();
    let same_day = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/hours/add",
        &[
            ("office", "a"),
            ("weekday", &weekday),
            ("opens", "08:00"),
            ("closes", "10:00"),
            ("slot_minutes", "30"),
            ("capacity", "1"),
        ],
    )
    .await;
    assert_eq!(same_day.status(), 409, "{}", same_day.text());
    let kept: i16 = sqlx::query_scalar(
        "SELECT capacity FROM opening_hours WHERE office_id = $1 AND weekday = $2::text::smallint",
    )
    .bind(a)
    .bind(&weekday)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(kept, 2, "the refused change changed nothing");

    let raise = post_as(
        &app,
        &cookie,
        "/api/staff/slots/capacity",
        &[
            ("office", "a"),
            ("starts_at", &starts_at),
            ("capacity", "5"),
        ],
    )
    .await;
    assert_eq!(raise.status(), 200, "{}", raise.text());
    app::booking::generator::generate(&pool).await.unwrap();
    let capacity: i16 = sqlx::query_scalar("SELECT capacity FROM slots WHERE id = $1")
        .bind(slot)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(capacity, 5, "the override outlives the generator");
    assert_eq!(book(&app, &Form::valid(slot, &cccd(3))).await.status(), 200);
    let trail: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'slot.%' ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(trail, ["slot.capacity"], "only the change that happened");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_blocked_slot_takes_no_new_bookings_and_keeps_its_own(pool: PgPool) {
    let app = spawn(&pool).await;
    let a = open_office(&pool, "a").await;
    let (slot, starts_at, date) = slot_in(&pool, a, 3).await;
    let held = book(&app, &Form::valid(slot, &cccd(1))).await;
    let code = held.json::<Value>()["code"].as_str().unwrap().to_owned();
    let cookie = officer(&app, a).await;

    let blocked = post_as(
        &app,
        &cookie,
        "/api/staff/slots/block",
        &[
            ("office", "a"),
            ("starts_at", &starts_at),
            ("reason", "Họp giao ban"),
        ],
    )
    .await;
    assert_eq!(blocked.status(), 200, "{}", blocked.text());
    let refused = book(&app, &Form::valid(slot, &cccd(2))).await;
    assert!(matches!(refused.status(), 409 | 422), "{}", refused.text());
    let status: String = sqlx::query_scalar("SELECT status FROM bookings WHERE code = $1")
        .bind(&code)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "requested");
    let listed: Vec<Value> = app
        .get(&format!("/api/slots?office=a&from={date}&days=1"))
        .await
        .json();
    assert!(listed.iter().all(|s| s["id"] != slot), "no longer offered");
    let desk: Value = crate::helpers::get_json(
        &app.url(&format!("/api/staff/bookings?office=a&date={date}")),
        &cookie,
    )
    .await
    .json();
    assert_eq!(desk["blocked"][0]["starts_at"], starts_at);

    let again = post_as(
        &app,
        &cookie,
        "/api/staff/slots/unblock",
        &[("office", "a"), ("starts_at", &starts_at)],
    )
    .await;
    assert_eq!(again.status(), 200, "{}", again.text());
    let listed: Vec<Value> = app
        .get(&format!("/api/slots?office=a&from={date}&days=1"))
        .await
        .json();
    assert!(listed.iter().any(|s| s["id"] == slot), "offered again");
    let trail: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'slot.%' ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(trail, ["slot.block", "slot.unblock"]);
    let twice = post_as(
        &app,
        &cookie,
        "/api/staff/slots/unblock",
        &[("office", "a"), ("starts_at", &starts_at)],
    )
    .await;
    assert_eq!(twice.status(), 404);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn hours_are_checked_field_by_field_and_applied(pool: PgPool) {
    let app = spawn(&pool).await;
    let a = open_office(&pool, "a").await;
    let cookie = officer(&app, a).await;
    let add = |weekday: &'static str,
               opens: &'static str,
               closes: &'static str,
               minutes: &'static str,
               capacity: &'static str| {
        [
            ("office", "a"),
            ("weekday", weekday),
            ("opens", opens),
            ("closes", closes),
            ("slot_minutes", minutes),
            ("capacity", capacity),
        ]
    };
    for (form, expected) in [
        (
            add("9", "13:30", "16:30", "30", "3"),
            vec![("weekday", "invalid_choice")],
        ),
        (
            add("2", "25:00", "16:30", "30", "3"),
            vec![("opens", "invalid_time")],
        ),
        (
            add("2", "13:30", "12:00", "30", "3"),
            vec![("closes", "end_before_start")],
        ),
        (
            add("2", "13:30", "14:00", "60", "3"),
            vec![("slot_minutes", "slot_too_long")],
        ),
        (
            add("2", "13:30", "16:30", "600", "0"),
            vec![
                ("slot_minutes", "invalid_number"),
                ("capacity", "invalid_number"),
            ],
        ),
        (
            add("2", "09:00", "11:00", "30", "3"),
            vec![("opens", "overlaps")],
        ),
        (
            add("", "", "", "", ""),
            vec![
                ("weekday", "invalid_choice"),
                ("opens", "required"),
                ("closes", "required"),
                ("slot_minutes", "required"),
                ("capacity", "required"),
            ],
        ),
    ] {
        let r = post_as(&app, &cookie, "/api/staff/schedule/hours/add", &form).await;
        assert_eq!(r.status(), 422, "{form:?}: {}", r.text());
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(f, c)| (f.to_owned(), c.to_owned()))
            .collect();
        assert_eq!(codes(&r), expected, "{form:?}");
    }
    let afternoon = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/hours/add",
        &add("2", "13:30", "16:30", "30", "3"),
    )
    .await;
    assert_eq!(afternoon.status(), 200, "{}", afternoon.text());
    let tuesday_slots: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM slots WHERE office_id = $1 AND extract(isodow FROM starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh') = 2 AND (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::time >= '13:30' AND capacity = 3",
    )
    .bind(a)
    .fetch_one(&pool)
    .await
    .unwrap();
    // Every Tuesday of the next four weeks but a public holiday.
    let tuesdays: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM generate_series(1, 28) n,
                LATERAL (SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + n AS day) d
         WHERE extract(isodow FROM d.day) = 2
           AND NOT EXISTS (SELECT 1 FROM public_holidays p WHERE p.day = d.day)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        tuesday_slots >= 6 * tuesdays,
        "six afternoon slots on every coming Tuesday ({tuesdays}): {tuesday_slots}"
    );

    // Hours for one date replace the template that day.
    let (_, _, date) = slot_in(&pool, a, 5).await;
    let special = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/special/add",
        &[
            ("office", "a"),
            ("date", &date),
            ("opens", "14:00"),
            ("closes", "15:00"),
            ("slot_minutes", "20"),
            ("capacity", "1"),
        ],
    )
    .await;
    assert_eq!(special.status(), 200, "{}", special.text());
    let times: Vec<String> = sqlx::query_scalar(
        "SELECT to_char(starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'HH24:MI') FROM slots WHERE office_id = $1 AND NOT withdrawn AND (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = $2::date ORDER BY starts_at",
    )
    .bind(a)
    .bind(&date)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(times, ["14:00", "14:20", "14:40"]);
    let view: Value = crate::helpers::get_json(&app.url("/api/staff/schedule?office=a"), &cookie)
        .await
        .json();
    assert_eq!(view["special"][0]["date"], date);
    assert_eq!(view["hours"].as_array().unwrap().len(), 8);

    let removed = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/special/remove",
        &[("office", "a"), ("date", &date)],
    )
    .await;
    assert_eq!(removed.status(), 200, "{}", removed.text());
    let dropped = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/hours/remove",
        &[("office", "a"), ("weekday", "2"), ("opens", "13:30")],
    )
    .await;
    assert_eq!(dropped.status(), 200, "{}", dropped.text());
    let gone = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/hours/remove",
        &[("office", "a"), ("weekday", "2"), ("opens", "13:30")],
    )
    .await;
    assert_eq!(gone.status(), 404);

    let horizon = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/settings",
        &[
            ("office", "a"),
            ("horizon_days", "0"),
            ("min_notice_minutes", "60"),
        ],
    )
    .await;
    assert_eq!(
        codes(&horizon),
        [("horizon_days".to_owned(), "invalid_number".to_owned())]
    );
    let week = post_as(
        &app,
        &cookie,
        "/api/staff/schedule/settings",
        &[
            ("office", "a"),
            ("horizon_days", "7"),
            ("min_notice_minutes", "60"),
        ],
    )
    .await;
    assert_eq!(week.status(), 200, "{}", week.text());
    let beyond: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM slots WHERE office_id = $1 AND NOT withdrawn AND starts_at > now() + interval '9 days'",
    )
    .bind(a)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(beyond, 0, "nothing offered past the new horizon");
    let trail: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'schedule.%' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        trail,
        [
            "schedule.hours_add",
            "schedule.special_add",
            "schedule.special_remove",
            "schedule.hours_remove",
            "schedule.settings"
        ]
    );
}
