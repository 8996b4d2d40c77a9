//! Schedule edits are atomic with the slots they change: closing a day,
//! blocking a slot and lowering its places lock the office's slots, change
//! the rule and the slots, and check capacity against the bookings in one
//! transaction, so no booking racing the edit survives on a closed day or
//! above a slot's places.

use crate::helpers::booking::{cccd, office, Form};
use crate::helpers::staff::{sign_in, staff};
use crate::helpers::{post_as, post_with, spawn_app_with, TestApp, TestResponse};
use sqlx::PgPool;
use std::collections::BTreeMap;
use uuid::Uuid;

/// An office open every day 08:00–10:00 in 30-minute slots of `places`.
async fn open_office(pool: &PgPool, slug: &str, places: i16) -> Uuid {
    let id = office(pool, slug).await;
    for weekday in 1..=7i16 {
        sqlx::query(
            "INSERT INTO opening_hours (office_id, weekday, opens, closes, slot_minutes, capacity) VALUES ($1, $2, '08:00', '10:00', 30, $3)",
        )
        .bind(id)
        .bind(weekday)
        .bind(places)
        .execute(pool)
        .await
        .unwrap();
    }
    app::booking::generator::generate(pool).await.unwrap();
    id
}

/// The slots of the first day at least `days` ahead that has any (a public
/// holiday has none): (id, starts_at as RFC 3339), and that date.
async fn day_slots(pool: &PgPool, office: Uuid, days: i32) -> (Vec<(i64, String)>, String) {
    let date: String = sqlx::query_scalar(
        "SELECT min((starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)::text FROM slots
         WHERE office_id = $1
           AND (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + $2",
    )
    .bind(office)
    .bind(days)
    .fetch_one(pool)
    .await
    .unwrap();
    let slots: Vec<(i64, String)> = sqlx::query_as(
        r#"
        SELECT id, to_char(starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"')
        FROM slots
        WHERE office_id = $1 AND (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = $2::date
        ORDER BY starts_at
        "#,
    )
    .bind(office)
    .bind(&date)
    .fetch_all(pool)
    .await
    .unwrap();
    (slots, date)
}

async fn spawn(pool: &PgPool) -> TestApp {
    spawn_app_with(pool.clone(), &[("BOOKING_ATTEMPTS_PER_HOUR", "100000")]).await
}

/// Booking `n` of a race, from an address of its own.
fn booking(app: &TestApp, slot: i64, n: u32) -> tokio::task::JoinHandle<TestResponse> {
    let url = app.url("/api/bookings/create");
    tokio::spawn(async move {
        let form = Form::valid(slot, &cccd(n)).set("email", &format!("dan{n}@example.vn"));
        let addr = format!("198.51.{}.{}", n / 200, n % 200 + 1);
        post_with(&url, &form.pairs(), &[("x-forwarded-for", &addr)]).await
    })
}

async fn statuses(
    handles: Vec<tokio::task::JoinHandle<TestResponse>>,
) -> (BTreeMap<u16, usize>, usize) {
    let mut counts = BTreeMap::new();
    for h in handles {
        let r = h.await.unwrap();
        assert!(
            matches!(r.status(), 200 | 409 | 422),
            "{} {}",
            r.status(),
            r.text()
        );
        *counts.entry(r.status()).or_insert(0) += 1;
    }
    let made = counts.get(&200).copied().unwrap_or(0);
    (counts, made)
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn closing_a_day_while_fifty_bookings_race_leaves_none_on_it(pool: PgPool) {
    let app = spawn(&pool).await;
    let a = open_office(&pool, "a", 50).await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let (slots, date) = day_slots(&pool, a, 3).await;
    assert_eq!(slots.len(), 4);

    let mut racing: Vec<_> = (0..25)
        .map(|n| booking(&app, slots[n as usize % 4].0, n))
        .collect();
    let close = {
        let (url, cookie, date) = (
            app.url("/api/staff/schedule/close-day"),
            officer.clone(),
            date.clone(),
        );
        tokio::spawn(async move {
            post_with(
                &url,
                &[
                    ("office", "a"),
                    ("date", &date),
                    ("reason", "Hội nghị đột xuất"),
                ],
                &[("cookie", &cookie)],
            )
            .await
        })
    };
    racing.extend((25..50).map(|n| booking(&app, slots[n as usize % 4].0, n)));
    let closed = close.await.unwrap();
    assert_eq!(closed.status(), 200, "{}", closed.text());
    let (counts, made) = statuses(racing).await;

    let active: i64 = sqlx::query_scalar(
        r#"
        SELECT count(*) FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE b.office_id = $1 AND b.status IN ('requested', 'confirmed', 'checked_in')
          AND (s.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = $2::date
        "#,
    )
    .bind(a)
    .bind(&date)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        active, 0,
        "a booking survived on the closed day ({counts:?})"
    );
    let (taken, offered): (i64, i64) = sqlx::query_as(
        r#"
        SELECT coalesce(sum(taken), 0)::bigint, count(*) FILTER (WHERE NOT withdrawn)
        FROM slots WHERE office_id = $1 AND (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = $2::date
        "#,
    )
    .bind(a)
    .bind(&date)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((taken, offered), (0, 0));
    // Every booking that was made before the closure was cancelled and is
    // told so: none is lost without a word.
    let told: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox WHERE kind = 'booking_closed_by_office'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(told as usize, made, "{counts:?}");
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn lowering_a_slots_places_while_bookings_race_never_leaves_it_overbooked(pool: PgPool) {
    let app = spawn(&pool).await;
    let a = open_office(&pool, "a", 50).await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let (slots, _) = day_slots(&pool, a, 3).await;
    let (slot, starts_at) = slots[0].clone();

    let mut racing: Vec<_> = (0..20).map(|n| booking(&app, slot, n)).collect();
    let lower = {
        let (url, cookie, at) = (
            app.url("/api/staff/slots/capacity"),
            officer.clone(),
            starts_at.clone(),
        );
        tokio::spawn(async move {
            post_with(
                &url,
                &[("office", "a"), ("starts_at", &at), ("capacity", "12")],
                &[("cookie", &cookie)],
            )
            .await
        })
    };
    racing.extend((20..40).map(|n| booking(&app, slot, n)));
    let lowered = lower.await.unwrap();
    let (counts, made) = statuses(racing).await;
    let (capacity, taken): (i16, i16) =
        sqlx::query_as("SELECT capacity, taken FROM slots WHERE id = $1")
            .bind(slot)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        taken <= capacity,
        "{taken} taken of {capacity} ({counts:?})"
    );
    assert_eq!(taken as usize, made);
    match lowered.status() {
        // Lowered in time: it holds from then on.
        200 => assert_eq!(capacity, 12),
        // Too late: more were booked already than 12.
        409 => assert!(
            lowered.text().contains("capacity_below_taken"),
            "{}",
            lowered.text()
        ),
        other => panic!("{other}: {}", lowered.text()),
    }
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_blocked_slot_takes_no_booking_from_the_moment_it_is_blocked(pool: PgPool) {
    let app = spawn(&pool).await;
    let a = open_office(&pool, "a", 50).await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let (slots, _) = day_slots(&pool, a, 3).await;
    let (slot, starts_at) = slots[1].clone();

    // One booking lands for certain before the block, so the block must
    // withdraw the slot (a slot no booking ever reached is deleted instead).
    let first = booking(&app, slot, 99).await.unwrap();
    assert_eq!(first.status(), 200, "{}", first.text());
    let mut racing: Vec<_> = (0..15).map(|n| booking(&app, slot, n)).collect();
    let blocked = post_as(
        &app,
        &officer,
        "/api/staff/slots/block",
        &[
            ("office", "a"),
            ("starts_at", &starts_at),
            ("reason", "Họp"),
        ],
    )
    .await;
    assert_eq!(blocked.status(), 200, "{}", blocked.text());
    let blocked_at: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT now()")
        .fetch_one(&pool)
        .await
        .unwrap();
    racing.extend((15..30).map(|n| booking(&app, slot, n)));
    statuses(racing).await;
    // Withdrawn by the edit itself, not by the next generator run.
    let withdrawn: bool = sqlx::query_scalar("SELECT withdrawn FROM slots WHERE id = $1")
        .bind(slot)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(withdrawn);
    let late: i64 =
        sqlx::query_scalar("SELECT count(*) FROM bookings WHERE slot_id = $1 AND created_at > $2")
            .bind(slot)
            .bind(blocked_at)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(late, 0, "bookings landed after the block");
}
