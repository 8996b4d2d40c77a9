//! The second sign-in step of administrators: `/staff/sign-in/code`,
//! `/staff/sign-in/enroll` (first sign-in) and `/staff/recovery-codes`.

use crate::error::AppError;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::staff::{staff_enrollment, staff_recovery_codes, StaffEnrollConfirm, StaffLoginCode};
use crate::ui::TextField;
use crate::ui::{field_error, form_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};

/// The error above a code form: a wrong code reads the same whatever was
/// wrong with it.
fn top_error(error: &Option<AppError>) -> Option<String> {
    let locale = use_locale();
    match error {
        Some(AppError::Unauthorized) => Some(td_string!(locale, staff.wrong_code).to_owned()),
        Some(AppError::Validation { .. }) | None => None,
        Some(other) => Some(other.message(locale).to_owned()),
    }
}

fn summary(error: &Option<AppError>) -> Option<AppError> {
    match error {
        Some(AppError::Validation { .. }) => error.clone(),
        _ => None,
    }
}

#[component]
pub fn CodePage() -> impl IntoView {
    let locale = use_locale();
    let error = form_error(StaffLoginCode::PATH);
    view! {
        <Title text=td_string!(locale, staff.code_title) />
        <Meta name="robots" content="noindex" />
        <h1>{td!(locale, staff.code_title)}</h1>
        <p class="lead">{td!(locale, staff.code_intro)}</p>
        {top_error(&error).map(|m| view! { <p class="notice notice--error" role="alert" id="code-error">{m}</p> })}
        <form class="sign-in-form" action=StaffLoginCode::PATH method="post" novalidate=true>
            <ErrorSummary error=summary(&error) id="code-errors" />
            <TextField name="code" label=td_string!(locale, staff.code_label) hint=None error=field_error(&error, "code") autocomplete="one-time-code" inputmode="numeric" required=true maxlength=20 />
            <button type="submit" class="button button--primary">{td!(locale, staff.code_submit)}</button>
        </form>
        <p><a href="/staff/sign-in">{td!(locale, staff.back_to_password)}</a></p>
    }
    .into_any()
}

#[component]
pub fn EnrollPage() -> impl IntoView {
    let locale = use_locale();
    let error = form_error(StaffEnrollConfirm::PATH);
    let data = Resource::new_blocking(|| (), |_| staff_enrollment());
    view! {
        <Title text=td_string!(locale, staff.enroll_title) />
        <Meta name="robots" content="noindex" />
        <h1>{td!(locale, staff.enroll_title)}</h1>
        <Suspense>
            {move || {
                let error = error.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(enrollment) => {
                            let key = enrollment
                                .secret
                                .as_bytes()
                                .chunks(4)
                                .map(|c| String::from_utf8_lossy(c).into_owned())
                                .collect::<Vec<_>>()
                                .join(" ");
                            view! {
                                <p class="lead">{td!(locale, staff.enroll_intro)}</p>
                                <figure class="enroll-qr">
                                    <div role="img" aria-label=td_string!(locale, staff.enroll_qr_label) inner_html=enrollment.qr_svg></div>
                                </figure>
                                <p>{td!(locale, staff.enroll_key)}": "<code class="enroll-key" data-secret=enrollment.secret.clone()>{key}</code></p>
                                {top_error(&error).map(|m| view! { <p class="notice notice--error" role="alert" id="code-error">{m}</p> })}
                                <form class="sign-in-form" action=StaffEnrollConfirm::PATH method="post" novalidate=true>
                                    <ErrorSummary error=summary(&error) id="enroll-errors" />
                                    <TextField name="code" label=td_string!(locale, staff.code_label_totp) hint=None error=field_error(&error, "code") autocomplete="one-time-code" inputmode="numeric" required=true maxlength=8 />
                                    <button type="submit" class="button button--primary">{td!(locale, staff.enroll_submit)}</button>
                                </form>
                            }
                            .into_any()
                        }
                        Err(_) => {
                            #[cfg(feature = "ssr")]
                            {
                                leptos_axum::redirect("/staff/sign-in");
                                if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                                    r.set_status(http::StatusCode::SEE_OTHER);
                                }
                            }
                            view! {
                                <p class="notice notice--error" role="alert">{td!(locale, staff.pending_expired)}</p>
                                <p><a class="button button--primary" href="/staff/sign-in">{td!(locale, staff.go_sign_in)}</a></p>
                            }
                            .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new_blocking(|| (), |_| staff_recovery_codes());
    view! {
        <Title text=td_string!(locale, staff.codes_title) />
        <Meta name="robots" content="noindex" />
        <h1>{td!(locale, staff.codes_title)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(codes) if !codes.codes.is_empty() => view! {
                        <p class="lead">{td!(locale, staff.codes_intro)}</p>
                        <ol class="recovery-codes">
                            {codes.codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                        </ol>
                        <p><a class="button button--primary" href="/staff">{td!(locale, staff.codes_done)}</a></p>
                    }
                    .into_any(),
                    _ => view! {
                        <p class="notice">{td!(locale, staff.codes_gone)}</p>
                        <p><a class="button button--primary" href="/staff">{td!(locale, staff.nav_desk)}</a></p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
