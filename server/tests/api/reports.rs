//! Reports and downloads: figures checked against rows the test made, the
//! CSV files (UTF-8 with BOM, Vietnamese intact), who may read them, the
//! denouncer masked in the case list download, and the daily digest.

use crate::helpers::booking::{book, cccd, office, slot, Form};
use crate::helpers::cases::case_with_code;
use crate::helpers::staff::sign_in_admin;
use crate::helpers::staff::{sign_in, staff};
use crate::helpers::{get_as, spawn_app, TestApp, TestResponse};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

async fn today_vn(pool: &PgPool) -> chrono::NaiveDate {
    sqlx::query_scalar("SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A booking of `office` `from_now`, about `topic`, left in `status`.
async fn booking(
    app: &TestApp,
    pool: &PgPool,
    office: Uuid,
    from_now: &str,
    n: u32,
    topic: &str,
    status: &str,
) {
    let slot = slot(pool, office, from_now, 4).await;
    let r = book(app, &Form::valid(slot, &cccd(n)).set("topic", topic)).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    sqlx::query("UPDATE bookings SET status = $2 WHERE code = $1")
        .bind(r.json::<Value>()["code"].as_str().unwrap())
        .bind(status)
        .execute(pool)
        .await
        .unwrap();
}

async fn set_case(pool: &PgPool, code: &str, sql: &str) {
    sqlx::query(&format!("UPDATE cases SET {sql} WHERE code = $1"))
        .bind(code)
        .execute(pool)
        .await
        .unwrap();
}

/// The rows of a CSV download, after checking it is UTF-8 with a BOM.
fn rows(response: &TestResponse) -> Vec<Vec<String>> {
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(
        &response.body[..3],
        b"\xEF\xBB\xBF",
        "a UTF-8 byte order mark"
    );
    let text = std::str::from_utf8(&response.body[3..]).expect("UTF-8");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn bars(report: &Value, name: &str) -> Vec<(String, i64)> {
    report[name]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["key"].as_str().unwrap().to_owned(),
                b["value"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn a_report_counts_exactly_the_rows_of_its_period_and_offices(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let b = office(&pool, "b").await;
    let c = office(&pool, "c").await;
    staff(&pool, "canbo@test.vn", "officer", &[a, b]).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a, b]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let receptionist = sign_in(&app, "letan@test.vn").await;

    booking(&app, &pool, a, "1 day", 1, "complaint", "completed").await;
    booking(&app, &pool, a, "2 days", 2, "complaint", "checked_in").await;
    booking(&app, &pool, a, "3 days", 3, "denunciation", "no_show").await;
    booking(&app, &pool, a, "4 days", 4, "petition", "cancelled").await;
    // Outside the period, and in an office the officer does not serve.
    booking(&app, &pool, a, "20 days", 5, "complaint", "requested").await;
    booking(&app, &pool, b, "2 days", 6, "petition", "requested").await;
    booking(&app, &pool, c, "2 days", 7, "complaint", "completed").await;

    let today = "(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date";
    case_with_code(&pool, a, "C2222222A2", "complaint").await;
    set_case(
        &pool,
        "C2222222A2",
        &format!("received_on = {today}, status = 'accepted', accepted_on = {today}"),
    )
    .await;
    case_with_code(&pool, a, "C2222222A3", "denunciation").await;
    set_case(
        &pool,
        "C2222222A3",
        &format!("received_on = {today}, status = 'concluded', due_on = NULL"),
    )
    .await;
    sqlx::query("INSERT INTO case_events (case_id, event, status, public) SELECT id, 'status', 'concluded', true FROM cases WHERE code = 'C2222222A3'")
        .execute(&pool)
        .await
        .unwrap();
    case_with_code(&pool, a, "C2222222A4", "complaint").await;
    set_case(
        &pool,
        "C2222222A4",
        &format!("received_on = {today} - 40, status = 'verifying', accepted_on = {today} - 35, due_on = {today} - 1"),
    )
    .await;
    case_with_code(&pool, b, "C2222222A5", "petition").await;
    set_case(
        &pool,
        "C2222222A5",
        &format!("received_on = {today}, due_on = NULL"),
    )
    .await;
    case_with_code(&pool, c, "C2222222A6", "complaint").await;

    let from = today_vn(&pool).await;
    let to = from + chrono::Days::new(5);
    let path = format!("/api/staff/reports?from={from}&to={to}");
    let r = get_as(&app, &officer, &path).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    let report: Value = r.json();
    assert_eq!(
        report["totals"],
        serde_json::json!({
            "bookings": 5, "attended": 2, "no_shows": 1, "answered_late": 0,
            "cases_received": 3, "cases_accepted": 1, "cases_concluded": 1, "cases_overdue": 1
        })
    );
    assert_eq!(
        bars(&report, "bookings_by_office"),
        pairs(&[("a", 4), ("b", 1)])
    );
    assert_eq!(
        bars(&report, "bookings_by_topic"),
        pairs(&[("complaint", 2), ("denunciation", 1), ("petition", 2)])
    );
    assert_eq!(
        bars(&report, "bookings_by_status"),
        pairs(&[
            ("requested", 1),
            ("confirmed", 0),
            ("checked_in", 1),
            ("completed", 1),
            ("no_show", 1),
            ("cancelled", 1),
            ("rejected", 0)
        ])
    );
    assert_eq!(
        bars(&report, "cases_by_office"),
        pairs(&[("a", 2), ("b", 1)])
    );
    assert_eq!(
        bars(&report, "cases_by_kind"),
        pairs(&[("complaint", 1), ("denunciation", 1), ("petition", 1)])
    );
    let by_status: Vec<(String, i64)> = bars(&report, "cases_by_status")
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        by_status,
        pairs(&[("received", 1), ("accepted", 1), ("concluded", 1)])
    );

    // One office.
    let only_a: Value = get_as(&app, &officer, &format!("{path}&office=a"))
        .await
        .json();
    assert_eq!(only_a["totals"]["bookings"], 4);
    assert_eq!(only_a["totals"]["cases_received"], 2);
    // Not an office of the member; not a role that reads reports; bad dates.
    assert_eq!(
        get_as(&app, &officer, &format!("{path}&office=c"))
            .await
            .status(),
        403
    );
    assert_eq!(get_as(&app, &receptionist, &path).await.status(), 403);
    let backwards = get_as(
        &app,
        &officer,
        &format!("/api/staff/reports?from={to}&to={from}"),
    )
    .await;
    assert_eq!(backwards.status(), 422);
    assert_eq!(
        backwards.json::<Value>()["fields"][0]["code"],
        "end_before_start"
    );
    let nonsense = get_as(&app, &officer, "/api/staff/reports?from=hôm-qua").await;
    assert_eq!(nonsense.json::<Value>()["fields"][0]["field"], "from");

    // The same figures as CSV, with the Vietnamese labels intact.
    let csv = app
        .get_with(
            &format!("/staff/reports.csv?from={from}&to={to}"),
            &[("cookie", &officer)],
        )
        .await;
    let rows = rows(&csv);
    assert_eq!(rows[0], ["Nhóm", "Mục", "Số lượng"]);
    let find = |section: &str, item: &str| {
        rows.iter()
            .find(|r| r[0] == section && r[1] == item)
            .unwrap_or_else(|| panic!("no row {section} / {item}: {rows:?}"))[2]
            .clone()
    };
    assert_eq!(find("Tổng hợp", "Lịch hẹn"), "5");
    assert_eq!(find("Tổng hợp", "Vắng mặt"), "1");
    assert_eq!(find("Tổng hợp", "Hồ sơ quá hạn (hôm nay)"), "1");
    assert_eq!(find("Lịch hẹn theo loại việc", "Kiến nghị, phản ánh"), "2");
    assert_eq!(
        find("Hồ sơ tiếp nhận theo tình trạng hiện nay", "Đã thụ lý"),
        "1"
    );
    assert_eq!(
        app.get_with(
            &format!("/staff/reports.csv?from={from}&to={to}"),
            &[("cookie", &receptionist)]
        )
        .await
        .status(),
        403
    );
    assert_eq!(app.get("/staff/reports.csv").await.status(), 401);

    // The page draws the charts with their numbers.
    let page = app
        .get_with(
            &format!("/staff/reports?from={from}&to={to}"),
            &[("cookie", &officer)],
        )
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text();
    assert_eq!(html.matches("class=\"chart__svg\"").count(), 6);
    assert!(html.contains("Lịch hẹn theo trụ sở"));
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_case_list_download_masks_a_denouncer_for_an_officer_without_the_right(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    staff(&pool, "quantri@test.vn", "admin", &[a]).await;
    let officer = sign_in(&app, "canbo@test.vn").await;
    let (admin, _) = sign_in_admin(&app, "quantri@test.vn").await;
    case_with_code(&pool, a, "D2222222A2", "denunciation").await;
    case_with_code(&pool, a, "C2222222A2", "complaint").await;

    let officer_rows = rows(
        &app.get_with("/staff/cases.csv", &[("cookie", &officer)])
            .await,
    );
    assert_eq!(officer_rows[0][0], "Mã hồ sơ");
    assert_eq!(officer_rows.len(), 3);
    let denunciation = officer_rows.iter().find(|r| r[0] == "D2222222A2").unwrap();
    assert_eq!(denunciation[1], "Tố cáo");
    assert_eq!(denunciation[2], "[Được bảo mật]");
    let complaint = officer_rows.iter().find(|r| r[0] == "C2222222A2").unwrap();
    assert_eq!(
        complaint[2], "Trần Thị Bình",
        "a complainant is not confidential"
    );
    let identity_views = |pool: PgPool| async move {
        sqlx::query_as::<_, (String, Value)>(
            "SELECT actor_email, details FROM audit_log WHERE action = 'case.identity_viewed' AND record_id = 'D2222222A2' ORDER BY id",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    assert!(identity_views(pool.clone()).await.is_empty());

    let admin_rows = rows(
        &app.get_with("/staff/cases.csv", &[("cookie", &admin)])
            .await,
    );
    let denunciation = admin_rows.iter().find(|r| r[0] == "D2222222A2").unwrap();
    assert_eq!(denunciation[2], "Trần Thị Bình");
    assert_eq!(
        identity_views(pool.clone()).await,
        [(
            "quantri@test.vn".to_owned(),
            serde_json::json!({ "via": "csv" })
        )]
    );
    assert_eq!(app.get("/staff/cases.csv").await.status(), 401);
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_daily_digest_lists_cases_due_soon_and_overdue_once_a_day(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&pool, "a").await;
    let b = office(&pool, "b").await;
    staff(&pool, "canbo@test.vn", "officer", &[a]).await;
    staff(&pool, "letan@test.vn", "receptionist", &[a]).await;
    let today = today_vn(&pool).await;
    for (code, due) in [
        ("C2222222A2", Some(1)),
        ("C2222222A3", Some(-2)),
        ("C2222222A4", Some(10)),
        ("C2222222A5", None),
    ] {
        case_with_code(&pool, a, code, "denunciation").await;
        let due_on = due.map(|d: i64| today + chrono::Duration::days(d));
        sqlx::query("UPDATE cases SET due_on = $2 WHERE code = $1")
            .bind(code)
            .bind(due_on)
            .execute(&pool)
            .await
            .unwrap();
    }
    // Another office's overdue case is not this officer's concern.
    case_with_code(&pool, b, "C2222222A6", "complaint").await;
    sqlx::query("UPDATE cases SET due_on = $1 WHERE code = 'C2222222A6'")
        .bind(today - chrono::Days::new(3))
        .execute(&pool)
        .await
        .unwrap();

    let queued = app::cases::digest::queue(&pool, today).await.unwrap();
    assert_eq!(queued, 1, "one officer; receptionists get no digest");
    let mail = app
        .mail_to("canbo@test.vn", "1 hồ sơ sắp đến hạn, 1 quá hạn")
        .await;
    let text = mail.text().unwrap();
    assert!(text.contains("C222-2222-A2"), "{text}");
    assert!(text.contains("C222-2222-A3"), "{text}");
    assert!(text.contains("QUÁ HẠN 2 ngày"), "{text}");
    for absent in [
        "C222-2222-A4",
        "C222-2222-A5",
        "C222-2222-A6",
        "Trần Thị Bình",
    ] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
    assert!(text.contains(&format!(
        "{}/staff/cases/view?code=C2222222A3",
        app.state.settings.public_url
    )));
    // Once a day, however often (and on however many instances) it runs.
    let again = app::cases::digest::queue(&pool, today).await.unwrap();
    assert_eq!(again, 0);
    let digests: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE kind = 'case_digest'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(digests, 1);
}
