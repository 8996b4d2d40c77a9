//! `/staff/sign-in`.

use crate::error::AppError;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::staff::StaffLogin;
use crate::ui::TextField;
use crate::ui::{field_error, form_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let signed_out = query.get_str("signed_out").is_some();
    let password_set = query.get_str("password_set").is_some();
    let error = form_error(StaffLogin::PATH);
    let e = {
        let error = error.clone();
        move |name: &str| field_error(&error, name)
    };
    // Unknown e-mail and wrong password read the same.
    let top = match &error {
        Some(AppError::Unauthorized) => {
            Some(td_string!(locale, staff.wrong_credentials).to_owned())
        }
        Some(AppError::Validation { .. }) | None => None,
        Some(other) => Some(other.message(locale).to_owned()),
    };
    let summary = match &error {
        Some(AppError::Validation { .. }) => error.clone(),
        _ => None,
    };
    view! {
        <Title text=td_string!(locale, staff.sign_in_title) />
        <Meta name="robots" content="noindex" />
        <h1>{td!(locale, staff.sign_in_title)}</h1>
        <p class="lead">{td!(locale, staff.sign_in_intro)}</p>
        {signed_out.then(|| view! { <p class="notice notice--ok" role="status">{td!(locale, staff.signed_out)}</p> })}
        {password_set.then(|| view! { <p class="notice notice--ok" role="status">{td!(locale, staff.password_set)}</p> })}
        {top.map(|message| view! { <p class="notice notice--error" role="alert" id="sign-in-error">{message}</p> })}
        <form class="sign-in-form" action=StaffLogin::PATH method="post" novalidate=true>
            <ErrorSummary error=summary id="sign-in-errors" />
            <TextField name="email" label=td_string!(locale, staff.email) hint=None error=e("email") autocomplete="username" kind="email" required=true maxlength=254 />
            <TextField name="password" label=td_string!(locale, staff.password) hint=None error=e("password") autocomplete="current-password" kind="password" required=true maxlength=1024 />
            <button type="submit" class="button button--primary">{td!(locale, staff.sign_in)}</button>
        </form>
    }
    .into_any()
}
