//! What the case server functions do: check who asks and what they may see,
//! validate, run the status machine and the deadline rules, write the
//! change, its timeline entry, its audit row and its e-mail in one
//! transaction.

use super::deadline::{self, Clock, Due};
use super::notify;
use super::repo::{self, CaseRow, EventRow};
use super::{
    status_text, CaseCreated, CaseDetail, CaseKind, CaseList, CaseLookup, CasePage, CaseStatus,
    CaseSummary, Channel, Complexity, Contact, OfficerChoice, StaffEvent, TimelineEntry,
    TrackingCode,
};
use crate::booking::service::rfc3339;
use crate::booking::{validate, BookingCode};
use crate::error::{AppError, ConflictReason, Fields, ValidationCode};
use crate::i18n::{td_string, Locale};
use crate::locale::use_locale;
use crate::ssr::{app_state, client, limits, respond::is_plain_form_post, AppState};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::{self, Permission, StaffUser};
use crate::staff::desk;
use crate::staff::service::office_choice;
use crate::staff::Role;
use chrono::{NaiveDate, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use leptos_i18n::Locale as _;
use serde_json::json;
use sqlx::{Postgres, Transaction};
use unicode_normalization::UnicodeNormalization;

const QUARTER: i32 = 900;
/// A look-up's private link lasts long enough to read the page and opt in.
const LOOKUP_LINK_HOURS: i32 = 2;
/// An e-mail's link lasts about as long as a case's longest stage.
const MAIL_LINK_HOURS: i32 = 24 * 120;
const NOTE_MAX: usize = 2000;

fn today_vn() -> NaiveDate {
    Utc::now().with_timezone(&Ho_Chi_Minh).date_naive()
}

fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn dmy(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

fn nfc(text: &str) -> String {
    text.nfc().collect()
}

fn flag(raw: &str) -> bool {
    matches!(raw.trim(), "on" | "true" | "1" | "yes")
}

/// What a timeline step means to its reader.
fn step_label(event: &str, status: CaseStatus, due: Option<NaiveDate>, locale: Locale) -> String {
    match event {
        "resumed" => td_string!(locale, case_status.resumed).to_owned(),
        "extended" => match due {
            Some(due) => format!(
                "{} {}",
                td_string!(locale, case_status.extended_to),
                dmy(due)
            ),
            None => td_string!(locale, case_status.extended).to_owned(),
        },
        "assigned" => td_string!(locale, case_status.assigned).to_owned(),
        _ => status_text(status, locale).to_owned(),
    }
}

fn parse_status(row: &CaseRow) -> Result<(CaseKind, CaseStatus), AppError> {
    match (CaseKind::parse(&row.kind), CaseStatus::parse(&row.status)) {
        (Some(kind), Some(status)) => Ok((kind, status)),
        _ => Err(AppError::Internal),
    }
}

fn clock(row: &CaseRow, kind: CaseKind, extensions: &[i32]) -> Clock {
    Clock {
        kind,
        received_on: row.received_on,
        accepted_on: row.accepted_on,
        complexity: Complexity::parse(&row.complexity).unwrap_or(Complexity::Normal),
        remote: row.remote_area,
        extensions: extensions
            .iter()
            .map(|d| u32::try_from(*d).unwrap_or(0))
            .collect(),
        paused_days: u32::try_from(row.paused_days).unwrap_or(0),
    }
}

/// Days left until `due` (negative once overdue) and whether it is overdue.
fn standing(due: Option<NaiveDate>, today: NaiveDate) -> (Option<i64>, bool) {
    match due {
        Some(due) => {
            let left = (due - today).num_days();
            (Some(left), left < 0)
        }
        None => (None, false),
    }
}

fn timeline(events: &[EventRow], locale: Locale) -> Vec<TimelineEntry> {
    events
        .iter()
        .filter(|e| e.public)
        .filter_map(|e| {
            let status = CaseStatus::parse(&e.status)?;
            Some(TimelineEntry {
                at: rfc3339(e.at),
                event: e.event.clone(),
                status,
                label: step_label(&e.event, status, e.due_on, locale),
                note: e.public_note.clone(),
            })
        })
        .collect()
}

fn agency(row: &CaseRow) -> String {
    row.agency.clone()
}

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

/// Whether `user` may see this case's citizen unmasked: anyone for a
/// complaint or petition; for a denunciation only administrators and the
/// officer handling it (Law on Denunciations 2018, art. 9 and 56).
fn sees_identity(user: &StaffUser, row: &CaseRow) -> bool {
    row.kind != CaseKind::Denunciation.as_str()
        || user.role == Role::Admin
        || row.assigned_to == Some(user.id)
}

/// Records that `user` was shown the denouncers of `rows` (`via`: the
/// case page, the list or a download), one audit row per case.
async fn audit_identity(
    state: &AppState,
    user: &StaffUser,
    rows: &[&CaseRow],
    via: &str,
) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut tx = state.pool.begin().await?;
    for row in rows {
        audit::record(
            &mut tx,
            user,
            &state.settings.trusted_proxies,
            Entry {
                action: "case.identity_viewed",
                record_type: "case",
                record_id: &row.code,
                office: Some(row.office_id),
                details: json!({ "via": via }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

fn contact(row: &CaseRow, visible: bool, locale: Locale) -> Contact {
    if visible {
        Contact {
            full_name: row.full_name.clone(),
            citizen_id: row.citizen_id.clone(),
            phone: row.phone.clone(),
            email: row.email.clone(),
            masked: false,
        }
    } else {
        let hidden = td_string!(locale, cases.confidential).to_owned();
        Contact {
            full_name: hidden.clone(),
            citizen_id: row.citizen_id.as_ref().map(|_| hidden.clone()),
            phone: hidden.clone(),
            email: row.email.as_ref().map(|_| hidden),
            masked: true,
        }
    }
}

fn summary_of(row: &CaseRow, user: &StaffUser, locale: Locale, today: NaiveDate) -> CaseSummary {
    let kind = CaseKind::parse(&row.kind).unwrap_or(CaseKind::Petition);
    let status = CaseStatus::parse(&row.status).unwrap_or(CaseStatus::Received);
    let (days_left, overdue) = standing(row.due_on, today);
    CaseSummary {
        code: row.code.clone(),
        kind,
        status,
        status_label: status_text(status, locale).to_owned(),
        office: match (locale, &row.office_name_en) {
            (Locale::en, Some(en)) => en.clone(),
            _ => row.office_name_vi.clone(),
        },
        citizen: contact(row, sees_identity(user, row), locale).full_name,
        masked: !sees_identity(user, row),
        assigned: row.assigned_name.clone(),
        received_on: ymd(row.received_on),
        due_on: row.due_on.map(ymd),
        days_left,
        overdue,
    }
}

/// `GET /api/staff/cases`.
pub async fn list(office: String, status: String, mine: String) -> Result<CaseList, AppError> {
    let state = app_state()?;
    let user = auth::require(&state, Permission::FrontDesk).await?;
    list_for(&state, &user, use_locale(), &office, &status, &mine, "list").await
}

/// The list `user` may see: the CSV export reads the same rows, masked the
/// same way.
pub async fn list_for(
    state: &AppState,
    user: &StaffUser,
    locale: Locale,
    office: &str,
    status: &str,
    mine: &str,
    via: &str,
) -> Result<CaseList, AppError> {
    let offices = desk::offices_among(&state.pool, &user.office_ids).await?;
    let ids = if office.trim().is_empty() {
        offices.iter().map(|o| o.id).collect::<Vec<_>>()
    } else {
        let o = desk::office_by_slug(&state.pool, office.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        auth::require_office(user, o.id)?;
        vec![o.id]
    };
    let status =
        match status.trim() {
            "" => None,
            raw => Some(CaseStatus::parse(raw).ok_or_else(|| {
                AppError::invalid("status", ValidationCode::InvalidChoice, locale)
            })?),
        };
    let today = today_vn();
    let rows = repo::list(
        &state.pool,
        &ids,
        status.map_or("", CaseStatus::as_str),
        flag(mine).then_some(user.id),
        today,
    )
    .await?;
    let shown: Vec<&CaseRow> = rows
        .iter()
        .filter(|r| r.kind == CaseKind::Denunciation.as_str() && sees_identity(user, r))
        .collect();
    audit_identity(state, user, &shown, via).await?;
    Ok(CaseList {
        offices: offices.iter().map(|o| office_choice(o, locale)).collect(),
        office: office.trim().to_owned(),
        status,
        cases: rows
            .iter()
            .map(|r| summary_of(r, user, locale, today))
            .collect(),
        can_manage: user.role.may(Permission::Cases),
    })
}

fn parse_code(raw: &str, locale: Locale) -> Result<TrackingCode, AppError> {
    TrackingCode::parse(raw).map_err(|code| AppError::invalid("code", code, locale))
}

async fn detail_of(
    state: &AppState,
    row: &CaseRow,
    user: &StaffUser,
    locale: Locale,
) -> Result<CaseDetail, AppError> {
    let (kind, status) = parse_status(row)?;
    let visible = sees_identity(user, row);
    if visible && kind == CaseKind::Denunciation {
        audit_identity(state, user, &[row], "case").await?;
    }
    let events = repo::events(&state.pool, row.id, false).await?;
    let extensions: Vec<i32> = events
        .iter()
        .filter(|e| e.event == "extended")
        .filter_map(|e| e.extension_days)
        .collect();
    let holidays = repo::holidays(&state.pool).await?;
    let due = deadline::due(status, &clock(row, kind, &extensions), &holidays);
    let (days_left, overdue) = standing(row.due_on, today_vn());
    let can_manage = user.role.may(Permission::Cases);
    let officers = repo::officers(&state.pool, row.office_id).await?;
    let assigned = row
        .assigned_to
        .and_then(|id| officers.iter().find(|o| o.id == id))
        .map(|o| OfficerChoice {
            email: o.email.clone(),
            name: o.display_name.clone(),
        })
        .or_else(|| {
            row.assigned_name.clone().map(|name| OfficerChoice {
                email: String::new(),
                name,
            })
        });
    Ok(CaseDetail {
        code: row.code.clone(),
        kind,
        status,
        status_label: status_text(status, locale).to_owned(),
        summary: row.summary.clone(),
        channel: Channel::parse(&row.channel).unwrap_or(Channel::Reception),
        received_on: ymd(row.received_on),
        office: match (locale, &row.office_name_en) {
            (Locale::en, Some(en)) => en.clone(),
            _ => row.office_name_vi.clone(),
        },
        booking_code: row.booking_code.clone(),
        agency: agency(row),
        assigned,
        complexity: Complexity::parse(&row.complexity).unwrap_or(Complexity::Normal),
        remote_area: row.remote_area,
        due_on: row.due_on.map(ymd),
        due_rule: due.map(|d| d.cite.to_owned()),
        days_left,
        overdue,
        contact: contact(row, visible, locale),
        notify: row.notify,
        timeline: events
            .iter()
            .filter_map(|e| {
                let status = CaseStatus::parse(&e.status)?;
                Some(StaffEvent {
                    at: rfc3339(e.at),
                    actor: e.actor_name.clone(),
                    event: e.event.clone(),
                    status,
                    label: step_label(&e.event, status, e.due_on, locale),
                    public: e.public,
                    public_note: e.public_note.clone(),
                    internal_note: e.internal_note.clone(),
                    extension_days: e.extension_days,
                    due_on: e.due_on.map(ymd),
                })
            })
            .collect(),
        next: if can_manage {
            status.next(kind)
        } else {
            Vec::new()
        },
        officers: if can_manage {
            officers
                .iter()
                .map(|o| OfficerChoice {
                    email: o.email.clone(),
                    name: o.display_name.clone(),
                })
                .collect()
        } else {
            Vec::new()
        },
        can_manage,
    })
}

/// `GET /api/staff/cases/case`.
pub async fn detail(code: String) -> Result<CaseDetail, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::FrontDesk).await?;
    let code = parse_code(&code, locale)?;
    let row = repo::by_code(&state.pool, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    auth::require_office(&user, row.office_id)?;
    detail_of(&state, &row, &user, locale).await
}

/// The raw create form.
pub struct NewCaseForm {
    pub booking_code: String,
    pub kind: String,
    pub summary: String,
    pub office: String,
    pub full_name: String,
    pub citizen_id: String,
    pub phone: String,
    pub email: String,
    pub channel: String,
    pub received_on: String,
    pub notify: String,
    pub remote_area: String,
}

fn kind_field(raw: &str) -> Result<CaseKind, ValidationCode> {
    if raw.trim().is_empty() {
        Err(ValidationCode::Required)
    } else {
        CaseKind::parse(raw).ok_or(ValidationCode::InvalidChoice)
    }
}

fn received_field(raw: &str, today: NaiveDate) -> Result<NaiveDate, ValidationCode> {
    if raw.trim().is_empty() {
        return Ok(today);
    }
    let day = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| ValidationCode::InvalidDate)?;
    if day > today {
        Err(ValidationCode::InvalidDate)
    } else {
        Ok(day)
    }
}

/// Who and what a new case is about, validated.
struct Opening {
    office_id: uuid::Uuid,
    booking_id: Option<uuid::Uuid>,
    kind: CaseKind,
    summary: String,
    channel: Channel,
    received_on: NaiveDate,
    full_name: String,
    citizen_id: Option<String>,
    phone: String,
    email: Option<String>,
    locale: String,
}

/// `POST /api/staff/cases/create`.
pub async fn create(form: NewCaseForm) -> Result<CaseCreated, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::FrontDesk).await?;
    let today = today_vn();
    let opening = if form.booking_code.trim().is_empty() {
        by_hand(&state, &user, &form, locale, today).await?
    } else {
        match from_booking(&state, &user, &form, locale).await? {
            Ok(opening) => opening,
            // The reception already has its case: answer that one.
            Err(existing) => return Ok(opened(existing)),
        }
    };
    let notify = flag(&form.notify) && opening.email.is_some();
    let remote = flag(&form.remote_area);
    let holidays = repo::holidays(&state.pool).await?;
    let clock = Clock {
        kind: opening.kind,
        received_on: opening.received_on,
        accepted_on: None,
        complexity: Complexity::Normal,
        remote,
        extensions: vec![],
        paused_days: 0,
    };
    let due = deadline::due(CaseStatus::Received, &clock, &holidays).map(|d| d.on);
    // An officer who opens a case handles it until someone reassigns it.
    let assigned_to = (user.role == Role::Officer).then_some(user.id);
    let mut tx = state.pool.begin().await?;
    let mut attempt = 0;
    let code = loop {
        let code = TrackingCode::random();
        let new = repo::NewCase {
            code: code.as_str(),
            kind: opening.kind.as_str(),
            summary: &opening.summary,
            channel: opening.channel.as_str(),
            received_on: opening.received_on,
            office_id: opening.office_id,
            booking_id: opening.booking_id,
            assigned_to,
            remote_area: remote,
            due_on: due,
            full_name: &opening.full_name,
            citizen_id: opening.citizen_id.as_deref(),
            phone: &opening.phone,
            email: opening.email.as_deref(),
            notify,
            locale: &opening.locale,
        };
        match repo::insert(&mut tx, &new, user.id).await {
            Ok(Some(_)) => break code,
            Ok(None) if attempt < 3 => attempt += 1,
            Ok(None) => return Err(AppError::Internal),
            Err(sqlx::Error::Database(db)) if db.constraint() == Some("cases_booking_id_key") => {
                // Two members opened the same reception at once.
                return Err(AppError::Conflict {
                    reason: ConflictReason::Changed,
                });
            }
            Err(e) => return Err(e.into()),
        }
    };
    audit::record(
        &mut tx,
        &user,
        &state.settings.trusted_proxies,
        Entry {
            action: "case.created",
            record_type: "case",
            record_id: code.as_str(),
            office: Some(opening.office_id),
            details: json!({
                "kind": opening.kind.as_str(),
                "channel": opening.channel.as_str(),
                "from_booking": !form.booking_code.trim().is_empty(),
            }),
        },
    )
    .await?;
    if notify {
        let row = repo::lock(&mut tx, code.as_str())
            .await?
            .ok_or(AppError::Internal)?;
        let label = status_text(CaseStatus::Received, row_locale(&row));
        queue_mail(&state, &mut tx, &row, label, "", due).await?;
    }
    tx.commit().await?;
    Ok(opened(code.as_str().to_owned()))
}

fn opened(code: String) -> CaseCreated {
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("/staff/cases/view?code={code}"));
    }
    CaseCreated { code }
}

fn row_locale(row: &CaseRow) -> Locale {
    if row.locale == "en" {
        Locale::en
    } else {
        Locale::vi
    }
}

/// `Err(code)` when the booking already has a case.
async fn from_booking(
    state: &AppState,
    user: &StaffUser,
    form: &NewCaseForm,
    locale: Locale,
) -> Result<Result<Opening, String>, AppError> {
    let mut f = Fields::new(locale);
    let code = f.check("booking_code", BookingCode::parse(&form.booking_code));
    let kind = if form.kind.trim().is_empty() {
        None
    } else {
        f.check("kind", kind_field(&form.kind))
    };
    let summary = if form.summary.trim().is_empty() {
        None
    } else {
        f.check("summary", validate::summary(&nfc(&form.summary)))
    };
    f.finish()?;
    let code = code.ok_or(AppError::BadRequest)?;
    let booking = repo::booking_ref(&state.pool, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    auth::require_office(user, booking.office_id)?;
    if let Some(existing) = booking.case_code {
        return Ok(Err(existing));
    }
    // A case follows a reception that took place.
    if !matches!(booking.status.as_str(), "checked_in" | "completed") {
        return Err(AppError::Conflict {
            reason: ConflictReason::InvalidTransition,
        });
    }
    let contact = repo::booking_contact(&state.pool, booking.id).await?;
    Ok(Ok(Opening {
        office_id: booking.office_id,
        booking_id: Some(booking.id),
        kind: kind
            .or_else(|| CaseKind::parse(&booking.topic))
            .unwrap_or(CaseKind::Petition),
        summary: summary.unwrap_or(contact.summary),
        channel: Channel::Reception,
        received_on: contact.received_on,
        full_name: contact.full_name,
        citizen_id: Some(contact.citizen_id),
        phone: contact.phone,
        email: contact.email,
        locale: contact.locale,
    }))
}

async fn by_hand(
    state: &AppState,
    user: &StaffUser,
    form: &NewCaseForm,
    locale: Locale,
    today: NaiveDate,
) -> Result<Opening, AppError> {
    let mut f = Fields::new(locale);
    let office = if form.office.trim().is_empty() {
        f.push("office", ValidationCode::Required);
        None
    } else {
        desk::office_by_slug(&state.pool, form.office.trim()).await?
    };
    if office.is_none() && !form.office.trim().is_empty() {
        f.push("office", ValidationCode::InvalidChoice);
    }
    let kind = f.check("kind", kind_field(&form.kind));
    let summary = f.check("summary", validate::summary(&nfc(&form.summary)));
    let full_name = f.check("full_name", validate::full_name(&nfc(&form.full_name)));
    let citizen_id = if form.citizen_id.trim().is_empty() {
        None
    } else {
        f.check("citizen_id", validate::citizen_id(&form.citizen_id))
    };
    let phone = f.check("phone", validate::phone(&form.phone));
    let email = f.check("email", validate::email(&form.email)).flatten();
    if flag(&form.notify) && email.is_none() && form.email.trim().is_empty() {
        f.push("email", ValidationCode::Required);
    }
    let channel = f.check(
        "channel",
        if form.channel.trim().is_empty() {
            Err(ValidationCode::Required)
        } else {
            Channel::parse(&form.channel).ok_or(ValidationCode::InvalidChoice)
        },
    );
    let received_on = f.check("received_on", received_field(&form.received_on, today));
    f.finish()?;
    let (
        Some(office),
        Some(kind),
        Some(summary),
        Some(full_name),
        Some(phone),
        Some(channel),
        Some(received_on),
    ) = (
        office,
        kind,
        summary,
        full_name,
        phone,
        channel,
        received_on,
    )
    else {
        return Err(AppError::BadRequest);
    };
    auth::require_office(user, office.id)?;
    Ok(Opening {
        office_id: office.id,
        booking_id: None,
        kind,
        summary,
        channel,
        received_on,
        full_name,
        citizen_id,
        phone,
        email,
        locale: locale.as_str().to_owned(),
    })
}

/// Writes the citizen's e-mail for a public step, if they opted in.
async fn queue_mail(
    state: &AppState,
    tx: &mut Transaction<'_, Postgres>,
    row: &CaseRow,
    step: &str,
    note: &str,
    due: Option<NaiveDate>,
) -> Result<(), AppError> {
    if !row.notify || row.email.is_none() {
        return Ok(());
    }
    let token = repo::issue_token(tx, row.id, MAIL_LINK_HOURS).await?;
    let url = notify::track_url(&state.settings.public_url, &token);
    if let Some(message) = notify::message(row, step, note, due.map(dmy).as_deref(), &url) {
        crate::ssr::outbox::enqueue(tx, &message).await?;
    }
    Ok(())
}

fn note_field(raw: &str) -> Result<String, ValidationCode> {
    let text = nfc(raw.trim());
    if text.chars().count() > NOTE_MAX {
        Err(ValidationCode::TooLong)
    } else if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err(ValidationCode::InvalidText)
    } else {
        Ok(text.replace("\r\n", "\n"))
    }
}

/// The locked case, after the member's role and office are checked.
async fn locked(
    tx: &mut Transaction<'_, Postgres>,
    user: &StaffUser,
    code: &TrackingCode,
) -> Result<CaseRow, AppError> {
    let row = repo::lock(tx, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    auth::require_office(user, row.office_id)?;
    Ok(row)
}

fn invalid_transition() -> AppError {
    AppError::Conflict {
        reason: ConflictReason::InvalidTransition,
    }
}

/// After a change: the detail for an API client, or back to the case's page
/// for a browser posting the form.
async fn after_change(
    state: &AppState,
    user: &StaffUser,
    code: &TrackingCode,
    locale: Locale,
) -> Result<CaseDetail, AppError> {
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("/staff/cases/view?code={}&done=1", code.as_str()));
    }
    let row = repo::by_code(&state.pool, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    detail_of(state, &row, user, locale).await
}

/// `POST /api/staff/cases/update-status`.
pub async fn update_status(
    code: String,
    status: String,
    public_note: String,
    internal_note: String,
    agency_name: String,
) -> Result<CaseDetail, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::Cases).await?;
    let mut f = Fields::new(locale);
    let code = f.check("code", TrackingCode::parse(&code));
    let to = f.check(
        "status",
        if status.trim().is_empty() {
            Err(ValidationCode::Required)
        } else {
            CaseStatus::parse(&status).ok_or(ValidationCode::InvalidChoice)
        },
    );
    let public_note = f.check("public_note", note_field(&public_note));
    let internal_note = f.check("internal_note", note_field(&internal_note));
    let agency_name = nfc(agency_name.trim());
    if to == Some(CaseStatus::Transferred) {
        match agency_name.chars().count() {
            0 => f.push("agency", ValidationCode::Required),
            1 => f.push("agency", ValidationCode::TooShort),
            n if n > 200 => f.push("agency", ValidationCode::TooLong),
            _ => {}
        }
    }
    f.finish()?;
    let (Some(code), Some(to), Some(public_note), Some(internal_note)) =
        (code, to, public_note, internal_note)
    else {
        return Err(AppError::BadRequest);
    };
    let holidays = repo::holidays(&state.pool).await?;
    let today = today_vn();
    let mut tx = state.pool.begin().await?;
    let row = locked(&mut tx, &user, &code).await?;
    let (kind, from) = parse_status(&row)?;
    if !from.can_become(to, kind) {
        return Err(invalid_transition());
    }
    let mut accepted_on = row.accepted_on;
    let mut suspended_on = row.suspended_on;
    let mut paused_days = row.paused_days;
    let mut event = "status";
    match (from, to) {
        (_, CaseStatus::Accepted) => accepted_on = Some(today),
        (_, CaseStatus::Suspended) => suspended_on = Some(today),
        (CaseStatus::Suspended, CaseStatus::Verifying) => {
            let since = suspended_on.unwrap_or(today);
            paused_days += i32::try_from((today - since).num_days()).unwrap_or(0);
            suspended_on = None;
            event = "resumed";
        }
        _ => {}
    }
    let extensions = repo::extensions(&mut tx, row.id).await?;
    let mut next = row.clone();
    next.accepted_on = accepted_on;
    next.paused_days = paused_days;
    let due = deadline::due(to, &clock(&next, kind, &extensions), &holidays).map(|d| d.on);
    let agency_now = if to == CaseStatus::Transferred {
        agency_name.clone()
    } else {
        row.agency.clone()
    };
    repo::save_state(
        &mut tx,
        row.id,
        &repo::State {
            status: to.as_str(),
            agency: &agency_now,
            complexity: &row.complexity,
            accepted_on,
            suspended_on,
            paused_days,
            due_on: due,
        },
    )
    .await?;
    repo::add_event(
        &mut tx,
        &repo::Event {
            case_id: row.id,
            actor: Some(user.id),
            event,
            status: to.as_str(),
            public: true,
            public_note: &public_note,
            internal_note: &internal_note,
            extension_days: None,
            due_on: due,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &user,
        &state.settings.trusted_proxies,
        Entry {
            action: "case.status_changed",
            record_type: "case",
            record_id: code.as_str(),
            office: Some(row.office_id),
            details: json!({ "from": from.as_str(), "to": to.as_str() }),
        },
    )
    .await?;
    let step = step_label(event, to, due, row_locale(&row));
    queue_mail(&state, &mut tx, &row, &step, &public_note, due).await?;
    tx.commit().await?;
    after_change(&state, &user, &code, locale).await
}

