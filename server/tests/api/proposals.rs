//! The office answers a request with another time: the proposed place is
//! held (in the slot's `taken`) until the citizen accepts (moved and
//! confirmed in one transaction), declines or lets it expire (the place goes
//! back); one open proposal per booking, never past a slot's capacity, even
//! in a burst.

use crate::helpers::booking::{book, cccd, office, slot, taken, Form};
use crate::helpers::staff::{sign_in, slot_start, staff};
use crate::helpers::{burst, post_as, post_json_as, spawn_app, TestApp};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// A request in `slot`, by citizen `n`: its code.
async fn request(app: &TestApp, slot: i64, n: u32) -> String {
    let r = book(app, &Form::valid(slot, &cccd(n))).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    r.json::<Value>()["code"].as_str().unwrap().to_owned()
}

async fn desk(app: &TestApp, pool: &PgPool, office: Uuid) -> String {
    staff(pool, "letan@test.vn", "receptionist", &[office]).await;
    sign_in(app, "letan@test.vn").await
}

async fn propose(app: &TestApp, desk: &str, code: &str, at: &str) -> crate::helpers::TestResponse {
    post_as(
        app,
        desk,
        "/api/staff/bookings/propose",
        &[
            ("code", code),
            ("starts_at", at),
            ("message", "Buổi sáng đã kín, mời ông/bà đến buổi chiều."),
        ],
    )
    .await
}

async fn answer(app: &TestApp, code: &str, answer: &str) -> crate::helpers::TestResponse {
    app.call(
        "/api/bookings/proposal",
        &[("code", code), ("phone", "0912345678"), ("answer", answer)],
        &[],
    )
    .await
}

