//! A booking staff make ahead for a priority citizen who phoned or wrote
//! (the elderly, people with disabilities, pregnant women, people with
//! meritorious service): any later slot of the office with a place, kept
//! or not — the desk sees both — confirmed at once, since the office itself
//! made it. The claim is the same conditional `UPDATE` as every other, so
//! the CHECK on `taken` still guards the total.

use super::walk_in::{insert, DeskMade, WalkInError};
use crate::booking::citizen::{Citizen, Visit};
use crate::booking::notice::{self, MailKind};
use crate::booking::repo;
use crate::booking::{BookingCode, HistoryStep, PriorityGroup};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::StaffUser;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

pub struct Ahead {
    pub office: Uuid,
    pub starts_at: DateTime<Utc>,
    pub group: PriorityGroup,
    pub citizen: Citizen,
    pub visit: Visit,
}

/// Books the priority citizen; returns the new booking's code.
pub async fn book(
    pool: &PgPool,
    user: &StaffUser,
    trusted: &[ipnet::IpNet],
    a: &Ahead,
) -> Result<String, WalkInError> {
    let mut tx = pool.begin().await?;
    let slot = sqlx::query_scalar!(
        r#"
        UPDATE slots SET taken = taken + 1
        WHERE office_id = $1 AND starts_at = $2 AND NOT withdrawn AND starts_at > now()
          AND taken + 1 <= capacity
        RETURNING id
        "#,
        a.office,
        a.starts_at
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(slot) = slot else {
        let exists = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM slots WHERE office_id = $1 AND starts_at = $2
                              AND NOT withdrawn AND starts_at > now()) AS "x!""#,
            a.office,
            a.starts_at
        )
        .fetch_one(&mut *tx)
        .await?;
        return Err(if exists {
            WalkInError::Full
        } else {
            WalkInError::NoSuchSlot
        });
    };
    let code = BookingCode::random();
    let id = insert(
        &mut tx,
        &DeskMade {
            code: &code,
            office: a.office,
            slot,
            citizen: &a.citizen,
            visit: &a.visit,
            priority: Some(a.group),
        },
    )
    .await?;
    repo::record_event(
        &mut tx,
        id,
        &user.id.to_string(),
        HistoryStep::Confirmed,
        None,
        Some(slot),
        Some(a.group.as_str()),
    )
    .await?;
    audit::record(
        &mut tx,
        user,
        trusted,
        Entry {
            action: "booking.priority",
            record_type: "booking",
            record_id: code.as_str(),
            office: Some(a.office),
            details: serde_json::json!({ "group": a.group.as_str() }),
        },
    )
    .await?;
    notice::queue(&mut tx, MailKind::Confirmed, id, a.citizen.email.is_some()).await?;
    tx.commit().await?;
    Ok(code.as_str().to_owned())
}
