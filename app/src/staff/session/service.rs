//! Signing staff in and out: the password step, the session that opens
//! once every step is passed, and who is signed in.

use super::device;
use super::{Role, SecondFactor, StaffProfile};
use crate::error::{AppError, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::offices::repo as offices;
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::{self, Credentials, StaffUser};
use axum_login::AuthnBackend as _;

pub(super) async fn profile(
    state: &AppState,
    user: &StaffUser,
    locale: Locale,
) -> Result<StaffProfile, AppError> {
    let offices = offices::among(&state.pool, &user.office_ids).await?;
    Ok(StaffProfile {
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        offices: offices.iter().map(|o| o.choice(locale)).collect(),
        second_factor: None,
    })
}

/// `POST /api/staff/login`.
pub async fn login(email: String, password: String) -> Result<StaffProfile, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let mut f = Fields::new(locale);
    if email.trim().is_empty() {
        f.push("email", ValidationCode::Required);
    } else if email.len() > 254 {
        f.push("email", ValidationCode::TooLong);
    }
    if password.is_empty() {
        f.push("password", ValidationCode::Required);
    } else if password.len() > 1024 {
        f.push("password", ValidationCode::TooLong);
    }
    f.finish()?;
    // The attempt is counted before the password is looked at.
    let claim = device::claim_attempt(&state, &email).await?;
    let mut session = auth::session().await?;
    // The backend itself rather than `AuthSession::authenticate`, which
    // logs every refusal for lack of a hashing turn as an error.
    let user = match session
        .backend
        .authenticate(Credentials {
            email: email.clone(),
            password,
        })
        .await
    {
        Ok(user) => user,
        Err(e) => {
            // Refused for lack of a hashing turn, or broken: not an attempt.
            claim.give_back(&state.pool).await?;
            return Err(e.into());
        }
    };
    // Unknown e-mail and wrong password: the same 401, and the attempt stays
    // counted.
    let Some(user) = user else {
        return Err(AppError::Unauthorized);
    };
    claim.give_back(&state.pool).await?;
    if user.role == Role::Admin {
        // Administrators are signed in only after their second factor.
        super::totp::start(&session, &user).await?;
        let enrolled = super::totp::is_enrolled(&state.pool, user.id).await?;
        let (step, page) = if enrolled {
            (SecondFactor::Totp, "/staff/sign-in/code")
        } else {
            (SecondFactor::Enroll, "/staff/sign-in/enroll")
        };
        if is_plain_form_post() {
            leptos_axum::redirect(page);
        }
        let mut pending = profile(&state, &user, locale).await?;
        pending.second_factor = Some(step);
        return Ok(pending);
    }
    open_session(&state, &mut session, &user, None).await?;
    if is_plain_form_post() {
        leptos_axum::redirect("/staff");
    }
    profile(&state, &user, locale).await
}

/// Signs the member in once every step is passed: the session id rotates
/// (no fixation) and is tied to the password, the time and — for an
/// administrator, `second_factor` says how — the second step are stamped,
/// the browser becomes known to the sign-in limits (an administrator's only
/// now), and the sign-in is audited.
pub(super) async fn open_session(
    state: &AppState,
    session: &mut auth::AuthSession,
    user: &StaffUser,
    second_factor: Option<&str>,
) -> Result<(), AppError> {
    session.login(user).await.map_err(|e| {
        tracing::error!(error = %e, "could not open a staff session");
        AppError::Internal
    })?;
    auth::stamp_sign_in(session).await?;
    if second_factor.is_some() {
        auth::stamp_second_factor(session).await?;
    }
    device::remember(state, &user.email);
    let details = match second_factor {
        Some(how) => serde_json::json!({ "second_factor": how }),
        None => serde_json::json!({}),
    };
    audit::record_alone(
        &state.pool,
        user,
        &state.settings.trusted_proxies,
        Entry {
            action: "staff.sign_in",
            record_type: "staff_account",
            record_id: &user.id.to_string(),
            office: None,
            details,
        },
    )
    .await?;
    Ok(())
}

/// `POST /api/staff/logout`.
pub async fn logout() -> Result<(), AppError> {
    let state = app_state()?;
    let user = auth::current(&state).await;
    if is_plain_form_post() {
        leptos_axum::redirect("/staff/sign-in?signed_out=1");
    }
    let user = user?;
    audit::record_alone(
        &state.pool,
        &user,
        &state.settings.trusted_proxies,
        Entry {
            action: "staff.sign_out",
            record_type: "staff_account",
            record_id: &user.id.to_string(),
            office: None,
            details: serde_json::json!({}),
        },
    )
    .await?;
    let mut session = auth::session().await?;
    session.logout().await.map_err(|e| {
        tracing::error!(error = %e, "could not end a staff session");
        AppError::Internal
    })?;
    Ok(())
}

/// `GET /api/staff/me`.
pub async fn me() -> Result<StaffProfile, AppError> {
    let state = app_state()?;
    let user = auth::current(&state).await?;
    profile(&state, &user, use_locale()).await
}
