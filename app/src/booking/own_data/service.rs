//! The request side of a citizen's rights: the proofs each one needs, the
//! download's answer, the withdrawal's redirect.

use super::repo::{self, Held};
use super::{
    HeldBasis, HeldCitizen, HeldMail, HeldProposal, HeldStep, HeldVisit, MyData, PersonalData,
    Withdrawal,
};
use crate::booking::manage::authenticate;
use crate::booking::service::{client_key, find_holder_counted, Proof, HOUR};
use crate::booking::{validate, BookingCode, BookingStatus};
use crate::error::{AppError, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::ssr::limits;
use crate::ssr::respond::is_plain_form_post;
use crate::ssr::{app_state, AppState};
use crate::time::rfc3339;
use chrono::Utc;
use uuid::Uuid;

/// What the ticket page shows; `private_link` says how it was opened.
pub async fn my_data(state: &AppState, id: Uuid, private_link: bool) -> Result<MyData, AppError> {
    let h = repo::held(&state.pool, id).await?;
    let ahead = h.starts_at > Utc::now();
    Ok(MyData {
        citizen_id_end: h
            .citizen_id
            .get(h.citizen_id.len().saturating_sub(3)..)
            .unwrap_or_default()
            .to_owned(),
        full_name: h.full_name,
        phone: h.phone,
        email: h.email,
        topic: h.topic,
        summary: h.summary,
        party_size: h.party_size,
        representatives: h.representatives,
        needs: h.needs,
        interpreter: h.interpreter,
        consent_version: h.consent_version,
        consented_at: h.consented_at.map(rfc3339),
        upcoming: ahead
            && matches!(
                h.status,
                BookingStatus::Requested | BookingStatus::Confirmed
            ),
        received: matches!(
            h.status,
            BookingStatus::CheckedIn | BookingStatus::Completed
        ),
        private_link,
    })
}

/// Whether the page at `token` was opened with a private link (not a
/// look-up's).
pub async fn opened_with_private_link(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(repo::holder_by_token(&state.pool, token.trim())
        .await?
        .is_some_and(|h| h.private_link))
}

/// `POST /api/bookings/data`.
pub async fn download(
    code: String,
    phone: String,
    citizen_id: String,
    token: String,
) -> Result<PersonalData, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let by_token = !token.trim().is_empty();
    // Every field a proof by code needs, all at once; with a token, the
    // CCCD only if typed (a look-up's link asks for it below).
    let mut c = Fields::new(locale);
    if !by_token {
        c.check("code", BookingCode::parse(&code));
        c.check("phone", validate::phone(&phone));
    }
    let typed = if by_token && citizen_id.trim().is_empty() {
        None
    } else {
        c.check("citizen_id", validate::citizen_id(&citizen_id))
    };
    c.finish()?;

    let (holder, attempt) = find_holder_counted(
        &state,
        locale,
        &code,
        &phone,
        &token,
        async |proof| match proof {
            Proof::Token(token) => repo::holder_by_token(&state.pool, &token).await,
            Proof::Code(code, phone) => Ok(repo::holder_by_code(&state.pool, code.as_str())
                .await?
                .filter(|h| h.phone == phone && typed.as_deref() == Some(h.citizen_id.as_str()))),
        },
    )
    .await?;
    if !holder.private_link {
        match typed.as_deref() {
            None => {
                attempt.give_back(&state.pool).await?;
                return Err(AppError::invalid(
                    "citizen_id",
                    ValidationCode::Required,
                    locale,
                ));
            }
            // A look-up's link with the wrong CCCD: a failed look-up, its
            // attempt left counted like any other miss's, so the CCCD
            // cannot be guessed behind a link.
            Some(cccd) if cccd != holder.citizen_id => {
                return Err(AppError::invalid(
                    "citizen_id",
                    ValidationCode::CitizenIdMismatch,
                    locale,
                ));
            }
            Some(_) => {}
        }
    }
    attempt.give_back(&state.pool).await?;
    let data = export(&state, holder.id, locale).await?;
    attach(&data.code);
    Ok(data)
}

