//! Building a report: who may read it, the period, the counts labelled in
//! the reader's language.

use super::repo::{self, BookingGroup, CaseGroup};
use super::{Bar, Report, Totals};
use crate::booking::{BookingStatus, Topic};
use crate::cases::{CaseKind, CaseStatus};
use crate::error::{AppError, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::offices::repo::{self as offices, OfficeRow};
use crate::ssr::{app_state, AppState};
use crate::staff::auth::{self, Permission, StaffUser};

use chrono::{Datelike, NaiveDate};

/// The report's order: the way through, then the ways out.
const BOOKING_STATUSES: [BookingStatus; 7] = [
    BookingStatus::Requested,
    BookingStatus::Confirmed,
    BookingStatus::CheckedIn,
    BookingStatus::Completed,
    BookingStatus::NoShow,
    BookingStatus::Cancelled,
    BookingStatus::Rejected,
];

fn day(raw: &str, default: NaiveDate) -> Result<NaiveDate, ValidationCode> {
    match raw.trim() {
        "" => Ok(default),
        raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| ValidationCode::InvalidDate),
    }
}

/// `GET /api/staff/reports`.
pub async fn report(office: String, from: String, to: String) -> Result<Report, AppError> {
    let state = app_state()?;
    let user = auth::require(&state, Permission::Cases).await?;
    report_for(&state, &user, use_locale(), &office, &from, &to).await
}

/// The report `user` may read (the CSV download reads the same).
pub async fn report_for(
    state: &AppState,
    user: &StaffUser,
    locale: Locale,
    office: &str,
    from: &str,
    to: &str,
) -> Result<Report, AppError> {
    let today = crate::time::today_vn();
    let month_start = today.with_day(1).unwrap_or(today);
    let mut f = Fields::new(locale);
    let from = f.check("from", day(from, month_start));
    let to = f.check("to", day(to, today));
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            f.push("to", ValidationCode::EndBeforeStart);
        }
    }
    let (from, to) = f.done((from, to))?;
    let mine = offices::among(&state.pool, &user.office_ids).await?;
    let scope: Vec<OfficeRow> = if office.trim().is_empty() {
        mine
    } else {
        let o = offices::by_slug(&state.pool, office.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        auth::require_office(user, o.id)?;
        vec![o]
    };
    let ids: Vec<_> = scope.iter().map(|o| o.id).collect();
    let answer_within = i64::from(state.settings.answer_within_hours) * 3600;
    let bookings = repo::bookings(&state.pool, &ids, from, to, answer_within).await?;
    let cases = repo::cases(&state.pool, &ids, from, to, today).await?;
    let all = offices::among(&state.pool, &user.office_ids).await?;
    Ok(Report {
        offices: all.iter().map(|o| o.choice(locale)).collect(),
        office: office.trim().to_owned(),
        from: from.to_string(),
        to: to.to_string(),
        totals: totals(&bookings, &cases),
        bookings_by_office: by_office(&scope, locale, |slug| sum(&bookings, |g| g.office == slug)),
        bookings_by_topic: Topic::ALL
            .iter()
            .map(|t| Bar {
                key: t.as_str().to_owned(),
                label: t.label(locale).to_owned(),
                value: sum(&bookings, |g| g.topic == *t),
            })
            .collect(),
        bookings_by_status: BOOKING_STATUSES
            .iter()
            .map(|s| Bar {
                key: s.as_str().to_owned(),
                label: s.label(locale).to_owned(),
                value: sum(&bookings, |g| g.status == *s),
            })
            .collect(),
        cases_by_office: by_office(&scope, locale, |slug| {
            received(&cases, |g| g.office == slug)
        }),
        cases_by_kind: CaseKind::ALL
            .iter()
            .map(|k| Bar {
                key: k.as_str().to_owned(),
                label: k.label(locale).to_owned(),
                value: received(&cases, |g| g.kind == *k),
            })
            .collect(),
        cases_by_status: CaseStatus::ALL
            .iter()
            .map(|s| Bar {
                key: s.as_str().to_owned(),
                label: s.label(locale).to_owned(),
                value: received(&cases, |g| g.status == *s),
            })
            .collect(),
    })
}

fn sum(groups: &[BookingGroup], keep: impl Fn(&BookingGroup) -> bool) -> i64 {
    groups.iter().filter(|g| keep(g)).map(|g| g.n).sum()
}

fn received(groups: &[CaseGroup], keep: impl Fn(&CaseGroup) -> bool) -> i64 {
    groups.iter().filter(|g| keep(g)).map(|g| g.received).sum()
}

fn by_office(scope: &[OfficeRow], locale: Locale, count: impl Fn(&str) -> i64) -> Vec<Bar> {
    scope
        .iter()
        .map(|o| Bar {
            key: o.slug.clone(),
            label: o.choice(locale).name,
            value: count(&o.slug),
        })
        .collect()
}

fn totals(bookings: &[BookingGroup], cases: &[CaseGroup]) -> Totals {
    Totals {
        bookings: sum(bookings, |_| true),
        attended: sum(bookings, |g| {
            matches!(
                g.status,
                BookingStatus::CheckedIn | BookingStatus::Completed
            )
        }),
        no_shows: sum(bookings, |g| g.status == BookingStatus::NoShow),
        answered_late: bookings.iter().map(|g| g.answered_late).sum(),
        cases_received: cases.iter().map(|g| g.received).sum(),
        cases_accepted: cases.iter().map(|g| g.accepted).sum(),
        cases_concluded: cases.iter().map(|g| g.concluded).sum(),
        cases_overdue: cases.iter().map(|g| g.overdue).sum(),
    }
}
