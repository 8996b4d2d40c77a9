//! The waiting list's e-mails: the entry confirmed (its code and private
//! link), a place offered (with the private link that claims it), the offer
//! run out and a day closed. Links are minted when the message is sent;
//! subjects carry the entry's code only.

use super::repo::{self, EntryRow, DAY_CLOSED, JOINED, LAPSED, OFFER};
use super::service::entry_url;
use super::WaitState;
use crate::booking::notify::{escape, when};
use crate::booking::BookingCode;
use crate::ssr::mail::Message;
use crate::ssr::AppState;
use chrono_tz::Asia::Ho_Chi_Minh;
use std::time::Duration;
use uuid::Uuid;

/// Whether this build renders `kind`.
pub fn knows(kind: &str) -> bool {
    [JOINED, OFFER, LAPSED, DAY_CLOSED].contains(&kind)
}

/// The state an entry must still be in for `kind` to be worth sending.
fn sent_in(kind: &str) -> WaitState {
    match kind {
        JOINED => WaitState::Waiting,
        OFFER => WaitState::Offered,
        LAPSED => WaitState::Lapsed,
        _ => WaitState::Closed,
    }
}

/// The message for `kind` about `entry` as it is now; `None` when nothing
/// is left to say (the offer was claimed, ran out or the entry left before
/// the message went; an entry offered a place before its confirmation went
/// gets the offer alone).
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
    if e.state != sent_in(kind) {
        return Ok(None);
    }
    let token = if kind == OFFER || kind == JOINED {
        repo::issue_token(&mut tx, e.id).await?
    } else {
        String::new()
    };
    tx.commit().await?;
    Ok(message(kind, &e, &state.settings.public_url, &token, hold))
}

/// What one kind of message says: subject, lead, details, and a link.
struct Content {
    subject: String,
    lead: String,
    detail: String,
    action: &'static str,
    url: String,
}

/// The message itself; `token` is the entry's private link (the
/// confirmation and the offer carry it), `hold` how long an offer lasts.
pub fn message(
    kind: &str,
    e: &EntryRow,
    public_url: &str,
    token: &str,
    hold: Duration,
) -> Option<Message> {
    let en = e.locale == "en";
    let code = BookingCode::pretty(&e.code);
    let office = match (en, &e.office_name_en) {
        (true, Some(name)) => name.as_str(),
        _ => e.office_name_vi.as_str(),
    };
    let entry_link = format!("{public_url}{}", entry_url(token));
    let book_link = format!("{public_url}/book/{}", e.office_slug);
    let c = match kind {
        JOINED => joined(e, en, &code, entry_link, hold),
        OFFER => offered(e, en, &code, entry_link)?,
        LAPSED => lapsed(e, en, &code, book_link),
        _ => closed(e, en, &code, book_link),
    };
    let (l_code, l_where) = if en {
        ("Waiting-list code", "Office")
    } else {
        ("Mã danh sách chờ", "Trụ sở")
    };
    let text = format!(
        "{lead}\n\n{l_code}: {code}\n{l_where}: {office}\n{detail}\n\n{action}: {url}\n{sign}",
        lead = c.lead,
        detail = c.detail,
        action = c.action,
        url = c.url,
        sign = if en {
            "\n— Tiếp dân, Central Citizen Reception Board\nThis message was sent automatically; please do not reply.\n"
        } else {
            "\n— Tiếp dân, Ban Tiếp công dân Trung ương\nThư gửi tự động, vui lòng không trả lời.\n"
        },
    );
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{lead}</p>\
         <p>{l_code}: <strong>{code}</strong><br>{l_where}: {office}<br>{detail}</p>\
         <p><a href=\"{url}\">{action}</a></p></body></html>",
        lang = if en { "en" } else { "vi" },
        lead = escape(&c.lead),
        code = escape(&code),
        office = escape(office),
        detail = escape(&c.detail).replace('\n', "<br>"),
        url = escape(&c.url),
        action = escape(c.action),
    );
    Some(Message {
        to: e.email.clone(),
        subject: c.subject,
        text,
        html,
        ics: None,
    })
}

fn day(e: &EntryRow) -> String {
    e.day.format("%d/%m/%Y").to_string()
}

