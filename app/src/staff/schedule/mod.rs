//! Schedules, for officers (their offices) and admins: weekly hours, special
//! hours, closed days, booking horizon and notice, and single slots blocked
//! or given another capacity. Every change is a rule the slot generator
//! applies; none may leave a slot with fewer places than it has bookings.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
mod service;
pub mod ui;

use super::OfficeChoice;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// One session of the weekly template (`weekday`: ISO, 1 = Monday).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyHours {
    pub weekday: i16,
    /// `HH:MM`, Vietnam time.
    pub opens: String,
    pub closes: String,
    pub slot_minutes: i16,
    pub capacity: i16,
}

/// Hours that replace the template on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialHours {
    pub date: String,
    pub opens: String,
    pub closes: String,
    pub slot_minutes: i16,
    pub capacity: i16,
}

/// A date the office does not receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedDay {
    pub date: String,
    pub reason: String,
}

/// `GET /api/staff/schedule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub office: OfficeChoice,
    pub offices: Vec<OfficeChoice>,
    pub horizon_days: i32,
    pub min_notice_minutes: i32,
    pub walk_ins_outside_slots: bool,
    /// Places of each slot kept back from online booking for walk-ins and
    /// for priority reception, until `kept_release_hours` before the slot.
    pub kept_walk_in: i16,
    pub kept_priority: i16,
    pub kept_release_hours: i32,
    pub hours: Vec<WeeklyHours>,
    /// From today on.
    pub special: Vec<SpecialHours>,
    /// From today on.
    pub closed: Vec<ClosedDay>,
}

/// What closing a day did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayClosed {
    pub date: String,
    /// Bookings cancelled (each citizen with an e-mail was told).
    pub cancelled: u32,
}

/// An office's schedule rules (officers of the office, admins).
#[server(endpoint = "staff/schedule", input = GetUrl)]
pub async fn staff_schedule(
    #[server(default)] office: Option<String>,
) -> Result<ScheduleView, AppError> {
    crate::ssr::respond(service::view(office.unwrap_or_default()).await)
}

/// How far ahead citizens may book (days), how late (minutes before), and
/// whether the desk takes walk-ins outside the slots (`walk_ins_outside_slots`
/// present = yes).
#[server(endpoint = "staff/schedule/settings")]
pub async fn staff_schedule_settings(
    #[server(default)] office: String,
    #[server(default)] horizon_days: String,
    #[server(default)] min_notice_minutes: String,
    #[server(default)] walk_ins_outside_slots: Option<String>,
    #[server(default)] kept_walk_in: Option<String>,
    #[server(default)] kept_priority: Option<String>,
    #[server(default)] kept_release_hours: Option<String>,
) -> Result<(), AppError> {
    crate::ssr::respond(
        service::settings(service::SettingsForm {
            office,
            horizon: horizon_days,
            notice: min_notice_minutes,
            walk_ins: walk_ins_outside_slots,
            kept_walk_in,
            kept_priority,
            kept_release_hours,
        })
        .await,
    )
}

/// Adds a weekly session, or replaces the one starting at the same time.
#[server(endpoint = "staff/schedule/hours/add")]
pub async fn staff_hours_add(
    #[server(default)] office: String,
    #[server(default)] weekday: String,
    #[server(default)] opens: String,
    #[server(default)] closes: String,
    #[server(default)] slot_minutes: String,
    #[server(default)] capacity: String,
) -> Result<(), AppError> {
    let hours = service::HoursForm {
        office,
        day: weekday,
        opens,
        closes,
        slot_minutes,
        capacity,
    };
    crate::ssr::respond(service::hours_add(hours).await)
}

/// Removes a weekly session. Booked slots it made stay, withdrawn.
#[server(endpoint = "staff/schedule/hours/remove")]
pub async fn staff_hours_remove(
    #[server(default)] office: String,
    #[server(default)] weekday: String,
    #[server(default)] opens: String,
) -> Result<(), AppError> {
    crate::ssr::respond(service::hours_remove(office, weekday, opens).await)
}

/// Sets the hours of one date (replacing the template that day).
#[server(endpoint = "staff/schedule/special/add")]
pub async fn staff_special_add(
    #[server(default)] office: String,
    #[server(default)] date: String,
    #[server(default)] opens: String,
    #[server(default)] closes: String,
    #[server(default)] slot_minutes: String,
    #[server(default)] capacity: String,
) -> Result<(), AppError> {
    let hours = service::HoursForm {
        office,
        day: date,
        opens,
        closes,
        slot_minutes,
        capacity,
    };
    crate::ssr::respond(service::special_add(hours).await)
}

/// Goes back to the weekly template on a date.
#[server(endpoint = "staff/schedule/special/remove")]
pub async fn staff_special_remove(
    #[server(default)] office: String,
    #[server(default)] date: String,
) -> Result<(), AppError> {
    crate::ssr::respond(service::special_remove(office, date).await)
}

/// Closes the office on a date: its bookings are cancelled with `reason`
/// and every citizen with an e-mail is told, with a link to book again.
#[server(endpoint = "staff/schedule/close-day")]
pub async fn staff_close_day(
    #[server(default)] office: String,
    #[server(default)] date: String,
    #[server(default)] reason: String,
) -> Result<DayClosed, AppError> {
    crate::ssr::respond(service::close_day(office, date, reason).await)
}

/// Opens a closed date again (cancelled bookings stay cancelled).
#[server(endpoint = "staff/schedule/reopen-day")]
pub async fn staff_reopen_day(
    #[server(default)] office: String,
    #[server(default)] date: String,
) -> Result<(), AppError> {
    crate::ssr::respond(service::reopen_day(office, date).await)
}

/// Stops new bookings in one slot (`starts_at`, RFC 3339); its bookings stay.
#[server(endpoint = "staff/slots/block")]
pub async fn staff_slot_block(
    #[server(default)] office: String,
    #[server(default)] starts_at: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    crate::ssr::respond(service::block(office, starts_at, reason, true).await)
}

/// Offers a blocked slot again.
#[server(endpoint = "staff/slots/unblock")]
pub async fn staff_slot_unblock(
    #[server(default)] office: String,
    #[server(default)] starts_at: String,
) -> Result<(), AppError> {
    crate::ssr::respond(service::block(office, starts_at, String::new(), false).await)
}

/// Gives one slot its own numbers of places kept back from online booking
/// for walk-ins (`kept_walk_in`) and priority reception (`kept_priority`);
/// together never more than the slot's places (422).
#[server(endpoint = "staff/slots/kept")]
pub async fn staff_slot_kept(
    #[server(default)] office: String,
    #[server(default)] starts_at: String,
    #[server(default)] kept_walk_in: String,
    #[server(default)] kept_priority: String,
) -> Result<(), AppError> {
    crate::ssr::respond(service::slot_kept(office, starts_at, kept_walk_in, kept_priority).await)
}

/// Gives one slot another capacity; never below its bookings (409).
#[server(endpoint = "staff/slots/capacity")]
pub async fn staff_slot_capacity(
    #[server(default)] office: String,
    #[server(default)] starts_at: String,
    #[server(default)] capacity: String,
) -> Result<(), AppError> {
    crate::ssr::respond(service::slot_capacity(office, starts_at, capacity).await)
}
