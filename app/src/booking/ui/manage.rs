//! `/my-booking`: look a booking up with its code and phone, or open it with
//! its private link (`?t=`): the ticket, cancel, move. Every form posts
//! natively to the booking API and comes back here.

use super::{Calendar, SlotPicker};
use crate::booking::own_data::ui::{MyDataCard, WithdrawnNotice};
use crate::booking::own_data::WithdrawalOutcome;
use crate::booking::{
    load_manage_page, AnswerProposal, BookingCode, BookingStatus, CancelBooking, FormGuard,
    LookupBooking, ManagePageData, ProposalInfo, RescheduleBooking,
};
use crate::error::AppError;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::time::{date_vn, time_vn};
use crate::ui::{field_error, form_error, ErrorSummary};
use crate::ui::{TextArea, TextField};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

#[component]
pub fn ManagePage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let token = query.get("t").filter(|t| !t.is_empty());
    let day = query.get("day");
    let withdrawn = query
        .get("withdrawn")
        .and_then(|o| WithdrawalOutcome::parse(&o));
    if let Some(outcome) = withdrawn {
        return view! { <WithdrawnNotice outcome /> }.into_any();
    }
    view! {
        // The private link must not leak to other sites through the Referer (our
        // own forms still need it to come back here with their errors).
        <Meta name="referrer" content="same-origin" />
        {match token {
            None => view! { <LookupForm expired=false /> }.into_any(),
            Some(token) => {
                let data = Resource::new_blocking(
                    || (),
                    {
                        let token = token.clone();
                        move |_| load_manage_page(token.clone(), day.clone())
                    },
                );
                view! {
                    <Title text=td_string!(locale, manage.ticket_title) />
                    // A private page: never in a search engine.
                    <Meta name="robots" content="noindex" />
                    <Suspense>
                        {move || {
                            let token = token.clone();
                            Suspend::new(async move {
                                match data.await {
                                    Ok(data) => view! { <Ticket data token /> }.into_any(),
                                    Err(AppError::RateLimited { .. }) | Err(AppError::NotFound) | Err(_) => {
                                        view! { <LookupForm expired=true /> }.into_any()
                                    }
                                }
                            })
                        }}
                    </Suspense>
                }
                .into_any()
            }
        }}
    }
    .into_any()
}

#[component]
fn LookupForm(expired: bool) -> impl IntoView {
    let locale = use_locale();
    view! {
        <CodeLookup
            action=LookupBooking::PATH
            title=td_string!(locale, manage.title)
            intro=Some(td_string!(locale, manage.intro))
            code_label=td_string!(locale, manage.code)
            expired
        />
    }
}

/// A look-up by code and phone (a booking's, a waiting-list entry's),
/// posted to `action`; `expired` says a private link no longer opens it.
#[component]
pub fn CodeLookup(
    action: &'static str,
    title: &'static str,
    intro: Option<&'static str>,
    code_label: &'static str,
    expired: bool,
) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(action);
    let e = {
        let error = error.clone();
        move |name: &str| field_error(&error, name)
    };
    view! {
        <Title text=title />
        <h1>{title}</h1>
        {expired.then(|| view! { <p class="notice notice--error" role="alert">{td!(locale, manage.link_expired)}</p> })}
        {intro.map(|intro| view! { <p class="lead">{intro}</p> })}
        <FormGuard>
            <form class="lookup-form" action=action method="post" novalidate=true data-check="code phone">
                <ErrorSummary error=error.clone() id="lookup-errors" />
                <TextField name="code" label=code_label hint=Some(td_string!(locale, manage.code_hint)) error=e("code") autocomplete="off" required=true maxlength=14 />
                <TextField name="phone" label=td_string!(locale, manage.phone) hint=None error=e("phone") autocomplete="tel" kind="tel" required=true maxlength=20 />
                <button type="submit" class="button button--primary" data-pending-text=td_string!(locale, booking.submitting)>
                    {td!(locale, manage.submit)}
                </button>
            </form>
        </FormGuard>
    }
}

/// Another time the office proposed, with one button to accept it and one
/// to decline: plain forms, so they work before (or without) any script.
#[component]
fn ProposalCard(proposal: ProposalInfo, token: String) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(AnswerProposal::PATH);
    let when = format!(
        "{}, {}–{}",
        date_vn(&proposal.starts_at),
        time_vn(&proposal.starts_at),
        time_vn(&proposal.ends_at)
    );
    let until = format!(
        "{} {}",
        date_vn(&proposal.expires_at),
        time_vn(&proposal.expires_at)
    );
    let answer = move |value: &'static str, label: String, class: &'static str| {
        view! {
            <form action=AnswerProposal::PATH method="post">
                <input type="hidden" name="token" value=token.clone() />
                <input type="hidden" name="answer" value=value />
                <button type="submit" class=class>{label}</button>
            </form>
        }
    };
    view! {
        <section class="card proposal" aria-labelledby="proposal-heading" id="proposal">
            <h2 id="proposal-heading">{td!(locale, manage.proposal_heading)}</h2>
            <ErrorSummary error=error id="proposal-errors" />
            <p class="proposal__when"><time datetime=proposal.starts_at.clone()>{when}</time></p>
            {(!proposal.message.is_empty()).then(|| view! { <p class="proposal__message">{proposal.message.clone()}</p> })}
            <p class="hint">{td_string!(locale, manage.proposal_until, until = until).to_string()}</p>
            <div class="proposal__answers">
                {answer("accept", td_string!(locale, manage.proposal_accept).to_owned(), "button button--primary")}
                {answer("decline", td_string!(locale, manage.proposal_decline).to_owned(), "button")}
            </div>
        </section>
    }
}

