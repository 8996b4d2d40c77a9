use crate::helpers::spawn_app;
use http::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, VARY};
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_home_page_lists_the_offices_read_from_the_database(pool: PgPool) {
    let app = spawn_app(pool).await;
    server::demo::seed(&app.pool, &app.state.settings)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO offices (slug, name_vi, address_vi, position) VALUES
           ('thu-nghiem', 'Trụ sở thử nghiệm', 'Số 9 phố Thử, Huế', 5),
           ('da-dong', 'Trụ sở đã đóng', 'Không còn', 6)",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE offices SET active = false WHERE slug = 'da-dong'")
        .execute(&app.pool)
        .await
        .unwrap();

    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let html = res.text();
    for text in [
        "Trụ sở Ban Tiếp công dân Trung ương, Hà Nội",
        "Trụ sở Thanh tra Chính phủ",
        "Số 1 Ngô Thì Nhậm, phường Hà Đông, Hà Nội",
        ">07:30–11:30</span>, <span class=\"session\">13:30–17:00<",
        "Trụ sở thử nghiệm",
        "Số 9 phố Thử, Huế",
    ] {
        assert!(html.contains(text), "{text:?} missing from the home page");
    }
    assert!(
        !html.contains("Trụ sở đã đóng"),
        "inactive offices are hidden"
    );
    // Listing order follows `position`.
    let central = html.find("Trụ sở Ban Tiếp công dân Trung ương").unwrap();
    let test = html.find("Trụ sở thử nghiệm").unwrap();
    assert!(central < test);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_offices_api_returns_offices_with_their_hours(pool: PgPool) {
    let app = spawn_app(pool).await;
    server::demo::seed(&app.pool, &app.state.settings)
        .await
        .unwrap();
    let res = app.get("/api/offices").await;
    assert_eq!(res.status(), 200);
    let offices: Value = res.json();
    let offices = offices.as_array().unwrap();
    assert_eq!(offices.len(), 2);
    assert_eq!(offices[0]["slug"], "tw-ha-noi");
    assert_eq!(
        offices[0]["name"]["en"],
        "Central Citizen Reception Office, Ha Noi"
    );
    assert_eq!(offices[0]["hours"].as_array().unwrap().len(), 10);
    assert_eq!(
        offices[0]["hours"][0],
        serde_json::json!({ "weekday": 1, "opens": 450, "closes": 690 })
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn an_unknown_path_is_a_404_page(pool: PgPool) {
    let app = spawn_app(pool).await;
    let res = app.get("/khong-co").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().contains("Không tìm thấy trang"));
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn pages_carry_security_cache_and_request_id_headers(pool: PgPool) {
    let app = spawn_app(pool).await;
    let res = app.get("/privacy").await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();

    let id = h["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(h[CACHE_CONTROL], "private, no-cache");
    assert!(h[VARY].to_str().unwrap().contains("Accept-Language"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");

    let csp = h[CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    assert!(csp.contains("frame-ancestors 'none'"));
    // A page without islands carries no script at all.
    assert!(!res.text().contains("<script"), "no script on /privacy");

    // On a page with islands the inline loader carries the nonce the policy allows.
    let res = app.get("/my-booking").await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 16);
    assert!(
        res.text().contains(&format!("nonce=\"{nonce}\"")),
        "the loader uses the nonce"
    );

    // Each request gets its own id and nonce.
    let again = app.get("/my-booking").await;
    assert_ne!(again.headers()["x-request-id"], id);
    assert_ne!(
        again.headers()[CONTENT_SECURITY_POLICY].to_str().unwrap(),
        csp
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn html_is_compressed_for_browsers_that_accept_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    for (accept, expected) in [("br, gzip", "br"), ("gzip", "gzip")] {
        let res = app
            .get_with("/privacy", &[("accept-encoding", accept)])
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()[CONTENT_ENCODING], expected);
    }
}
