//! The e-mail a citizen who opted in gets at each public step of a case.
//! The subject carries the tracking code and the step only: never a name,
//! and for a denunciation nothing that could identify the denouncer.

use super::repo::CaseRow;
use crate::booking::notify::escape;
use crate::i18n::Locale;
use crate::ssr::outbox::Outgoing;

/// The private page of the case for `token`.
pub fn track_url(public_url: &str, token: &str) -> String {
    format!("{public_url}/track?t={token}")
}

/// One step's message, or `None` when the citizen did not opt in.
pub fn message(
    c: &CaseRow,
    step: &str,
    note: &str,
    due: Option<&str>,
    url: &str,
) -> Option<Outgoing> {
    if !c.notify {
        return None;
    }
    let to = c.email.clone()?;
    let en = c.locale == "en";
    let code = super::TrackingCode::parse(&c.code)
        .map(|code| code.display())
        .unwrap_or_else(|_| c.code.clone());
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
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p>",
        if en { "en" } else { "vi" },
        escape(&lead)
    );
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
    Some(Outgoing {
        kind: "case_update",
        booking_id: None,
        case_id: Some(c.id),
        to,
        subject,
        text,
        html,
        ics: None,
    })
}

/// The language the citizen wrote in.
pub(super) fn row_locale(row: &CaseRow) -> Locale {
    if row.locale == "en" {
        Locale::en
    } else {
        Locale::vi
    }
}
