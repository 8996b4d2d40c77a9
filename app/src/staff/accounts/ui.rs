//! `/staff/accounts` (administrators), `/staff/password` (every member) and
//! `/staff/set-password?t=` (the one-time link).

use crate::error::AppError;
use crate::i18n::{td, td_string, Locale};
use crate::locale::use_locale;
use crate::staff::accounts::{
    staff_accounts, AccountInfo, AccountsView, StaffAccountCreate, StaffAccountReset,
    StaffAccountUpdate, StaffChangePassword, StaffSetPassword,
};
use crate::staff::ui::{SignInNeeded, StaffBar};
use crate::staff::{staff_me, OfficeChoice, Role};
use crate::ui::{field_error, form_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

/// A labelled input with its error; ids are `{form}-{name}`.
fn field(
    form: &str,
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    error: &Option<AppError>,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let message = field_error(error, name);
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type=kind name=name autocomplete=autocomplete required=true
                aria-invalid=message.as_ref().map(|_| "true") aria-describedby=error_id.clone() />
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

fn role_select(form: &str, current: Option<Role>, locale: Locale) -> impl IntoView {
    let id = format!("{form}-role");
    let options = Role::ALL
        .into_iter()
        .map(|r| {
            view! { <option value=r.as_str() selected=current == Some(r)>{r.label(locale)}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{td!(locale, staff.role)}</label>
            <select id=id name="role">{options}</select>
        </div>
    }
}

fn office_boxes(
    form: &str,
    offices: &[OfficeChoice],
    checked: &[String],
    locale: Locale,
) -> impl IntoView {
    let boxes = offices
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let id = format!("{form}-office-{}", o.slug);
            view! {
                <div class="choice__item">
                    <input id=id.clone() type="checkbox" name=format!("offices[{i}]") value=o.slug.clone() checked=checked.contains(&o.slug) />
                    <label for=id>{o.name.clone()}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="choice">
            <legend>{td!(locale, staff.offices)}</legend>
            {boxes}
        </fieldset>
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let done = query.get("done").filter(|_| query.get("__err").is_none());
    let data = Resource::new_blocking(
        || (),
        |_| async move {
            let me = staff_me().await?;
            let accounts = staff_accounts().await?;
            Ok::<_, AppError>((me, accounts))
        },
    );
    view! {
        <Title text=td_string!(locale, staff.accounts_title) />
        <Suspense>
            {move || {
                let done = done.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((me, view)) => view! { <StaffBar me /> <Accounts view done /> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInNeeded /> }.into_any(),
                        Err(error) => view! {
                            <h1>{td!(locale, staff.accounts_title)}</h1>
                            <p class="notice notice--error" role="alert">{error.message(locale)}</p>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Accounts(view: AccountsView, done: Option<String>) -> impl IntoView {
    let locale = use_locale();
    let create_error = form_error(StaffAccountCreate::PATH);
    let other_error =
        form_error(StaffAccountUpdate::PATH).or_else(|| form_error(StaffAccountReset::PATH));
    let offices = view.offices.clone();
    let rows = view
        .accounts
        .into_iter()
        .map(|a| view! { <AccountCard account=a offices=offices.clone() /> })
        .collect_view();
    view! {
        <h1>{td!(locale, staff.accounts_title)}</h1>
        {done.map(|_| view! { <p class="notice notice--ok" role="status" id="accounts-flash">{td!(locale, staff.schedule_saved)}</p> })}
        {other_error.map(|e| {
            let detail = match &e {
                AppError::Validation { fields } => fields.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" "),
                _ => String::new(),
            };
            view! { <p class="notice notice--error" role="alert" id="accounts-error">{e.message(locale)}" "{detail}</p> }
        })}
        <section class="card" aria-labelledby="create-heading">
            <h2 id="create-heading">{td!(locale, staff.account_create)}</h2>
            <p class="hint">{td!(locale, staff.account_create_hint)}</p>
            <form action=StaffAccountCreate::PATH method="post" novalidate=true>
                <ErrorSummary error=create_error.clone() id="create-errors" prefix="create" />
                {field("create", "email", td_string!(locale, staff.email), "email", "off", &create_error)}
                {field("create", "display_name", td_string!(locale, staff.name), "text", "off", &create_error)}
                {role_select("create", None, locale)}
                {office_boxes("create", &view.offices, &[], locale)}
                <p class="field-error" id="create-offices-error">{field_error(&create_error, "offices")}</p>
                {field("create", "password", td_string!(locale, staff.your_password), "password", "current-password", &create_error)}
                <button type="submit" class="button button--primary">{td!(locale, staff.account_create_submit)}</button>
            </form>
        </section>
        <section aria-labelledby="accounts-heading">
            <h2 id="accounts-heading">{td!(locale, staff.accounts_list)}</h2>
            <ul class="desk-list">{rows}</ul>
        </section>
    }
    .into_any()
}

#[component]
fn AccountCard(account: AccountInfo, offices: Vec<OfficeChoice>) -> impl IntoView {
    let locale = use_locale();
    let form = format!(
        "acct-{}",
        account
            .email
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let status = if account.active {
        td_string!(locale, staff.account_active)
    } else {
        td_string!(locale, staff.account_disabled)
    };
    let active_id = format!("{form}-active");
    let pw_id = format!("{form}-password");
    let reset_pw_id = format!("{form}-reset-password");
    view! {
        <li>
            <article class="desk-card" aria-labelledby=format!("{form}-name")>
                <h3 class="desk-card__name" id=format!("{form}-name")>{account.display_name.clone()}</h3>
                <p>{account.email.clone()}" · "{account.role.label(locale)}" · "{status}
                    {account.totp.then(|| view! { " · "{td!(locale, staff.account_totp)} })}</p>
                <details class="desk-more">
                    <summary>{td!(locale, staff.account_edit)}<span class="visually-hidden">" "{account.email.clone()}</span></summary>
                    <form action=StaffAccountUpdate::PATH method="post">
                        <input type="hidden" name="email" value=account.email.clone() />
                        {role_select(&form, Some(account.role), locale)}
                        {office_boxes(&form, &offices, &account.offices, locale)}
                        <div class="choice__item">
                            <input id=active_id.clone() type="checkbox" name="active" value="true" checked=account.active />
                            <label for=active_id>{td!(locale, staff.account_may_sign_in)}</label>
                        </div>
                        <div class="field">
                            <label for=pw_id.clone()>{td!(locale, staff.your_password)}</label>
                            <input id=pw_id type="password" name="password" autocomplete="current-password" required=true />
                        </div>
                        <button type="submit" class="button button--primary">{td!(locale, staff.save)}<span class="visually-hidden">" "{account.email.clone()}</span></button>
                    </form>
                    <form action=StaffAccountReset::PATH method="post" class="rule-form">
                        <input type="hidden" name="email" value=account.email.clone() />
                        <div class="field">
                            <label for=reset_pw_id.clone()>{td!(locale, staff.your_password)}</label>
                            <input id=reset_pw_id type="password" name="password" autocomplete="current-password" required=true />
                        </div>
                        <button type="submit" class="button button--danger">{td!(locale, staff.account_reset)}<span class="visually-hidden">" "{account.email.clone()}</span></button>
                    </form>
                </details>
            </article>
        </li>
    }
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let done = query.get("done").is_some() && query.get("__err").is_none();
    let error = form_error(StaffChangePassword::PATH);
    let me = Resource::new_blocking(|| (), |_| staff_me());
    view! {
        <Title text=td_string!(locale, staff.password_title) />
        <Suspense>
            {move || {
                let error = error.clone();
                Suspend::new(async move {
                    match me.await {
                        Ok(me) => view! {
                            <StaffBar me />
                            <h1>{td!(locale, staff.password_title)}</h1>
                            {done.then(|| view! { <p class="notice notice--ok" role="status" id="password-flash">{td!(locale, staff.password_changed)}</p> })}
                            <p class="hint">{td!(locale, staff.password_hint)}</p>
                            <form class="sign-in-form" action=StaffChangePassword::PATH method="post" novalidate=true>
                                <ErrorSummary error=error.clone() id="password-errors" prefix="pw" />
                                {field("pw", "current_password", td_string!(locale, staff.current_password), "password", "current-password", &error)}
                                {field("pw", "new_password", td_string!(locale, staff.new_password), "password", "new-password", &error)}
                                {field("pw", "confirm_password", td_string!(locale, staff.confirm_password), "password", "new-password", &error)}
                                <button type="submit" class="button button--primary">{td!(locale, staff.save)}</button>
                            </form>
                        }
                        .into_any(),
                        Err(_) => view! { <SignInNeeded /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().query.get_untracked();
    let token = query.get("t").unwrap_or_default();
    let error = form_error(StaffSetPassword::PATH);
    let expired = matches!(error, Some(AppError::NotFound));
    view! {
        <Title text=td_string!(locale, staff.set_password_title) />
        // The link's token must not leak to other sites.
        <Meta name="referrer" content="same-origin" />
        <Meta name="robots" content="noindex" />
        <h1>{td!(locale, staff.set_password_title)}</h1>
        {expired.then(|| view! { <p class="notice notice--error" role="alert">{td!(locale, staff.link_expired)}</p> })}
        <p class="hint">{td!(locale, staff.password_hint)}</p>
        <form class="sign-in-form" action=StaffSetPassword::PATH method="post" novalidate=true>
            <ErrorSummary error=error.clone().filter(|e| matches!(e, AppError::Validation { .. })) id="set-errors" prefix="set" />
            <input type="hidden" name="token" value=token />
            {field("set", "new_password", td_string!(locale, staff.new_password), "password", "new-password", &error)}
            {field("set", "confirm_password", td_string!(locale, staff.confirm_password), "password", "new-password", &error)}
            <button type="submit" class="button button--primary">{td!(locale, staff.save)}</button>
        </form>
    }
    .into_any()
}
