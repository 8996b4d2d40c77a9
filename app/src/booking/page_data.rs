//! What the booking and manage pages show: the office's calendar, the
//! day's slots, a refused form's draft, the ticket's QR code.

use super::create::take_draft;
use super::manage::{authenticate, details};
use super::service::{office, office_summary, parse_date, slot_info};
use super::slots;
use super::{BookingPageData, CalendarDay, ManagePageData};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::offices::repo::OfficeRow;
use crate::ssr::{app_state, AppState};
use chrono::Datelike;

async fn calendar(
    state: &AppState,
    office: &OfficeRow,
    day: Option<String>,
    locale: Locale,
) -> Result<BookingPageData, AppError> {
    let days: Vec<CalendarDay> = slots::calendar(&state.pool, office.id)
        .await?
        .into_iter()
        .map(|(date, state, free)| CalendarDay {
            date: date.format("%Y-%m-%d").to_string(),
            weekday: date.weekday().number_from_monday() as u8,
            state,
            free,
        })
        .collect();
    let chosen = day
        .as_deref()
        .and_then(|d| parse_date(d).ok())
        .map(|d| d.format("%Y-%m-%d").to_string())
        .filter(|d| days.iter().any(|c| &c.date == d))
        .or_else(|| {
            days.iter()
                .find(|d| d.state == super::DayState::Open)
                .map(|d| d.date.clone())
        });
    let slots = match chosen.as_deref().and_then(|d| parse_date(d).ok()) {
        Some(date) => slots::bookable_slots(&state.pool, office.id, date, 1)
            .await?
            .iter()
            .map(slot_info)
            .collect(),
        None => Vec::new(),
    };
    Ok(BookingPageData {
        office: office_summary(office, locale),
        days,
        day: chosen,
        slots,
        draft: None,
        consent: consent_text(state, locale).await?,
    })
}

/// The consent text in force, which the citizen forms show (the migration
/// seeds the first; none would be a broken database).
pub(crate) async fn consent_text(
    state: &AppState,
    locale: Locale,
) -> Result<crate::consent::ConsentText, AppError> {
    crate::consent::repo::current(&state.pool, locale)
        .await?
        .ok_or(AppError::Internal)
}

/// Data for `/book/{office}`.
pub async fn page_data(
    office_slug: String,
    day: Option<String>,
) -> Result<BookingPageData, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let office = office(&state, &office_slug).await?;
    let mut data = calendar(&state, &office, day, locale).await?;
    data.draft = take_draft(&state).await;
    Ok(data)
}

/// Data for `/my-booking?t=…`.
pub async fn manage_page(token: String, day: Option<String>) -> Result<ManagePageData, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let booking = authenticate(&state, locale, "", "", &token).await?;
    let details = details(&state, &booking, locale).await?;
    let calendar = if details.changeable {
        let office = office(&state, &booking.office_slug).await?;
        Some(calendar(&state, &office, day, locale).await?)
    } else {
        None
    };
    let private_link = super::own_data::service::opened_with_private_link(&state, &token).await?;
    Ok(ManagePageData {
        qr_svg: qr_svg(&booking.code),
        my_data: super::own_data::service::my_data(&state, booking.id, private_link).await?,
        booking: details,
        calendar,
    })
}

/// The booking code as a QR code, inline SVG.
fn qr_svg(code: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(code.as_bytes()) {
        Ok(qr) => {
            let svg = qr
                .render::<svg::Color>()
                .min_dimensions(168, 168)
                .quiet_zone(true)
                .build();
            // Inline in HTML: drop the XML declaration.
            svg.find("<svg")
                .map_or(svg.clone(), |i| svg[i..].to_owned())
        }
        Err(_) => String::new(),
    }
}
