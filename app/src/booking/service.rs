//! What the booking server functions do: read and validate the request,
//! apply rate limits, call [`repo`](super::repo), and shape the answer (or
//! the redirect, for a browser posting a plain form).

use super::citizen::{nfc, Citizen, CitizenInput, Visit, VisitInput};
use super::repo::{self, BookError, BookingRow, NewBooking, SlotProblem};
use super::{drafts, slots};
use super::{
    validate, BookingCode, BookingCreated, BookingDetails, BookingPageData, CalendarDay, Draft,
    HistoryEntry, ManagePageData, OfficeSummary, SlotInfo,
};
use crate::error::{AppError, ConflictReason, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::ssr::limits::{self, Limit};
use crate::ssr::{app_state, client, respond::is_plain_form_post, AppState};
use crate::time::{rfc3339, today_vn};
use chrono::{Datelike, NaiveDate, Utc};

const HOUR: i32 = 3600;

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

fn slot_id(raw: &str) -> Result<i64, ValidationCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ValidationCode::Required);
    }
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(ValidationCode::InvalidSlot)
}

fn parse_date(raw: &str) -> Result<NaiveDate, ValidationCode> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| ValidationCode::InvalidDate)
}

async fn office(state: &AppState, slug: &str) -> Result<slots::OfficeRow, AppError> {
    slots::office_by_slug(&state.pool, slug.trim())
        .await?
        .ok_or(AppError::NotFound)
}

fn office_summary(row: &slots::OfficeRow, locale: Locale) -> OfficeSummary {
    let en = locale == Locale::en;
    OfficeSummary {
        slug: row.slug.clone(),
        name: if en {
            row.name_en.clone().unwrap_or_else(|| row.name_vi.clone())
        } else {
            row.name_vi.clone()
        },
        address: if en {
            row.address_en
                .clone()
                .unwrap_or_else(|| row.address_vi.clone())
        } else {
            row.address_vi.clone()
        },
    }
}

fn slot_info(row: &slots::SlotRow) -> SlotInfo {
    SlotInfo {
        id: row.id,
        starts_at: rfc3339(row.starts_at),
        ends_at: rfc3339(row.ends_at),
        capacity: row.capacity,
        remaining: row.capacity - row.taken,
    }
}

fn book_error(error: BookError, locale: Locale, slot_field: &str) -> AppError {
    match error {
        BookError::Slot(SlotProblem::Full) => AppError::Conflict {
            reason: ConflictReason::SlotFull,
        },
        BookError::Slot(SlotProblem::NotBookable) => {
            AppError::invalid(slot_field, ValidationCode::InvalidSlot, locale)
        }
        BookError::AlreadyBooked => AppError::Conflict {
            reason: ConflictReason::AlreadyBooked,
        },
        BookError::InvalidTransition => AppError::Conflict {
            reason: ConflictReason::InvalidTransition,
        },
        BookError::TooLate => AppError::Conflict {
            reason: ConflictReason::TooLate,
        },
        BookError::Db(e) => e.into(),
    }
}

fn client_key(state: &AppState, action: &str) -> String {
    format!(
        "{action}:{}",
        client::client_key(&state.settings.trusted_proxies)
    )
}

/// `GET /api/slots`.
pub async fn list_slots(
    office_slug: String,
    from: Option<String>,
    days: Option<String>,
) -> Result<Vec<SlotInfo>, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let mut checker = Fields::new(locale);
    let from = match from.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(raw) => checker.check("from", parse_date(raw)),
        None => Some(today_vn()),
    };
    let days = match days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(raw) => checker.check(
            "days",
            raw.parse::<i32>()
                .ok()
                .filter(|d| (1..=62).contains(d))
                .ok_or(ValidationCode::InvalidChoice),
        ),
        None => Some(14),
    };
    let (from, days) = checker.done((from, days))?;
    let office = office(&state, &office_slug).await?;
    let slots = slots::bookable_slots(&state.pool, office.id, from, days).await?;
    Ok(slots.iter().map(slot_info).collect())
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

