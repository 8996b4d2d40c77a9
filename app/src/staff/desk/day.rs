//! The front desk's day: an office's slots and bookings, each booking as
//! the reader may see it.

use super::repo::{self as desk, DeskRow};
use super::{DayCounts, DaySlot, DayView, DeskBooking, DeskWaiting};
use crate::booking::waitlist::repo as waitlist;
use crate::booking::{BookingStatus, Topic};
use crate::error::{AppError, ValidationCode};
use crate::i18n::{td_string, Locale};
use crate::locale::use_locale;
use crate::offices::repo as offices;
use crate::ssr::app_state;
use crate::staff::audit::{self};
use crate::staff::auth::{self, Permission, StaffUser};
use crate::staff::confidentiality::{self, Matter};
use crate::time::{rfc3339, today_vn};
use chrono::NaiveDate;

/// A booking as `user` may see it: a denouncer's name, representatives and
/// summary withheld unless the one rule lets them through.
fn desk_booking(
    row: DeskRow,
    user: &StaffUser,
    office: uuid::Uuid,
    starts_at: &str,
    ends_at: &str,
    answer_within_hours: i32,
    locale: Locale,
) -> Result<DeskBooking, AppError> {
    let (topic, status) = (row.topic, row.status);
    let visible = confidentiality::sees_identity(
        user,
        &Matter {
            denunciation: topic == Topic::Denunciation,
            office,
            handler: row.case_handler,
        },
    );
    let hidden = || td_string!(locale, cases.confidential).to_owned();
    // No e-mail can carry the office's answer (a proposal above all): the
    // desk calls.
    let phone =
        (visible && !row.email_given && status == BookingStatus::Requested).then_some(row.phone);
    Ok(DeskBooking {
        code: row.code,
        status,
        full_name: if visible { row.full_name } else { hidden() },
        party_size: row.party_size,
        representatives: if visible {
            row.representatives
        } else {
            row.representatives.iter().map(|_| hidden()).collect()
        },
        topic,
        summary: if visible { row.summary } else { hidden() },
        needs: row.needs,
        interpreter: row.interpreter,
        email_given: row.email_given,
        starts_at: starts_at.to_owned(),
        ends_at: ends_at.to_owned(),
        notes: row.notes,
        walk_in: row.walk_in,
        priority: row.priority,
        masked: !visible,
        proposed_at: row.proposed_at.map(rfc3339),
        phone,
        waited_minutes: row.waited_seconds.map(|s| s / 60),
        late: row
            .waited_seconds
            .is_some_and(|s| s >= i64::from(answer_within_hours) * 3600),
    })
}

