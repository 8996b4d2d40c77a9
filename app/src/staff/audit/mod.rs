//! The append-only audit trail: every staff action written in the same
//! transaction as the change it records, and the administrators' view of it.

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
mod trail;
pub mod ui;

#[cfg(feature = "ssr")]
pub use repo::{
    browse, contact_viewed, identity_viewed, record, record_alone, AuditRow, Entry, Filter,
};

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

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
