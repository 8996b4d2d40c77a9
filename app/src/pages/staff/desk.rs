//! `/staff`: one office's day at the front desk — figures, check-in by code,
//! requests waiting for a decision, then every slot with its bookings and
//! the actions their status allows.

use super::{SignInNeeded, StaffBar};
use crate::booking::time::{date_vn, time_vn};
use crate::booking::view::{
    booking_status_key, field_error, form_error, status_label, ErrorSummary,
};
use crate::booking::{BookingCode, BookingStatus, Topic};
use crate::cases::StaffCreateCase;
use crate::error::AppError;
use crate::i18n::{td, td_string, Locale};
use crate::locale::use_locale;
use crate::pages::book::{topic_label, TextField};
use crate::staff::schedule::{StaffSlotBlock, StaffSlotCapacity, StaffSlotUnblock};
use crate::staff::{
    staff_day, staff_me, DayCounts, DaySlot, DayView, DeskBooking, StaffCancel, StaffCheckIn,
    StaffComplete, StaffConfirm, StaffNoShow, StaffNote, StaffReject, StaffWalkIn,
};
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

fn pretty_code(code: &str) -> String {
    BookingCode::parse(code)
        .map(|c| c.display())
        .unwrap_or_else(|_| code.to_owned())
}

fn done_message(done: &str, code: &str, locale: Locale) -> String {
    let code = pretty_code(code);
    if done == "noted" {
        td_string!(locale, staff.done_noted, code = code).to_string()
    } else {
        td_string!(
            locale,
            staff.done,
            code = code,
            status = status_label(done, locale)
        )
        .to_string()
    }
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
        (Some(done), Some(code), _) => Some(done_message(&done, &code, locale)),
        (_, _, Some("blocked")) => Some(td_string!(locale, staff.slot_blocked).to_owned()),
        (_, _, Some("unblocked")) => Some(td_string!(locale, staff.slot_unblocked).to_owned()),
        (_, _, Some("capacity")) => Some(td_string!(locale, staff.slot_capacity).to_owned()),
        _ => None,
    };
    let slot_error = form_error(StaffSlotCapacity::PATH)
        .or_else(|| form_error(StaffSlotBlock::PATH))
        .or_else(|| form_error(StaffSlotUnblock::PATH));
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
    view! {
        <h1>{td!(locale, staff.desk_title)}": "{day.office.name.clone()}</h1>
        {flash.map(|m| view! { <p class="notice notice--ok" role="status" id="desk-flash">{m}</p> })}
        {slot_error.map(|e| view! { <p class="notice notice--error" role="alert" id="slot-error">{e.message(locale)}</p> })}
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
        </dl>
    }
    .into_any()
}

