//! The forms that receive a citizen, as they arrive: every field as typed.
//! A `#[server]` function takes its form as one flattened argument, so the
//! wire names are the fields' names; [`Citizen::parse`] and [`Visit::parse`]
//! check them on the server, with the rules the browser's `FormGuard` runs.
//! Text only: the form decoder (serde_qs) reads flattened fields reliably
//! only as strings, so numbers and dates are parsed by the checks.
//!
//! [`Citizen::parse`]: super::citizen::Citizen::parse
//! [`Visit::parse`]: super::citizen::Visit::parse

use super::validate;
use serde::{Deserialize, Serialize};

/// Who comes: the details every receiving form shares (booking, walk-in,
/// case opened by hand).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CitizenFields {
    pub full_name: String,
    pub citizen_id: String,
    pub phone: String,
    pub email: String,
}

/// What they come about (booking and walk-in).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitFields {
    pub topic: String,
    pub summary: String,
    pub party_size: String,
    /// One name per line.
    pub representatives: String,
    pub needs: String,
    /// A checkbox: present (`true`, `on`) or absent.
    pub interpreter: Option<String>,
}

impl VisitFields {
    pub fn interpreter_asked(&self) -> bool {
        validate::consent(self.interpreter.as_deref()).is_ok()
    }
}

/// `POST /api/bookings/create`; kept as it was sent when a plain post is
/// refused, to fill the form in again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BookingForm {
    pub slot_id: String,
    #[serde(flatten)]
    pub citizen: CitizenFields,
    #[serde(flatten)]
    pub visit: VisitFields,
    /// Must be `true` (or `on`, as a checkbox sends it).
    pub consent: Option<String>,
    /// The browser's id for this submission: a second post with the same
    /// id gets the first booking back instead of a new one.
    pub request_id: Option<String>,
}

impl BookingForm {
    pub fn consent_given(&self) -> bool {
        validate::consent(self.consent.as_deref()).is_ok()
    }
}
