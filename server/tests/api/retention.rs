//! Retention: the purge anonymises or deletes exactly what the table says at
//! the age it says and nothing younger, twice changes nothing, reports read
//! the same after it, concurrent purges never touch a row twice, and the
//! dry run (also from the command line) counts without changing anything.

use crate::helpers::booking::{book, cccd, office, slot, Form};
use crate::helpers::cases::case_with_code;
use crate::helpers::staff::{sign_in, staff};
use crate::helpers::{get_as, spawn_app, TestApp};
use app::retention::purge::{self, Counts};
use app::retention::{DataClass, Retention};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// A booking made through the API, then put `days_ago` in the past (its
/// slot and its last change) in `status`.
async fn booking_aged(
    app: &TestApp,
    pool: &PgPool,
    office: Uuid,
    n: u32,
    status: &str,
    days_ago: i32,
) -> String {
    let future = slot(pool, office, &format!("3 days {n} minutes"), 10).await;
    let r = book(app, &Form::valid(future, &cccd(n))).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    let code = r.json::<Value>()["code"].as_str().unwrap().to_owned();
    // Its e-mail goes out first: sending mints the link it carries, which
    // expires with the slot, and the slot is about to move.
    mail_settled(pool).await;
    if days_ago > 0 {
        // A slot of its own `days_ago` days back (minutes apart, so slots
        // never collide), holding this one booking.
        let past = slot(pool, office, &format!("-{days_ago} days -{n} minutes"), 10).await;
        sqlx::query("UPDATE slots SET taken = taken - 1 WHERE id = $1")
            .bind(future)
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("UPDATE slots SET taken = 1 WHERE id = $1")
            .bind(past)
            .execute(pool)
            .await
            .unwrap();
        sqlx::query(
            "UPDATE bookings SET slot_id = $2, status = $3, updated_at = now() - make_interval(days => $4) WHERE code = $1",
        )
        .bind(&code)
        .bind(past)
        .bind(status)
        .bind(days_ago)
        .execute(pool)
        .await
        .unwrap();
    } else {
        sqlx::query("UPDATE bookings SET status = $2 WHERE code = $1")
            .bind(&code)
            .bind(status)
            .execute(pool)
            .await
            .unwrap();
    }
    code
}

