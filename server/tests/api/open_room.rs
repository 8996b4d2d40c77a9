//! Room that frees itself — kept places released by the clock, a proposal
//! nobody answered — goes to the people waiting for its day, not to whoever
//! books first. One SQL definition of open room (`slot_room`) serves every
//! claim and listing and the waiting list's "the day is full"; a claim
//! refused for it offers the room at once; the offers loop of whichever
//! instance runs offers the rest within its period (at most a minute). The
//! release and the expiry are put in the past by SQL, and the loop is the
//! spawned app's own: nothing here calls a maintenance pass.

use crate::helpers::booking::{book, cccd, office, slot, taken, waitlist_state, Form};
use crate::helpers::staff::{sign_in, slot_date, slot_start, staff};
use crate::helpers::{burst, post_as, post_json, spawn_app_with, TestApp};
use serde_json::Value;
use sqlx::PgPool;
use std::time::{Duration, Instant};
use uuid::Uuid;

const MANY: &[(&str, &str)] = &[("BOOKING_ATTEMPTS_PER_HOUR", "1000")];

/// Offers held 12 seconds, so the offers loop runs every 3 seconds.
const QUICK_LOOP: &[(&str, &str)] = &[
    ("BOOKING_ATTEMPTS_PER_HOUR", "1000"),
    ("WAITLIST_HOLD_MINUTES", "0.2"),
];

fn phone(n: u32) -> String {
    format!("09{n:08}")
}

fn email(n: u32) -> String {
    format!("cho{n}@example.vn")
}

/// Keeps `walk_in` places of every slot of `office` for the desk until a
/// day before the slot: a slot three days on keeps them.
async fn keep(pool: &PgPool, office: Uuid, walk_in: i16) {
    sqlx::query("UPDATE offices SET kept_walk_in = $2, kept_release_hours = 24 WHERE id = $1")
        .bind(office)
        .bind(walk_in)
        .execute(pool)
        .await
        .unwrap();
}

/// Moves the release to 96 hours before the slot: for a slot at 09:00
/// three days on (at most 81 hours away) it is now in the past.
async fn release(pool: &PgPool, office: Uuid) {
    sqlx::query("UPDATE offices SET kept_release_hours = 96 WHERE id = $1")
        .bind(office)
        .execute(pool)
        .await
        .unwrap();
}

/// `(slot_kept, slot_free, slot_room, taken, held)` of a slot.
async fn room(pool: &PgPool, slot: i64) -> (i32, i32, i32, i16, i16) {
    sqlx::query_as(
        "SELECT slot_kept(s), slot_free(s), slot_room(s), taken, held FROM slots s WHERE id = $1",
    )
    .bind(slot)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Citizen `n` waits for any time of `day`: the entry's code.
async fn join(app: &TestApp, day: &str, n: u32) -> String {
    let form = Form::valid(0, &cccd(n))
        .set("slot_id", "")
        .set("office", "a")
        .set("day", day)
        .set("phone", &phone(n))
        .set("email", &email(n));
    let r = app.call("/api/waitlist/join", &form.pairs(), &[]).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    r.json::<Value>()["code"].as_str().unwrap().to_owned()
}

/// Citizen `n` books `slot`: the booking's code.
async fn booked(app: &TestApp, slot: i64, n: u32) -> String {
    let r = book(app, &Form::valid(slot, &cccd(n)).set("phone", &phone(n))).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    r.json::<Value>()["code"].as_str().unwrap().to_owned()
}

/// Waits (at most 20 seconds: several rounds of the 3-second loop) until
/// the entry is offered a place.
async fn until_offered(pool: &PgPool, code: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let state = waitlist_state(pool, code).await;
        if state == "offered" {
            return;
        }
        assert_eq!(state, "waiting", "the entry left the list without an offer");
        assert!(
            Instant::now() < deadline,
            "the offers loop never offered the room"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

// Failed before `slot_room`: the booking took the released place (200).
#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn released_room_is_not_bookable_while_someone_waits_and_a_refused_booking_offers_it(
    pool: PgPool,
) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    keep(&pool, a, 1).await;
    let s = slot(&pool, a, "3 days", 2).await;
    let day = slot_date(&pool, s).await;
    booked(&app, s, 1).await;
    let first = join(&app, &day, 2).await;

    release(&pool, a).await;
    assert_eq!(
        room(&pool, s).await,
        (0, 1, 0, 1, 0),
        "released and free, but not open: someone waits for the day"
    );
    // Listed as full, and the list agrees the day is full: another citizen
    // may still join it (no `day_not_full`).
    let listed: Vec<Value> = app.get("/api/slots?office=a&days=5").await.json();
    assert!(
        listed.iter().all(|l| l["id"] != s),
        "a slot whose room is held for the waiting list is not offered: {listed:?}"
    );
    let second = join(&app, &day, 3).await;

    // Whoever books first is refused, and the room goes to the first entry
    // at once, not at the next round of a loop.
    let refused = book(&app, &Form::valid(s, &cccd(4))).await;
    assert_eq!(refused.status(), 409, "{}", refused.text());
    assert_eq!(refused.json::<Value>()["reason"], "slot_full");
    assert_eq!(waitlist_state(&pool, &first).await, "offered");
    assert_eq!(waitlist_state(&pool, &second).await, "waiting");
    assert_eq!(room(&pool, s).await, (0, 0, 0, 2, 1));
    app.mail_to(&email(2), "có chỗ trống").await;
}

// Failed before `slot_room`: moves and proposals took the released places.
#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_burst_of_bookings_and_moves_on_room_someone_waits_for_takes_none_and_offers_it_once(
    pool: PgPool,
) {
    let app = spawn_app_with(pool.clone(), MANY).await;
    let a = office(&pool, "a").await;
    keep(&pool, a, 2).await;
    let s = slot(&pool, a, "3 days", 3).await;
    let later = slot(&pool, a, "5 days", 20).await;
    let day = slot_date(&pool, s).await;
    booked(&app, s, 1).await;
    let waiting = [
        join(&app, &day, 2).await,
        join(&app, &day, 3).await,
        join(&app, &day, 4).await,
    ];
    // Citizens with a booking for a later day, who will try to move into
    // the slot; one of them is a request the desk will try to answer with
    // the slot.
    let mut movers = Vec::new();
    for n in 10..16 {
        movers.push(booked(&app, later, n).await);
    }
    release(&pool, a).await;
    assert_eq!(room(&pool, s).await, (0, 2, 0, 1, 0));

    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    let at = slot_start(&pool, s).await;
    let proposed = post_as(
        &app,
        &desk,
        "/api/staff/bookings/propose",
        &[("code", &movers[5]), ("starts_at", &at), ("message", "")],
    )
    .await;
    assert_eq!(proposed.status(), 409, "{}", proposed.text());
    assert_eq!(proposed.json::<Value>()["reason"], "slot_full");

    // The desk's refused proposal has offered the room already; a burst on
    // top must still take nothing and offer nothing more.
    let (create, reschedule) = (
        app.url("/api/bookings/create"),
        app.url("/api/bookings/reschedule"),
    );
    let attempt = |i: usize| {
        let (create, reschedule, movers) = (create.clone(), reschedule.clone(), movers.clone());
        async move {
            if i < 10 {
                let form = Form::valid(s, &cccd(100 + i as u32));
                post_json(&create, &form.pairs()).await
            } else {
                let n = 10 + (i - 10) as u32;
                post_json(
                    &reschedule,
                    &[
                        ("code", &movers[i - 10]),
                        ("phone", &phone(n)),
                        ("slot_id", &s.to_string()),
                    ],
                )
                .await
            }
        }
    };
    let outcomes = burst(15, attempt).await;
    assert_eq!(outcomes.get(&409), Some(&15), "{outcomes:?}");
    let states = [
        waitlist_state(&pool, &waiting[0]).await,
        waitlist_state(&pool, &waiting[1]).await,
        waitlist_state(&pool, &waiting[2]).await,
    ];
    assert_eq!(states, ["offered", "offered", "waiting"]);
    assert_eq!(room(&pool, s).await, (0, 0, 0, 3, 2));
    assert_eq!(taken(&pool, later).await, 6, "no move happened");
}

