//! Cases: the complaints, denunciations and petitions the agency handles
//! after a reception, their legal deadlines, the citizen's tracking page and
//! the officers' work on them.
//!
//! The server functions here are the case API (`docs/api.md`). Every rule is
//! on the server: the status machine in [`status`], the deadlines in
//! [`deadline`], the SQL in [`repo`], who may see a denouncer in `access`.

#[cfg(feature = "ssr")]
mod access;
#[cfg(feature = "ssr")]
mod changes;
#[cfg(feature = "ssr")]
mod clock;
#[cfg(feature = "ssr")]
pub mod deadline;
#[cfg(feature = "ssr")]
pub mod digest;
#[cfg(feature = "ssr")]
mod form;
#[cfg(feature = "ssr")]
mod notice;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
mod opening;
#[cfg(feature = "ssr")]
pub(crate) mod reading;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod status;
#[cfg(feature = "ssr")]
mod timeline;
#[cfg(feature = "ssr")]
mod tracking;
pub mod ui;

pub use status::{CaseKind, CaseStatus, Channel, Complexity};

use crate::booking::CitizenFields;
use crate::error::AppError;
use crate::staff::OfficeChoice;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A case's tracking code: the same alphabet, length and entropy as a
/// booking code, so the same reading and typing rules apply.
pub use crate::booking::BookingCode as TrackingCode;

/// One public step of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// RFC 3339, Vietnam time.
    pub at: String,
    /// `opened`, `status`, `resumed` or `extended`.
    pub event: String,
    pub status: CaseStatus,
    /// What the step means, in the reader's language.
    pub label: String,
    /// The public note (never the internal one).
    pub note: String,
}

/// What `POST /api/cases/lookup` answers: only what the citizen may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseLookup {
    pub code: String,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub status_label: String,
    pub agency: String,
    /// `YYYY-MM-DD`.
    pub received_at: String,
    /// The deadline of the current stage (`YYYY-MM-DD`), if a clock runs.
    pub due_at: Option<String>,
    pub overdue: bool,
    pub timeline: Vec<TimelineEntry>,
}

/// The tracking page opened with its private link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedCase {
    pub case: CaseLookup,
    /// The citizen asked for an e-mail at every step.
    pub notify: bool,
    /// An e-mail address is on file (never shown back in full).
    pub email_hint: Option<String>,
    /// A new address waiting for its confirmation link (masked).
    pub email_pending: Option<String>,
}

/// `POST /api/staff/cases/create`, every field as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseForm {
    /// The reception the case comes from; empty for a case opened by hand.
    pub booking_code: String,
    pub kind: String,
    pub summary: String,
    pub office: String,
    #[serde(flatten)]
    pub citizen: CitizenFields,
    pub channel: String,
    pub received_on: String,
    pub notify: String,
    pub remote_area: String,
}

/// What `POST /api/staff/cases/create` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCreated {
    pub code: String,
}

/// A case in the officers' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub code: String,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub status_label: String,
    pub office: String,
    /// The citizen's name, masked for a denunciation unless the reader has
    /// the right to see the denouncer.
    pub citizen: String,
    /// The citizen is a denouncer this reader may not see.
    pub masked: bool,
    pub assigned: Option<String>,
    pub received_on: String,
    pub due_on: Option<String>,
    /// Negative when overdue.
    pub days_left: Option<i64>,
    pub overdue: bool,
}

/// `GET /api/staff/cases`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseList {
    pub offices: Vec<OfficeChoice>,
    /// The office shown (slug), or empty for all of the member's offices.
    pub office: String,
    pub status: Option<CaseStatus>,
    pub cases: Vec<CaseSummary>,
    pub can_manage: bool,
}

/// The citizen's contact as the reader may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub full_name: String,
    pub citizen_id: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    /// `true` when this is a denouncer's identity the reader may not see.
    pub masked: bool,
}

/// A timeline entry as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEvent {
    pub at: String,
    pub actor: Option<String>,
    pub event: String,
    pub status: CaseStatus,
    pub label: String,
    pub public: bool,
    pub public_note: String,
    pub internal_note: String,
    pub extension_days: Option<i32>,
    pub due_on: Option<String>,
}

/// An officer a case can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerChoice {
    pub email: String,
    pub name: String,
}

/// `GET /api/staff/cases/case`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub code: String,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub status_label: String,
    pub summary: String,
    pub channel: Channel,
    pub received_on: String,
    pub office: String,
    pub booking_code: Option<String>,
    pub agency: String,
    pub assigned: Option<OfficerChoice>,
    pub complexity: Complexity,
    pub remote_area: bool,
    pub due_on: Option<String>,
    /// The article the running deadline comes from.
    pub due_rule: Option<String>,
    pub days_left: Option<i64>,
    pub overdue: bool,
    pub contact: Contact,
    pub notify: bool,
    pub timeline: Vec<StaffEvent>,
    /// The statuses it may move to (empty for a reader who may not move it).
    pub next: Vec<CaseStatus>,
    pub officers: Vec<OfficerChoice>,
    pub can_manage: bool,
    /// Whether the reader decides who handles it (supervisors, admins).
    pub can_assign: bool,
}

