//! The front desk's day as the console shows it.

use crate::booking::{BookingStatus, Topic};
use serde::{Deserialize, Serialize};

/// An office a staff member serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeChoice {
    pub slug: String,
    pub name: String,
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
    /// A denouncer this reader may not see: name, representatives and
    /// summary are withheld.
    pub masked: bool,
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
    /// Places still free in offered slots.
    pub free: u32,
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
    /// Slots of the day blocked by staff (not offered).
    pub blocked: Vec<BlockedSlot>,
    /// Requests waiting for a decision, earliest slot first.
    pub pending: Vec<DeskBooking>,
    pub slots: Vec<DaySlot>,
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
