//! What the waiting-list server functions do: check the form field by
//! field, apply the booking and look-up limits, call [`repo`](super::repo)
//! and shape the answer (or the redirect, for a browser posting a plain
//! form).

use super::repo::{self, ClaimError, EntryRow, JoinError, NewEntry};
use super::{WaitlistDetails, WaitlistForm, WaitlistJoined, WaitlistOffer, WaitlistPageData};
use crate::booking::citizen::{Citizen, Visit};
use crate::booking::service::{
    client_key, find_holder, office, office_summary, parse_date, slot_info, Proof, HOUR,
};
use crate::booking::{drafts, validate, BookingCreated};
use crate::error::{AppError, ConflictReason, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::offices::repo::OfficeRow;
use crate::ssr::limits;
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::time::rfc3339;
use chrono::Datelike;

/// The entry page of a private link.
pub fn entry_url(token: &str) -> String {
    format!("/waitlist?t={token}")
}

/// The cookie naming a refused join form's draft.
pub(super) const DRAFT_COOKIE: &str = "td_wait_draft";

/// `POST /api/waitlist/join`.
pub async fn join(form: WaitlistForm) -> Result<WaitlistJoined, AppError> {
    let draft = is_plain_form_post().then(|| form.clone());
    let result = join_checked(form).await;
    if let (Err(_), Some(draft), Ok(state)) = (&result, draft, app_state()) {
        // The browser goes back to the form: keep what was typed for it.
        drafts::keep(&state, DRAFT_COOKIE, &draft).await;
    }
    result
}

async fn join_checked(form: WaitlistForm) -> Result<WaitlistJoined, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    limits::hit(
        &state.pool,
        &client_key(&state, "book"),
        HOUR,
        state.settings.booking_attempts_per_hour,
    )
    .await?;
    let mut f = Fields::new(locale);
    let day = f.check("day", parse_date(&form.day));
    let slot = match form.slot_id.trim() {
        "" | "any" => Some(None),
        raw => f.check(
            "slot_id",
            raw.parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .map(Some)
                .ok_or(ValidationCode::InvalidChoice),
        ),
    };
    let citizen = Citizen::parse(&form.citizen, &mut f);
    // The offer comes by e-mail: an entry without one would wait for nothing.
    if citizen.as_ref().is_some_and(|c| c.email.is_none()) {
        f.push("email", ValidationCode::Required);
    }
    let visit = Visit::parse(&form.visit, &mut f);
    let consent = f.check("consent", validate::consent(form.consent.as_deref()));
    let (day, slot, citizen, visit, ()) = f.done((day, slot, citizen, visit, consent))?;
    let office = office(&state, &form.office).await?;
    let new = NewEntry {
        office: office.id,
        day,
        slot,
        citizen,
        visit,
        locale: if locale == Locale::en { "en" } else { "vi" },
    };
    let joined = repo::join(&state.pool, &new, state.settings.waitlist_hold()).await;
    let (entry, token) = match joined {
        Ok(done) => done,
        Err(JoinError::AlreadyWaiting | JoinError::AlreadyBooked) => {
            // Like `already_booked` on the booking form: each answer that
            // tells whether a CCCD is known here costs a failed look-up.
            limits::hit(
                &state.pool,
                &client_key(&state, "lookup"),
                limits::QUARTER_HOUR,
                state.settings.lookup_failures_per_15_min,
            )
            .await?;
            return Err(match joined {
                Err(JoinError::AlreadyBooked) => AppError::Conflict {
                    reason: ConflictReason::AlreadyBooked,
                },
                _ => AppError::Conflict {
                    reason: ConflictReason::AlreadyWaiting,
                },
            });
        }
        Err(e) => return Err(join_error(e, slot.is_some(), locale)),
    };
    if is_plain_form_post() {
        leptos_axum::redirect(&entry_url(&token));
    }
    Ok(WaitlistJoined {
        code: entry.code,
        position: entry.ahead + 1,
    })
}

fn join_error(error: JoinError, time_asked: bool, locale: Locale) -> AppError {
    match error {
        JoinError::NotWaitable if time_asked => {
            AppError::invalid("slot_id", ValidationCode::InvalidChoice, locale)
        }
        JoinError::NotWaitable => AppError::invalid("day", ValidationCode::DayNotWaitable, locale),
        JoinError::DayNotFull => AppError::Conflict {
            reason: ConflictReason::DayNotFull,
        },
        JoinError::AlreadyWaiting => AppError::Conflict {
            reason: ConflictReason::AlreadyWaiting,
        },
        JoinError::AlreadyBooked => AppError::Conflict {
            reason: ConflictReason::AlreadyBooked,
        },
        JoinError::Db(e) => e.into(),
    }
}

