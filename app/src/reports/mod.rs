//! Reports for officers and administrators: bookings, attendance, no-shows
//! and cases by office, topic and status over a period, shown as charts
//! with their numbers and downloadable as CSV.

#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub(crate) mod service;
pub mod ui;

use crate::error::AppError;
use crate::staff::OfficeChoice;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// One bar of a chart: what it counts and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bar {
    /// A machine name (office slug, topic, status).
    pub key: String,
    /// What the reader sees.
    pub label: String,
    pub value: i64,
}

/// The headline figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Bookings whose appointment falls in the period.
    pub bookings: i64,
    /// Of those, people who came (checked in or received).
    pub attended: i64,
    pub no_shows: i64,
    /// Of those, requests answered after `ANSWER_WITHIN_HOURS` of the
    /// office's opening hours (or still waiting past them).
    #[serde(default)]
    pub answered_late: i64,
    /// Cases received in the period.
    pub cases_received: i64,
    /// Cases accepted for handling in the period.
    pub cases_accepted: i64,
    /// Cases concluded in the period.
    pub cases_concluded: i64,
    /// Cases whose running deadline has passed, today.
    pub cases_overdue: i64,
}

/// `GET /api/staff/reports`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub offices: Vec<OfficeChoice>,
    /// The office reported on (slug), or empty for all the member's offices.
    pub office: String,
    /// `YYYY-MM-DD`, both days included.
    pub from: String,
    pub to: String,
    pub totals: Totals,
    pub bookings_by_office: Vec<Bar>,
    pub bookings_by_topic: Vec<Bar>,
    pub bookings_by_status: Vec<Bar>,
    /// Cases received in the period, by office, kind and current status.
    pub cases_by_office: Vec<Bar>,
    pub cases_by_kind: Vec<Bar>,
    pub cases_by_status: Vec<Bar>,
}

/// The figures of `office` (slug; empty for all the member's offices) from
/// `from` to `to` (`YYYY-MM-DD`, Vietnam days, both included; by default
/// the current month to date). Officers and administrators.
#[server(endpoint = "staff/reports", input = GetUrl)]
pub async fn staff_report(
    #[server(default)] office: Option<String>,
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
) -> Result<Report, AppError> {
    crate::ssr::respond(
        service::report(
            office.unwrap_or_default(),
            from.unwrap_or_default(),
            to.unwrap_or_default(),
        )
        .await,
    )
}
