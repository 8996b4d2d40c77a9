//! The staff console: sign-in, the front desk's day view and actions, and
//! the audit trail.
//!
//! Every server function here checks the session, the role and the office
//! itself (401 without a session, 403 for the wrong role or office) — the
//! pages only decide what to show.

pub mod accounts;
#[cfg(feature = "ssr")]
mod actions;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod confidentiality;
#[cfg(feature = "ssr")]
mod day;
#[cfg(feature = "ssr")]
pub mod desk;
mod desk_view;
#[cfg(feature = "ssr")]
pub mod device;
#[cfg(feature = "ssr")]
mod mfa;
mod role;
pub mod schedule;
#[cfg(feature = "ssr")]
pub(crate) mod session;
#[cfg(feature = "ssr")]
pub mod totp;
#[cfg(feature = "ssr")]
mod trail;
#[cfg(feature = "ssr")]
mod undelivered;
#[cfg(feature = "ssr")]
pub mod walk_in;

#[cfg(feature = "ssr")]
use crate::booking::DeskAction;
use crate::error::AppError;
pub use desk_view::{
    BlockedSlot, DayCounts, DaySlot, DayView, DeskBooking, DeskResult, OfficeChoice,
};
pub use role::Role;

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProfile {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub offices: Vec<OfficeChoice>,
    /// Set when the password was right but a second step is needed before
    /// the member is signed in (administrators).
    pub second_factor: Option<SecondFactor>,
}

/// The second sign-in step an administrator still has to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondFactor {
    /// Type the code from the authenticator app (or a recovery code).
    Totp,
    /// First sign-in: enrol an authenticator app.
    Enroll,
}

/// `GET /api/staff/login/enroll`: the secret to add to an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrollment {
    /// Base32, for typing by hand.
    pub secret: String,
    pub otpauth_url: String,
    pub qr_svg: String,
}

/// One-time recovery codes, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// One row of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub client_addr: Option<String>,
    pub details: String,
}

/// A message the outbox gave up on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndeliveredMail {
    pub id: i64,
    /// The message's kind (`booking_confirmed`, `staff_password_link`…).
    pub kind: String,
    /// The booking's or case's code, or the staff member's name.
    pub record: String,
    /// Why it was given up: `smtp 550`, `timeout`, `bad_address`… (never
    /// an address).
    pub reason: String,
    pub attempts: i32,
    pub queued_at: String,
    pub dead_at: Option<String>,
}

/// `GET /api/staff/mail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndeliveredView {
    /// How many messages are dead in all.
    pub count: u64,
    /// The newest 200 of them.
    pub messages: Vec<UndeliveredMail>,
}

/// Signs a staff member in. Unknown e-mail and wrong password give the
/// same 401; repeated failures per account and per address give 429.
#[server(endpoint = "staff/login")]
pub async fn staff_login(
    #[server(default)] email: String,
    #[server(default)] password: String,
) -> Result<StaffProfile, AppError> {
    crate::ssr::respond(session::login(email, password).await)
}

/// The second step for administrators: the authenticator's code or a
/// recovery code, after the password. Wrong codes count against the same
/// limits as wrong passwords.
#[server(endpoint = "staff/login/code")]
pub async fn staff_login_code(#[server(default)] code: String) -> Result<StaffProfile, AppError> {
    crate::ssr::respond(mfa::code(code).await)
}

/// At an administrator's first sign-in: the secret to enrol.
#[server(endpoint = "staff/login/enroll", input = GetUrl)]
pub async fn staff_enrollment() -> Result<Enrollment, AppError> {
    crate::ssr::respond(mfa::enrollment().await)
}

/// Confirms enrolment with a first code; signs in and answers the recovery
/// codes (a plain form post sees them once on `/staff/recovery-codes`).
#[server(endpoint = "staff/login/enroll/confirm")]
pub async fn staff_enroll_confirm(
    #[server(default)] code: String,
) -> Result<RecoveryCodes, AppError> {
    crate::ssr::respond(mfa::confirm(code).await)
}

/// The recovery codes just made, once.
#[server(endpoint = "staff/recovery-codes", input = GetUrl)]
pub async fn staff_recovery_codes() -> Result<RecoveryCodes, AppError> {
    crate::ssr::respond(mfa::fresh_codes().await)
}

/// Ends the session.
#[server(endpoint = "staff/logout")]
pub async fn staff_logout() -> Result<(), AppError> {
    crate::ssr::respond(session::logout().await)
}

/// The signed-in member (401 without a session).
#[server(endpoint = "staff/me", input = GetUrl)]
pub async fn staff_me() -> Result<StaffProfile, AppError> {
    crate::ssr::respond(session::me().await)
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
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "staff/bookings/walk-in")]
pub async fn staff_walk_in(
    #[server(default)] office: String,
    #[server(default)] starts_at: String,
    #[server(default)] full_name: String,
    #[server(default)] citizen_id: String,
    #[server(default)] phone: String,
    #[server(default)] email: String,
    #[server(default)] topic: String,
    #[server(default)] summary: String,
    #[server(default)] party_size: String,
    #[server(default)] representatives: String,
    #[server(default)] needs: String,
    #[server(default)] interpreter: Option<String>,
) -> Result<DeskResult, AppError> {
    let form = actions::WalkInForm {
        office,
        starts_at,
        full_name,
        citizen_id,
        phone,
        email,
        topic,
        summary,
        party_size,
        representatives,
        needs,
        interpreter,
    };
    crate::ssr::respond(actions::walk_in(form).await)
}

/// Adds a note to a booking (staff only; never shown to the citizen).
#[server(endpoint = "staff/bookings/note")]
pub async fn staff_note(
    #[server(default)] code: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    crate::ssr::respond(actions::note(code, note).await)
}

/// The e-mails that could not be delivered after every retry (admins).
#[server(endpoint = "staff/mail", input = GetUrl)]
pub async fn staff_undelivered() -> Result<UndeliveredView, AppError> {
    crate::ssr::respond(undelivered::list().await)
}

/// Queues an undelivered e-mail again (`id`), with a fresh link if it has
/// one (admins; audited).
#[server(endpoint = "staff/mail/resend")]
pub async fn staff_resend_mail(#[server(default)] id: String) -> Result<(), AppError> {
    crate::ssr::respond(undelivered::resend(id).await)
}

/// The audit trail, newest first (admins). Filters: `action`, `actor`
/// (e-mail), `record` (e.g. a booking code), `from`/`to` (`YYYY-MM-DD`).
#[server(endpoint = "staff/audit", input = GetUrl)]
pub async fn staff_audit(
    #[server(default)] action: Option<String>,
    #[server(default)] actor: Option<String>,
    #[server(default)] record: Option<String>,
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
) -> Result<Vec<AuditEntry>, AppError> {
    crate::ssr::respond(
        trail::audit_trail(trail::AuditQuery {
            action: action.unwrap_or_default(),
            actor: actor.unwrap_or_default(),
            record: record.unwrap_or_default(),
            from: from.unwrap_or_default(),
            to: to.unwrap_or_default(),
        })
        .await,
    )
}