#[component]
fn Ticket(data: ManagePageData, token: String) -> impl IntoView {
    let locale = use_locale();
    let b = data.booking;
    let code = BookingCode::pretty(&b.code);
    let status_key = b.status.as_str();
    let when = format!(
        "{}, {}–{}",
        date_vn(&b.starts_at),
        time_vn(&b.starts_at),
        time_vn(&b.ends_at)
    );
    let created = b.history.len() == 1 && b.status == BookingStatus::Requested;
    let proposal = b.proposal.clone();
    let token_for_proposal = token.clone();
    let token_for_data = token.clone();
    let qr_label = td_string!(locale, manage.qr_label, code = code.clone()).to_string();
    let ics_href = format!("/my-booking/calendar.ics?t={token}");
    let cancel_error = form_error(CancelBooking::PATH);
    let move_error = form_error(RescheduleBooking::PATH);
    let history = b
        .history
        .iter()
        .map(|h| {
            view! {
                <li>
                    <time datetime=h.at.clone()>{format!("{} {}", date_vn(&h.at), time_vn(&h.at))}</time>
                    " – "{h.status.label(locale)}
                </li>
            }
        })
        .collect_view();
    let changes = if b.changeable {
        let calendar = data.calendar;
        let token_for_link = token.clone();
        let link = Callback::new(move |date: String| {
            format!("/my-booking?t={token_for_link}&day={date}#move")
        });
        view! {
            <FormGuard>
                <section class="card" aria-labelledby="move-heading" id="move">
                    <h2 id="move-heading">{td!(locale, manage.move_heading)}</h2>
                    {calendar.map(|c| {
                        let weekday = c.day.as_ref().and_then(|d| c.days.iter().find(|x| &x.date == d)).map(|x| x.weekday);
                        view! {
                            <Calendar days=c.days selected=c.day.clone() link />
                            <form action=RescheduleBooking::PATH method="post" novalidate=true data-check="slot_id">
                                <ErrorSummary error=move_error.clone() id="move-errors" />
                                <input type="hidden" name="token" value=token.clone() />
                                <SlotPicker slots=c.slots.into_iter().filter(|s| s.id != b.slot_id).collect() day=c.day weekday error=field_error(&move_error, "slot_id") />
                                <button type="submit" class="button" data-pending-text=td_string!(locale, booking.submitting)>
                                    {td!(locale, manage.move_submit)}
                                </button>
                            </form>
                        }
                    })}
                </section>
                <section class="card" aria-labelledby="cancel-heading" id="cancel">
                    <h2 id="cancel-heading">{td!(locale, manage.cancel_heading)}</h2>
                    <form action=CancelBooking::PATH method="post" novalidate=true data-check="reason">
                        <ErrorSummary error=cancel_error.clone() id="cancel-errors" />
                        <input type="hidden" name="token" value=token.clone() />
                        <TextArea name="reason" label=td_string!(locale, manage.cancel_reason) hint=None error=field_error(&cancel_error, "reason") required=false maxlength=500 rows=2 />
                        <button type="submit" class="button button--danger" data-pending-text=td_string!(locale, booking.submitting)>
                            {td!(locale, manage.cancel_submit)}
                        </button>
                    </form>
                </section>
            </FormGuard>
        }
        .into_any()
    } else {
        view! { <p class="notice">{td!(locale, manage.not_changeable)}</p> }.into_any()
    };

    view! {
        <article class="ticket" aria-labelledby="ticket-heading">
            {created.then(|| view! { <p class="notice notice--ok" role="status">{td!(locale, manage.created)}</p> })}
            <h1 id="ticket-heading">{td!(locale, manage.ticket_title)}</h1>
            <div class="ticket__top">
                <div>
                    <p class="ticket__code-label">{td!(locale, manage.code_label)}</p>
                    <p class="ticket__code" data-code=b.code.clone()>{code}</p>
                    <p class=format!("status status--{status_key}")>
                        <span class="visually-hidden">{td!(locale, manage.status)}": "</span>
                        {b.status.label(locale)}
                    </p>
                </div>
                <div class="ticket__qr" role="img" aria-label=qr_label inner_html=data.qr_svg></div>
            </div>
            {(b.status == BookingStatus::Requested).then(|| view! { <p class="notice">{td!(locale, manage.requested_note)}</p> })}
            <dl class="ticket__facts">
                <dt>{td!(locale, manage.when)}</dt>
                <dd><time datetime=b.starts_at.clone()>{when}</time></dd>
                <dt>{td!(locale, manage.office)}</dt>
                <dd>{b.office.name.clone()}</dd>
                <dt>{td!(locale, manage.address)}</dt>
                <dd>{b.office.address.clone()}</dd>
                <dt>{td!(locale, manage.name)}</dt>
                <dd>{b.full_name.clone()}" · "{b.topic.label(locale)}</dd>
                <dt>{td!(locale, manage.bring)}</dt>
                <dd>{td!(locale, manage.bring_text)}</dd>
            </dl>
            {(!b.email_given).then(|| view! { <p class="notice">{td!(locale, manage.no_email_note)}</p> })}
            <p class="no-print"><a class="button" href=ics_href download="tiep-dan.ics">{td!(locale, manage.ics)}</a></p>
            <p class="hint">{td!(locale, manage.print_hint)}" "{td!(locale, manage.keep_link)}</p>
        </article>
        <div class="no-print">
            {proposal.map(|proposal| view! { <ProposalCard proposal token=token_for_proposal /> })}
            {changes}
            <section aria-labelledby="history-heading">
                <h2 id="history-heading">{td!(locale, manage.history)}</h2>
                <ol class="history">{history}</ol>
            </section>
            <MyDataCard data=data.my_data token=token_for_data />
            <p><a href="/my-booking">{td!(locale, manage.another)}</a></p>
        </div>
    }
}