async fn steps(pool: &PgPool, code: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT e.status FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE b.code = $1 ORDER BY e.id",
    )
    .bind(code)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn an_accepted_proposal_moves_and_confirms_the_booking(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let asked = slot(&pool, a, "3 days", 2).await;
    let offered = slot(&pool, a, "4 days", 1).await;
    let code = request(&app, asked, 1).await;
    let desk = desk(&app, &pool, a).await;
    let at = slot_start(&pool, offered).await;

    let r = propose(&app, &desk, &code, &at).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    let body: Value = r.json();
    assert_eq!(body["status"], "requested");
    assert_eq!(
        body["proposal"]["starts_at"].as_str().unwrap()[..16],
        at[..16]
    );
    let expires =
        chrono::DateTime::parse_from_rfc3339(body["proposal"]["expires_at"].as_str().unwrap())
            .unwrap();
    let hours = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes();
    assert!(
        (47 * 60..=48 * 60).contains(&hours),
        "PROPOSAL_HOURS=48: {hours} min"
    );
    assert_eq!(
        (taken(&pool, asked).await, taken(&pool, offered).await),
        (1, 1),
        "the place is held"
    );

    // One open proposal per booking.
    let other = slot(&pool, a, "5 days", 3).await;
    let again = propose(&app, &desk, &code, &slot_start(&pool, other).await).await;
    assert_eq!(again.status(), 409, "{}", again.text());
    assert_eq!(again.json::<Value>()["reason"], "already_proposed");
    assert_eq!(taken(&pool, other).await, 0);

    let seen = app
        .call(
            "/api/bookings/lookup",
            &[("code", &code), ("phone", "0912345678")],
            &[],
        )
        .await;
    assert_eq!(
        seen.json::<Value>()["proposal"]["message"],
        "Buổi sáng đã kín, mời ông/bà đến buổi chiều."
    );

    let accepted = answer(&app, &code, "accept").await;
    assert_eq!(accepted.status(), 200, "{}", accepted.text());
    let body: Value = accepted.json();
    assert_eq!(body["status"], "confirmed");
    assert_eq!(body["slot_id"], offered);
    assert!(body["proposal"].is_null());
    assert_eq!(
        (taken(&pool, asked).await, taken(&pool, offered).await),
        (0, 1)
    );
    assert_eq!(
        steps(&pool, &code).await,
        ["requested", "proposed", "moved", "confirmed"]
    );
    let audit: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE record_id = $1")
            .bind(&code)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(audit, ["booking.propose"]);
    let mail: Vec<String> = sqlx::query_scalar(
        "SELECT o.kind FROM outbox o JOIN bookings b ON b.id = o.booking_id WHERE b.code = $1 ORDER BY o.id",
    )
    .bind(&code)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        mail,
        ["booking_received", "booking_proposed", "booking_confirmed"]
    );
    // Answered once: a second answer finds nothing open.
    let twice = answer(&app, &code, "decline").await;
    assert_eq!(twice.status(), 409);
    assert_eq!(twice.json::<Value>()["reason"], "no_proposal");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_declined_or_expired_proposal_gives_the_place_back(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let asked = slot(&pool, a, "3 days", 2).await;
    let offered = slot(&pool, a, "4 days", 1).await;
    let code = request(&app, asked, 1).await;
    let desk = desk(&app, &pool, a).await;
    let at = slot_start(&pool, offered).await;

    assert_eq!(propose(&app, &desk, &code, &at).await.status(), 200);
    let wrong = answer(&app, &code, "maybe").await;
    assert_eq!(wrong.status(), 422, "{}", wrong.text());
    let declined = answer(&app, &code, "decline").await;
    assert_eq!(declined.status(), 200, "{}", declined.text());
    assert_eq!(declined.json::<Value>()["status"], "requested");
    assert_eq!(
        (taken(&pool, asked).await, taken(&pool, offered).await),
        (1, 0)
    );

    // Staff may try again; this time nobody answers.
    assert_eq!(propose(&app, &desk, &code, &at).await.status(), 200);
    assert_eq!(taken(&pool, offered).await, 1);
    sqlx::query("UPDATE booking_proposals SET expires_at = now() - interval '1 second' WHERE outcome IS NULL")
        .execute(&pool)
        .await
        .unwrap();
    let late = answer(&app, &code, "accept").await;
    assert_eq!(late.status(), 409);
    assert_eq!(late.json::<Value>()["reason"], "no_proposal");
    assert_eq!(app::booking::repo::expire_due(&pool, 100).await.unwrap(), 1);
    assert_eq!(
        app::booking::repo::expire_due(&pool, 100).await.unwrap(),
        0,
        "expired once"
    );
    assert_eq!(
        (taken(&pool, asked).await, taken(&pool, offered).await),
        (1, 0)
    );
    assert_eq!(
        steps(&pool, &code).await,
        [
            "requested",
            "proposed",
            "proposal_declined",
            "proposed",
            "proposal_expired"
        ]
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn ending_or_moving_the_request_withdraws_its_proposal(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let asked = slot(&pool, a, "3 days", 5).await;
    let offered = slot(&pool, a, "4 days", 5).await;
    let elsewhere = slot(&pool, a, "5 days", 5).await;
    let desk = desk(&app, &pool, a).await;
    let at = slot_start(&pool, offered).await;

    // Rejected by the desk.
    let rejected = request(&app, asked, 1).await;
    assert_eq!(propose(&app, &desk, &rejected, &at).await.status(), 200);
    let r = post_as(
        &app,
        &desk,
        "/api/staff/bookings/reject",
        &[("code", &rejected), ("reason", "Không thuộc thẩm quyền.")],
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    assert_eq!(taken(&pool, offered).await, 0);

    // Confirmed at the time first asked.
    let confirmed = request(&app, asked, 2).await;
    assert_eq!(propose(&app, &desk, &confirmed, &at).await.status(), 200);
    let r = post_as(
        &app,
        &desk,
        "/api/staff/bookings/confirm",
        &[("code", &confirmed)],
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    assert_eq!(taken(&pool, offered).await, 0);

    // Cancelled by the citizen.
    let cancelled = request(&app, asked, 3).await;
    assert_eq!(propose(&app, &desk, &cancelled, &at).await.status(), 200);
    let r = app
        .call(
            "/api/bookings/cancel",
            &[("code", &cancelled), ("phone", "0912345678")],
            &[],
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    assert_eq!(taken(&pool, offered).await, 0);

    // Moved by the citizen to a time of their own.
    let moved = request(&app, asked, 4).await;
    assert_eq!(propose(&app, &desk, &moved, &at).await.status(), 200);
    let r = app
        .call(
            "/api/bookings/reschedule",
            &[
                ("code", &moved),
                ("phone", "0912345678"),
                ("slot_id", &elsewhere.to_string()),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    assert_eq!(
        (taken(&pool, offered).await, taken(&pool, elsewhere).await),
        (0, 1)
    );
    let open: i64 =
        sqlx::query_scalar("SELECT count(*) FROM booking_proposals WHERE outcome IS NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(open, 0);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_proposal_needs_a_request_and_a_slot_with_room(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let b = office(&pool, "b").await;
    let asked = slot(&pool, a, "3 days", 2).await;
    let full = slot(&pool, a, "4 days", 1).await;
    let theirs = slot(&pool, b, "4 days 1 hour", 3).await;
    let desk = desk(&app, &pool, a).await;
    request(&app, full, 9).await;
    let code = request(&app, asked, 1).await;

    let r = propose(&app, &desk, &code, &slot_start(&pool, full).await).await;
    assert_eq!(r.status(), 409, "{}", r.text());
    assert_eq!(r.json::<Value>()["reason"], "slot_full");
    let r = propose(&app, &desk, &code, &slot_start(&pool, theirs).await).await;
    assert_eq!(r.status(), 422, "another office's slot: {}", r.text());
    let r = propose(&app, &desk, &code, "2026-13-45T99:00").await;
    assert_eq!(r.status(), 422);
    let r = propose(&app, &desk, &code, &slot_start(&pool, asked).await).await;
    assert_eq!(r.status(), 422, "the time already asked for: {}", r.text());
    let long = "x".repeat(501);
    let r = post_as(
        &app,
        &desk,
        "/api/staff/bookings/propose",
        &[
            ("code", &code),
            ("starts_at", &slot_start(&pool, theirs).await),
            ("message", &long),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert_eq!(taken(&pool, theirs).await, 0);

    let confirm = post_as(
        &app,
        &desk,
        "/api/staff/bookings/confirm",
        &[("code", &code)],
    )
    .await;
    assert_eq!(confirm.status(), 200);
    let other = slot(&pool, a, "6 days", 3).await;
    let r = propose(&app, &desk, &code, &slot_start(&pool, other).await).await;
    assert_eq!(r.status(), 409, "only a request: {}", r.text());
    assert_eq!(r.json::<Value>()["reason"], "invalid_transition");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn proposals_in_a_burst_never_hold_more_than_a_slot_has(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let asked = slot(&pool, a, "3 days", 30).await;
    let offered = slot(&pool, a, "4 days", 3).await;
    let desk = desk(&app, &pool, a).await;
    let mut codes = Vec::new();
    for n in 0..12 {
        codes.push(request(&app, asked, 100 + n).await);
    }
    let at = slot_start(&pool, offered).await;
    let url = app.url("/api/staff/bookings/propose");
    let (c, d, u, t) = (codes.clone(), desk.clone(), url.clone(), at.clone());
    let statuses = burst(12, move |i| {
        let (code, desk, url, at) = (c[i].clone(), d.clone(), u.clone(), t.clone());
        async move { post_json_as(&url, &desk, &[("code", &code), ("starts_at", &at)]).await }
    })
    .await;
    assert_eq!(statuses.get(&200), Some(&3), "{statuses:?}");
    assert_eq!(statuses.get(&409), Some(&9), "{statuses:?}");
    assert_eq!(taken(&pool, offered).await, 3);

    // Twelve proposals for one booking at once: one holds a place.
    let one = request(&app, asked, 200).await;
    let mut times = Vec::new();
    for n in 0..12 {
        let s = slot(&pool, a, &format!("{} days", 7 + n), 2).await;
        times.push(slot_start(&pool, s).await);
    }
    let statuses = burst(12, move |i| {
        let (code, desk, url, at) = (one.clone(), desk.clone(), url.clone(), times[i].clone());
        async move { post_json_as(&url, &desk, &[("code", &code), ("starts_at", &at)]).await }
    })
    .await;
    assert_eq!(statuses.get(&200), Some(&1), "{statuses:?}");
    // The rest are told why (`already_proposed`), never a 500.
    assert_eq!(statuses.get(&409), Some(&11), "{statuses:?}");
    let held: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(taken), 0) FROM slots WHERE office_id = $1 AND starts_at > now() + interval '6 days'",
    )
    .bind(a)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(held, 1);
}

/// A request whose citizen gave no e-mail can only be answered by a call:
/// the desk sees the phone, to a reader the identity rule lets see the
/// citizen, and only while the request waits.
#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_desk_gets_the_phone_of_a_request_no_email_can_reach(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 5).await;
    let silent = book(&app, &Form::valid(s, &cccd(1)).set("email", "")).await;
    let mailed = book(&app, &Form::valid(s, &cccd(2))).await;
    let denouncer = book(
        &app,
        &Form::valid(s, &cccd(3))
            .set("email", "")
            .set("topic", "denunciation"),
    )
    .await;
    let code =
        |r: &crate::helpers::TestResponse| r.json::<Value>()["code"].as_str().unwrap().to_owned();
    let (silent, mailed, denouncer) = (code(&silent), code(&mailed), code(&denouncer));
    let desk = desk(&app, &pool, a).await;
    let date = crate::helpers::staff::slot_date(&pool, s).await;
    let day = crate::helpers::get_as(
        &app,
        &desk,
        &format!("/api/staff/bookings?office=a&date={date}"),
    )
    .await
    .json::<Value>();
    let phone_of = |code: &str| {
        day["pending"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["code"] == code)
            .map(|b| b["phone"].clone())
            .unwrap()
    };
    assert_eq!(phone_of(&silent), "0912345678");
    assert!(phone_of(&mailed).is_null(), "the e-mail carries the answer");
    assert!(
        phone_of(&denouncer).is_null(),
        "a masked denouncer's phone stays hidden"
    );
    // Each phone shown is in the audit trail: which field, not the number.
    let trail: Vec<(String, String, Value)> = sqlx::query_as(
        "SELECT action, record_id, details FROM audit_log WHERE action = 'booking.contact_viewed' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        trail,
        [(
            "booking.contact_viewed".to_owned(),
            silent.clone(),
            serde_json::json!({"via": "desk", "fields": ["phone"]})
        )]
    );
    let all: String =
        sqlx::query_scalar("SELECT string_agg(to_jsonb(a)::text, ' ') FROM audit_log a")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!all.contains("0912345678") && !all.contains("001000000001"));
}
