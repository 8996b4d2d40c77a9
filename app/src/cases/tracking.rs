//! The citizen's side: look a case up with its code and a second factor
//! (throttled per address and per code), its private page, and the opt-in
//! to e-mail at every step.

use super::clock::{standing, today_vn, ymd};
use super::form::flag;
use super::repo::{self, CaseRow};
use super::timeline::{agency, parse_status, timeline};
use super::{status_text, CaseLookup, CasePage, TrackingCode};
use crate::booking::validate;
use crate::error::{AppError, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::ssr::{app_state, client, limits, respond::is_plain_form_post, AppState};

const QUARTER: i32 = 900;

/// A look-up's private link lasts long enough to read the page and opt in.
const LOOKUP_LINK_HOURS: i32 = 2;

async fn public_view(
    state: &AppState,
    row: &CaseRow,
    locale: Locale,
) -> Result<CaseLookup, AppError> {
    let (kind, status) = parse_status(row)?;
    let events = repo::events(&state.pool, row.id, true).await?;
    let (_, overdue) = standing(row.due_on, today_vn());
    Ok(CaseLookup {
        code: row.code.clone(),
        kind,
        status,
        status_label: status_text(status, locale).to_owned(),
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
    f.finish()?;
    let (Some(code), Some(verifier)) = (code, verifier) else {
        return Err(AppError::BadRequest);
    };
    let limit = state.settings.lookup_failures_per_15_min;
    let keys = [
        format!(
            "case-lookup:addr:{}",
            client::client_key(&state.settings.trusted_proxies)
        ),
        format!("case-lookup:code:{}", code.as_str()),
    ];
    for key in &keys {
        limits::check(&state.pool, key, QUARTER, limit).await?;
    }
    let found = repo::by_code(&state.pool, code.as_str())
        .await?
        .filter(|row| verifier.matches(row));
    let Some(row) = found else {
        // Both counters move whatever the outcome of the first.
        let by_addr = limits::hit(&state.pool, &keys[0], QUARTER, limit).await;
        let by_code = limits::hit(&state.pool, &keys[1], QUARTER, limit).await;
        by_addr?;
        by_code?;
        return Err(AppError::NotFound);
    };
    if is_plain_form_post() {
        let mut tx = state.pool.begin().await?;
        let token = repo::issue_token(&mut tx, row.id, LOOKUP_LINK_HOURS).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/track?t={token}"));
    }
    public_view(&state, &row, locale).await
}

fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

async fn page_of(state: &AppState, row: &CaseRow, locale: Locale) -> Result<CasePage, AppError> {
    Ok(CasePage {
        case: public_view(state, row, locale).await?,
        notify: row.notify,
        email_hint: row.email.as_deref().map(mask_email),
    })
}

/// `GET /api/cases/page`.
pub async fn page(token: String) -> Result<CasePage, AppError> {
    let state = app_state()?;
    let row = repo::by_token(&state.pool, token.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    page_of(&state, &row, use_locale()).await
}

/// `POST /api/cases/notify`.
pub async fn set_notify(
    token: String,
    email: String,
    notify: String,
) -> Result<CasePage, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let row = repo::by_token(&state.pool, token.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let on = flag(&notify);
    let mut f = Fields::new(locale);
    let email = f.check("email", validate::email(&email)).flatten();
    if on && email.is_none() && row.email.is_none() {
        f.push("email", ValidationCode::Required);
    }
    f.finish()?;
    repo::set_notify(&state.pool, row.id, email.as_deref(), on).await?;
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("/track?t={}&saved=1", token.trim()));
    }
    let row = repo::by_token(&state.pool, token.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    page_of(&state, &row, locale).await
}
