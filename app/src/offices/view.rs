use super::{group_by_hours, DayRange, Office};
use crate::i18n::{td, td_string, Locale};
use crate::locale::use_locale;
use leptos::prelude::*;

/// The offices as a list of cards.
#[component]
pub fn OfficeList(offices: Vec<Office>) -> impl IntoView {
    let locale = use_locale();
    if offices.is_empty() {
        return view! { <p class="notice">{td!(locale, home.no_offices)}</p> }.into_any();
    }
    view! {
        <ul class="office-list" role="list">
            {offices
                .into_iter()
                .map(|office| view! { <li><OfficeCard office /></li> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// One office: name, address, phone, e-mail and its week of opening hours.
#[component]
pub fn OfficeCard(office: Office) -> impl IntoView {
    let locale = use_locale();
    let heading_id = format!("office-{}", office.slug);
    let phone = office
        .tel_href()
        .zip(office.phone.clone())
        .map(|(tel, phone)| {
            view! {
                <dt>{td!(locale, office.phone)}</dt>
                <dd><a href=tel>{phone}</a></dd>
            }
        });
    let email = office.email.map(|email| {
        let mailto = format!("mailto:{email}");
        view! {
            <dt>{td!(locale, contact.email)}</dt>
            <dd><a href=mailto>{email}</a></dd>
        }
    });
    let hours = group_by_hours(&office.hours)
        .into_iter()
        .map(|range| hours_row(range, locale))
        .collect_view();

    view! {
        <article class="office" aria-labelledby=heading_id.clone() data-office=office.slug>
            <h3 id=heading_id.clone()>{office.name.get(locale).to_owned()}</h3>
            <dl class="office__facts">
                <dt>{td!(locale, office.address)}</dt>
                <dd>{office.address.get(locale).to_owned()}</dd>
                {phone}
                {email}
            </dl>
            <h4>{td!(locale, office.hours)}</h4>
            <dl class="office__hours">{hours}</dl>
            <p class="hint">{td!(locale, office.hours_note)}</p>
            <p class="office__book">
                <a class="button button--primary" href=format!("/book/{}", office.slug)>
                    {td!(locale, booking.book_here)}
                    <span class="visually-hidden">": "{office.name.get(locale).to_owned()}</span>
                </a>
            </p>
        </article>
    }
}

/// Said instead of the offices when they could not be read.
#[component]
pub fn OfficesUnavailable() -> impl IntoView {
    let locale = use_locale();
    view! {
        <p class="notice notice--error" role="alert">
            {td!(locale, home.offices_unavailable)}
        </p>
    }
}

fn hours_row(range: DayRange, locale: Locale) -> impl IntoView {
    let days = if range.first == range.last {
        weekday_name(range.first, locale).to_owned()
    } else {
        format!(
            "{} – {}",
            weekday_name(range.first, locale),
            weekday_name(range.last, locale)
        )
    };
    // Each session stays on one line however narrow the screen.
    let times = if range.sessions.is_empty() {
        td_string!(locale, office.closed).into_any()
    } else {
        range
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| {
                view! { {(i > 0).then_some(", ")}<span class="session">{s.label()}</span> }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <dt>{days}</dt>
        <dd>{times}</dd>
    }
}

/// The name of an ISO weekday (1 = Monday).
pub fn weekday_name(weekday: u8, locale: Locale) -> &'static str {
    match weekday {
        1 => td_string!(locale, weekday.mon),
        2 => td_string!(locale, weekday.tue),
        3 => td_string!(locale, weekday.wed),
        4 => td_string!(locale, weekday.thu),
        5 => td_string!(locale, weekday.fri),
        6 => td_string!(locale, weekday.sat),
        _ => td_string!(locale, weekday.sun),
    }
}
