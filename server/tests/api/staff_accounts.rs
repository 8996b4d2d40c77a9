//! Account management: admins create accounts (the member sets their own
//! password through a one-time link), re-scope, disable and reset them,
//! always re-entering their own password; members change their own password.

use crate::helpers::booking::office;
use crate::helpers::staff::sign_in_admin;
use crate::helpers::staff::{sign_in, staff, PASSWORD};
use crate::helpers::{post_as, spawn_app, TestApp};
use serde_json::Value;
use sqlx::PgPool;

async fn me(app: &TestApp, cookie: &str) -> u16 {
    app.get_with(
        "/api/staff/me",
        &[("cookie", cookie), ("accept", "application/json")],
    )
    .await
    .status()
}

/// The token of the last password link e-mailed to `to`.
async fn link_token(app: &TestApp, to: &str, skip: usize) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let links: Vec<String> = app
            .mail
            .messages()
            .into_iter()
            .filter(|m| m.envelope_to.iter().any(|t| t == to))
            .filter_map(|m| m.text())
            .filter_map(|t| {
                t.split("set-password?t=")
                    .nth(1)
                    .map(|s| s.split_whitespace().next().unwrap_or("").to_owned())
            })
            .collect();
        if links.len() > skip {
            return links[skip].clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no password link to {to}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn an_admin_creates_an_account_whose_member_sets_their_own_password(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    office(&pool, "b").await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;
    let (admin, _) = sign_in_admin(&app, "quantri@test.vn").await;

    let form = |password: &'static str| {
        [
            ("email", "Moi@Test.vn"),
            ("display_name", "Cán bộ mới"),
            ("role", "receptionist"),
            ("offices[0]", "a"),
            ("password", password),
        ]
    };
    let wrong = post_as(
        &app,
        &admin,
        "/api/staff/accounts/create",
        &form("not my password"),
    )
    .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(
        crate::helpers::booking::field_codes(&wrong),
        [("password".to_owned(), "wrong_password".to_owned())]
    );
    let bad = post_as(
        &app,
        &admin,
        "/api/staff/accounts/create",
        &[
            ("email", "x"),
            ("role", "boss"),
            ("offices[0]", "nowhere"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        crate::helpers::booking::field_codes(&bad),
        [
            ("email".to_owned(), "invalid_email".to_owned()),
            ("display_name".to_owned(), "required".to_owned()),
            ("role".to_owned(), "invalid_choice".to_owned()),
            ("offices".to_owned(), "invalid_choice".to_owned())
        ]
    );

    let created = post_as(&app, &admin, "/api/staff/accounts/create", &form(PASSWORD)).await;
    assert_eq!(created.status(), 200, "{}", created.text());
    let account: Value = created.json();
    assert_eq!(account["email"], "moi@test.vn");
    assert_eq!(account["offices"], serde_json::json!(["a"]));
    let again = post_as(&app, &admin, "/api/staff/accounts/create", &form(PASSWORD)).await;
    assert_eq!(
        crate::helpers::booking::field_codes(&again),
        [("email".to_owned(), "email_taken".to_owned())]
    );

    // No password works until the member sets one through the link.
    let early = app
        .call(
            "/api/staff/login",
            &[("email", "moi@test.vn"), ("password", "!unset")],
            &[],
        )
        .await;
    assert_eq!(early.status(), 401);
    let token = link_token(&app, "moi@test.vn", 0).await;
    let short = app
        .call(
            "/api/staff/set-password",
            &[
                ("token", &token),
                ("new_password", "short"),
                ("confirm_password", "short"),
            ],
            &[],
        )
        .await;
    assert_eq!(
        crate::helpers::booking::field_codes(&short),
        [("new_password".to_owned(), "password_too_short".to_owned())]
    );
    let differ = app
        .call(
            "/api/staff/set-password",
            &[
                ("token", &token),
                ("new_password", "một câu đủ dài để nhớ"),
                ("confirm_password", "một câu khác"),
            ],
            &[],
        )
        .await;
    assert_eq!(
        crate::helpers::booking::field_codes(&differ),
        [(
            "confirm_password".to_owned(),
            "password_mismatch".to_owned()
        )]
    );
    let new_password = "một câu đủ dài để nhớ";
    let set = app
        .call(
            "/api/staff/set-password",
            &[
                ("token", &token),
                ("new_password", new_password),
                ("confirm_password", new_password),
            ],
            &[],
        )
        .await;
    assert_eq!(set.status(), 200, "{}", set.text());
    let reused = app
        .call(
            "/api/staff/set-password",
            &[
                ("token", &token),
                ("new_password", new_password),
                ("confirm_password", new_password),
            ],
            &[],
        )
        .await;
    assert_eq!(reused.status(), 404, "a link works once");
    let login = app
        .call(
            "/api/staff/login",
            &[("email", "moi@test.vn"), ("password", new_password)],
            &[],
        )
        .await;
    assert_eq!(login.status(), 200, "{}", login.text());

    let trail: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE record_id = 'moi@test.vn' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(trail, ["account.create"]);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn rescoping_disabling_and_resetting_take_effect_at_once(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    office(&pool, "b").await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let (admin, _) = sign_in_admin(&app, "quantri@test.vn").await;
    let desk = sign_in(&app, "letan@test.vn").await;
    let day = |cookie: String| {
        let app = &app;
        async move {
            app.get_with(
                "/api/staff/bookings?office=a",
                &[("cookie", &cookie), ("accept", "application/json")],
            )
            .await
            .status()
        }
    };
    assert_eq!(day(desk.clone()).await, 200);

    // Moved to office b: office a is no longer theirs.
    let moved = post_as(
        &app,
        &admin,
        "/api/staff/accounts/update",
        &[
            ("email", "letan@test.vn"),
            ("role", "receptionist"),
            ("offices[0]", "b"),
            ("active", "true"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(moved.status(), 200, "{}", moved.text());
    // A change of offices ends the member's sessions…
    assert_eq!(day(desk.clone()).await, 401);
    // …and signed in again, office a is no longer theirs.
    let desk = sign_in(&app, "letan@test.vn").await;
    assert_eq!(day(desk.clone()).await, 403);

    // Disabled: their session ends.
    let disabled = post_as(
        &app,
        &admin,
        "/api/staff/accounts/update",
        &[
            ("email", "letan@test.vn"),
            ("role", "receptionist"),
            ("offices[0]", "b"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(disabled.status(), 200, "{}", disabled.text());
    assert_eq!(me(&app, &desk).await, 401);
    let enabled = post_as(
        &app,
        &admin,
        "/api/staff/accounts/update",
        &[
            ("email", "letan@test.vn"),
            ("role", "receptionist"),
            ("offices[0]", "a"),
            ("active", "true"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(enabled.status(), 200);
    let desk = sign_in(&app, "letan@test.vn").await;

    // Reset: the old password and the session end, a link is mailed.
    let reset = post_as(
        &app,
        &admin,
        "/api/staff/accounts/reset-password",
        &[("email", "letan@test.vn"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(reset.status(), 200, "{}", reset.text());
    assert_eq!(me(&app, &desk).await, 401);
    let old = app
        .call(
            "/api/staff/login",
            &[("email", "letan@test.vn"), ("password", PASSWORD)],
            &[("x-forwarded-for", "198.51.100.20")],
        )
        .await;
    assert_eq!(old.status(), 401);
    link_token(&app, "letan@test.vn", 0).await;

    // An admin cannot lock themselves out.
    let self_lock = post_as(
        &app,
        &admin,
        "/api/staff/accounts/update",
        &[
            ("email", "quantri@test.vn"),
            ("role", "receptionist"),
            ("offices[0]", "a"),
            ("active", "true"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(self_lock.status(), 422);
    let listed: Value = app
        .get_with(
            "/api/staff/accounts",
            &[("cookie", &admin), ("accept", "application/json")],
        )
        .await
        .json();
    let accounts = listed["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert!(accounts
        .iter()
        .any(|a| a["email"] == "quantri@test.vn" && a["totp"] == true));

    let trail: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE record_id = 'letan@test.vn' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        trail,
        [
            "account.update",
            "account.update",
            "account.update",
            "account.reset_password"
        ]
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn changing_your_password_ends_your_other_sessions(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let here = sign_in(&app, "letan@test.vn").await;
    let elsewhere = sign_in(&app, "letan@test.vn").await;
    let new_password = "một câu mật khẩu mới đủ dài";

    let wrong = post_as(
        &app,
        &here,
        "/api/staff/password",
        &[
            ("current_password", "sai"),
            ("new_password", new_password),
            ("confirm_password", new_password),
        ],
    )
    .await;
    assert_eq!(
        crate::helpers::booking::field_codes(&wrong),
        [("current_password".to_owned(), "wrong_password".to_owned())]
    );
    let changed = post_as(
        &app,
        &here,
        "/api/staff/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", new_password),
            ("confirm_password", new_password),
        ],
    )
    .await;
    assert_eq!(changed.status(), 200, "{}", changed.text());
    let here = changed
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("td_staff="))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .unwrap_or(here);
    assert_eq!(me(&app, &here).await, 200, "this session goes on");
    assert_eq!(me(&app, &elsewhere).await, 401, "the other one ended");
    let login = app
        .call(
            "/api/staff/login",
            &[("email", "letan@test.vn"), ("password", new_password)],
            &[],
        )
        .await;
    assert_eq!(login.status(), 200);
    let trail: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'account.%' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(trail, ["account.change_password"]);
}
