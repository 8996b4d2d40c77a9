//! Server-rendered pieces of the booking pages: the calendar and the slot
//! picker.

use crate::booking::{CalendarDay, DayState, SlotInfo};
use crate::i18n::{td, td_string, Locale};
use crate::locale::use_locale;
use crate::offices::weekday_name;
use crate::time::{date_vn, time_vn};
use crate::ui::FieldNotes;
use leptos::prelude::*;

/// `Thứ Ba, 01/12/2026` from `2026-12-01` and its weekday.
pub fn long_date(date: &str, weekday: u8, locale: Locale) -> String {
    format!("{}, {}", weekday_name(weekday, locale), date_vn(date))
}

/// The days to the horizon, each a link to itself when it has places, and
/// a full day a link to its waiting list where `wait_link` is given.
#[component]
pub fn Calendar(
    days: Vec<CalendarDay>,
    selected: Option<String>,
    link: Callback<String, String>,
    #[prop(optional)] wait_link: Option<Callback<String, String>>,
) -> impl IntoView {
    let locale = use_locale();
    let items = days
        .into_iter()
        .map(|day| {
            let full = long_date(&day.date, day.weekday, locale);
            let short_day = weekday_short(day.weekday, locale);
            // One text each (no hydration markers between the parts: the
            // calendar is the page's biggest markup).
            let full = format!("{full}, ");
            let day_month = format!(
                "{}/{}",
                day.date
                    .get(8..10)
                    .unwrap_or_default()
                    .trim_start_matches('0'),
                day.date.get(5..7).unwrap_or_default()
            );
            let state_text = match day.state {
                DayState::Open => td_string!(locale, booking.day_open, free = day.free).to_string(),
                DayState::Full => td_string!(locale, booking.day_full).to_owned(),
                DayState::Closed => td_string!(locale, booking.day_closed).to_owned(),
            };
            let class = match day.state {
                DayState::Open => "day day--open",
                DayState::Full => "day day--full",
                DayState::Closed => "day day--closed",
            };
            let current = selected.as_deref() == Some(day.date.as_str());
            // The accessible name holds the visible text (WCAG 2.5.3) after
            // the full date, which a screen reader reads first.
            let inner = view! {
                <span class="visually-hidden">{full}</span>
                <span class="day__weekday">{short_day}</span>
                " "
                <span class="day__date">{day_month}</span>
                " "
                <span class="day__state">{state_text}</span>
            };
            let href = match (day.state, wait_link) {
                (DayState::Open, _) => Some(link.run(day.date.clone())),
                (DayState::Full, Some(wait)) => Some(wait.run(day.date.clone())),
                _ => None,
            };
            match href {
                Some(href) if day.state == DayState::Full => view! {
                    <li>
                        <a class=class href=href aria-current=current.then_some("date")>
                            {inner}
                            <span class="day__wait">{td!(locale, waitlist.join_short)}</span>
                        </a>
                    </li>
                }
                .into_any(),
                Some(href) => view! {
                    <li>
                        <a class=class href=href aria-current=current.then_some("date")>{inner}</a>
                    </li>
                }
                .into_any(),
                None => view! { <li><span class=class>{inner}</span></li> }.into_any(),
            }
        })
        .collect_view();
    view! { <ol class="calendar" role="list">{items}</ol> }
}

fn weekday_short(weekday: u8, locale: Locale) -> &'static str {
    match (locale, weekday) {
        (Locale::en, 1) => "Mon",
        (Locale::en, 2) => "Tue",
        (Locale::en, 3) => "Wed",
        (Locale::en, 4) => "Thu",
        (Locale::en, 5) => "Fri",
        (Locale::en, 6) => "Sat",
        (Locale::en, _) => "Sun",
        (_, 1) => "T2",
        (_, 2) => "T3",
        (_, 3) => "T4",
        (_, 4) => "T5",
        (_, 5) => "T6",
        (_, 6) => "T7",
        _ => "CN",
    }
}

/// Radio buttons for the day's slots, each read as its full date and time.
#[component]
pub fn SlotPicker(
    slots: Vec<SlotInfo>,
    day: Option<String>,
    weekday: Option<u8>,
    error: Option<String>,
    /// The slot to show as chosen (0: none).
    #[prop(optional)]
    checked: i64,
) -> impl IntoView {
    let locale = use_locale();
    let legend = day
        .as_deref()
        .map(|d| td_string!(locale, booking.slots_of, date = date_vn(d)).to_string())
        .unwrap_or_default();
    if slots.is_empty() {
        return view! {
            <fieldset class="slots" id="f-slot_id">
                <legend>{legend}</legend>
                <p class="notice">{td!(locale, booking.no_slots)}</p>
                <FieldNotes name="slot_id" hint=None error />
            </fieldset>
        }
        .into_any();
    }
    let first = Some(checked)
        .filter(|id| *id > 0)
        .or_else(|| (slots.len() == 1).then(|| slots[0].id));
    let options = slots
        .into_iter()
        .map(|slot| {
            let from = time_vn(&slot.starts_at);
            let to = time_vn(&slot.ends_at);
            let date = date_vn(&slot.starts_at);
            let weekday = weekday.map(|w| weekday_name(w, locale)).unwrap_or_default();
            let full_date = format!("{weekday}, {date}, ");
            let left = td_string!(locale, booking.places_left, n = slot.remaining).to_string();
            let id = format!("slot-{}", slot.id);
            view! {
                <li>
                    <input
                        type="radio"
                        name="slot_id"
                        id=id.clone()
                        value=slot.id.to_string()
                        checked=first == Some(slot.id)
                        aria-describedby="f-slot_id-error"
                    />
                    <label for=id>
                        <span class="visually-hidden">{full_date}</span>
                        <span class="slot__time">{format!("{from}–{to}")}</span>
                        " "
                        <span class="slot__left">{left}</span>
                    </label>
                </li>
            }
        })
        .collect_view();
    view! {
        <fieldset class="slots" id="f-slot_id">
            <legend>{legend}</legend>
            <ul class="slot-list" role="list">{options}</ul>
            <FieldNotes name="slot_id" hint=None error />
        </fieldset>
    }
    .into_any()
}
