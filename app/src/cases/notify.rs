//! The e-mails a citizen gets about a case: one at each public step (when
//! they opted in), and the two that guard a change of address (a
//! confirmation link to the new one, a notice to the old one). The subject
//! carries the tracking code and the step only: never a name, and for a
//! denunciation nothing that could identify the denouncer.
//!
//! A change queues the message ([`queue_update`]); the `render_*` functions
//! write it when it is sent, with a private link minted at that moment.

use super::repo::{self, CaseRow};
use crate::booking::notify::escape;
use crate::i18n::Locale;
use crate::ssr::mail::Message;
use crate::ssr::outbox::{self, About, Queued};
use crate::ssr::AppState;
use chrono::NaiveDate;
use serde_json::{json, Value};
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

pub use super::notice::{EMAIL_CHANGED, EMAIL_CONFIRM, UPDATE};

/// An e-mail's link lasts about as long as a case's longest stage.
const MAIL_LINK_HOURS: i32 = 24 * 120;

/// The private page of the case for `token`.
pub fn track_url(public_url: &str, token: &str) -> String {
    format!("{public_url}/track?t={token}")
}

/// Queues the e-mail of a public step, if the citizen opted in.
pub(super) async fn queue_update(
    tx: &mut Transaction<'_, Postgres>,
    row: &CaseRow,
    step: &str,
    note: &str,
    due: Option<NaiveDate>,
) -> Result<(), sqlx::Error> {
    if !row.notify || row.email.is_none() {
        return Ok(());
    }
    let payload =
        json!({ "step": step, "note": note, "due": due.map(|d| d.format("%d/%m/%Y").to_string()) });
    outbox::enqueue(tx, &Queued::new(UPDATE, About::Case(row.id)).with(payload)).await
}

fn text(payload: &Value, key: &str) -> String {
    payload
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

fn display_code(c: &CaseRow) -> String {
    super::TrackingCode::parse(&c.code)
        .map(|code| code.display())
        .unwrap_or_else(|_| c.code.clone())
}

/// The step's message for the case as it is now; `None` when the citizen
/// opted out since, or left no address.
pub async fn render_update(
    state: &AppState,
    case: Uuid,
    payload: &Value,
) -> Result<Option<Message>, sqlx::Error> {
    let Some(row) = repo::by_id(&state.pool, case).await? else {
        return Ok(None);
    };
    if !row.notify || row.email.is_none() {
        return Ok(None);
    }
    let token = repo::issue_token(&state.pool, row.id, MAIL_LINK_HOURS).await?;
    let url = track_url(&state.settings.public_url, &token);
    let due = text(payload, "due");
    Ok(message(
        &row,
        &text(payload, "step"),
        &text(payload, "note"),
        (!due.is_empty()).then_some(due.as_str()),
        &url,
    ))
}

/// One step's message, or `None` when the citizen did not opt in.
pub fn message(
    c: &CaseRow,
    step: &str,
    note: &str,
    due: Option<&str>,
    url: &str,
) -> Option<Message> {
    if !c.notify {
        return None;
    }
    let to = c.email.clone()?;
    let en = c.locale == "en";
    let code = display_code(c);
    let (subject, lead, note_label, due_label, action, footer) = if en {
        (
            format!("Tiếp dân: case {code} – {step}"),
            format!("Your case {code} has a new step: {step}."),
            "Note from the agency",
            "Deadline of the current stage",
            "Follow your case",
            "You receive this e-mail because you asked to be told of every step. You can stop these e-mails on the case's page.",
        )
    } else {
        (
            format!("Tiếp dân: hồ sơ {code} – {step}"),
            format!("Hồ sơ {code} của ông/bà có bước mới: {step}."),
            "Ghi chú của cơ quan",
            "Thời hạn của bước hiện tại",
            "Theo dõi hồ sơ",
            "Ông/bà nhận e-mail này vì đã đăng ký nhận thông báo ở mỗi bước. Có thể ngừng nhận trên trang hồ sơ.",
        )
    };
    let mut text = format!("{lead}\n");
    let mut html = open_html(en, &lead);
    if !note.is_empty() {
        text.push_str(&format!("\n{note_label}: {note}\n"));
        html.push_str(&format!(
            "<p><strong>{}:</strong> {}</p>",
            escape(note_label),
            escape(note)
        ));
    }
    if let Some(due) = due {
        text.push_str(&format!("{due_label}: {due}\n"));
        html.push_str(&format!(
            "<p><strong>{}:</strong> {}</p>",
            escape(due_label),
            escape(due)
        ));
    }
    text.push_str(&format!("\n{action}: {url}\n\n{footer}\n\n— Tiếp dân\n"));
    html.push_str(&format!(
        "<p><a href=\"{}\">{}</a></p><p style=\"color:#555\">{}</p></body></html>",
        escape(url),
        escape(action),
        escape(footer)
    ));
    Some(Message {
        to,
        subject,
        text,
        html,
        ics: None,
    })
}

fn open_html(en: bool, lead: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p>",
        if en { "en" } else { "vi" },
        escape(lead)
    )
}

