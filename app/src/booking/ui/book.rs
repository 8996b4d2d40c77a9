//! `/book/{office}`: pick a day, a time, fill in the form, send.
//! Complete without JavaScript: days are links, times are radio buttons,
//! the form posts to `POST /api/bookings/create`.

use super::{Calendar, SlotPicker};
use crate::booking::{
    load_booking_page, BookingPageData, CitizenFields, CreateBooking, FormGuard, Topic, VisitFields,
};
use crate::error::AppError;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::ui::NotFound;
use crate::ui::{field_error, form_error, ErrorSummary, FieldNotes, TextArea, TextField};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

#[component]
pub fn BookingPage() -> impl IntoView {
    let locale = use_locale();
    let office = use_params_map()
        .get_untracked()
        .get("office")
        .unwrap_or_default();
    let day = use_location().query.get_untracked().get("day");
    let data = Resource::new_blocking(
        || (),
        move |_| load_booking_page(office.clone(), day.clone()),
    );
    view! {
        <Title text=td_string!(locale, booking.title) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <BookingForm data /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! {
                        <h1>{td!(locale, booking.title)}</h1>
                        <p class="notice notice--error" role="alert">{td!(locale, booking.unavailable)}</p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BookingForm(data: BookingPageData) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(CreateBooking::PATH);
    let slug = data.office.slug.clone();
    let link = {
        let slug = slug.clone();
        Callback::new(move |date: String| format!("/book/{slug}?day={date}#slots"))
    };
    let wait_link = Callback::new(move |date: String| format!("/book/{slug}/wait?day={date}"));
    let weekday = data
        .day
        .as_ref()
        .and_then(|d| data.days.iter().find(|c| &c.date == d))
        .map(|c| c.weekday);
    let any_open = data
        .days
        .iter()
        .any(|d| d.state != crate::booking::DayState::Closed);
    #[cfg(feature = "ssr")]
    let request_id = uuid::Uuid::new_v4().to_string();
    #[cfg(not(feature = "ssr"))]
    let request_id = String::new();
    let draft = data.draft.clone().unwrap_or_default();
    let d = draft.clone();
    let consent_text = data.consent.text.clone();
    let checked_slot = draft.slot_id.trim().parse::<i64>().ok();
    let checks = "slot_id full_name citizen_id phone email topic summary party_size representatives needs consent";
    let e = {
        let error = error.clone();
        move |name: &str| field_error(&error, name)
    };

    view! {
        <h1>{td!(locale, booking.title)}</h1>
        <p class="lead">
            <strong>{data.office.name.clone()}</strong>
            <br />
            {data.office.address.clone()}
        </p>
        <section aria-labelledby="days-heading">
            <h2 id="days-heading">{td!(locale, booking.choose_day)}</h2>
            {if any_open {
                view! {
                    <p class="hint">{td!(locale, booking.calendar_hint)}</p>
                    <Calendar days=data.days.clone() selected=data.day.clone() link wait_link />
                }
                .into_any()
            } else {
                view! { <p class="notice">{td!(locale, booking.no_days)}</p> }.into_any()
            }}
        </section>
        <FormGuard>
            <form
                class="booking-form"
                action=CreateBooking::PATH
                method="post"
                novalidate=true
                data-check=checks
            >
                <ErrorSummary error=error.clone() id="booking-errors" />
                <input type="hidden" name="request_id" value=request_id />
                <section id="slots" aria-labelledby="slots-heading">
                    <h2 id="slots-heading">{td!(locale, booking.choose_slot)}</h2>
                    <SlotPicker slots=data.slots.clone() day=data.day.clone() weekday error=e("slot_id") checked=checked_slot.unwrap_or_default() />
                </section>
                <CitizenDetails citizen=d.citizen.clone() visit=d.visit.clone() error=error.clone() email_required=false />
                <ConsentField given=d.consent_given() text=consent_text.clone() error=error.clone() />
                <button type="submit" class="button button--primary" data-pending-text=td_string!(locale, booking.submitting)>
                    {td!(locale, booking.submit)}
                </button>
            </form>
        </FormGuard>
    }
}

/// Who comes and about what: the fields every citizen form shares (the
/// booking form, the waiting list's), filled with what was typed before.
#[component]
pub fn CitizenDetails(
    citizen: CitizenFields,
    visit: VisitFields,
    error: Option<AppError>,
    /// The waiting list needs an e-mail: its offer comes by mail.
    email_required: bool,
) -> impl IntoView {
    let locale = use_locale();
    let (email_label, email_hint) = if email_required {
        (
            td_string!(locale, waitlist.email),
            td_string!(locale, waitlist.email_hint),
        )
    } else {
        (
            td_string!(locale, booking.email),
            td_string!(locale, booking.email_hint),
        )
    };
    let e = {
        let error = error.clone();
        move |name: &str| field_error(&error, name)
    };
    let invalid = move |name: &str| field_error(&error, name).map(|_| "true");
    view! {
        <section aria-labelledby="details-heading">
            <h2 id="details-heading">{td!(locale, booking.your_details)}</h2>
            <TextField name="full_name" label=td_string!(locale, booking.full_name) hint=Some(td_string!(locale, booking.full_name_hint)) error=e("full_name") autocomplete="name" required=true maxlength=100 value=citizen.full_name.clone() />
            <TextField name="citizen_id" label=td_string!(locale, booking.citizen_id) hint=Some(td_string!(locale, booking.citizen_id_hint)) error=e("citizen_id") autocomplete="off" inputmode="numeric" required=true maxlength=15 value=citizen.citizen_id.clone() />
            <TextField name="phone" label=td_string!(locale, booking.phone) hint=Some(td_string!(locale, booking.phone_hint)) error=e("phone") autocomplete="tel" kind="tel" required=true maxlength=20 value=citizen.phone.clone() />
            <TextField name="email" label=email_label hint=Some(email_hint) error=e("email") autocomplete="email" kind="email" required=email_required maxlength=254 value=citizen.email.clone() />
            <fieldset class="field choice" id="f-topic" aria-describedby="f-topic-error" aria-invalid=invalid("topic")>
                <legend>{td!(locale, booking.topic)}" "<span class="req">{td!(locale, booking.required_mark)}</span></legend>
                {Topic::ALL
                    .into_iter()
                    .map(|topic| {
                        let id = format!("topic-{}", topic.as_str());
                        view! {
                            <div class="choice__item">
                                <input type="radio" name="topic" id=id.clone() value=topic.as_str() checked=visit.topic == topic.as_str() />
                                <label for=id>{topic.label(locale)}</label>
                            </div>
                        }
                    })
                    .collect_view()}
                <FieldNotes name="topic" hint=None error=e("topic") />
            </fieldset>
            <TextArea name="summary" label=td_string!(locale, booking.summary) hint=Some(td_string!(locale, booking.summary_hint)) error=e("summary") required=true maxlength=2000 rows=5 value=visit.summary.clone() />
            <TextField name="party_size" label=td_string!(locale, booking.party_size) hint=Some(td_string!(locale, booking.party_hint)) error=e("party_size") autocomplete="off" inputmode="numeric" required=true maxlength=3 value=if visit.party_size.is_empty() { "1".to_owned() } else { visit.party_size.clone() } />
            <TextArea name="representatives" label=td_string!(locale, booking.representatives) hint=Some(td_string!(locale, booking.representatives_hint)) error=e("representatives") required=false maxlength=600 rows=3 value=visit.representatives.clone() />
            <TextArea name="needs" label=td_string!(locale, booking.needs) hint=Some(td_string!(locale, booking.needs_hint)) error=e("needs") required=false maxlength=500 rows=2 value=visit.needs.clone() />
            <div class="field check">
                <input type="checkbox" name="interpreter" id="f-interpreter" value="true" checked=visit.interpreter_asked() />
                <label for="f-interpreter">{td!(locale, booking.interpreter)}</label>
            </div>
        </section>
    }
}

/// The consent box, required to send a citizen form.
#[component]
pub fn ConsentField(given: bool, text: String, error: Option<AppError>) -> impl IntoView {
    let locale = use_locale();
    let e = {
        let error = error.clone();
        move |name: &str| field_error(&error, name)
    };
    let invalid = move |name: &str| field_error(&error, name).map(|_| "true");
    view! {
        <section aria-labelledby="consent-heading">
            <h2 id="consent-heading">{td!(locale, booking.consent_heading)}</h2>
            <div class="field check">
                <input type="checkbox" name="consent" id="f-consent" value="true" checked=given required=true aria-describedby="f-consent-error" aria-invalid=invalid("consent") />
                <label for="f-consent">{text}</label>
            </div>
            <p class="hint"><a class="tap" href="/privacy">{td!(locale, booking.privacy_link)}</a></p>
            <FieldNotes name="consent" hint=None error=e("consent") />
        </section>
    }
}
