//! SQL for schedule rules. Each change runs in one transaction that first
//! locks the office's future slots (so no booking can land in between),
//! changes the rule, asks the plan whether any booked slot would end up with
//! fewer places than bookings (and rolls back if so), and applies the plan
//! to the slots before committing.

mod days;
mod rules;
mod slots;

pub use days::{close_day, reopen_day};
pub use rules::{add_hours, add_special, remove_hours, remove_special, set_settings};
pub use slots::{blocked_on, set_blocked, set_capacity, set_kept};

use crate::booking::generator::{apply_office, lock_office, slots_below_taken};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::StaffUser;
use chrono::{NaiveDate, NaiveTime};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("a slot would have fewer places than bookings")]
    BelowTaken,
    #[error("overlaps another session")]
    Overlap,
    #[error("more places kept than the slot has")]
    KeptAboveCapacity,
    #[error("no such slot or rule")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// An office's booking window and walk-in choice (not the server's `ssr::Settings`).
pub struct OfficeSettings {
    pub horizon_days: i32,
    pub min_notice_minutes: i32,
    pub walk_ins_outside_slots: bool,
    pub kept_walk_in: i16,
    pub kept_priority: i16,
    pub kept_release_hours: i32,
}

pub struct HoursRow {
    pub weekday: i16,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    pub slot_minutes: i16,
    pub capacity: i16,
}

pub struct SpecialRow {
    pub day: NaiveDate,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    pub slot_minutes: i16,
    pub capacity: i16,
}

pub struct ClosureRow {
    pub day: NaiveDate,
    pub reason: String,
}

/// What a change is, for the audit trail.
pub struct Change<'a> {
    pub user: &'a StaffUser,
    pub trusted: &'a [ipnet::IpNet],
    pub office: Uuid,
    pub action: &'a str,
    pub record: &'a str,
    pub details: serde_json::Value,
}

pub async fn settings(pool: &PgPool, office: Uuid) -> Result<OfficeSettings, sqlx::Error> {
    sqlx::query_as!(
        OfficeSettings,
        "SELECT horizon_days, min_notice_minutes, walk_ins_outside_slots, kept_walk_in, kept_priority, kept_release_hours FROM offices WHERE id = $1",
        office
    )
    .fetch_one(pool)
    .await
}

pub async fn hours(pool: &PgPool, office: Uuid) -> Result<Vec<HoursRow>, sqlx::Error> {
    sqlx::query_as!(
        HoursRow,
        "SELECT weekday, opens, closes, slot_minutes, capacity FROM opening_hours WHERE office_id = $1 ORDER BY weekday, opens",
        office
    )
    .fetch_all(pool)
    .await
}

pub async fn special(pool: &PgPool, office: Uuid) -> Result<Vec<SpecialRow>, sqlx::Error> {
    sqlx::query_as!(
        SpecialRow,
        r#"
        SELECT day, opens, closes, slot_minutes, capacity FROM special_hours
        WHERE office_id = $1 AND day >= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        ORDER BY day, opens
        "#,
        office
    )
    .fetch_all(pool)
    .await
}

pub async fn closures(pool: &PgPool, office: Uuid) -> Result<Vec<ClosureRow>, sqlx::Error> {
    sqlx::query_as!(
        ClosureRow,
        r#"
        SELECT day, reason FROM office_closures
        WHERE office_id = $1 AND day >= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        ORDER BY day
        "#,
        office
    )
    .fetch_all(pool)
    .await
}

/// Opens an edit's transaction with the office's slots locked.
async fn begin(pool: &PgPool, office: Uuid) -> Result<Transaction<'_, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    lock_office(&mut tx, office).await?;
    Ok(tx)
}

/// Refuses the transaction's change if the rules now give a booked slot
/// fewer places than it holds, applies it to the slots, records it and
/// commits.
async fn finish(mut tx: Transaction<'_, Postgres>, change: Change<'_>) -> Result<(), RuleError> {
    if slots_below_taken(&mut tx, change.office).await? > 0 {
        return Err(RuleError::BelowTaken);
    }
    apply_office(&mut tx, change.office).await?;
    audit::record(
        &mut tx,
        change.user,
        change.trusted,
        Entry {
            action: change.action,
            record_type: "office",
            record_id: change.record,
            office: Some(change.office),
            details: change.details,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
