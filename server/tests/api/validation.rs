//! Every rule of the booking form, table-driven: each bad value is a 422
//! naming its field and code, and nothing is written.

use crate::helpers::booking::{book, cccd, field_codes, office, slot, taken, Form};
use crate::helpers::spawn_app_with;
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn every_field_rule_answers_422_with_its_field_and_code(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), &[("BOOKING_ATTEMPTS_PER_HOUR", "10000")]).await;
    let office = office(&pool, "rules").await;
    let slot = slot(&pool, office, "3 days", 50).await;
    let long_name = "Nguyễn ".repeat(20);
    let long_summary = "ư".repeat(2001);
    let long_needs = "x".repeat(501);
    let long_email = format!("{}@example.vn", "a".repeat(250));
    let cases: Vec<(&str, &str, &str)> = vec![
        ("full_name", "", "required"),
        ("full_name", "   ", "required"),
        ("full_name", "A", "too_short"),
        ("full_name", &long_name, "too_long"),
        ("full_name", "Nguyễn Văn 3", "invalid_name"),
        (
            "full_name",
            "Robert'); DROP TABLE bookings;--",
            "invalid_name",
        ),
        ("citizen_id", "", "required"),
        ("citizen_id", "12345", "invalid_citizen_id"),
        ("citizen_id", "0010990123456", "invalid_citizen_id"),
        ("citizen_id", "00109901234X", "invalid_citizen_id"),
        ("citizen_id", "099099012345", "invalid_citizen_id"),
        ("citizen_id", "００1099012345", "invalid_citizen_id"),
        ("phone", "", "required"),
        ("phone", "0112345678", "invalid_phone"),
        ("phone", "+1 202 555 0100", "invalid_phone"),
        ("phone", "091234567", "invalid_phone"),
        ("phone", "０９１２３４５６７８", "invalid_phone"),
        ("email", "an@", "invalid_email"),
        ("email", "ân@example.vn", "invalid_email"),
        ("email", &long_email, "too_long"),
        ("topic", "", "required"),
        ("topic", "other", "invalid_choice"),
        ("summary", "", "required"),
        ("summary", "ngắn", "too_short"),
        ("summary", &long_summary, "too_long"),
        ("summary", "Có ký tự\u{0}lạ trong nội dung", "invalid_text"),
        ("party_size", "", "required"),
        ("party_size", "0", "invalid_party_size"),
        ("party_size", "201", "invalid_party_size"),
        ("party_size", "ba", "invalid_party_size"),
        ("needs", &long_needs, "too_long"),
        ("consent", "false", "consent_required"),
        ("slot_id", "", "required"),
        ("slot_id", "abc", "invalid_slot"),
        ("slot_id", "-4", "invalid_slot"),
        ("slot_id", "99999999", "invalid_slot"),
    ];
    for (n, (field, value, code)) in cases.iter().enumerate() {
        let form = Form::valid(slot, &cccd(500 + n as u32)).set(field, value);
        let response = book(&app, &form).await;
        assert_eq!(
            response.status(),
            422,
            "{field}={value:?}: {}",
            response.text()
        );
        assert_eq!(
            field_codes(&response),
            vec![(field.to_string(), code.to_string())],
            "{field}={value:?}"
        );
        let body: Value = response.json();
        assert!(!body["fields"][0]["message"].as_str().unwrap().is_empty());
    }
    // A missing consent box is the same as an unticked one.
    let response = book(&app, &Form::valid(slot, &cccd(900)).without("consent")).await;
    assert_eq!(
        field_codes(&response),
        vec![("consent".into(), "consent_required".into())]
    );

    // Groups: 5–10 people need 1–2 representatives, more need 1–5.
    let group = |size: &str, reps: &str| {
        Form::valid(slot, &cccd(901))
            .set("party_size", size)
            .set("representatives", reps)
    };
    for (size, reps, code) in [
        ("5", "", "representatives_required"),
        (
            "8",
            "Lê Văn Tám\nPhạm Thị Hoa\nTrần Văn Ba",
            "too_many_representatives",
        ),
        ("30", "", "representatives_required"),
        (
            "30",
            "A An\nB Bình\nC Cường\nD Dũng\nE Em\nG Giang",
            "too_many_representatives",
        ),
        ("6", "Lê 8", "invalid_representative"),
    ] {
        let response = book(&app, &group(size, reps)).await;
        assert_eq!(
            field_codes(&response),
            vec![("representatives".into(), code.into())],
            "{size} {reps:?}"
        );
    }
    let response = book(&app, &group("12", "Lê Văn Tám\nPhạm Thị Hoa")).await;
    assert_eq!(response.status(), 200, "{}", response.text());

    // Everything wrong at once: one message per field.
    let response = app.call("/api/bookings/create", &[], &[]).await;
    assert_eq!(response.status(), 422);
    let fields: Vec<String> = field_codes(&response).into_iter().map(|(f, _)| f).collect();
    for expected in [
        "slot_id",
        "full_name",
        "citizen_id",
        "phone",
        "topic",
        "summary",
        "party_size",
        "consent",
    ] {
        assert!(
            fields.contains(&expected.to_owned()),
            "{expected} missing from {fields:?}"
        );
    }
    // English messages for an English request.
    let response = app
        .call("/api/bookings/create", &[], &[("accept-language", "en")])
        .await;
    let body: Value = response.json();
    assert_eq!(body["fields"][0]["message"], "Please fill in this field.");

    // Nothing of all that was written.
    assert_eq!(taken(&pool, slot).await, 1);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM bookings")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);
}
