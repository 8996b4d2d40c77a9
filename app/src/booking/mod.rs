//! Citizen booking: slots, booking, look-up, cancel and move.
//!
//! The server functions here are the public booking API (`docs/api.md`);
//! the pages in [`ui`](ui) post their forms to the same
//! endpoints. All rules live on the server, in [`repo`] (SQL) and
//! [`validate`] (fields, shared with the browser).

#[cfg(feature = "ssr")]
pub mod citizen;
pub mod code;
#[cfg(feature = "ssr")]
mod create;
#[cfg(feature = "ssr")]
pub mod drafts;
pub mod form;
#[cfg(feature = "ssr")]
pub mod generator;
#[cfg(feature = "ssr")]
mod manage;
#[cfg(feature = "ssr")]
pub mod notice;
#[cfg(feature = "ssr")]
pub mod notify;
pub mod own_data;
#[cfg(feature = "ssr")]
mod page_data;
pub mod priority;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(feature = "ssr")]
pub mod slots;
pub mod status;
pub mod ui;
pub mod validate;
pub mod waitlist;
pub use ui::FormGuard;

pub use code::BookingCode;
pub use form::{BookingForm, CitizenFields, VisitFields};
pub use priority::PriorityGroup;
pub use status::{BookingStatus, DeskAction, HistoryStep};
pub use validate::Topic;

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

pub use crate::consent::ConsentText;

/// A bookable slot. Times are RFC 3339 in Vietnam time (`+07:00`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotInfo {
    pub id: i64,
    pub starts_at: String,
    pub ends_at: String,
    pub capacity: i16,
    pub remaining: i16,
}

/// What `POST /api/bookings/create` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingCreated {
    pub code: String,
    pub status: BookingStatus,
    pub starts_at: String,
    pub office: String,
}

/// An office as a booking shows it, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeSummary {
    pub slug: String,
    pub name: String,
    pub address: String,
}

/// One change in a booking's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: String,
    pub status: HistoryStep,
}

/// A booking as its holder sees it after proving who they are. The CCCD and
/// phone are never sent back; the e-mail only as "given or not".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingDetails {
    pub code: String,
    pub status: BookingStatus,
    pub office: OfficeSummary,
    pub slot_id: i64,
    pub starts_at: String,
    pub ends_at: String,
    pub full_name: String,
    pub topic: Topic,
    pub party_size: i16,
    pub representatives: Vec<String>,
    pub email_given: bool,
    /// Whether cancel and move are still possible (status and notice).
    pub changeable: bool,
    pub history: Vec<HistoryEntry>,
    /// Another time the office proposed, waiting for the citizen's answer.
    #[serde(default)]
    pub proposal: Option<ProposalInfo>,
}

/// A time the office proposed instead of the one asked for; its place is
/// held until `expires_at` (RFC 3339, like the times).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalInfo {
    pub starts_at: String,
    pub ends_at: String,
    pub expires_at: String,
    pub message: String,
}

/// The bookable slots of an office over `days` days from `from`
/// (default: today, 14 days; at most 62).
#[server(endpoint = "slots", input = GetUrl)]
pub async fn list_slots(
    office: String,
    #[server(default)] from: Option<String>,
    #[server(default)] days: Option<String>,
) -> Result<Vec<SlotInfo>, AppError> {
    crate::ssr::respond(service::list_slots(office, from, days).await)
}

/// Books a slot. The form's fields by name (see [`BookingForm`]);
/// `representatives` holds one name per line; `consent` must be `true` (or
/// `on`, as a checkbox sends it).
#[server(endpoint = "bookings/create")]
pub async fn create_booking(
    #[server(flatten)] form: BookingForm,
) -> Result<BookingCreated, AppError> {
    crate::ssr::respond(create::create(form).await)
}

/// Finds a booking by its code and the phone number it was made with. A
/// wrong code and a wrong phone give the same 404.
#[server(endpoint = "bookings/lookup")]
pub async fn lookup_booking(
    #[server(default)] code: String,
    #[server(default)] phone: String,
) -> Result<BookingDetails, AppError> {
    crate::ssr::respond(manage::lookup(code, phone).await)
}

/// Cancels a booking, identified by code + phone or by its private link's
/// `token`.
#[server(endpoint = "bookings/cancel")]
pub async fn cancel_booking(
    #[server(default)] code: String,
    #[server(default)] phone: String,
    #[server(default)] token: String,
    #[server(default)] reason: String,
) -> Result<BookingDetails, AppError> {
    crate::ssr::respond(manage::cancel(code, phone, token, reason).await)
}

/// Moves a booking to another slot of the same office, atomically.
#[server(endpoint = "bookings/reschedule")]
pub async fn reschedule_booking(
    #[server(default)] code: String,
    #[server(default)] phone: String,
    #[server(default)] token: String,
    #[server(default)] slot_id: String,
) -> Result<BookingDetails, AppError> {
    crate::ssr::respond(manage::reschedule(code, phone, token, slot_id).await)
}

/// Answers another time the office proposed: `answer` is `accept` (the
/// booking moves there and is confirmed) or `decline` (the request stays as
/// it was). 409 `no_proposal` when none is open or it expired.
#[server(endpoint = "bookings/proposal")]
pub async fn answer_proposal(
    #[server(default)] code: String,
    #[server(default)] phone: String,
    #[server(default)] token: String,
    #[server(default)] answer: String,
) -> Result<BookingDetails, AppError> {
    crate::ssr::respond(manage::answer(code, phone, token, answer).await)
}

/// A day in the booking calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// ISO weekday, 1 = Monday.
    pub weekday: u8,
    pub state: DayState,
    /// Places left in slots still bookable that day.
    pub free: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayState {
    Open,
    Full,
    Closed,
}

/// What the booking page shows: the office, its calendar and, for the chosen
/// day, the bookable slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingPageData {
    pub office: OfficeSummary,
    pub days: Vec<CalendarDay>,
    /// The chosen day (or the first open one), `YYYY-MM-DD`.
    pub day: Option<String>,
    pub slots: Vec<SlotInfo>,
    /// What the citizen typed, when a plain form post was refused.
    #[serde(default)]
    pub draft: Option<BookingForm>,
    /// The consent text in force, which the form shows.
    pub consent: ConsentText,
}

/// Data of the booking page (internal to the site; see `docs/api.md`).
#[server(endpoint = "pages/booking", input = GetUrl)]
pub async fn load_booking_page(
    office: String,
    #[server(default)] day: Option<String>,
) -> Result<BookingPageData, AppError> {
    crate::ssr::respond(page_data::page_data(office, day).await)
}

/// What the private manage page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagePageData {
    pub booking: BookingDetails,
    /// The ticket's QR code (of the booking code), as SVG markup.
    pub qr_svg: String,
    /// Calendar for moving, when the booking can still move.
    pub calendar: Option<BookingPageData>,
    /// The personal data held about the booking.
    pub my_data: own_data::MyData,
}

/// Data of the manage page, from the private link's token (internal).
#[server(endpoint = "pages/manage")]
pub async fn load_manage_page(
    token: String,
    #[server(default)] day: Option<String>,
) -> Result<ManagePageData, AppError> {
    crate::ssr::respond(page_data::manage_page(token, day).await)
}
