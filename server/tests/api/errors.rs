use crate::helpers::spawn_app;
use http::header::{CONTENT_TYPE, LOCATION};
use serde_json::{json, Value};
use sqlx::PgPool;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_validation_error_reaches_the_client_as_422_with_its_field_messages(pool: PgPool) {
    let app = spawn_app(pool).await;

    let res = app.call("/api/locale", &[("locale", "xx")], &[]).await;
    assert_eq!(res.status(), 422);
    assert!(res.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = res.json();
    assert_eq!(
        body,
        json!({
            "kind": "validation",
            "fields": [{
                "field": "locale",
                "code": "unsupported_locale",
                "message": "Ngôn ngữ này chưa được hỗ trợ. Vui lòng chọn Tiếng Việt hoặc English."
            }]
        })
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn field_messages_are_in_the_language_of_the_request(pool: PgPool) {
    let app = spawn_app(pool).await;
    let res = app
        .call(
            "/api/locale",
            &[("locale", "xx")],
            &[("accept-language", "en-US,en;q=0.9")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json();
    assert_eq!(
        body["fields"][0]["message"],
        "This language is not supported. Please choose Tiếng Việt or English."
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn malformed_arguments_are_a_400_not_a_500(pool: PgPool) {
    let app = spawn_app(pool).await;
    let res = app.call("/api/locale", &[("language", "en")], &[]).await;
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>(), json!({ "kind": "bad_request" }));
}

/// A database that answers, but not as the code expects: an internal
/// error, not an outage.
async fn break_offices(pool: &PgPool) {
    sqlx::query("ALTER TABLE offices RENAME TO offices_elsewhere")
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn an_internal_error_shows_no_database_text(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    break_offices(&pool).await;

    let res = app.get("/api/offices").await;
    assert_eq!(res.status(), 500);
    let text = res.text();
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({ "kind": "internal" })
    );
    for leak in ["offices", "relation", "sqlx", "postgres", "42P01"] {
        assert!(!text.contains(leak), "{leak:?} leaked in {text}");
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_page_whose_data_fails_says_so_politely_and_hides_the_cause(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    break_offices(&pool).await;

    let res = app.get("/").await;
    assert_eq!(res.status(), 500);
    let html = res.text();
    assert!(html.contains("Chưa tải được danh sách trụ sở. Vui lòng tải lại trang sau ít phút."));
    for leak in ["offices_elsewhere", "relation", "sqlx"] {
        assert!(!html.contains(leak), "{leak:?} leaked into the page");
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_database_going_away_is_a_503_to_retry_not_a_500(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.pool.close().await;

    let res = app.get("/api/offices").await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "5");
    let text = res.text();
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({ "kind": "unavailable", "retry_after_secs": 5 })
    );
    for leak in ["pool", "Pool", "sqlx", "closed", "postgres"] {
        assert!(!text.contains(leak), "{leak:?} leaked in {text}");
    }
    let page = app.get_with("/", &[("accept", "text/html")]).await;
    assert_eq!(page.status(), 503, "{:?} {}", page.headers(), page.text());
    assert!(page.text().contains("Hệ thống đang tạm thời gián đoạn"));
    assert!(!page.text().contains("PoolClosed"));
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn without_javascript_the_error_comes_back_to_the_form_page(pool: PgPool) {
    let app = spawn_app(pool).await;

    let res = app
        .post_form(
            "/api/locale",
            &[("locale", "xx"), ("next", "/privacy")],
            "/privacy",
        )
        .await;
    // A redirect back to the page, never a bare 422 the browser would show as is.
    assert_eq!(res.status(), 302);
    let location = res.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(location.starts_with(&app.url("/privacy?")), "{location}");
    assert!(location.contains("__err="), "{location}");

    let page = app.get(&location[app.base.len()..]).await;
    assert_eq!(page.status(), 200);
    let html = page.text();
    let alert = html
        .split("id=\"locale-error\"")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("the error paragraph is rendered");
    assert!(
        alert.contains("Ngôn ngữ này chưa được hỗ trợ."),
        "the message is beside the switch: {alert}"
    );
}
