use crate::helpers::spawn_app;
use sqlx::PgPool;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn healthz_answers_ok(pool: PgPool) {
    let app = spawn_app(pool).await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text(), "ok");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn readyz_is_ready_while_the_database_answers(pool: PgPool) {
    let app = spawn_app(pool).await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text(), "ready");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn readyz_is_unavailable_without_the_database_while_healthz_stays_up(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.pool.close().await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.text(), "database unreachable");
    assert_eq!(app.get("/healthz").await.status(), 200);
}
