use crate::helpers::spawn_app;
use app::ssr::mail::Email;
use sqlx::PgPool;
use std::time::Duration;

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_message_goes_through_smtp_and_reads_back_intact(pool: PgPool) {
    let app = spawn_app(pool).await;
    let email = Email {
        to: "Nguyễn Văn An <an.nguyen@example.vn>".parse().unwrap(),
        subject: "Lịch tiếp công dân đã được xác nhận".into(),
        text: "Kính gửi ông Nguyễn Văn An,\n\nLịch hẹn của ông đã được xác nhận.\n".into(),
        html: None,
        ics: None,
    };
    app.state
        .mailer
        .send(&email)
        .await
        .expect("the sink accepts the message");

    let received = app
        .mail
        .wait_for("an.nguyen@example.vn", Duration::from_secs(5))
        .expect("the message arrived");
    assert_eq!(received.envelope_from, "no-reply@tiepdan.local");
    assert_eq!(
        received.from_header().as_deref(),
        Some("Tiếp dân <no-reply@tiepdan.local>")
    );
    assert_eq!(
        received.subject().as_deref(),
        Some("Lịch tiếp công dân đã được xác nhận")
    );
    assert_eq!(received.text().unwrap().replace("\r\n", "\n"), email.text);
    assert_eq!(app.mail.messages().len(), 1);
}

#[tokio::test]
async fn an_unreachable_mail_server_is_an_error_not_a_hang() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = app::ssr::Settings::from_lookup(|name| {
        (name == "SMTP_URL").then(|| format!("smtp://127.0.0.1:{port}"))
    })
    .unwrap();
    let mailer = app::ssr::mail::Mailer::new(&settings).unwrap();
    let email = Email {
        to: "a@example.vn".parse().unwrap(),
        subject: "x".into(),
        text: "x".into(),
        html: None,
        ics: None,
    };
    let result = tokio::time::timeout(Duration::from_secs(30), mailer.send(&email)).await;
    assert!(
        matches!(result, Ok(Err(app::ssr::mail::MailError::Send(_)))),
        "{result:?}"
    );
}
