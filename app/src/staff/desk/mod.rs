//! The front desk: an office's day (slots and bookings, each as the reader
//! may see it), the status changes staff make, notes, and walk-ins.

#[cfg(feature = "ssr")]
mod actions;
#[cfg(feature = "ssr")]
mod ahead;
#[cfg(feature = "ssr")]
mod day;
#[cfg(feature = "ssr")]
mod propose;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;
#[cfg(feature = "ssr")]
pub mod walk_in;

#[cfg(feature = "ssr")]
use crate::booking::DeskAction;
use crate::booking::{BookingStatus, Topic};
use crate::booking::{CitizenFields, VisitFields};
use crate::error::AppError;
use crate::offices::OfficeChoice;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// `POST /api/staff/bookings/walk-in`: where (`office`, and `starts_at`: a
/// slot's RFC 3339 start, or `now` where the office takes walk-ins outside
/// its slots), who and about what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WalkInForm {
    pub office: String,
    pub starts_at: String,
    #[serde(flatten)]
    pub citizen: CitizenFields,
    #[serde(flatten)]
    pub visit: VisitFields,
}

/// `POST /api/staff/bookings/priority`: a booking staff make ahead for a
/// priority citizen (`priority`: `elderly`, `disability`, `pregnant` or
/// `merit`) in a later slot of `office` starting at `starts_at` (RFC 3339),
/// which may use a place kept back from online booking.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PriorityForm {
    pub office: String,
    pub starts_at: String,
    pub priority: String,
    #[serde(flatten)]
    pub citizen: CitizenFields,
    #[serde(flatten)]
    pub visit: VisitFields,
}

/// A booking as the front desk sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskBooking {
    pub code: String,
    pub status: BookingStatus,
    pub full_name: String,
    pub party_size: i16,
    pub representatives: Vec<String>,
    pub topic: Topic,
    pub summary: String,
    pub needs: String,
    pub interpreter: bool,
    pub email_given: bool,
    pub starts_at: String,
    pub ends_at: String,
    pub notes: Vec<String>,
    /// Received without a booking.
    pub walk_in: bool,
    /// Booked ahead by staff for this priority reason.
    #[serde(default)]
    pub priority: Option<crate::booking::PriorityGroup>,
    /// A denouncer this reader may not see: name, representatives and
    /// summary are withheld.
    pub masked: bool,
    /// Another time proposed to the citizen and not yet answered (RFC 3339).
    #[serde(default)]
    pub proposed_at: Option<String>,
    /// The phone of a citizen who gave no e-mail and whose request waits
    /// for an answer, so the desk can call them (to a reader the identity
    /// rule lets see the citizen); otherwise `None`.
    #[serde(default)]
    pub phone: Option<String>,
    /// A request the office has not answered yet: minutes it has waited in
    /// the office's opening hours, and whether that is past
    /// `ANSWER_WITHIN_HOURS`.
    #[serde(default)]
    pub waited_minutes: Option<i64>,
    #[serde(default)]
    pub late: bool,
}

/// A slot of the day with its bookings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySlot {
    pub starts_at: String,
    pub ends_at: String,
    pub capacity: i16,
    pub taken: i16,
    /// No longer offered to citizens (kept for its bookings).
    pub withdrawn: bool,
    /// The slot's places kept back for walk-ins and priority reception.
    #[serde(default)]
    pub kept_walk_in: i16,
    #[serde(default)]
    pub kept_priority: i16,
    /// Of those, still kept from online booking now (not yet filled by the
    /// desk, not yet released); counted in `free`.
    #[serde(default)]
    pub kept: i16,
    pub bookings: Vec<DeskBooking>,
}

/// The day's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCounts {
    /// Requests waiting for a decision.
    pub pending: u32,
    /// Confirmed, arrived, done or absent: people the office expects.
    pub expected: u32,
    /// Checked in or done.
    pub arrived: u32,
    pub no_show: u32,
    /// Places still free in offered slots (the kept ones included).
    pub free: u32,
    /// Of the free places, those kept back from online booking for now.
    #[serde(default)]
    pub kept: u32,
}

/// `GET /api/staff/bookings`: one office's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayView {
    pub office: OfficeChoice,
    /// The offices the member may switch to.
    pub offices: Vec<OfficeChoice>,
    /// `YYYY-MM-DD`, Vietnam date, and its neighbours and today for links.
    pub date: String,
    pub previous_date: String,
    pub next_date: String,
    pub today: String,
    pub counts: DayCounts,
    /// Whether the member may block slots and change their places.
    pub can_edit_schedule: bool,
    /// Slots running now or later today with room, for walk-ins (empty on
    /// other days).
    pub walk_in_slots: Vec<String>,
    /// Whether the office takes walk-ins outside its slots (`starts_at=now`).
    pub walk_in_outside_slots: bool,
    /// Slots of the day not yet begun with a place (kept or not), for a
    /// booking staff make for a priority citizen.
    #[serde(default)]
    pub priority_slots: Vec<String>,
    /// Slots of the day blocked by staff (not offered).
    pub blocked: Vec<BlockedSlot>,
    /// Requests waiting for a decision, earliest slot first.
    pub pending: Vec<DeskBooking>,
    pub slots: Vec<DaySlot>,
    /// The day's waiting list, in the order places are offered.
    #[serde(default)]
    pub waiting: Vec<DeskWaiting>,
}

