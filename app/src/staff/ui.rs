//! The frame every staff page shares: who is signed in, the console's
//! sections, and what a page shows when the session has ended. Like the
//! citizen pages, staff pages are complete without JavaScript: every action
//! is a plain form posting to the staff API, which answers with a redirect
//! back to the page.

use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::staff::{Role, StaffLogout, StaffProfile};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Meta;

/// Who is signed in, the console's sections and the sign-out button.
#[component]
pub fn StaffBar(me: StaffProfile) -> impl IntoView {
    let locale = use_locale();
    let role = me.role.label(locale);
    let admin = me.role == Role::Admin;
    let schedules = me.role != Role::Receptionist;
    view! {
        <Meta name="robots" content="noindex" />
        <nav class="staff-bar" aria-label=td_string!(locale, staff.desk_title)>
            <p class="staff-bar__who">
                {td_string!(locale, staff.signed_in_as, name = me.display_name.clone(), role = role).to_string()}
            </p>
            <ul class="staff-bar__links">
                <li><a href="/staff">{td!(locale, staff.nav_desk)}</a></li>
                <li><a href="/staff/cases">{td!(locale, staff.nav_cases)}</a></li>
                {schedules.then(|| view! { <li><a href="/staff/schedule">{td!(locale, staff.nav_schedule)}</a></li> })}
                {schedules.then(|| view! { <li><a href="/staff/reports">{td!(locale, staff.nav_reports)}</a></li> })}
                {admin.then(|| view! { <li><a href="/staff/audit">{td!(locale, staff.nav_audit)}</a></li> })}
                {admin.then(|| view! { <li><a href="/staff/accounts">{td!(locale, staff.nav_accounts)}</a></li> })}
                {admin.then(|| view! { <li><a href="/staff/mail">{td!(locale, staff.nav_mail)}</a></li> })}
                <li><a href="/staff/password">{td!(locale, staff.nav_password)}</a></li>
            </ul>
            <form action=StaffLogout::PATH method="post">
                <button type="submit" class="button">{td!(locale, staff.sign_out)}</button>
            </form>
        </nav>
    }
    .into_any()
}

/// Shown when the session is missing or has ended. During server rendering
/// the browser is also sent straight to the sign-in page.
#[component]
pub fn SignInNeeded() -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    {
        leptos_axum::redirect("/staff/sign-in");
        // The failed staff call already set 401 on the page's response; a
        // redirect needs a redirect status to be followed.
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::SEE_OTHER);
        }
    }
    view! {
        <Meta name="robots" content="noindex" />
        <p class="notice notice--error" role="alert">{td!(locale, staff.sign_in_needed)}</p>
        <p><a class="button button--primary" href="/staff/sign-in">{td!(locale, staff.go_sign_in)}</a></p>
    }
    .into_any()
}
