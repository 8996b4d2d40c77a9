//! A denouncer's identity on every staff surface: the desk's day view and
//! page, the case list, page and API (its booking code included), the CSV.
//! Only administrators, the office's supervisors and the assigned officer
//! see it, every such view is audited, and nobody can make themselves the
//! assigned officer.

use crate::helpers::booking::{cccd, office, slot, Form};
use crate::helpers::cases::received_with;
use crate::helpers::staff::{sign_in, staff};
use crate::helpers::{burst, get_as, post_as, post_with, spawn_app, TestApp};
use serde_json::Value;
use sqlx::PgPool;

const NAME: &str = "Nguyễn Văn An";
const REPRESENTATIVE: &str = "Lê Thị Đại Diện";
const SUMMARY: &str = "Tố cáo cán bộ xã nhận tiền để cấp giấy phép.";

fn identity(n: u32) -> [String; 6] {
    [
        NAME.into(),
        REPRESENTATIVE.into(),
        SUMMARY.into(),
        cccd(n),
        "0912345678".into(),
        "an.nguyen@example.vn".into(),
    ]
}

fn assert_hidden(who: &str, surface: &str, text: &str, n: u32) {
    for part in identity(n) {
        assert!(!text.contains(&part), "{who} saw {part:?} on {surface}");
    }
}

fn assert_shown(who: &str, surface: &str, text: &str) {
    assert!(
        text.contains(NAME),
        "{who} should see the name on {surface}"
    );
}

