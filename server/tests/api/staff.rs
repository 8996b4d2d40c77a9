//! Staff sign-in and sessions: a strict session cookie, sessions that end
//! with a password change, a disabled account or their lifetime, failures
//! that read the same and are throttled, and cross-site posts refused.

use crate::helpers::booking::office;
use crate::helpers::staff::{session_cookie, sign_in, staff, PASSWORD};
use crate::helpers::{get_as, post_as, spawn_app, spawn_app_with};
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn sign_in_opens_a_strict_session_and_sign_out_ends_it(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let id = staff(&pool, "letan@test.vn", "receptionist", &[a]).await;

    let response = app
        .call(
            "/api/staff/login",
            &[("email", "LeTan@Test.vn "), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let me: Value = response.json();
    assert_eq!(me["role"], "receptionist");
    assert_eq!(me["offices"][0]["slug"], "a");
    let set_cookie = session_cookie(&response).unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "plain http in tests: {set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    let me = get_as(&app, &cookie, "/api/staff/me").await;
    assert_eq!(me.status(), 200, "{}", me.text());
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM staff_sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 1, "the session lives in PostgreSQL");

    // Another instance on the same database knows the session.
    let other = app.second_instance().await;
    let from_other = crate::helpers::get_json(&format!("{other}/api/staff/me"), &cookie).await;
    assert_eq!(from_other.status(), 200, "{}", from_other.text());

    let out = post_as(&app, &cookie, "/api/staff/logout", &[]).await;
    assert_eq!(out.status(), 200, "{}", out.text());
    assert_eq!(get_as(&app, &cookie, "/api/staff/me").await.status(), 401);

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE record_id = $1 ORDER BY id")
            .bind(id.to_string())
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(actions, ["staff.sign_in", "staff.sign_out"]);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_password_change_or_a_disabled_account_ends_every_session(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "one@test.vn", "receptionist", &[a]).await;
    staff(&pool, "two@test.vn", "receptionist", &[a]).await;
    let first = sign_in(&app, "one@test.vn").await;
    let second = sign_in(&app, "one@test.vn").await;
    let other = sign_in(&app, "two@test.vn").await;
    assert_ne!(first, second, "each sign-in gets its own session id");

    sqlx::query("UPDATE staff_accounts SET password_hash = $1 WHERE email = 'one@test.vn'")
        .bind(password_auth::generate_hash("a brand new password"))
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(get_as(&app, &first, "/api/staff/me").await.status(), 401);
    assert_eq!(get_as(&app, &second, "/api/staff/me").await.status(), 401);
    assert_eq!(get_as(&app, &other, "/api/staff/me").await.status(), 200);

    sqlx::query("UPDATE staff_accounts SET active = false WHERE email = 'two@test.vn'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(get_as(&app, &other, "/api/staff/me").await.status(), 401);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_session_ends_after_its_absolute_lifetime(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), &[("STAFF_SESSION_HOURS", "0")]).await;
    let a = office(&pool, "a").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let cookie = sign_in(&app, "letan@test.vn").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(get_as(&app, &cookie, "/api/staff/me").await.status(), 401);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn unknown_email_and_wrong_password_read_the_same_and_failures_are_throttled(pool: PgPool) {
    crate::helpers::fresh_limit_window(&pool).await;
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;

    let wrong = app
        .call(
            "/api/staff/login",
            &[("email", "letan@test.vn"), ("password", "nope")],
            &[],
        )
        .await;
    let unknown = app
        .call(
            "/api/staff/login",
            &[("email", "nobody@test.vn"), ("password", "nope")],
            &[],
        )
        .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    assert_eq!(
        wrong.body, unknown.body,
        "the two failures are indistinguishable"
    );

    let empty = app.call("/api/staff/login", &[], &[]).await;
    assert_eq!(empty.status(), 422);
    assert_eq!(
        crate::helpers::booking::field_codes(&empty),
        [
            ("email".to_owned(), "required".to_owned()),
            ("password".to_owned(), "required".to_owned())
        ]
    );

    // Three more failures for this account make five in the window.
    for _ in 0..3 {
        let r = app
            .call(
                "/api/staff/login",
                &[("email", "letan@test.vn"), ("password", "nope")],
                &[],
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    // Five failures from this address (two of them for an unknown e-mail
    // count against the address only): the right password is now refused
    // too, for the account and for any other account from this address.
    let locked = app
        .call(
            "/api/staff/login",
            &[("email", "letan@test.vn"), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(locked.status(), 429, "{}", locked.text());
    assert!(locked.headers().get("retry-after").is_some());
    let other = app
        .call(
            "/api/staff/login",
            &[("email", "canbo@test.vn"), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(other.status(), 429, "per address as well");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn failures_for_one_account_lock_that_account_from_any_address(pool: PgPool) {
    crate::helpers::fresh_limit_window(&pool).await;
    // Each request comes "through the proxy" from another client address.
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    for n in 0..5 {
        let from = format!("203.0.113.{n}");
        let r = app
            .call(
                "/api/staff/login",
                &[("email", "letan@test.vn"), ("password", "nope")],
                &[("x-forwarded-for", &from)],
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    let r = app
        .call(
            "/api/staff/login",
            &[("email", "letan@test.vn"), ("password", PASSWORD)],
            &[("x-forwarded-for", "198.51.100.7")],
        )
        .await;
    assert_eq!(r.status(), 429);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn cross_site_posts_are_refused(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let form = [("email", "letan@test.vn"), ("password", PASSWORD)];
    let cross = app
        .call(
            "/api/staff/login",
            &form,
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(cross.status(), 403);
    let foreign = app
        .call(
            "/api/staff/login",
            &form,
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(foreign.status(), 403);
    let citizen = app
        .call(
            "/api/bookings/cancel",
            &[("code", "ABCDEFGHJK")],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(citizen.status(), 403, "citizen endpoints too");

    let same = app
        .call(
            "/api/staff/login",
            &form,
            &[("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(same.status(), 200);
    let own_origin = app.base.clone();
    let same_origin = app
        .call(
            "/api/staff/login",
            &form,
            &[("origin", own_origin.as_str())],
        )
        .await;
    assert_eq!(same_origin.status(), 200);
}
