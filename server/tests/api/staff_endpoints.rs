//! The role and office matrix over every staff server function: strangers,
//! wrong roles and other offices are refused, each with its status.

use crate::helpers::booking::{office, slot};
use crate::helpers::staff::{booked, sign_in, slot_date, staff, status_of};
use crate::helpers::{spawn_app, TestApp, TestResponse};
use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeSet;
use uuid::Uuid;

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
    ep("POST", "/api/staff/bookings/propose", Needs::AnyRole, true),
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
    ep("POST", "/api/staff/slots/kept", Needs::Schedules, true),
    ep("POST", "/api/staff/bookings/walk-in", Needs::AnyRole, true),
    ep("POST", "/api/staff/bookings/priority", Needs::AnyRole, true),
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
    crate::helpers::cases::case_with_code(&pool, b, &code_b, "complaint").await;
    crate::helpers::cases::case_with_code(&pool, a, &code_a, "complaint").await;
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
