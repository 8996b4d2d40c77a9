//! `/book/{office}/wait?day=YYYY-MM-DD`: the booking form's fields for a
//! full day, the time asked for (or any time), posted to
//! `POST /api/waitlist/join`. Complete without JavaScript.

use crate::booking::ui::{long_date, CitizenDetails, ConsentField};
use crate::booking::waitlist::{load_waitlist_page, JoinWaitlist, WaitlistPageData};
use crate::booking::FormGuard;
use crate::error::AppError;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::time::time_vn;
use crate::ui::{field_error, form_error, ErrorSummary, FieldNotes, NotFound};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_location, use_params_map};

#[component]
pub fn JoinWaitlistPage() -> impl IntoView {
    let locale = use_locale();
    let office = use_params_map()
        .get_untracked()
        .get("office")
        .unwrap_or_default();
    let day = use_location()
        .query
        .get_untracked()
        .get("day")
        .unwrap_or_default();
    let data = Resource::new_blocking(
        || (),
        move |_| load_waitlist_page(office.clone(), day.clone()),
    );
    view! {
        <Title text=td_string!(locale, waitlist.join_title) />
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <JoinForm data /> }.into_any(),
                    Err(AppError::NotFound) | Err(AppError::Validation { .. }) => {
                        view! { <NotFound /> }.into_any()
                    }
                    Err(_) => view! {
                        <h1>{td!(locale, waitlist.join_title)}</h1>
                        <p class="notice notice--error" role="alert">{td!(locale, booking.unavailable)}</p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn JoinForm(data: WaitlistPageData) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(JoinWaitlist::PATH);
    let date = long_date(&data.day, data.weekday, locale);
    let book_href = format!("/book/{}?day={}#slots", data.office.slug, data.day);
    let intro = view! {
        <h1>{td!(locale, waitlist.join_title)}</h1>
        <p class="lead">
            <strong>{data.office.name.clone()}</strong>
            <br />
            {date.clone()}
        </p>
    };
    if !data.full {
        // The day has room (or no time left to wait for): nothing to join.
        let text = if data.times.is_empty() {
            td_string!(locale, waitlist.nothing_to_wait_for)
        } else {
            td_string!(locale, waitlist.day_has_room)
        };
        return view! {
            {intro}
            <p class="notice">{text}</p>
            <p><a class="button button--primary" href=book_href>{td!(locale, waitlist.book_instead)}</a></p>
        }
        .into_any();
    }
    let d = data.draft.clone().unwrap_or_default();
    let consent_text = data.consent.text.clone();
    let asked = d.slot_id.trim().to_owned();
    let e = {
        let error = error.clone();
        move |name: &str| field_error(&error, name)
    };
    let invalid = {
        let error = error.clone();
        move |name: &str| field_error(&error, name).map(|_| "true")
    };
    let times = data
        .times
        .iter()
        .map(|t| {
            let value = t.id.to_string();
            let selected = asked == value;
            view! {
                <option value=value selected=selected>
                    {format!("{}–{}", time_vn(&t.starts_at), time_vn(&t.ends_at))}
                </option>
            }
        })
        .collect_view();
    let checks =
        "full_name citizen_id phone email topic summary party_size representatives needs consent";
    view! {
        {intro}
        <p>{td!(locale, waitlist.join_intro)}</p>
        <FormGuard>
            <form class="booking-form" action=JoinWaitlist::PATH method="post" novalidate=true data-check=checks>
                <ErrorSummary error=error.clone() id="wait-errors" />
                <input type="hidden" name="office" value=data.office.slug.clone() />
                <input type="hidden" name="day" value=data.day.clone() />
                <div class="field">
                    <label for="f-slot_id">{td!(locale, waitlist.time)}</label>
                    <select id="f-slot_id" name="slot_id" aria-describedby="f-slot_id-error" aria-invalid=invalid("slot_id")>
                        <option value="" selected=asked.is_empty()>{td!(locale, waitlist.any_time)}</option>
                        {times}
                    </select>
                    <FieldNotes name="slot_id" hint=None error=e("slot_id") />
                </div>
                <CitizenDetails citizen=d.citizen.clone() visit=d.visit.clone() error=error.clone() email_required=true />
                <ConsentField given=d.consent.is_some() text=consent_text.clone() error=error.clone() />
                <button type="submit" class="button button--primary" data-pending-text=td_string!(locale, booking.submitting)>
                    {td!(locale, waitlist.join_submit)}
                </button>
            </form>
        </FormGuard>
    }
    .into_any()
}
