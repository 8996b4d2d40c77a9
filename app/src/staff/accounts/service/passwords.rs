//! Passwords a member sets: with the link from their invitation or reset, or
//! their own, changed while signed in.

use super::{reauthenticate, record};
use crate::error::{AppError, FieldError, Fields, ValidationCode};
use crate::locale::use_locale;
use crate::ssr::limits::{self, Limit};
use crate::ssr::{app_state, client, respond::is_plain_form_post};
use crate::staff::accounts::repo::{self};
use crate::staff::auth::{self};
use axum_login::AuthnBackend as _;

/// ASVS 2.1.1: at least 12 characters; long passphrases welcome.
const MIN_PASSWORD: usize = 12;
const MAX_PASSWORD: usize = 128;

/// A new password: long enough, not too long, typed the same twice.
fn new_password(f: &mut Fields, password: &str, confirm: &str) {
    let length = password.chars().count();
    if password.is_empty() {
        f.push("new_password", ValidationCode::Required);
    } else if length < MIN_PASSWORD {
        f.push("new_password", ValidationCode::PasswordTooShort);
    } else if length > MAX_PASSWORD {
        f.push("new_password", ValidationCode::TooLong);
    } else if password != confirm {
        f.push("confirm_password", ValidationCode::PasswordMismatch);
    }
}

/// `POST /api/staff/set-password`. The link is checked before any hashing,
/// and links that match nothing are counted per client address.
pub async fn set_with_link(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let mut f = Fields::new(locale);
    new_password(&mut f, &password, &confirm);
    if token.len() > 128 {
        f.push("token", ValidationCode::TooLong);
    }
    f.finish()?;
    let claim = limits::claim(
        &state.pool,
        &[Limit::new(
            format!(
                "set-password:addr:{}",
                client::client_key(&state.settings.trusted_proxies)
            ),
            limits::QUARTER_HOUR,
            state.settings.staff_login_failures_per_15_min,
        )],
    )
    .await?;
    // Unknown, used or expired: one answer for all three, and it counts.
    if !repo::link_is_open(&state.pool, &token).await? {
        return Err(AppError::NotFound);
    }
    claim.give_back(&state.pool).await?;
    let hash = state.hasher.hash(password).await?;
    // Used by a racing request in between: the same answer.
    if repo::set_with_link(&state.pool, &token, &hash)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    if is_plain_form_post() {
        leptos_axum::redirect("/staff/sign-in?password_set=1");
    }
    Ok(())
}

/// `POST /api/staff/password`.
pub async fn change_own(
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::current(&state).await?;
    let mut f = Fields::new(locale);
    new_password(&mut f, &password, &confirm);
    f.finish()?;
    reauthenticate(&state, &user, &current, locale)
        .await
        .map_err(|e| match e {
            AppError::Validation { .. } => AppError::Validation {
                fields: vec![FieldError::new(
                    "current_password",
                    ValidationCode::WrongPassword,
                    locale,
                )],
            },
            other => other,
        })?;
    let hash = state.hasher.hash(password).await?;
    repo::set_password(&state.pool, user.id, &hash).await?;
    // Every session tied to the old password ends; this one is tied to the
    // new one and goes on.
    let mut session = auth::session().await?;
    let renewed = session
        .backend
        .get_user(&user.id)
        .await
        .ok()
        .flatten()
        .ok_or(AppError::Internal)?;
    session.login(&renewed).await.map_err(|e| {
        tracing::error!(error = %e, "could not renew the session");
        AppError::Internal
    })?;
    auth::stamp_sign_in(&session).await?;
    record(
        &state,
        &user,
        "account.change_password",
        &user.email,
        serde_json::json!({}),
    )
    .await?;
    if is_plain_form_post() {
        leptos_axum::redirect("/staff/password?done=1");
    }
    Ok(())
}
