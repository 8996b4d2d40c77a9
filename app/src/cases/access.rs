//! A case's citizen as the reader may see them: the one rule of
//! [`confidentiality`](crate::staff::confidentiality) applied to a case, the
//! masked contact everyone else reads, and the audit of every unmasked view
//! of a denouncer.

use super::repo::CaseRow;
use super::{CaseKind, Contact};
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::ssr::AppState;
use crate::staff::audit::{self, Entry};
use crate::staff::auth::StaffUser;
use crate::staff::confidentiality::{self, Matter};
use serde_json::json;

/// Whether `user` may see this case's citizen unmasked.
pub(super) fn sees_identity(user: &StaffUser, row: &CaseRow) -> bool {
    confidentiality::sees_identity(
        user,
        &Matter {
            denunciation: row.kind == CaseKind::Denunciation,
            office: row.office_id,
            handler: row.assigned_to,
        },
    )
}

/// Records that `user` was shown the denouncers of `rows` (`via`: the
/// case page, the list or a download), one audit row per case.
pub(super) async fn audit_identity(
    state: &AppState,
    user: &StaffUser,
    rows: &[&CaseRow],
    via: &str,
) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut tx = state.pool.begin().await?;
    for row in rows {
        audit::record(
            &mut tx,
            user,
            &state.settings.trusted_proxies,
            Entry {
                action: "case.identity_viewed",
                record_type: "case",
                record_id: &row.code,
                office: Some(row.office_id),
                details: json!({ "via": via }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records that `user` was shown this case's CCCD and phone (whoever the
/// citizen is): which fields, never their values.
pub(super) async fn audit_contact(
    state: &AppState,
    user: &StaffUser,
    row: &CaseRow,
    via: &str,
) -> Result<(), AppError> {
    let mut fields = vec!["phone"];
    if row.citizen_id.is_some() {
        fields.insert(0, "citizen_id");
    }
    audit::contact_viewed(
        &state.pool,
        user,
        &state.settings.trusted_proxies,
        "case",
        std::slice::from_ref(&row.code),
        row.office_id,
        via,
        &fields,
    )
    .await?;
    Ok(())
}

pub(super) fn contact(row: &CaseRow, visible: bool, locale: Locale) -> Contact {
    if visible {
        Contact {
            full_name: row.full_name.clone(),
            citizen_id: row.citizen_id.clone(),
            phone: row.phone.clone(),
            email: row.email.clone(),
            masked: false,
        }
    } else {
        let hidden = td_string!(locale, cases.confidential).to_owned();
        Contact {
            full_name: hidden.clone(),
            citizen_id: row.citizen_id.as_ref().map(|_| hidden.clone()),
            phone: hidden.clone(),
            email: row.email.as_ref().map(|_| hidden),
            masked: true,
        }
    }
}
