//! A citizen's own booking: proving who they are (code + phone, or the
//! private link), then looking it up, cancelling or moving it.

use super::citizen::nfc;
use super::repo::{self, BookingRow};
use super::service::{book_error, client_key, find_holder, slot_id, Proof, HOUR};
use super::{validate, BookingDetails, HistoryEntry, OfficeSummary, ProposalInfo};
use crate::error::{AppError, ConflictReason, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::ssr::limits;
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::time::rfc3339;
use chrono::Utc;

/// Finds the booking a request speaks of: by private-link token, or by code
/// and phone (see [`find_holder`]).
pub(super) async fn authenticate(
    state: &AppState,
    locale: Locale,
    code: &str,
    phone: &str,
    token: &str,
) -> Result<BookingRow, AppError> {
    find_holder(
        state,
        locale,
        code,
        phone,
        token,
        async |proof| match proof {
            Proof::Token(token) => repo::by_token(&state.pool, &token).await,
            Proof::Code(code, phone) => Ok(repo::by_code(&state.pool, code.as_str())
                .await?
                .filter(|b| b.phone == phone)),
        },
    )
    .await
}

pub(super) async fn details(
    state: &AppState,
    booking: &BookingRow,
    locale: Locale,
) -> Result<BookingDetails, AppError> {
    let history = repo::history(&state.pool, booking.id).await?;
    let status = booking.status;
    let en = locale == Locale::en;
    Ok(BookingDetails {
        code: booking.code.clone(),
        status,
        office: OfficeSummary {
            slug: booking.office_slug.clone(),
            name: if en {
                booking
                    .office_name_en
                    .clone()
                    .unwrap_or_else(|| booking.office_name_vi.clone())
            } else {
                booking.office_name_vi.clone()
            },
            address: if en {
                booking
                    .office_address_en
                    .clone()
                    .unwrap_or_else(|| booking.office_address_vi.clone())
            } else {
                booking.office_address_vi.clone()
            },
        },
        slot_id: booking.slot_id,
        starts_at: rfc3339(booking.starts_at),
        ends_at: rfc3339(booking.ends_at),
        full_name: booking.full_name.clone(),
        topic: booking.topic,
        party_size: booking.party_size,
        representatives: booking.representatives.clone(),
        email_given: booking.email.is_some(),
        changeable: status.changeable() && booking.change_deadline > Utc::now(),
        history: history
            .into_iter()
            .map(|(at, status)| HistoryEntry {
                at: rfc3339(at),
                status,
            })
            .collect(),
        proposal: repo::open_for(&state.pool, booking.id)
            .await?
            .map(|p| ProposalInfo {
                starts_at: rfc3339(p.starts_at),
                ends_at: rfc3339(p.ends_at),
                expires_at: rfc3339(p.expires_at),
                message: p.message,
            }),
    })
}

/// Sends a browser that posted a plain form to the booking's page.
pub(super) async fn redirect_to_manage(
    state: &AppState,
    booking: &BookingRow,
    token: &str,
) -> Result<(), AppError> {
    if is_plain_form_post() {
        let token = if token.trim().is_empty() {
            repo::issue_lookup_token(&state.pool, booking.id).await?
        } else {
            token.trim().to_owned()
        };
        leptos_axum::redirect(&format!("/my-booking?t={token}"));
    }
    Ok(())
}

/// `POST /api/bookings/lookup`.
pub async fn lookup(code: String, phone: String) -> Result<BookingDetails, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let booking = authenticate(&state, locale, &code, &phone, "").await?;
    redirect_to_manage(&state, &booking, "").await?;
    details(&state, &booking, locale).await
}

/// `POST /api/bookings/cancel`.
pub async fn cancel(
    code: String,
    phone: String,
    token: String,
    reason: String,
) -> Result<BookingDetails, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let booking = authenticate(&state, locale, &code, &phone, &token).await?;
    limits::hit(
        &state.pool,
        &client_key(&state, "book"),
        HOUR,
        state.settings.booking_attempts_per_hour,
    )
    .await?;
    let mut c = Fields::new(locale);
    let reason = c.check("reason", validate::reason(&nfc(&reason)));
    c.finish()?;
    let reason = reason.unwrap_or_default();
    let cancelled = repo::cancel(&state.pool, booking.id, &reason)
        .await
        .map_err(|e| book_error(e, locale, "slot_id"))?;
    redirect_to_manage(&state, &cancelled, &token).await?;
    details(&state, &cancelled, locale).await
}

/// `POST /api/bookings/reschedule`.
pub async fn reschedule(
    code: String,
    phone: String,
    token: String,
    slot: String,
) -> Result<BookingDetails, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let booking = authenticate(&state, locale, &code, &phone, &token).await?;
    limits::hit(
        &state.pool,
        &client_key(&state, "book"),
        HOUR,
        state.settings.booking_attempts_per_hour,
    )
    .await?;
    let mut c = Fields::new(locale);
    let slot = c.check("slot_id", slot_id(&slot));
    let slot = c.done(slot)?;
    let moved = repo::reschedule(&state.pool, booking.id, slot)
        .await
        .map_err(|e| book_error(e, locale, "slot_id"))?;
    redirect_to_manage(&state, &moved, &token).await?;
    details(&state, &moved, locale).await
}

/// `POST /api/bookings/proposal`.
pub async fn answer(
    code: String,
    phone: String,
    token: String,
    answer: String,
) -> Result<BookingDetails, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let booking = authenticate(&state, locale, &code, &phone, &token).await?;
    let accept = match answer.trim() {
        "accept" => true,
        "decline" => false,
        _ => {
            return Err(AppError::invalid(
                "answer",
                ValidationCode::InvalidChoice,
                locale,
            ))
        }
    };
    let answered = repo::answer(&state.pool, booking.id, accept)
        .await
        .map_err(|e| match e {
            repo::AnswerError::NoProposal => AppError::Conflict {
                reason: ConflictReason::NoProposal,
            },
            repo::AnswerError::Db(e) => e.into(),
        })?;
    redirect_to_manage(&state, &answered, &token).await?;
    details(&state, &answered, locale).await
}