/// The answer is a file to keep, never a redirect back to the form (the
/// router drops leptos's `Location` for an attachment) nor a cached page.
fn attach(code: &str) {
    use http::{header, HeaderValue, StatusCode};
    let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    response.set_status(StatusCode::OK);
    if let Ok(value) =
        HeaderValue::from_str(&format!("attachment; filename=\"tiep-dan-{code}.json\""))
    {
        response.insert_header(header::CONTENT_DISPOSITION, value);
    }
    response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

async fn export(state: &AppState, id: Uuid, locale: Locale) -> Result<PersonalData, AppError> {
    let h: Held = repo::held(&state.pool, id).await?;
    let steps = repo::steps(&state.pool, id).await?;
    let proposals = repo::proposals(&state.pool, id).await?;
    let mail = repo::mail(&state.pool, id).await?;
    let consent_text = match &h.consent_version {
        Some(version) => {
            let booking_locale = if h.locale == "en" { Locale::en } else { locale };
            crate::consent::repo::text_of(&state.pool, version, booking_locale).await?
        }
        None => None,
    };
    let office = if locale == Locale::en {
        h.office_name_en.unwrap_or(h.office_name_vi)
    } else {
        h.office_name_vi
    };
    Ok(PersonalData {
        code: h.code,
        office,
        starts_at: rfc3339(h.starts_at),
        ends_at: rfc3339(h.ends_at),
        status: h.status,
        made_at: rfc3339(h.created_at),
        citizen: HeldCitizen {
            full_name: h.full_name,
            citizen_id: h.citizen_id,
            phone: h.phone,
            email: h.email,
            locale: h.locale,
        },
        visit: HeldVisit {
            topic: h.topic,
            summary: h.summary,
            party_size: h.party_size,
            representatives: h.representatives,
            needs: h.needs,
            interpreter: h.interpreter,
            priority: h.priority,
            cancel_reason: h.cancel_reason,
        },
        basis: HeldBasis {
            legal_basis: h.legal_basis,
            consent_version: h.consent_version,
            consented_at: h.consented_at.map(rfc3339),
            consent_text,
            consent_withdrawn_at: h.consent_withdrawn_at.map(rfc3339),
            anonymised_at: h.anonymised_at.map(rfc3339),
        },
        history: steps
            .into_iter()
            .map(|s| HeldStep {
                at: rfc3339(s.at),
                step: s.step,
                note: s.note,
            })
            .collect(),
        proposals: proposals
            .into_iter()
            .map(|p| HeldProposal {
                proposed_at: rfc3339(p.created_at),
                starts_at: rfc3339(p.starts_at),
                message: p.message,
                outcome: p.outcome,
            })
            .collect(),
        mail: mail
            .into_iter()
            .map(|m| HeldMail {
                kind: m.kind,
                state: m.state,
                queued_at: rfc3339(m.created_at),
                done_at: m.done_at.map(rfc3339),
            })
            .collect(),
        generated_at: rfc3339(Utc::now()),
    })
}

/// A ticked box, as a checkbox or an API client sends it.
fn confirmed(raw: &str) -> Result<(), ValidationCode> {
    match raw.trim() {
        "true" | "on" => Ok(()),
        _ => Err(ValidationCode::ConfirmWithdrawal),
    }
}

/// `POST /api/bookings/withdraw`.
pub async fn withdraw(
    code: String,
    phone: String,
    token: String,
    confirm: String,
) -> Result<Withdrawal, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let mut c = Fields::new(locale);
    c.check("confirm", confirmed(&confirm));
    c.finish()?;
    let booking = authenticate(&state, locale, &code, &phone, &token).await?;
    limits::hit(
        &state.pool,
        &client_key(&state, "book"),
        HOUR,
        state.settings.booking_attempts_per_hour,
    )
    .await?;
    let outcome = repo::withdraw(&state.pool, booking.id).await?;
    // The booking's links are gone with its data: the browser lands on a
    // page that says what was done.
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("/my-booking?withdrawn={}", outcome.as_str()));
    }
    Ok(Withdrawal {
        code: booking.code,
        outcome,
    })
}
