//! Walk-ins: a place taken now and checked in at once, never past a slot's
//! capacity, and outside the slots only where the office allows it.

use crate::helpers::booking::{office, running_slot, slot, taken};
use crate::helpers::staff::{audit_actions, sign_in, staff};
use crate::helpers::{get_as, post_as, spawn_app};
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_walk_in_takes_a_place_now_and_is_checked_in(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    // A slot that started five minutes ago, with one place.
    let (now_slot, starts_at) = running_slot(&pool, a, 1).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;

    let empty = post_as(
        &app,
        &desk,
        "/api/staff/bookings/walk-in",
        &[("office", "a")],
    )
    .await;
    assert_eq!(empty.status(), 422, "{}", empty.text());
    let fields: Vec<String> = crate::helpers::booking::field_codes(&empty)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    for field in [
        "starts_at",
        "full_name",
        "citizen_id",
        "phone",
        "topic",
        "summary",
        "party_size",
    ] {
        assert!(fields.contains(&field.to_owned()), "{field} in {fields:?}");
    }
    let form = |cccd: &str, at: &str| -> Vec<(&'static str, String)> {
        vec![
            ("office", "a".to_owned()),
            ("starts_at", at.to_owned()),
            ("full_name", "Hoàng Văn Nam".to_owned()),
            ("citizen_id", cccd.to_owned()),
            ("phone", "0987 654 321".to_owned()),
            ("topic", "petition".to_owned()),
            (
                "summary",
                "Kiến nghị về việc cấp giấy chứng nhận quyền sử dụng đất.".to_owned(),
            ),
            ("party_size", "1".to_owned()),
            ("interpreter", "on".to_owned()),
        ]
    };
    let send = |owned: Vec<(&'static str, String)>| {
        let app = &app;
        let desk = desk.clone();
        async move {
            let pairs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_as(app, &desk, "/api/staff/bookings/walk-in", &pairs).await
        }
    };
    let r = send(form("001234567890", &starts_at)).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    let body: Value = r.json();
    assert_eq!(body["status"], "checked_in");
    let code = body["code"].as_str().unwrap().to_owned();
    assert_eq!(taken(&pool, now_slot).await, 1);
    let (walk_in, basis, consent): (bool, String, Option<String>) = sqlx::query_as(
        "SELECT walk_in, legal_basis, consent_version FROM bookings WHERE code = $1",
    )
    .bind(&code)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(walk_in);
    // A walk-in rests on the duty to receive citizens, not on consent.
    assert_eq!((basis.as_str(), consent), ("legal_duty", None));
    assert_eq!(audit_actions(&pool, &code).await[0].0, "booking.walk_in");

    // The slot is full now: the next walk-in is refused, nothing written.
    let full = send(form("001234567891", &starts_at)).await;
    assert_eq!(full.status(), 409, "{}", full.text());
    assert_eq!(full.json::<Value>()["reason"], "slot_full");
    assert_eq!(taken(&pool, now_slot).await, 1);

    // Only slots running now or later today.
    let later_slot = slot(&pool, a, "3 days", 4).await;
    let later: String = sqlx::query_scalar(
        "SELECT to_char(starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"') FROM slots WHERE id = $1",
    )
    .bind(later_slot)
    .fetch_one(&pool)
    .await
    .unwrap();
    let future = send(form("001234567891", &later)).await;
    assert_eq!(future.status(), 422, "{}", future.text());
    assert_eq!(
        crate::helpers::booking::field_codes(&future),
        [("starts_at".to_owned(), "invalid_slot".to_owned())]
    );

    let day: Value = get_as(&app, &desk, "/api/staff/bookings?office=a")
        .await
        .json();
    let listed = day["slots"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["bookings"].as_array().unwrap().iter())
        .find(|b| b["code"] == code.as_str())
        .cloned()
        .expect("the walk-in is on today's desk");
    assert_eq!(listed["walk_in"], true);
    assert_eq!(listed["interpreter"], true);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn walk_ins_outside_slots_only_where_the_office_allows_them(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let form = |cccd: &'static str| {
        [
            ("office", "a"),
            ("starts_at", "now"),
            ("full_name", "Lý Thị Mai"),
            ("citizen_id", cccd),
            ("phone", "0912 000 111"),
            ("topic", "complaint"),
            (
                "summary",
                "Khiếu nại về tiền bồi thường giải phóng mặt bằng.",
            ),
            ("party_size", "1"),
        ]
    };
    let refused = post_as(
        &app,
        &officer,
        "/api/staff/bookings/walk-in",
        &form("001234567800"),
    )
    .await;
    assert_eq!(refused.status(), 422, "{}", refused.text());
    assert_eq!(
        crate::helpers::booking::field_codes(&refused),
        [("starts_at".to_owned(), "invalid_slot".to_owned())]
    );

    let allowed = post_as(
        &app,
        &officer,
        "/api/staff/schedule/settings",
        &[
            ("office", "a"),
            ("horizon_days", "30"),
            ("min_notice_minutes", "120"),
            ("walk_ins_outside_slots", "true"),
        ],
    )
    .await;
    assert_eq!(allowed.status(), 200, "{}", allowed.text());
    let day: Value = get_as(&app, &officer, "/api/staff/bookings?office=a")
        .await
        .json();
    assert_eq!(day["walk_in_outside_slots"], true);
    for cccd in ["001234567800", "001234567801"] {
        let r = post_as(&app, &officer, "/api/staff/bookings/walk-in", &form(cccd)).await;
        assert_eq!(r.status(), 200, "{}", r.text());
        assert_eq!(r.json::<Value>()["status"], "checked_in");
    }
    // Each has a slot of its own, never offered to citizens.
    let slots: Vec<(i16, i16, bool)> = sqlx::query_as(
        "SELECT s.capacity, s.taken, s.withdrawn FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.walk_in ORDER BY s.starts_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(slots, [(1, 1, true), (1, 1, true)]);
    let offered: Vec<Value> = app.get("/api/slots?office=a").await.json();
    assert!(offered.is_empty(), "{offered:?}");
    app::booking::generator::generate(&pool).await.unwrap();
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM slots WHERE office_id = $1")
        .bind(a)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 2, "the generator keeps them");
}
