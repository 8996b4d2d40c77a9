//! The second sign-in step of administrators: the code from their
//! authenticator app (or a recovery code), and enrolment at first sign-in.

use super::device;
use super::totp;
use super::{Enrollment, RecoveryCodes, StaffProfile};
use crate::error::{AppError, ValidationCode};
use crate::locale::use_locale;
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::staff::auth::{self, AuthSession, StaffUser};
use axum_login::AuthnBackend as _;

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
        return Err(AppError::invalid(
            "code",
            ValidationCode::Required,
            use_locale(),
        ));
    }
    if code.len() > 64 {
        return Err(AppError::invalid(
            "code",
            ValidationCode::TooLong,
            use_locale(),
        ));
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
    super::service::open_session(state, &mut session, user, Some(how)).await?;
    super::service::profile(state, user, use_locale()).await
}

/// `POST /api/staff/login/code`.
pub async fn code(code: String) -> Result<StaffProfile, AppError> {
    let state = app_state()?;
    let session = auth::session().await?;
    let user = pending_user(&state, &session).await?;
    required_code(&code)?;
    // Counted before the code is looked at.
    let claim = device::claim_attempt(&state, &user.email).await?;
    let stored = totp::stored(&state, user.id).await?;
    let Some(secret) = stored.secret else {
        claim.give_back(&state.pool).await?;
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
        return Err(AppError::Unauthorized);
    };
    claim.give_back(&state.pool).await?;
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
    if totp::is_enrolled(&state.pool, user.id).await? {
        // Enrolled already: a new secret needs an admin's reset.
        return Err(AppError::Forbidden);
    }
    let (secret, url) = totp::enrollment(&state, &session, &user).await?;
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
    if totp::is_enrolled(&state.pool, user.id).await? {
        return Err(AppError::Forbidden);
    }
    let claim = device::claim_attempt(&state, &user.email).await?;
    let Some(secret) = totp::enrollment_secret(&state, &session, user.id).await? else {
        claim.give_back(&state.pool).await?;
        if is_plain_form_post() {
            leptos_axum::redirect("/staff/sign-in/enroll");
        }
        return Err(AppError::Unauthorized);
    };
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let Some(step) = totp::matching_step(&secret, &user.email, &code, now)? else {
        return Err(AppError::Unauthorized);
    };
    claim.give_back(&state.pool).await?;
    let codes = totp::enroll(&state, user.id, &secret, step).await?;
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
