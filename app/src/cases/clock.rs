//! A case's clock as people read it: today in Vietnam, dates, the rule
//! table's inputs from a case row, and days left.

use super::deadline::Clock;
use super::repo::CaseRow;
use super::CaseKind;
use chrono::NaiveDate;

pub(super) fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

pub(super) fn dmy(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

pub(super) fn clock(row: &CaseRow, kind: CaseKind, extensions: &[i32]) -> Clock {
    Clock {
        kind,
        received_on: row.received_on,
        accepted_on: row.accepted_on,
        complexity: row.complexity,
        remote: row.remote_area,
        extensions: extensions
            .iter()
            .map(|d| u32::try_from(*d).unwrap_or(0))
            .collect(),
        paused_days: u32::try_from(row.paused_days).unwrap_or(0),
    }
}

/// Days left until `due` (negative once overdue) and whether it is overdue.
pub(super) fn standing(due: Option<NaiveDate>, today: NaiveDate) -> (Option<i64>, bool) {
    match due {
        Some(due) => {
            let left = (due - today).num_days();
            (Some(left), left < 0)
        }
        None => (None, false),
    }
}