/// Looks a case up with its tracking code and a second factor: the last 4
/// digits of the citizen's CCCD, or their phone number. A wrong code and a
/// wrong second factor get the same 404; repeated misses from an address or
/// on a code are refused with 429. A browser posting the form is sent to
/// the case's page through a private, short-lived link.
#[server(endpoint = "cases/lookup")]
pub async fn lookup_case(
    #[server(default)] code: String,
    #[server(default)] verifier: String,
) -> Result<CaseLookup, AppError> {
    crate::ssr::respond(tracking::lookup(code, verifier).await)
}

/// The tracking page's data, from its private link.
#[server(endpoint = "cases/page", input = GetUrl)]
pub async fn load_case_page(#[server(default)] t: String) -> Result<TrackedCase, AppError> {
    crate::ssr::respond(tracking::page(t).await)
}

/// Opts in to (`notify=on`) or out of an e-mail at every public step, from
/// the tracking page's private link. An e-mail address is required to opt
/// in when none is on file. A new address takes effect only once it
/// confirms through the link sent to it; the address on file is told.
#[server(endpoint = "cases/notify")]
pub async fn case_notify(
    #[server(default)] t: String,
    #[server(default)] email: String,
    #[server(default)] notify: String,
) -> Result<TrackedCase, AppError> {
    crate::ssr::respond(tracking::set_notify(t, email, notify).await)
}

/// Confirms a new e-mail address with the link sent to it (`t`).
#[server(endpoint = "cases/email/confirm")]
pub async fn confirm_case_email(#[server(default)] t: String) -> Result<TrackedCase, AppError> {
    crate::ssr::respond(tracking::confirm_email(t).await)
}

/// The cases of the member's offices (`office` slug to narrow, `status` to
/// filter, `mine=1` for the member's own), overdue first.
#[server(endpoint = "staff/cases", input = GetUrl)]
pub async fn staff_cases(
    #[server(default)] office: Option<String>,
    #[server(default)] status: Option<String>,
    #[server(default)] mine: Option<String>,
) -> Result<CaseList, AppError> {
    crate::ssr::respond(
        reading::list(
            office.unwrap_or_default(),
            status.unwrap_or_default(),
            mine.unwrap_or_default(),
        )
        .await,
    )
}

/// One case with its whole timeline. A denouncer's identity is shown only
/// to administrators and the officer the case is assigned to, and each such
/// view is audited.
#[server(endpoint = "staff/cases/case", input = GetUrl)]
pub async fn staff_case(#[server(default)] code: String) -> Result<CaseDetail, AppError> {
    crate::ssr::respond(reading::detail(code).await)
}

/// Opens a case: from a checked-in booking (`booking_code`; the citizen's
/// details are carried over) or by hand (`office`, `full_name`, `phone`,
/// optional `citizen_id` and `email`, `channel`, `received_on`).
#[server(endpoint = "staff/cases/create")]
pub async fn staff_create_case(#[server(flatten)] form: CaseForm) -> Result<CaseCreated, AppError> {
    crate::ssr::respond(opening::create(form).await)
}

/// Moves a case to `status` with a public note (shown to the citizen) and
/// an internal note (never shown). `agency` is required for `transferred`.
/// A step the status machine does not allow is a 409.
#[server(endpoint = "staff/cases/update-status")]
pub async fn staff_update_case_status(
    #[server(default)] code: String,
    #[server(default)] status: String,
    #[server(default)] public_note: String,
    #[server(default)] internal_note: String,
    #[server(default)] agency: String,
) -> Result<CaseDetail, AppError> {
    crate::ssr::respond(
        changes::update_status(code, status, public_note, internal_note, agency).await,
    )
}

/// Assigns a case to an officer of its office (`officer`: their e-mail).
/// Supervisors and administrators only.
#[server(endpoint = "staff/cases/assign")]
pub async fn staff_assign_case(
    #[server(default)] code: String,
    #[server(default)] officer: String,
) -> Result<CaseDetail, AppError> {
    crate::ssr::respond(changes::assign(code, officer).await)
}

/// Records an extension of the resolution deadline with its reason:
/// `complexity` (`complicated` or `especially_complicated`) and, for a
/// denunciation, `days` (1–30).
#[server(endpoint = "staff/cases/extend")]
pub async fn staff_extend_case(
    #[server(default)] code: String,
    #[server(default)] complexity: String,
    #[server(default)] days: String,
    #[server(default)] reason: String,
) -> Result<CaseDetail, AppError> {
    crate::ssr::respond(changes::extend(code, complexity, days, reason).await)
}
