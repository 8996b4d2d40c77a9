use app::ssr::{AppEnv, Settings};
use secrecy::ExposeSecret;
use server::demo::{seed, DemoError};
use sqlx::PgPool;

fn dev_settings() -> Settings {
    Settings::from_lookup(|_| None).unwrap()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn demo_data_loads_two_offices_and_four_staff_accounts(pool: PgPool) {
    let settings = dev_settings();
    let summary = seed(&pool, &settings).await.unwrap();
    assert_eq!((summary.offices, summary.staff), (2, 4));
    // Weekdays of the next 30 days: at least four weeks of two sessions.
    assert!(summary.slots > 2 * 4 * 5 * 8, "{summary:?}");

    let names: Vec<String> = sqlx::query_scalar("SELECT name_vi FROM offices ORDER BY position")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        names,
        [
            "Trụ sở Ban Tiếp công dân Trung ương, Hà Nội",
            "Trụ sở Thanh tra Chính phủ"
        ]
    );

    let staff: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT s.email, s.role, count(so.office_id)
         FROM staff_accounts s JOIN staff_offices so ON so.staff_id = s.id
         GROUP BY s.email, s.role ORDER BY s.email",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        staff,
        [
            ("canbo@tiepdan.local".to_owned(), "officer".to_owned(), 2),
            (
                "letan@tiepdan.local".to_owned(),
                "receptionist".to_owned(),
                2
            ),
            ("quantri@tiepdan.local".to_owned(), "admin".to_owned(), 2),
            (
                "truong@tiepdan.local".to_owned(),
                "supervisor".to_owned(),
                2
            ),
        ]
    );

    let hash: String = sqlx::query_scalar(
        "SELECT password_hash FROM staff_accounts WHERE email = 'letan@tiepdan.local'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(password_auth::verify_password(settings.demo_password.expose_secret(), &hash).is_ok());
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn loading_demo_data_twice_changes_nothing(pool: PgPool) {
    let settings = dev_settings();
    seed(&pool, &settings).await.unwrap();
    let snapshot = |pool: PgPool| async move {
        sqlx::query_scalar::<_, String>(
            "SELECT string_agg(x, '|' ORDER BY x) FROM (
               SELECT o.id::text || o.slug AS x FROM offices o
               UNION ALL SELECT office_id::text || weekday || opens FROM opening_hours
               UNION ALL SELECT id::text || email || password_hash FROM staff_accounts
               UNION ALL SELECT staff_id::text || office_id FROM staff_offices
               UNION ALL SELECT id::text || starts_at || capacity || withdrawn FROM slots) t",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let before = snapshot(pool.clone()).await;
    seed(&pool, &settings).await.unwrap();
    assert_eq!(snapshot(pool.clone()).await, before);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn demo_data_is_refused_in_production(pool: PgPool) {
    let settings = Settings::from_lookup(|name| match name {
        "APP_ENV" => Some("production".into()),
        "DATABASE_URL" => Some("postgres://x@localhost/x".into()),
        "SMTP_URL" => Some("smtp://localhost".into()),
        "PUBLIC_URL" => Some("https://tiepdan.example".into()),
        "TOTP_KEY" => Some("ab".repeat(32)),
        "DEVICE_COOKIE_KEY" => Some("cd".repeat(32)),
        _ => None,
    })
    .unwrap();
    assert_eq!(settings.env, AppEnv::Production);
    assert!(matches!(
        seed(&pool, &settings).await,
        Err(DemoError::Production)
    ));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM offices")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}
