//! `/waitlist`: an entry by its private link (`?t=`), or looked up by its
//! code and phone: where it stands, its place in line, the place on offer
//! with one button to claim it, and one to leave the list. Plain forms: they
//! work before (or without) any script.

use crate::booking::ui::{long_date, CodeLookup};
use crate::booking::waitlist::{
    load_waitlist_entry, ClaimWaitlist, LeaveWaitlist, LookupWaitlist, WaitState, WaitlistDetails,
};
use crate::booking::BookingCode;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::time::{date_vn, time_vn};
use crate::ui::{form_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

#[component]
pub fn WaitlistPage() -> impl IntoView {
    let locale = use_locale();
    let token = use_location()
        .query
        .get_untracked()
        .get("t")
        .filter(|t| !t.is_empty());
    view! {
        // The private link must not leak to other sites through the Referer.
        <Meta name="referrer" content="same-origin" />
        <Meta name="robots" content="noindex" />
        {match token {
            None => view! { <LookupForm expired=false /> }.into_any(),
            Some(token) => {
                let data = Resource::new_blocking(
                    || (),
                    {
                        let token = token.clone();
                        move |_| load_waitlist_entry(token.clone())
                    },
                );
                view! {
                    <Title text=td_string!(locale, waitlist.entry_title) />
                    <Suspense>
                        {move || {
                            let token = token.clone();
                            Suspend::new(async move {
                                match data.await {
                                    Ok(entry) => view! { <Entry entry token /> }.into_any(),
                                    Err(_) => view! { <LookupForm expired=true /> }.into_any(),
                                }
                            })
                        }}
                    </Suspense>
                }
                .into_any()
            }
        }}
    }
}

#[component]
fn LookupForm(expired: bool) -> impl IntoView {
    let locale = use_locale();
    view! {
        <CodeLookup
            action=LookupWaitlist::PATH
            title=td_string!(locale, waitlist.lookup_title)
            intro=None
            code_label=td_string!(locale, waitlist.code)
            expired
        />
    }
}

/// A one-button form posting the entry's token to `action`.
fn button_form(
    action: &'static str,
    token: &str,
    label: &'static str,
    class: &'static str,
) -> impl IntoView {
    view! {
        <form action=action method="post">
            <input type="hidden" name="token" value=token.to_owned() />
            <button type="submit" class=class>{label}</button>
        </form>
    }
}

#[component]
fn Entry(entry: WaitlistDetails, token: String) -> impl IntoView {
    let locale = use_locale();
    let claim_error = form_error(ClaimWaitlist::PATH);
    let leave_error = form_error(LeaveWaitlist::PATH);
    let code = BookingCode::pretty(&entry.code);
    let day = long_date(&entry.day, entry.weekday, locale);
    let time = entry
        .starts_at
        .as_deref()
        .map(time_vn)
        .unwrap_or_else(|| td_string!(locale, waitlist.any_time).to_owned());
    let offer = entry.offer.clone().map(|offer| {
        let when = format!("{}–{}", time_vn(&offer.starts_at), time_vn(&offer.ends_at));
        let until = format!("{} {}", time_vn(&offer.until), date_vn(&offer.until));
        view! {
            <section class="card proposal" aria-labelledby="offer-heading" id="offer">
                <h2 id="offer-heading">{td!(locale, waitlist.offer_heading)}</h2>
                <ErrorSummary error=claim_error.clone() id="claim-errors" />
                <p class="proposal__when"><time datetime=offer.starts_at.clone()>{when}</time></p>
                <p class="hint">{td_string!(locale, waitlist.offer_until, until = until).to_string()}</p>
                {entry.moves_booking.then(|| view! { <p class="notice">{td!(locale, waitlist.moves_booking)}</p> })}
                {button_form(ClaimWaitlist::PATH, &token, td_string!(locale, waitlist.claim), "button button--primary")}
            </section>
        }
    });
    // An offer that ran out before the claim: say so, the entry shows why.
    let late = (entry.offer.is_none()).then_some(claim_error).flatten();
    view! {
        <article class="ticket" aria-labelledby="entry-heading">
            <h1 id="entry-heading">{td!(locale, waitlist.entry_title)}</h1>
            <p class="ticket__code-label">{td!(locale, waitlist.code)}</p>
            <p class="ticket__code" data-code=entry.code.clone()>{code}</p>
            <p class=format!("status status--wait-{}", entry.state.as_str())>
                <span class="visually-hidden">{td!(locale, manage.status)}": "</span>
                {entry.state.label(locale)}
            </p>
            {entry.position.map(|n| view! {
                <p class="notice" role="status">{td_string!(locale, waitlist.position, n = n).to_string()}</p>
            })}
            {late.map(|error| view! { <ErrorSummary error=Some(error) id="claim-errors" /> })}
            <dl class="ticket__facts">
                <dt>{td!(locale, manage.office)}</dt>
                <dd>{entry.office.name.clone()}</dd>
                <dt>{td!(locale, waitlist.day)}</dt>
                <dd>{day}</dd>
                <dt>{td!(locale, waitlist.time)}</dt>
                <dd>{time}</dd>
                <dt>{td!(locale, manage.name)}</dt>
                <dd>{entry.full_name.clone()}</dd>
            </dl>
            {(entry.state == WaitState::Waiting).then(|| view! { <p class="hint">{td!(locale, waitlist.waiting_hint)}</p> })}
        </article>
        {offer}
        {entry.state.active().then(|| view! {
            <section class="card" aria-labelledby="leave-heading" id="leave">
                <h2 id="leave-heading">{td!(locale, waitlist.leave_heading)}</h2>
                <ErrorSummary error=leave_error.clone() id="leave-errors" />
                {button_form(LeaveWaitlist::PATH, &token, td_string!(locale, waitlist.leave), "button button--danger")}
            </section>
        })}
        <p><a href=format!("/book/{}", entry.office.slug)>{td!(locale, waitlist.back_to_booking)}</a></p>
    }
}