fn set_draft_cookie(state: &AppState, value: &str, max_age: u32) {
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
async fn take_draft(state: &AppState) -> Option<Draft> {
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

/// Finds the booking a request speaks of: by private-link token, or by code
/// and phone. Every miss counts against the client address, and answers the
/// same 404 whichever part was wrong.
async fn authenticate(
    state: &AppState,
    locale: Locale,
    code: &str,
    phone: &str,
    token: &str,
) -> Result<BookingRow, AppError> {
    let token = token.trim();
    let by_code = if token.is_empty() {
        let mut c = Fields::new(locale);
        let code = c.check("code", BookingCode::parse(code));
        let phone = c.check("phone", validate::phone(phone));
        let (code, phone) = c.done((code, phone))?;
        Some((code, phone))
    } else {
        None
    };
    // Counted before the booking is looked at; handed back when it matches.
    let claim = limits::claim(
        &state.pool,
        &[Limit::new(
            client_key(state, "lookup"),
            limits::QUARTER_HOUR,
            state.settings.lookup_failures_per_15_min,
        )],
    )
    .await?;
    let found = match by_code {
        None if token.len() > 128 => None,
        None => repo::by_token(&state.pool, token).await?,
        Some((code, phone)) => repo::by_code(&state.pool, code.as_str())
            .await?
            .filter(|b| b.phone == phone),
    };
    let Some(booking) = found else {
        return Err(AppError::NotFound);
    };
    claim.give_back(&state.pool).await?;
    Ok(booking)
}

async fn details(
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
    })
}

/// Sends a browser that posted a plain form to the booking's page.
async fn redirect_to_manage(
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

async fn calendar(
    state: &AppState,
    office: &slots::OfficeRow,
    day: Option<String>,
    locale: Locale,
) -> Result<BookingPageData, AppError> {
    let days: Vec<CalendarDay> = slots::calendar(&state.pool, office.id)
        .await?
        .into_iter()
        .map(|(date, state, free)| CalendarDay {
            date: date.format("%Y-%m-%d").to_string(),
            weekday: date.weekday().number_from_monday() as u8,
            state,
            free,
        })
        .collect();
    let chosen = day
        .as_deref()
        .and_then(|d| parse_date(d).ok())
        .map(|d| d.format("%Y-%m-%d").to_string())
        .filter(|d| days.iter().any(|c| &c.date == d))
        .or_else(|| {
            days.iter()
                .find(|d| d.state == super::DayState::Open)
                .map(|d| d.date.clone())
        });
    let slots = match chosen.as_deref().and_then(|d| parse_date(d).ok()) {
        Some(date) => slots::bookable_slots(&state.pool, office.id, date, 1)
            .await?
            .iter()
            .map(slot_info)
            .collect(),
        None => Vec::new(),
    };
    Ok(BookingPageData {
        office: office_summary(office, locale),
        days,
        day: chosen,
        slots,
        draft: None,
    })
}

/// Data for `/book/{office}`.
pub async fn page_data(
    office_slug: String,
    day: Option<String>,
) -> Result<BookingPageData, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let office = office(&state, &office_slug).await?;
    let mut data = calendar(&state, &office, day, locale).await?;
    data.draft = take_draft(&state).await;
    Ok(data)
}

/// Data for `/my-booking?t=…`.
pub async fn manage_page(token: String, day: Option<String>) -> Result<ManagePageData, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let booking = authenticate(&state, locale, "", "", &token).await?;
    let details = details(&state, &booking, locale).await?;
    let calendar = if details.changeable {
        let office = office(&state, &booking.office_slug).await?;
        Some(calendar(&state, &office, day, locale).await?)
    } else {
        None
    };
    Ok(ManagePageData {
        qr_svg: qr_svg(&booking.code),
        booking: details,
        calendar,
    })
}

/// The booking code as a QR code, inline SVG.
fn qr_svg(code: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(code.as_bytes()) {
        Ok(qr) => {
            let svg = qr
                .render::<svg::Color>()
                .min_dimensions(168, 168)
                .quiet_zone(true)
                .build();
            // Inline in HTML: drop the XML declaration.
            svg.find("<svg")
                .map_or(svg.clone(), |i| svg[i..].to_owned())
        }
        Err(_) => String::new(),
    }
}