/// `n•••@example.vn`: enough for its owner to recognise, not to copy.
pub(super) fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

/// The confirmation link, to the new address; minted now, valid 48 hours
/// from the request. `None` once the change was confirmed, replaced or
/// expired.
pub async fn render_email_confirm(
    state: &AppState,
    case: Uuid,
    payload: &Value,
) -> Result<Option<Message>, sqlx::Error> {
    let Some(change) = payload.get("change").and_then(Value::as_i64) else {
        return Ok(None);
    };
    let Some(row) = repo::by_id(&state.pool, case).await? else {
        return Ok(None);
    };
    let Some((to, token)) = repo::mint_email_change_token(&state.pool, case, change).await? else {
        return Ok(None);
    };
    let en = row.locale == "en";
    let code = display_code(&row);
    let url = format!("{}/track/email?t={token}", state.settings.public_url);
    let (subject, lead, action, footer) = if en {
        (
            format!("Tiếp dân: confirm your e-mail for case {code}"),
            format!("Please confirm that news of case {code} should come to this address."),
            "Confirm this address",
            "The link works once, for 48 hours. If you did not ask for this, ignore this e-mail: nothing changes.",
        )
    } else {
        (
            format!("Tiếp dân: xác nhận e-mail nhận tin hồ sơ {code}"),
            format!("Vui lòng xác nhận địa chỉ này sẽ nhận thông báo về hồ sơ {code}."),
            "Xác nhận địa chỉ này",
            "Đường dẫn dùng được một lần, trong 48 giờ. Nếu ông/bà không yêu cầu, hãy bỏ qua e-mail này: không có gì thay đổi.",
        )
    };
    let text = format!("{lead}\n\n{action}: {url}\n\n{footer}\n\n— Tiếp dân\n");
    let mut html = open_html(en, &lead);
    html.push_str(&format!(
        "<p><a href=\"{}\">{}</a></p><p style=\"color:#555\">{}</p></body></html>",
        escape(&url),
        escape(action),
        escape(footer)
    ));
    Ok(Some(Message {
        to,
        subject,
        text,
        html,
        ics: None,
    }))
}

/// The notice to the address on file that someone asked to replace it.
pub async fn render_email_changed(
    state: &AppState,
    case: Uuid,
    payload: &Value,
) -> Result<Option<Message>, sqlx::Error> {
    let Some(change) = payload.get("change").and_then(Value::as_i64) else {
        return Ok(None);
    };
    let Some(row) = repo::by_id(&state.pool, case).await? else {
        return Ok(None);
    };
    let Some((old, new)) = repo::email_change_addresses(&state.pool, case, change).await? else {
        return Ok(None);
    };
    let Some(to) = old else {
        return Ok(None);
    };
    let en = row.locale == "en";
    let code = display_code(&row);
    let new = mask_email(&new);
    let (subject, lead, footer) = if en {
        (
            format!("Tiếp dân: a new e-mail address was given for case {code}"),
            format!("Someone with the private link of case {code} asked for its news to go to {new} instead of this address. It changes only if that address confirms."),
            "If this was not you, tell the reception office: your case's private link may have been shared.",
        )
    } else {
        (
            format!("Tiếp dân: yêu cầu đổi e-mail nhận tin hồ sơ {code}"),
            format!("Có người dùng đường dẫn riêng của hồ sơ {code} yêu cầu gửi thông báo tới {new} thay cho địa chỉ này. Địa chỉ chỉ thay đổi khi địa chỉ mới xác nhận."),
            "Nếu không phải ông/bà yêu cầu, vui lòng báo cho trụ sở tiếp công dân: đường dẫn riêng của hồ sơ có thể đã bị lộ.",
        )
    };
    let text = format!("{lead}\n\n{footer}\n\n— Tiếp dân\n");
    let mut html = open_html(en, &lead);
    html.push_str(&format!(
        "<p style=\"color:#555\">{}</p></body></html>",
        escape(footer)
    ));
    Ok(Some(Message {
        to,
        subject,
        text,
        html,
        ics: None,
    }))
}

/// The language the citizen wrote in.
pub(super) fn row_locale(row: &CaseRow) -> Locale {
    if row.locale == "en" {
        Locale::en
    } else {
        Locale::vi
    }
}
