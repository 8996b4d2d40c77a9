//! The e-mails a booking sends, in the language it was made in, and its
//! calendar file. Subjects carry the booking code only: never a name, CCCD,
//! phone or address. A change queues the kind of message
//! (`notice::queue`); [`render`] writes it when it is sent, with a private link
//! minted at that moment.

use super::repo::{self, BookingRow};
use crate::ssr::mail::Message;
use crate::ssr::AppState;
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

pub use super::notice::MailKind;
pub use ics::ics;

mod ics;

/// The private manage link for `token`.
pub fn manage_url(public_url: &str, token: &str) -> String {
    format!("{public_url}/my-booking?t={token}")
}

/// The message for `kind` about `booking` as it is now, with a fresh
/// private link where the message has one; `None` when the booking is gone
/// or has no e-mail.
pub async fn render(
    state: &AppState,
    kind: MailKind,
    booking: uuid::Uuid,
) -> Result<Option<Message>, sqlx::Error> {
    let Some(b) = repo::by_id(&state.pool, booking).await? else {
        return Ok(None);
    };
    if b.email.is_none() {
        return Ok(None);
    }
    // A proposal's message shows the proposed time, and the office's words
    // where a refusal shows its reason; answered or expired before it is
    // sent, there is nothing left to propose.
    let b = if kind == MailKind::Proposed {
        let Some(p) = repo::open_for(&state.pool, b.id).await? else {
            return Ok(None);
        };
        BookingRow {
            starts_at: p.starts_at,
            ends_at: p.ends_at,
            cancel_reason: Some(p.message).filter(|m| !m.is_empty()),
            ..b
        }
    } else {
        b
    };
    let token = if kind.has_link() {
        repo::issue_token(&state.pool, b.id).await?
    } else {
        String::new()
    };
    Ok(message(kind, &b, &state.settings.public_url, &token))
}

