//! The messages the outbox gave up on, for administrators, and sending
//! one again.

#[cfg(feature = "ssr")]
mod service;
pub mod ui;

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

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

/// The e-mails that could not be delivered after every retry (admins).
#[server(endpoint = "staff/mail", input = GetUrl)]
pub async fn staff_undelivered() -> Result<UndeliveredView, AppError> {
    crate::ssr::respond(service::list().await)
}

/// Queues an undelivered e-mail again (`id`), with a fresh link if it has
/// one (admins; audited).
#[server(endpoint = "staff/mail/resend")]
pub async fn staff_resend_mail(#[server(default)] id: String) -> Result<(), AppError> {
    crate::ssr::respond(service::resend(id).await)
}
