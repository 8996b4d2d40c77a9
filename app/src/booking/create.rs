//! Booking a slot: the form checked field by field, the attempt limits,
//! and the form kept to refill it when a plain post is refused.

use super::citizen::{Citizen, Visit};
use super::drafts;
use super::repo::{self, NewBooking};
use super::service::{book_error, client_key, slot_id, HOUR};
use super::{validate, BookingCreated, BookingForm};
use crate::error::{AppError, ConflictReason, Fields};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::ssr::limits;
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::time::rfc3339;

const DRAFT_COOKIE: &str = "td_draft";

/// `POST /api/bookings/create`.
pub async fn create(form: BookingForm) -> Result<BookingCreated, AppError> {
    // The request id is left out: a refilled form is a new submission.
    let draft = is_plain_form_post().then(|| BookingForm {
        request_id: None,
        ..form.clone()
    });
    let result = create_checked(form).await;
    if let (Err(_), Some(draft), Ok(state)) = (&result, draft, app_state()) {
        // The browser goes back to the form: keep what was typed for it.
        drafts::keep(&state, DRAFT_COOKIE, &draft).await;
    }
    result
}

/// The draft this browser left, read once.
pub(super) async fn take_draft(state: &AppState) -> Option<BookingForm> {
    drafts::take_kept(state, DRAFT_COOKIE).await
}

async fn create_checked(form: BookingForm) -> Result<BookingCreated, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    limits::hit(
        &state.pool,
        &client_key(&state, "book"),
        HOUR,
        state.settings.booking_attempts_per_hour,
    )
    .await?;
    let result = create_checked_form(&state, locale, form).await;
    if matches!(
        result,
        Err(AppError::Conflict {
            reason: ConflictReason::AlreadyBooked
        })
    ) {
        // `already_booked` tells whoever asks whether a CCCD holds a booking
        // here: each such answer takes a failed look-up of the address's
        // window before it is given, so a burst of probes learns at most
        // the limit and the rest read 429. Bookings that go through never
        // touch the window.
        limits::hit(
            &state.pool,
            &client_key(&state, "lookup"),
            limits::QUARTER_HOUR,
            state.settings.lookup_failures_per_15_min,
        )
        .await?;
    }
    result
}

async fn create_checked_form(
    state: &AppState,
    locale: Locale,
    form: BookingForm,
) -> Result<BookingCreated, AppError> {
    let mut f = Fields::new(locale);
    let slot_id = f.check("slot_id", slot_id(&form.slot_id));
    let citizen = Citizen::parse(&form.citizen, &mut f);
    let visit = Visit::parse(&form.visit, &mut f);
    let consent = f.check("consent", validate::consent(form.consent.as_deref()));
    let (slot_id, citizen, visit, ()) = f.done((slot_id, citizen, visit, consent))?;
    let new = NewBooking {
        slot_id,
        citizen,
        visit,
        locale: if locale == Locale::en { "en" } else { "vi" },
        // A malformed id is ignored rather than refused: it only guards
        // against double submits.
        request_id: form
            .request_id
            .as_deref()
            .and_then(|r| uuid::Uuid::parse_str(r.trim()).ok()),
    };
    let created = repo::create(&state.pool, &new)
        .await
        .map_err(|e| book_error(e, locale, "slot_id"))?;
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("/my-booking?t={}", created.token));
    }
    let status = created.booking.status;
    Ok(BookingCreated {
        code: created.booking.code.clone(),
        status,
        starts_at: rfc3339(created.booking.starts_at),
        office: created.booking.office_slug.clone(),
    })
}
