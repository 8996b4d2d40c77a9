//! What a case's steps mean to their reader.

use super::clock::dmy;
use super::repo::{CaseRow, EventRow};
use super::{CaseStatus, TimelineEntry};
use crate::i18n::{td_string, Locale};
use crate::time::rfc3339;
use chrono::NaiveDate;

/// What a timeline step means to its reader.
pub(super) fn step_label(
    event: &str,
    status: CaseStatus,
    due: Option<NaiveDate>,
    locale: Locale,
) -> String {
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
        _ => status.label(locale).to_owned(),
    }
}

pub(super) fn timeline(events: &[EventRow], locale: Locale) -> Vec<TimelineEntry> {
    events
        .iter()
        .filter(|e| e.public)
        .map(|e| {
            let status = e.status;
            TimelineEntry {
                at: rfc3339(e.at),
                event: e.event.clone(),
                status,
                label: step_label(&e.event, status, e.due_on, locale),
                note: e.public_note.clone(),
            }
        })
        .collect()
}

pub(super) fn agency(row: &CaseRow) -> String {
    row.agency.clone()
}
