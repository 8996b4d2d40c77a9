//! The waiting list of a full day: one entry per CCCD per day; a freed
//! place is offered to the first entry and held (in the slot's `taken` and
//! `held`), never open to anyone else meanwhile; unclaimed, it passes on;
//! claimed, it becomes a booking. Bursts of entries, cancellations and
//! claims never offer a place twice or overbook.

use crate::helpers::booking::{book, cccd, field_codes, office, slot, taken, waitlist_state, Form};
use crate::helpers::staff::{sign_in, slot_date, staff};
use crate::helpers::{burst, get_as, post_as, post_json, spawn_app_with, TestApp, TestResponse};
use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeSet;
use std::time::Duration;

const MANY: &[(&str, &str)] = &[("BOOKING_ATTEMPTS_PER_HOUR", "1000")];

fn phone(n: u32) -> String {
    format!("09{n:08}")
}

fn email(n: u32) -> String {
    format!("cho{n}@example.vn")
}

/// The join form of citizen `n` for `day` (any time).
fn entry(day: &str, n: u32) -> Form {
    Form::valid(0, &cccd(n))
        .set("slot_id", "")
        .set("office", "a")
        .set("day", day)
        .set("phone", &phone(n))
        .set("email", &email(n))
}

async fn join(app: &TestApp, form: &Form) -> TestResponse {
    app.call("/api/waitlist/join", &form.pairs(), &[]).await
}

/// Books `slot` for citizen `n`; the booking's code.
async fn booked(app: &TestApp, slot: i64, n: u32) -> String {
    let r = book(app, &Form::valid(slot, &cccd(n)).set("phone", &phone(n))).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    r.json::<Value>()["code"].as_str().unwrap().to_owned()
}

async fn cancel(app: &TestApp, code: &str, n: u32) -> TestResponse {
    app.call(
        "/api/bookings/cancel",
        &[("code", code), ("phone", &phone(n))],
        &[],
    )
    .await
}

