//! Sessions follow privileges: any change of a member's role, offices or
//! state ends their sessions, a member promoted to administrator passes the
//! second factor before anything else, and demo accounts cannot sign in in
//! production.

use crate::helpers::booking::office;
use crate::helpers::staff::sign_in_admin;
use crate::helpers::staff::{sign_in, staff, PASSWORD};
use crate::helpers::{get_as, post_as, spawn_app, spawn_app_with, TestApp};
use serde_json::Value;
use sqlx::PgPool;

async fn me(app: &TestApp, cookie: &str) -> u16 {
    get_as(app, cookie, "/api/staff/me").await.status()
}

async fn update(app: &TestApp, admin: &str, email: &str, role: &str, office: &str) -> u16 {
    post_as(
        app,
        admin,
        "/api/staff/accounts/update",
        &[
            ("email", email),
            ("role", role),
            ("offices[0]", office),
            ("active", "true"),
            ("password", PASSWORD),
        ],
    )
    .await
    .status()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_role_change_ends_every_session_of_the_member(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let (admin, _) = sign_in_admin(&app, "quantri@test.vn").await;
    let desk = sign_in(&app, "canbo@test.vn").await;
    let laptop = sign_in(&app, "canbo@test.vn").await;
    let bystander = sign_in(&app, "letan@test.vn").await;
    assert_eq!(me(&app, &desk).await, 200);

    // The same role and offices again changes nothing and ends nothing.
    assert_eq!(
        update(&app, &admin, "canbo@test.vn", "officer", "a").await,
        200
    );
    assert_eq!(me(&app, &desk).await, 200);

    assert_eq!(
        update(&app, &admin, "canbo@test.vn", "receptionist", "a").await,
        200
    );
    assert_eq!(me(&app, &desk).await, 401, "the desk session ended");
    assert_eq!(me(&app, &laptop).await, 401, "so did the laptop's");
    assert_eq!(
        me(&app, &bystander).await,
        200,
        "other members are untouched"
    );
    assert_eq!(me(&app, &admin).await, 200);
    // Signed in again, with the new role.
    let again = sign_in(&app, "canbo@test.vn").await;
    let profile: Value = get_as(&app, &again, "/api/staff/me").await.json();
    assert_eq!(profile["role"], "receptionist");

    // A change made straight in the database counts the same.
    sqlx::query("UPDATE staff_accounts SET role = 'officer' WHERE email = 'canbo@test.vn'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(me(&app, &again).await, 401);
    let again = sign_in(&app, "canbo@test.vn").await;
    sqlx::query("DELETE FROM staff_offices WHERE staff_id = (SELECT id FROM staff_accounts WHERE email = 'canbo@test.vn')")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(me(&app, &again).await, 401, "losing an office ends it too");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_member_promoted_to_admin_passes_the_second_factor_first(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let (admin, _) = sign_in_admin(&app, "quantri@test.vn").await;
    let officer = sign_in(&app, "canbo@test.vn").await;

    assert_eq!(
        update(&app, &admin, "canbo@test.vn", "admin", "a").await,
        200
    );
    // The officer's session does not become an administrator's.
    assert_eq!(me(&app, &officer).await, 401);
    assert_eq!(
        get_as(&app, &officer, "/api/staff/accounts").await.status(),
        401
    );
    assert_eq!(
        get_as(&app, &officer, "/api/staff/audit").await.status(),
        401
    );
    // Signing in again asks for the second factor, and nothing opens before it.
    let r = app
        .call(
            "/api/staff/login",
            &[("email", "canbo@test.vn"), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>()["second_factor"], "enroll");
    let pending = crate::helpers::set_cookie(&r, "td_staff").unwrap();
    for path in [
        "/api/staff/me",
        "/api/staff/accounts",
        "/api/staff/audit",
        "/api/staff/bookings",
    ] {
        assert_eq!(get_as(&app, &pending, path).await.status(), 401, "{path}");
    }
    assert_eq!(
        get_as(&app, &pending, "/api/staff/login/enroll")
            .await
            .status(),
        200
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn demo_accounts_cannot_sign_in_in_production(pool: PgPool) {
    let app = spawn_app_with(
        pool.clone(),
        &[
            ("APP_ENV", "production"),
            ("DATABASE_URL", "postgres://unused/x"),
            ("PUBLIC_URL", "https://tiepdan.example.gov.vn"),
            ("TOTP_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
            (
                "DEVICE_COOKIE_KEY",
                "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=",
            ),
        ],
    )
    .await;
    let a = office(&pool, "a").await;
    staff(&pool, "letan@tiepdan.local", "receptionist", &[a]).await;
    staff(&pool, "that@test.vn", "receptionist", &[a]).await;
    sqlx::query("UPDATE staff_accounts SET is_demo = true WHERE email = 'letan@tiepdan.local'")
        .execute(&pool)
        .await
        .unwrap();
    let demo = app
        .call(
            "/api/staff/login",
            &[("email", "letan@tiepdan.local"), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(demo.status(), 401, "{}", demo.text());
    let real = app
        .call(
            "/api/staff/login",
            &[("email", "that@test.vn"), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(real.status(), 200, "{}", real.text());
    // Production pages say so to browsers: HSTS on every answer.
    let page = app.get("/").await;
    assert_eq!(
        page.headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000")
    );
}
