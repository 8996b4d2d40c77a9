//! The forms that receive a citizen, posted by a browser without
//! JavaScript (`Accept: text/html`): each takes its fields as one flattened
//! form, so a refused post goes back to its page with the errors (and no
//! personal data in the URL, nothing written), and an accepted one lands on
//! the page that shows what was made. The booking form's own no-JS posts are
//! in `booking.rs` (`a_plain_form_post_…`, `a_refused_plain_form_…`).

use crate::helpers::booking::{office, running_slot};
use crate::helpers::staff::{sign_in, staff};
use crate::helpers::{spawn_app, TestResponse};
use sqlx::PgPool;

fn location(response: &TestResponse) -> String {
    response.headers()["location"]
        .to_str()
        .expect("a location")
        .to_owned()
}

async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_walk_in_form_without_javascript(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let (_, starts_at) = running_slot(&pool, a, 2).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    let cookie = [("cookie", desk.as_str())];
    let mut form = vec![
        ("office", "a"),
        ("starts_at", starts_at.as_str()),
        ("full_name", "Hoàng Văn Nam"),
        ("citizen_id", "0012345"),
        ("phone", "0987 654 321"),
        ("topic", "petition"),
        (
            "summary",
            "Kiến nghị về việc cấp giấy chứng nhận quyền sử dụng đất.",
        ),
        ("party_size", "1"),
        ("interpreter", "on"),
    ];

    let refused = app
        .post_form_with(
            "/api/staff/bookings/walk-in",
            &form,
            "/staff?office=a",
            &cookie,
        )
        .await;
    assert_eq!(refused.status(), 302, "{}", refused.text());
    let back = location(&refused);
    assert!(
        back.contains("/staff?office=a&") && back.contains("__err="),
        "{back}"
    );
    for private in ["0012345", "Ho%C3%A0ng", "0987"] {
        assert!(!back.contains(private), "{back}");
    }
    assert_eq!(count(&pool, "bookings").await, 0);

    form[3] = ("citizen_id", "001234567890");
    let accepted = app
        .post_form_with(
            "/api/staff/bookings/walk-in",
            &form,
            "/staff?office=a",
            &cookie,
        )
        .await;
    assert_eq!(accepted.status(), 302, "{}", accepted.text());
    let day = location(&accepted);
    assert!(
        day.starts_with("/staff?office=a&date=") && day.contains("&done=checked_in&code="),
        "{day}"
    );
    let (walk_in, interpreter, status): (bool, bool, String) = sqlx::query_as(
        "SELECT walk_in, interpreter, status FROM bookings WHERE citizen_id = '001234567890'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (walk_in, interpreter, status.as_str()),
        (true, true, "checked_in")
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_case_form_without_javascript(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let cookie = [("cookie", officer.as_str())];
    let mut form = vec![
        ("office", "a"),
        ("kind", "petition"),
        ("summary", "Kiến nghị sửa đường liên thôn bị sạt lở."),
        ("full_name", "Lê Văn Cường"),
        ("phone", "12"),
        ("email", "cuong.le@example.vn"),
        ("channel", "post"),
        ("received_on", "2026-11-20"),
    ];

    let refused = app
        .post_form_with("/api/staff/cases/create", &form, "/staff/cases", &cookie)
        .await;
    assert_eq!(refused.status(), 302, "{}", refused.text());
    let back = location(&refused);
    assert!(
        back.contains("/staff/cases?") && back.contains("__err="),
        "{back}"
    );
    for private in ["cuong.le", "L%C3%AA", "sa%CC"] {
        assert!(!back.contains(private), "{back}");
    }
    assert_eq!(count(&pool, "cases").await, 0);

    form[4] = ("phone", "0987 654 321");
    let accepted = app
        .post_form_with("/api/staff/cases/create", &form, "/staff/cases", &cookie)
        .await;
    assert_eq!(accepted.status(), 302, "{}", accepted.text());
    let case = location(&accepted);
    assert!(case.starts_with("/staff/cases/view?code="), "{case}");
    let (phone, email, channel): (String, Option<String>, String) =
        sqlx::query_as("SELECT phone, email, channel FROM cases")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (phone.as_str(), email.as_deref(), channel.as_str()),
        ("0987654321", Some("cuong.le@example.vn"), "post")
    );
}