async fn held(pool: &PgPool, slot: i64) -> i16 {
    sqlx::query_scalar("SELECT held FROM slots WHERE id = $1")
        .bind(slot)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The private link's token in the offer e-mail to citizen `n`.
async fn offer_token(app: &TestApp, n: u32) -> String {
    link_token(app, n, "có chỗ trống").await
}

/// The private link's token in the e-mail to citizen `n` whose subject holds
/// `subject`.
async fn link_token(app: &TestApp, n: u32, subject: &str) -> String {
    let mail = app.mail_to(&email(n), subject).await;
    let text = mail.text().unwrap();
    let at = text.find("/waitlist?t=").expect("a claim link") + "/waitlist?t=".len();
    text[at..]
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap()
        .to_owned()
}

async fn claim(app: &TestApp, token: &str) -> TestResponse {
    app.call("/api/waitlist/claim", &[("token", token)], &[])
        .await
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn only_a_full_day_has_a_waiting_list_with_one_entry_per_cccd(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 1).await;
    let day = slot_date(&pool, s).await;

    let open = join(&app, &entry(&day, 2)).await;
    assert_eq!(open.status(), 409, "{}", open.text());
    assert_eq!(open.json::<Value>()["reason"], "day_not_full");

    booked(&app, s, 1).await;
    let first = join(&app, &entry(&day, 2)).await;
    assert_eq!(first.status(), 200, "{}", first.text());
    assert_eq!(first.json::<Value>()["position"], 1);
    let second = join(&app, &entry(&day, 3)).await;
    assert_eq!(second.json::<Value>()["position"], 2);

    let again = join(&app, &entry(&day, 2)).await;
    assert_eq!(again.status(), 409, "{}", again.text());
    assert_eq!(again.json::<Value>()["reason"], "already_waiting");
    // The citizen who holds the day's place has nothing to wait for.
    let holder = join(&app, &entry(&day, 1)).await;
    assert_eq!(holder.json::<Value>()["reason"], "already_booked");

    // The offer comes by e-mail: the field is required here.
    let no_mail = join(&app, &entry(&day, 4).set("email", "")).await;
    assert_eq!(no_mail.status(), 422);
    assert_eq!(
        field_codes(&no_mail),
        [("email".to_owned(), "required".to_owned())]
    );
    // A day without reception, and a time that is not the day's.
    let closed = join(&app, &entry("2099-01-01", 4)).await;
    assert_eq!(
        field_codes(&closed),
        [("day".to_owned(), "day_not_waitable".to_owned())]
    );
    let other = slot(&pool, a, "5 days", 1).await;
    let wrong_time = join(&app, &entry(&day, 4).set("slot_id", &other.to_string())).await;
    assert_eq!(
        field_codes(&wrong_time),
        [("slot_id".to_owned(), "invalid_choice".to_owned())]
    );
    let waiting: i64 = sqlx::query_scalar("SELECT count(*) FROM waitlist_entries")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(waiting, 2, "nothing written by a refused join");

    // The entry by code and phone: its place in line, never the CCCD.
    let code = first.json::<Value>()["code"].as_str().unwrap().to_owned();
    let seen = app
        .call(
            "/api/waitlist/lookup",
            &[("code", &code), ("phone", &phone(2))],
            &[],
        )
        .await;
    assert_eq!(seen.status(), 200, "{}", seen.text());
    let body: Value = seen.json();
    assert_eq!(
        (body["state"].as_str(), body["position"].as_i64()),
        (Some("waiting"), Some(1))
    );
    assert!(!seen.text().contains(&cccd(2)));
    let wrong = app
        .call(
            "/api/waitlist/lookup",
            &[("code", &code), ("phone", &phone(3))],
            &[],
        )
        .await;
    assert_eq!(wrong.status(), 404);

    // The confirmation e-mail gives the code, the place in line and the
    // private link to the entry, and no CCCD.
    let joined = app.mail_to(&email(2), "danh sách chờ").await;
    let text = joined.text().unwrap();
    assert!(text.contains(&code[..4]), "{text}");
    assert!(text.contains("Số người chờ trước ông/bà: 0"), "{text}");
    assert!(!text.contains(&cccd(2)), "{text}");
    let token = link_token(&app, 2, "danh sách chờ").await;
    let by_link = app
        .call("/api/waitlist/lookup", &[("token", &token)], &[])
        .await;
    assert_eq!(by_link.status(), 200, "{}", by_link.text());
    assert_eq!(by_link.json::<Value>()["position"], 1);
    let second_mail = app.mail_to(&email(3), "danh sách chờ").await;
    assert!(
        second_mail
            .text()
            .unwrap()
            .contains("Số người chờ trước ông/bà: 1"),
        "{:?}",
        second_mail.text()
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_freed_place_is_held_for_the_first_entry_and_claimed_as_a_booking(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 1).await;
    let day = slot_date(&pool, s).await;
    let code = booked(&app, s, 1).await;
    let first = join(&app, &entry(&day, 2)).await.json::<Value>();
    let second = join(&app, &entry(&day, 3)).await.json::<Value>();
    let (first, second) = (
        first["code"].as_str().unwrap().to_owned(),
        second["code"].as_str().unwrap().to_owned(),
    );

    assert_eq!(cancel(&app, &code, 1).await.status(), 200);
    assert_eq!(waitlist_state(&pool, &first).await, "offered");
    assert_eq!((taken(&pool, s).await, held(&pool, s).await), (1, 1));
    // Nobody else can book the place while it is held.
    let friend = book(&app, &Form::valid(s, &cccd(9))).await;
    assert_eq!(friend.status(), 409, "{}", friend.text());

    let token = offer_token(&app, 2).await;
    let seen = app
        .call("/api/waitlist/lookup", &[("token", &token)], &[])
        .await
        .json::<Value>();
    assert_eq!(seen["state"], "offered");
    assert!(seen["offer"]["until"].is_string());

    let claimed = claim(&app, &token).await;
    assert_eq!(claimed.status(), 200, "{}", claimed.text());
    let booking: Value = claimed.json();
    assert_eq!(booking["status"], "requested");
    assert_eq!((taken(&pool, s).await, held(&pool, s).await), (1, 0));
    assert_eq!(waitlist_state(&pool, &first).await, "claimed");
    // A second tap finds the same booking.
    let again = claim(&app, &token).await;
    assert_eq!(again.json::<Value>()["code"], booking["code"]);
    let bookings: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM bookings WHERE slot_id = $1 AND status = 'requested'",
    )
    .bind(s)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(bookings, 1);
    let position = app
        .call(
            "/api/waitlist/lookup",
            &[("code", &second), ("phone", &phone(3))],
            &[],
        )
        .await
        .json::<Value>();
    assert_eq!(position["position"], 1);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn an_unclaimed_offer_passes_to_the_next_entry_after_the_hold(pool: PgPool) {
    // A hold of 1.2 seconds; offers are looked at every second.
    let app = spawn_app_with(
        pool.clone(),
        &[
            ("BOOKING_ATTEMPTS_PER_HOUR", "1000"),
            ("WAITLIST_HOLD_MINUTES", "0.02"),
        ],
    )
    .await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 1).await;
    let day = slot_date(&pool, s).await;
    let code = booked(&app, s, 1).await;
    let first = join(&app, &entry(&day, 2)).await.json::<Value>()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = join(&app, &entry(&day, 3)).await.json::<Value>()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(cancel(&app, &code, 1).await.status(), 200);
    let token = offer_token(&app, 2).await;

    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while waitlist_state(&pool, &second).await != "offered" {
        assert!(
            std::time::Instant::now() < deadline,
            "the offer never passed on"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(waitlist_state(&pool, &first).await, "lapsed");
    assert_eq!((taken(&pool, s).await, held(&pool, s).await), (1, 1));
    let late = claim(&app, &token).await;
    assert_eq!(late.status(), 409, "{}", late.text());
    assert_eq!(late.json::<Value>()["reason"], "offer_expired");
    // The first is told the place has gone, with a way to book again; the
    // second gets the offer.
    let gone = app.mail_to(&email(2), "đã hết hạn").await;
    assert!(
        gone.text().unwrap().contains("/book/a"),
        "{:?}",
        gone.text()
    );
    offer_token(&app, 3).await;

    // The last one waiting leaves: the place is the public's again.
    let left = app
        .call(
            "/api/waitlist/leave",
            &[("code", &second), ("phone", &phone(3))],
            &[],
        )
        .await;
    assert_eq!(left.status(), 200, "{}", left.text());
    assert_eq!(left.json::<Value>()["state"], "left");
    assert_eq!((taken(&pool, s).await, held(&pool, s).await), (0, 0));
    assert_eq!(book(&app, &Form::valid(s, &cccd(9))).await.status(), 200);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn thirty_entries_and_ten_cancellations_at_once_make_exactly_ten_offers(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    let morning = slot(&pool, a, "3 days", 5).await;
    let afternoon = slot(&pool, a, "3 days 2 hours", 5).await;
    let day = slot_date(&pool, morning).await;
    assert_eq!(slot_date(&pool, afternoon).await, day, "one day");
    let mut codes = Vec::new();
    for n in 0..10 {
        let s = if n < 5 { morning } else { afternoon };
        codes.push(booked(&app, s, 100 + n).await);
    }

    let url = app.url("/api/waitlist/join");
    let joined = burst(30, |i| {
        let (url, form) = (url.clone(), entry(&day, 200 + i as u32));
        async move { post_json(&url, &form.pairs()).await }
    })
    .await;
    assert_eq!(joined.get(&200), Some(&30), "{joined:?}");
    let positions: BTreeSet<i64> = sqlx::query_scalar(
        "SELECT row_number() OVER (ORDER BY created_at, id) FROM waitlist_entries",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    assert_eq!(positions.len(), 30);

    // Ten cancellations at the same moment.
    let url = app.url("/api/bookings/cancel");
    let cancelled = burst(10, |i| {
        let (url, code, phone) = (url.clone(), codes[i].clone(), phone(100 + i as u32));
        async move { post_json(&url, &[("code", &code), ("phone", &phone)]).await }
    })
    .await;
    assert_eq!(cancelled.get(&200), Some(&10), "{cancelled:?}");
    let offered: Vec<(String, i64)> = sqlx::query_as(
        "SELECT email, offered_slot FROM waitlist_entries WHERE state = 'offered' ORDER BY created_at, id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(offered.len(), 10, "exactly ten offers");
    for s in [morning, afternoon] {
        let here = offered.iter().filter(|(_, at)| *at == s).count();
        assert_eq!(here, 5, "each freed place offered once");
        assert_eq!((taken(&pool, s).await, held(&pool, s).await), (5, 5));
    }
    // The first ten in line got them.
    let first_ten: BTreeSet<String> =
        sqlx::query_scalar("SELECT email FROM waitlist_entries ORDER BY created_at, id LIMIT 10")
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
    let got: BTreeSet<String> = offered.iter().map(|(e, _)| e.clone()).collect();
    assert_eq!(got, first_ten);

    // The ten claims race ten citizens booking the same slots.
    let mut tokens = Vec::new();
    for (address, _) in &offered {
        let n: u32 = address
            .trim_start_matches("cho")
            .trim_end_matches("@example.vn")
            .parse()
            .unwrap();
        tokens.push(offer_token(&app, n).await);
    }
    let (claim_url, book_url) = (
        app.url("/api/waitlist/claim"),
        app.url("/api/bookings/create"),
    );
    let raced = burst(20, |i| {
        let (url, form) = if i < 10 {
            (claim_url.clone(), vec![("token", tokens[i].clone())])
        } else {
            let s = if i % 2 == 0 { morning } else { afternoon };
            (
                book_url.clone(),
                Form::valid(s, &cccd(300 + i as u32)).fields,
            )
        };
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_json(&url, &pairs).await
        }
    })
    .await;
    assert_eq!(raced.get(&200), Some(&10), "{raced:?}");
    assert_eq!(raced.get(&409), Some(&10), "{raced:?}");
    for s in [morning, afternoon] {
        assert_eq!((taken(&pool, s).await, held(&pool, s).await), (5, 0));
        let active: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM bookings WHERE slot_id = $1 AND status IN ('requested', 'confirmed')",
        )
        .bind(s)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(active, 5, "never overbooked");
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_booking_for_a_later_day_moves_when_its_holder_claims_an_earlier_place(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    let soon = slot(&pool, a, "3 days", 1).await;
    let later = slot(&pool, a, "6 days", 1).await;
    let day = slot_date(&pool, soon).await;
    let taker = booked(&app, soon, 1).await;
    let mine = booked(&app, later, 2).await;

    let waiting = join(&app, &entry(&day, 2)).await;
    assert_eq!(waiting.status(), 200, "{}", waiting.text());
    assert_eq!(cancel(&app, &taker, 1).await.status(), 200);
    let claimed = claim(&app, &offer_token(&app, 2).await).await;
    assert_eq!(claimed.status(), 200, "{}", claimed.text());
    assert_eq!(
        claimed.json::<Value>()["code"],
        mine.as_str(),
        "moved, not a second booking"
    );
    let slot_now: i64 = sqlx::query_scalar("SELECT slot_id FROM bookings WHERE code = $1")
        .bind(&mine)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(slot_now, soon);
    assert_eq!((taken(&pool, soon).await, held(&pool, soon).await), (1, 0));
    assert_eq!(
        taken(&pool, later).await,
        0,
        "the later place is free again"
    );
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn closing_the_day_tells_its_waiting_list_and_the_desk_masks_a_denouncer(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    let s = slot(&pool, a, "3 days", 1).await;
    let day = slot_date(&pool, s).await;
    booked(&app, s, 1).await;
    let denouncer = join(&app, &entry(&day, 2).set("topic", "denunciation")).await;
    assert_eq!(denouncer.status(), 200, "{}", denouncer.text());
    assert_eq!(join(&app, &entry(&day, 3)).await.status(), 200);

    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    let view = get_as(
        &app,
        &desk,
        &format!("/api/staff/bookings?office=a&date={day}"),
    )
    .await;
    assert_eq!(view.status(), 200, "{}", view.text());
    let list = view.json::<Value>()["waiting"].clone();
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[0]["masked"], true);
    assert_ne!(list[0]["full_name"], "Nguyễn Văn An");
    assert_eq!(list[1]["full_name"], "Nguyễn Văn An");

    staff(&pool, "quanly@test.vn", "supervisor", &[a]).await;
    let lead = sign_in(&app, "quanly@test.vn").await;
    let seen = get_as(
        &app,
        &lead,
        &format!("/api/staff/bookings?office=a&date={day}"),
    )
    .await;
    assert_eq!(seen.json::<Value>()["waiting"][0]["masked"], false);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'waitlist.identity_viewed'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        audited, 1,
        "the one unmasked view of a denouncer is audited"
    );

    let closed = post_as(
        &app,
        &lead,
        "/api/staff/schedule/close-day",
        &[
            ("office", "a"),
            ("date", &day),
            ("reason", "Hội nghị đột xuất"),
        ],
    )
    .await;
    assert_eq!(closed.status(), 200, "{}", closed.text());
    let states: Vec<String> =
        sqlx::query_scalar("SELECT state FROM waitlist_entries ORDER BY created_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(states, ["closed", "closed"]);
    let told = app.mail_to(&email(3), "nghỉ ngày").await;
    assert!(
        told.text().unwrap().contains("/book/a"),
        "{:?}",
        told.text()
    );
    assert_eq!((taken(&pool, s).await, held(&pool, s).await), (0, 0));
}
