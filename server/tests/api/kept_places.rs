//! Places kept back for walk-ins and priority reception: not bookable
//! online (nor offered to the waiting list, nor proposed) until released
//! `kept_release_hours` before the slot, filled by the desk meanwhile; the
//! claim stays one conditional UPDATE, so a burst never takes a kept place.

use crate::helpers::booking::{book, cccd, field_codes, office, slot, taken, Form};
use crate::helpers::staff::{audit_actions, sign_in, slot_date, slot_start, staff};
use crate::helpers::{burst, get_as, post_as, post_json, post_json_as, spawn_app_with, TestApp};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

const MANY: &[(&str, &str)] = &[("BOOKING_ATTEMPTS_PER_HOUR", "1000")];

async fn keep(pool: &PgPool, office: Uuid, walk_in: i16, priority: i16, release_hours: i32) {
    sqlx::query(
        "UPDATE offices SET kept_walk_in = $2, kept_priority = $3, kept_release_hours = $4 WHERE id = $1",
    )
    .bind(office)
    .bind(walk_in)
    .bind(priority)
    .bind(release_hours)
    .execute(pool)
    .await
    .unwrap();
}

/// The desk's form for someone booked or received at the desk.
fn desk_form(at: &str, n: u32) -> Vec<(&'static str, String)> {
    vec![
        ("office", "a".to_owned()),
        ("starts_at", at.to_owned()),
        ("full_name", "Trần Thị Bình".to_owned()),
        ("citizen_id", cccd(n)),
        ("phone", "0987 654 321".to_owned()),
        ("email", format!("uutien{n}@example.vn")),
        ("topic", "complaint".to_owned()),
        (
            "summary",
            "Khiếu nại về chế độ chính sách người có công.".to_owned(),
        ),
        ("party_size", "1".to_owned()),
    ]
}

