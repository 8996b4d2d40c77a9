//! A citizen's rights over their booking's personal data: the download
//! holds every personal field and nothing of anyone else's, opens only with
//! a private link or the CCCD typed again, and is never a redirect; the
//! withdrawal of consent frees a future booking's place and leaves no
//! personal field, or after the reception erases only the contact; bursts
//! of both hold.

use crate::helpers::booking::{book, field_codes, office, slot, taken, Form};
use crate::helpers::{burst, spawn_app, spawn_app_with, TestApp};
use serde_json::Value;
use sqlx::PgPool;

const DATA: &str = "/api/bookings/data";
const WITHDRAW: &str = "/api/bookings/withdraw";

/// A booking made by a browser without JavaScript: its code and the
/// private link's token its first page opened with.
async fn ticket(app: &TestApp, form: &Form) -> (String, String) {
    let response = app
        .post_form("/api/bookings/create", &form.pairs(), "/book/a")
        .await;
    assert_eq!(response.status(), 302, "{}", response.text());
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let token = location
        .strip_prefix("/my-booking?t=")
        .expect("the ticket page")
        .to_owned();
    let page = app.get(&location).await.text();
    let code = page
        .split("data-code=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the code on the ticket")
        .to_owned();
    (code, token)
}

/// The token of the short link a code + phone look-up makes.
async fn lookup_token(app: &TestApp, code: &str, phone: &str) -> String {
    let response = app
        .post_form(
            "/api/bookings/lookup",
            &[("code", code), ("phone", phone)],
            "/my-booking",
        )
        .await;
    assert_eq!(response.status(), 302, "{}", response.text());
    let location = response.headers()["location"].to_str().unwrap();
    location
        .strip_prefix("/my-booking?t=")
        .expect("the ticket page")
        .to_owned()
}

