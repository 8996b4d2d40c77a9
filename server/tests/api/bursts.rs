//! Every limiter that guards a secret, hit by a hundred simultaneous wrong
//! attempts: at most the limit get their secret checked, the rest are 429,
//! and the member's own known browser still signs in.

use crate::helpers::booking::{book, cccd, office, slot, Form};
use crate::helpers::cases::case_with_code;
use crate::helpers::staff::{staff, PASSWORD};
use crate::helpers::{burst, post_with, set_cookie, spawn_app_with, TestApp};
use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeMap;

const BURST: usize = 100;

/// The statuses other than `allowed`, for a readable failure.
fn only(counts: &BTreeMap<u16, usize>, allowed: &[u16]) {
    let others: Vec<_> = counts.keys().filter(|s| !allowed.contains(s)).collect();
    assert!(others.is_empty(), "unexpected statuses in {counts:?}");
}

fn login(
    app: &TestApp,
    email: &'static str,
    password: &'static str,
    headers: Vec<(String, String)>,
) -> impl std::future::Future<Output = crate::helpers::TestResponse> + Send + 'static {
    let url = app.url("/api/staff/login");
    async move {
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        post_with(&url, &[("email", email), ("password", password)], &headers).await
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_burst_of_wrong_passwords_gets_five_tries_and_the_members_own_browser_still_signs_in(
    pool: PgPool,
) {
    crate::helpers::fresh_limit_window(&pool).await;
    let app = spawn_app_with(pool.clone(), &[("STAFF_LOGIN_FAILURES_PER_15_MIN", "5")]).await;
    let a = office(&pool, "a").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;

    // The receptionist signed in at her desk yesterday: her browser is known.
    let first = login(&app, "letan@test.vn", PASSWORD, vec![]).await;
    assert_eq!(first.status(), 200, "{}", first.text());
    let device = set_cookie(&first, "td_device").expect("a device cookie");
    let attributes = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("td_device="))
        .unwrap()
        .to_owned();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/api/staff/"] {
        assert!(attributes.contains(part), "{attributes}");
    }

    // At opening time, a hundred wrong passwords at once from elsewhere.
    let counts = burst(BURST, |_| {
        login(
            &app,
            "letan@test.vn",
            "wrong password!",
            vec![("x-forwarded-for".into(), "198.51.100.7".into())],
        )
    })
    .await;
    only(&counts, &[401, 429]);
    assert!(counts.get(&401).copied().unwrap_or(0) <= 5, "{counts:?}");
    assert!(counts.get(&401).copied().unwrap_or(0) >= 1, "{counts:?}");

    // A stranger's browser is refused even with the right password…
    let stranger = login(
        &app,
        "letan@test.vn",
        PASSWORD,
        vec![("x-forwarded-for".into(), "203.0.113.9".into())],
    )
    .await;
    assert_eq!(stranger.status(), 429, "{}", stranger.text());
    assert!(stranger.headers().get("retry-after").is_some());
    // …but hers signs in.
    let mine = login(
        &app,
        "letan@test.vn",
        PASSWORD,
        vec![("cookie".into(), device.clone())],
    )
    .await;
    assert_eq!(mine.status(), 200, "{}", mine.text());

    // A forged device entry counts as no device at all.
    let forged = device.replace("td_device=", "td_device=x");
    let forged = login(
        &app,
        "letan@test.vn",
        PASSWORD,
        vec![("cookie".into(), forged)],
    )
    .await;
    assert_eq!(forged.status(), 429, "{}", forged.text());

    // Her own browser has its own five tries.
    let fresh = set_cookie(&mine, "td_device").unwrap_or(device);
    let counts = burst(BURST, |_| {
        login(
            &app,
            "letan@test.vn",
            "wrong again!!!",
            vec![("cookie".into(), fresh.clone())],
        )
    })
    .await;
    only(&counts, &[401, 429]);
    assert!(counts.get(&401).copied().unwrap_or(0) <= 5, "{counts:?}");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_burst_of_wrong_second_factor_codes_and_enrolment_codes_gets_five_tries(pool: PgPool) {
    crate::helpers::fresh_limit_window(&pool).await;
    let app = spawn_app_with(pool.clone(), &[]).await;
    let a = office(&pool, "a").await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;
    staff(&pool, "moi@test.vn", "admin", &[a]).await;

    // Enrolled already: the code step.
    let (_, totp) = crate::helpers::staff::sign_in_admin(&app, "quantri@test.vn").await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Codes that are surely wrong: none of the steps around now.
    let right: Vec<String> = (0..5).map(|k| totp.generate(now + k * 30 - 60)).collect();
    let pending = login(
        &app,
        "quantri@test.vn",
        PASSWORD,
        vec![("x-forwarded-for".into(), "198.51.100.20".into())],
    )
    .await;
    assert_eq!(pending.json::<Value>()["second_factor"], "totp");
    let cookie = set_cookie(&pending, "td_staff").unwrap();
    let url = app.url("/api/staff/login/code");
    let counts = burst(BURST, |i| {
        let (url, cookie) = (url.clone(), cookie.clone());
        let mut n = i * 7919;
        while right.contains(&format!("{:06}", n % 1_000_000)) {
            n += 1;
        }
        async move {
            let code = format!("{:06}", n % 1_000_000);
            post_with(
                &url,
                &[("code", &code)],
                &[("cookie", &cookie), ("x-forwarded-for", "198.51.100.20")],
            )
            .await
        }
    })
    .await;
    only(&counts, &[401, 429]);
    assert!(counts.get(&401).copied().unwrap_or(0) <= 5, "{counts:?}");

    // Not enrolled: the enrolment's first code.
    let pending = login(
        &app,
        "moi@test.vn",
        PASSWORD,
        vec![("x-forwarded-for".into(), "198.51.100.21".into())],
    )
    .await;
    assert_eq!(pending.json::<Value>()["second_factor"], "enroll");
    let cookie = set_cookie(&pending, "td_staff").unwrap();
    let enrollment = crate::helpers::get_as(&app, &cookie, "/api/staff/login/enroll").await;
    assert_eq!(enrollment.status(), 200, "{}", enrollment.text());
    let url = app.url("/api/staff/login/enroll/confirm");
    let counts = burst(BURST, |i| {
        let (url, cookie) = (url.clone(), cookie.clone());
        async move {
            let code = format!("{:06}", (i * 104_729) % 1_000_000);
            post_with(
                &url,
                &[("code", &code)],
                &[("cookie", &cookie), ("x-forwarded-for", "198.51.100.21")],
            )
            .await
        }
    })
    .await;
    only(&counts, &[401, 429]);
    assert!(counts.get(&401).copied().unwrap_or(0) <= 5, "{counts:?}");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_burst_of_guessed_password_links_gets_five_tries_and_hashes_nothing(pool: PgPool) {
    crate::helpers::fresh_limit_window(&pool).await;
    // One hashing turn and no queue: a guessed link that reached the hash
    // would show as a 503.
    let app = spawn_app_with(
        pool.clone(),
        &[("HASH_CONCURRENCY", "1"), ("HASH_QUEUE_MS", "1")],
    )
    .await;
    let url = app.url("/api/staff/set-password");
    let counts = burst(BURST, |i| {
        let url = url.clone();
        async move {
            let token = format!("guess-{i:040}");
            post_with(
                &url,
                &[
                    ("token", &token),
                    ("new_password", "a long new password"),
                    ("confirm_password", "a long new password"),
                ],
                &[("x-forwarded-for", "198.51.100.30")],
            )
            .await
        }
    })
    .await;
    only(&counts, &[404, 429]);
    assert!(counts.get(&404).copied().unwrap_or(0) <= 5, "{counts:?}");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_burst_of_booking_look_ups_gets_the_limit_and_probing_cccds_is_throttled_too(
    pool: PgPool,
) {
    crate::helpers::fresh_limit_window(&pool).await;
    let app = spawn_app_with(
        pool.clone(),
        &[
            ("LOOKUP_FAILURES_PER_15_MIN", "10"),
            ("BOOKING_ATTEMPTS_PER_HOUR", "100000"),
        ],
    )
    .await;
    let o = office(&pool, "a").await;
    let s = slot(&pool, o, "3 days", 50).await;
    let made = book(&app, &Form::valid(s, &cccd(1))).await;
    assert_eq!(made.status(), 200, "{}", made.text());
    let code = made.json::<Value>()["code"].as_str().unwrap().to_owned();

    let url = app.url("/api/bookings/lookup");
    let counts = burst(BURST, |i| {
        let (url, code) = (url.clone(), code.clone());
        async move {
            let phone = format!("09{:08}", i);
            post_with(
                &url,
                &[("code", &code), ("phone", &phone)],
                &[("x-forwarded-for", "198.51.100.40")],
            )
            .await
        }
    })
    .await;
    only(&counts, &[404, 429]);
    assert!(counts.get(&404).copied().unwrap_or(0) <= 10, "{counts:?}");

    // Booking again with a CCCD that holds a booking answers 409
    // already_booked: each such answer is a look-up that failed.
    let url = app.url("/api/bookings/create");
    // Not the same form again (that is a replay, answered with the booking
    // it made): someone else typing that CCCD.
    let form = Form::valid(s, &cccd(1)).set("full_name", "Kẻ Dò Tìm");
    let pairs: Vec<(String, String)> = form
        .pairs()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let counts = burst(BURST, |_| {
        let (url, pairs) = (url.clone(), pairs.clone());
        async move {
            let pairs: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            post_with(&url, &pairs, &[("x-forwarded-for", "198.51.100.41")]).await
        }
    })
    .await;
    only(&counts, &[409, 429]);
    assert!(counts.get(&409).copied().unwrap_or(0) <= 10, "{counts:?}");
    // And an address that probed too much is refused before it learns more,
    // while it may still book for someone else.
    let again = post_with(
        &url,
        &Form::valid(s, &cccd(1))
            .set("full_name", "Kẻ Dò Tìm")
            .pairs(),
        &[("x-forwarded-for", "198.51.100.41")],
    )
    .await;
    assert_eq!(again.status(), 429, "{}", again.text());
    let other = post_with(
        &url,
        &Form::valid(s, &cccd(2)).pairs(),
        &[("x-forwarded-for", "198.51.100.41")],
    )
    .await;
    assert_eq!(other.status(), 200, "{}", other.text());
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_burst_of_case_look_ups_tries_at_most_the_limit_of_cccd_endings(pool: PgPool) {
    crate::helpers::fresh_limit_window(&pool).await;
    let app = spawn_app_with(pool.clone(), &[("LOOKUP_FAILURES_PER_15_MIN", "10")]).await;
    let o = office(&pool, "a").await;
    case_with_code(&pool, o, "CASE234567", "complaint").await;

    // From a hundred addresses at once, each ending of the CCCD once: the
    // code's own window holds.
    let url = app.url("/api/cases/lookup");
    let counts = burst(BURST, |i| {
        let url = url.clone();
        async move {
            let ending = format!("{:04}", 1000 + i);
            let addr = format!("198.51.100.{}", i + 1);
            post_with(
                &url,
                &[("code", "CASE234567"), ("verifier", &ending)],
                &[("x-forwarded-for", &addr)],
            )
            .await
        }
    })
    .await;
    only(&counts, &[404, 429]);
    assert!(counts.get(&404).copied().unwrap_or(0) <= 10, "{counts:?}");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn an_ipv6_client_has_one_window_for_its_whole_64(pool: PgPool) {
    crate::helpers::fresh_limit_window(&pool).await;
    let app = spawn_app_with(pool.clone(), &[("LOOKUP_FAILURES_PER_15_MIN", "3")]).await;
    let url = app.url("/api/bookings/lookup");
    for i in 0..3 {
        let addr = format!("2001:db8:1:2::{:x}", i + 1);
        let r = post_with(
            &url,
            &[("code", "ABCD234567"), ("phone", "0912345678")],
            &[("x-forwarded-for", &addr)],
        )
        .await;
        assert_eq!(r.status(), 404, "{}", r.text());
    }
    let same_64 = post_with(
        &url,
        &[("code", "ABCD234567"), ("phone", "0912345678")],
        &[("x-forwarded-for", "2001:db8:1:2:ffff:eeee:dddd:1")],
    )
    .await;
    assert_eq!(same_64.status(), 429, "{}", same_64.text());
    let next_64 = post_with(
        &url,
        &[("code", "ABCD234567"), ("phone", "0912345678")],
        &[("x-forwarded-for", "2001:db8:1:3::1")],
    )
    .await;
    assert_eq!(next_64.status(), 404, "{}", next_64.text());
}