/// `POST /api/staff/cases/assign`.
pub async fn assign(code: String, officer: String) -> Result<CaseDetail, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::Cases).await?;
    let code = parse_code(&code, locale)?;
    if officer.trim().is_empty() {
        return Err(AppError::invalid(
            "officer",
            ValidationCode::Required,
            locale,
        ));
    }
    let mut tx = state.pool.begin().await?;
    let row = locked(&mut tx, &user, &code).await?;
    let officers = repo::officers(&state.pool, row.office_id).await?;
    let wanted = officer.trim().to_lowercase();
    let Some(chosen) = officers.iter().find(|o| o.email == wanted) else {
        return Err(AppError::invalid(
            "officer",
            ValidationCode::InvalidChoice,
            locale,
        ));
    };
    repo::assign(&mut tx, row.id, chosen.id).await?;
    repo::add_event(
        &mut tx,
        &repo::Event {
            case_id: row.id,
            actor: Some(user.id),
            event: "assigned",
            status: &row.status,
            public: false,
            public_note: "",
            internal_note: &chosen.display_name,
            extension_days: None,
            due_on: row.due_on,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &user,
        &state.settings.trusted_proxies,
        Entry {
            action: "case.assigned",
            record_type: "case",
            record_id: code.as_str(),
            office: Some(row.office_id),
            details: json!({ "officer": chosen.email }),
        },
    )
    .await?;
    tx.commit().await?;
    after_change(&state, &user, &code, locale).await
}

