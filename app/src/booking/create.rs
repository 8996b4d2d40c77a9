//! Booking a slot: the form checked field by field, the attempt limits,
//! and the form kept to refill it when a plain post is refused.

use super::citizen::{Citizen, CitizenInput, Visit, VisitInput};
use super::drafts;
use super::repo::{self, NewBooking};
use super::service::{book_error, client_key, slot_id, HOUR};
use super::{validate, BookingCreated, Draft};
use crate::error::{AppError, ConflictReason, Fields};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::ssr::limits::{self};
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::time::rfc3339;

/// The raw booking form, every field as the client sent it.
pub struct BookingForm {
    pub slot_id: String,
    pub full_name: String,
    pub citizen_id: String,
    pub phone: String,
    pub email: String,
    pub topic: String,
    pub summary: String,
    pub party_size: String,
    pub representatives: String,
    pub needs: String,
    pub interpreter: Option<String>,
    pub consent: Option<String>,
    pub request_id: Option<String>,
}

const DRAFT_COOKIE: &str = "td_draft";

impl BookingForm {
    fn draft(&self) -> Draft {
        Draft {
            slot_id: self.slot_id.clone(),
            full_name: self.full_name.clone(),
            citizen_id: self.citizen_id.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            topic: self.topic.clone(),
            summary: self.summary.clone(),
            party_size: self.party_size.clone(),
            representatives: self.representatives.clone(),
            needs: self.needs.clone(),
            interpreter: self.interpreter.is_some(),
            consent: validate::consent(self.consent.as_deref()).is_ok(),
        }
    }
}

/// `POST /api/bookings/create`.
pub async fn create(form: BookingForm) -> Result<BookingCreated, AppError> {
    let draft = is_plain_form_post().then(|| form.draft());
    let result = create_checked(form).await;
    if let (Err(_), Some(draft)) = (&result, draft) {
        // The browser goes back to the form: keep what was typed for it.
        if let (Ok(state), Ok(data)) = (app_state(), serde_json::to_value(&draft)) {
            match drafts::save(&state.pool, &data).await {
                Ok(id) => set_draft_cookie(&state, &id.to_string(), 600),
                Err(e) => tracing::warn!(error = %e, "could not keep the refused form"),
            }
        }
    }
    result
}

pub(super) fn set_draft_cookie(state: &AppState, value: &str, max_age: u32) {
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{DRAFT_COOKIE}={value}; Path=/book; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    );
    if let (Some(response), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The draft this browser left, read once.
pub(super) async fn take_draft(state: &AppState) -> Option<Draft> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let id = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == DRAFT_COOKIE)
        .and_then(|(_, value)| uuid::Uuid::parse_str(value).ok())?;
    set_draft_cookie(state, "", 0);
    let data = drafts::take(&state.pool, id).await.ok().flatten()?;
    serde_json::from_value(data).ok()
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
    let citizen = Citizen::parse(
        CitizenInput {
            full_name: &form.full_name,
            citizen_id: &form.citizen_id,
            phone: &form.phone,
            email: &form.email,
        },
        &mut f,
    );
    let visit = Visit::parse(
        VisitInput {
            topic: &form.topic,
            summary: &form.summary,
            party_size: &form.party_size,
            representatives: &form.representatives,
            needs: &form.needs,
            interpreter: form.interpreter.as_deref(),
        },
        &mut f,
    );
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
