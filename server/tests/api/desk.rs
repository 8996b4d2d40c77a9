//! The front desk over HTTP: confirm, check in, complete, reject and cancel
//! with their mail and audit, the day view, and concurrent confirms from two
//! instances.

use crate::helpers::booking::{office, slot, taken};
use crate::helpers::staff::{
    audit_actions, booked, sign_in, slot_date, staff, status_of, the_day_comes,
};
use crate::helpers::{get_as, post_as, spawn_app, spawn_app_with};
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_desk_confirms_checks_in_and_completes_with_mail_and_audit(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 4).await;
    let code = booked(&app, s, 1).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;

    // Done before its time: invalid transitions are 409 and change nothing.
    for path in [
        "/api/staff/bookings/check-in",
        "/api/staff/bookings/complete",
        "/api/staff/bookings/no-show",
    ] {
        let r = post_as(&app, &desk, path, &[("code", &code)]).await;
        assert_eq!(r.status(), 409, "{path}: {}", r.text());
        let body: Value = r.json();
        assert_eq!(body["reason"], "invalid_transition");
    }
    let unknown = post_as(
        &app,
        &desk,
        "/api/staff/bookings/confirm",
        &[("code", "ABCDEFGHJK")],
    )
    .await;
    assert_eq!(unknown.status(), 404);
    let garbled = post_as(
        &app,
        &desk,
        "/api/staff/bookings/confirm",
        &[("code", "12")],
    )
    .await;
    assert_eq!(garbled.status(), 422);

    let confirmed = post_as(
        &app,
        &desk,
        "/api/staff/bookings/confirm",
        &[("code", &code)],
    )
    .await;
    assert_eq!(confirmed.status(), 200, "{}", confirmed.text());
    assert_eq!(confirmed.json::<Value>()["status"], "confirmed");
    assert_eq!(taken(&pool, s).await, 1, "confirming keeps the one place");
    let again = post_as(
        &app,
        &desk,
        "/api/staff/bookings/confirm",
        &[("code", &code)],
    )
    .await;
    assert_eq!(again.status(), 409);

    // The citizen's look-up shows it, and the e-mail says so with a link.
    let lookup = app
        .call(
            "/api/bookings/lookup",
            &[("code", &code), ("phone", "0912345678")],
            &[],
        )
        .await;
    assert_eq!(lookup.json::<Value>()["status"], "confirmed");
    let mail = app.mail_to("an.nguyen@example.vn", "xác nhận").await;
    let text = mail.text().unwrap();
    assert!(text.contains("/my-booking?t="), "{text}");
    assert_eq!(mail.attachments().len(), 1, "the .ics comes with it");

    // Not before the day; then, typed as a citizen reads it out: lower
    // case, with dashes.
    let early = post_as(
        &app,
        &desk,
        "/api/staff/bookings/check-in",
        &[("code", &code)],
    )
    .await;
    assert_eq!(early.json::<Value>()["reason"], "not_today");
    the_day_comes(&pool, &code).await;
    let typed = format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]).to_lowercase();
    let arrived = post_as(
        &app,
        &desk,
        "/api/staff/bookings/check-in",
        &[("code", &typed)],
    )
    .await;
    assert_eq!(arrived.status(), 200, "{}", arrived.text());
    assert_eq!(arrived.json::<Value>()["status"], "checked_in");
    let noted = post_as(
        &app,
        &desk,
        "/api/staff/bookings/note",
        &[("code", &code), ("note", "Mang theo 3 bộ hồ sơ")],
    )
    .await;
    assert_eq!(noted.status(), 200, "{}", noted.text());
    let done = post_as(
        &app,
        &desk,
        "/api/staff/bookings/complete",
        &[("code", &code)],
    )
    .await;
    assert_eq!(done.status(), 200);
    assert_eq!(status_of(&pool, &code).await, "completed");
    let late = post_as(
        &app,
        &desk,
        "/api/staff/bookings/no-show",
        &[("code", &code)],
    )
    .await;
    assert_eq!(late.status(), 409);

    let trail = audit_actions(&pool, &code).await;
    let actions: Vec<&str> = trail.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "booking.confirm",
            "booking.check_in",
            "booking.note",
            "booking.complete"
        ]
    );
    for (_, actor, addr) in &trail {
        assert_eq!(actor, "letan@test.vn");
        assert_eq!(addr.as_deref(), Some("127.0.0.1"));
    }
    let history: Vec<String> = sqlx::query_scalar(
        "SELECT e.status FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE b.code = $1 ORDER BY e.id",
    )
    .bind(&code)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        history,
        ["requested", "confirmed", "checked_in", "completed"]
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn rejecting_needs_a_reason_frees_the_place_and_tells_the_citizen_why(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 2).await;
    let code = booked(&app, s, 1).await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let desk = sign_in(&app, "canbo@test.vn").await;

    let bare = post_as(
        &app,
        &desk,
        "/api/staff/bookings/reject",
        &[("code", &code), ("reason", "  ")],
    )
    .await;
    assert_eq!(bare.status(), 422);
    assert_eq!(
        crate::helpers::booking::field_codes(&bare),
        [("reason".to_owned(), "required".to_owned())]
    );
    assert_eq!(status_of(&pool, &code).await, "requested");

    let reason = "Nội dung thuộc thẩm quyền của UBND cấp tỉnh";
    let r = post_as(
        &app,
        &desk,
        "/api/staff/bookings/reject",
        &[("code", &code), ("reason", reason)],
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    assert_eq!(taken(&pool, s).await, 0, "the place went back to the pool");
    let mail = app
        .mail_to("an.nguyen@example.vn", "không được chấp nhận")
        .await;
    assert!(mail.text().unwrap().contains(reason));
    assert!(
        !mail.subject().unwrap().contains(reason),
        "the reason stays out of the subject"
    );
    let trail = audit_actions(&pool, &code).await;
    assert_eq!(trail[0].0, "booking.reject");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn concurrent_confirms_from_two_instances_never_overbook(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), &[("BOOKING_ATTEMPTS_PER_HOUR", "1000")]).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 3).await;
    let mut codes = Vec::new();
    for n in 1..=3 {
        codes.push(booked(&app, s, n).await);
    }
    staff(&pool, "one@test.vn", "receptionist", &[a]).await;
    staff(&pool, "two@test.vn", "receptionist", &[a]).await;
    let one = sign_in(&app, "one@test.vn").await;
    let two = sign_in(&app, "two@test.vn").await;
    let other = app.second_instance().await;

    // Both members press "confirm" on every booking at the same moment, each
    // through a different instance.
    let mut calls = Vec::new();
    for code in &codes {
        for (base, cookie) in [
            (app.base.clone(), one.clone()),
            (other.clone(), two.clone()),
        ] {
            let code = code.clone();
            calls.push(tokio::spawn(async move {
                crate::helpers::post_json_as(
                    &format!("{base}/api/staff/bookings/confirm"),
                    &cookie,
                    &[("code", &code)],
                )
                .await
                .status()
            }));
        }
    }
    let mut statuses = Vec::new();
    for call in calls {
        statuses.push(call.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [200, 200, 200, 409, 409, 409]);
    assert_eq!(taken(&pool, s).await, 3);
    for code in &codes {
        assert_eq!(status_of(&pool, code).await, "confirmed");
    }
    let confirms: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'booking.confirm'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(confirms, 3, "one audit row per real change");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_day_view_lists_pending_first_with_slots_and_counts(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 4).await;
    let first = booked(&app, s, 1).await;
    let second = booked(&app, s, 2).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    post_as(
        &app,
        &desk,
        "/api/staff/bookings/confirm",
        &[("code", &first)],
    )
    .await;
    let date = slot_date(&pool, s).await;

    let r = get_as(
        &app,
        &desk,
        &format!("/api/staff/bookings?office=a&date={date}"),
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    let day: Value = r.json();
    assert_eq!(day["date"], date);
    assert_eq!(day["pending"].as_array().unwrap().len(), 1);
    assert_eq!(day["pending"][0]["code"], second);
    assert_eq!(day["counts"]["pending"], 1);
    assert_eq!(day["counts"]["expected"], 1);
    assert_eq!(day["counts"]["free"], 2);
    let slot0 = &day["slots"][0];
    assert_eq!(slot0["capacity"], 4);
    assert_eq!(slot0["taken"], 2);
    let booking = &slot0["bookings"][0];
    assert_eq!(booking["full_name"], "Nguyễn Văn An");
    assert_eq!(booking["party_size"], 1);
    // Never the CCCD; the phone only for a request no e-mail can reach.
    assert!(booking.get("citizen_id").is_none() && booking["phone"].is_null());

    // The day came and the confirmed one did not.
    the_day_comes(&pool, &first).await;
    let date = slot_date(&pool, s).await;
    let absent = post_as(
        &app,
        &desk,
        "/api/staff/bookings/no-show",
        &[("code", &first)],
    )
    .await;
    assert_eq!(absent.status(), 200, "{}", absent.text());
    let day: Value = get_as(
        &app,
        &desk,
        &format!("/api/staff/bookings?office=a&date={date}"),
    )
    .await
    .json();
    assert_eq!(day["counts"]["no_show"], 1);
    assert_eq!(day["counts"]["arrived"], 0);
    let trail: Vec<String> = audit_actions(&pool, &first)
        .await
        .into_iter()
        .map(|(a, _, _)| a)
        .collect();
    assert_eq!(trail, ["booking.confirm", "booking.no_show"]);

    // Defaults: the member's first office, today.
    let today = get_as(&app, &desk, "/api/staff/bookings").await;
    assert_eq!(today.status(), 200);
    assert_eq!(today.json::<Value>()["office"]["slug"], "a");
    let bad = get_as(&app, &desk, "/api/staff/bookings?office=a&date=31-12-2026").await;
    assert_eq!(bad.status(), 422);
    let unknown = get_as(&app, &desk, "/api/staff/bookings?office=nowhere").await;
    assert_eq!(unknown.status(), 404);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn staff_cancel_a_confirmed_booking_with_a_reason_the_citizen_receives(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 2).await;
    let code = booked(&app, s, 1).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    post_as(
        &app,
        &desk,
        "/api/staff/bookings/confirm",
        &[("code", &code)],
    )
    .await;

    let bare = post_as(
        &app,
        &desk,
        "/api/staff/bookings/cancel",
        &[("code", &code)],
    )
    .await;
    assert_eq!(bare.status(), 422);
    let reason = "Cán bộ phụ trách vụ việc đi công tác";
    let r = post_as(
        &app,
        &desk,
        "/api/staff/bookings/cancel",
        &[("code", &code), ("reason", reason)],
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    assert_eq!(r.json::<Value>()["status"], "cancelled");
    assert_eq!(taken(&pool, s).await, 0);
    let again = post_as(
        &app,
        &desk,
        "/api/staff/bookings/cancel",
        &[("code", &code), ("reason", reason)],
    )
    .await;
    assert_eq!(again.status(), 409);
    let mail = app.mail_to("an.nguyen@example.vn", "trụ sở hủy").await;
    let text = mail.text().unwrap();
    assert!(text.contains(reason) && text.contains("/book/a"), "{text}");
    let trail: Vec<String> = audit_actions(&pool, &code)
        .await
        .into_iter()
        .map(|(a, _, _)| a)
        .collect();
    assert_eq!(trail, ["booking.confirm", "booking.cancel"]);
}
