//! `/staff/schedule`: an office's booking horizon and notice, weekly hours,
//! hours for single dates, and closed days (closing one cancels its bookings
//! and tells each citizen). Officers of the office and admins.

use crate::error::AppError;
use crate::i18n::{td, td_string, Locale};
use crate::locale::use_locale;
use crate::offices::weekday_name;
use crate::staff::schedule::{
    staff_schedule, ScheduleView, StaffCloseDay, StaffHoursAdd, StaffHoursRemove, StaffReopenDay,
    StaffScheduleSettings, StaffSpecialAdd, StaffSpecialRemove,
};
use crate::staff::staff_me;
use crate::staff::ui::{SignInNeeded, StaffBar};
use crate::time::date_vn;
use crate::ui::{field_error, form_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

/// A rule's weekday (1 = Monday, as stored) by name.
fn day_name(day: i16, locale: Locale) -> &'static str {
    weekday_name(u8::try_from(day).unwrap_or(7), locale)
}

#[component]
pub fn SchedulePage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let office = query.get("office").filter(|o| !o.is_empty());
    let done = query.get("done").filter(|_| query.get("__err").is_none());
    let data = Resource::new_blocking(
        || (),
        move |_| {
            let office = office.clone();
            async move {
                let me = staff_me().await?;
                let schedule = staff_schedule(office).await?;
                Ok::<_, AppError>((me, schedule))
            }
        },
    );
    view! {
        <Title text=td_string!(locale, staff.schedule_title) />
        <Suspense>
            {move || {
                let done = done.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((me, schedule)) => view! {
                            <StaffBar me />
                            <Schedule schedule done />
                        }
                        .into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInNeeded /> }.into_any(),
                        Err(error) => view! {
                            <h1>{td!(locale, staff.schedule_title)}</h1>
                            <p class="notice notice--error" role="alert">{error.message(locale)}</p>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// A labelled input with its error, ids prefixed per form.
fn input(
    form: &'static str,
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    error: &Option<AppError>,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let message = field_error(error, name);
    let error_id = format!("{id}-error");
    let invalid = message.as_ref().map(|_| "true");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type=kind name=name value=value required=true aria-invalid=invalid aria-describedby=error_id.clone() />
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

#[component]
fn Schedule(schedule: ScheduleView, done: Option<String>) -> impl IntoView {
    let locale = use_locale();
    let slug = schedule.office.slug.clone();
    let settings_error = form_error(StaffScheduleSettings::PATH);
    let hours_error = form_error(StaffHoursAdd::PATH);
    let special_error = form_error(StaffSpecialAdd::PATH);
    let close_error = form_error(StaffCloseDay::PATH);
    let other_error = form_error(StaffHoursRemove::PATH)
        .or_else(|| form_error(StaffSpecialRemove::PATH))
        .or_else(|| form_error(StaffReopenDay::PATH));
    let flash = done.map(|_| td_string!(locale, staff.schedule_saved));
    let office_choices = schedule
        .offices
        .iter()
        .map(|o| {
            let selected = o.slug == schedule.office.slug;
            view! { <option value=o.slug.clone() selected=selected>{o.name.clone()}</option> }
        })
        .collect_view();
    let hidden = move || view! { <input type="hidden" name="office" value=slug.clone() /> };
    let weekdays = (1..=7)
        .map(|d| view! { <option value=d.to_string()>{day_name(d, locale)}</option> })
        .collect_view();
    let hours_rows = schedule
        .hours
        .iter()
        .map(|h| {
            let label = format!("{} {}–{}", day_name(h.weekday, locale), h.opens, h.closes);
            view! {
                <tr>
                    <td>{day_name(h.weekday, locale)}</td>
                    <td>{format!("{}–{}", h.opens, h.closes)}</td>
                    <td>{h.slot_minutes}</td>
                    <td>{h.capacity}</td>
                    <td>
                        <form action=StaffHoursRemove::PATH method="post">
                            {hidden()}
                            <input type="hidden" name="weekday" value=h.weekday.to_string() />
                            <input type="hidden" name="opens" value=h.opens.clone() />
                            <button type="submit" class="button">
                                {td!(locale, staff.remove)}<span class="visually-hidden">" "{label}</span>
                            </button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let special_rows = schedule
        .special
        .iter()
        .map(|h| {
            let label = format!("{} {}–{}", date_vn(&h.date), h.opens, h.closes);
            view! {
                <li>
                    {label.clone()}", "{td_string!(locale, staff.slot_length_short, minutes = h.slot_minutes).to_string()}", "
                    {td_string!(locale, staff.capacity_short, n = h.capacity).to_string()}
                    <form action=StaffSpecialRemove::PATH method="post" class="inline-form">
                        {hidden()}
                        <input type="hidden" name="date" value=h.date.clone() />
                        <button type="submit" class="button">
                            {td!(locale, staff.remove)}<span class="visually-hidden">" "{label}</span>
                        </button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let closed_rows = schedule
        .closed
        .iter()
        .map(|c| {
            let day = date_vn(&c.date);
            view! {
                <li>
                    <strong>{day.clone()}</strong>": "{c.reason.clone()}
                    <form action=StaffReopenDay::PATH method="post" class="inline-form">
                        {hidden()}
                        <input type="hidden" name="date" value=c.date.clone() />
                        <button type="submit" class="button">
                            {td!(locale, staff.reopen)}<span class="visually-hidden">" "{day}</span>
                        </button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>{td!(locale, staff.schedule_title)}": "{schedule.office.name.clone()}</h1>
        {flash.map(|m| view! { <p class="notice notice--ok" role="status" id="schedule-flash">{m}</p> })}
        {other_error.map(|e| view! { <p class="notice notice--error" role="alert">{e.message(locale)}</p> })}
        <form class="desk-filter" action="/staff/schedule" method="get">
            <div class="field">
                <label for="schedule-office">{td!(locale, staff.office)}</label>
                <select id="schedule-office" name="office">{office_choices}</select>
            </div>
            <button type="submit" class="button">{td!(locale, staff.show)}</button>
        </form>

        <section class="card" aria-labelledby="close-heading">
            <h2 id="close-heading">{td!(locale, staff.close_heading)}</h2>
            <p class="hint">{td!(locale, staff.close_hint)}</p>
            <form action=StaffCloseDay::PATH method="post" novalidate=true>
                <ErrorSummary error=close_error.clone() id="close-errors" prefix="close" />
                {hidden()}
                {input("close", "date", td_string!(locale, staff.date), "date", String::new(), &close_error)}
                <div class="field">
                    <label for="close-reason">{td!(locale, staff.close_reason)}</label>
                    <textarea id="close-reason" name="reason" rows="2" maxlength="500" required=true
                        aria-invalid=field_error(&close_error, "reason").map(|_| "true") aria-describedby="close-reason-error"></textarea>
                    <p class="field-error" id="close-reason-error">{field_error(&close_error, "reason")}</p>
                </div>
                <button type="submit" class="button button--danger">{td!(locale, staff.close_submit)}</button>
            </form>
            {(!schedule.closed.is_empty()).then(|| view! {
                <h3>{td!(locale, staff.closed_days)}</h3>
                <ul class="rule-list">{closed_rows}</ul>
            })}
        </section>

        <section class="card" aria-labelledby="hours-heading">
            <h2 id="hours-heading">{td!(locale, staff.hours_heading)}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label=td_string!(locale, staff.hours_table)>
                <table class="audit-table">
                    <thead>
                        <tr>
                            <th scope="col">{td!(locale, staff.weekday)}</th>
                            <th scope="col">{td!(locale, staff.hours)}</th>
                            <th scope="col">{td!(locale, staff.slot_minutes)}</th>
                            <th scope="col">{td!(locale, staff.capacity)}</th>
                            <th scope="col"><span class="visually-hidden">{td!(locale, staff.remove)}</span></th>
                        </tr>
                    </thead>
                    <tbody>{hours_rows}</tbody>
                </table>
            </div>
            <h3>{td!(locale, staff.hours_add)}</h3>
            <p class="hint">{td!(locale, staff.hours_hint)}</p>
            <form action=StaffHoursAdd::PATH method="post" novalidate=true class="rule-form">
                <ErrorSummary error=hours_error.clone() id="hours-errors" prefix="hours" />
                {hidden()}
                <div class="field">
                    <label for="hours-weekday">{td!(locale, staff.weekday)}</label>
                    <select id="hours-weekday" name="weekday">{weekdays}</select>
                </div>
                {input("hours", "opens", td_string!(locale, staff.opens), "time", "08:00".into(), &hours_error)}
                {input("hours", "closes", td_string!(locale, staff.closes), "time", "11:30".into(), &hours_error)}
                {input("hours", "slot_minutes", td_string!(locale, staff.slot_minutes), "number", "30".into(), &hours_error)}
                {input("hours", "capacity", td_string!(locale, staff.capacity), "number", "4".into(), &hours_error)}
                <button type="submit" class="button button--primary">{td!(locale, staff.save)}</button>
            </form>
        </section>

        <section class="card" aria-labelledby="special-heading">
            <h2 id="special-heading">{td!(locale, staff.special_heading)}</h2>
            <p class="hint">{td!(locale, staff.special_hint)}</p>
            {(!schedule.special.is_empty()).then(|| view! { <ul class="rule-list">{special_rows}</ul> })}
            <form action=StaffSpecialAdd::PATH method="post" novalidate=true class="rule-form">
                <ErrorSummary error=special_error.clone() id="special-errors" prefix="special" />
                {hidden()}
                {input("special", "date", td_string!(locale, staff.date), "date", String::new(), &special_error)}
                {input("special", "opens", td_string!(locale, staff.opens), "time", "08:00".into(), &special_error)}
                {input("special", "closes", td_string!(locale, staff.closes), "time", "11:30".into(), &special_error)}
                {input("special", "slot_minutes", td_string!(locale, staff.slot_minutes), "number", "30".into(), &special_error)}
                {input("special", "capacity", td_string!(locale, staff.capacity), "number", "4".into(), &special_error)}
                <button type="submit" class="button button--primary">{td!(locale, staff.save)}</button>
            </form>
        </section>

        <section class="card" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{td!(locale, staff.settings_heading)}</h2>
            <form action=StaffScheduleSettings::PATH method="post" novalidate=true class="rule-form">
                <ErrorSummary error=settings_error.clone() id="settings-errors" prefix="settings" />
                {hidden()}
                {input("settings", "horizon_days", td_string!(locale, staff.horizon_days), "number", schedule.horizon_days.to_string(), &settings_error)}
                {input("settings", "min_notice_minutes", td_string!(locale, staff.min_notice_minutes), "number", schedule.min_notice_minutes.to_string(), &settings_error)}
                <div class="choice__item">
                    <input id="settings-walk_ins" type="checkbox" name="walk_ins_outside_slots" value="true" checked=schedule.walk_ins_outside_slots />
                    <label for="settings-walk_ins">{td!(locale, staff.walk_ins_outside_slots)}</label>
                </div>
                <fieldset class="field">
                    <legend>{td!(locale, staff.kept_heading)}</legend>
                    <p class="hint">{td!(locale, staff.kept_hint)}</p>
                    {input("settings", "kept_walk_in", td_string!(locale, staff.kept_walk_in), "number", schedule.kept_walk_in.to_string(), &settings_error)}
                    {input("settings", "kept_priority", td_string!(locale, staff.kept_priority), "number", schedule.kept_priority.to_string(), &settings_error)}
                    {input("settings", "kept_release_hours", td_string!(locale, staff.kept_release_hours), "number", schedule.kept_release_hours.to_string(), &settings_error)}
                </fieldset>
                <button type="submit" class="button button--primary">{td!(locale, staff.save)}</button>
            </form>
        </section>
    }
    .into_any()
}
