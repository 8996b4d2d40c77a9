//! The e-mail outbox: each message sent once whatever the number of
//! workers, one row at a time under a lease; failures retried later and,
//! after the last retry, dead and shown to administrators with a resend
//! button; messages rendered at send time, so no row holds a working link;
//! reminders queued once.

use crate::helpers::booking::{book, cccd, office, slot, Form};
use crate::helpers::staff::staff;
use crate::helpers::{get_as, post_as, spawn_app, spawn_app_with};
use app::ssr::mail::Mailer;
use app::ssr::outbox::{self, About, Queued};
use app::ssr::{AppState, Settings};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

/// Waits until `n` messages are recorded as sent.
async fn wait_until_sent(pool: &PgPool, n: i64) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let sent: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE state = 'sent'")
            .fetch_one(pool)
            .await
            .unwrap();
        if sent == n {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{sent} of {n} sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A member waiting for their password link, and that link queued.
async fn link_queued(pool: &PgPool, n: usize) -> String {
    let email = format!("moi{n}@test.vn");
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO staff_accounts (email, display_name, role, password_hash) VALUES ($1, 'Cán bộ mới', 'officer', '!unset-x') RETURNING id",
    )
    .bind(&email)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut tx = pool.begin().await.unwrap();
    outbox::enqueue(
        &mut tx,
        &Queued::new("staff_password_link", About::Staff(id)).with(json!({ "first": true })),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    email
}

fn with_mailer(state: &AppState, mailer: Mailer) -> AppState {
    AppState {
        mailer,
        ..state.clone()
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn three_workers_send_every_message_exactly_once(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let mut recipients = Vec::new();
    for n in 0..40 {
        recipients.push(link_queued(&pool, n).await);
    }
    // The app's own worker runs too: three senders in all, one with a pool
    // of its own as another instance would have.
    let other = sqlx::postgres::PgPoolOptions::new()
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let second = AppState {
        pool: other,
        ..app.state.clone()
    };
    let worker = |state: AppState| async move {
        for _ in 0..60 {
            app::mailing::deliver_due(&state).await.unwrap();
        }
    };
    tokio::join!(worker(app.state.clone()), worker(second));
    wait_until_sent(&pool, 40).await;
    for to in &recipients {
        let got = app
            .mail
            .messages()
            .iter()
            .filter(|m| m.envelope_to.iter().any(|t| t == to))
            .count();
        assert_eq!(got, 1, "{to} got {got} messages");
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_failed_send_is_retried_later_and_a_leased_row_waits_for_its_lease(pool: PgPool) {
    // The app's own worker looks once at start-up, then not for an hour.
    let app = spawn_app_with(pool.clone(), &[("OUTBOX_POLL_MS", "3600000")]).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let to = link_queued(&pool, 1).await;

    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = Settings::from_lookup(|name| {
        (name == "SMTP_URL").then(|| format!("smtp://127.0.0.1:{closed_port}"))
    })
    .unwrap();
    let broken = with_mailer(&app.state, Mailer::new(&down).unwrap());
    assert!(app::mailing::deliver_due(&broken).await.unwrap());
    let (state, attempts, later, failure): (String, i32, bool, Option<String>) = sqlx::query_as(
        "SELECT state, attempts, next_attempt_at > now() + interval '20 seconds', last_failure FROM outbox",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((state.as_str(), attempts), ("queued", 1));
    assert!(later, "backs off before the next attempt");
    assert_eq!(
        failure.as_deref(),
        Some("connection"),
        "a code, not the SMTP text"
    );
    // Not due yet: nothing is taken.
    assert!(!app::mailing::deliver_due(&app.state).await.unwrap());

    // Due again, but a worker holds it (and died holding it): the others
    // leave it until the lease runs out.
    sqlx::query(
        "UPDATE outbox SET next_attempt_at = now(), leased_until = now() + interval '1 hour'",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert!(!app::mailing::deliver_due(&app.state).await.unwrap());
    sqlx::query("UPDATE outbox SET leased_until = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(app::mailing::deliver_due(&app.state).await.unwrap());
    app.mail_to(&to, "đặt mật khẩu").await;
    wait_until_sent(&pool, 1).await;

    // A worker that died during a message's last allowed attempt: the
    // maintenance pass declares it dead rather than leaving it queued.
    let other = link_queued(&pool, 2).await;
    let max = app.state.settings.outbox_max_attempts;
    sqlx::query("UPDATE outbox SET attempts = $1, leased_until = now() - interval '1 second' WHERE state = 'queued'")
        .bind(max)
        .execute(&pool)
        .await
        .unwrap();
    assert!(
        !app::mailing::deliver_due(&app.state).await.unwrap(),
        "not tried again"
    );
    assert_eq!(outbox::bury_interrupted(&pool, max).await.unwrap(), 1);
    let (state, failure): (String, String) =
        sqlx::query_as("SELECT state, last_failure FROM outbox WHERE state <> 'sent'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), failure.as_str()), ("dead", "interrupted"));
    assert!(!app
        .mail
        .messages()
        .iter()
        .any(|m| m.envelope_to.contains(&other)));
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_message_whose_smtp_always_fails_becomes_dead_shows_to_admins_and_can_be_resent(
    pool: PgPool,
) {
    let app = spawn_app_with(
        pool.clone(),
        &[("OUTBOX_MAX_ATTEMPTS", "3"), ("OUTBOX_RETRY_SECS", "1")],
    )
    .await;
    let o = office(&pool, "a").await;
    app.mail.refuse("mat@example.vn");
    let s = slot(&pool, o, "3 days", 2).await;
    let made = book(
        &app,
        &Form::valid(s, &cccd(1)).set("email", "mat@example.vn"),
    )
    .await;
    assert_eq!(made.status(), 200, "{}", made.text());
    let code = made.json::<Value>()["code"].as_str().unwrap().to_owned();

    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let state: String = sqlx::query_scalar("SELECT state FROM outbox")
            .fetch_one(&pool)
            .await
            .unwrap();
        if state == "dead" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still {state}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (attempts, failure): (i32, String) =
        sqlx::query_as("SELECT attempts, last_failure FROM outbox")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((attempts, failure.as_str()), (3, "smtp 451"));

    staff(&pool, "quantri@test.vn", "admin", &[o]).await;
    staff(&pool, "canbo@test.vn", "officer", &[o]).await;
    let (admin, _) = crate::helpers::staff::sign_in_admin(&app, "quantri@test.vn").await;
    let list = get_as(&app, &admin, "/api/staff/mail").await;
    assert_eq!(list.status(), 200, "{}", list.text());
    let body: Value = list.json();
    assert_eq!(body["count"], 1);
    let dead = &body["messages"][0];
    assert_eq!(dead["kind"], "booking_received");
    assert_eq!(dead["record"], code.as_str());
    assert_eq!(dead["reason"], "smtp 451");
    assert!(
        !list.text().contains('@'),
        "no address on the list: {}",
        list.text()
    );
    // The page lists it too, with its button.
    let page = crate::helpers::get_as(&app, &admin, "/staff/mail").await;
    assert!(page.text().contains(&code) && page.text().contains("/api/staff/mail/resend"));
    // Not for officers.
    let officer = crate::helpers::staff::sign_in(&app, "canbo@test.vn").await;
    assert_eq!(
        get_as(&app, &officer, "/api/staff/mail").await.status(),
        403
    );

    // The mail server is back; the administrator sends it again.
    app.mail.accept("mat@example.vn");
    let id = dead["id"].as_i64().unwrap().to_string();
    let resent = post_as(&app, &admin, "/api/staff/mail/resend", &[("id", &id)]).await;
    assert_eq!(resent.status(), 200, "{}", resent.text());
    app.mail_to("mat@example.vn", "đã nhận yêu cầu").await;
    wait_until_sent(&pool, 1).await;
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'mail.resend'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audited, 1);
    // Resending what is not dead finds nothing.
    let again = post_as(&app, &admin, "/api/staff/mail/resend", &[("id", &id)]).await;
    assert_eq!(again.status(), 404);
}

/// Every private link in `text`: `…?t=TOKEN`.
fn links(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| w.starts_with("http") && w.contains("?t="))
        .map(|w| {
            w.trim_end_matches(['.', ')', '"', '>'])
                .split('#')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn after_sending_no_outbox_row_holds_a_working_link(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let o = office(&pool, "a").await;
    let s = slot(&pool, o, "1 day", 4).await;
    let made = book(
        &app,
        &Form::valid(s, &cccd(1)).set("email", "link@example.vn"),
    )
    .await;
    assert_eq!(made.status(), 200, "{}", made.text());
    link_queued(&pool, 7).await;
    let received = app.mail_to("link@example.vn", "đã nhận yêu cầu").await;
    let welcome = app.mail_to("moi7@test.vn", "đặt mật khẩu").await;
    wait_until_sent(&pool, 2).await;

    let mut found = links(&received.text().unwrap());
    found.extend(links(&welcome.text().unwrap()));
    assert_eq!(found.len(), 2, "{found:?}");
    let table: Vec<String> = sqlx::query_scalar("SELECT row_to_json(o)::text FROM outbox o")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(table.len(), 2);
    for row in &table {
        assert!(!row.contains("http") && !row.contains("t="), "{row}");
        for link in &found {
            let token = link.rsplit("t=").next().unwrap();
            assert!(!row.contains(token), "the table holds a token: {row}");
        }
    }
    // The links that were sent work; the table holds none to try.
    for link in &found {
        let path = link.trim_start_matches(&app.state.settings.public_url);
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_day_before_a_confirmed_appointment_a_reminder_is_queued_once(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let office: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO offices (slug, name_vi, address_vi) VALUES ('nhac', 'Trụ sở nhắc', 'Số 3') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let slot: i64 = sqlx::query_scalar(
        "INSERT INTO slots (office_id, starts_at, ends_at, capacity)
         VALUES ($1, ((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1 + time '09:00')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh',
                     ((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1 + time '09:30')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh', 4)
         RETURNING id",
    )
    .bind(office)
    .fetch_one(&pool)
    .await
    .unwrap();
    let created = app
        .call(
            "/api/bookings/create",
            &[
                ("slot_id", &slot.to_string()),
                ("full_name", "Trần Thị Bích"),
                ("citizen_id", "079199012345"),
                ("phone", "0987654321"),
                ("email", "bich@example.vn"),
                ("topic", "petition"),
                ("summary", "Kiến nghị về việc cấp giấy chứng nhận."),
                ("party_size", "1"),
                ("consent", "true"),
            ],
            &[],
        )
        .await;
    assert_eq!(created.status(), 200, "{}", created.text());
    let code = created.json::<Value>()["code"].as_str().unwrap().to_owned();

    // Not yet confirmed: no reminder.
    assert_eq!(app::booking::repo::queue_reminders(&pool).await.unwrap(), 0);
    sqlx::query("UPDATE bookings SET status = 'confirmed'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(app::booking::repo::queue_reminders(&pool).await.unwrap(), 1);
    assert_eq!(
        app::booking::repo::queue_reminders(&pool).await.unwrap(),
        0,
        "queued once"
    );

    let reminder = app
        .mail_to("bich@example.vn", "nhắc lịch hẹn ngày mai")
        .await;
    assert!(reminder.subject().unwrap().contains(&code[..4]));
    let text = reminder.text().unwrap();
    assert!(text.contains("Hủy lịch hẹn này: http"), "{text}");
    // The link opens the booking's page, where one button cancels it.
    let link = text
        .lines()
        .find_map(|l| l.split_once("Hủy lịch hẹn này: "))
        .unwrap()
        .1
        .trim()
        .to_owned();
    let (url, fragment) = link.split_once('#').unwrap();
    assert_eq!(fragment, "cancel");
    let path = url.trim_start_matches(&app.state.settings.public_url);
    let page = app.get(path).await;
    assert_eq!(page.status(), 200);
    let html = page.text();
    assert!(html.contains(r#"id="cancel""#) && html.contains("Hủy lịch hẹn"));
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_booking_made_in_english_gets_english_mail(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), &[]).await;
    let office: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO offices (slug, name_vi, name_en, address_vi) VALUES ('anh', 'Trụ sở', 'The office', 'Số 4') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let slot: i64 = sqlx::query_scalar(
        "INSERT INTO slots (office_id, starts_at, ends_at, capacity) VALUES ($1, now() + interval '3 days', now() + interval '3 days 30 minutes', 2) RETURNING id",
    )
    .bind(office)
    .fetch_one(&pool)
    .await
    .unwrap();
    let created = app
        .call(
            "/api/bookings/create",
            &[
                ("slot_id", &slot.to_string()),
                ("full_name", "Le Van Tam"),
                ("citizen_id", "001099012399"),
                ("phone", "0912000111"),
                ("email", "tam@example.vn"),
                ("topic", "denunciation"),
                ("summary", "A denunciation about a public official."),
                ("party_size", "1"),
                ("consent", "true"),
            ],
            &[("accept-language", "en-GB,en;q=0.9")],
        )
        .await;
    assert_eq!(created.status(), 200, "{}", created.text());
    let mail = app.mail_to("tam@example.vn", "booking request").await;
    let text = mail.text().unwrap();
    assert!(
        text.contains("The office") && text.contains("Booking code"),
        "{text}"
    );
    assert!(mail.html().unwrap().contains("lang=\"en\""));
}