/// An entry of the day's waiting list as the reader may see it (a
/// denouncer's name withheld under the same rule as bookings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskWaiting {
    pub code: String,
    pub state: crate::booking::waitlist::WaitState,
    pub full_name: String,
    pub topic: Topic,
    pub party_size: i16,
    /// The time asked for; `None`: any time that day.
    pub starts_at: Option<String>,
    /// The place on offer and until when it is held.
    pub offer_starts_at: Option<String>,
    pub offer_until: Option<String>,
    pub masked: bool,
}

/// A slot staff blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedSlot {
    pub starts_at: String,
    pub reason: String,
}

/// What a front-desk action answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskResult {
    pub code: String,
    pub status: BookingStatus,
}

/// An office's day: `office` (slug, default the member's first office),
/// `date` (`YYYY-MM-DD`, default today).
#[server(endpoint = "staff/bookings", input = GetUrl)]
pub async fn staff_day(
    #[server(default)] office: Option<String>,
    #[server(default)] date: Option<String>,
) -> Result<DayView, AppError> {
    crate::ssr::respond(day::day(office.unwrap_or_default(), date.unwrap_or_default()).await)
}

/// Confirms a requested booking (e-mails the citizen).
#[server(endpoint = "staff/bookings/confirm")]
pub async fn staff_confirm(#[server(default)] code: String) -> Result<DeskResult, AppError> {
    crate::ssr::respond(actions::act(DeskAction::Confirm, code, String::new()).await)
}

/// Turns a request down with a reason (frees the place, e-mails the citizen).
#[server(endpoint = "staff/bookings/reject")]
pub async fn staff_reject(
    #[server(default)] code: String,
    #[server(default)] reason: String,
) -> Result<DeskResult, AppError> {
    crate::ssr::respond(actions::act(DeskAction::Reject, code, reason).await)
}

/// Cancels a request or a confirmed booking with a reason (frees the place,
/// e-mails the citizen the reason and a link to book again).
#[server(endpoint = "staff/bookings/cancel")]
pub async fn staff_cancel(
    #[server(default)] code: String,
    #[server(default)] reason: String,
) -> Result<DeskResult, AppError> {
    crate::ssr::respond(actions::act(DeskAction::Cancel, code, reason).await)
}

/// Checks a confirmed booking in, by its code (typed or scanned).
#[server(endpoint = "staff/bookings/check-in")]
pub async fn staff_check_in(#[server(default)] code: String) -> Result<DeskResult, AppError> {
    crate::ssr::respond(actions::act(DeskAction::CheckIn, code, String::new()).await)
}

/// Marks a confirmed booking as a no-show.
#[server(endpoint = "staff/bookings/no-show")]
pub async fn staff_no_show(#[server(default)] code: String) -> Result<DeskResult, AppError> {
    crate::ssr::respond(actions::act(DeskAction::NoShow, code, String::new()).await)
}

/// Marks a checked-in booking as done.
#[server(endpoint = "staff/bookings/complete")]
pub async fn staff_complete(#[server(default)] code: String) -> Result<DeskResult, AppError> {
    crate::ssr::respond(actions::act(DeskAction::Complete, code, String::new()).await)
}

/// Registers someone at the desk without a booking into a slot running now
/// or later today that has room (`starts_at`, RFC 3339), checked in at once.
/// The same fields as a citizen's booking, the e-mail optional; the CCCD is
/// read from the card the person shows.
#[server(endpoint = "staff/bookings/walk-in")]
pub async fn staff_walk_in(#[server(flatten)] form: WalkInForm) -> Result<DeskResult, AppError> {
    crate::ssr::respond(actions::walk_in(form).await)
}

/// Books a priority citizen ahead (see [`PriorityForm`]): confirmed at
/// once, e-mailed when an address is given.
#[server(endpoint = "staff/bookings/priority")]
pub async fn staff_book_priority(
    #[server(flatten)] form: PriorityForm,
) -> Result<DeskResult, AppError> {
    crate::ssr::respond(actions::priority(form).await)
}

/// What `POST /api/staff/bookings/propose` answers: the booking (still a
/// request) and the time now held for the citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposed {
    pub code: String,
    pub status: BookingStatus,
    pub proposal: crate::booking::ProposalInfo,
}

/// Answers a request with another time instead of rejecting it: a slot of
/// the office with room starting at `starts_at` (RFC 3339), its place held
/// for the citizen until they accept or decline, or `PROPOSAL_HOURS` pass;
/// `message` (optional) is shown to them. One open proposal per booking.
#[server(endpoint = "staff/bookings/propose")]
pub async fn staff_propose(
    #[server(default)] code: String,
    #[server(default)] starts_at: String,
    #[server(default)] message: String,
) -> Result<Proposed, AppError> {
    crate::ssr::respond(actions::propose(code, starts_at, message).await)
}

/// Adds a note to a booking (staff only; never shown to the citizen).
#[server(endpoint = "staff/bookings/note")]
pub async fn staff_note(
    #[server(default)] code: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    crate::ssr::respond(actions::note(code, note).await)
}
