//! `/staff/reports`: a period's figures for officers and administrators,
//! each as a bar chart drawn on the server (plain SVG, no script) with its
//! numbers in a table beside it, and the same figures as a CSV download.

use crate::error::AppError;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::reports::{staff_report, Bar, Report, StaffReport};
use crate::staff::staff_me;
use crate::staff::ui::{SignInNeeded, StaffBar};
use crate::time::date_vn;
use crate::ui::TextField;
use crate::ui::{field_error, form_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let param = move |name: &str| query.get(name).filter(|v| !v.is_empty());
    let filter = (param("office"), param("from"), param("to"));
    let data = Resource::new_blocking(|| (), {
        let filter = filter.clone();
        move |_| {
            let (office, from, to) = filter.clone();
            async move {
                let me = staff_me().await?;
                let report = staff_report(office, from, to).await;
                Ok::<_, AppError>((me, report))
            }
        }
    });
    view! {
        <Title text=td_string!(locale, reports.title) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((me, Ok(report))) => view! {
                        <StaffBar me />
                        <h1>{td!(locale, reports.title)}</h1>
                        <Period report=report.clone() error=None />
                        <Figures report />
                    }.into_any(),
                    Ok((me, Err(error @ AppError::Validation { .. }))) => view! {
                        <StaffBar me />
                        <h1>{td!(locale, reports.title)}</h1>
                        <Period report=Report::empty() error=Some(error) />
                    }.into_any(),
                    Err(AppError::Unauthorized) | Ok((_, Err(AppError::Unauthorized))) => {
                        view! { <SignInNeeded /> }.into_any()
                    }
                    Ok((_, Err(error))) | Err(error) => view! {
                        <h1>{td!(locale, reports.title)}</h1>
                        <p class="notice notice--error" role="alert">{error.message(locale)}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

impl Report {
    fn empty() -> Self {
        Self {
            offices: Vec::new(),
            office: String::new(),
            from: String::new(),
            to: String::new(),
            totals: Default::default(),
            bookings_by_office: Vec::new(),
            bookings_by_topic: Vec::new(),
            bookings_by_status: Vec::new(),
            cases_by_office: Vec::new(),
            cases_by_kind: Vec::new(),
            cases_by_status: Vec::new(),
        }
    }
}

/// The period form. It reads like a GET form (the figures are in the
/// address, so a report can be bookmarked); a wrong date comes back from
/// the API beside its field.
#[component]
fn Period(report: Report, error: Option<AppError>) -> impl IntoView {
    let locale = use_locale();
    let error = error.or_else(|| form_error(StaffReport::PATH));
    let offices = report
        .offices
        .iter()
        .map(|o| view! { <option value=o.slug.clone() selected=o.slug == report.office>{o.name.clone()}</option> })
        .collect_view();
    let csv = format!(
        "/staff/reports.csv?office={}&from={}&to={}",
        report.office, report.from, report.to
    );
    let cases_csv = format!("/staff/cases.csv?office={}", report.office);
    view! {
        <form class="audit-filter" action="/staff/reports" method="get" novalidate=true>
            <ErrorSummary error=error.clone() id="report-errors" />
            <div class="field">
                <label for="f-office">{td!(locale, staff.office)}</label>
                <select id="f-office" name="office">
                    <option value="">{td!(locale, cases.all_offices)}</option>
                    {offices}
                </select>
            </div>
            <TextField name="from" label=td_string!(locale, reports.from) hint=None error=field_error(&error, "from") autocomplete="off" kind="date" required=false maxlength=10 value=report.from.clone() />
            <TextField name="to" label=td_string!(locale, reports.to) hint=None error=field_error(&error, "to") autocomplete="off" kind="date" required=false maxlength=10 value=report.to.clone() />
            <button type="submit" class="button">{td!(locale, staff.show)}</button>
        </form>
        {(!report.from.is_empty()).then(|| view! {
            <p class="report-downloads">
                <a class="button" href=csv download="bao-cao.csv">{td!(locale, reports.download)}</a>
                " "
                <a class="button" href=cases_csv download="ho-so.csv">{td!(locale, reports.download_cases)}</a>
            </p>
        })}
    }
    .into_any()
}

#[component]
fn Figures(report: Report) -> impl IntoView {
    let locale = use_locale();
    let t = report.totals.clone();
    let figure = |label: &'static str, value: i64, class: &'static str| {
        view! { <div class=format!("report-total {class}")><dt>{label}</dt><dd>{value}</dd></div> }
    };
    view! {
        <p class="lead">{format!("{} – {}", date_vn(&report.from), date_vn(&report.to))}</p>
        <dl class="report-totals">
            {figure(td_string!(locale, reports.bookings), t.bookings, "")}
            {figure(td_string!(locale, reports.attended), t.attended, "")}
            {figure(td_string!(locale, reports.no_shows), t.no_shows, "")}
            {figure(td_string!(locale, reports.answered_late), t.answered_late, if t.answered_late > 0 { "overdue" } else { "" })}
            {figure(td_string!(locale, reports.cases_received), t.cases_received, "")}
            {figure(td_string!(locale, reports.cases_accepted), t.cases_accepted, "")}
            {figure(td_string!(locale, reports.cases_concluded), t.cases_concluded, "")}
            {figure(td_string!(locale, reports.cases_overdue), t.cases_overdue, if t.cases_overdue > 0 { "overdue" } else { "" })}
        </dl>
        <div class="charts">
            <BarChart id="bookings-office" title=td_string!(locale, reports.bookings_by_office) bars=report.bookings_by_office.clone() />
            <BarChart id="bookings-topic" title=td_string!(locale, reports.bookings_by_topic) bars=report.bookings_by_topic.clone() />
            <BarChart id="bookings-status" title=td_string!(locale, reports.bookings_by_status) bars=report.bookings_by_status.clone() />
            <BarChart id="cases-office" title=td_string!(locale, reports.cases_by_office) bars=report.cases_by_office.clone() />
            <BarChart id="cases-kind" title=td_string!(locale, reports.cases_by_kind) bars=report.cases_by_kind.clone() />
            <BarChart id="cases-status" title=td_string!(locale, reports.cases_by_status) bars=report.cases_by_status.clone() />
        </div>
    }
    .into_any()
}

/// Horizontal bars scaled to the largest value, each under its label. The
/// SVG is for sighted readers; the table beside it carries the same
/// numbers for everyone, screen readers included.
#[component]
fn BarChart(id: &'static str, title: &'static str, bars: Vec<Bar>) -> impl IntoView {
    let locale = use_locale();
    const ROW: i64 = 40;
    const WIDTH: i64 = 320;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = (bars.len() as i64 * ROW).max(ROW);
    let rects = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let y = i as i64 * ROW;
            // Leave room for the number at the end of the longest bar.
            let w = b.value * (WIDTH - 48) / max;
            view! {
                <g>
                    <text x="0" y=y + 14 class="chart__label">{b.label.clone()}</text>
                    <rect x="0" y=y + 19 width=w.max(if b.value > 0 { 2 } else { 0 }) height="14" rx="3" class="chart__bar" />
                    <text x=w + 6 y=y + 31 class="chart__value">{b.value}</text>
                </g>
            }
        })
        .collect_view();
    let rows = bars
        .iter()
        .map(|b| view! { <tr><th scope="row">{b.label.clone()}</th><td>{b.value}</td></tr> })
        .collect_view();
    let caption = format!("chart-{id}");
    let labelled_by = caption.clone();
    view! {
        <figure class="chart" aria-labelledby=labelled_by id=id>
            <figcaption id=caption>{title}</figcaption>
            <div class="chart__body">
                <table class="chart__numbers">
                    <thead><tr><th scope="col">{td!(locale, reports.item)}</th><th scope="col">{td!(locale, reports.count)}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <svg class="chart__svg" viewBox=format!("0 0 {WIDTH} {height}") width=WIDTH height=height aria-hidden="true" focusable="false">
                    {rects}
                </svg>
            </div>
        </figure>
    }
    .into_any()
}