// Failed before the release sweep joined the offers loop: released room
// reached the list only at the ten-minute maintenance pass.
#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn room_released_by_the_clock_reaches_the_first_entry_at_the_offers_loop(pool: PgPool) {
    let app = spawn_app_with(pool.clone(), QUICK_LOOP).await;
    let a = office(&pool, "a").await;
    keep(&pool, a, 1).await;
    let s = slot(&pool, a, "3 days", 2).await;
    let day = slot_date(&pool, s).await;
    booked(&app, s, 1).await;
    let first = join(&app, &day, 2).await;
    let second = join(&app, &day, 3).await;

    release(&pool, a).await;
    until_offered(&pool, &first).await;
    assert_eq!(waitlist_state(&pool, &second).await, "waiting");
    assert_eq!(room(&pool, s).await, (0, 0, 0, 2, 1));
    app.mail_to(&email(2), "có chỗ trống").await;
}

// Failed before proposals expired in the offers loop: an unanswered
// proposal's place waited for the ten-minute maintenance pass.
#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_proposal_nobody_answered_gives_its_place_to_the_first_entry_at_the_offers_loop(
    pool: PgPool,
) {
    let app = spawn_app_with(pool.clone(), QUICK_LOOP).await;
    let a = office(&pool, "a").await;
    let asked = slot(&pool, a, "3 days", 2).await;
    let proposed_slot = slot(&pool, a, "4 days", 1).await;
    let code = booked(&app, asked, 1).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let desk = sign_in(&app, "letan@test.vn").await;
    let at = slot_start(&pool, proposed_slot).await;
    let proposed = post_as(
        &app,
        &desk,
        "/api/staff/bookings/propose",
        &[("code", &code), ("starts_at", &at), ("message", "")],
    )
    .await;
    assert_eq!(proposed.status(), 200, "{}", proposed.text());
    // The proposal fills the day: a waiting list.
    let entry = join(&app, &slot_date(&pool, proposed_slot).await, 2).await;

    sqlx::query("UPDATE booking_proposals SET expires_at = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    until_offered(&pool, &entry).await;
    let outcome: Option<String> = sqlx::query_scalar("SELECT outcome FROM booking_proposals")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(outcome.as_deref(), Some("expired"));
    assert_eq!(room(&pool, proposed_slot).await, (0, 0, 0, 1, 1));
    app.mail_to(&email(2), "có chỗ trống").await;
}