/// `GET /api/staff/bookings`.
pub async fn day(office: String, date: String) -> Result<DayView, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::FrontDesk).await?;
    let mine = offices::among(&state.pool, &user.office_ids).await?;
    let office = if office.trim().is_empty() {
        mine.first().ok_or(AppError::Forbidden)?.clone()
    } else {
        offices::by_slug(&state.pool, office.trim())
            .await?
            .ok_or(AppError::NotFound)?
    };
    auth::require_office(&user, office.id)?;
    let date = if date.trim().is_empty() {
        today_vn()
    } else {
        NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("date", ValidationCode::InvalidDate, locale))?
    };
    let slots = desk::day_slots(&state.pool, office.id, date).await?;
    let bookings = desk::day_bookings(&state.pool, office.id, date).await?;

    let mut counts = DayCounts::default();
    let mut pending = Vec::new();
    let mut day_slots: Vec<DaySlot> = Vec::with_capacity(slots.len());
    let mut by_slot: std::collections::HashMap<i64, usize> = Default::default();
    for slot in &slots {
        if !slot.withdrawn {
            counts.free += u32::try_from(slot.capacity - slot.taken).unwrap_or(0);
            counts.kept += u32::try_from(slot.kept).unwrap_or(0);
        }
        by_slot.insert(slot.id, day_slots.len());
        day_slots.push(DaySlot {
            starts_at: rfc3339(slot.starts_at),
            ends_at: rfc3339(slot.ends_at),
            capacity: slot.capacity,
            taken: slot.taken,
            withdrawn: slot.withdrawn,
            kept_walk_in: slot.kept_walk_in,
            kept_priority: slot.kept_priority,
            kept: i16::try_from(slot.kept).unwrap_or(i16::MAX),
            bookings: Vec::new(),
        });
    }
    let mut denouncers_shown = Vec::new();
    let mut phones_shown = Vec::new();
    for row in bookings {
        let Some(&index) = by_slot.get(&row.slot_id) else {
            continue;
        };
        let slot = &mut day_slots[index];
        let booking = desk_booking(
            row,
            &user,
            office.id,
            &slot.starts_at,
            &slot.ends_at,
            state.settings.answer_within_hours,
            locale,
        )?;
        if booking.topic == Topic::Denunciation && !booking.masked {
            denouncers_shown.push(booking.code.clone());
        }
        if booking.phone.is_some() {
            phones_shown.push(booking.code.clone());
        }
        match booking.status {
            BookingStatus::Requested => {
                counts.pending += 1;
                pending.push(booking.clone());
            }
            BookingStatus::Confirmed => counts.expected += 1,
            BookingStatus::CheckedIn | BookingStatus::Completed => {
                counts.expected += 1;
                counts.arrived += 1;
            }
            BookingStatus::NoShow => {
                counts.expected += 1;
                counts.no_show += 1;
            }
            BookingStatus::Rejected | BookingStatus::Cancelled => {}
        }
        slot.bookings.push(booking);
    }
    audit::identity_viewed(
        &state.pool,
        &user,
        &state.settings.trusted_proxies,
        "booking",
        &denouncers_shown,
        office.id,
        "desk",
    )
    .await?;
    audit::contact_viewed(
        &state.pool,
        &user,
        &state.settings.trusted_proxies,
        "booking",
        &phones_shown,
        office.id,
        "desk",
        &["phone"],
    )
    .await?;
    let waiting = waiting_list(&state, &user, office.id, date, locale).await?;
    Ok(DayView {
        office: office.choice(locale),
        offices: mine.iter().map(|o| o.choice(locale)).collect(),
        date: date.format("%Y-%m-%d").to_string(),
        previous_date: date
            .pred_opt()
            .unwrap_or(date)
            .format("%Y-%m-%d")
            .to_string(),
        next_date: date
            .succ_opt()
            .unwrap_or(date)
            .format("%Y-%m-%d")
            .to_string(),
        today: today_vn().format("%Y-%m-%d").to_string(),
        counts,
        can_edit_schedule: user.role.may(Permission::Schedules),
        walk_in_outside_slots: desk::walk_ins_outside_slots(&state.pool, office.id).await?,
        walk_in_slots: if date == today_vn() {
            desk::walk_in_slots(&state.pool, office.id)
                .await?
                .into_iter()
                .map(rfc3339)
                .collect()
        } else {
            Vec::new()
        },
        priority_slots: desk::priority_slots(&state.pool, office.id, date)
            .await?
            .into_iter()
            .map(rfc3339)
            .collect(),
        blocked: crate::staff::schedule::repo::blocked_on(&state.pool, office.id, date)
            .await?
            .into_iter()
            .map(|(at, reason)| super::BlockedSlot {
                starts_at: rfc3339(at),
                reason,
            })
            .collect(),
        pending,
        slots: day_slots,
        waiting,
    })
}

/// The day's waiting list as `user` may see it; each denouncer shown is
/// audited, as on a booking card.
async fn waiting_list(
    state: &crate::ssr::AppState,
    user: &StaffUser,
    office: uuid::Uuid,
    date: NaiveDate,
    locale: Locale,
) -> Result<Vec<DeskWaiting>, AppError> {
    let rows = waitlist::for_day(&state.pool, office, date, state.settings.waitlist_hold()).await?;
    let mut shown = Vec::new();
    let list = rows
        .into_iter()
        .map(|row| {
            let denunciation = row.topic == Topic::Denunciation;
            let visible = confidentiality::sees_identity(
                user,
                &Matter {
                    denunciation,
                    office,
                    handler: None,
                },
            );
            if denunciation && visible {
                shown.push(row.code.clone());
            }
            DeskWaiting {
                code: row.code,
                state: row.state,
                full_name: if visible {
                    row.full_name
                } else {
                    td_string!(locale, cases.confidential).to_owned()
                },
                topic: row.topic,
                party_size: row.party_size,
                starts_at: row.slot_starts_at.map(rfc3339),
                offer_starts_at: row.offer_starts_at.map(rfc3339),
                offer_until: row.offer_until.map(rfc3339),
                masked: !visible,
            }
        })
        .collect();
    audit::identity_viewed(
        &state.pool,
        user,
        &state.settings.trusted_proxies,
        "waitlist",
        &shown,
        office,
        "desk",
    )
    .await?;
    Ok(list)
}
