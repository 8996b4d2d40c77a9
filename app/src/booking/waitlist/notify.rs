//! The waiting list's e-mails: a place offered (with the private link that
//! claims it, minted when the message is sent) and a day closed. Subjects
//! carry the entry's code only.

use super::repo::{self, EntryRow, DAY_CLOSED, OFFER};
use super::service::entry_url;
use super::WaitState;
use crate::booking::notify::{escape, when};
use crate::booking::BookingCode;
use crate::ssr::mail::Message;
use crate::ssr::AppState;
use chrono_tz::Asia::Ho_Chi_Minh;
use uuid::Uuid;

/// Whether this build renders `kind`.
pub fn knows(kind: &str) -> bool {
    kind == OFFER || kind == DAY_CLOSED
}

/// The message for `kind` about `entry` as it is now; `None` when nothing
/// is left to say (the offer was claimed, ran out or the entry left before
/// the message went).
pub async fn render(
    state: &AppState,
    kind: &str,
    entry: Uuid,
) -> Result<Option<Message>, sqlx::Error> {
    let hold = state.settings.waitlist_hold();
    let mut tx = state.pool.begin().await?;
    let Some(e) = repo::find_in(&mut tx, entry, hold).await? else {
        return Ok(None);
    };
    let wanted = match kind {
        OFFER => WaitState::Offered,
        _ => WaitState::Closed,
    };
    if e.state != wanted {
        return Ok(None);
    }
    let token = if kind == OFFER {
        repo::issue_token(&mut tx, e.id).await?
    } else {
        String::new()
    };
    tx.commit().await?;
    Ok(message(kind, &e, &state.settings.public_url, &token))
}

/// The message itself.
pub fn message(kind: &str, e: &EntryRow, public_url: &str, token: &str) -> Option<Message> {
    let en = e.locale == "en";
    let code = BookingCode::pretty(&e.code);
    let office = match (en, &e.office_name_en) {
        (true, Some(name)) => name.as_str(),
        _ => e.office_name_vi.as_str(),
    };
    let day = e.day.format("%d/%m/%Y").to_string();
    let (subject, lead, detail, action, url) = if kind == OFFER {
        let (Some(starts), Some(ends), Some(until)) =
            (e.offer_starts_at, e.offer_ends_at, e.offer_until)
        else {
            return None;
        };
        let until = until.with_timezone(&Ho_Chi_Minh).format("%H:%M %d/%m/%Y");
        let url = format!("{public_url}{}", entry_url(token));
        if en {
            (
                format!("Tiếp dân: a place is free for you ({code})"),
                "A place has freed up on the day you were waiting for. It is held for you: claim it with the link below before the time shown, or it goes to the next person waiting.".to_owned(),
                format!("{}\nHeld for you until: {until}", when(starts, ends, true)),
                "Claim this place",
                Some(url),
            )
        } else {
            (
                format!("Tiếp dân: có chỗ trống dành cho ông/bà ({code})"),
                "Đã có một chỗ trống trong ngày ông/bà đăng ký chờ. Chỗ này được giữ cho ông/bà: vui lòng nhận chỗ bằng đường dẫn dưới đây trước thời hạn ghi bên dưới, nếu không chỗ sẽ chuyển cho người chờ tiếp theo.".to_owned(),
                format!("{}\nGiữ chỗ đến: {until}", when(starts, ends, false)),
                "Nhận chỗ này",
                Some(url),
            )
        }
    } else if en {
        (
            format!("Tiếp dân: the office closed {day} ({code})"),
            "The office will not receive citizens on the day you were waiting for, so the waiting list for it has ended. You can book another day.".to_owned(),
            day.clone(),
            "Book another day",
            Some(format!("{public_url}/book/{}", e.office_slug)),
        )
    } else {
        (
            format!("Tiếp dân: trụ sở nghỉ ngày {day} ({code})"),
            "Trụ sở không tiếp công dân vào ngày ông/bà đăng ký chờ, nên danh sách chờ của ngày này đã kết thúc. Ông/bà có thể đặt lịch ngày khác.".to_owned(),
            day.clone(),
            "Đặt lịch ngày khác",
            Some(format!("{public_url}/book/{}", e.office_slug)),
        )
    };
    let (l_code, l_where) = if en {
        ("Waiting-list code", "Office")
    } else {
        ("Mã danh sách chờ", "Trụ sở")
    };
    let mut text = format!("{lead}\n\n{l_code}: {code}\n{l_where}: {office}\n{detail}\n");
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{lead}</p>\
         <p>{l_code}: <strong>{code}</strong><br>{l_where}: {office}<br>{detail}</p>",
        lang = if en { "en" } else { "vi" },
        lead = escape(&lead),
        code = escape(&code),
        office = escape(office),
        detail = escape(&detail).replace('\n', "<br>"),
    );
    if let Some(url) = url {
        text.push_str(&format!("\n{action}: {url}\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(&url),
            escape(action)
        ));
    }
    text.push_str(if en {
        "\n— Tiếp dân, Central Citizen Reception Board\nThis message was sent automatically; please do not reply.\n"
    } else {
        "\n— Tiếp dân, Ban Tiếp công dân Trung ương\nThư gửi tự động, vui lòng không trả lời.\n"
    });
    html.push_str("</body></html>");
    Some(Message {
        to: e.email.clone(),
        subject,
        text,
        html,
        ics: None,
    })
}