fn rich_form(slot: i64) -> Form {
    Form::valid(slot, "001085123456")
        .set("full_name", "Trần Thị Bích Ngọc")
        .set("phone", "0987 654 321")
        .set("email", "ngoc.tran@example.vn")
        .set("summary", "Khiếu nại việc bồi thường đất ở thôn Đông.")
        .set("party_size", "6")
        .set("representatives", "Trần Văn Một\nLê Thị Hai")
        .set("needs", "Xe lăn")
        .set("interpreter", "true")
        .set("consent", "on")
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_download_holds_every_personal_field_and_nothing_of_anyone_elses(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 10).await;
    let (code, token) = ticket(&app, &rich_form(s)).await;
    // Someone else at the same office and time.
    let other = Form::valid(s, "001099765432")
        .set("full_name", "Phạm Văn Khác")
        .set("phone", "0933 111 222")
        .set("email", "khac.pham@example.vn")
        .set("summary", "Kiến nghị về đèn đường ngõ 12.");
    assert_eq!(book(&app, &other).await.status(), 200);

    let response = app.call(DATA, &[("token", &token)], &[]).await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"tiep-dan-{code}.json\"")
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let text = response.text();
    let data: Value = response.json();
    assert_eq!(data["code"], code.as_str());
    assert_eq!(data["citizen"]["full_name"], "Trần Thị Bích Ngọc");
    assert_eq!(data["citizen"]["citizen_id"], "001085123456");
    assert_eq!(data["citizen"]["phone"], "0987654321");
    assert_eq!(data["citizen"]["email"], "ngoc.tran@example.vn");
    assert_eq!(
        data["visit"]["summary"],
        "Khiếu nại việc bồi thường đất ở thôn Đông."
    );
    assert_eq!(data["visit"]["party_size"], 6);
    assert_eq!(
        data["visit"]["representatives"],
        serde_json::json!(["Trần Văn Một", "Lê Thị Hai"])
    );
    assert_eq!(data["visit"]["needs"], "Xe lăn");
    assert_eq!(data["visit"]["interpreter"], true);
    assert_eq!(data["visit"]["topic"], "complaint");
    assert_eq!(data["basis"]["legal_basis"], "consent");
    assert_eq!(data["basis"]["consent_version"], "2026-11-28");
    assert!(data["basis"]["consent_text"]
        .as_str()
        .unwrap()
        .starts_with("Tôi đồng ý"));
    assert_eq!(data["history"][0]["step"], "requested");
    assert!(data["mail"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["kind"] == "booking_received"));
    for theirs in [
        "Phạm Văn Khác",
        "001099765432",
        "0933111222",
        "khac.pham",
        "đèn đường",
    ] {
        assert!(!text.contains(theirs), "another citizen's {theirs}");
    }

    // A browser without JavaScript gets the file, not a redirect.
    let plain = app
        .post_form(
            DATA,
            &[("token", &token)],
            &format!("/my-booking?t={token}"),
        )
        .await;
    assert_eq!(plain.status(), 200, "{}", plain.text());
    assert!(
        plain.headers().get("location").is_none(),
        "{:?}",
        plain.headers()
    );
    assert!(plain.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(
        plain.json::<Value>()["citizen"]["citizen_id"],
        "001085123456"
    );

    // Code + phone + the full CCCD also opens it; code + phone alone does not.
    let by_code = app
        .call(
            DATA,
            &[
                ("code", &code),
                ("phone", "0987654321"),
                ("citizen_id", "001085123456"),
            ],
            &[],
        )
        .await;
    assert_eq!(by_code.status(), 200, "{}", by_code.text());
    let no_cccd = app
        .call(DATA, &[("code", &code), ("phone", "0987654321")], &[])
        .await;
    assert_eq!(no_cccd.status(), 422);
    assert_eq!(
        field_codes(&no_cccd),
        [("citizen_id".to_owned(), "required".to_owned())]
    );
    let wrong = app
        .call(
            DATA,
            &[
                ("code", &code),
                ("phone", "0987654321"),
                ("citizen_id", "001099765432"),
            ],
            &[],
        )
        .await;
    assert_eq!(wrong.status(), 404, "a wrong CCCD reads as a wrong code");

    // A look-up's link proves code + phone only: it needs the CCCD too.
    let short = lookup_token(&app, &code, "0987654321").await;
    let refused = app.call(DATA, &[("token", &short)], &[]).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        field_codes(&refused),
        [("citizen_id".to_owned(), "required".to_owned())]
    );
    let mismatch = app
        .call(
            DATA,
            &[("token", &short), ("citizen_id", "001099765432")],
            &[],
        )
        .await;
    assert_eq!(
        field_codes(&mismatch),
        [("citizen_id".to_owned(), "citizen_id_mismatch".to_owned())]
    );
    let opened = app
        .call(
            DATA,
            &[("token", &short), ("citizen_id", "0010 8512 3456")],
            &[],
        )
        .await;
    assert_eq!(opened.status(), 200, "{}", opened.text());

    // A refused plain post goes back to the page with no CCCD in the URL.
    let back = app
        .post_form(
            DATA,
            &[("token", &short), ("citizen_id", "001099765432")],
            &format!("/my-booking?t={short}"),
        )
        .await;
    assert_eq!(back.status(), 302);
    let location = back.headers()["location"].to_str().unwrap();
    assert!(!location.contains("001099765432") && !location.contains("0987654321"));

    // The ticket page lists the data, the CCCD shortened.
    let page = app.get(&format!("/my-booking?t={token}")).await.text();
    assert!(page.contains("Dữ liệu cá nhân của ông/bà"));
    assert!(page.contains("kết thúc bằng 456"));
    assert!(page.contains("Xe lăn") && page.contains("ngoc.tran@example.vn"));
    assert!(!page.contains("001085123456"), "never the whole CCCD");
    let looked_up = app.get(&format!("/my-booking?t={short}")).await.text();
    assert!(
        looked_up.contains("name=\"citizen_id\""),
        "a look-up's page asks for the CCCD before the download"
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn guessing_the_cccd_behind_a_lookup_link_is_throttled_in_a_burst(pool: PgPool) {
    crate::helpers::fresh_limit_window(&pool).await;
    let app = spawn_app_with(pool.clone(), &[("LOOKUP_FAILURES_PER_15_MIN", "5")]).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 10).await;
    let (code, _) = ticket(&app, &rich_form(s)).await;
    let short = lookup_token(&app, &code, "0987654321").await;
    let url = app.url(DATA);
    let counts = burst(30, |i| {
        let url = url.clone();
        let short = short.clone();
        async move {
            let guess = format!("0010851{:05}", 20_000 + i);
            crate::helpers::post_with(&url, &[("token", &short), ("citizen_id", &guess)], &[]).await
        }
    })
    .await;
    assert_eq!(counts.get(&200), None, "{counts:?}");
    assert!(
        counts.get(&422).copied().unwrap_or(0) <= 5,
        "at most the limit's guesses are answered: {counts:?}"
    );
    assert!(counts.get(&429).copied().unwrap_or(0) >= 25, "{counts:?}");
    // While throttled, even the right CCCD waits.
    let right = app
        .call(
            DATA,
            &[("token", &short), ("citizen_id", "001085123456")],
            &[],
        )
        .await;
    assert_eq!(right.status(), 429, "after {counts:?}: {}", right.text());
}

