//! What one client can spend: bodies over 64 KB (declared or chunked) are
//! 413, a half-sent request is cut off at the header timeout, a body too
//! slow is 408 and an answer too slow 503, password hashing has a fixed
//! number of turns, and one client gets a bounded number of connections.

use crate::helpers::staff::{staff, PASSWORD};
use crate::helpers::{burst, post_with, spawn_app, spawn_app_with, TestApp};
use serde_json::Value;
use sqlx::PgPool;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

fn status_line(answer: &str) -> &str {
    answer.lines().next().unwrap_or("")
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_20_mb_body_is_413_whether_declared_or_chunked_and_the_server_goes_on(pool: PgPool) {
    let app = spawn_app(pool).await;
    let host = addr(&app);

    // Declared: refused from the Content-Length alone.
    let head = format!(
        "POST /api/bookings/create HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 20971520\r\n\r\n"
    );
    let declared = tokio::task::spawn_blocking({
        let app_base = app.base.clone();
        move || {
            let app = TestAppAddr(app_base);
            app.raw(&head, |s| {
                // Start sending; the answer comes before the body is read.
                let _ = s.write_all(&vec![b'a'; 256 * 1024]);
            })
        }
    })
    .await
    .unwrap();
    assert!(status_line(&declared).contains(" 413 "), "{declared}");
    assert!(
        declared.contains(r#"{"kind":"payload_too_large"}"#),
        "{declared}"
    );

    // Chunked: refused once it passes the limit.
    let head = format!(
        "POST /api/bookings/create HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let chunked = tokio::task::spawn_blocking({
        let app_base = app.base.clone();
        move || {
            let app = TestAppAddr(app_base);
            app.raw(&head, |s| {
                let chunk = vec![b'a'; 64 * 1024];
                for _ in 0..320 {
                    if s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                        .is_err()
                        || s.write_all(&chunk).is_err()
                        || s.write_all(b"\r\n").is_err()
                    {
                        break;
                    }
                }
            })
        }
    })
    .await
    .unwrap();
    assert!(status_line(&chunked).contains(" 413 "), "{chunked}");
    assert!(
        chunked.contains(r#"{"kind":"payload_too_large"}"#),
        "{chunked}"
    );

    // Just under the limit is read (and judged on its fields).
    let big_summary = "x".repeat(60 * 1024);
    let under = app
        .call("/api/bookings/create", &[("summary", &big_summary)], &[])
        .await;
    assert_eq!(under.status(), 422, "{}", under.text());

    // And the server answers the next request as ever.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// Raw requests from a blocking thread.
struct TestAppAddr(String);

impl TestAppAddr {
    fn raw(&self, head: &str, body: impl FnOnce(&mut TcpStream)) -> String {
        let mut stream = TcpStream::connect(self.0.trim_start_matches("http://")).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        body(&mut stream);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_half_sent_request_is_closed_at_the_header_timeout(pool: PgPool) {
    let app = spawn_app_with(pool, &[("HEADER_TIMEOUT_SECS", "2")]).await;
    let base = app.base.clone();
    let (elapsed, answer) = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let answer = TestAppAddr(base).raw("GET /healthz HTTP/1.1\r\nHost: x", |_| {});
        (started.elapsed(), answer)
    })
    .await
    .unwrap();
    assert!(
        elapsed >= Duration::from_millis(1500),
        "closed too early: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(5), "held open {elapsed:?}");
    assert!(!answer.contains("200 OK"), "{answer}");
    // An idle kept-alive connection is closed the same way.
    let base = app.base.clone();
    let elapsed = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let answer = TestAppAddr(base).raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", |_| {});
        assert!(answer.contains("200 OK"), "{answer}");
        started.elapsed()
    })
    .await
    .unwrap();
    assert!(
        elapsed < Duration::from_secs(5),
        "idle connection held {elapsed:?}"
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_body_too_slow_is_408_and_an_answer_too_slow_is_503(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), &[("REQUEST_TIMEOUT_SECS", "1")]).await;
    let host = addr(&app);
    let head = format!(
        "POST /api/bookings/lookup HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\ncode="
    );
    let base = app.base.clone();
    let slow = tokio::task::spawn_blocking(move || {
        TestAppAddr(base).raw(&head, |_| std::thread::sleep(Duration::from_secs(3)))
    })
    .await
    .unwrap();
    assert!(status_line(&slow).contains(" 408 "), "{slow}");
    assert!(slow.contains(r#"{"kind":"timeout"}"#), "{slow}");

    // A handler stuck behind a lock (here: the rate-limit row of this
    // client, held by a transaction the test keeps open).
    let mut blocker = pool.begin().await.unwrap();
    sqlx::query("INSERT INTO rate_limits (key, window_start, hits) VALUES ('lookup:203.0.113.50', to_timestamp(floor(extract(epoch FROM now()) / 900) * 900), 0)")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let started = Instant::now();
    let stuck = post_with(
        &app.url("/api/bookings/lookup"),
        &[("code", "ABCD234567"), ("phone", "0912345678")],
        &[("x-forwarded-for", "203.0.113.50")],
    )
    .await;
    assert_eq!(stuck.status(), 503, "{}", stuck.text());
    assert!(stuck.headers().get("retry-after").is_some());
    assert_eq!(stuck.json::<Value>()["kind"], "unavailable");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    blocker.rollback().await.unwrap();
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn password_hashing_takes_turns_and_a_full_queue_answers_503(pool: PgPool) {
    let app = spawn_app_with(
        pool.clone(),
        &[
            ("HASH_CONCURRENCY", "1"),
            ("HASH_QUEUE_MS", "1"),
            ("STAFF_LOGIN_FAILURES_PER_15_MIN", "1000"),
        ],
    )
    .await;
    let a = crate::helpers::booking::office(&pool, "a").await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let url = app.url("/api/staff/login");
    let counts = burst(40, |i| {
        let url = url.clone();
        async move {
            let addr = format!("198.51.100.{}", i + 1);
            let email = format!("nobody{i}@test.vn");
            post_with(
                &url,
                &[("email", &email), ("password", "whatever it is")],
                &[("x-forwarded-for", &addr)],
            )
            .await
        }
    })
    .await;
    let refused = counts.get(&503).copied().unwrap_or(0);
    assert!(
        refused > 0,
        "one turn and no queue must refuse some: {counts:?}"
    );
    assert_eq!(
        counts.get(&401).copied().unwrap_or(0) + refused,
        40,
        "{counts:?}"
    );
    // With the burst over, the member signs in.
    let ok = post_with(
        &url,
        &[("email", "letan@test.vn"), ("password", PASSWORD)],
        &[],
    )
    .await;
    assert_eq!(ok.status(), 200, "{}", ok.text());
    assert_eq!(app.state.hasher.available(), 1, "every turn was given back");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn one_client_gets_a_bounded_number_of_connections(pool: PgPool) {
    // Loopback is an ordinary client here, not a trusted proxy.
    let app = spawn_app_with(
        pool,
        &[
            ("MAX_CONNECTIONS_PER_CLIENT", "3"),
            ("TRUSTED_PROXIES", "10.0.0.0/8"),
        ],
    )
    .await;
    let base = app.base.clone();
    tokio::task::spawn_blocking(move || {
        let host = base.trim_start_matches("http://").to_owned();
        let held: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(&host).unwrap()).collect();
        std::thread::sleep(Duration::from_millis(200));
        // The fourth is closed without an answer.
        let mut fourth = TcpStream::connect(&host).unwrap();
        fourth
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let _ = fourth.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        let mut answer = Vec::new();
        let _ = fourth.read_to_end(&mut answer);
        assert!(!String::from_utf8_lossy(&answer).contains("200 OK"));
        // One closed: the next one is served.
        drop(held);
        std::thread::sleep(Duration::from_millis(200));
        let answer = TestAppAddr(base).raw(
            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            |_| {},
        );
        assert!(answer.contains("200 OK"), "{answer}");
    })
    .await
    .unwrap();
}
