//! Reading the case forms' fields.

use super::{CaseKind, TrackingCode};
use crate::error::{AppError, ValidationCode};
use crate::i18n::Locale;
use chrono::NaiveDate;

pub(super) const NOTE_MAX: usize = 2000;

pub(super) use crate::booking::citizen::nfc;

pub(super) fn flag(raw: &str) -> bool {
    matches!(raw.trim(), "on" | "true" | "1" | "yes")
}

pub(super) fn parse_code(raw: &str, locale: Locale) -> Result<TrackingCode, AppError> {
    TrackingCode::parse(raw).map_err(|code| AppError::invalid("code", code, locale))
}

pub(super) fn note_field(raw: &str) -> Result<String, ValidationCode> {
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

/// A required choice: one of the names `parse` knows.
pub(super) fn choice<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, ValidationCode> {
    if raw.trim().is_empty() {
        Err(ValidationCode::Required)
    } else {
        parse(raw).ok_or(ValidationCode::InvalidChoice)
    }
}

pub(super) fn kind_field(raw: &str) -> Result<CaseKind, ValidationCode> {
    choice(raw, CaseKind::parse)
}

pub(super) fn received_field(raw: &str, today: NaiveDate) -> Result<NaiveDate, ValidationCode> {
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
