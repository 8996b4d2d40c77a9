//! Reading the audit trail (administrators).

use super::AuditEntry;
use crate::error::{AppError, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::ssr::app_state;
use crate::staff::audit::{self};
use crate::staff::auth::{self, Permission};
use crate::time::rfc3339;
use chrono::NaiveDate;

pub struct AuditQuery {
    pub action: String,
    pub actor: String,
    pub record: String,
    pub from: String,
    pub to: String,
}

fn optional_date(raw: &str, field: &str, locale: Locale) -> Result<Option<NaiveDate>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| AppError::invalid(field, ValidationCode::InvalidDate, locale))
}

/// `GET /api/staff/audit`.
pub async fn audit_trail(q: AuditQuery) -> Result<Vec<AuditEntry>, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    auth::require(&state, Permission::Admin).await?;
    let filter = audit::Filter {
        action: q.action.trim(),
        actor: q.actor.trim(),
        record: q.record.trim(),
        from: optional_date(&q.from, "from", locale)?,
        to: optional_date(&q.to, "to", locale)?,
        limit: 200,
    };
    let rows = audit::browse(&state.pool, &filter).await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: rfc3339(r.at),
            actor: r.actor_email,
            action: r.action,
            record_type: r.record_type,
            record_id: r.record_id,
            client_addr: r.client_addr,
            details: r.details.to_string(),
        })
        .collect())
}
