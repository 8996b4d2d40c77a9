//! One booking on the front desk: who, when, what about, and the actions
//! its status allows (each button names whose booking it acts on).

use crate::booking::BookingCode;
use crate::booking::BookingStatus;
use crate::cases::StaffCreateCase;
use crate::i18n::{td, td_string, Locale};
use crate::locale::use_locale;
use crate::staff::{
    DeskBooking, StaffCancel, StaffCheckIn, StaffComplete, StaffConfirm, StaffNoShow, StaffNote,
    StaffPropose, StaffReject,
};
use crate::time::{date_vn, time_vn};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// A hidden-text suffix that names the booking, so that every button's
/// accessible name says whose booking it acts on.
pub(super) fn whose(name: &str, locale: Locale) -> impl IntoView {
    let text = format!(
        " {}",
        td_string!(locale, staff.for_booking, name = name.to_owned())
    );
    view! { <span class="visually-hidden">{text}</span> }
}

#[component]
pub(super) fn BookingCard(
    booking: DeskBooking,
    prefix: &'static str,
    show_time: bool,
) -> impl IntoView {
    let locale = use_locale();
    let b = booking;
    let id = format!("{prefix}-{}", b.code);
    let status_key = b.status.as_str();
    let code = BookingCode::pretty(&b.code);
    let when = format!("{}–{}", time_vn(&b.starts_at), time_vn(&b.ends_at));
    let reps = (!b.representatives.is_empty()).then(|| b.representatives.join(", "));
    let needs = (!b.needs.is_empty()).then(|| b.needs.clone());
    let notes = b.notes.clone();
    // Whose booking each button acts on: a denouncer the reader may not see
    // is named by the booking's code.
    let who = if b.masked {
        code.clone()
    } else {
        b.full_name.clone()
    };
    let action = |path: &'static str, label: &'static str, class: &'static str| {
        let code = b.code.clone();
        let name = who.clone();
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
                <summary>{td!(locale, staff.reject)}{whose(&who, locale)}</summary>
                <form action=StaffReject::PATH method="post" class="desk-reject">
                    <input type="hidden" name="code" value=b.code.clone() />
                    <div class="field">
                        <label for=format!("{id}-reason")>{td!(locale, staff.reject_reason)}</label>
                        <textarea id=format!("{id}-reason") name="reason" rows="2" maxlength="500" required=true></textarea>
                    </div>
                    <button type="submit" class="button button--danger">{td!(locale, staff.reject_submit)}{whose(&who, locale)}</button>
                </form>
            </details>
            {match b.proposed_at.clone() {
                Some(at) => view! {
                    <p class="hint desk-card__proposed">
                        {td_string!(locale, staff.proposed_waiting, when = format!("{} {}", date_vn(&at), time_vn(&at))).to_string()}
                    </p>
                }.into_any(),
                None => view! {
                    <details class="desk-more">
                        <summary>{td!(locale, staff.propose)}{whose(&who, locale)}</summary>
                        <form action=StaffPropose::PATH method="post" class="desk-propose">
                            <input type="hidden" name="code" value=b.code.clone() />
                            <div class="field">
                                <label for=format!("{id}-propose-at")>{td!(locale, staff.propose_at)}</label>
                                <p class="hint" id=format!("{id}-propose-at-hint")>{td!(locale, staff.propose_at_hint)}</p>
                                <input id=format!("{id}-propose-at") type="datetime-local" name="starts_at" step="60" required=true
                                    aria-describedby=format!("{id}-propose-at-hint") />
                            </div>
                            <div class="field">
                                <label for=format!("{id}-propose-message")>{td!(locale, staff.propose_message)}</label>
                                <textarea id=format!("{id}-propose-message") name="message" rows="2" maxlength="500"></textarea>
                            </div>
                            <button type="submit" class="button">{td!(locale, staff.propose_submit)}{whose(&who, locale)}</button>
                        </form>
                    </details>
                }.into_any(),
            }}
        }.into_any(),
        BookingStatus::Confirmed => view! {
            {action(StaffCheckIn::PATH, td_string!(locale, staff.check_in), "button button--primary")}
            {action(StaffNoShow::PATH, td_string!(locale, staff.no_show), "button")}
            <details class="desk-more">
                <summary>{td!(locale, staff.cancel)}{whose(&who, locale)}</summary>
                <form action=StaffCancel::PATH method="post" class="desk-reject">
                    <input type="hidden" name="code" value=b.code.clone() />
                    <div class="field">
                        <label for=format!("{id}-cancel-reason")>{td!(locale, staff.cancel_reason)}</label>
                        <textarea id=format!("{id}-cancel-reason") name="reason" rows="2" maxlength="500" required=true></textarea>
                    </div>
                    <button type="submit" class="button button--danger">{td!(locale, staff.cancel_submit)}{whose(&who, locale)}</button>
                </form>
            </details>
        }.into_any(),
        BookingStatus::CheckedIn => view! {
            {action(StaffComplete::PATH, td_string!(locale, staff.complete), "button button--primary")}
            {open_case(&b.code, &who, b.email_given, &id)}
        }.into_any(),
        BookingStatus::Completed => open_case(&b.code, &who, b.email_given, &id).into_any(),
        _ => ().into_any(),
    };
    // How long a request has waited for the office's answer, in opening
    // hours; past ANSWER_WITHIN_HOURS the card says it is late.
    let waited = b.waited_minutes.map(|m| {
        let text = td_string!(locale, staff.waited, hours = m / 60, minutes = m % 60).to_string();
        let late = b
            .late
            .then(|| view! { " "<strong>{td!(locale, staff.answer_late)}</strong> });
        view! { <div><dt>{td!(locale, staff.waited_label)}</dt><dd>{text}{late}</dd></div> }
    });
    let card_class = if b.late {
        "desk-card desk-card--late"
    } else {
        "desk-card"
    };
    view! {
        <article class=card_class id=id.clone() aria-labelledby=format!("{id}-name")>
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
            <p class=format!("status status--{status_key}")>{b.status.label(locale)}</p>
            {b.walk_in.then(|| view! { " "<p class="status walk-in-badge">{td!(locale, staff.walk_in_badge)}</p> })}
            {b.priority.map(|g| view! { " "<p class="status walk-in-badge">{td!(locale, staff.priority_badge)}": "{g.label(locale)}</p> })}
            <dl class="desk-card__facts">
                <div><dt>{td!(locale, staff.code)}</dt><dd class="desk-card__code">{code}</dd></div>
                {show_time.then(|| view! { <div><dt>{td!(locale, staff.time)}</dt><dd>{when.clone()}</dd></div> })}
                {waited}
                <div><dt>{td!(locale, staff.summary)}</dt><dd>{b.topic.label(locale)}": "{b.summary.clone()}</dd></div>
                <div><dt>{td!(locale, staff.party)}</dt><dd>{b.party_size}</dd></div>
                {reps.map(|r| view! { <div><dt>{td!(locale, staff.representatives)}</dt><dd>{r}</dd></div> })}
                {b.interpreter.then(|| view! { <div><dt>{td!(locale, staff.needs)}</dt><dd>{td!(locale, staff.interpreter)}</dd></div> })}
                {needs.map(|n| view! { <div><dt>{td!(locale, staff.needs)}</dt><dd>{n}</dd></div> })}
            </dl>
            {match (&b.phone, b.email_given) {
                (Some(phone), _) => view! {
                    <p class="hint desk-card__call">
                        {td!(locale, staff.no_email_call)}" "
                        <a href=format!("tel:{phone}")>{phone.clone()}</a>
                    </p>
                }
                .into_any(),
                (None, false) => view! { <p class="hint">{td!(locale, staff.no_email)}</p> }.into_any(),
                (None, true) => ().into_any(),
            }}
            {(!notes.is_empty()).then(|| view! {
                <div class="desk-card__notes">
                    <p><strong>{td!(locale, staff.notes)}</strong></p>
                    <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                </div>
            })}
            <div class="desk-card__actions">{actions}</div>
            <details class="desk-more">
                <summary>{td!(locale, staff.add_note)}{whose(&who, locale)}</summary>
                <form action=StaffNote::PATH method="post">
                    <input type="hidden" name="code" value=b.code.clone() />
                    <div class="field">
                        <label for=format!("{id}-note")>{td!(locale, staff.note)}</label>
                        <textarea id=format!("{id}-note") name="note" rows="2" maxlength="1000" required=true></textarea>
                    </div>
                    <button type="submit" class="button">{td!(locale, staff.note_submit)}{whose(&who, locale)}</button>
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
