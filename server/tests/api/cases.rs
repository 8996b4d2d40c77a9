//! Cases: opening one from a reception or by hand, the status machine over
//! HTTP, the citizen's look-up (same answer for every miss, throttled per
//! address and per code), opt-in e-mails through the outbox, and the
//! denouncer's confidentiality.

use crate::helpers::booking::{cccd, office};
use crate::helpers::cases::{audit_of, case_with_code, label, lookup, move_to, received};
use crate::helpers::staff::{sign_in, staff};
use crate::helpers::{get_as, post_as, spawn_app, spawn_app_with};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn an_officer_opens_a_case_from_a_reception_and_the_citizen_follows_each_step(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let officer_id = staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let booking = received(&app, &pool, a, 1, "complaint").await;

    let opened = post_as(
        &app,
        &officer,
        "/api/staff/cases/create",
        &[("booking_code", &booking), ("notify", "on")],
    )
    .await;
    assert_eq!(opened.status(), 200, "{}", opened.text());
    let code = opened.json::<Value>()["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 10);
    assert_ne!(code, booking, "a case has its own code");
    // Opening the same reception again finds the same case.
    let again = post_as(
        &app,
        &officer,
        "/api/staff/cases/create",
        &[("booking_code", &booking)],
    )
    .await;
    assert_eq!(again.json::<Value>()["code"], code.as_str());

    // Carried over from the booking; the officer who opened it handles it.
    let (kind, name, phone, channel, assigned, due): (
        String,
        String,
        String,
        String,
        Option<Uuid>,
        Option<chrono::NaiveDate>,
    ) = sqlx::query_as(
        "SELECT kind, full_name, phone, channel, assigned_to, due_on FROM cases WHERE code = $1",
    )
    .bind(&code)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (
            kind.as_str(),
            name.as_str(),
            phone.as_str(),
            channel.as_str()
        ),
        ("complaint", "Nguyễn Văn An", "0912345678", "reception")
    );
    assert_eq!(assigned, Some(officer_id));
    assert!(due.is_some(), "the acceptance clock runs");
    app.mail_to(
        "an.nguyen@example.vn",
        &format!("{}-{}", &code[..4], &code[4..8]),
    )
    .await;

    // The citizen looks it up with the last 4 CCCD digits, or the phone.
    let cccd_tail = &cccd(1)[8..];
    let seen = lookup(&app, &code, cccd_tail, "198.51.100.1").await;
    assert_eq!(seen.status(), 200, "{}", seen.text());
    let seen: Value = seen.json();
    assert_eq!(seen["status"], "received");
    assert_eq!(seen["status_label"], "Đã tiếp nhận");
    assert_eq!(seen["kind"], "complaint");
    assert!(seen["due_at"].is_string());
    assert_eq!(seen["overdue"], false);
    assert_eq!(seen["timeline"].as_array().unwrap().len(), 1);
    let by_phone = lookup(
        &app,
        &code.to_lowercase(),
        "+84 912 345 678",
        "198.51.100.1",
    )
    .await;
    assert_eq!(by_phone.status(), 200, "{}", by_phone.text());

    // received → under review → accepted → verifying → concluded.
    for (status, public, internal) in [
        (
            "under_review",
            "Đơn đang được phân loại.",
            "Kiểm tra thẩm quyền",
        ),
        ("accepted", "Đơn đã được thụ lý.", "Giao tổ xác minh số 2"),
        (
            "verifying",
            "Đang xác minh tại địa phương.",
            "Liên hệ UBND xã",
        ),
        (
            "concluded",
            "Đã có quyết định giải quyết.",
            "Hồ sơ lưu tại kho 3",
        ),
    ] {
        let moved = move_to(&app, &officer, &code, status, public, internal).await;
        assert_eq!(moved.status(), 200, "{status}: {}", moved.text());
        let detail: Value = moved.json();
        assert_eq!(detail["status"], status);
        let mail = app.mail_to("an.nguyen@example.vn", label(status)).await;
        let text = mail.text().unwrap();
        assert!(text.contains(public), "{text}");
        assert!(
            !text.contains(internal),
            "an internal note reached the citizen"
        );
        assert!(
            !mail.subject().unwrap().contains("Nguyễn"),
            "no name in a subject"
        );
        let seen: Value = lookup(&app, &code, cccd_tail, "198.51.100.1").await.json();
        assert_eq!(seen["status"], status);
        let last = seen["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["status"], status);
        assert_eq!(last["note"], public);
        assert!(
            !seen.to_string().contains(internal),
            "internal note in the look-up"
        );
        assert!(
            !seen.to_string().contains("Cán bộ"),
            "officer in the look-up"
        );
        if status == "accepted" {
            let resolution: Option<chrono::NaiveDate> =
                sqlx::query_scalar("SELECT due_on FROM cases WHERE code = $1")
                    .bind(&code)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            let accepted: chrono::NaiveDate =
                sqlx::query_scalar("SELECT accepted_on FROM cases WHERE code = $1")
                    .bind(&code)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            assert!(resolution.unwrap() >= accepted + chrono::Days::new(30));
            assert_eq!(seen["due_at"], resolution.unwrap().to_string());
        }
    }
    let seen: Value = lookup(&app, &code, cccd_tail, "198.51.100.1").await.json();
    assert_eq!(seen["due_at"], Value::Null, "no clock after the conclusion");
    let timeline: Vec<String> = seen["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        timeline,
        [
            "received",
            "under_review",
            "accepted",
            "verifying",
            "concluded"
        ]
    );
    // Staff see every step with its author and the internal notes.
    let detail: Value = get_as(
        &app,
        &officer,
        &format!("/api/staff/cases/case?code={code}"),
    )
    .await
    .json();
    let steps = detail["timeline"].as_array().unwrap();
    assert_eq!(steps.len(), 5);
    assert!(steps.iter().skip(1).all(|s| s["actor"] == "Cán bộ officer"));
    assert_eq!(steps[2]["internal_note"], "Giao tổ xác minh số 2");
    assert_eq!(
        audit_of(&pool, &code).await,
        [
            "case.created",
            "case.status_changed",
            "case.status_changed",
            "case.status_changed",
            "case.status_changed"
        ]
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn every_step_the_machine_refuses_is_a_409_that_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let statuses = [
        "received",
        "under_review",
        "accepted",
        "not_accepted",
        "transferred",
        "guided",
        "verifying",
        "suspended",
        "concluded",
        "closed",
        "withdrawn",
    ];
    for kind in ["complaint", "denunciation", "petition"] {
        for from in statuses {
            let i = statuses.iter().position(|s| *s == from).unwrap();
            let code = format!(
                "{}22222222{}",
                kind[..1].to_uppercase(),
                &"ABCDEFGHJKL"[i..=i]
            );
            case_with_code(&pool, a, &code, kind).await;
            sqlx::query("UPDATE cases SET status = $2, accepted_on = current_date WHERE code = $1")
                .bind(&code)
                .bind(from)
                .execute(&pool)
                .await
                .unwrap();
            for to in statuses {
                let legal = app::cases::CaseStatus::parse(from).unwrap().can_become(
                    app::cases::CaseStatus::parse(to).unwrap(),
                    app::cases::CaseKind::parse(kind).unwrap(),
                );
                if legal {
                    continue;
                }
                let r = move_to(&app, &officer, &code, to, "", "").await;
                assert_eq!(r.status(), 409, "{kind}: {from} → {to}: {}", r.text());
                assert_eq!(r.json::<Value>()["reason"], "invalid_transition");
            }
            let (status, events): (String, i64) = sqlx::query_as(
                "SELECT status, (SELECT count(*) FROM case_events e WHERE e.case_id = c.id) FROM cases c WHERE code = $1",
            )
            .bind(&code)
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!((status.as_str(), events), (from, 1), "{kind} {from}");
        }
    }
    let changes: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action LIKE 'case.%'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(changes, 0);
    // A transfer names the agency; without it, a field error.
    let code = "T22222222M";
    case_with_code(&pool, a, code, "complaint").await;
    assert_eq!(
        move_to(&app, &officer, code, "under_review", "", "")
            .await
            .status(),
        200
    );
    let missing = post_as(
        &app,
        &officer,
        "/api/staff/cases/update-status",
        &[("code", code), ("status", "transferred")],
    )
    .await;
    assert_eq!(missing.status(), 422, "{}", missing.text());
    assert_eq!(missing.json::<Value>()["fields"][0]["field"], "agency");
    let transferred = post_as(
        &app,
        &officer,
        "/api/staff/cases/update-status",
        &[
            ("code", code),
            ("status", "transferred"),
            ("agency", "UBND tỉnh Bắc Ninh"),
        ],
    )
    .await;
    assert_eq!(transferred.status(), 200, "{}", transferred.text());
    assert_eq!(transferred.json::<Value>()["agency"], "UBND tỉnh Bắc Ninh");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_wrong_code_and_a_wrong_second_factor_read_the_same_and_misses_are_throttled(
    pool: PgPool,
) {
    crate::helpers::fresh_limit_window(&pool).await;
    let app = spawn_app_with(pool.clone(), &[("LOOKUP_FAILURES_PER_15_MIN", "3")]).await;
    let a = office(&pool, "a").await;
    case_with_code(&pool, a, "K7MXQ2PR9T", "complaint").await;
    case_with_code(&pool, a, "K7MXQ2PR9U", "complaint").await;

    let wrong_code = lookup(&app, "ABCDEFGHJK", "0123", "203.0.113.1").await;
    let wrong_tail = lookup(&app, "K7MXQ2PR9T", "9999", "203.0.113.2").await;
    let wrong_phone = lookup(&app, "K7MXQ2PR9T", "0912345678", "203.0.113.3").await;
    for r in [&wrong_code, &wrong_tail, &wrong_phone] {
        assert_eq!(r.status(), 404);
    }
    assert_eq!(wrong_code.body, wrong_tail.body);
    assert_eq!(wrong_code.body, wrong_phone.body);
    // Malformed input is a field error, not a miss.
    let bad = lookup(&app, "K7MX", "12", "203.0.113.4").await;
    assert_eq!(bad.status(), 422);
    let fields: Vec<String> = bad.json::<Value>()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["code", "verifier"]);

    // Per code: the third miss on K7MX…9T (from three addresses) locks it
    // for everyone, the right answer included; the other case is not locked.
    assert_eq!(
        lookup(&app, "K7MXQ2PR9T", "8888", "203.0.113.6")
            .await
            .status(),
        404
    );
    let locked = lookup(&app, "K7MXQ2PR9T", "0123", "203.0.113.5").await;
    assert_eq!(locked.status(), 429);
    assert!(locked.headers().get("retry-after").is_some());
    let right = lookup(&app, "K7MXQ2PR9T", "0123", "198.51.100.7").await;
    assert_eq!(right.status(), 429, "the code is locked for every address");
    assert_eq!(
        lookup(&app, "K7MXQ2PR9U", "0123", "198.51.100.7")
            .await
            .status(),
        200
    );

    // Per address: three misses on different codes lock that address only.
    for code in ["ABCDEFGHJ2", "ABCDEFGHJ3", "ABCDEFGHJ4"] {
        assert_eq!(lookup(&app, code, "0123", "192.0.2.50").await.status(), 404);
    }
    assert_eq!(
        lookup(&app, "K7MXQ2PR9U", "0123", "192.0.2.50")
            .await
            .status(),
        429
    );
    assert_eq!(
        lookup(&app, "K7MXQ2PR9U", "0987654321", "192.0.2.51")
            .await
            .status(),
        200
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_denunciation_is_extended_by_article_30_and_suspended_time_does_not_count(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let code = "D22222222X";
    case_with_code(&pool, a, code, "denunciation").await;
    for status in ["under_review", "accepted"] {
        assert_eq!(
            move_to(&app, &officer, code, status, "", "").await.status(),
            200
        );
    }
    let due = |v: &Value| {
        chrono::NaiveDate::parse_from_str(v["due_on"].as_str().unwrap(), "%Y-%m-%d").unwrap()
    };
    let detail: Value = get_as(
        &app,
        &officer,
        &format!("/api/staff/cases/case?code={code}"),
    )
    .await
    .json();
    let first = due(&detail);
    assert!(detail["due_rule"].as_str().unwrap().contains("Điều 30"));

    let extend = |complexity: &'static str, days: &'static str| {
        let app = &app;
        let officer = &officer;
        async move {
            post_as(
                app,
                officer,
                "/api/staff/cases/extend",
                &[
                    ("code", code),
                    ("complexity", complexity),
                    ("days", days),
                    ("reason", "Cần giám định tài liệu"),
                ],
            )
            .await
        }
    };
    // An ordinary case cannot be extended; more than 30 days never.
    assert_eq!(extend("normal", "10").await.status(), 409);
    let too_long = extend("complicated", "31").await;
    assert_eq!(too_long.status(), 422);
    assert_eq!(too_long.json::<Value>()["fields"][0]["field"], "days");
    let once = extend("especially_complicated", "30").await;
    assert_eq!(once.status(), 200, "{}", once.text());
    let second = extend("especially_complicated", "20").await;
    assert_eq!(second.status(), 200, "{}", second.text());
    let third = extend("especially_complicated", "5").await;
    assert_eq!(third.status(), 409, "two extensions at most");
    let extended = due(&second.json::<Value>());
    assert!(
        extended >= first + chrono::Days::new(40),
        "{first} → {extended}"
    );

    // Suspended: no clock; resumed: the same deadline (no day passed).
    let suspended: Value = move_to(
        &app,
        &officer,
        code,
        "suspended",
        "Chờ kết quả giám định",
        "",
    )
    .await
    .json();
    assert_eq!(suspended["due_on"], Value::Null);
    sqlx::query("UPDATE cases SET suspended_on = suspended_on - 5 WHERE code = $1")
        .bind(code)
        .execute(&pool)
        .await
        .unwrap();
    let resumed = move_to(&app, &officer, code, "verifying", "Tiếp tục giải quyết", "").await;
    assert_eq!(resumed.status(), 200, "{}", resumed.text());
    let resumed: Value = resumed.json();
    assert!(due(&resumed) > extended, "the suspended days are added");
    let labels: Vec<String> = resumed["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["event"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        labels,
        ["opened", "status", "status", "extended", "extended", "status", "resumed"]
    );
    // Complaints and petitions are never suspended.
    case_with_code(&pool, a, "C22222222X", "complaint").await;
    for status in ["under_review", "accepted"] {
        assert_eq!(
            move_to(&app, &officer, "C22222222X", status, "", "")
                .await
                .status(),
            200
        );
    }
    assert_eq!(
        move_to(&app, &officer, "C22222222X", "suspended", "", "")
            .await
            .status(),
        409
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_case_by_hand_checks_every_field_and_writes_nothing_when_one_is_wrong(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let bad = post_as(
        &app,
        &officer,
        "/api/staff/cases/create",
        &[
            ("office", "a"),
            ("kind", "rumour"),
            ("summary", "ngắn"),
            ("full_name", ""),
            ("citizen_id", "12345"),
            ("phone", "12"),
            ("email", "not-an-address"),
            ("channel", "pigeon"),
            ("received_on", "2999-01-01"),
        ],
    )
    .await;
    assert_eq!(bad.status(), 422, "{}", bad.text());
    let fields: Vec<(String, String)> = bad.json::<Value>()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("kind", "invalid_choice"),
        ("summary", "too_short"),
        ("full_name", "required"),
        ("citizen_id", "invalid_citizen_id"),
        ("phone", "invalid_phone"),
        ("email", "invalid_email"),
        ("channel", "invalid_choice"),
        ("received_on", "invalid_date"),
    ];
    assert_eq!(
        fields,
        expected.map(|(f, c)| (f.to_owned(), c.to_owned())).to_vec()
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM cases")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0);

    let ok = post_as(
        &app,
        &officer,
        "/api/staff/cases/create",
        &[
            ("office", "a"),
            ("kind", "petition"),
            ("summary", "Kiến nghị sửa đường liên thôn bị sạt lở."),
            ("full_name", "Lê Văn Cường"),
            ("phone", "0987 654 321"),
            ("channel", "post"),
            ("received_on", "2026-11-20"),
        ],
    )
    .await;
    assert_eq!(ok.status(), 200, "{}", ok.text());
    let code = ok.json::<Value>()["code"].as_str().unwrap().to_owned();
    let seen = lookup(&app, &code, "0987654321", "198.51.100.9").await;
    assert_eq!(seen.status(), 200, "{}", seen.text());
    let seen: Value = seen.json();
    assert_eq!(seen["received_at"], "2026-11-20");
    assert_eq!(
        seen["due_at"],
        Value::Null,
        "petitions have no statutory clock"
    );
    // Without a CCCD on file, four digits never match.
    assert_eq!(
        lookup(&app, &code, "4321", "198.51.100.9").await.status(),
        404
    );
}
