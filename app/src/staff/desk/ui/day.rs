//! `/staff`: one office's day at the front desk — figures, check-in by code,
//! requests waiting for a decision, then every slot with its bookings and
//! the actions their status allows.

use super::booking_card::BookingCard;
use super::slot::{SlotBlock, WaitingList};
use super::walk_in::{PriorityForm, WalkInForm};
use crate::booking::{BookingCode, BookingStatus};
use crate::error::AppError;
use crate::i18n::{td, td_string, Locale};
use crate::locale::use_locale;
use crate::staff::schedule::{StaffSlotBlock, StaffSlotCapacity, StaffSlotKept, StaffSlotUnblock};
use crate::staff::ui::{SignInNeeded, StaffBar};
use crate::staff::{staff_day, staff_me, DayCounts, DayView, StaffCheckIn, StaffPropose};
use crate::time::{date_vn, time_vn};
use crate::ui::TextField;
use crate::ui::{field_error, form_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

#[component]
pub fn DeskPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let office = query.get("office").filter(|o| !o.is_empty());
    let date = query.get("date").filter(|d| !d.is_empty());
    // A failed action comes back to the page it was posted from, whose
    // address may still hold the previous action's result: show only one.
    let done = query.get("done").filter(|_| query.get("__err").is_none());
    let done_code = query.get("code");
    let slot_done = query
        .get("slot_done")
        .filter(|_| query.get("__err").is_none());
    let data = Resource::new_blocking(
        || (),
        move |_| {
            let (office, date) = (office.clone(), date.clone());
            async move {
                let me = staff_me().await?;
                let day = staff_day(office, date).await?;
                Ok::<_, AppError>((me, day))
            }
        },
    );
    view! {
        <Title text=td_string!(locale, staff.desk_title) />
        <Suspense>
            {move || {
                let (done, done_code, slot_done) = (done.clone(), done_code.clone(), slot_done.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok((me, day)) => view! {
                            <StaffBar me />
                            <Desk day done done_code slot_done />
                        }.into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInNeeded /> }.into_any(),
                        Err(error) => view! {
                            <h1>{td!(locale, staff.desk_title)}</h1>
                            <p class="notice notice--error" role="alert">{error.message(locale)}</p>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// What the desk just did, from the `done` the action redirected with (a
/// status name, or `noted`); nothing for anything else in the address.
fn done_message(done: &str, code: &str, locale: Locale) -> Option<String> {
    let code = BookingCode::pretty(code);
    if done == "noted" {
        return Some(td_string!(locale, staff.done_noted, code = code).to_string());
    }
    if done == "proposed" {
        return Some(td_string!(locale, staff.done_proposed, code = code).to_string());
    }
    let status = BookingStatus::parse(done)?.label(locale);
    Some(td_string!(locale, staff.done, code = code, status = status).to_string())
}

#[component]
fn Desk(
    day: DayView,
    done: Option<String>,
    done_code: Option<String>,
    slot_done: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let flash = match (done, done_code, slot_done.as_deref()) {
        (Some(done), Some(code), _) => done_message(&done, &code, locale),
        (_, _, Some("blocked")) => Some(td_string!(locale, staff.slot_blocked).to_owned()),
        (_, _, Some("unblocked")) => Some(td_string!(locale, staff.slot_unblocked).to_owned()),
        (_, _, Some("capacity")) => Some(td_string!(locale, staff.slot_capacity).to_owned()),
        (_, _, Some("kept")) => Some(td_string!(locale, staff.slot_kept).to_owned()),
        _ => None,
    };
    // A refused proposal or slot change: the reason, and for a field the
    // field's words.
    let words = move |e: AppError| match &e {
        AppError::Validation { fields } if !fields.is_empty() => fields
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join(" "),
        other => other.message(locale).to_owned(),
    };
    let propose_error = form_error(StaffPropose::PATH).map(words);
    let slot_error = form_error(StaffSlotCapacity::PATH)
        .or_else(|| form_error(StaffSlotKept::PATH))
        .or_else(|| form_error(StaffSlotBlock::PATH))
        .or_else(|| form_error(StaffSlotUnblock::PATH))
        .map(words);
    let can_edit = day.can_edit_schedule;
    let walk_in = (day.date == day.today).then(|| {
        view! { <WalkInForm office=day.office.slug.clone() slots=day.walk_in_slots.clone() outside=day.walk_in_outside_slots /> }
    });
    let blocked = day.blocked.clone();
    let office_slug = day.office.slug.clone();
    let check_in_error = form_error(StaffCheckIn::PATH);
    let office_choices = day
        .offices
        .iter()
        .map(|o| {
            let selected = o.slug == day.office.slug;
            view! { <option value=o.slug.clone() selected=selected>{o.name.clone()}</option> }
        })
        .collect_view();
    let slug = day.office.slug.clone();
    let day_link = move |date: String| format!("/staff?office={slug}&date={date}");
    let pending = day.pending.clone();
    let slots = day.slots.clone();
    let waiting = day.waiting.clone();
    view! {
        <h1>{td!(locale, staff.desk_title)}": "{day.office.name.clone()}</h1>
        {flash.map(|m| view! { <p class="notice notice--ok" role="status" id="desk-flash">{m}</p> })}
        {slot_error.map(|m| view! { <p class="notice notice--error" role="alert" id="slot-error">{m}</p> })}
        {propose_error.map(|m| view! { <p class="notice notice--error" role="alert" id="propose-error">{m}</p> })}
        <form class="desk-filter" action="/staff" method="get">
            <div class="field">
                <label for="desk-office">{td!(locale, staff.office)}</label>
                <select id="desk-office" name="office">{office_choices}</select>
            </div>
            <div class="field">
                <label for="desk-date">{td!(locale, staff.date)}</label>
                <input id="desk-date" type="date" name="date" value=day.date.clone() required=true />
            </div>
            <button type="submit" class="button">{td!(locale, staff.show)}</button>
        </form>
        <nav class="day-nav" aria-label=td_string!(locale, staff.day_nav)>
            <a href=day_link(day.previous_date.clone())>{td!(locale, staff.previous_day)}</a>
            <a href=day_link(day.today.clone())>{td!(locale, staff.today)}</a>
            <a href=day_link(day.next_date.clone())>{td!(locale, staff.next_day)}</a>
        </nav>
        <h2 class="desk-date">{date_vn(&day.date)}</h2>
        <Counts counts=day.counts.clone() />
        <section class="card" aria-labelledby="check-in-heading">
            <h2 id="check-in-heading">{td!(locale, staff.check_in_heading)}</h2>
            <form action=StaffCheckIn::PATH method="post" novalidate=true class="check-in-form">
                <ErrorSummary error=check_in_error.clone() id="check-in-errors" />
                <TextField name="code" label=td_string!(locale, staff.code) hint=Some(td_string!(locale, staff.check_in_hint)) error=field_error(&check_in_error, "code") autocomplete="off" required=true maxlength=14 />
                <button type="submit" class="button button--primary">{td!(locale, staff.check_in_submit)}</button>
            </form>
            // Shown by /desk-scan.js where the browser can read QR codes.
            <button type="button" id="scan-start" class="button" hidden=true
                data-denied=td_string!(locale, staff.scan_denied) data-looking=td_string!(locale, staff.scan_looking)>
                {td!(locale, staff.scan)}
            </button>
            <div id="scan-panel" class="scan-panel" hidden=true>
                <video muted=true playsinline="" aria-label=td_string!(locale, staff.scan_video)></video>
                <button type="button" id="scan-stop" class="button">{td!(locale, staff.scan_stop)}</button>
            </div>
            <p id="scan-status" class="hint" role="status"></p>
            <script src="/desk-scan.js" defer=true></script>
        </section>
        {walk_in}
        <PriorityForm office=day.office.slug.clone() slots=day.priority_slots.clone() />
        <section aria-labelledby="pending-heading">
            <h2 id="pending-heading">{td!(locale, staff.pending_heading)}</h2>
            {if pending.is_empty() {
                view! { <p>{td!(locale, staff.no_pending)}</p> }.into_any()
            } else {
                view! {
                    <ul class="desk-list">
                        {pending.into_iter().map(|b| view! { <li><BookingCard booking=b prefix="p" show_time=true /></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {(!waiting.is_empty()).then(|| view! { <WaitingList entries=waiting /> })}
        <section aria-labelledby="slots-heading">
            <h2 id="slots-heading">{td!(locale, staff.slots_heading)}</h2>
            {if slots.is_empty() {
                view! { <p>{td!(locale, staff.no_slots)}</p> }.into_any()
            } else {
                let office = office_slug.clone();
                slots.into_iter().map(|slot| view! { <SlotBlock block=slot office=office.clone() can_edit /> }).collect_view().into_any()
            }}
        </section>
        {(!blocked.is_empty()).then(|| {
            let office = office_slug.clone();
            view! {
                <section aria-labelledby="blocked-heading">
                    <h2 id="blocked-heading">{td!(locale, staff.blocked_heading)}</h2>
                    <ul class="rule-list">
                        {blocked.into_iter().map(|b| {
                            let time = time_vn(&b.starts_at);
                            view! {
                                <li>
                                    <strong>{time.clone()}</strong>
                                    {(!b.reason.is_empty()).then(|| format!(": {}", b.reason))}
                                    {can_edit.then(|| view! {
                                        <form action=StaffSlotUnblock::PATH method="post" class="inline-form">
                                            <input type="hidden" name="office" value=office.clone() />
                                            <input type="hidden" name="starts_at" value=b.starts_at.clone() />
                                            <button type="submit" class="button">{td!(locale, staff.unblock)}<span class="visually-hidden">" "{time}</span></button>
                                        </form>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })}
    }
    .into_any()
}

#[component]
fn Counts(counts: DayCounts) -> impl IntoView {
    let locale = use_locale();
    let item = |label: &'static str, value: u32| {
        view! { <div class="desk-counts__item"><dt>{label}</dt><dd>{value}</dd></div> }
    };
    view! {
        <dl class="desk-counts" aria-label=td_string!(locale, staff.counts)>
            {item(td_string!(locale, staff.count_pending), counts.pending)}
            {item(td_string!(locale, staff.count_expected), counts.expected)}
            {item(td_string!(locale, staff.count_arrived), counts.arrived)}
            {item(td_string!(locale, staff.count_no_show), counts.no_show)}
            {item(td_string!(locale, staff.count_free), counts.free)}
            {(counts.kept > 0).then(|| item(td_string!(locale, staff.count_kept), counts.kept))}
        </dl>
    }
    .into_any()
}
