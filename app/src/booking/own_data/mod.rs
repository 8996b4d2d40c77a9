//! A citizen's rights over the personal data of their booking (Personal
//! Data Protection Law 91/2025/QH15): see what is held (the ticket page),
//! download it as JSON, and withdraw consent.
//!
//! The download holds the full CCCD, so it opens only with the private link
//! from the e-mail (or the booking's first page), or with the code, the
//! phone and the full CCCD typed again; a link made by a code + phone
//! look-up proves no more than those two and needs the CCCD too. Nothing of
//! it is ever in a URL: both are form posts.
//!
//! Withdrawing consent cancels a booking still to come (its place freed)
//! and anonymises it at once; after a reception it erases the contact
//! details and keeps what the office must record of a reception until the
//! retention period ends (`docs/retention.md`).

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub(super) mod service;
pub mod ui;

use super::{BookingStatus, HistoryStep, Topic};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the ticket page shows of the personal data held about the booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyData {
    pub full_name: String,
    /// The CCCD's last three digits: the page never shows it whole.
    pub citizen_id_end: String,
    pub phone: String,
    pub email: Option<String>,
    pub topic: Topic,
    pub summary: String,
    pub party_size: i16,
    pub representatives: Vec<String>,
    pub needs: String,
    pub interpreter: bool,
    /// The consent text's version and when it was given; `None` when the
    /// booking rests on the office's legal duty (a walk-in, a desk booking).
    pub consent_version: Option<String>,
    pub consented_at: Option<String>,
    /// Withdrawing now would cancel the booking.
    pub upcoming: bool,
    /// The reception took place: withdrawing keeps its record.
    pub received: bool,
    /// The page was opened with a private link: the download needs nothing
    /// more.
    pub private_link: bool,
}

/// The download: every personal field of the booking and what was done
/// with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalData {
    pub code: String,
    pub office: String,
    pub starts_at: String,
    pub ends_at: String,
    pub status: BookingStatus,
    pub made_at: String,
    pub citizen: HeldCitizen,
    pub visit: HeldVisit,
    pub basis: HeldBasis,
    pub history: Vec<HeldStep>,
    pub proposals: Vec<HeldProposal>,
    pub mail: Vec<HeldMail>,
    /// When this copy was made (RFC 3339).
    pub generated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldCitizen {
    pub full_name: String,
    pub citizen_id: String,
    pub phone: String,
    pub email: Option<String>,
    /// The language the citizen is written to in.
    pub locale: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldVisit {
    pub topic: Topic,
    pub summary: String,
    pub party_size: i16,
    pub representatives: Vec<String>,
    pub needs: String,
    pub interpreter: bool,
    /// The priority-reception group the desk recorded, if any.
    pub priority: Option<String>,
    pub cancel_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldBasis {
    /// `consent`, or `legal_duty` (the office's duty to receive citizens).
    pub legal_basis: String,
    pub consent_version: Option<String>,
    pub consented_at: Option<String>,
    /// The text agreed to, in the booking's language.
    pub consent_text: Option<String>,
    pub consent_withdrawn_at: Option<String>,
    pub anonymised_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldStep {
    pub at: String,
    pub step: HistoryStep,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldProposal {
    pub proposed_at: String,
    pub starts_at: String,
    pub message: String,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldMail {
    pub kind: String,
    pub state: String,
    pub queued_at: String,
    pub done_at: Option<String>,
}

/// What a withdrawal of consent did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalOutcome {
    /// The booking was still to come: cancelled, its place freed, and
    /// anonymised.
    Cancelled,
    /// No reception took place: anonymised.
    Erased,
    /// After the reception: contact details erased, the reception's record
    /// kept until the retention period ends.
    ContactErased,
}

impl WithdrawalOutcome {
    pub const ALL: [Self; 3] = [Self::Cancelled, Self::Erased, Self::ContactErased];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cancelled => "cancelled",
            Self::Erased => "erased",
            Self::ContactErased => "contact_erased",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub code: String,
    pub outcome: WithdrawalOutcome,
}

/// Every personal field held about a booking, as a JSON file
/// (`Content-Disposition: attachment`). Proven by the private link's
/// `token`; or by `code` + `phone` + the full `citizen_id`; a look-up's
/// link needs `citizen_id` too.
#[server(endpoint = "bookings/data")]
pub async fn download_my_data(
    #[server(default)] code: String,
    #[server(default)] phone: String,
    #[server(default)] citizen_id: String,
    #[server(default)] token: String,
) -> Result<PersonalData, AppError> {
    crate::ssr::respond(service::download(code, phone, citizen_id, token).await)
}

/// Withdraws consent to the processing of the booking's personal data
/// (`confirm` must be `true`): see the module's documentation for what
/// goes and what stays.
#[server(endpoint = "bookings/withdraw")]
pub async fn withdraw_consent(
    #[server(default)] code: String,
    #[server(default)] phone: String,
    #[server(default)] token: String,
    #[server(default)] confirm: String,
) -> Result<Withdrawal, AppError> {
    crate::ssr::respond(service::withdraw(code, phone, token, confirm).await)
}
