//! `/track`: a citizen follows a case with its tracking code and a second
//! factor; the form posts to the case API, which sends the browser to the
//! case's private, short-lived page (`?t=`). That page shows the status,
//! the public timeline, the handling agency and the deadline, and lets the
//! citizen opt in to an e-mail at every step.

use crate::cases::{
    load_case_page, CaseNotify, ConfirmCaseEmail, LookupCase, TrackedCase, TrackingCode,
};
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::time::{date_vn, time_vn};
use crate::ui::TextField;
use crate::ui::{field_error, form_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

#[component]
pub fn TrackPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let token = query.get("t").filter(|t| !t.is_empty());
    let saved = if query.get("email_sent").is_some() {
        Some(Saved::EmailSent)
    } else if query.get("email_confirmed").is_some() {
        Some(Saved::EmailConfirmed)
    } else {
        query.get("saved").map(|_| Saved::Choice)
    };
    view! {
        // The private link must not leak to other sites through the Referer.
        <Meta name="referrer" content="same-origin" />
        {match token {
            None => view! { <TrackForm expired=false /> }.into_any(),
            Some(token) => {
                let data = Resource::new_blocking(|| (), {
                    let token = token.clone();
                    move |_| load_case_page(token.clone())
                });
                view! {
                    <Title text=td_string!(locale, track.case_title) />
                    <Meta name="robots" content="noindex" />
                    <Suspense>
                        {move || {
                            let token = token.clone();
                            Suspend::new(async move {
                                match data.await {
                                    Ok(page) => view! { <CaseView page token saved /> }.into_any(),
                                    Err(_) => view! { <TrackForm expired=true /> }.into_any(),
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

/// What the page was sent back to say.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Saved {
    Choice,
    EmailSent,
    EmailConfirmed,
}

/// `/track/email?t=…`: the link sent to a new address. Confirming is a
/// button, not the link itself, so mail scanners that open every link do
/// not confirm for the citizen.
#[component]
pub fn TrackEmailPage() -> impl IntoView {
    let locale = use_locale();
    let token = use_location()
        .query
        .get_untracked()
        .get("t")
        .unwrap_or_default();
    let error = form_error(ConfirmCaseEmail::PATH);
    view! {
        <Meta name="referrer" content="same-origin" />
        <Meta name="robots" content="noindex" />
        <Title text=td_string!(locale, track.confirm_title) />
        <h1>{td!(locale, track.confirm_title)}</h1>
        {error.is_some().then(|| view! { <p class="notice notice--error" role="alert">{td!(locale, track.confirm_expired)}</p> })}
        <p class="lead">{td!(locale, track.confirm_intro)}</p>
        <form action=ConfirmCaseEmail::PATH method="post">
            <input type="hidden" name="t" value=token />
            <button type="submit" class="button button--primary">{td!(locale, track.confirm_submit)}</button>
        </form>
    }
    .into_any()
}

#[component]
fn TrackForm(expired: bool) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(LookupCase::PATH);
    view! {
        <Title text=td_string!(locale, track.title) />
        <h1>{td!(locale, track.title)}</h1>
        {expired.then(|| view! { <p class="notice notice--error" role="alert">{td!(locale, track.link_expired)}</p> })}
        <p class="lead">{td!(locale, track.intro)}</p>
        <form class="lookup-form" action=LookupCase::PATH method="post" novalidate=true>
            <ErrorSummary error=error.clone() id="track-errors" />
            <TextField name="code" label=td_string!(locale, track.code) hint=Some(td_string!(locale, track.code_hint)) error=field_error(&error, "code") autocomplete="off" required=true maxlength=14 />
            <TextField name="verifier" label=td_string!(locale, track.verifier) hint=Some(td_string!(locale, track.verifier_hint)) error=field_error(&error, "verifier") autocomplete="off" required=true maxlength=20 />
            <button type="submit" class="button button--primary">{td!(locale, track.submit)}</button>
        </form>
    }
    .into_any()
}

#[component]
fn CaseView(page: TrackedCase, token: String, saved: Option<Saved>) -> impl IntoView {
    let locale = use_locale();
    let c = page.case;
    let code = TrackingCode::parse(&c.code)
        .map(|code| code.display())
        .unwrap_or_else(|_| c.code.clone());
    let notify_error = form_error(CaseNotify::PATH);
    let due = c.due_at.clone().map(|due| {
        let overdue = c.overdue;
        view! {
            <dt>{td!(locale, track.due)}</dt>
            <dd class:overdue=overdue>
                <time datetime=due.clone()>{date_vn(&due)}</time>
                {overdue.then(|| view! { " – "<strong>{td!(locale, track.overdue)}</strong> })}
            </dd>
        }
    });
    let timeline = c
        .timeline
        .iter()
        .rev()
        .map(|step| {
            view! {
                <li>
                    <time datetime=step.at.clone()>{format!("{} {}", date_vn(&step.at), time_vn(&step.at))}</time>
                    " – "<strong>{step.label.clone()}</strong>
                    {(!step.note.is_empty()).then(|| view! { <p class="timeline__note">{step.note.clone()}</p> })}
                </li>
            }
        })
        .collect_view();
    let notify_form = {
        let subscribed = page.notify;
        let hint = page.email_hint.clone();
        let pending = page.email_pending.clone();
        let saved_note = saved.map(|saved| match saved {
            Saved::Choice => td_string!(locale, track.notify_saved),
            Saved::EmailSent => td_string!(locale, track.email_sent),
            Saved::EmailConfirmed => td_string!(locale, track.email_confirmed),
        });
        view! {
            <section class="card" aria-labelledby="notify-heading" id="notify">
                <h2 id="notify-heading">{td!(locale, track.notify_heading)}</h2>
                {saved_note.map(|note| view! { <p class="notice notice--ok" role="status">{note}</p> })}
                {pending.map(|p| view! { <p>{td!(locale, track.email_pending)}" "{p}</p> })}
                <p>
                    {if subscribed { td_string!(locale, track.notify_on) } else { td_string!(locale, track.notify_off) }}
                    {hint.clone().map(|h| view! { " ("{h}")" })}
                </p>
                <form action=CaseNotify::PATH method="post" novalidate=true>
                    <ErrorSummary error=notify_error.clone() id="notify-errors" />
                    <input type="hidden" name="t" value=token.clone() />
                    {(!subscribed).then(|| view! {
                        <input type="hidden" name="notify" value="on" />
                        <TextField name="email" label=td_string!(locale, track.email) hint=Some(td_string!(locale, track.email_hint)) error=field_error(&notify_error, "email") autocomplete="email" kind="email" required=hint.is_none() maxlength=254 />
                    })}
                    <button type="submit" class="button">
                        {if subscribed { td_string!(locale, track.notify_stop) } else { td_string!(locale, track.notify_start) }}
                    </button>
                </form>
            </section>
        }
    };
    view! {
        <article class="case" aria-labelledby="case-heading">
            <h1 id="case-heading">{td!(locale, track.case_title)}</h1>
            <p class="ticket__code-label">{td!(locale, track.code_label)}</p>
            <p class="ticket__code" data-code=c.code.clone()>{code}</p>
            <p class=format!("status status--case-{}", c.status.as_str())>
                <span class="visually-hidden">{td!(locale, track.status)}": "</span>
                {c.status_label.clone()}
            </p>
            <dl class="ticket__facts">
                <dt>{td!(locale, track.kind)}</dt>
                <dd>{c.kind.label(locale)}</dd>
                <dt>{td!(locale, track.agency)}</dt>
                <dd>{c.agency.clone()}</dd>
                <dt>{td!(locale, track.received)}</dt>
                <dd><time datetime=c.received_at.clone()>{date_vn(&c.received_at)}</time></dd>
                {due}
            </dl>
            <section aria-labelledby="timeline-heading">
                <h2 id="timeline-heading">{td!(locale, track.timeline)}</h2>
                <ol class="history timeline" reversed=true>{timeline}</ol>
            </section>
        </article>
        {notify_form}
        <p><a href="/track">{td!(locale, track.another)}</a></p>
    }
    .into_any()
}
