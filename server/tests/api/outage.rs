//! The database out of reach, through a proxy the test cuts (the cluster
//! every test shares keeps running): quick 503s with `Retry-After` and the
//! plain "briefly unavailable" page instead of 500s, service coming back on
//! its own, and a server that starts before its database does.

use crate::helpers::{post_json, TestApp};
use app::ssr::{db, mail::Mailer, AppState, Settings};
use serde_json::Value;
use sqlx::postgres::PgConnectOptions;
use sqlx::PgPool;
use std::time::{Duration, Instant};
use testkit::{SmtpSink, Target, TcpProxy};

/// A proxy to the cluster behind `pool`, and connection options through it.
fn proxied(pool: &PgPool) -> (TcpProxy, PgConnectOptions) {
    let options = pool.connect_options();
    let target = match options.get_socket() {
        Some(dir) => Target::Unix(dir.join(format!(".s.PGSQL.{}", options.get_port()))),
        None => Target::Tcp(
            format!("{}:{}", options.get_host(), options.get_port())
                .parse()
                .or_else(|_| format!("127.0.0.1:{}", options.get_port()).parse())
                .expect("the cluster's address"),
        ),
    };
    let proxy = TcpProxy::start(target).expect("start the proxy");
    let mut through = PgConnectOptions::new()
        .host("127.0.0.1")
        .port(proxy.addr().port())
        .username(options.get_username());
    if let Some(database) = options.get_database() {
        through = through.database(database);
    }
    (proxy, through)
}

fn settings(mail: &SmtpSink) -> Settings {
    Settings::from_lookup(|name| match name {
        "APP_ENV" => Some("test".into()),
        "SMTP_URL" => Some(mail.url()),
        "LEPTOS_SITE_ROOT" => Some(crate::helpers::built_site_root().display().to_string()),
        "DATABASE_ACQUIRE_TIMEOUT_MS" => Some("500".into()),
        _ => None,
    })
    .expect("test settings")
}

async fn offices(base: &str) -> (u16, Option<String>, Duration) {
    let started = Instant::now();
    let r = crate::helpers::get_json(&format!("{base}/api/offices"), "").await;
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (r.status(), retry, started.elapsed())
}

async fn eventually_ready(base: &str, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let r = crate::helpers::get_json(&format!("{base}/readyz"), "").await;
        if r.status() == 200 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "not ready again: {} {}",
            r.status(),
            r.text()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_database_cut_gives_quick_503s_with_retry_after_and_service_comes_back(pool: PgPool) {
    let (proxy, through) = proxied(&pool);
    let mail = SmtpSink::start().unwrap();
    let settings = settings(&mail);
    let state = AppState::new(
        db::connect_lazy(through, &settings),
        Mailer::new(&settings).unwrap(),
        settings.clone(),
    );
    let app = TestApp::serve(state, mail).await;
    let (status, _, _) = offices(&app.base).await;
    assert_eq!(status, 200);

    proxy.cut();
    for _ in 0..3 {
        let (status, retry, took) = offices(&app.base).await;
        assert_eq!(status, 503, "JSON clients get 503");
        assert_eq!(retry.as_deref(), Some("5"));
        assert!(took < Duration::from_secs(1), "answered in {took:?}");
    }
    let json = crate::helpers::get_json(&app.url("/api/offices"), "").await;
    assert_eq!(json.json::<Value>()["kind"], "unavailable");
    // A citizen's page: the plain page, never a 500.
    let started = Instant::now();
    let page = app.get_with("/", &[("accept", "text/html")]).await;
    assert_eq!(page.status(), 503);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(page.headers().get("retry-after").is_some());
    assert!(
        page.text().contains("tạm thời gián đoạn"),
        "{}",
        page.text()
    );
    // A form posted while it is down: 503 too, nothing half-written.
    let posted = post_json(
        &app.url("/api/bookings/lookup"),
        &[("code", "ABCD234567"), ("phone", "0912345678")],
    )
    .await;
    assert_eq!(posted.status(), 503, "{}", posted.text());
    assert_eq!(app.get("/readyz").await.status(), 503);
    assert_eq!(app.get("/healthz").await.status(), 200);

    proxy.restore().expect("listen again");
    eventually_ready(&app.base, Duration::from_secs(10)).await;
    let (status, _, _) = offices(&app.base).await;
    assert_eq!(status, 200);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_server_starts_before_its_database_and_opens_once_migrated(pool: PgPool) {
    let (proxy, through) = proxied(&pool);
    proxy.cut();
    let mail = SmtpSink::start().unwrap();
    let settings = settings(&mail);
    let options = server::serve::leptos_options(&settings);
    let state = AppState::new(
        db::connect_lazy(through, &settings),
        Mailer::new(&settings).unwrap(),
        settings,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server::serve::run(
        listener,
        state.clone(),
        options,
        async {
            let _ = stopped.await;
        },
    ));

    // Up, but not ready: everything else is 503 until the migrations ran.
    assert_eq!(
        crate::helpers::get_json(&format!("{base}/healthz"), "")
            .await
            .status(),
        200
    );
    let ready = crate::helpers::get_json(&format!("{base}/readyz"), "").await;
    assert_eq!((ready.status(), ready.text().as_str()), (503, "starting"));
    let (status, retry, _) = offices(&base).await;
    assert_eq!(status, 503);
    assert!(retry.is_some());

    proxy.restore().expect("listen again");
    eventually_ready(&base, Duration::from_secs(20)).await;
    let (status, _, _) = offices(&base).await;
    assert_eq!(status, 200);

    // A graceful stop: connections drain, the workers stop, the pool closes.
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(30), running)
        .await
        .expect("stopped in time")
        .unwrap()
        .unwrap();
    assert!(state.pool.is_closed());
}
