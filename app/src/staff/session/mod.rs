//! Signing staff in and out: the password, the administrators' second
//! factor (TOTP or a recovery code, enrolment at first sign-in), the device
//! cookie that keeps strangers from locking a member out, and who is
//! signed in.

#[cfg(feature = "ssr")]
pub mod device;
#[cfg(feature = "ssr")]
mod mfa;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(feature = "ssr")]
pub mod totp;
pub mod ui;

use crate::error::AppError;
use crate::offices::OfficeChoice;
use crate::staff::Role;
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

/// Signs a staff member in. Unknown e-mail and wrong password give the
/// same 401; repeated failures per account and per address give 429.
#[server(endpoint = "staff/login")]
pub async fn staff_login(
    #[server(default)] email: String,
    #[server(default)] password: String,
) -> Result<StaffProfile, AppError> {
    crate::ssr::respond(service::login(email, password).await)
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
    crate::ssr::respond(service::logout().await)
}

/// The signed-in member (401 without a session).
#[server(endpoint = "staff/me", input = GetUrl)]
pub async fn staff_me() -> Result<StaffProfile, AppError> {
    crate::ssr::respond(service::me().await)
}