async fn desk_post(
    app: &TestApp,
    desk: &str,
    path: &str,
    owned: &[(&'static str, String)],
) -> crate::helpers::TestResponse {
    let pairs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post_as(app, desk, path, &pairs).await
}

fn desk_slot<'a>(day: &'a Value, at: &str) -> &'a Value {
    day["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["starts_at"] == at)
        .expect("the slot on the desk")
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn kept_places_are_not_bookable_online_until_released_and_are_for_the_desk_meanwhile(
    pool: PgPool,
) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    // Four places, one kept for walk-ins and one for priority reception
    // until a day before the slot (three days away).
    keep(&pool, a, 1, 1, 24).await;
    let s = slot(&pool, a, "3 days", 4).await;
    let at = slot_start(&pool, s).await;

    // Ten citizens at once: the two online places go, never a kept one.
    let create = app.url("/api/bookings/create");
    let online = |n: u32| {
        let (url, form) = (create.clone(), Form::valid(s, &cccd(n)));
        async move { post_json(&url, &form.pairs()).await }
    };
    let outcomes = burst(10, |i| online(100 + i as u32)).await;
    assert_eq!(outcomes.get(&200), Some(&2), "{outcomes:?}");
    assert_eq!(outcomes.get(&409), Some(&8), "{outcomes:?}");
    assert_eq!(taken(&pool, s).await, 2);

    // Citizens see the slot as full; its day is full (a waiting list).
    let listed: Vec<Value> = app.get("/api/slots?office=a&days=5").await.json();
    assert!(
        listed.iter().all(|l| l["id"] != s),
        "a slot with only kept places is not offered: {listed:?}"
    );

    // The desk sees both: the kept places, still free for it.
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
    let block = desk_slot(&day, &at);
    assert_eq!(
        (
            &block["kept_walk_in"],
            &block["kept_priority"],
            &block["kept"]
        ),
        (&Value::from(1), &Value::from(1), &Value::from(2)),
        "{block}"
    );
    assert_eq!(day["counts"]["free"], 2);
    assert_eq!(day["counts"]["kept"], 2);
    assert!(day["priority_slots"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == at.as_str()));

    // A priority citizen who phoned is booked into a kept place, confirmed.
    let bad = desk_post(
        &app,
        &desk,
        "/api/staff/bookings/priority",
        &[desk_form(&at, 1), vec![("priority", "vip".to_owned())]].concat(),
    )
    .await;
    assert_eq!(bad.status(), 422, "{}", bad.text());
    assert_eq!(
        field_codes(&bad),
        [("priority".to_owned(), "invalid_choice".to_owned())]
    );
    let ahead = desk_post(
        &app,
        &desk,
        "/api/staff/bookings/priority",
        &[desk_form(&at, 1), vec![("priority", "elderly".to_owned())]].concat(),
    )
    .await;
    assert_eq!(ahead.status(), 200, "{}", ahead.text());
    let body: Value = ahead.json();
    assert_eq!(body["status"], "confirmed");
    let code = body["code"].as_str().unwrap().to_owned();
    assert_eq!(taken(&pool, s).await, 3);
    assert_eq!(audit_actions(&pool, &code).await[0].0, "booking.priority");
    app.mail_to("uutien1@example.vn", "").await;
    let (kept_place, group): (bool, String) =
        sqlx::query_as("SELECT kept_place, priority FROM bookings WHERE code = $1")
            .bind(&code)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(kept_place);
    assert_eq!(group, "elderly");

    // The walk-in place is still kept: online is still refused.
    let again = book(&app, &Form::valid(s, &cccd(200))).await;
    assert_eq!(again.status(), 409, "{}", again.text());
    assert_eq!(again.json::<Value>()["reason"], "slot_full");
    let day: Value = get_as(
        &app,
        &desk,
        &format!("/api/staff/bookings?office=a&date={date}"),
    )
    .await
    .json();
    assert_eq!(desk_slot(&day, &at)["kept"], 1);
    let card = desk_slot(&day, &at)["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["code"] == code.as_str())
        .cloned()
        .unwrap();
    assert_eq!(card["priority"], "elderly");

    // The priority citizen cancels: the place is kept again, not online.
    let cancelled = post_as(
        &app,
        &desk,
        "/api/staff/bookings/cancel",
        &[("code", &code), ("reason", "Công dân báo bận.")],
    )
    .await;
    assert_eq!(cancelled.status(), 200, "{}", cancelled.text());
    assert_eq!(taken(&pool, s).await, 2);
    let after_cancel = book(&app, &Form::valid(s, &cccd(201))).await;
    assert_eq!(after_cancel.status(), 409, "{}", after_cancel.text());

    // Released (the slot, 09:00 three days on, is at most 81 hours away:
    // within the release time): what is still kept opens online, once
    // each, to a burst.
    keep(&pool, a, 1, 1, 96).await;
    let outcomes = burst(6, |i| online(300 + i as u32)).await;
    assert_eq!(outcomes.get(&200), Some(&2), "{outcomes:?}");
    assert_eq!(taken(&pool, s).await, 4);
    let capacity: i16 = sqlx::query_scalar("SELECT capacity FROM slots WHERE id = $1")
        .bind(s)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(capacity, 4);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_burst_of_desk_bookings_fills_kept_places_but_never_overbooks(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    keep(&pool, a, 0, 3, 24).await;
    let s = slot(&pool, a, "3 days", 3).await;
    let at = slot_start(&pool, s).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    // Online: nothing; eight desk bookings and four online ones at once:
    // exactly the three places go, all to the desk.
    let priority = app.url("/api/staff/bookings/priority");
    let create = app.url("/api/bookings/create");
    let desk_outcomes = burst(8, |i| {
        let (url, desk) = (priority.clone(), desk.clone());
        let form = [
            desk_form(&at, 10 + i as u32),
            vec![("priority", "disability".to_owned())],
        ]
        .concat();
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_json_as(&url, &desk, &pairs).await
        }
    });
    let online_outcomes = burst(4, |i| {
        let (url, form) = (create.clone(), Form::valid(s, &cccd(50 + i as u32)));
        async move { post_json(&url, &form.pairs()).await }
    });
    let (desk_outcomes, online_outcomes) = tokio::join!(desk_outcomes, online_outcomes);
    assert_eq!(desk_outcomes.get(&200), Some(&3), "{desk_outcomes:?}");
    assert_eq!(desk_outcomes.get(&409), Some(&5), "{desk_outcomes:?}");
    assert_eq!(online_outcomes.get(&409), Some(&4), "{online_outcomes:?}");
    assert_eq!(taken(&pool, s).await, 3);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_walk_in_fills_a_place_kept_for_walk_ins_today(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    sqlx::query("UPDATE offices SET min_notice_minutes = 0 WHERE id = $1")
        .bind(a)
        .execute(&pool)
        .await
        .unwrap();
    keep(&pool, a, 1, 0, 1).await;
    // A slot later today still before its release (more than an hour
    // away). Past 22:50 in Vietnam no such slot exists today: the slot is
    // then one running now, whose kept place is released, and the test
    // checks that instead.
    let later_today: bool = sqlx::query_scalar(
        "SELECT ((now() + interval '70 minutes') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let s = if later_today {
        slot(&pool, a, "70 minutes", 2).await
    } else {
        slot(&pool, a, "-5 minutes", 2).await
    };
    let at = slot_start(&pool, s).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    if later_today {
        let online = book(&app, &Form::valid(s, &cccd(1))).await;
        assert_eq!(online.status(), 200, "{}", online.text());
        let kept = book(&app, &Form::valid(s, &cccd(2))).await;
        assert_eq!(kept.status(), 409, "{}", kept.text());
        let walk_in = desk_post(
            &app,
            &desk,
            "/api/staff/bookings/walk-in",
            &desk_form(&at, 3),
        )
        .await;
        assert_eq!(walk_in.status(), 200, "{}", walk_in.text());
        assert_eq!(walk_in.json::<Value>()["status"], "checked_in");
    } else {
        let walk_in = desk_post(
            &app,
            &desk,
            "/api/staff/bookings/walk-in",
            &desk_form(&at, 3),
        )
        .await;
        assert_eq!(walk_in.status(), 200, "{}", walk_in.text());
        let kept_now: i32 = sqlx::query_scalar("SELECT slot_kept(s) FROM slots s WHERE id = $1")
            .bind(s)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(kept_now, 0, "released: nothing kept once the slot runs");
    }
    let full = desk_post(
        &app,
        &desk,
        "/api/staff/bookings/walk-in",
        &desk_form(&at, 4),
    )
    .await;
    if later_today {
        assert_eq!(full.status(), 409, "{}", full.text());
        assert_eq!(taken(&pool, s).await, 2);
    } else {
        assert_eq!(full.status(), 200, "{}", full.text());
        assert_eq!(taken(&pool, s).await, 2);
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn released_kept_places_go_to_the_waiting_list_first(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    keep(&pool, a, 1, 0, 24).await;
    let s = slot(&pool, a, "3 days", 2).await;
    let day = slot_date(&pool, s).await;
    let first = book(&app, &Form::valid(s, &cccd(1))).await;
    assert_eq!(first.status(), 200, "{}", first.text());
    // Full online (the other place is kept): the day has a waiting list.
    let entry = Form::valid(0, &cccd(2))
        .set("slot_id", "")
        .set("office", "a")
        .set("day", &day)
        .set("email", "cho2@example.vn");
    let joined = app.call("/api/waitlist/join", &entry.pairs(), &[]).await;
    assert_eq!(joined.status(), 200, "{}", joined.text());
    // The office keeps nothing any more: the place is offered to the list,
    // not left open to whoever books first.
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let saved = post_as(
        &app,
        &officer,
        "/api/staff/schedule/settings",
        &[
            ("office", "a"),
            ("horizon_days", "30"),
            ("min_notice_minutes", "120"),
            ("kept_walk_in", "0"),
            ("kept_priority", "0"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 200, "{}", saved.text());
    let state: String = sqlx::query_scalar("SELECT state FROM waitlist_entries")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(state, "offered");
    // Held in the slot for the entry (the CHECK on taken still guards it).
    let (taken_now, held): (i16, i16) =
        sqlx::query_as("SELECT taken, held FROM slots WHERE id = $1")
            .bind(s)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((taken_now, held), (2, 1));
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn kept_places_must_be_released_before_the_minimum_notice(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let settings = |walk_in: &'static str, release: &'static str, notice: &'static str| {
        let (app, officer) = (&app, officer.clone());
        async move {
            post_as(
                app,
                &officer,
                "/api/staff/schedule/settings",
                &[
                    ("office", "a"),
                    ("horizon_days", "30"),
                    ("min_notice_minutes", notice),
                    ("kept_walk_in", walk_in),
                    ("kept_priority", "1"),
                    ("kept_release_hours", release),
                ],
            )
            .await
        }
    };
    // Released 2 hours before, but online booking closes 3 hours before:
    // the places could never be booked.
    let late = settings("1", "2", "180").await;
    assert_eq!(late.status(), 422, "{}", late.text());
    assert_eq!(
        field_codes(&late),
        [(
            "kept_release_hours".to_owned(),
            "release_after_notice".to_owned()
        )]
    );
    let bad = settings("-1", "0", "60").await;
    assert_eq!(
        field_codes(&bad),
        [
            ("kept_walk_in".to_owned(), "invalid_number".to_owned()),
            ("kept_release_hours".to_owned(), "invalid_number".to_owned())
        ]
    );
    let fine = settings("2", "4", "180").await;
    assert_eq!(fine.status(), 200, "{}", fine.text());
    let saved: (i16, i16, i32) = sqlx::query_as(
        "SELECT kept_walk_in, kept_priority, kept_release_hours FROM offices WHERE id = $1",
    )
    .bind(a)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(saved, (2, 1, 4));
    // A client that leaves the kept fields out changes none of them.
    let older = post_as(
        &app,
        &officer,
        "/api/staff/schedule/settings",
        &[
            ("office", "a"),
            ("horizon_days", "30"),
            ("min_notice_minutes", "60"),
        ],
    )
    .await;
    assert_eq!(older.status(), 200, "{}", older.text());
    let kept: i16 = sqlx::query_scalar("SELECT kept_walk_in FROM offices WHERE id = $1")
        .bind(a)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 2);

    // One slot's own numbers on the desk: never more than its places.
    let s = slot(&pool, a, "3 days", 3).await;
    let at = slot_start(&pool, s).await;
    let slot_kept = |walk_in: &'static str| {
        let (app, officer, at) = (&app, officer.clone(), at.clone());
        async move {
            post_as(
                app,
                &officer,
                "/api/staff/slots/kept",
                &[
                    ("office", "a"),
                    ("starts_at", &at),
                    ("kept_walk_in", walk_in),
                    ("kept_priority", "1"),
                ],
            )
            .await
        }
    };
    let above = slot_kept("3").await;
    assert_eq!(above.status(), 422, "{}", above.text());
    assert_eq!(
        field_codes(&above),
        [("kept_walk_in".to_owned(), "kept_above_capacity".to_owned())]
    );
    let none = slot_kept("0").await;
    assert_eq!(none.status(), 200, "{}", none.text());
    // The generator dropped the test's rule-less slot; the override stays,
    // and a slot at that time keeps its numbers, not the office's.
    let again: i64 = sqlx::query_scalar(
        "INSERT INTO slots (office_id, starts_at, ends_at, capacity)
         SELECT office_id, starts_at, starts_at + interval '30 minutes', 3 FROM slot_overrides WHERE office_id = $1
         ON CONFLICT (office_id, starts_at) DO UPDATE SET withdrawn = false
         RETURNING id",
    )
    .bind(a)
    .fetch_one(&pool)
    .await
    .unwrap();
    let kept_now: i32 = sqlx::query_scalar("SELECT slot_kept(s) FROM slots s WHERE id = $1")
        .bind(again)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        kept_now, 1,
        "the slot's own numbers win over the office's (2 + 1)"
    );
}