/// The message for `kind`, or `None` when the citizen gave no e-mail.
pub fn message(kind: MailKind, b: &BookingRow, public_url: &str, token: &str) -> Option<Message> {
    let to = b.email.clone()?;
    let en = b.locale == "en";
    let code = super::BookingCode::parse(&b.code)
        .map(|c| c.display())
        .unwrap_or_else(|_| b.code.clone());
    let office = if en {
        b.office_name_en.as_deref().unwrap_or(&b.office_name_vi)
    } else {
        &b.office_name_vi
    };
    let address = if en {
        b.office_address_en
            .as_deref()
            .unwrap_or(&b.office_address_vi)
    } else {
        &b.office_address_vi
    };
    let when = when(b.starts_at, b.ends_at, en);
    let link = (!token.is_empty()).then(|| manage_url(public_url, token));
    let rebook = format!("{public_url}/book/{}", b.office_slug);

    let (subject, lead, action) = match (kind, en) {
        (MailKind::Received, false) => (
            format!("Tiếp dân: đã nhận yêu cầu đặt lịch {code}"),
            "Chúng tôi đã nhận yêu cầu đặt lịch tiếp công dân của ông/bà. Lịch hẹn đang chờ trụ sở xác nhận; ông/bà sẽ nhận e-mail khi lịch được xác nhận.",
            "Xem, đổi hoặc hủy lịch hẹn",
        ),
        (MailKind::Received, true) => (
            format!("Tiếp dân: booking request {code} received"),
            "We have received your request for a citizen reception appointment. It is waiting for the office to confirm it; you will get an e-mail when it is confirmed.",
            "View, move or cancel your appointment",
        ),
        (MailKind::Cancelled, false) => (
            format!("Tiếp dân: lịch hẹn {code} đã được hủy"),
            "Lịch hẹn tiếp công dân của ông/bà đã được hủy theo yêu cầu. Nếu cần, ông/bà có thể đặt lịch mới.",
            "Đặt lịch mới",
        ),
        (MailKind::Cancelled, true) => (
            format!("Tiếp dân: appointment {code} cancelled"),
            "Your citizen reception appointment has been cancelled as you asked. You can book a new one whenever you need.",
            "Book a new appointment",
        ),
        (MailKind::Moved, false) => (
            format!("Tiếp dân: lịch hẹn {code} đã được đổi giờ"),
            "Lịch hẹn của ông/bà đã được chuyển sang thời gian mới dưới đây. Lịch mới đang chờ trụ sở xác nhận.",
            "Xem, đổi hoặc hủy lịch hẹn",
        ),
        (MailKind::Moved, true) => (
            format!("Tiếp dân: appointment {code} moved"),
            "Your appointment has been moved to the new time below. The new time is waiting for the office to confirm it.",
            "View, move or cancel your appointment",
        ),
        (MailKind::Reminder, false) => (
            format!("Tiếp dân: nhắc lịch hẹn ngày mai {code}"),
            "Nhắc ông/bà lịch tiếp công dân vào ngày mai. Nếu không thể đến, vui lòng hủy lịch để nhường chỗ cho người khác.",
            "Hủy lịch hẹn này",
        ),
        (MailKind::Reminder, true) => (
            format!("Tiếp dân: your appointment tomorrow {code}"),
            "A reminder of your citizen reception appointment tomorrow. If you cannot come, please cancel it so that someone else can take the place.",
            "Cancel this appointment",
        ),
        (MailKind::Confirmed, false) => (
            format!("Tiếp dân: lịch hẹn {code} đã được xác nhận"),
            "Trụ sở tiếp công dân đã xác nhận lịch hẹn của ông/bà. Vui lòng đến đúng giờ và mang theo giấy tờ dưới đây.",
            "Xem, đổi hoặc hủy lịch hẹn",
        ),
        (MailKind::Confirmed, true) => (
            format!("Tiếp dân: appointment {code} confirmed"),
            "The reception office has confirmed your appointment. Please come on time and bring the papers below.",
            "View, move or cancel your appointment",
        ),
        (MailKind::Proposed, false) => (
            format!("Tiếp dân: trụ sở đề xuất giờ khác cho lịch hẹn {code}"),
            "Trụ sở tiếp công dân đề xuất cho ông/bà thời gian dưới đây thay cho giờ đã chọn, và giữ chỗ cho ông/bà trong thời gian chờ trả lời. Vui lòng mở trang lịch hẹn để nhận hoặc không nhận giờ này.",
            "Nhận hoặc không nhận giờ đề xuất",
        ),
        (MailKind::Proposed, true) => (
            format!("Tiếp dân: the office proposes another time for {code}"),
            "The reception office proposes the time below instead of the one you chose, and holds the place for you while it waits for your answer. Please open your booking page to accept or decline it.",
            "Accept or decline the proposed time",
        ),
        (MailKind::Rejected, false) => (
            format!("Tiếp dân: lịch hẹn {code} không được chấp nhận"),
            "Trụ sở tiếp công dân không thể tiếp ông/bà theo lịch hẹn này. Lý do được nêu dưới đây; ông/bà có thể đặt lịch khác.",
            "Đặt lịch mới",
        ),
        (MailKind::Rejected, true) => (
            format!("Tiếp dân: appointment {code} declined"),
            "The reception office cannot receive you at this appointment. The reason is given below; you can book another one.",
            "Book a new appointment",
        ),
        (MailKind::ClosedByOffice, false) => (
            format!("Tiếp dân: lịch hẹn {code} đã bị hủy do trụ sở nghỉ"),
            "Trụ sở tiếp công dân không làm việc vào ngày hẹn của ông/bà nên lịch hẹn đã bị hủy. Lý do được nêu dưới đây; xin lỗi ông/bà vì sự bất tiện và mời ông/bà đặt lịch vào ngày khác.",
            "Đặt lịch mới",
        ),
        (MailKind::ClosedByOffice, true) => (
            format!("Tiếp dân: appointment {code} cancelled, the office is closed"),
            "The reception office is closed on the day of your appointment, so it has been cancelled. The reason is given below; we apologise, and invite you to book another day.",
            "Book a new appointment",
        ),
        (MailKind::CancelledByStaff, false) => (
            format!("Tiếp dân: lịch hẹn {code} đã bị trụ sở hủy"),
            "Trụ sở tiếp công dân đã hủy lịch hẹn của ông/bà vì lý do dưới đây. Xin lỗi ông/bà vì sự bất tiện; ông/bà có thể đặt lịch khác.",
            "Đặt lịch mới",
        ),
        (MailKind::CancelledByStaff, true) => (
            format!("Tiếp dân: appointment {code} cancelled by the office"),
            "The reception office has cancelled your appointment for the reason below. We apologise; you can book another one.",
            "Book a new appointment",
        ),
    };
    let target = match kind {
        MailKind::Cancelled
        | MailKind::Rejected
        | MailKind::ClosedByOffice
        | MailKind::CancelledByStaff => Some(rebook),
        // Opens the booking's page at its cancel button: one more tap frees
        // the place. (A link that cancelled by itself would be set off by
        // the mail scanners that open every link.)
        MailKind::Reminder => link.as_ref().map(|l| format!("{l}#cancel")),
        MailKind::Proposed => link.as_ref().map(|l| format!("{l}#proposal")),
        _ => link.clone(),
    };
    let (l_code, l_when, l_where, l_bring, bring) = if en {
        (
            "Booking code",
            "When",
            "Where",
            "Bring",
            "your citizen identity card (CCCD) or passport, and any papers about your matter.",
        )
    } else {
        ("Mã lịch hẹn", "Thời gian", "Địa điểm", "Mang theo", "căn cước công dân (CCCD) hoặc hộ chiếu và giấy tờ liên quan đến nội dung cần trình bày.")
    };
    let l_reason = match (kind, en) {
        (MailKind::Proposed, true) => "Message from the office",
        (MailKind::Proposed, false) => "Lời nhắn của trụ sở",
        (_, true) => "Reason",
        (_, false) => "Lý do",
    };
    let reason = matches!(
        kind,
        MailKind::Rejected
            | MailKind::ClosedByOffice
            | MailKind::CancelledByStaff
            | MailKind::Proposed
    )
    .then_some(b.cancel_reason.as_deref())
    .flatten();
    let ends_it = matches!(
        kind,
        MailKind::Cancelled
            | MailKind::Rejected
            | MailKind::ClosedByOffice
            | MailKind::CancelledByStaff
    );
    let mut text =
        format!("{lead}\n\n{l_code}: {code}\n{l_when}: {when}\n{l_where}: {office}, {address}\n");
    if let Some(reason) = reason {
        text.push_str(&format!("{l_reason}: {reason}\n"));
    }
    if !ends_it {
        text.push_str(&format!("{l_bring}: {bring}\n"));
    }
    if let Some(url) = &target {
        text.push_str(&format!("\n{action}: {url}\n"));
    }
    text.push_str(if en {
        "\n— Tiếp dân, Central Citizen Reception Board\nThis message was sent automatically; please do not reply.\n"
    } else {
        "\n— Tiếp dân, Ban Tiếp công dân Trung ương\nThư gửi tự động, vui lòng không trả lời.\n"
    });

    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{lead}</p><table>\
         <tr><th align=\"left\">{l_code}</th><td><strong>{code}</strong></td></tr>\
         <tr><th align=\"left\">{l_when}</th><td>{when}</td></tr>\
         <tr><th align=\"left\">{l_where}</th><td>{office}, {address}</td></tr>",
        lang = if en { "en" } else { "vi" },
        lead = escape(lead),
        code = escape(&code),
        when = escape(&when),
        office = escape(office),
        address = escape(address),
    );
    if let Some(reason) = reason {
        html.push_str(&format!(
            "<tr><th align=\"left\">{l_reason}</th><td>{}</td></tr>",
            escape(reason)
        ));
    }
    if !ends_it {
        html.push_str(&format!(
            "<tr><th align=\"left\">{l_bring}</th><td>{}</td></tr>",
            escape(bring)
        ));
    }
    html.push_str("</table>");
    if let Some(url) = &target {
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(url),
            escape(action)
        ));
    }
    html.push_str("</body></html>");

    let ics = matches!(
        kind,
        MailKind::Received | MailKind::Moved | MailKind::Confirmed
    )
    .then(|| ics(b, office, address, link.as_deref(), en));
    Some(Message {
        to,
        subject,
        text,
        html,
        ics,
    })
}

/// `Thứ Hai, 01/12/2026, 08:00–08:30` (Vietnam time).
pub fn when(starts: DateTime<Utc>, ends: DateTime<Utc>, en: bool) -> String {
    let s = starts.with_timezone(&Ho_Chi_Minh);
    let e = ends.with_timezone(&Ho_Chi_Minh);
    let day = s.weekday().number_from_monday() as usize - 1;
    let name = if en {
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][day]
    } else {
        [
            "Thứ Hai",
            "Thứ Ba",
            "Thứ Tư",
            "Thứ Năm",
            "Thứ Sáu",
            "Thứ Bảy",
            "Chủ nhật",
        ][day]
    };
    format!(
        "{name}, {}, {}–{}",
        s.format("%d/%m/%Y"),
        s.format("%H:%M"),
        e.format("%H:%M")
    )
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests;
