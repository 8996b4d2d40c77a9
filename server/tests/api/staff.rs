//! The staff API: sign-in and sessions, the role and office matrix over every
//! staff server function, the front-desk state machine, concurrency, mail,
//! cross-site refusal and the audit trail.

use crate::booking::{book, cccd, office, slot, taken, Form};
use crate::helpers::{get_as, post_as, spawn_app, spawn_app_with, TestApp, TestResponse};
use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeSet;
use uuid::Uuid;

pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// A staff account with `role`, serving `offices`.
pub(crate) async fn staff(pool: &PgPool, email: &str, role: &str, offices: &[Uuid]) -> Uuid {
    let hash = password_auth::generate_hash(PASSWORD);
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO staff_accounts (email, display_name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(email)
    .bind(format!("Cán bộ {role}"))
    .bind(role)
    .bind(hash)
    .fetch_one(pool)
    .await
    .unwrap();
    for office in offices {
        sqlx::query("INSERT INTO staff_offices (staff_id, office_id) VALUES ($1, $2)")
            .bind(id)
            .bind(office)
            .execute(pool)
            .await
            .unwrap();
    }
    id
}

fn session_cookie(response: &TestResponse) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("td_staff="))
        .map(str::to_owned)
}

/// Signs in and returns the `Cookie` header value of the session.
pub(crate) async fn sign_in(app: &TestApp, email: &str) -> String {
    let response = app
        .call(
            "/api/staff/login",
            &[("email", email), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let cookie = session_cookie(&response).expect("a session cookie");
    cookie.split(';').next().unwrap().to_owned()
}

/// Time passes until the appointment of booking `code` has begun (today,
/// Vietnam time): its slot now starts a minute ago.
pub(crate) async fn the_day_comes(pool: &PgPool, code: &str) {
    sqlx::query(
        "UPDATE slots SET starts_at = now() - interval '1 minute', ends_at = now() + interval '29 minutes'
         WHERE id = (SELECT slot_id FROM bookings WHERE code = $1)",
    )
    .bind(code)
    .execute(pool)
    .await
    .unwrap();
}

async fn slot_date(pool: &PgPool, slot: i64) -> String {
    sqlx::query_scalar(
        "SELECT (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text FROM slots WHERE id = $1",
    )
    .bind(slot)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn booked(app: &TestApp, slot: i64, n: u32) -> String {
    let response = book(app, &Form::valid(slot, &cccd(n))).await;
    assert_eq!(response.status(), 200, "{}", response.text());
    response.json::<Value>()["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn status_of(pool: &PgPool, code: &str) -> String {
    sqlx::query_scalar("SELECT status FROM bookings WHERE code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn audit_actions(pool: &PgPool, record: &str) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT action, actor_email, client_addr FROM audit_log WHERE record_id = $1 ORDER BY id",
    )
    .bind(record)
    .fetch_all(pool)
    .await
    .unwrap()
}

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
        crate::booking::field_codes(&empty),
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

/// What a staff server function needs beyond a session.
#[derive(PartialEq)]
enum Needs {
    /// Any role.
    AnyRole,
    /// Officer or admin (a receptionist gets 403).
    Schedules,
    /// Admin only (receptionists and officers get 403).
    Admin,
    /// Officer, supervisor or admin: moving cases (a receptionist gets 403).
    Cases,
    /// Supervisor or admin: deciding who handles a case (a receptionist and
    /// an officer get 403).
    Assign,
}

/// Every staff server function, how to call it, and what it needs.
struct Endpoint {
    method: &'static str,
    path: &'static str,
    needs: Needs,
    /// Acts on one office's data (a member of another office gets 403).
    office_scoped: bool,
}

const fn ep(
    method: &'static str,
    path: &'static str,
    needs: Needs,
    office_scoped: bool,
) -> Endpoint {
    Endpoint {
        method,
        path,
        needs,
        office_scoped,
    }
}

const ENDPOINTS: &[Endpoint] = &[
    ep("POST", "/api/staff/logout", Needs::AnyRole, false),
    ep("GET", "/api/staff/me", Needs::AnyRole, false),
    ep("GET", "/api/staff/bookings", Needs::AnyRole, true),
    ep("POST", "/api/staff/bookings/confirm", Needs::AnyRole, true),
    ep("POST", "/api/staff/bookings/reject", Needs::AnyRole, true),
    ep("POST", "/api/staff/bookings/check-in", Needs::AnyRole, true),
    ep("POST", "/api/staff/bookings/no-show", Needs::AnyRole, true),
    ep("POST", "/api/staff/bookings/complete", Needs::AnyRole, true),
    ep("POST", "/api/staff/bookings/note", Needs::AnyRole, true),
    ep("GET", "/api/staff/schedule", Needs::Schedules, true),
    ep(
        "POST",
        "/api/staff/schedule/settings",
        Needs::Schedules,
        true,
    ),
    ep(
        "POST",
        "/api/staff/schedule/hours/add",
        Needs::Schedules,
        true,
    ),
    ep(
        "POST",
        "/api/staff/schedule/hours/remove",
        Needs::Schedules,
        true,
    ),
    ep(
        "POST",
        "/api/staff/schedule/special/add",
        Needs::Schedules,
        true,
    ),
    ep(
        "POST",
        "/api/staff/schedule/special/remove",
        Needs::Schedules,
        true,
    ),
    ep(
        "POST",
        "/api/staff/schedule/close-day",
        Needs::Schedules,
        true,
    ),
    ep(
        "POST",
        "/api/staff/schedule/reopen-day",
        Needs::Schedules,
        true,
    ),
    ep("POST", "/api/staff/slots/block", Needs::Schedules, true),
    ep("POST", "/api/staff/slots/unblock", Needs::Schedules, true),
    ep("POST", "/api/staff/slots/capacity", Needs::Schedules, true),
    ep("POST", "/api/staff/bookings/walk-in", Needs::AnyRole, true),
    ep("POST", "/api/staff/bookings/cancel", Needs::AnyRole, true),
    ep("GET", "/api/staff/audit", Needs::Admin, false),
    // The second sign-in step: nothing to complete without the password.
    ep("POST", "/api/staff/login/code", Needs::AnyRole, false),
    ep("GET", "/api/staff/login/enroll", Needs::AnyRole, false),
    ep(
        "POST",
        "/api/staff/login/enroll/confirm",
        Needs::AnyRole,
        false,
    ),
    ep("GET", "/api/staff/recovery-codes", Needs::AnyRole, false),
    ep("POST", "/api/staff/password", Needs::AnyRole, false),
    ep("GET", "/api/staff/accounts", Needs::Admin, false),
    ep("POST", "/api/staff/accounts/create", Needs::Admin, false),
    ep("POST", "/api/staff/accounts/update", Needs::Admin, false),
    ep(
        "POST",
        "/api/staff/accounts/reset-password",
        Needs::Admin,
        false,
    ),
    ep("GET", "/api/staff/cases", Needs::AnyRole, true),
    ep("GET", "/api/staff/cases/case", Needs::AnyRole, true),
    ep("POST", "/api/staff/cases/create", Needs::AnyRole, true),
    ep("POST", "/api/staff/cases/update-status", Needs::Cases, true),
    ep("POST", "/api/staff/cases/assign", Needs::Assign, true),
    ep("POST", "/api/staff/cases/extend", Needs::Cases, true),
    ep("GET", "/api/staff/reports", Needs::Cases, true),
    ep("GET", "/api/staff/mail", Needs::Admin, false),
    ep("POST", "/api/staff/mail/resend", Needs::Admin, false),
];

async fn send_to(
    app: &TestApp,
    cookie: Option<&str>,
    e: &Endpoint,
    form: &[(&str, &str)],
    query: &str,
) -> TestResponse {
    let mut headers = vec![("accept", "application/json")];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    if e.method == "GET" {
        app.get_with(&format!("{}{query}", e.path), &headers).await
    } else {
        app.call(e.path, form, &headers[1..]).await
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn every_staff_function_refuses_strangers_wrong_roles_and_other_offices(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let b = office(&pool, "b").await;
    let slot_b = slot(&pool, b, "3 days", 4).await;
    let code_b = booked(&app, slot_b, 1).await;
    let date_b = slot_date(&pool, slot_b).await;
    staff(&pool, "letan-a@test.vn", "receptionist", &[a]).await;
    staff(&pool, "canbo-a@test.vn", "officer", &[a]).await;
    staff(&pool, "truong-a@test.vn", "supervisor", &[a]).await;

    // The table covers exactly the registered staff functions (sign-in
    // itself is the only one open to anyone).
    let registered: BTreeSet<(String, String)> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(path, _)| {
            // Open to anyone: signing in, and setting a password with a link.
            path.starts_with("/api/staff/")
                && !["/api/staff/login", "/api/staff/set-password"].contains(path)
        })
        .map(|(path, method)| (method.to_string(), path.to_owned()))
        .collect();
    let listed: BTreeSet<(String, String)> = ENDPOINTS
        .iter()
        .map(|e| (e.method.to_owned(), e.path.to_owned()))
        .collect();
    assert_eq!(
        registered, listed,
        "a staff function is missing from the matrix"
    );
    // Reads are the only GETs: nothing that changes data is a GET.
    for e in ENDPOINTS.iter().filter(|e| e.method == "GET") {
        assert!(
            [
                "/api/staff/me",
                "/api/staff/bookings",
                "/api/staff/audit",
                "/api/staff/schedule",
                "/api/staff/login/enroll",
                "/api/staff/recovery-codes",
                "/api/staff/accounts",
                "/api/staff/cases",
                "/api/staff/cases/case",
                "/api/staff/reports",
                "/api/staff/mail"
            ]
            .contains(&e.path),
            "{} must not be a GET",
            e.path
        );
    }

    let receptionist = sign_in(&app, "letan-a@test.vn").await;
    let officer = sign_in(&app, "canbo-a@test.vn").await;
    let supervisor = sign_in(&app, "truong-a@test.vn").await;
    let starts_b: String = sqlx::query_scalar(
        "SELECT to_char(starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"') FROM slots WHERE id = $1",
    )
    .bind(slot_b)
    .fetch_one(&pool)
    .await
    .unwrap();
    // Arguments valid for every function, so that only the checks can refuse.
    let form_for =
        |office: &'static str, code: &str, starts_at: &str| -> Vec<(&'static str, String)> {
            vec![
                ("code", code.to_owned()),
                ("reason", "Thử quyền truy cập".into()),
                ("note", "Ghi chú thử".into()),
                ("office", office.into()),
                ("date", date_b.clone()),
                ("starts_at", starts_at.to_owned()),
                ("capacity", "4".into()),
                ("horizon_days", "30".into()),
                ("min_notice_minutes", "120".into()),
                ("weekday", "1".into()),
                ("opens", "08:00".into()),
                ("closes", "09:00".into()),
                ("slot_minutes", "30".into()),
                ("booking_code", code.to_owned()),
                ("kind", "complaint".into()),
                ("summary", "Khiếu nại về quyết định thu hồi đất".into()),
                ("status", "under_review".into()),
                ("public_note", "Đang xem xét".into()),
                ("officer", "canbo-a@test.vn".into()),
                ("complexity", "complicated".into()),
                ("days", "10".into()),
                ("id", "1".into()),
            ]
        };
    let slot_a = slot(&pool, a, "3 days", 4).await;
    let code_a = booked(&app, slot_a, 2).await;
    let owned_b = form_for("b", &code_b, &starts_b);
    let owned_a = form_for("a", &code_a, &starts_b);
    let form: Vec<(&str, &str)> = owned_b.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let own_form: Vec<(&str, &str)> = owned_a.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // Each booking's code is also the code of a case of the same office, so
    // one form reaches both kinds of record.
    crate::cases::case_with_code(&pool, b, &code_b, "complaint").await;
    crate::cases::case_with_code(&pool, a, &code_a, "complaint").await;
    let query = format!("?office=b&date={date_b}&code={code_b}");
    let own_query = format!("?office=a&date={date_b}&code={code_a}");
    for e in ENDPOINTS {
        let anonymous = send_to(&app, None, e, &form, &query).await;
        assert_eq!(
            anonymous.status(),
            401,
            "{} without a session: {}",
            e.path,
            anonymous.text()
        );
        assert_eq!(anonymous.json::<Value>()["kind"], "unauthorized");

        // The wrong role, on the member's own office.
        let wrong_role = match e.needs {
            Needs::AnyRole => vec![],
            Needs::Schedules | Needs::Cases => vec![("receptionist", &receptionist)],
            Needs::Assign => vec![("receptionist", &receptionist), ("officer", &officer)],
            Needs::Admin => vec![
                ("receptionist", &receptionist),
                ("officer", &officer),
                ("supervisor", &supervisor),
            ],
        };
        for (who, cookie) in wrong_role {
            let r = send_to(&app, Some(cookie.as_str()), e, &own_form, &own_query).await;
            assert_eq!(r.status(), 403, "{} as {who}: {}", e.path, r.text());
        }
        // The right role, on another office's data.
        if e.office_scoped {
            let cookie = match e.needs {
                Needs::AnyRole => &receptionist,
                Needs::Assign => &supervisor,
                _ => &officer,
            };
            let r = send_to(&app, Some(cookie.as_str()), e, &form, &query).await;
            assert_eq!(
                r.status(),
                403,
                "{} on another office: {}",
                e.path,
                r.text()
            );
            assert_eq!(r.json::<Value>()["kind"], "forbidden");
        }
    }
    assert_eq!(
        status_of(&pool, &code_b).await,
        "requested",
        "nothing changed"
    );
    assert_eq!(
        status_of(&pool, &code_a).await,
        "requested",
        "nothing changed"
    );
    let changes: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action NOT LIKE 'staff.sign_%'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(changes, 0, "no refused call left a trace of a change");
    let notes: i64 = sqlx::query_scalar("SELECT count(*) FROM booking_notes")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(notes, 0);
    let cases: Vec<(String, Option<Uuid>, i64)> = sqlx::query_as(
        "SELECT status, assigned_to, (SELECT count(*) FROM case_events e WHERE e.case_id = c.id) FROM cases c ORDER BY code",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(cases.len(), 2, "no case was opened");
    for case in cases {
        assert_eq!(case, ("received".to_owned(), None, 1), "no case changed");
    }
}

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
        crate::booking::field_codes(&bare),
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
    assert!(booking.get("citizen_id").is_none() && booking.get("phone").is_none());

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

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn admins_browse_the_audit_trail_which_cannot_be_rewritten(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 4).await;
    let code = booked(&app, s, 1).await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;
    let (admin, _) = crate::staff_totp::sign_in_admin(&app, "quantri@test.vn").await;
    post_as(
        &app,
        &admin,
        "/api/staff/bookings/confirm",
        &[("code", &code)],
    )
    .await;

    let r = get_as(&app, &admin, &format!("/api/staff/audit?record={code}")).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    let rows: Vec<Value> = r.json();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["action"], "booking.confirm");
    assert_eq!(rows[0]["actor"], "quantri@test.vn");
    let by_action = get_as(&app, &admin, "/api/staff/audit?action=staff.sign_in").await;
    assert_eq!(by_action.json::<Vec<Value>>().len(), 1);
    let bad = get_as(&app, &admin, "/api/staff/audit?from=yesterday").await;
    assert_eq!(bad.status(), 422);

    let update = sqlx::query("UPDATE audit_log SET actor_email = 'someone@else'")
        .execute(&pool)
        .await;
    assert!(update.is_err(), "audit rows cannot be changed");
    let delete = sqlx::query("DELETE FROM audit_log").execute(&pool).await;
    assert!(delete.is_err(), "audit rows cannot be deleted");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_walk_in_takes_a_place_now_and_is_checked_in(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    // A slot that started five minutes ago, with one place.
    let (now_slot, starts_at): (i64, String) = sqlx::query_as(
        r#"
        INSERT INTO slots (office_id, starts_at, ends_at, capacity)
        VALUES ($1, date_trunc('minute', now()) - interval '5 minutes', date_trunc('minute', now()) + interval '25 minutes', 1)
        RETURNING id, to_char(starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"')
        "#,
    )
    .bind(a)
    .fetch_one(&pool)
    .await
    .unwrap();
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
    let fields: Vec<String> = crate::booking::field_codes(&empty)
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
    let walk_in: bool = sqlx::query_scalar("SELECT walk_in FROM bookings WHERE code = $1")
        .bind(&code)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(walk_in);
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
        crate::booking::field_codes(&future),
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
        crate::booking::field_codes(&refused),
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
    app::booking::schedule::generate(&pool).await.unwrap();
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM slots WHERE office_id = $1")
        .bind(a)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 2, "the generator keeps them");
}
