//! The officers' daily e-mail: the cases of their offices due within three
//! days and those already overdue, soonest first. It names cases by code,
//! kind and status only: never a citizen, so never a denouncer.

use super::{CaseKind, CaseStatus};
use crate::booking::notify::escape;
use crate::i18n::Locale;
use crate::ssr::mail::Message;
use crate::ssr::outbox::{self, About, Queued};
use crate::ssr::AppState;
use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

/// Cases due within this many days are listed.
pub const AHEAD_DAYS: i32 = 3;

/// The outbox kind.
pub const KIND: &str = "case_digest";

struct Member {
    id: Uuid,
    email: String,
    display_name: String,
}

struct Due {
    code: String,
    kind: CaseKind,
    status: CaseStatus,
    due_on: NaiveDate,
}

/// Queues today's digest for every active officer and administrator who
/// has something due and has not had one today. Returns how many were
/// queued.
pub async fn queue(pool: &PgPool, today: NaiveDate) -> Result<usize, sqlx::Error> {
    let members = sqlx::query_as!(
        Member,
        "SELECT id, email, display_name FROM staff_accounts WHERE active AND role IN ('officer', 'supervisor', 'admin') ORDER BY email"
    )
    .fetch_all(pool)
    .await?;
    let mut queued = 0;
    for member in members {
        let mut tx = pool.begin().await?;
        let claimed = sqlx::query_scalar!(
            "INSERT INTO case_digests (day, staff_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING staff_id",
            today,
            member.id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if claimed.is_none() {
            continue;
        }
        let due = due_for(&mut *tx, member.id, today).await?;
        if !due.is_empty() {
            sqlx::query!(
                "UPDATE case_digests SET cases = $3 WHERE day = $1 AND staff_id = $2",
                today,
                member.id,
                i32::try_from(due.len()).unwrap_or(i32::MAX)
            )
            .execute(&mut *tx)
            .await?;
            let payload = serde_json::json!({ "day": today.format("%Y-%m-%d").to_string() });
            outbox::enqueue(
                &mut tx,
                &Queued::new(KIND, About::Staff(member.id)).with(payload),
            )
            .await?;
            queued += 1;
        }
        tx.commit().await?;
    }
    Ok(queued)
}

async fn due_for<'e>(
    db: impl sqlx::PgExecutor<'e>,
    member: Uuid,
    today: NaiveDate,
) -> Result<Vec<Due>, sqlx::Error> {
    sqlx::query_as!(
        Due,
        r#"
        SELECT c.code, c.kind AS "kind: CaseKind", c.status AS "status: CaseStatus", c.due_on AS "due_on!"
        FROM cases c JOIN staff_offices so ON so.office_id = c.office_id
        WHERE so.staff_id = $1 AND c.due_on IS NOT NULL AND c.due_on <= $2::date + $3::int
        ORDER BY c.due_on, c.code
        "#,
        member,
        today,
        AHEAD_DAYS
    )
    .fetch_all(db)
    .await
}

/// The digest of `payload`'s day for `member`, listing what is due as it
/// stands when it is sent; `None` when the member left or nothing is due.
pub async fn render(
    state: &AppState,
    member: Uuid,
    payload: &serde_json::Value,
) -> Result<Option<Message>, sqlx::Error> {
    let Some(today) = payload
        .get("day")
        .and_then(|d| d.as_str())
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return Ok(None);
    };
    let Some(member) = sqlx::query_as!(
        Member,
        "SELECT id, email, display_name FROM staff_accounts WHERE id = $1 AND active",
        member
    )
    .fetch_optional(&state.pool)
    .await?
    else {
        return Ok(None);
    };
    let due = due_for(&state.pool, member.id, today).await?;
    if due.is_empty() {
        return Ok(None);
    }
    Ok(Some(message(
        &member,
        &due,
        &state.settings.public_url,
        today,
    )))
}

fn message(member: &Member, due: &[Due], public_url: &str, today: NaiveDate) -> Message {
    let overdue = due.iter().filter(|d| d.due_on < today).count();
    let subject = format!(
        "Tiếp dân: {} hồ sơ sắp đến hạn, {} quá hạn – {}",
        due.len() - overdue,
        overdue,
        today.format("%d/%m/%Y")
    );
    let mut text = format!(
        "Xin chào {},\n\nCác hồ sơ sắp đến hạn trong {AHEAD_DAYS} ngày tới hoặc đã quá hạn:\n\n",
        member.display_name
    );
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"vi\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>Xin chào {},</p><p>Các hồ sơ sắp đến hạn trong {AHEAD_DAYS} ngày tới hoặc đã quá hạn:</p><ul>",
        escape(&member.display_name)
    );
    for d in due {
        let code = super::TrackingCode::parse(&d.code)
            .map(|c| c.display())
            .unwrap_or_else(|_| d.code.clone());
        let left = (d.due_on - today).num_days();
        let when = match left {
            n if n < 0 => format!("QUÁ HẠN {} ngày", -n),
            0 => "hết hạn hôm nay".to_owned(),
            n => format!("còn {n} ngày"),
        };
        let status = d.status.label(Locale::vi);
        let line = format!(
            "{code} · {} · {status} · hạn {} ({when})",
            d.kind.label(Locale::vi),
            d.due_on.format("%d/%m/%Y")
        );
        let url = format!("{public_url}/staff/cases/view?code={}", d.code);
        text.push_str(&format!("- {line}\n  {url}\n"));
        html.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>",
            escape(&url),
            escape(&line)
        ));
    }
    text.push_str("\n— Tiếp dân\n");
    html.push_str("</ul></body></html>");
    Message {
        to: member.email.clone(),
        subject,
        text,
        html,
        ics: None,
    }
}
