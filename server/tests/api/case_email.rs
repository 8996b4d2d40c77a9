//! Whoever holds a case's private link cannot quietly move its news to
//! their own address: a new address confirms through a link sent to it,
//! the old address is told, and until then the case writes where it did.

use crate::helpers::booking::office;
use crate::helpers::cases::{case_with_code, move_to};
use crate::helpers::spawn_app;
use crate::helpers::staff::{sign_in, staff};
use serde_json::Value;
use sqlx::PgPool;

fn link(text: &str, path: &str) -> String {
    text.split_whitespace()
        .find(|w| w.contains(path))
        .unwrap_or_else(|| panic!("no {path} link in {text}"))
        .to_owned()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_new_case_address_confirms_by_a_link_sent_to_it_and_the_old_one_is_told(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let code = "MAKE234567";
    case_with_code(&pool, a, code, "complaint").await;
    let case: uuid::Uuid = sqlx::query_scalar(
        "UPDATE cases SET email = 'cu@example.vn', notify = true WHERE code = $1 RETURNING id",
    )
    .bind(code)
    .fetch_one(&pool)
    .await
    .unwrap();
    let token = app::cases::repo::issue_token(&pool, case, 2).await.unwrap();

    // Someone with the private link gives another address.
    let asked = app
        .call(
            "/api/cases/notify",
            &[("t", &token), ("email", "moi@example.vn"), ("notify", "on")],
            &[],
        )
        .await;
    assert_eq!(asked.status(), 200, "{}", asked.text());
    let page: Value = asked.json();
    assert_eq!(page["email_pending"], "m•••@example.vn");
    assert_eq!(
        page["email_hint"], "c•••@example.vn",
        "the old address stays"
    );
    let email: String = sqlx::query_scalar("SELECT email FROM cases WHERE id = $1")
        .bind(case)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(email, "cu@example.vn");

    // The old address is told; the new one gets the link.
    let notice = app.mail_to("cu@example.vn", "yêu cầu đổi e-mail").await;
    let text = notice.text().unwrap();
    assert!(
        text.contains("m•••@example.vn") && !text.contains("moi@example.vn"),
        "{text}"
    );
    assert!(!text.contains("http"), "the notice carries no link: {text}");
    let confirm = app.mail_to("moi@example.vn", "xác nhận").await;
    let confirm_link = link(&confirm.text().unwrap(), "/track/email?t=");

    // Until it confirms, the case's news goes where it did.
    let moved = move_to(
        &app,
        &officer,
        code,
        "under_review",
        "Đang phân loại đơn",
        "",
    )
    .await;
    assert_eq!(moved.status(), 200, "{}", moved.text());
    app.mail_to("cu@example.vn", "Đang xem xét").await;
    assert!(
        !app.mail
            .messages()
            .iter()
            .any(|m| m.envelope_to.iter().any(|t| t == "moi@example.vn")
                && m.subject().is_some_and(|s| s.contains("Đang xem xét"))),
        "the unconfirmed address got the case's news"
    );

    // Opening the link shows a button; pressing it confirms.
    let path = confirm_link.trim_start_matches(&app.state.settings.public_url);
    let page = app.get(path).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().contains("/api/cases/email/confirm"));
    let t = path.split("t=").nth(1).unwrap();
    let confirmed = app.call("/api/cases/email/confirm", &[("t", t)], &[]).await;
    assert_eq!(confirmed.status(), 200, "{}", confirmed.text());
    assert_eq!(confirmed.json::<Value>()["email_hint"], "m•••@example.vn");
    assert_eq!(confirmed.json::<Value>()["email_pending"], Value::Null);
    let again = app.call("/api/cases/email/confirm", &[("t", t)], &[]).await;
    assert_eq!(again.status(), 404, "a link works once");

    let moved = move_to(&app, &officer, code, "accepted", "", "").await;
    assert_eq!(moved.status(), 200, "{}", moved.text());
    app.mail_to("moi@example.vn", "Đã thụ lý").await;
}
