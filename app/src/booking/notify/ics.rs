//! The appointment as a calendar file, attached to the mail that gives a time.

use super::BookingRow;

/// The appointment as an iCalendar file.
pub fn ics(b: &BookingRow, office: &str, address: &str, link: Option<&str>, en: bool) -> String {
    use icalendar::{Calendar, Component, Event, EventLike};
    let code = crate::booking::BookingCode::parse(&b.code)
        .map(|c| c.display())
        .unwrap_or_else(|_| b.code.clone());
    let summary = if en {
        format!("Citizen reception – {office}")
    } else {
        format!("Tiếp công dân – {office}")
    };
    let mut description = if en {
        format!("Booking code: {code}")
    } else {
        format!("Mã lịch hẹn: {code}")
    };
    if let Some(link) = link {
        description.push_str(&format!("\n{link}"));
    }
    let event = Event::new()
        .uid(&format!("{}@tiepdan", b.code))
        .summary(&summary)
        .location(address)
        .description(&description)
        .starts(b.starts_at)
        .ends(b.ends_at)
        .done();
    Calendar::new().push(event).done().to_string()
}