/// `POST /api/staff/cases/extend`.
pub async fn extend(
    code: String,
    complexity: String,
    days: String,
    reason: String,
) -> Result<CaseDetail, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::Cases).await?;
    let mut f = Fields::new(locale);
    let code = f.check("code", TrackingCode::parse(&code));
    let complexity = f.check(
        "complexity",
        match complexity.trim() {
            "" => Err(ValidationCode::Required),
            raw => Complexity::parse(raw).ok_or(ValidationCode::InvalidChoice),
        },
    );
    let days = f.check(
        "days",
        match days.trim() {
            "" => Ok(None),
            raw => raw
                .parse::<u32>()
                .map(Some)
                .map_err(|_| ValidationCode::InvalidNumber),
        },
    );
    let reason = f.check("reason", note_field(&reason));
    if reason.as_deref() == Some("") {
        f.push("reason", ValidationCode::Required);
    }
    f.finish()?;
    let (Some(code), Some(complexity), Some(days), Some(reason)) = (code, complexity, days, reason)
    else {
        return Err(AppError::BadRequest);
    };
    let holidays = repo::holidays(&state.pool).await?;
    let mut tx = state.pool.begin().await?;
    let row = locked(&mut tx, &user, &code).await?;
    let (kind, status) = parse_status(&row)?;
    let mut extensions = repo::extensions(&mut tx, row.id).await?;
    let days = match kind {
        CaseKind::Denunciation => days.unwrap_or(0),
        _ => 0,
    };
    match deadline::check_extension(kind, status, complexity, extensions.len(), days) {
        Ok(()) => {}
        Err(deadline::ExtensionError::TooLong) => {
            return Err(AppError::invalid(
                "days",
                ValidationCode::InvalidNumber,
                locale,
            ))
        }
        Err(deadline::ExtensionError::NotAllowed) => return Err(invalid_transition()),
    }
    let before: Option<Due> = deadline::due(status, &clock(&row, kind, &extensions), &holidays);
    let mut next = row.clone();
    next.complexity = complexity.as_str().to_owned();
    extensions.push(i32::try_from(days).unwrap_or(0));
    let due = deadline::due(status, &clock(&next, kind, &extensions), &holidays);
    let added = match (&before, &due) {
        (Some(b), Some(a)) => i32::try_from((a.on - b.on).num_days()).unwrap_or(0),
        _ => 0,
    };
    let recorded = if kind == CaseKind::Denunciation {
        i32::try_from(days).unwrap_or(0)
    } else {
        added
    };
    let due_on = due.map(|d| d.on);
    repo::save_state(
        &mut tx,
        row.id,
        &repo::State {
            status: &row.status,
            agency: &row.agency,
            complexity: complexity.as_str(),
            accepted_on: row.accepted_on,
            suspended_on: row.suspended_on,
            paused_days: row.paused_days,
            due_on,
        },
    )
    .await?;
    repo::add_event(
        &mut tx,
        &repo::Event {
            case_id: row.id,
            actor: Some(user.id),
            event: "extended",
            status: &row.status,
            public: true,
            public_note: &reason,
            internal_note: "",
            extension_days: Some(recorded.clamp(0, 60)),
            due_on,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &user,
        &state.settings.trusted_proxies,
        Entry {
            action: "case.extended",
            record_type: "case",
            record_id: code.as_str(),
            office: Some(row.office_id),
            details: json!({ "complexity": complexity.as_str(), "days": recorded }),
        },
    )
    .await?;
    let step = step_label("extended", status, due_on, row_locale(&row));
    queue_mail(&state, &mut tx, &row, &step, &reason, due_on).await?;
    tx.commit().await?;
    after_change(&state, &user, &code, locale).await
}
