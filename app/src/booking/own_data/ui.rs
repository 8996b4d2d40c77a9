//! The ticket page's "your personal data" card (what is held, the
//! download, the withdrawal) and the page a withdrawal lands on. Plain
//! forms: they work the same with or without JavaScript.

use super::{DownloadMyData, MyData, WithdrawConsent, WithdrawalOutcome};
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::time::date_vn;
use crate::ui::{field_error, form_error, ErrorSummary, FieldNotes, TextField};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// Everything held about the booking, with the download and the
/// withdrawal of consent.
#[component]
pub fn MyDataCard(data: MyData, token: String) -> impl IntoView {
    let locale = use_locale();
    let none = || td_string!(locale, my_data.none).to_owned();
    let download_error = form_error(DownloadMyData::PATH);
    let withdraw_error = form_error(WithdrawConsent::PATH);
    let basis = match (&data.consent_version, &data.consented_at) {
        (Some(version), Some(at)) => td_string!(
            locale,
            my_data.basis_consent,
            version = version.clone(),
            date = date_vn(at)
        )
        .to_string(),
        _ => td_string!(locale, my_data.basis_duty).to_owned(),
    };
    let withdraw_note = if data.upcoming {
        td_string!(locale, my_data.withdraw_upcoming)
    } else if data.received {
        td_string!(locale, my_data.withdraw_received)
    } else {
        td_string!(locale, my_data.withdraw_other)
    };
    let cccd = td_string!(
        locale,
        my_data.citizen_id_end,
        end = data.citizen_id_end.clone()
    )
    .to_string();
    let representatives = if data.representatives.is_empty() {
        none()
    } else {
        data.representatives.join(", ")
    };
    view! {
        <section class="card my-data" aria-labelledby="my-data-heading" id="my-data">
            <h2 id="my-data-heading">{td!(locale, my_data.heading)}</h2>
            <p class="hint">{td!(locale, my_data.intro)}</p>
            <dl class="ticket__facts">
                <dt>{td!(locale, my_data.full_name)}</dt>
                <dd>{data.full_name.clone()}</dd>
                <dt>{td!(locale, my_data.citizen_id)}</dt>
                <dd>{cccd}</dd>
                <dt>{td!(locale, my_data.phone)}</dt>
                <dd>{data.phone.clone()}</dd>
                <dt>{td!(locale, my_data.email)}</dt>
                <dd>{data.email.clone().unwrap_or_else(none)}</dd>
                <dt>{td!(locale, my_data.topic)}</dt>
                <dd>{data.topic.label(locale)}</dd>
                <dt>{td!(locale, my_data.summary)}</dt>
                <dd class="my-data__summary">{data.summary.clone()}</dd>
                <dt>{td!(locale, my_data.party_size)}</dt>
                <dd>{data.party_size}</dd>
                <dt>{td!(locale, my_data.representatives)}</dt>
                <dd>{representatives}</dd>
                <dt>{td!(locale, my_data.needs)}</dt>
                <dd>{if data.needs.is_empty() { none() } else { data.needs.clone() }}</dd>
                <dt>{td!(locale, my_data.interpreter)}</dt>
                <dd>{if data.interpreter { td_string!(locale, my_data.yes).to_owned() } else { none() }}</dd>
                <dt>{td!(locale, my_data.basis)}</dt>
                <dd>{basis}</dd>
            </dl>
            <p class="hint">{td!(locale, my_data.not_included)}</p>

            <h3 id="download-heading">{td!(locale, my_data.download_heading)}</h3>
            <form action=DownloadMyData::PATH method="post" novalidate=true aria-labelledby="download-heading">
                <ErrorSummary error=download_error.clone() id="download-errors" />
                <input type="hidden" name="token" value=token.clone() />
                {if data.private_link {
                    view! { <p class="hint">{td!(locale, my_data.download_hint_link)}</p> }.into_any()
                } else {
                    view! {
                        <p class="hint">{td!(locale, my_data.download_hint_cccd)}</p>
                        <TextField name="citizen_id" label=td_string!(locale, booking.citizen_id) hint=None error=field_error(&download_error, "citizen_id") autocomplete="off" inputmode="numeric" required=true maxlength=14 />
                    }
                    .into_any()
                }}
                <button type="submit" class="button">{td!(locale, my_data.download_submit)}</button>
            </form>

            <h3 id="withdraw-heading">{td!(locale, my_data.withdraw_heading)}</h3>
            <form action=WithdrawConsent::PATH method="post" novalidate=true aria-labelledby="withdraw-heading">
                <ErrorSummary error=withdraw_error.clone() id="withdraw-errors" />
                <input type="hidden" name="token" value=token />
                <p>{withdraw_note}</p>
                <div class="field check">
                    <input type="checkbox" name="confirm" id="f-confirm" value="true" required=true aria-describedby="f-confirm-error" aria-invalid=field_error(&withdraw_error, "confirm").map(|_| "true") />
                    <label for="f-confirm">{td!(locale, my_data.withdraw_confirm)}</label>
                </div>
                <FieldNotes name="confirm" hint=None error=field_error(&withdraw_error, "confirm") />
                <button type="submit" class="button button--danger">{td!(locale, my_data.withdraw_submit)}</button>
            </form>
        </section>
    }
}

/// Where a withdrawal lands: what was done and what stays.
#[component]
pub fn WithdrawnNotice(outcome: WithdrawalOutcome) -> impl IntoView {
    let locale = use_locale();
    let text = match outcome {
        WithdrawalOutcome::Cancelled => td_string!(locale, my_data.withdrawn_cancelled),
        WithdrawalOutcome::Erased => td_string!(locale, my_data.withdrawn_erased),
        WithdrawalOutcome::ContactErased => td_string!(locale, my_data.withdrawn_contact_erased),
    };
    view! {
        <Title text=td_string!(locale, my_data.withdrawn_title) />
        <h1>{td!(locale, my_data.withdrawn_title)}</h1>
        <p class="notice notice--ok" role="status">{text}</p>
        <p><a class="button" href="/">{td!(locale, my_data.book_again)}</a></p>
    }
}
