//! The booking API against a real database: rules, concurrency, e-mail.

use crate::helpers::booking::{book, cccd, field_codes, office, slot, taken, Form};
use crate::helpers::{spawn_app, spawn_app_with};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_booking_takes_a_place_and_sends_its_email(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let office = office(&pool, "thu").await;
    let slot = slot(&pool, office, "3 days", 4).await;

    let response = book(&app, &Form::valid(slot, &cccd(1))).await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let body: Value = response.json();
    let code = body["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 10);
    assert!(code
        .bytes()
        .all(|b| b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(&b)));
    assert_eq!(body["status"], "requested");
    assert_eq!(body["office"], "thu");
    assert!(body["starts_at"].as_str().unwrap().ends_with("+07:00"));
    assert_eq!(taken(&pool, slot).await, 1);

    let stored: (String, String, String) =
        sqlx::query_as("SELECT phone, citizen_id, consent_version FROM bookings WHERE code = $1")
            .bind(&code)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored.0, "0912345678", "phone stored canonical");
    assert_eq!(stored.1, cccd(1));
    // The version in force (the migration's first), as /api/consent gives it.
    assert_eq!(stored.2, "2026-11-28");

    let mail = app.mail_to("an.nguyen@example.vn", &code[..4]).await;
    let subject = mail.subject().unwrap();
    assert!(subject.contains(&code[..4]), "{subject}");
    for private in ["Nguyễn", &cccd(1), "0912345678", "an.nguyen"] {
        assert!(
            !subject.contains(private),
            "subject leaks {private}: {subject}"
        );
    }
    let text = mail.text().unwrap();
    assert!(
        text.contains("Trụ sở thử") && text.contains("/my-booking?t="),
        "{text}"
    );
    assert!(mail.html().unwrap().contains("<strong>"));
    let attachments = mail.attachments();
    assert_eq!(attachments.len(), 1, "the .ics is attached");
    assert!(
        attachments[0].1.contains("BEGIN:VEVENT"),
        "{}",
        attachments[0].1
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn concurrent_bookings_through_two_instances_never_overbook(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), &[("BOOKING_ATTEMPTS_PER_HOUR", "10000")]).await;
    let second = app.second_instance().await;
    let office = office(&pool, "dong").await;
    let slot = slot(&pool, office, "2 days", 5).await;

    let attempts = 60u32;
    let mut tasks = Vec::new();
    for n in 0..attempts {
        let base = if n % 2 == 0 {
            app.base.clone()
        } else {
            second.clone()
        };
        let form = Form::valid(slot, &cccd(100 + n)).without("email");
        let pairs: Vec<(String, String)> = form
            .fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        tasks.push(tokio::spawn(async move {
            let pairs: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            crate::helpers::post_json(&format!("{base}/api/bookings/create"), &pairs)
                .await
                .status()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let ok = statuses.iter().filter(|s| **s == 200).count();
    let full = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((ok, full), (5, 55), "{statuses:?}");
    assert_eq!(taken(&pool, slot).await, 5);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM bookings WHERE slot_id = $1")
        .bind(slot)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 5);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn unicode_is_stored_in_nfc(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let office = office(&pool, "nfc").await;
    let slot = slot(&pool, office, "3 days", 4).await;
    // "Nguyễn" with combining marks, as some phone keyboards send it.
    let decomposed = "Nguye\u{302}\u{303}n Văn An";
    let response = book(
        &app,
        &Form::valid(slot, &cccd(2)).set("full_name", decomposed),
    )
    .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let name: String = sqlx::query_scalar("SELECT full_name FROM bookings")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "Nguyễn Văn An");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_double_submit_makes_one_booking(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let office = office(&pool, "idem").await;
    let slot = slot(&pool, office, "3 days", 4).await;
    let other = crate::helpers::booking::slot(&pool, office, "4 days", 4).await;

    let form = Form::valid(slot, &cccd(3)).set("request_id", &Uuid::new_v4().to_string());
    let first: Value = book(&app, &form).await.json();
    let again = book(&app, &form).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>()["code"], first["code"]);

    // The same data without a request id (an API client retrying).
    let plain = Form::valid(slot, &cccd(3));
    let retry = book(&app, &plain).await;
    assert_eq!(retry.status(), 200);
    assert_eq!(retry.json::<Value>()["code"], first["code"]);
    assert_eq!(taken(&pool, slot).await, 1);

    // A second booking for another slot is the anti-hoarding rule's 409.
    let second = book(&app, &Form::valid(other, &cccd(3))).await;
    assert_eq!(second.status(), 409);
    assert_eq!(second.json::<Value>()["reason"], "already_booked");
    assert_eq!(taken(&pool, other).await, 0);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM bookings")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn one_active_booking_per_citizen_per_office(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "mot").await;
    let b = office(&pool, "hai").await;
    let a1 = slot(&pool, a, "3 days", 4).await;
    let a2 = slot(&pool, a, "5 days", 4).await;
    let b1 = slot(&pool, b, "3 days", 4).await;

    let first: Value = book(&app, &Form::valid(a1, &cccd(4))).await.json();
    assert_eq!(
        book(
            &app,
            &Form::valid(a2, &cccd(4)).set("full_name", "Người Khác")
        )
        .await
        .status(),
        409
    );
    // Another office is fine.
    assert_eq!(book(&app, &Form::valid(b1, &cccd(4))).await.status(), 200);
    // Once cancelled, the citizen may book again at the first office.
    let code = first["code"].as_str().unwrap();
    let cancel = app
        .call(
            "/api/bookings/cancel",
            &[("code", code), ("phone", "0912345678")],
            &[],
        )
        .await;
    assert_eq!(cancel.status(), 200, "{}", cancel.text());
    assert_eq!(book(&app, &Form::valid(a2, &cccd(4))).await.status(), 200);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn lookup_needs_code_and_phone_and_cannot_tell_which_was_wrong(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let office = office(&pool, "tra").await;
    let slot = slot(&pool, office, "3 days", 4).await;
    let created: Value = book(&app, &Form::valid(slot, &cccd(5))).await.json();
    let code = created["code"].as_str().unwrap();

    // Any way of typing the code and the phone works.
    let grouped = format!("{}-{} {}", &code[..4], &code[4..8], &code[8..]).to_lowercase();
    let found = app
        .call(
            "/api/bookings/lookup",
            &[("code", &grouped), ("phone", "+84 912 345 678")],
            &[],
        )
        .await;
    assert_eq!(found.status(), 200, "{}", found.text());
    let body: Value = found.json();
    assert_eq!(body["code"], code);
    assert_eq!(body["status"], "requested");
    assert_eq!(body["office"]["slug"], "tra");
    assert_eq!(body["history"][0]["status"], "requested");
    let text = found.text();
    assert!(
        !text.contains(&cccd(5)) && !text.contains("0912345678"),
        "no CCCD or phone in the answer"
    );

    let wrong_code = app
        .call(
            "/api/bookings/lookup",
            &[("code", "ABCDEFGHJK"), ("phone", "0912345678")],
            &[],
        )
        .await;
    let wrong_phone = app
        .call(
            "/api/bookings/lookup",
            &[("code", code), ("phone", "0987654321")],
            &[],
        )
        .await;
    assert_eq!(wrong_code.status(), 404);
    assert_eq!(wrong_phone.status(), 404);
    assert_eq!(wrong_code.text(), wrong_phone.text());

    let malformed = app
        .call(
            "/api/bookings/lookup",
            &[("code", "0O1I"), ("phone", "12")],
            &[],
        )
        .await;
    assert_eq!(malformed.status(), 422);
    assert_eq!(
        field_codes(&malformed),
        vec![
            ("code".into(), "invalid_code".into()),
            ("phone".into(), "invalid_phone".into())
        ]
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn failed_lookups_are_throttled_per_client_address(pool: PgPool) {
    crate::helpers::fresh_limit_window(&pool).await;
    let app = spawn_app_with(pool.clone(), &[("LOOKUP_FAILURES_PER_15_MIN", "3")]).await;
    let office = office(&pool, "gioi-han").await;
    let slot = slot(&pool, office, "3 days", 4).await;
    let created: Value = book(&app, &Form::valid(slot, &cccd(6))).await.json();
    let code = created["code"].as_str().unwrap();
    let miss = [("code", "ABCDEFGHJK"), ("phone", "0912345678")];
    let proxied = |ip: &'static str| [("x-forwarded-for", ip)];

    for _ in 0..3 {
        assert_eq!(
            app.call("/api/bookings/lookup", &miss, &proxied("203.0.113.9"))
                .await
                .status(),
            404
        );
    }
    // The fourth attempt is refused even with the right answer.
    let right = [("code", code), ("phone", "0912345678")];
    let limited = app
        .call("/api/bookings/lookup", &right, &proxied("203.0.113.9"))
        .await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().get("retry-after").is_some());
    assert_eq!(limited.json::<Value>()["kind"], "rate_limited");
    // Another client (as the trusted loopback proxy reports it) is not.
    assert_eq!(
        app.call("/api/bookings/lookup", &right, &proxied("198.51.100.4"))
            .await
            .status(),
        200
    );

    // With no trusted proxy, the header is the client's own words and is ignored.
    let strict = spawn_app_with(
        pool.clone(),
        &[("LOOKUP_FAILURES_PER_15_MIN", "3"), ("TRUSTED_PROXIES", "")],
    )
    .await;
    let _ = strict
        .call("/api/bookings/lookup", &miss, &proxied("192.0.2.1"))
        .await;
    let _ = strict
        .call("/api/bookings/lookup", &miss, &proxied("192.0.2.2"))
        .await;
    let _ = strict
        .call("/api/bookings/lookup", &miss, &proxied("192.0.2.3"))
        .await;
    let spoofed = strict
        .call("/api/bookings/lookup", &right, &proxied("192.0.2.4"))
        .await;
    assert_eq!(
        spoofed.status(),
        429,
        "a spoofed X-Forwarded-For escaped the limit"
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn booking_attempts_are_limited_per_address(pool: PgPool) {
    crate::helpers::fresh_limit_window(&pool).await;
    let app = spawn_app_with(pool.clone(), &[("BOOKING_ATTEMPTS_PER_HOUR", "2")]).await;
    let form = Form::valid(1, &cccd(7)).set("citizen_id", "");
    assert_eq!(book(&app, &form).await.status(), 422);
    assert_eq!(book(&app, &form).await.status(), 422);
    let third = book(&app, &form).await;
    assert_eq!(third.status(), 429);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn minimum_notice_and_horizon_are_enforced(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let office = office(&pool, "han").await;
    let soon = slot(&pool, office, "1 hour", 4).await;
    let far = slot(&pool, office, "40 days", 4).await;
    let fine = slot(&pool, office, "3 days", 4).await;

    for (slot, n) in [(soon, 8), (far, 9)] {
        let response = book(&app, &Form::valid(slot, &cccd(n))).await;
        assert_eq!(response.status(), 422, "{}", response.text());
        assert_eq!(
            field_codes(&response),
            vec![("slot_id".into(), "invalid_slot".into())]
        );
        assert_eq!(taken(&pool, slot).await, 0);
    }
    let listed: Vec<Value> = app.get("/api/slots?office=han&days=62").await.json();
    let ids: Vec<i64> = listed.iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![fine]);
    assert_eq!(listed[0]["remaining"], 4);
    assert_eq!(listed[0]["capacity"], 4);
    assert!(listed[0]["starts_at"].as_str().unwrap().ends_with("+07:00"));

    // A booking inside the notice can no longer be cancelled or moved.
    let created: Value = book(&app, &Form::valid(fine, &cccd(10))).await.json();
    sqlx::query("UPDATE slots SET starts_at = now() + interval '30 minutes', ends_at = now() + interval '1 hour' WHERE id = $1")
        .bind(fine)
        .execute(&pool)
        .await
        .unwrap();
    let code = created["code"].as_str().unwrap();
    let cancel = app
        .call(
            "/api/bookings/cancel",
            &[("code", code), ("phone", "0912345678")],
            &[],
        )
        .await;
    assert_eq!(cancel.status(), 409);
    assert_eq!(cancel.json::<Value>()["reason"], "too_late");
    assert_eq!(taken(&pool, fine).await, 1);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn slots_query_is_validated(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    office(&pool, "kiem").await;
    assert_eq!(app.get("/api/slots?office=khong-co").await.status(), 404);
    let bad = app
        .get("/api/slots?office=kiem&from=31-12-2026&days=0")
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        field_codes(&bad),
        vec![
            ("from".into(), "invalid_date".into()),
            ("days".into(), "invalid_choice".into())
        ]
    );
    assert_eq!(
        app.get("/api/slots?office=kiem")
            .await
            .json::<Vec<Value>>()
            .len(),
        0
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn cancel_frees_the_place_once(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let office = office(&pool, "huy").await;
    let slot = slot(&pool, office, "3 days", 1).await;
    let created: Value = book(&app, &Form::valid(slot, &cccd(11))).await.json();
    let code = created["code"].as_str().unwrap();
    assert_eq!(
        book(&app, &Form::valid(slot, &cccd(12))).await.status(),
        409,
        "the one place is held"
    );

    let args = [
        ("code", code),
        ("phone", "0912345678"),
        ("reason", "Bận việc gia đình"),
    ];
    let (first, second) = tokio::join!(
        app.call("/api/bookings/cancel", &args, &[]),
        app.call("/api/bookings/cancel", &args, &[])
    );
    let mut statuses = [first.status(), second.status()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "a double click cancels once");
    assert_eq!(taken(&pool, slot).await, 0);
    let body: Value = if first.status() == 200 {
        first.json()
    } else {
        second.json()
    };
    assert_eq!(body["status"], "cancelled");
    assert_eq!(body["history"].as_array().unwrap().len(), 2);

    let mail = app.mail_to("an.nguyen@example.vn", "đã được hủy").await;
    assert!(
        mail.text().unwrap().contains("/book/huy"),
        "a link to book again"
    );
    assert!(mail.attachments().is_empty());

    // The freed place can be booked again.
    assert_eq!(
        book(&app, &Form::valid(slot, &cccd(12))).await.status(),
        200
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn move_takes_the_new_place_and_frees_the_old_one_or_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let office = office(&pool, "doi").await;
    let other = crate::helpers::booking::office(&pool, "khac").await;
    let old = slot(&pool, office, "3 days", 2).await;
    let new = slot(&pool, office, "4 days", 2).await;
    let full = slot(&pool, office, "5 days", 1).await;
    let elsewhere = slot(&pool, other, "4 days", 2).await;
    let created: Value = book(&app, &Form::valid(old, &cccd(13))).await.json();
    let code = created["code"].as_str().unwrap();
    assert_eq!(
        book(&app, &Form::valid(full, &cccd(14))).await.status(),
        200
    );

    let move_to = |slot: i64| {
        let slot = slot.to_string();
        let code = code.to_owned();
        let app = &app;
        async move {
            app.call(
                "/api/bookings/reschedule",
                &[("code", &code), ("phone", "0912345678"), ("slot_id", &slot)],
                &[],
            )
            .await
        }
    };
    let refused = move_to(full).await;
    assert_eq!(refused.status(), 409);
    assert_eq!(refused.json::<Value>()["reason"], "slot_full");
    let refused = move_to(elsewhere).await;
    assert_eq!(refused.status(), 422, "another office's slot");
    assert_eq!(
        (
            taken(&pool, old).await,
            taken(&pool, full).await,
            taken(&pool, elsewhere).await
        ),
        (1, 1, 0)
    );

    let moved = move_to(new).await;
    assert_eq!(moved.status(), 200, "{}", moved.text());
    let body: Value = moved.json();
    assert_eq!(body["slot_id"], new);
    assert_eq!(body["status"], "requested");
    assert_eq!((taken(&pool, old).await, taken(&pool, new).await), (0, 1));
    let from_to: (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT from_slot, to_slot FROM booking_events WHERE status = 'moved'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(from_to, (Some(old), Some(new)));

    let mail = app.mail_to("an.nguyen@example.vn", "đổi giờ").await;
    assert_eq!(mail.attachments().len(), 1, "the new time's .ics");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_plain_form_post_lands_on_the_private_booking_page(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let office = office(&pool, "form").await;
    let slot = slot(&pool, office, "3 days", 4).await;
    let form = Form::valid(slot, &cccd(15)).set("consent", "on");
    let response = app
        .post_form("/api/bookings/create", &form.pairs(), "/book/form")
        .await;
    assert_eq!(response.status(), 302, "{}", response.text());
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/my-booking?t="), "{location}");
    for private in [cccd(15).as_str(), "0912", "an.nguyen"] {
        assert!(!location.contains(private));
    }
    let token = location.trim_start_matches("/my-booking?t=");
    assert!(token.len() >= 43, "a 256-bit token");
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM booking_tokens WHERE token_hash = sha256($1::text::bytea)",
    )
    .bind(token)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, 1, "only the token's hash is stored");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_refused_plain_form_is_kept_once_for_its_page_and_never_in_the_url(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let office = office(&pool, "nhap").await;
    let slot = slot(&pool, office, "3 days", 4).await;
    let form = Form::valid(slot, &cccd(16))
        .set("phone", "12")
        .without("consent");
    let response = app
        .post_form("/api/bookings/create", &form.pairs(), "/book/nhap")
        .await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.contains("/book/nhap?") && location.contains("__err="),
        "{location}"
    );
    for private in [cccd(16).as_str(), "Nguy", "an.nguyen", "thu%20h"] {
        assert!(!location.contains(private), "{location}");
    }
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("td_draft=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert!(!cookie.contains(&cccd(16)));
    let pair = cookie.split(';').next().unwrap().to_owned();

    let page: Value = app
        .get_with(
            "/api/pages/booking?office=nhap",
            &[("cookie", &pair), ("accept", "application/json")],
        )
        .await
        .json();
    assert_eq!(page["draft"]["full_name"], "Nguyễn Văn An");
    assert_eq!(page["draft"]["citizen_id"], cccd(16));
    assert_eq!(page["draft"]["slot_id"], slot.to_string());
    // The form is kept as sent: the unticked consent box sent nothing.
    assert!(page["draft"]["consent"].is_null(), "{page}");
    assert!(
        page["draft"]["request_id"].is_null(),
        "a refilled form is a new submission"
    );
    // Read once.
    let again: Value = app
        .get_with(
            "/api/pages/booking?office=nhap",
            &[("cookie", &pair), ("accept", "application/json")],
        )
        .await
        .json();
    assert!(again["draft"].is_null());
}