async fn row(pool: &PgPool, code: &str) -> Value {
    sqlx::query_scalar("SELECT to_jsonb(b) - 'id' - 'code' FROM bookings b WHERE code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn withdrawing_consent_on_a_future_booking_frees_its_place_and_leaves_no_personal_field(
    pool: PgPool,
) {
    // The burst's late requests find the link gone: failed look-ups, which
    // must not be what stops them here.
    let app = spawn_app_with(pool.clone(), &[("LOOKUP_FAILURES_PER_15_MIN", "100")]).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 1).await;
    let (code, token) = ticket(&app, &rich_form(s)).await;
    assert_eq!(taken(&pool, s).await, 1);

    let unconfirmed = app.call(WITHDRAW, &[("token", &token)], &[]).await;
    assert_eq!(unconfirmed.status(), 422);
    assert_eq!(
        field_codes(&unconfirmed),
        [("confirm".to_owned(), "confirm_withdrawal".to_owned())]
    );
    assert_eq!(taken(&pool, s).await, 1, "nothing done without the box");

    // Ten at once (a double tap, a flaky connection): one withdrawal.
    let url = app.url(WITHDRAW);
    let counts = burst(10, |_| {
        let url = url.clone();
        let token = token.clone();
        async move {
            crate::helpers::post_with(&url, &[("token", &token), ("confirm", "on")], &[]).await
        }
    })
    .await;
    assert!(counts.get(&200).copied().unwrap_or(0) >= 1, "{counts:?}");
    assert_eq!(
        counts.keys().filter(|s| **s != 200 && **s != 404).count(),
        0,
        "the rest find the link gone: {counts:?}"
    );
    assert_eq!(taken(&pool, s).await, 0, "the place freed once");
    let steps: Vec<String> = sqlx::query_scalar(
        "SELECT e.status FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE b.code = $1 ORDER BY e.id",
    )
    .bind(&code)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(steps, ["requested", "cancelled", "consent_withdrawn"]);

    let b = row(&pool, &code).await;
    assert_eq!(b["status"], "cancelled");
    assert_eq!(b["full_name"], "Ẩn danh");
    assert_eq!(b["citizen_id"], "000000000000");
    assert_eq!(b["phone"], "0000000000");
    assert_eq!(b["email"], Value::Null);
    assert_eq!(b["summary"], "Đã xoá theo thời hạn lưu trữ.");
    assert_eq!(b["representatives"], serde_json::json!([]));
    assert_eq!(b["needs"], "");
    assert!(b["anonymised_at"].is_string() && b["consent_withdrawn_at"].is_string());
    let text = b.to_string();
    for personal in [
        "Ngọc",
        "001085123456",
        "0987654321",
        "ngoc.tran",
        "thôn Đông",
        "Xe lăn",
        "Trần Văn Một",
    ] {
        assert!(!text.contains(personal), "{personal} left in {text}");
    }
    let links: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM booking_tokens t JOIN bookings b ON b.id = t.booking_id WHERE b.code = $1",
    )
    .bind(&code)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(links, 0);
    assert_eq!(
        app.call(DATA, &[("token", &token)], &[]).await.status(),
        404
    );

    // The same citizen, and anyone else, can take the place again.
    let again = book(&app, &rich_form(s)).await;
    assert_eq!(again.status(), 200, "{}", again.text());
    assert_eq!(taken(&pool, s).await, 1);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_plain_withdrawal_lands_on_a_page_saying_what_was_done(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 2).await;
    let (_, token) = ticket(&app, &rich_form(s)).await;
    let page = format!("/my-booking?t={token}");
    let refused = app.post_form(WITHDRAW, &[("token", &token)], &page).await;
    assert_eq!(refused.status(), 302);
    let back = refused.headers()["location"].to_str().unwrap().to_owned();
    let back = back.trim_start_matches(&app.url("")).to_owned();
    assert!(back.starts_with("/my-booking?t="), "{back}");
    let shown = app.get(&back).await.text();
    assert!(shown.contains("Đánh dấu ô xác nhận để rút lại sự đồng ý."));

    let done = app
        .post_form(WITHDRAW, &[("token", &token), ("confirm", "true")], &page)
        .await;
    assert_eq!(done.status(), 302);
    let location = done.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, "/my-booking?withdrawn=cancelled");
    let landed = app.get(&location).await;
    assert_eq!(landed.status(), 200);
    assert!(landed.text().contains("Lịch hẹn đã được huỷ"));
    // The ticket is gone with the data.
    let gone = app.get(&page).await.text();
    assert!(gone.contains("name=\"code\""), "the look-up form instead");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn after_the_reception_withdrawing_erases_the_contact_and_keeps_the_record(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 2).await;
    let (code, _) = ticket(&app, &rich_form(s)).await;
    // The reception took place (how the desk gets there is tested in desk.rs).
    sqlx::query("UPDATE bookings SET status = 'completed' WHERE code = $1")
        .bind(&code)
        .execute(&pool)
        .await
        .unwrap();
    let response = app
        .call(
            WITHDRAW,
            &[
                ("code", &code),
                ("phone", "0987654321"),
                ("confirm", "true"),
            ],
            &[],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(response.json::<Value>()["outcome"], "contact_erased");
    let b = row(&pool, &code).await;
    assert_eq!(b["status"], "completed");
    assert_eq!(b["phone"], "0000000000");
    assert_eq!(b["email"], Value::Null);
    assert_eq!(b["needs"], "");
    assert_eq!(
        b["full_name"], "Trần Thị Bích Ngọc",
        "the reception's record"
    );
    assert_eq!(b["citizen_id"], "001085123456");
    assert_eq!(b["summary"], "Khiếu nại việc bồi thường đất ở thôn Đông.");
    assert!(b["consent_withdrawn_at"].is_string());
    assert_eq!(b["anonymised_at"], Value::Null);
    assert_eq!(taken(&pool, s).await, 1, "a finished booking frees nothing");
    // The contact cannot come back.
    let sneaked = sqlx::query("UPDATE bookings SET phone = '0987654321' WHERE code = $1")
        .bind(&code)
        .execute(&pool)
        .await;
    assert!(sneaked.is_err(), "the CHECK keeps the contact erased");
    // Code + the old phone no longer finds it.
    let lookup = app
        .call(
            "/api/bookings/lookup",
            &[("code", &code), ("phone", "0987654321")],
            &[],
        )
        .await;
    assert_eq!(lookup.status(), 404);
}
