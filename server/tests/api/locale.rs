use crate::helpers::spawn_app;
use http::header::{LOCATION, SET_COOKIE};
use sqlx::PgPool;

fn html_lang(html: &str) -> &str {
    html.split("<html lang=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("<html lang> is set")
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn pages_are_vietnamese_unless_the_visitor_says_otherwise(pool: PgPool) {
    let app = spawn_app(pool).await;
    let html = app.get("/privacy").await.text();
    assert_eq!(html_lang(&html), "vi");
    assert!(html.contains("Quyền riêng tư và bảo vệ dữ liệu cá nhân"));
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_browser_language_is_followed_and_the_cookie_wins_over_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let html = app
        .get_with("/privacy", &[("accept-language", "en-GB,en;q=0.8")])
        .await
        .text();
    assert_eq!(html_lang(&html), "en");
    assert!(html.contains("Privacy and personal data protection"));

    let html = app
        .get_with(
            "/privacy",
            &[("accept-language", "en"), ("cookie", "lang=vi")],
        )
        .await
        .text();
    assert_eq!(html_lang(&html), "vi");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn choosing_a_language_sets_a_lasting_cookie_and_returns_to_the_page(pool: PgPool) {
    let app = spawn_app(pool).await;

    // Plain form: a real redirect.
    let res = app
        .post_form(
            "/api/locale",
            &[("locale", "en"), ("next", "/contact")],
            "/contact",
        )
        .await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()[LOCATION], "/contact");
    let cookie = res.headers()[SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    for attribute in ["Path=/", "Max-Age=31536000", "SameSite=Lax", "HttpOnly"] {
        assert!(
            cookie.contains(attribute),
            "{attribute} missing from {cookie}"
        );
    }
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");

    // Island fetch: a 200 that tells the client where to go.
    let res = app
        .call("/api/locale", &[("locale", "vi"), ("next", "/")], &[])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()[LOCATION], "/");
    assert!(res.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .starts_with("lang=vi;"));
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_switch_never_redirects_to_another_site(pool: PgPool) {
    let app = spawn_app(pool).await;
    for next in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let res = app
            .post_form("/api/locale", &[("locale", "en"), ("next", next)], "/")
            .await;
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()[LOCATION], "/", "next = {next}");
    }
}
