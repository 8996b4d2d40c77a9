//! Administrators' second factor: enrolment at first sign-in, codes that
//! work once, recovery codes, throttling.

use crate::helpers::booking::office;
use crate::helpers::staff::{cookie_of, password, sign_in_admin};
use crate::helpers::staff::{staff, PASSWORD};
use crate::helpers::{get_as, post_as, spawn_app};
use serde_json::Value;
use sqlx::PgPool;
use totp_rs::TOTP;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn an_admin_enrolls_at_first_sign_in_and_then_needs_a_code(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;

    let (r, cookie) = password(&app, "quantri@test.vn").await;
    assert_eq!(r.json::<Value>()["second_factor"], "enroll");
    assert_eq!(
        get_as(&app, &cookie, "/api/staff/me").await.status(),
        401,
        "not signed in yet"
    );
    let enrollment: Value = get_as(&app, &cookie, "/api/staff/login/enroll")
        .await
        .json();
    let url = enrollment["otpauth_url"].as_str().unwrap();
    assert!(url.starts_with("otpauth://totp/"), "{url}");
    assert!(
        enrollment["qr_svg"].as_str().unwrap().starts_with("<?xml")
            || enrollment["qr_svg"].as_str().unwrap().contains("<svg")
    );
    let again: Value = get_as(&app, &cookie, "/api/staff/login/enroll")
        .await
        .json();
    assert_eq!(
        again["secret"], enrollment["secret"],
        "the same secret until confirmed"
    );
    let totp = TOTP::from_url_unchecked(url).unwrap();

    let wrong = post_as(
        &app,
        &cookie,
        "/api/staff/login/enroll/confirm",
        &[("code", "000000")],
    )
    .await;
    assert_eq!(wrong.status(), 401);
    let code = totp.generate_current().unwrap();
    let confirmed = post_as(
        &app,
        &cookie,
        "/api/staff/login/enroll/confirm",
        &[("code", &code)],
    )
    .await;
    assert_eq!(confirmed.status(), 200, "{}", confirmed.text());
    let codes: Vec<String> = confirmed.json::<Value>()["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    let cookie = cookie_of(&confirmed, &cookie);
    assert_eq!(get_as(&app, &cookie, "/api/staff/me").await.status(), 200);
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM staff_recovery_codes WHERE used_at IS NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, 10);
    post_as(&app, &cookie, "/api/staff/logout", &[]).await;

    // Next time: the password, then a code. The code used to enrol cannot
    // be used again (replay), a recovery code works once.
    let (r, cookie) = password(&app, "quantri@test.vn").await;
    assert_eq!(r.json::<Value>()["second_factor"], "totp");
    let replay = post_as(&app, &cookie, "/api/staff/login/code", &[("code", &code)]).await;
    assert_eq!(replay.status(), 401, "a code is good once");
    let recovered = post_as(
        &app,
        &cookie,
        "/api/staff/login/code",
        &[("code", &codes[0].to_uppercase())],
    )
    .await;
    assert_eq!(recovered.status(), 200, "{}", recovered.text());
    let cookie = cookie_of(&recovered, &cookie);
    assert_eq!(get_as(&app, &cookie, "/api/staff/me").await.status(), 200);
    post_as(&app, &cookie, "/api/staff/logout", &[]).await;

    let (_, cookie) = password(&app, "quantri@test.vn").await;
    let reused = post_as(
        &app,
        &cookie,
        "/api/staff/login/code",
        &[("code", &codes[0])],
    )
    .await;
    assert_eq!(reused.status(), 401, "a recovery code is good once");
    let how: Vec<String> = sqlx::query_scalar(
        "SELECT details->>'second_factor' FROM audit_log WHERE action = 'staff.sign_in' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(how, ["enrolled", "recovery_code"]);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn wrong_codes_are_throttled_and_other_roles_need_no_code(pool: PgPool) {
    crate::helpers::fresh_limit_window(&pool).await;
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let (_, _totp) = sign_in_admin(&app, "quantri@test.vn").await;

    let (_, cookie) = password(&app, "quantri@test.vn").await;
    let empty = post_as(&app, &cookie, "/api/staff/login/code", &[]).await;
    assert_eq!(empty.status(), 422);
    for _ in 0..5 {
        let r = post_as(
            &app,
            &cookie,
            "/api/staff/login/code",
            &[("code", "123456")],
        )
        .await;
        assert_eq!(r.status(), 401);
    }
    let locked = post_as(
        &app,
        &cookie,
        "/api/staff/login/code",
        &[("code", "123456")],
    )
    .await;
    assert_eq!(locked.status(), 429);

    // Without the password step there is nothing to complete.
    let stranger = app
        .call("/api/staff/login/code", &[("code", "123456")], &[])
        .await;
    assert_eq!(stranger.status(), 401);

    let r = app
        .call(
            "/api/staff/login",
            &[("email", "letan@test.vn"), ("password", PASSWORD)],
            &[("x-forwarded-for", "198.51.100.9")],
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    assert_eq!(r.json::<Value>()["second_factor"], Value::Null);
}
