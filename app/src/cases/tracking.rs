//! The citizen's side: look a case up with its code and a second factor
//! (throttled per address and per code), its private page, and the opt-in
//! to e-mail at every step.

use super::clock::{standing, ymd};
use super::form::flag;
use super::notify::mask_email;
use super::repo::{self, CaseRow};
use super::timeline::{agency, timeline};
use super::{CaseLookup, TrackedCase, TrackingCode};
use crate::booking::validate;
use crate::error::{AppError, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::ssr::limits::{self, Limit};
use crate::ssr::{app_state, client, respond::is_plain_form_post, AppState};
use crate::time::today_vn;

/// A look-up's private link lasts long enough to read the page and opt in.
const LOOKUP_LINK_HOURS: i32 = 2;

async fn public_view(
    state: &AppState,
    row: &CaseRow,
    locale: Locale,
) -> Result<CaseLookup, AppError> {
    let (kind, status) = (row.kind, row.status);
    let events = repo::events(&state.pool, row.id, true).await?;
    let (_, overdue) = standing(row.due_on, today_vn());
    Ok(CaseLookup {
        code: row.code.clone(),
        kind,
        status,
        status_label: status.label(locale).to_owned(),
        agency: agency(row),
        received_at: ymd(row.received_on),
        due_at: row.due_on.map(ymd),
        overdue,
        timeline: timeline(&events, locale),
    })
}

/// The second factor as typed: the last four digits of the CCCD, or a phone.
enum Verifier {
    Last4(String),
    Phone(String),
}

impl Verifier {
    fn parse(raw: &str) -> Result<Self, ValidationCode> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
            .collect();
        if compact.is_empty() {
            return Err(ValidationCode::Required);
        }
        if compact.len() == 4 && compact.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Self::Last4(compact));
        }
        validate::phone(raw)
            .map(Self::Phone)
            .map_err(|_| ValidationCode::InvalidVerifier)
    }

    fn matches(&self, row: &CaseRow) -> bool {
        match self {
            Self::Last4(digits) => row
                .citizen_id
                .as_deref()
                .is_some_and(|id| id.ends_with(digits.as_str())),
            Self::Phone(phone) => &row.phone == phone,
        }
    }
}

/// `POST /api/cases/lookup`.
pub async fn lookup(code: String, verifier: String) -> Result<CaseLookup, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let mut f = Fields::new(locale);
    let code = f.check("code", TrackingCode::parse(&code));
    let verifier = f.check("verifier", Verifier::parse(&verifier));
    let (code, verifier) = f.done((code, verifier))?;
    // Counted per address and per code before the case is looked at, so a
    // burst can try at most the limit of the 10,000 CCCD endings; handed
    // back when the case matches.
    let max = state.settings.lookup_failures_per_15_min;
    let claim = limits::claim(
        &state.pool,
        &[
            Limit::new(
                format!(
                    "case-lookup:addr:{}",
                    client::client_key(&state.settings.trusted_proxies)
                ),
                limits::QUARTER_HOUR,
                max,
            ),
            Limit::new(
                format!("case-lookup:code:{}", code.as_str()),
                limits::QUARTER_HOUR,
                max,
            ),
        ],
    )
    .await?;
    let found = repo::by_code(&state.pool, code.as_str())
        .await?
        .filter(|row| verifier.matches(row));
    let Some(row) = found else {
        return Err(AppError::NotFound);
    };
    claim.give_back(&state.pool).await?;
    if is_plain_form_post() {
        let token = repo::issue_token(&state.pool, row.id, LOOKUP_LINK_HOURS).await?;
        leptos_axum::redirect(&format!("/track?t={token}"));
    }
    public_view(&state, &row, locale).await
}

async fn page_of(state: &AppState, row: &CaseRow, locale: Locale) -> Result<TrackedCase, AppError> {
    Ok(TrackedCase {
        case: public_view(state, row, locale).await?,
        notify: row.notify,
        email_hint: row.email.as_deref().map(mask_email),
        email_pending: repo::pending_email(&state.pool, row.id)
            .await?
            .as_deref()
            .map(mask_email),
    })
}

/// `GET /api/cases/page`.
pub async fn page(token: String) -> Result<TrackedCase, AppError> {
    let state = app_state()?;
    let row = repo::by_token(&state.pool, token.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    page_of(&state, &row, use_locale()).await
}

/// `POST /api/cases/notify`. A new address is not taken on the word of
/// whoever holds the link: it gets a confirmation link, the address on file
/// is told, and the case keeps writing to the old one until the new one
/// confirms. Opting out takes effect at once.
pub async fn set_notify(
    token: String,
    email: String,
    notify: String,
) -> Result<TrackedCase, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let token = token.trim();
    let row = repo::by_token(&state.pool, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let on = flag(&notify);
    let mut f = Fields::new(locale);
    let email = f.check("email", validate::email(&email)).flatten();
    if on && email.is_none() && row.email.is_none() {
        f.push("email", ValidationCode::Required);
    }
    f.finish()?;
    let new_address = email.filter(|e| {
        row.email
            .as_deref()
            .is_none_or(|current| !current.eq_ignore_ascii_case(e))
    });
    let done = match new_address {
        Some(address) => {
            if !on {
                repo::set_notify(&state.pool, row.id, false).await?;
            }
            repo::request_email_change(&state.pool, &row, &address, on).await?;
            "email_sent"
        }
        None => {
            repo::set_notify(&state.pool, row.id, on).await?;
            "saved"
        }
    };
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("/track?t={token}&{done}=1"));
    }
    let row = repo::by_token(&state.pool, token)
        .await?
        .ok_or(AppError::NotFound)?;
    page_of(&state, &row, locale).await
}

/// `POST /api/cases/email/confirm`: the link sent to a new address. The
/// case takes the address; a browser goes on to the case's page through a
/// fresh short-lived link.
pub async fn confirm_email(token: String) -> Result<TrackedCase, AppError> {
    let state = app_state()?;
    let token = token.trim();
    if token.is_empty() || token.len() > 128 {
        return Err(AppError::NotFound);
    }
    let case = repo::confirm_email_change(&state.pool, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = repo::by_id(&state.pool, case)
        .await?
        .ok_or(AppError::NotFound)?;
    if is_plain_form_post() {
        let page_token = repo::issue_token(&state.pool, row.id, LOOKUP_LINK_HOURS).await?;
        leptos_axum::redirect(&format!("/track?t={page_token}&email_confirmed=1"));
    }
    page_of(&state, &row, use_locale()).await
}
