//! Staff accounts, managed by administrators: create (the new member sets
//! their own password through a one-time e-mailed link), change role,
//! offices or status, reset a password; and every member changing their own
//! password. Changing a role, an office scope or a password needs the
//! acting member's password again.

#[cfg(feature = "ssr")]
pub(crate) mod password_link;
#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
mod service;
pub mod ui;

use super::{OfficeChoice, Role};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// An account as administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// Office slugs.
    pub offices: Vec<String>,
    /// Whether an authenticator app is enrolled.
    pub totp: bool,
}

/// `GET /api/staff/accounts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsView {
    pub accounts: Vec<AccountInfo>,
    /// Every office an account can serve.
    pub offices: Vec<OfficeChoice>,
}

/// Every staff account (admins).
#[server(endpoint = "staff/accounts", input = GetUrl)]
pub async fn staff_accounts() -> Result<AccountsView, AppError> {
    crate::ssr::respond(service::list().await)
}

/// Creates an account and e-mails it a link to set its password. `offices`
/// holds office slugs (`offices[0]=…&offices[1]=…`); `password` is the
/// administrator's own, typed again.
#[server(endpoint = "staff/accounts/create")]
pub async fn staff_account_create(
    #[server(default)] email: String,
    #[server(default)] display_name: String,
    #[server(default)] role: String,
    #[server(default)] offices: Vec<String>,
    #[server(default)] password: String,
) -> Result<AccountInfo, AppError> {
    crate::ssr::respond(service::create(email, display_name, role, offices, password).await)
}

/// Changes an account's role, offices and whether it may sign in (a
/// disabled account's sessions end at once). `password`: the
/// administrator's own.
#[server(endpoint = "staff/accounts/update")]
pub async fn staff_account_update(
    #[server(default)] email: String,
    #[server(default)] role: String,
    #[server(default)] offices: Vec<String>,
    #[server(default)] active: Option<String>,
    #[server(default)] password: String,
) -> Result<AccountInfo, AppError> {
    crate::ssr::respond(service::update(email, role, offices, active, password).await)
}

/// Ends an account's password and sessions and e-mails it a link to set a
/// new one. `password`: the administrator's own.
#[server(endpoint = "staff/accounts/reset-password")]
pub async fn staff_account_reset(
    #[server(default)] email: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    crate::ssr::respond(service::reset(email, password).await)
}

/// Sets a password through a one-time link (`token`); no session needed.
#[server(endpoint = "staff/set-password")]
pub async fn staff_set_password(
    #[server(default)] token: String,
    #[server(default)] new_password: String,
    #[server(default)] confirm_password: String,
) -> Result<(), AppError> {
    crate::ssr::respond(service::set_with_link(token, new_password, confirm_password).await)
}

/// The signed-in member changes their own password; every other session of
/// theirs ends.
#[server(endpoint = "staff/password")]
pub async fn staff_change_password(
    #[server(default)] current_password: String,
    #[server(default)] new_password: String,
    #[server(default)] confirm_password: String,
) -> Result<(), AppError> {
    crate::ssr::respond(service::change_own(current_password, new_password, confirm_password).await)
}
