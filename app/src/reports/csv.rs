//! CSV downloads: a report's figures and the case list. UTF-8 with a byte
//! order mark, so spreadsheet programs read Vietnamese correctly. The case
//! list is the one the reader sees on screen, denouncers masked the same way.

use super::service::report_for;
use super::Bar;
use crate::cases::reading::list_for;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::ssr::AppState;
use crate::staff::auth::{Permission, StaffUser};
use crate::time::date_vn;

/// What spreadsheet programs look for to read a file as UTF-8.
pub const BOM: &str = "\u{FEFF}";

/// A cell a spreadsheet will not read as a formula (OWASP, "CSV
/// Injection"): text that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading apostrophe. Staff names and case data
/// reach these files, and anyone can type them.
pub fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn write(rows: Vec<Vec<String>>) -> Result<Vec<u8>, AppError> {
    let mut out = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    for row in rows {
        let row: Vec<_> = row.iter().map(|cell| inert(cell)).collect();
        out.write_record(row.iter().map(|c| c.as_bytes()))
            .map_err(|e| {
                tracing::error!(error = %e, "could not write a CSV row");
                AppError::Internal
            })?;
    }
    out.into_inner().map_err(|e| {
        tracing::error!(error = %e, "could not finish a CSV file");
        AppError::Internal
    })
}

/// The figures of a report, one per row: section, item, count.
pub async fn report(
    state: &AppState,
    user: &StaffUser,
    locale: Locale,
    office: &str,
    from: &str,
    to: &str,
) -> Result<Vec<u8>, AppError> {
    if !user.role.may(Permission::Cases) {
        return Err(AppError::Forbidden);
    }
    let r = report_for(state, user, locale, office, from, to).await?;
    let mut rows = vec![vec![
        td_string!(locale, reports.section).to_owned(),
        td_string!(locale, reports.item).to_owned(),
        td_string!(locale, reports.count).to_owned(),
    ]];
    let period = td_string!(locale, reports.period).to_owned();
    rows.push(vec![
        period,
        format!("{} – {}", date_vn(&r.from), date_vn(&r.to)),
        String::new(),
    ]);
    let t = &r.totals;
    let totals = td_string!(locale, reports.totals).to_owned();
    for (label, value) in [
        (td_string!(locale, reports.bookings), t.bookings),
        (td_string!(locale, reports.attended), t.attended),
        (td_string!(locale, reports.no_shows), t.no_shows),
        (td_string!(locale, reports.answered_late), t.answered_late),
        (td_string!(locale, reports.cases_received), t.cases_received),
        (td_string!(locale, reports.cases_accepted), t.cases_accepted),
        (
            td_string!(locale, reports.cases_concluded),
            t.cases_concluded,
        ),
        (td_string!(locale, reports.cases_overdue), t.cases_overdue),
    ] {
        rows.push(vec![totals.clone(), label.to_owned(), value.to_string()]);
    }
    let sections: [(&str, &[Bar]); 6] = [
        (
            td_string!(locale, reports.bookings_by_office),
            &r.bookings_by_office,
        ),
        (
            td_string!(locale, reports.bookings_by_topic),
            &r.bookings_by_topic,
        ),
        (
            td_string!(locale, reports.bookings_by_status),
            &r.bookings_by_status,
        ),
        (
            td_string!(locale, reports.cases_by_office),
            &r.cases_by_office,
        ),
        (td_string!(locale, reports.cases_by_kind), &r.cases_by_kind),
        (
            td_string!(locale, reports.cases_by_status),
            &r.cases_by_status,
        ),
    ];
    for (section, bars) in sections {
        for bar in bars {
            rows.push(vec![
                section.to_owned(),
                bar.label.clone(),
                bar.value.to_string(),
            ]);
        }
    }
    write(rows)
}

/// The case list as on screen (same filters, same masking).
pub async fn cases(
    state: &AppState,
    user: &StaffUser,
    locale: Locale,
    office: &str,
    status: &str,
) -> Result<Vec<u8>, AppError> {
    let list = list_for(state, user, locale, office, status, "", "csv").await?;
    let yes = td_string!(locale, cases.yes);
    let mut rows = vec![[
        td_string!(locale, cases.code),
        td_string!(locale, cases.kind),
        td_string!(locale, cases.citizen),
        td_string!(locale, cases.status),
        td_string!(locale, staff.office),
        td_string!(locale, cases.received),
        td_string!(locale, cases.due),
        td_string!(locale, cases.overdue),
        td_string!(locale, cases.assigned),
    ]
    .map(str::to_owned)
    .to_vec()];
    for c in list.cases {
        rows.push(vec![
            c.code,
            c.kind.label(locale).to_owned(),
            c.citizen,
            c.status_label,
            c.office,
            date_vn(&c.received_on),
            c.due_on.as_deref().map(date_vn).unwrap_or_default(),
            if c.overdue {
                yes.to_owned()
            } else {
                String::new()
            },
            c.assigned.unwrap_or_default(),
        ]);
    }
    write(rows)
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn cells_that_a_spreadsheet_would_run_come_out_inert() {
        assert_eq!(
            inert("=HYPERLINK(\"http://evil\",\"x\")"),
            "'=HYPERLINK(\"http://evil\",\"x\")"
        );
        for bad in ["+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(inert(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(inert("Nguyễn Văn A"), "Nguyễn Văn A");
        assert_eq!(inert("12"), "12");
        assert_eq!(inert(""), "");
    }
}
