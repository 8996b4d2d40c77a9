//! The audit trail: administrators browse it; nobody can rewrite it.

use crate::helpers::booking::{office, slot};
use crate::helpers::staff::{booked, staff};
use crate::helpers::{get_as, post_as, spawn_app};
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn admins_browse_the_audit_trail_which_cannot_be_rewritten(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 4).await;
    let code = booked(&app, s, 1).await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;
    let (admin, _) = crate::helpers::staff::sign_in_admin(&app, "quantri@test.vn").await;
    post_as(
        &app,
        &admin,
        "/api/staff/bookings/confirm",
        &[("code", &code)],
    )
    .await;

    let r = get_as(&app, &admin, &format!("/api/staff/audit?record={code}")).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    let rows: Vec<Value> = r.json();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["action"], "booking.confirm");
    assert_eq!(rows[0]["actor"], "quantri@test.vn");
    let by_action = get_as(&app, &admin, "/api/staff/audit?action=staff.sign_in").await;
    assert_eq!(by_action.json::<Vec<Value>>().len(), 1);
    let bad = get_as(&app, &admin, "/api/staff/audit?from=yesterday").await;
    assert_eq!(bad.status(), 422);

    let update = sqlx::query("UPDATE audit_log SET actor_email = 'someone@else'")
        .execute(&pool)
        .await;
    assert!(update.is_err(), "audit rows cannot be changed");
    let delete = sqlx::query("DELETE FROM audit_log").execute(&pool).await;
    assert!(delete.is_err(), "audit rows cannot be deleted");
}

/// Any citizen's CCCD and phone shown on a case page is audited (not only a
/// denouncer's): who, which case, which fields; never the values.
#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_case_page_showing_a_cccd_and_phone_is_audited_without_the_values(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    crate::helpers::cases::case_with_code(&pool, a, "KN7Q4M2X9P", "complaint").await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = crate::helpers::staff::sign_in(&app, "canbo@test.vn").await;
    let detail = get_as(&app, &officer, "/api/staff/cases/case?code=KN7Q4M2X9P").await;
    assert_eq!(detail.status(), 200, "{}", detail.text());
    let json: Value = detail.json();
    assert_eq!(json["contact"]["citizen_id"], "001099000123");
    let trail: Vec<(String, String, Value)> = sqlx::query_as(
        "SELECT action, actor_email, details FROM audit_log WHERE record_id = 'KN7Q4M2X9P' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        trail,
        [(
            "case.contact_viewed".to_owned(),
            "canbo@test.vn".to_owned(),
            serde_json::json!({"via": "case", "fields": ["citizen_id", "phone"]})
        )]
    );
    let all: String =
        sqlx::query_scalar("SELECT string_agg(to_jsonb(a)::text, ' ') FROM audit_log a")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!all.contains("001099000123") && !all.contains("0987654321"));
}