async fn views(pool: &PgPool, action: &str, record: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT actor_email FROM audit_log WHERE action = $1 AND record_id = $2 ORDER BY id",
    )
    .bind(action)
    .bind(record)
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn desk(app: &TestApp, cookie: &str) -> (String, String) {
    let api = get_as(app, cookie, "/api/staff/bookings?office=a").await;
    assert_eq!(api.status(), 200, "{}", api.text());
    let page = app
        .get_with(
            "/staff?office=a",
            &[("cookie", cookie), ("accept", "text/html")],
        )
        .await;
    assert_eq!(page.status(), 200);
    (api.text(), page.text())
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_denouncer_is_seen_only_by_admins_the_offices_supervisors_and_the_assigned_officer(
    pool: PgPool,
) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let b = office(&pool, "b").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    staff(&pool, "canbo1@test.vn", "officer", &[a]).await;
    staff(&pool, "canbo2@test.vn", "officer", &[a]).await;
    staff(&pool, "truong@test.vn", "supervisor", &[a]).await;
    staff(&pool, "truongb@test.vn", "supervisor", &[a, b]).await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;
    let receptionist = sign_in(&app, "letan@test.vn").await;
    let handler = sign_in(&app, "canbo1@test.vn").await;
    let other = sign_in(&app, "canbo2@test.vn").await;
    let supervisor = sign_in(&app, "truong@test.vn").await;
    let (admin, _) = crate::helpers::staff::sign_in_admin(&app, "quantri@test.vn").await;

    // A denunciation with a group: it took place today, at the desk.
    let s = slot(&pool, a, "3 days", 4).await;
    let form = Form::valid(s, &cccd(2))
        .set("topic", "denunciation")
        .set("summary", SUMMARY)
        .set("party_size", "6")
        .set("representatives", REPRESENTATIVE);
    let booking = received_with(&app, &pool, form).await;

    // The desk: the code, never the denouncer.
    for (who, cookie) in [
        ("receptionist", &receptionist),
        ("unassigned officer", &other),
    ] {
        let (api, page) = desk(&app, cookie).await;
        assert!(api.contains(&booking), "{who} sees the booking's code");
        assert!(api.contains(r#""masked":true"#), "{api}");
        assert_hidden(who, "the desk API", &api, 2);
        assert_hidden(who, "the desk page", &page, 2);
    }
    assert!(views(&pool, "booking.identity_viewed", &booking)
        .await
        .is_empty());
    // A supervisor of the office sees it, and that view is audited.
    let (api, page) = desk(&app, &supervisor).await;
    assert_shown("supervisor", "the desk API", &api);
    assert_shown("supervisor", "the desk page", &page);
    assert_eq!(
        views(&pool, "booking.identity_viewed", &booking).await,
        ["truong@test.vn", "truong@test.vn"]
    );

    // Opened at the desk by the receptionist: nobody is assigned yet.
    let opened = post_as(
        &app,
        &receptionist,
        "/api/staff/cases/create",
        &[("booking_code", &booking)],
    )
    .await;
    assert_eq!(opened.status(), 200, "{}", opened.text());
    let code = opened.json::<Value>()["code"].as_str().unwrap().to_owned();
    let assigned_to: Option<uuid::Uuid> =
        sqlx::query_scalar("SELECT assigned_to FROM cases WHERE code = $1")
            .bind(&code)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(assigned_to, None);

    // No officer makes themselves the one handling it, however often they try.
    let url = app.url("/api/staff/cases/assign");
    let counts = burst(30, |_| {
        let (url, cookie, code) = (url.clone(), other.clone(), code.clone());
        async move {
            post_with(
                &url,
                &[("code", &code), ("officer", "canbo2@test.vn")],
                &[("cookie", &cookie)],
            )
            .await
        }
    })
    .await;
    assert_eq!(counts.get(&403).copied(), Some(30), "{counts:?}");
    // The supervisor assigns it.
    let assigned = post_as(
        &app,
        &supervisor,
        "/api/staff/cases/assign",
        &[("code", &code), ("officer", "canbo1@test.vn")],
    )
    .await;
    assert_eq!(assigned.status(), 200, "{}", assigned.text());
    let after_assign = views(&pool, "case.identity_viewed", &code).await;
    assert_eq!(
        after_assign,
        ["truong@test.vn"],
        "the supervisor's answer showed it"
    );

    // Everyone else reads the case without the denouncer or the booking
    // that leads back to them: list, API, page and CSV alike.
    for (who, cookie) in [
        ("receptionist", &receptionist),
        ("unassigned officer", &other),
    ] {
        let list = get_as(&app, cookie, "/api/staff/cases").await;
        assert_eq!(list.status(), 200, "{}", list.text());
        assert_eq!(
            list.json::<Value>()["cases"][0]["citizen"],
            "[Được bảo mật]",
            "{who}"
        );
        let detail = get_as(&app, cookie, &format!("/api/staff/cases/case?code={code}")).await;
        assert_eq!(detail.status(), 200, "{}", detail.text());
        let json: Value = detail.json();
        assert_eq!(json["contact"]["masked"], true, "{who}");
        assert_eq!(json["booking_code"], Value::Null, "{who}");
        assert!(
            !detail.text().contains(&booking),
            "{who} got the booking code"
        );
        let page = app
            .get_with(
                &format!("/staff/cases/view?code={code}"),
                &[("cookie", cookie)],
            )
            .await;
        assert_eq!(page.status(), 200);
        assert!(
            !page.text().contains(&booking),
            "{who} got the booking code on the page"
        );
        for (surface, text) in [
            ("the list", list.text()),
            ("the case API", detail.text()),
            ("the case page", page.text()),
        ] {
            assert_hidden(who, surface, &text, 2);
        }
    }
    let officer_csv = get_as(&app, &other, "/staff/cases.csv").await;
    assert_eq!(officer_csv.status(), 200);
    assert_hidden("unassigned officer", "the CSV", &officer_csv.text(), 2);
    assert_eq!(
        views(&pool, "case.identity_viewed", &code).await,
        after_assign
    );

    // The assigned officer, the supervisor and the administrator see it,
    // the booking's code with it, and each view is audited.
    for (email, cookie) in [
        ("canbo1@test.vn", &handler),
        ("truong@test.vn", &supervisor),
        ("quantri@test.vn", &admin),
    ] {
        let detail = get_as(&app, cookie, &format!("/api/staff/cases/case?code={code}")).await;
        let json: Value = detail.json();
        assert_eq!(json["contact"]["masked"], false, "{email}");
        assert_eq!(json["contact"]["full_name"], NAME);
        assert_eq!(json["booking_code"], booking.as_str(), "{email}");
    }
    let handler_csv = get_as(&app, &handler, "/staff/cases.csv").await;
    assert_shown("assigned officer", "the CSV", &handler_csv.text());
    assert_eq!(
        views(&pool, "case.identity_viewed", &code).await,
        [
            "truong@test.vn",
            "canbo1@test.vn",
            "truong@test.vn",
            "quantri@test.vn",
            "canbo1@test.vn"
        ]
    );
    // The handler now sees the booking at the desk too (audited).
    let (api, _) = desk(&app, &handler).await;
    assert_shown("assigned officer", "the desk API", &api);
    assert!(views(&pool, "booking.identity_viewed", &booking)
        .await
        .contains(&"canbo1@test.vn".to_owned()));

    // Audit details never carry the identity.
    let details: Vec<Value> = sqlx::query_scalar("SELECT details FROM audit_log")
        .fetch_all(&pool)
        .await
        .unwrap();
    for d in details {
        assert_hidden("the audit trail", "its details", &d.to_string(), 2);
    }
}
