//! The e-mail outbox: each message sent once whatever the number of
//! workers, failures retried later, reminders queued once.

use crate::helpers::{spawn_app, spawn_app_with};
use app::booking::{notify, repo};
use app::ssr::mail::Mailer;
use app::ssr::outbox::{self, Outgoing};
use app::ssr::Settings;
use serde_json::Value;
use sqlx::PgPool;

fn message(n: usize, to: &str) -> Outgoing {
    Outgoing {
        kind: "test",
        booking_id: None,
        case_id: None,
        to: to.to_owned(),
        subject: format!("Thư số {n}"),
        text: "Nội dung".into(),
        html: "<p>Nội dung</p>".into(),
        ics: None,
    }
}

/// Waits until `n` messages are recorded as sent (a worker commits just
/// after the SMTP server accepted the message).
async fn wait_until_sent(pool: &PgPool, n: i64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let sent: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL")
            .fetch_one(pool)
            .await
            .unwrap();
        if sent == n {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{sent} of {n} sent");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn two_workers_send_every_message_exactly_once(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let mut tx = pool.begin().await.unwrap();
    for n in 0..40 {
        outbox::enqueue(&mut tx, &message(n, "hai@example.vn"))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    // The app's own worker runs too: three senders in all.
    let other = sqlx::postgres::PgPoolOptions::new()
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let mailer = app.state.mailer.clone();
    let worker = |pool: PgPool, mailer: Mailer| async move {
        for _ in 0..50 {
            outbox::deliver_due(&pool, &mailer, 3).await.unwrap();
        }
    };
    tokio::join!(worker(pool.clone(), mailer.clone()), worker(other, mailer));
    // Rows the app's worker still holds are finished by it.
    wait_until_sent(&pool, 40).await;
    let mut subjects: Vec<String> = app
        .mail
        .messages()
        .iter()
        .filter(|m| m.envelope_to.iter().any(|t| t == "hai@example.vn"))
        .filter_map(|m| m.subject())
        .collect();
    subjects.sort();
    let mut unique = subjects.clone();
    unique.dedup();
    assert_eq!(subjects.len(), 40, "{subjects:?}");
    assert_eq!(unique.len(), 40, "a message was sent twice");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_failed_send_is_retried_later_and_then_delivered(pool: PgPool) {
    // The app's own worker looks once at start-up, then not for an hour.
    let app = spawn_app_with(pool.clone(), &[("OUTBOX_POLL_MS", "3600000")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut tx = pool.begin().await.unwrap();
    outbox::enqueue(&mut tx, &message(1, "lai@example.vn"))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = Settings::from_lookup(|name| {
        (name == "SMTP_URL").then(|| format!("smtp://127.0.0.1:{closed_port}"))
    })
    .unwrap();
    let broken = Mailer::new(&down).unwrap();
    let round = outbox::deliver_due(&pool, &broken, 10).await.unwrap();
    assert_eq!((round.sent, round.retried, round.failed), (0, 1, 0));
    let (attempts, later, error): (i32, bool, Option<String>) = sqlx::query_as(
        "SELECT attempts, next_attempt_at > now() + interval '20 seconds', last_error FROM outbox",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(attempts, 1);
    assert!(later, "backs off before the next attempt");
    assert!(error.is_some());
    // Not due yet: nothing is taken.
    let early = outbox::deliver_due(&pool, &app.state.mailer, 10)
        .await
        .unwrap();
    assert_eq!(early.sent + early.retried, 0);

    // Once due, a working mail server gets it.
    sqlx::query("UPDATE outbox SET next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    let round = outbox::deliver_due(&pool, &app.state.mailer, 10)
        .await
        .unwrap();
    assert_eq!(round.sent, 1);
    app.mail_to("lai@example.vn", "Thư số 1").await;
    wait_until_sent(&pool, 1).await;
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
    let public_url = app.state.settings.public_url.clone();
    let mail = move |b: &repo::BookingRow, token: &str| {
        notify::message(notify::MailKind::Reminder, b, &public_url, token)
    };

    // Not yet confirmed: no reminder.
    assert_eq!(repo::queue_reminders(&pool, &mail).await.unwrap(), 0);
    sqlx::query("UPDATE bookings SET status = 'confirmed'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(repo::queue_reminders(&pool, &mail).await.unwrap(), 1);
    assert_eq!(
        repo::queue_reminders(&pool, &mail).await.unwrap(),
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
