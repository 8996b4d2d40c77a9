//! The waiting list of a full day: a citizen waits for a place (any time
//! that day, or one time); a place that frees up is offered to the first
//! entry and held for `WAITLIST_HOLD_MINUTES`; claiming it makes a booking
//! (or moves the one the citizen holds for a later day). The server
//! functions are the public waiting-list API (`docs/api.md`).

#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
mod service;

pub mod ui;

use crate::booking::{BookingCreated, CitizenFields, OfficeSummary, SlotInfo, VisitFields};
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum WaitState {
    Waiting,
    /// A place is held for the entry until the offer's time.
    Offered,
    /// The place became (or moved) a booking.
    Claimed,
    /// The citizen left the list.
    Left,
    /// An offer was not claimed in time.
    Lapsed,
    /// The office closed the day.
    Closed,
    /// The day went by.
    Ended,
}

impl WaitState {
    /// Still in the queue or holding a place.
    pub fn active(self) -> bool {
        matches!(self, Self::Waiting | Self::Offered)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Offered => "offered",
            Self::Claimed => "claimed",
            Self::Left => "left",
            Self::Lapsed => "lapsed",
            Self::Closed => "closed",
            Self::Ended => "ended",
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Waiting => td_string!(locale, waitlist.state_waiting),
            Self::Offered => td_string!(locale, waitlist.state_offered),
            Self::Claimed => td_string!(locale, waitlist.state_claimed),
            Self::Left => td_string!(locale, waitlist.state_left),
            Self::Lapsed => td_string!(locale, waitlist.state_lapsed),
            Self::Closed => td_string!(locale, waitlist.state_closed),
            Self::Ended => td_string!(locale, waitlist.state_ended),
        }
    }
}

/// `POST /api/waitlist/join`: the booking form's fields, with the office,
/// the day and, in `slot_id`, the time asked for (empty: any time that day).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WaitlistForm {
    pub office: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub slot_id: String,
    #[serde(flatten)]
    pub citizen: CitizenFields,
    #[serde(flatten)]
    pub visit: VisitFields,
    pub consent: Option<String>,
}

/// What `POST /api/waitlist/join` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitlistJoined {
    pub code: String,
    /// 1 for the first in line.
    pub position: i64,
}

/// A place offered to the entry, held until `until` (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitlistOffer {
    pub starts_at: String,
    pub ends_at: String,
    pub until: String,
}

/// An entry as its holder sees it. The CCCD, phone and e-mail are never
/// sent back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitlistDetails {
    pub code: String,
    pub state: WaitState,
    pub office: OfficeSummary,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// ISO weekday of `day`, 1 = Monday.
    pub weekday: u8,
    /// The time asked for (RFC 3339), `None` for any time that day.
    pub starts_at: Option<String>,
    pub full_name: String,
    /// While waiting: 1 for the first in line.
    pub position: Option<i64>,
    pub offer: Option<WaitlistOffer>,
    /// Claiming moves the booking the citizen holds for a later day.
    pub moves_booking: bool,
}

/// Joins the waiting list of a full day. 409 `day_not_full` when the day
/// has room, `already_waiting` when this CCCD already waits for it.
#[server(endpoint = "waitlist/join")]
pub async fn join_waitlist(
    #[server(flatten)] form: WaitlistForm,
) -> Result<WaitlistJoined, AppError> {
    crate::ssr::respond(service::join(form).await)
}

/// An entry by its code and phone, or by its private link's `token`.
#[server(endpoint = "waitlist/lookup")]
pub async fn lookup_waitlist(
    #[server(default)] code: String,
    #[server(default)] phone: String,
    #[server(default)] token: String,
) -> Result<WaitlistDetails, AppError> {
    crate::ssr::respond(service::lookup(code, phone, token).await)
}

/// Leaves the waiting list; a place on offer goes to the next entry.
#[server(endpoint = "waitlist/leave")]
pub async fn leave_waitlist(
    #[server(default)] code: String,
    #[server(default)] phone: String,
    #[server(default)] token: String,
) -> Result<WaitlistDetails, AppError> {
    crate::ssr::respond(service::leave(code, phone, token).await)
}

/// Claims the place on offer (the offer e-mail's `token`): a booking, as
/// `bookings/create` answers it. 409 `offer_expired` when no offer is open.
#[server(endpoint = "waitlist/claim")]
pub async fn claim_waitlist(#[server(default)] token: String) -> Result<BookingCreated, AppError> {
    crate::ssr::respond(service::claim(token).await)
}

/// What the join page shows: the day, its times, and a refused form's
/// draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitlistPageData {
    pub office: OfficeSummary,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// ISO weekday, 1 = Monday.
    pub weekday: u8,
    /// The day's times that can still be waited for.
    pub times: Vec<SlotInfo>,
    /// No place left to book that day (else the page sends the citizen to
    /// book one).
    pub full: bool,
    #[serde(default)]
    pub draft: Option<WaitlistForm>,
    /// The consent text in force, which the form shows.
    pub consent: crate::consent::ConsentText,
}

/// Data of the join page (internal to the site; see `docs/api.md`).
#[server(endpoint = "pages/waitlist", input = GetUrl)]
pub async fn load_waitlist_page(
    office: String,
    #[server(default)] day: String,
) -> Result<WaitlistPageData, AppError> {
    crate::ssr::respond(service::page(office, day).await)
}

/// Data of the entry page, from the private link's token (internal).
#[server(endpoint = "pages/waitlist-entry")]
pub async fn load_waitlist_entry(token: String) -> Result<WaitlistDetails, AppError> {
    crate::ssr::respond(service::entry_page(token).await)
}