/// The whole row, as text.
async fn row_of(pool: &PgPool, table: &str, code: &str) -> String {
    sqlx::query_scalar(&format!(
        "SELECT row_to_json(t)::text FROM {table} t WHERE code = $1"
    ))
    .bind(code)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// Everything a purge could touch, as one text: equal texts, nothing
/// changed. The outbox's own mail (whose delivery the running worker moves
/// along) is left out; the test's `reminder` rows are in.
async fn snapshot(pool: &PgPool) -> String {
    let mut all = String::new();
    for table in [
        "bookings t",
        "booking_notes t",
        "booking_events t",
        "booking_proposals t",
        "booking_tokens t",
        "cases t",
        "case_tokens t",
        "waitlist_entries t",
        "outbox t WHERE kind = 'reminder'",
        "rate_limits t",
        "staff_sessions t",
        "form_drafts t",
    ] {
        let rows: Option<String> = sqlx::query_scalar(&format!(
            "SELECT string_agg(row_to_json(t)::text, E'\\n' ORDER BY row_to_json(t)::text) FROM {table}"
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        all.push_str(&format!("{table}:\n{}\n", rows.unwrap_or_default()));
    }
    all
}

async fn waiting_entry(
    pool: &PgPool,
    office: Uuid,
    code: &str,
    state: &str,
    day_offset: i32,
    days_ago: i32,
) {
    sqlx::query(
        r#"
        INSERT INTO waitlist_entries (code, office_id, day, state, full_name, citizen_id, phone, email,
                                      topic, summary, party_size, locale, consent_version, consented_at,
                                      created_at, updated_at)
        VALUES ($1, $2, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + $4, $3, 'Lê Thị Chờ', '001099000777',
                '0911222333', 'cho@example.vn', 'petition', 'Kiến nghị về đường làng.', 1, 'vi', '2026-11-28',
                now(), now() - make_interval(days => $5), now() - make_interval(days => $5))
        "#,
    )
    .bind(code)
    .bind(office)
    .bind(state)
    .bind(day_offset)
    .bind(days_ago)
    .execute(pool)
    .await
    .unwrap();
}

/// Waits until the outbox has sent everything due (the row queued for a
/// year from now stays).
async fn mail_settled(pool: &PgPool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let due: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM outbox WHERE state = 'queued' AND next_attempt_at < now() + interval '1 day'",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        if due == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{due} e-mails still due"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn report(app: &TestApp, officer: &str) -> Value {
    let r = get_as(
        app,
        officer,
        "/api/staff/reports?from=2025-01-01&to=2027-12-31",
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    r.json()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_purge_takes_exactly_what_the_table_says_at_its_age_and_reports_read_the_same(
    pool: PgPool,
) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let officer_id = staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;

    // Bookings: finished over a year ago (completed; and two confirmed
    // whose day went by unrecorded), finished 300 days ago, and to come.
    let old = booking_aged(&app, &pool, a, 1, "completed", 400).await;
    let old_open = booking_aged(&app, &pool, a, 2, "confirmed", 380).await;
    let old_open_2 = booking_aged(&app, &pool, a, 3, "confirmed", 370).await;
    let young = booking_aged(&app, &pool, a, 4, "cancelled", 300).await;
    let coming = booking_aged(&app, &pool, a, 5, "confirmed", 0).await;
    for code in [&old, &young] {
        sqlx::query("INSERT INTO booking_notes (booking_id, author_id, body) SELECT id, $2, 'Ông An gọi lại số 0912345678' FROM bookings WHERE code = $1")
            .bind(code)
            .bind(officer_id)
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO booking_events (booking_id, actor, status, note) SELECT id, 'citizen', 'cancelled', 'Ông An bận việc nhà' FROM bookings WHERE code = $1")
            .bind(code)
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO booking_proposals (booking_id, slot_id, message, proposed_by, expires_at, closed_at, outcome) SELECT id, slot_id, 'Mời ông An đến sớm hơn', $2, now(), now(), 'declined' FROM bookings WHERE code = $1")
            .bind(code)
            .bind(officer_id)
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO booking_tokens (token_hash, booking_id, expires_at) SELECT sha256(code::bytea), id, now() + interval '30 days' FROM bookings WHERE code = $1")
            .bind(code)
            .execute(&pool)
            .await
            .unwrap();
    }

    // Cases: closed six years ago, closed four years ago, open for six.
    for (code, status, years) in [
        ("C2222222B2", "closed", 6),
        ("C2222222B3", "closed", 4),
        ("C2222222B4", "verifying", 6),
    ] {
        case_with_code(&pool, a, code, "complaint").await;
        sqlx::query("UPDATE cases SET status = $2, email = 'binh@example.vn', updated_at = now() - make_interval(years => $3) WHERE code = $1")
            .bind(code)
            .bind(status)
            .bind(years)
            .execute(&pool)
            .await
            .unwrap();
    }

    // Waiting-list entries: lapsed 40 days ago, left 10 days ago, still
    // waiting for a day to come, waiting for a day 40 days gone.
    waiting_entry(&pool, a, "W2222222A2", "lapsed", -40, 40).await;
    waiting_entry(&pool, a, "W2222222A3", "left", 5, 10).await;
    waiting_entry(&pool, a, "W2222222A4", "waiting", 5, 1).await;
    waiting_entry(&pool, a, "W2222222A5", "waiting", -40, 45).await;

    // Mail sent 100 and 10 days ago, one still queued from long ago.
    sqlx::query(
        "INSERT INTO outbox (kind, state, done_at, next_attempt_at) VALUES
         ('reminder', 'sent', now() - interval '100 days', now() + interval '1 year'),
         ('reminder', 'sent', now() - interval '10 days', now() + interval '1 year'),
         ('reminder', 'queued', NULL, now() + interval '1 year')",
    )
    .execute(&pool)
    .await
    .unwrap();
    // Expired links, windows, sessions and drafts beside live ones.
    sqlx::query("INSERT INTO booking_tokens (token_hash, booking_id, expires_at) SELECT sha256(('x' || code)::bytea), id, now() - interval '1 hour' FROM bookings WHERE code = $1")
        .bind(&coming)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO rate_limits (key, window_start, hits) VALUES ('book:203.0.113.9', now() - interval '2 days', 3), ('book:203.0.113.9', now(), 1)")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO staff_sessions (id, record, expires_at) VALUES ('gone', '{}', now() - interval '1 minute'), ('live', '{}', now() + interval '1 hour')")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO form_drafts (data, expires_at) VALUES ('{}', now() - interval '1 minute'), ('{}', now() + interval '5 minutes')")
        .execute(&pool)
        .await
        .unwrap();

    let before_report = report(&app, &officer).await;
    let (young_before, coming_before) = (
        row_of(&pool, "bookings", &young).await,
        row_of(&pool, "bookings", &coming).await,
    );
    let (case_young_before, case_open_before) = (
        row_of(&pool, "cases", "C2222222B3").await,
        row_of(&pool, "cases", "C2222222B4").await,
    );

    // The dry run counts what the run then does, and changes nothing.
    let untouched = snapshot(&pool).await;
    let dry = purge::dry_run(&pool, &Retention::default()).await.unwrap();
    assert_eq!(
        snapshot(&pool).await,
        untouched,
        "the dry run changed something"
    );

    // Batches of two: three bookings due take two batches.
    let done = purge::run(&pool, &Retention::default(), 2).await.unwrap();
    assert_eq!(done, dry, "the dry run's counts are the run's");
    let expected = [
        (DataClass::Bookings, 3),
        // The notes of `old` went with its anonymisation; `young`'s stay.
        (DataClass::BookingNotes, 0),
        (DataClass::WaitlistEntries, 2),
        (DataClass::CaseContacts, 1),
        (DataClass::SentMail, 1),
        (DataClass::PrivateLinks, 1),
        (DataClass::RateLimitWindows, 1),
        (DataClass::StaffSessions, 1),
        (DataClass::FormDrafts, 1),
    ];
    for (class, n) in expected {
        assert_eq!(done.get(class), n, "{class:?}: {done:?}");
    }

    // Nothing personal is left on the anonymised bookings.
    for code in [&old, &old_open, &old_open_2] {
        let row = row_of(&pool, "bookings", code).await;
        for personal in [
            "Nguyễn Văn An",
            "0912345678",
            "an.nguyen@example.vn",
            "001000000",
            "thu hồi đất",
        ] {
            assert!(!row.contains(personal), "{personal} left in {row}");
        }
        assert!(row.contains("\"anonymised_at\":\"2"), "{row}");
    }
    let booking_id = format!("(SELECT id FROM bookings WHERE code = '{old}')");
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) FROM booking_notes WHERE booking_id = {booking_id}")
        )
        .await,
        0
    );
    assert_eq!(count(&pool, &format!("SELECT count(*) FROM booking_events WHERE booking_id = {booking_id} AND note IS NOT NULL")).await, 0);
    assert_eq!(count(&pool, &format!("SELECT count(*) FROM booking_proposals WHERE booking_id = {booking_id} AND message <> ''")).await, 0);
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) FROM booking_tokens WHERE booking_id = {booking_id}")
        )
        .await,
        0
    );

    // Younger and live rows are exactly as they were.
    assert_eq!(row_of(&pool, "bookings", &young).await, young_before);
    assert_eq!(row_of(&pool, "bookings", &coming).await, coming_before);
    assert_eq!(
        row_of(&pool, "cases", "C2222222B3").await,
        case_young_before
    );
    assert_eq!(row_of(&pool, "cases", "C2222222B4").await, case_open_before);
    let young_id = format!("(SELECT id FROM bookings WHERE code = '{young}')");
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) FROM booking_notes WHERE booking_id = {young_id}")
        )
        .await,
        1
    );
    let case = row_of(&pool, "cases", "C2222222B2").await;
    for personal in [
        "Trần Thị Bình",
        "001099000123",
        "0987654321",
        "binh@example.vn",
    ] {
        assert!(!case.contains(personal), "{personal} left in {case}");
    }
    let waiting: Vec<String> =
        sqlx::query_scalar("SELECT code FROM waitlist_entries ORDER BY code")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(waiting, ["W2222222A3", "W2222222A4"]);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM outbox WHERE kind = 'reminder'").await,
        2
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM rate_limits WHERE key = 'book:203.0.113.9'"
        )
        .await,
        1
    );
    let sessions: Vec<String> =
        sqlx::query_scalar("SELECT id FROM staff_sessions WHERE id IN ('gone', 'live')")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(sessions, ["live"]);
    assert_eq!(count(&pool, "SELECT count(*) FROM form_drafts").await, 1);

    // The reports over the purged period read the same.
    assert_eq!(report(&app, &officer).await, before_report);

    // A second run finds nothing and changes nothing.
    let after_first = snapshot(&pool).await;
    let again = purge::run(&pool, &Retention::default(), 2).await.unwrap();
    assert_eq!(again.total(), 0, "{again:?}");
    assert_eq!(snapshot(&pool).await, after_first);

    // A shorter notes period clears `young`'s notes, and only them.
    let notes = Retention::default().with(DataClass::BookingNotes, 200);
    let done = purge::run(&pool, &notes, 2).await.unwrap();
    assert_eq!(done.get(DataClass::BookingNotes), 1, "{done:?}");
    assert_eq!(done.total(), 1);
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) FROM booking_notes WHERE booking_id = {young_id}")
        )
        .await,
        0
    );
    assert!(row_of(&pool, "bookings", &young)
        .await
        .contains("Nguyễn Văn An"));

    // The anonymised citizen can book again at once.
    let next = slot(&pool, a, "4 days", 5).await;
    let r = book(&app, &Form::valid(next, &cccd(2))).await;
    assert_eq!(r.status(), 200, "{}", r.text());
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn purges_running_at_once_never_take_a_row_twice(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    for n in 1..=12 {
        booking_aged(&app, &pool, a, n, "completed", 400).await;
    }
    // Eight purges at once, one row per batch: every batch locks its row
    // and skips the others', so the counts add up to exactly twelve.
    let mut runs = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let pool = pool.clone();
        runs.spawn(async move { purge::run(&pool, &Retention::default(), 1).await });
    }
    let mut total = 0;
    while let Some(run) = runs.join_next().await {
        let counts: Counts = run.unwrap().unwrap();
        total += counts.get(DataClass::Bookings);
    }
    assert_eq!(total, 12);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM bookings WHERE anonymised_at IS NULL"
        )
        .await,
        0
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn server_purge_dry_run_prints_what_would_go_by_class_and_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    booking_aged(&app, &pool, a, 1, "no_show", 500).await;
    booking_aged(&app, &pool, a, 2, "completed", 10).await;
    let before = snapshot(&pool).await;

    // The test database, reached the way the pool reaches it: `make test`'s
    // cluster listens on a socket directory only, a given DATABASE_URL may
    // be TCP.
    let options = pool.connect_options();
    let mut url = format!(
        "postgres://{}@{}:{}/{}",
        options.get_username(),
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("postgres"),
    );
    if let Some(dir) = options.get_socket() {
        url.push_str(&format!("?host={}", dir.display()));
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["purge", "--dry-run"])
        .env("DATABASE_URL", url)
        .env("APP_ENV", "test")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("bookings "))
        .unwrap_or_else(|| panic!("a bookings line in:\n{stdout}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cells.last(), Some(&"1"), "{line}");
    assert!(
        line.contains("365 days") && line.contains("anonymise"),
        "{line}"
    );
    assert!(stdout.contains("dry run: nothing was changed"), "{stdout}");
    assert_eq!(snapshot(&pool).await, before);
}

#[test]
fn docs_retention_names_every_class_its_variable_and_default() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/retention.md"))
            .unwrap();
    for rule in &app::retention::policy::TABLE {
        let cell = format!("`{}` ({}", rule.var, rule.default_days);
        assert!(text.contains(&cell), "docs/retention.md lacks {cell}");
    }
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../.env.example")).unwrap();
    for rule in &app::retention::policy::TABLE {
        assert!(
            example.contains(rule.var),
            ".env.example lacks {}",
            rule.var
        );
    }
}
