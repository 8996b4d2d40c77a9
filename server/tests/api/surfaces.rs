//! Small doors an attacker tries: a redirect target that leaves the site,
//! personal pages a shared computer's back button would show, an API path
//! that is not there, a CSV cell a spreadsheet would run, a TOTP secret
//! read from a copy of the database.

use crate::helpers::booking::{cccd, office, slot, Form};
use crate::helpers::cases::case_with_code;
use crate::helpers::staff::{sign_in, staff};
use crate::helpers::{get_as, spawn_app};
use http::header::{CACHE_CONTROL, LOCATION};
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_redirect_target_with_a_tab_or_a_double_slash_goes_home(pool: PgPool) {
    let app = spawn_app(pool).await;
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "/ /evil",
    ] {
        let res = app
            .post_form(
                "/api/locale",
                &[("locale", "en"), ("next", next)],
                "/contact",
            )
            .await;
        assert!(
            (300..400).contains(&res.status()),
            "{next:?}: {}",
            res.status()
        );
        assert_eq!(res.headers()[LOCATION], "/", "{next:?}");
    }
    let res = app
        .post_form(
            "/api/locale",
            &[("locale", "en"), ("next", "/book/a?day=2026-12-02")],
            "/contact",
        )
        .await;
    assert_eq!(res.headers()[LOCATION], "/book/a?day=2026-12-02");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn personal_and_staff_pages_and_staff_json_are_never_stored(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    let s = slot(&pool, a, "3 days", 2).await;
    let made = app
        .post_form(
            "/api/bookings/create",
            &Form::valid(s, &cccd(1)).pairs(),
            "/book/a",
        )
        .await;
    let ticket = made.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(ticket.starts_with("/my-booking?t="), "{ticket}");

    let no_store = |r: &crate::helpers::TestResponse, what: &str| {
        assert_eq!(
            r.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{what}"
        );
    };
    no_store(&app.get(&ticket).await, "the ticket");
    no_store(&app.get("/my-booking").await, "the look-up form");
    no_store(&app.get("/track").await, "the tracking form");
    no_store(
        &app.get("/book/a").await,
        "the booking form (it refills drafts)",
    );
    no_store(
        &app.get_with("/staff", &[("cookie", &desk)]).await,
        "the desk page",
    );
    no_store(&app.get("/staff/sign-in").await, "the sign-in page");
    no_store(
        &get_as(&app, &desk, "/api/staff/bookings?office=a").await,
        "the desk's JSON",
    );
    no_store(
        &get_as(&app, &desk, "/api/staff/me").await,
        "the staff profile JSON",
    );
    no_store(
        &app.call(
            "/api/bookings/lookup",
            &[("code", "ABCD234567"), ("phone", "0912345678")],
            &[],
        )
        .await,
        "a look-up",
    );
    // Public pages are only revalidated.
    for path in ["/", "/contact", "/privacy"] {
        assert_eq!(
            app.get(path).await.headers()[CACHE_CONTROL],
            "private, no-cache",
            "{path}"
        );
    }
    // Not https: no HSTS.
    assert!(app
        .get("/")
        .await
        .headers()
        .get("strict-transport-security")
        .is_none());
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn an_unknown_api_path_is_404_json_and_a_wrong_method_405(pool: PgPool) {
    let app = spawn_app(pool).await;
    let res = app.call("/api/no/such/thing", &[], &[]).await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        res.json::<Value>(),
        serde_json::json!({ "kind": "not_found" })
    );
    assert!(!res.text().contains("server function"), "{}", res.text());
    let res = app
        .get_with("/api/bookings/create", &[("accept", "application/json")])
        .await;
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "POST");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_csv_cell_that_would_be_a_formula_comes_out_inert(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let id = staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    sqlx::query("UPDATE staff_accounts SET display_name = '=HYPERLINK(\"http://evil.example\",\"x\")' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    case_with_code(&pool, a, "CSVX234567", "complaint").await;
    sqlx::query(
        "UPDATE cases SET assigned_to = $1, full_name = '+1 cmd' WHERE code = 'CSVX234567'",
    )
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    let officer = sign_in(&app, "canbo@test.vn").await;
    let csv = get_as(&app, &officer, "/staff/cases.csv").await;
    assert_eq!(csv.status(), 200, "{}", csv.text());
    let mut reader = csv::Reader::from_reader(csv.body.as_slice());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    assert!(
        cells.contains(&"'=HYPERLINK(\"http://evil.example\",\"x\")".to_owned()),
        "{cells:?}"
    );
    assert!(cells.contains(&"'+1 cmd".to_owned()), "{cells:?}");
    for cell in &cells {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?}"
        );
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_totp_secret_is_kept_sealed_and_an_old_clear_one_is_sealed_on_first_use(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;
    let (_, totp) = crate::helpers::staff::sign_in_admin(&app, "quantri@test.vn").await;
    let stored: Vec<u8> = sqlx::query_scalar(
        "SELECT totp_secret FROM staff_accounts WHERE email = 'quantri@test.vn'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_ne!(stored, totp.secret, "the secret is not kept as it is");
    assert!(!stored
        .windows(totp.secret.len())
        .any(|w| w == totp.secret.as_slice()));
    // Moved to another account's row, it does not open.
    staff(&pool, "khac@test.vn", "admin", &[a]).await;
    sqlx::query("UPDATE staff_accounts SET totp_secret = $1 WHERE email = 'khac@test.vn'")
        .bind(&stored)
        .execute(&pool)
        .await
        .unwrap();
    let moved = app
        .call(
            "/api/staff/login",
            &[
                ("email", "khac@test.vn"),
                ("password", crate::helpers::staff::PASSWORD),
            ],
            &[],
        )
        .await;
    let cookie = crate::helpers::set_cookie(&moved, "td_staff").unwrap();
    let code = totp.generate_current().unwrap();
    let refused =
        crate::helpers::post_as(&app, &cookie, "/api/staff/login/code", &[("code", &code)]).await;
    assert_ne!(refused.status(), 200, "{}", refused.text());

    // A secret written in clear before sealing existed still works, once
    // sealed on its first use.
    staff(&pool, "cu@test.vn", "admin", &[a]).await;
    let clear = b"12345678901234567890".to_vec();
    sqlx::query("UPDATE staff_accounts SET totp_secret = $1 WHERE email = 'cu@test.vn'")
        .bind(&clear)
        .execute(&pool)
        .await
        .unwrap();
    let old = totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        0,
        30,
        clear.clone(),
        Some("Tiếp dân".into()),
        "cu@test.vn".into(),
    )
    .unwrap();
    let pending = app
        .call(
            "/api/staff/login",
            &[
                ("email", "cu@test.vn"),
                ("password", crate::helpers::staff::PASSWORD),
            ],
            &[],
        )
        .await;
    assert_eq!(pending.json::<Value>()["second_factor"], "totp");
    let cookie = crate::helpers::set_cookie(&pending, "td_staff").unwrap();
    let ok = crate::helpers::post_as(
        &app,
        &cookie,
        "/api/staff/login/code",
        &[("code", &old.generate_current().unwrap())],
    )
    .await;
    assert_eq!(ok.status(), 200, "{}", ok.text());
    let now_stored: Vec<u8> =
        sqlx::query_scalar("SELECT totp_secret FROM staff_accounts WHERE email = 'cu@test.vn'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_ne!(now_stored, clear, "sealed on first use");
}