/// Finds the entry a request speaks of: by private-link token, or by code
/// and phone (see [`find_holder`]).
async fn authenticate(
    state: &AppState,
    locale: Locale,
    code: &str,
    phone: &str,
    token: &str,
) -> Result<EntryRow, AppError> {
    let hold = state.settings.waitlist_hold();
    find_holder(
        state,
        locale,
        code,
        phone,
        token,
        async |proof| match proof {
            Proof::Token(token) => repo::by_token(&state.pool, &token, hold).await,
            Proof::Code(code, phone) => Ok(repo::by_code(&state.pool, code.as_str(), hold)
                .await?
                .filter(|e| e.phone == phone)),
        },
    )
    .await
}

/// The entry as its holder sees it.
pub fn details(entry: &EntryRow, office: &OfficeRow, locale: Locale) -> WaitlistDetails {
    WaitlistDetails {
        code: entry.code.clone(),
        state: entry.state,
        office: office_summary(office, locale),
        day: entry.day.format("%Y-%m-%d").to_string(),
        weekday: entry.day.weekday().number_from_monday() as u8,
        starts_at: entry.slot_starts_at.map(rfc3339),
        full_name: entry.full_name.clone(),
        position: (entry.state == super::WaitState::Waiting).then_some(entry.ahead + 1),
        offer: match (
            entry.offer_starts_at,
            entry.offer_ends_at,
            entry.offer_until,
        ) {
            (Some(starts_at), Some(ends_at), Some(until)) => Some(WaitlistOffer {
                starts_at: rfc3339(starts_at),
                ends_at: rfc3339(ends_at),
                until: rfc3339(until),
            }),
            _ => None,
        },
        moves_booking: entry.booking_id.is_some() && entry.state.active(),
    }
}

async fn answer(
    state: &AppState,
    entry: &EntryRow,
    token: &str,
    locale: Locale,
) -> Result<WaitlistDetails, AppError> {
    if is_plain_form_post() {
        let token = if token.trim().is_empty() {
            let mut tx = state.pool.begin().await?;
            let token = repo::issue_token(&mut tx, entry.id).await?;
            tx.commit().await?;
            token
        } else {
            token.trim().to_owned()
        };
        leptos_axum::redirect(&entry_url(&token));
    }
    let office = office(state, &entry.office_slug).await?;
    Ok(details(entry, &office, locale))
}

/// `POST /api/waitlist/lookup`.
pub async fn lookup(
    code: String,
    phone: String,
    token: String,
) -> Result<WaitlistDetails, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let entry = authenticate(&state, locale, &code, &phone, &token).await?;
    answer(&state, &entry, &token, locale).await
}

/// `POST /api/pages/waitlist-entry`: the entry its link opens, never a
/// redirect (the page itself asks).
pub async fn entry_page(token: String) -> Result<WaitlistDetails, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    if token.trim().is_empty() {
        return Err(AppError::invalid("token", ValidationCode::Required, locale));
    }
    let entry = authenticate(&state, locale, "", "", &token).await?;
    let office = office(&state, &entry.office_slug).await?;
    Ok(details(&entry, &office, locale))
}

/// `POST /api/waitlist/leave`.
pub async fn leave(
    code: String,
    phone: String,
    token: String,
) -> Result<WaitlistDetails, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let entry = authenticate(&state, locale, &code, &phone, &token).await?;
    let left = repo::leave(&state.pool, entry.id, state.settings.waitlist_hold()).await?;
    answer(&state, &left, &token, locale).await
}

/// `POST /api/waitlist/claim`.
pub async fn claim(token: String) -> Result<BookingCreated, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    if token.trim().is_empty() {
        return Err(AppError::invalid("token", ValidationCode::Required, locale));
    }
    let entry = authenticate(&state, locale, "", "", &token).await?;
    let created = repo::claim(&state.pool, entry.id, state.settings.waitlist_hold())
        .await
        .map_err(|e| match e {
            ClaimError::OfferExpired => AppError::Conflict {
                reason: ConflictReason::OfferExpired,
            },
            ClaimError::AlreadyBooked => AppError::Conflict {
                reason: ConflictReason::AlreadyBooked,
            },
            ClaimError::Db(e) => e.into(),
        })?;
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("/my-booking?t={}", created.token));
    }
    Ok(BookingCreated {
        code: created.booking.code.clone(),
        status: created.booking.status,
        starts_at: rfc3339(created.booking.starts_at),
        office: created.booking.office_slug.clone(),
    })
}

/// `GET /api/pages/waitlist`.
pub async fn page(office_slug: String, day: String) -> Result<WaitlistPageData, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let mut f = Fields::new(locale);
    let date = f.check("day", parse_date(&day));
    let date = f.done(date)?;
    let office = office(&state, &office_slug).await?;
    let times = repo::day_times(&state.pool, office.id, date).await?;
    let full = !times.is_empty() && times.iter().all(|t| t.taken >= t.capacity);
    Ok(WaitlistPageData {
        office: office_summary(&office, locale),
        day: date.format("%Y-%m-%d").to_string(),
        weekday: date.weekday().number_from_monday() as u8,
        times: times.iter().map(slot_info).collect(),
        full,
        draft: drafts::take_kept(&state, DRAFT_COOKIE).await,
        consent: crate::booking::page_data::consent_text(&state, locale).await?,
    })
}
