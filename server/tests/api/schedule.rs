//! Slot generation from weekly hours, special hours, closures and holidays.

use crate::helpers::spawn_app;
use app::booking::generator::generate;
use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// An office open Monday to Friday 08:00–10:00 in 30-minute slots of 2.
async fn office(pool: &PgPool) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO offices (slug, name_vi, address_vi) VALUES ('lich', 'Trụ sở lịch', 'Số 2') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO opening_hours (office_id, weekday, opens, closes, slot_minutes, capacity)
         SELECT $1, d, '08:00', '10:00', 30, 2 FROM generate_series(1, 5) d",
    )
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
    id
}

fn today_vn() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive()
}

/// The first `weekday` at least 3 days from today that is no public
/// holiday (a Monday in Tết week has no slots, whatever the test expects).
async fn next(pool: &PgPool, weekday: Weekday) -> NaiveDate {
    let holidays: Vec<NaiveDate> = sqlx::query_scalar("SELECT day FROM public_holidays")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut day = today_vn() + Duration::days(3);
    while day.weekday() != weekday || holidays.contains(&day) {
        day += Duration::days(1);
    }
    day
}

async fn slots_on(pool: &PgPool, office: Uuid, day: NaiveDate) -> Vec<(String, i16, bool)> {
    sqlx::query_as(
        "SELECT to_char(starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'HH24:MI'), capacity, withdrawn
         FROM slots WHERE office_id = $1 AND (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = $2
         ORDER BY starts_at",
    )
    .bind(office)
    .bind(day)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn weekly_hours_become_slots_and_a_second_run_changes_nothing(pool: PgPool) {
    let office = office(&pool).await;
    let first = generate(&pool).await.unwrap();
    assert!(first.upserted > 0);
    let monday = next(&pool, Weekday::Mon).await;
    let times: Vec<String> = slots_on(&pool, office, monday)
        .await
        .into_iter()
        .map(|s| s.0)
        .collect();
    assert_eq!(times, ["08:00", "08:30", "09:00", "09:30"]);
    assert!(slots_on(&pool, office, next(&pool, Weekday::Sun).await)
        .await
        .is_empty());
    // Nothing beyond the 30-day horizon.
    let beyond: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM slots WHERE starts_at >= ((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 31)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(beyond, 0);

    let again = generate(&pool).await.unwrap();
    assert_eq!((again.upserted, again.withdrawn, again.deleted), (0, 0, 0));
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn closures_holidays_and_special_hours_are_followed(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let office = office(&pool).await;
    let tuesday = next(&pool, Weekday::Tue).await;
    let wednesday = next(&pool, Weekday::Wed).await;
    let saturday = next(&pool, Weekday::Sat).await;
    sqlx::query("INSERT INTO office_closures (office_id, day, reason) VALUES ($1, $2, 'Tập huấn')")
        .bind(office)
        .bind(tuesday)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO public_holidays (day, name_vi, name_en) VALUES ($1, 'Ngày lễ thử', 'Test holiday') ON CONFLICT DO NOTHING")
        .bind(wednesday)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO special_hours (office_id, day, opens, closes, slot_minutes, capacity) VALUES ($1, $2, '09:00', '10:00', 60, 5)")
        .bind(office)
        .bind(saturday)
        .execute(&pool)
        .await
        .unwrap();
    generate(&pool).await.unwrap();

    assert!(
        slots_on(&pool, office, tuesday).await.is_empty(),
        "closed day"
    );
    assert!(
        slots_on(&pool, office, wednesday).await.is_empty(),
        "public holiday"
    );
    assert_eq!(
        slots_on(&pool, office, saturday).await,
        vec![("09:00".into(), 5, false)]
    );

    // The API offers nothing on the closed day, and the calendar says closed.
    let closed: Vec<Value> = app
        .get(&format!("/api/slots?office=lich&from={tuesday}&days=1"))
        .await
        .json();
    assert!(closed.is_empty());
    let page: Value = app
        .get(&format!("/api/pages/booking?office=lich&day={tuesday}"))
        .await
        .json();
    let day = page["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == tuesday.to_string())
        .unwrap()
        .clone();
    assert_eq!(day["state"], "closed");
    assert!(page["slots"].as_array().unwrap().is_empty());
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_demo_holidays_close_tet(pool: PgPool) {
    let days: Vec<NaiveDate> = sqlx::query_scalar(
        "SELECT day FROM public_holidays WHERE day BETWEEN '2027-02-01' AND '2027-02-28' ORDER BY day",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    // Tết Đinh Mùi: the first day of the lunar year is 6 February 2027.
    assert!(days.contains(&NaiveDate::from_ymd_opt(2027, 2, 6).unwrap()));
    assert!(days.len() >= 5);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_booked_slot_is_withdrawn_not_dropped_and_keeps_its_places(pool: PgPool) {
    let office = office(&pool).await;
    generate(&pool).await.unwrap();
    let monday = next(&pool, Weekday::Mon).await;
    let slot: i64 = sqlx::query_scalar(
        "SELECT id FROM slots WHERE office_id = $1 AND (starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = $2 ORDER BY starts_at LIMIT 1",
    )
    .bind(office)
    .bind(monday)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO bookings (code, office_id, slot_id, full_name, citizen_id, phone, topic, summary, party_size, locale, consent_version, consented_at)
         VALUES ('ABCDEFGHJK', $1, $2, 'Nguyễn An', '001099012345', '0912345678', 'complaint', 'Nội dung đủ dài', 1, 'vi', '2026-11-28', now())",
    )
    .bind(office)
    .bind(slot)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE slots SET taken = 2 WHERE id = $1")
        .bind(slot)
        .execute(&pool)
        .await
        .unwrap();

    // Capacity lowered to 1 and Mondays closed.
    sqlx::query("UPDATE opening_hours SET capacity = 1 WHERE office_id = $1")
        .bind(office)
        .execute(&pool)
        .await
        .unwrap();
    generate(&pool).await.unwrap();
    let tuesday_caps: Vec<i16> = slots_on(&pool, office, next(&pool, Weekday::Tue).await)
        .await
        .into_iter()
        .map(|s| s.1)
        .collect();
    assert_eq!(tuesday_caps, [1, 1, 1, 1]);
    assert_eq!(
        slots_on(&pool, office, monday).await[0],
        ("08:00".into(), 2, false),
        "never below what is taken"
    );

    sqlx::query("DELETE FROM opening_hours WHERE office_id = $1 AND weekday = 1")
        .bind(office)
        .execute(&pool)
        .await
        .unwrap();
    let done = generate(&pool).await.unwrap();
    assert!(done.withdrawn >= 1 && done.deleted >= 3, "{done:?}");
    let monday_slots = slots_on(&pool, office, monday).await;
    assert_eq!(
        monday_slots,
        vec![("08:00".into(), 2, true)],
        "the booked slot stays, withdrawn"
    );
}