fn joined(e: &EntryRow, en: bool, code: &str, url: String, hold: Duration) -> Content {
    // Whole minutes, at least one, as the citizen will be told them.
    let minutes = hold.as_secs().div_ceil(60).max(1);
    let time = e
        .slot_starts_at
        .map(|at| at.with_timezone(&Ho_Chi_Minh).format("%H:%M").to_string());
    if en {
        Content {
            subject: format!("Tiếp dân: you are on the waiting list ({code})"),
            lead: format!("You are on the waiting list of a full day. When a place frees up it goes to the first person waiting, and we e-mail them: the place is then held for {minutes} minutes. Keep this code; the link below shows your place in line and lets you leave the list."),
            detail: format!(
                "Day: {}\nTime: {}\nPeople waiting ahead of you: {}",
                day(e),
                time.unwrap_or_else(|| "any time that day".into()),
                e.ahead
            ),
            action: "Your place in line",
            url,
        }
    } else {
        Content {
            subject: format!("Tiếp dân: ông/bà đã có tên trong danh sách chờ ({code})"),
            lead: format!("Ông/bà đã đăng ký chờ chỗ cho một ngày đã kín lịch. Khi có chỗ trống, chỗ đó dành cho người chờ đầu tiên và chúng tôi gửi thư báo; chỗ được giữ trong {minutes} phút. Vui lòng giữ mã này; đường dẫn dưới đây cho biết thứ tự chờ và cho phép rời danh sách."),
            detail: format!(
                "Ngày: {}\nGiờ: {}\nSố người chờ trước ông/bà: {}",
                day(e),
                time.unwrap_or_else(|| "giờ nào trong ngày cũng được".into()),
                e.ahead
            ),
            action: "Xem thứ tự chờ",
            url,
        }
    }
}

fn offered(e: &EntryRow, en: bool, code: &str, url: String) -> Option<Content> {
    let (Some(starts), Some(ends), Some(until)) =
        (e.offer_starts_at, e.offer_ends_at, e.offer_until)
    else {
        return None;
    };
    let until = until.with_timezone(&Ho_Chi_Minh).format("%H:%M %d/%m/%Y");
    Some(if en {
        Content {
            subject: format!("Tiếp dân: a place is free for you ({code})"),
            lead: "A place has freed up on the day you were waiting for. It is held for you: claim it with the link below before the time shown, or it goes to the next person waiting.".to_owned(),
            detail: format!("{}\nHeld for you until: {until}", when(starts, ends, true)),
            action: "Claim this place",
            url,
        }
    } else {
        Content {
            subject: format!("Tiếp dân: có chỗ trống dành cho ông/bà ({code})"),
            lead: "Đã có một chỗ trống trong ngày ông/bà đăng ký chờ. Chỗ này được giữ cho ông/bà: vui lòng nhận chỗ bằng đường dẫn dưới đây trước thời hạn ghi bên dưới, nếu không chỗ sẽ chuyển cho người chờ tiếp theo.".to_owned(),
            detail: format!("{}\nGiữ chỗ đến: {until}", when(starts, ends, false)),
            action: "Nhận chỗ này",
            url,
        }
    })
}

fn lapsed(e: &EntryRow, en: bool, code: &str, url: String) -> Content {
    if en {
        Content {
            subject: format!("Tiếp dân: the place held for you has gone ({code})"),
            lead: "The place held for you was not claimed in time, so it went to the next person waiting and your entry has left the waiting list. If the day is still full you can join its waiting list again, or book another day.".to_owned(),
            detail: format!("Day: {}", day(e)),
            action: "Book a time",
            url,
        }
    } else {
        Content {
            subject: format!("Tiếp dân: chỗ giữ cho ông/bà đã hết hạn ({code})"),
            lead: "Chỗ giữ cho ông/bà không được nhận trong thời hạn nên đã chuyển cho người chờ tiếp theo, và ông/bà đã ra khỏi danh sách chờ. Nếu ngày đó vẫn kín lịch, ông/bà có thể đăng ký chờ lại, hoặc đặt lịch ngày khác.".to_owned(),
            detail: format!("Ngày: {}", day(e)),
            action: "Đặt lịch",
            url,
        }
    }
}

fn closed(e: &EntryRow, en: bool, code: &str, url: String) -> Content {
    let day = day(e);
    if en {
        Content {
            subject: format!("Tiếp dân: the office closed {day} ({code})"),
            lead: "The office will not receive citizens on the day you were waiting for, so the waiting list for it has ended. You can book another day.".to_owned(),
            detail: day,
            action: "Book another day",
            url,
        }
    } else {
        Content {
            subject: format!("Tiếp dân: trụ sở nghỉ ngày {day} ({code})"),
            lead: "Trụ sở không tiếp công dân vào ngày ông/bà đăng ký chờ, nên danh sách chờ của ngày này đã kết thúc. Ông/bà có thể đặt lịch ngày khác.".to_owned(),
            detail: day,
            action: "Đặt lịch ngày khác",
            url,
        }
    }
}