#[component]
fn SlotBlock(block: DaySlot, office: String, can_edit: bool) -> impl IntoView {
    let locale = use_locale();
    let heading = format!("{}–{}", time_vn(&block.starts_at), time_vn(&block.ends_at));
    let places = td_string!(
        locale,
        staff.places,
        taken = block.taken,
        capacity = block.capacity
    )
    .to_string();
    let bookings = block.bookings;
    let tools_id = format!("tools-{}", time_vn(&block.starts_at).replace(':', ""));
    let tools = (can_edit && !block.withdrawn).then(|| {
        let at = block.starts_at.clone();
        let label = heading.clone();
        view! {
            <details class="desk-more">
                <summary>{td!(locale, staff.slot_tools)}<span class="visually-hidden">" "{label.clone()}</span></summary>
                <form action=StaffSlotCapacity::PATH method="post" class="rule-form">
                    <input type="hidden" name="office" value=office.clone() />
                    <input type="hidden" name="starts_at" value=at.clone() />
                    <div class="field">
                        <label for=format!("{tools_id}-capacity")>{td!(locale, staff.capacity)}</label>
                        <input id=format!("{tools_id}-capacity") type="number" name="capacity" min=block.taken.max(1).to_string() max="500" value=block.capacity.to_string() required=true />
                    </div>
                    <button type="submit" class="button">{td!(locale, staff.set_capacity)}<span class="visually-hidden">" "{label.clone()}</span></button>
                </form>
                <form action=StaffSlotBlock::PATH method="post" class="rule-form">
                    <input type="hidden" name="office" value=office.clone() />
                    <input type="hidden" name="starts_at" value=at />
                    <div class="field">
                        <label for=format!("{tools_id}-reason")>{td!(locale, staff.block_reason)}</label>
                        <input id=format!("{tools_id}-reason") type="text" name="reason" maxlength="500" />
                    </div>
                    <button type="submit" class="button button--danger">{td!(locale, staff.block)}<span class="visually-hidden">" "{label}</span></button>
                </form>
            </details>
        }
    });
    view! {
        <section class="desk-slot">
            <h3>
                <time datetime=block.starts_at.clone()>{heading}</time>
                " · "<span class="desk-slot__places">{places}</span>
                {block.withdrawn.then(|| view! { " · "<span>{td!(locale, staff.withdrawn)}</span> })}
            </h3>
            {if bookings.is_empty() {
                view! { <p class="desk-slot__empty">{td!(locale, staff.empty_slot)}</p> }.into_any()
            } else {
                view! {
                    <ul class="desk-list">
                        {bookings.into_iter().map(|b| view! { <li><BookingCard booking=b prefix="s" show_time=false /></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {tools}
        </section>
    }
    .into_any()
}

/// A hidden-text suffix that names the booking, so that every button's
/// accessible name says whose booking it acts on.
fn whose(name: &str, locale: Locale) -> impl IntoView {
    let text = format!(
        " {}",
        td_string!(locale, staff.for_booking, name = name.to_owned())
    );
    view! { <span class="visually-hidden">{text}</span> }
}

#[component]
fn BookingCard(booking: DeskBooking, prefix: &'static str, show_time: bool) -> impl IntoView {
    let locale = use_locale();
    let b = booking;
    let id = format!("{prefix}-{}", b.code);
    let status_key = booking_status_key(b.status);
    let code = pretty_code(&b.code);
    let when = format!("{}–{}", time_vn(&b.starts_at), time_vn(&b.ends_at));
    let reps = (!b.representatives.is_empty()).then(|| b.representatives.join(", "));
    let needs = (!b.needs.is_empty()).then(|| b.needs.clone());
    let notes = b.notes.clone();
    let action = |path: &'static str, label: &'static str, class: &'static str| {
        let code = b.code.clone();
        let name = b.full_name.clone();
        view! {
            <form action=path method="post" class="desk-action">
                <input type="hidden" name="code" value=code />
                <button type="submit" class=class>{label}{whose(&name, locale)}</button>
            </form>
        }
    };
    let actions = match b.status {
        BookingStatus::Requested => view! {
            {action(StaffConfirm::PATH, td_string!(locale, staff.confirm), "button button--primary")}
            <details class="desk-more">
                <summary>{td!(locale, staff.reject)}{whose(&b.full_name, locale)}</summary>
                <form action=StaffReject::PATH method="post" class="desk-reject">
                    <input type="hidden" name="code" value=b.code.clone() />
                    <div class="field">
                        <label for=format!("{id}-reason")>{td!(locale, staff.reject_reason)}</label>
                        <textarea id=format!("{id}-reason") name="reason" rows="2" maxlength="500" required=true></textarea>
                    </div>
                    <button type="submit" class="button button--danger">{td!(locale, staff.reject_submit)}{whose(&b.full_name, locale)}</button>
                </form>
            </details>
        }.into_any(),
        BookingStatus::Confirmed => view! {
            {action(StaffCheckIn::PATH, td_string!(locale, staff.check_in), "button button--primary")}
            {action(StaffNoShow::PATH, td_string!(locale, staff.no_show), "button")}
            <details class="desk-more">
                <summary>{td!(locale, staff.cancel)}{whose(&b.full_name, locale)}</summary>
                <form action=StaffCancel::PATH method="post" class="desk-reject">
                    <input type="hidden" name="code" value=b.code.clone() />
                    <div class="field">
                        <label for=format!("{id}-cancel-reason")>{td!(locale, staff.cancel_reason)}</label>
                        <textarea id=format!("{id}-cancel-reason") name="reason" rows="2" maxlength="500" required=true></textarea>
                    </div>
                    <button type="submit" class="button button--danger">{td!(locale, staff.cancel_submit)}{whose(&b.full_name, locale)}</button>
                </form>
            </details>
        }.into_any(),
        BookingStatus::CheckedIn => view! {
            {action(StaffComplete::PATH, td_string!(locale, staff.complete), "button button--primary")}
            {open_case(&b.code, &b.full_name, b.email_given, &id)}
        }.into_any(),
        BookingStatus::Completed => open_case(&b.code, &b.full_name, b.email_given, &id).into_any(),
        _ => ().into_any(),
    };
    view! {
        <article class="desk-card" id=id.clone() aria-labelledby=format!("{id}-name")>
            {
                // Under "requests waiting" (h2) a card is an h3; under a
                // slot (h3) an h4.
                let heading_id = format!("{id}-name");
                let name = b.full_name.clone();
                if show_time {
                    view! { <h3 class="desk-card__name" id=heading_id>{name}</h3> }.into_any()
                } else {
                    view! { <h4 class="desk-card__name" id=heading_id>{name}</h4> }.into_any()
                }
            }
            <p class=format!("status status--{status_key}")>{status_label(status_key, locale)}</p>
            {b.walk_in.then(|| view! { " "<p class="status walk-in-badge">{td!(locale, staff.walk_in_badge)}</p> })}
            <dl class="desk-card__facts">
                <div><dt>{td!(locale, staff.code)}</dt><dd class="desk-card__code">{code}</dd></div>
                {show_time.then(|| view! { <div><dt>{td!(locale, staff.time)}</dt><dd>{when.clone()}</dd></div> })}
                <div><dt>{td!(locale, staff.summary)}</dt><dd>{topic_label(b.topic, locale)}": "{b.summary.clone()}</dd></div>
                <div><dt>{td!(locale, staff.party)}</dt><dd>{b.party_size}</dd></div>
                {reps.map(|r| view! { <div><dt>{td!(locale, staff.representatives)}</dt><dd>{r}</dd></div> })}
                {b.interpreter.then(|| view! { <div><dt>{td!(locale, staff.needs)}</dt><dd>{td!(locale, staff.interpreter)}</dd></div> })}
                {needs.map(|n| view! { <div><dt>{td!(locale, staff.needs)}</dt><dd>{n}</dd></div> })}
            </dl>
            {(!b.email_given).then(|| view! { <p class="hint">{td!(locale, staff.no_email)}</p> })}
            {(!notes.is_empty()).then(|| view! {
                <div class="desk-card__notes">
                    <p><strong>{td!(locale, staff.notes)}</strong></p>
                    <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                </div>
            })}
            <div class="desk-card__actions">{actions}</div>
            <details class="desk-more">
                <summary>{td!(locale, staff.add_note)}{whose(&b.full_name, locale)}</summary>
                <form action=StaffNote::PATH method="post">
                    <input type="hidden" name="code" value=b.code.clone() />
                    <div class="field">
                        <label for=format!("{id}-note")>{td!(locale, staff.note)}</label>
                        <textarea id=format!("{id}-note") name="note" rows="2" maxlength="1000" required=true></textarea>
                    </div>
                    <button type="submit" class="button">{td!(locale, staff.note_submit)}{whose(&b.full_name, locale)}</button>
                </form>
            </details>
        </article>
    }
    .into_any()
}

/// Opens the case that follows a reception (the citizen's details are
/// carried over); the citizen may ask for an e-mail at every step.
fn open_case(code: &str, name: &str, email_given: bool, id: &str) -> impl IntoView {
    let locale = use_locale();
    view! {
        <details class="desk-more">
            <summary>{td!(locale, staff.open_case)}{whose(name, locale)}</summary>
            <form action=StaffCreateCase::PATH method="post">
                <input type="hidden" name="booking_code" value=code.to_owned() />
                {email_given.then(|| view! {
                    <div class="field check">
                        <input id=format!("{id}-case-notify") type="checkbox" name="notify" value="on" />
                        <label for=format!("{id}-case-notify")>{td!(locale, cases.notify)}</label>
                    </div>
                })}
                <button type="submit" class="button">{td!(locale, staff.open_case_submit)}{whose(name, locale)}</button>
            </form>
        </details>
    }
}

/// A field of the walk-in form, its error beside it.
fn walk_in_field(
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    error: &Option<AppError>,
    extra: (&'static str, &'static str),
) -> impl IntoView {
    let id = format!("walkin-{name}");
    let message = field_error(error, name);
    let error_id = format!("{id}-error");
    let invalid = message.as_ref().map(|_| "true");
    let required = extra.0 == "required";
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type=kind name=name required=required autocomplete=extra.1 aria-invalid=invalid aria-describedby=error_id.clone() />
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

#[component]
fn WalkInForm(office: String, slots: Vec<String>, outside: bool) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(StaffWalkIn::PATH);
    let open = error.is_some();
    if slots.is_empty() && !outside {
        return view! {
            <section class="card" aria-labelledby="walk-in-heading">
                <h2 id="walk-in-heading">{td!(locale, staff.walk_in_heading)}</h2>
                <p>{td!(locale, staff.walk_in_none)}</p>
            </section>
        }
        .into_any();
    }
    let options = slots
        .iter()
        .map(|s| view! { <option value=s.clone()>{time_vn(s)}</option> })
        .collect_view();
    let now_option =
        outside.then(|| view! { <option value="now">{td!(locale, staff.walk_in_now)}</option> });
    let topics = [Topic::Complaint, Topic::Denunciation, Topic::Petition]
        .into_iter()
        .map(|t| view! { <option value=t.as_str()>{topic_label(t, locale)}</option> })
        .collect_view();
    let e = |name: &str| field_error(&error, name);
    view! {
        <section class="card" aria-labelledby="walk-in-heading">
            <details class="desk-more" open=open>
                <summary><h2 id="walk-in-heading" class="summary-heading">{td!(locale, staff.walk_in_heading)}</h2></summary>
                <p class="hint">{td!(locale, staff.walk_in_hint)}</p>
                <form action=StaffWalkIn::PATH method="post" novalidate=true class="walk-in-form">
                    <ErrorSummary error=error.clone() id="walk-in-errors" prefix="walkin" />
                    <input type="hidden" name="office" value=office />
                    <div class="field">
                        <label for="walkin-starts_at">{td!(locale, staff.walk_in_slot)}</label>
                        <select id="walkin-starts_at" name="starts_at">{options}{now_option}</select>
                        <p class="field-error" id="walkin-starts_at-error">{e("starts_at")}</p>
                    </div>
                    {walk_in_field("full_name", td_string!(locale, staff.name), "text", &error, ("required", "off"))}
                    {walk_in_field("citizen_id", td_string!(locale, staff.citizen_id), "text", &error, ("required", "off"))}
                    {walk_in_field("phone", td_string!(locale, staff.phone), "tel", &error, ("required", "off"))}
                    {walk_in_field("email", td_string!(locale, staff.email_optional), "email", &error, ("", "off"))}
                    <div class="field">
                        <label for="walkin-topic">{td!(locale, staff.topic)}</label>
                        <select id="walkin-topic" name="topic">{topics}</select>
                    </div>
                    <div class="field">
                        <label for="walkin-summary">{td!(locale, staff.summary)}</label>
                        <textarea id="walkin-summary" name="summary" rows="3" maxlength="2000" required=true
                            aria-invalid=e("summary").map(|_| "true") aria-describedby="walkin-summary-error"></textarea>
                        <p class="field-error" id="walkin-summary-error">{e("summary")}</p>
                    </div>
                    <div class="field">
                        <label for="walkin-party_size">{td!(locale, staff.party_size)}</label>
                        <input id="walkin-party_size" type="number" name="party_size" value="1" min="1" max="500" required=true
                            aria-invalid=e("party_size").map(|_| "true") aria-describedby="walkin-party_size-error" />
                        <p class="field-error" id="walkin-party_size-error">{e("party_size")}</p>
                    </div>
                    <div class="field">
                        <label for="walkin-representatives">{td!(locale, staff.representatives)}</label>
                        <p class="hint" id="walkin-representatives-hint">{td!(locale, staff.representatives_hint)}</p>
                        <textarea id="walkin-representatives" name="representatives" rows="2"
                            aria-invalid=e("representatives").map(|_| "true") aria-describedby="walkin-representatives-hint walkin-representatives-error"></textarea>
                        <p class="field-error" id="walkin-representatives-error">{e("representatives")}</p>
                    </div>
                    {walk_in_field("needs", td_string!(locale, staff.needs), "text", &error, ("", "off"))}
                    <div class="choice__item">
                        <input id="walkin-interpreter" type="checkbox" name="interpreter" value="true" />
                        <label for="walkin-interpreter">{td!(locale, staff.interpreter)}</label>
                    </div>
                    <button type="submit" class="button button--primary">{td!(locale, staff.walk_in_submit)}</button>
                </form>
            </details>
        </section>
    }
    .into_any()
}
