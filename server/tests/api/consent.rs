//! Consent texts: versioned rows never edited; the forms show the version in
//! force and each booking and waiting-list entry stores it; `/privacy` and
//! `/api/consent` show it and every earlier one; a version to come is
//! neither shown nor stored.

use crate::helpers::booking::{book, cccd, office, slot, Form};
use crate::helpers::spawn_app;
use serde_json::Value;
use sqlx::PgPool;

async fn add_version(pool: &PgPool, version: &str, valid_from: &str, text: &str) {
    sqlx::query(
        "INSERT INTO consent_texts (version, purpose_vi, purpose_en, text_vi, text_en, valid_from)
         VALUES ($1, 'Mục đích mới.', 'A new purpose.', $2, $3, now() + $4::interval)",
    )
    .bind(version)
    .bind(format!("{text} (vi)"))
    .bind(format!("{text} (en)"))
    .bind(valid_from)
    .execute(pool)
    .await
    .unwrap();
}

async fn stored_version(pool: &PgPool, code: &str) -> (String, Option<String>) {
    sqlx::query_as("SELECT legal_basis, consent_version FROM bookings WHERE code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn each_booking_stores_the_version_in_force_and_privacy_shows_them_all(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 10).await;

    let first = book(&app, &Form::valid(s, &cccd(1))).await;
    assert_eq!(first.status(), 200, "{}", first.text());
    let first = first.json::<Value>()["code"].as_str().unwrap().to_owned();
    assert_eq!(
        stored_version(&pool, &first).await,
        ("consent".to_owned(), Some("2026-11-28".to_owned()))
    );

    // A new text from a minute ago, and one that starts tomorrow.
    add_version(&pool, "2026-12-03", "-1 minute", "Văn bản đồng ý mới").await;
    add_version(&pool, "2026-12-04", "1 day", "Văn bản chưa có hiệu lực").await;

    let second = book(&app, &Form::valid(s, &cccd(2))).await;
    assert_eq!(second.status(), 200, "{}", second.text());
    let second = second.json::<Value>()["code"].as_str().unwrap().to_owned();
    assert_eq!(
        stored_version(&pool, &second).await.1.as_deref(),
        Some("2026-12-03")
    );
    // The first keeps what its citizen agreed to.
    assert_eq!(
        stored_version(&pool, &first).await.1.as_deref(),
        Some("2026-11-28")
    );

    // The booking form shows the text in force, in the page's language.
    let page = app.get("/book/a").await.text();
    assert!(
        page.contains("Văn bản đồng ý mới (vi)"),
        "the current text on the form"
    );
    assert!(!page.contains("Văn bản chưa có hiệu lực"));
    assert!(
        !page.contains("Tôi đồng ý để cơ quan tiếp công dân"),
        "not the old text"
    );

    // /api/consent: the one in force first, then the earlier one.
    let api: Vec<Value> = app
        .get_with("/api/consent", &[("accept-language", "en")])
        .await
        .json();
    let versions: Vec<&str> = api.iter().map(|v| v["version"].as_str().unwrap()).collect();
    assert_eq!(versions, ["2026-12-03", "2026-11-28"]);
    assert_eq!(api[0]["text"], "Văn bản đồng ý mới (en)");
    assert!(api[1]["text"]
        .as_str()
        .unwrap()
        .starts_with("I agree that the reception agency"));

    // /privacy: both, the current one first; not the one to come.
    let privacy = app.get("/privacy").await.text();
    let current = privacy
        .find("Văn bản đồng ý mới (vi)")
        .expect("current text");
    let earlier = privacy
        .find("Tôi đồng ý để cơ quan tiếp công dân")
        .expect("earlier text");
    assert!(current < earlier);
    assert!(privacy.contains("phiên bản 2026-11-28"));
    assert!(!privacy.contains("Văn bản chưa có hiệu lực"));
    assert!(
        privacy.contains("Luật Tiếp công dân"),
        "the legal-duty basis is stated"
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_consent_text_is_never_edited_nor_removed(pool: PgPool) {
    for sql in [
        "UPDATE consent_texts SET text_vi = 'sửa lén' WHERE version = '2026-11-28'",
        "DELETE FROM consent_texts WHERE version = '2026-11-28'",
        "TRUNCATE consent_texts CASCADE",
    ] {
        let refused = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(
            refused.to_string().contains("add a new version"),
            "{sql}: {refused}"
        );
    }
    // A booking cannot name a version that does not exist, nor rest on
    // consent without one.
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 10).await;
    for (version, basis) in [
        ("'1999-01-01'", "'consent'"),
        ("NULL", "'consent'"),
        ("'2026-11-28'", "'legal_duty'"),
    ] {
        let refused = sqlx::query(&format!(
            "INSERT INTO bookings (code, office_id, slot_id, full_name, citizen_id, phone, topic, summary, party_size, locale, legal_basis, consent_version, consented_at)
             VALUES ('ABCDEFGHJK', $1, $2, 'Nguyễn An', '001099012345', '0912345678', 'complaint', 'Nội dung đủ dài', 1, 'vi', {basis}, {version}, now())"
        ))
        .bind(a)
        .bind(s)
        .execute(&pool)
        .await;
        assert!(refused.is_err(), "{version} {basis}");
    }
}
