//! The second sign-in step of administrators: the code from their
//! authenticator app (or a recovery code), and enrolment at first sign-in.

use super::audit::{self, Entry};
use super::auth::{self, AuthSession, StaffUser};
use super::totp;
use super::{Enrollment, RecoveryCodes, StaffProfile};
use crate::error::{AppError, FieldError, ValidationCode};
use crate::locale::use_locale;
use crate::ssr::{app_state, limits, respond::is_plain_form_post, AppState};
use axum_login::AuthnBackend as _;

const QUARTER: i32 = 900;

/// The member half-way through signing in (401 without one; a browser
/// posting a plain form goes back to the password).
async fn pending_user(state: &AppState, session: &AuthSession) -> Result<StaffUser, AppError> {
    let user = match totp::pending(session).await? {
        Some(id) => session.backend.get_user(&id).await.map_err(|e| {
            tracing::error!(error = %e, "could not load a pending staff member");
            AppError::Internal
        })?,
        None => None,
    };
    match user {
        Some(user) => Ok(user),
        None => {
            if is_plain_form_post() {
                leptos_axum::redirect("/staff/sign-in");
            }
            let _ = state;
            Err(AppError::Unauthorized)
        }
    }
}

fn required_code(code: &str) -> Result<(), AppError> {
    if code.trim().is_empty() {
        return Err(AppError::Validation {
            fields: vec![FieldError::new(
                "code",
                ValidationCode::Required,
                use_locale(),
            )],
        });
    }
    Ok(())
}

/// Signs the member in for good: the session is tied to them, stamped, and
/// the sign-in audited with how the second step was passed.
async fn complete(
    state: &AppState,
    mut session: AuthSession,
    user: &StaffUser,
    how: &str,
) -> Result<StaffProfile, AppError> {
    totp::finish(&session).await?;
    session.login(user).await.map_err(|e| {
        tracing::error!(error = %e, "could not open a staff session");
        AppError::Internal
    })?;
    auth::stamp_sign_in(&session).await?;
    audit::record_alone(
        &state.pool,
        user,
        &state.settings.trusted_proxies,
        Entry {
            action: "staff.sign_in",
            record_type: "staff_account",
            record_id: &user.id.to_string(),
            office: None,
            details: serde_json::json!({ "second_factor": how }),
        },
    )
    .await?;
    super::service::profile(state, user, use_locale()).await
}

/// `POST /api/staff/login/code`.
pub async fn code(code: String) -> Result<StaffProfile, AppError> {
    let state = app_state()?;
    let session = auth::session().await?;
    let user = pending_user(&state, &session).await?;
    required_code(&code)?;
    let keys = super::service::login_keys(&state, &user.email);
    let limit = state.settings.staff_login_failures_per_15_min;
    for key in &keys {
        limits::check(&state.pool, key, QUARTER, limit).await?;
    }
    let stored = totp::stored(&state.pool, user.id).await?;
    let Some(secret) = stored.secret else {
        // Not enrolled: the enrolment page is the way on.
        if is_plain_form_post() {
            leptos_axum::redirect("/staff/sign-in/enroll");
        }
        return Err(AppError::Unauthorized);
    };
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let how = match totp::matching_step(&secret, &user.email, &code, now)? {
        Some(step) if totp::claim_step(&state.pool, user.id, step).await? => Some("totp"),
        // A code already used (or an older one) is refused: replay.
        Some(_) => None,
        None if totp::use_recovery_code(&state.pool, user.id, &code).await? => {
            Some("recovery_code")
        }
        None => None,
    };
    let Some(how) = how else {
        for key in &keys {
            limits::hit(&state.pool, key, QUARTER, u32::MAX).await?;
        }
        return Err(AppError::Unauthorized);
    };
    let profile = complete(&state, session, &user, how).await?;
    if is_plain_form_post() {
        leptos_axum::redirect("/staff");
    }
    Ok(profile)
}

fn qr_svg(text: &str) -> Result<String, AppError> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| {
        tracing::error!(error = %e, "could not make a QR code");
        AppError::Internal
    })?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Inline in HTML: without the XML declaration.
    Ok(svg
        .find("<svg")
        .map_or(svg.clone(), |i| svg[i..].to_owned()))
}

/// `GET /api/staff/login/enroll`.
pub async fn enrollment() -> Result<Enrollment, AppError> {
    let state = app_state()?;
    let session = auth::session().await?;
    let user = pending_user(&state, &session).await?;
    if totp::stored(&state.pool, user.id).await?.secret.is_some() {
        // Enrolled already: a new secret needs an admin's reset.
        return Err(AppError::Forbidden);
    }
    let (secret, url) = totp::enrollment(&session, &user.email).await?;
    Ok(Enrollment {
        qr_svg: qr_svg(&url)?,
        secret,
        otpauth_url: url,
    })
}

/// `POST /api/staff/login/enroll/confirm`.
pub async fn confirm(code: String) -> Result<RecoveryCodes, AppError> {
    let state = app_state()?;
    let session = auth::session().await?;
    let user = pending_user(&state, &session).await?;
    required_code(&code)?;
    if totp::stored(&state.pool, user.id).await?.secret.is_some() {
        return Err(AppError::Forbidden);
    }
    let keys = super::service::login_keys(&state, &user.email);
    let limit = state.settings.staff_login_failures_per_15_min;
    for key in &keys {
        limits::check(&state.pool, key, QUARTER, limit).await?;
    }
    let Some(secret) = totp::enrollment_secret(&session).await? else {
        if is_plain_form_post() {
            leptos_axum::redirect("/staff/sign-in/enroll");
        }
        return Err(AppError::Unauthorized);
    };
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let Some(step) = totp::matching_step(&secret, &user.email, &code, now)? else {
        for key in &keys {
            limits::hit(&state.pool, key, QUARTER, u32::MAX).await?;
        }
        return Err(AppError::Unauthorized);
    };
    let codes = totp::enroll(&state.pool, user.id, &secret, step).await?;
    let session_after = session.clone();
    complete(&state, session, &user, "enrolled").await?;
    if is_plain_form_post() {
        totp::keep_fresh_codes(&session_after, &codes).await?;
        leptos_axum::redirect("/staff/recovery-codes");
    }
    Ok(RecoveryCodes { codes })
}

/// `GET /api/staff/recovery-codes`: the codes just made, once.
pub async fn fresh_codes() -> Result<RecoveryCodes, AppError> {
    let state = app_state()?;
    auth::current(&state).await?;
    let session = auth::session().await?;
    Ok(RecoveryCodes {
        codes: totp::take_fresh_codes(&session).await?,
    })
}
