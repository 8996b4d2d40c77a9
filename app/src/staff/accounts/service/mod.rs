//! What the account server functions do.

mod passwords;

pub use passwords::{change_own, set_with_link};

use super::repo::{self, AccountError, AccountRow, NewAccount};
use super::{AccountInfo, AccountsView};
use crate::error::{AppError, Fields, ValidationCode};
use crate::i18n::Locale;
use crate::locale::use_locale;
use crate::offices::repo as offices;
use crate::ssr::{app_state, respond::is_plain_form_post, AppState};
use crate::staff::audit::{self, Entry};
use crate::staff::auth::{self, Permission, StaffUser};
use crate::staff::session::device;
use crate::staff::Role;
use uuid::Uuid;

fn info(row: AccountRow) -> AccountInfo {
    AccountInfo {
        email: row.email,
        display_name: row.display_name,
        role: row.role,
        active: row.active,
        offices: row.offices,
        totp: row.totp,
    }
}

fn role_of(raw: &str) -> Result<Role, ValidationCode> {
    Role::parse(raw.trim()).ok_or(ValidationCode::InvalidChoice)
}

/// Checks the acting member's own password, typed again; failures count
/// against the sign-in limits, before the password is looked at.
async fn reauthenticate(
    state: &AppState,
    user: &StaffUser,
    password: &str,
    locale: Locale,
) -> Result<(), AppError> {
    if password.is_empty() {
        return Err(AppError::invalid(
            "password",
            ValidationCode::Required,
            locale,
        ));
    }
    if password.len() > 1024 {
        return Err(AppError::invalid(
            "password",
            ValidationCode::TooLong,
            locale,
        ));
    }
    let claim = device::claim_attempt(state, &user.email).await?;
    let stored = repo::password_hash(&state.pool, user.id).await?;
    let ok = match state.hasher.verify(password.to_owned(), Some(stored)).await {
        Ok(ok) => ok,
        Err(e) => {
            claim.give_back(&state.pool).await?;
            return Err(e);
        }
    };
    if !ok {
        return Err(AppError::invalid(
            "password",
            ValidationCode::WrongPassword,
            locale,
        ));
    }
    claim.give_back(&state.pool).await
}

/// Office ids for the slugs given (each must exist).
async fn office_ids(
    state: &AppState,
    slugs: &[String],
    f: &mut Fields,
) -> Result<Vec<Uuid>, AppError> {
    let all = offices::all(&state.pool).await?;
    let mut ids = Vec::new();
    for slug in slugs.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match all.iter().find(|o| o.slug == slug) {
            Some(o) if !ids.contains(&o.id) => ids.push(o.id),
            Some(_) => {}
            None => {
                f.push("offices", ValidationCode::InvalidChoice);
                return Ok(ids);
            }
        }
    }
    if ids.is_empty() {
        f.push("offices", ValidationCode::Required);
    }
    Ok(ids)
}

fn back(done: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("/staff/accounts?done={done}"));
    }
}

async fn record(
    state: &AppState,
    user: &StaffUser,
    action: &str,
    target: &str,
    details: serde_json::Value,
) -> Result<(), AppError> {
    audit::record_alone(
        &state.pool,
        user,
        &state.settings.trusted_proxies,
        Entry {
            action,
            record_type: "staff_account",
            record_id: target,
            office: None,
            details,
        },
    )
    .await?;
    Ok(())
}

/// `GET /api/staff/accounts`.
pub async fn list() -> Result<AccountsView, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    auth::require(&state, Permission::Admin).await?;
    let accounts = repo::list(&state.pool).await?;
    let offices = offices::all(&state.pool).await?;
    Ok(AccountsView {
        accounts: accounts.into_iter().map(info).collect(),
        offices: offices.iter().map(|o| o.choice(locale)).collect(),
    })
}

/// `POST /api/staff/accounts/create`.
pub async fn create(
    email: String,
    name: String,
    role: String,
    offices: Vec<String>,
    password: String,
) -> Result<AccountInfo, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::Admin).await?;
    let mut f = Fields::new(locale);
    let email = match crate::booking::validate::email(&email) {
        Ok(Some(email)) => Some(email.to_lowercase()),
        Ok(None) => {
            f.push("email", ValidationCode::Required);
            None
        }
        Err(code) => {
            f.push("email", code);
            None
        }
    };
    let name = name.trim().to_owned();
    if name.is_empty() {
        f.push("display_name", ValidationCode::Required);
    } else if name.chars().count() > 100 {
        f.push("display_name", ValidationCode::TooLong);
    }
    let role = role_of(&role).map_err(|code| f.push("role", code)).ok();
    let ids = office_ids(&state, &offices, &mut f).await?;
    let (email, role) = f.done((email, role))?;
    reauthenticate(&state, &user, &password, locale).await?;
    let new = NewAccount {
        email: &email,
        display_name: &name,
        role: role.as_str(),
        offices: &ids,
    };
    repo::create(&state.pool, &new).await.map_err(|e| match e {
        AccountError::EmailTaken => AppError::invalid("email", ValidationCode::EmailTaken, locale),
        AccountError::NotFound => AppError::NotFound,
        AccountError::Db(e) => e.into(),
    })?;
    record(
        &state,
        &user,
        "account.create",
        &email,
        serde_json::json!({ "role": role.as_str(), "offices": offices }),
    )
    .await?;
    back("created");
    let row = repo::by_email(&state.pool, &email)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(info(row))
}

/// `POST /api/staff/accounts/update`.
pub async fn update(
    email: String,
    role: String,
    offices: Vec<String>,
    active: Option<String>,
    password: String,
) -> Result<AccountInfo, AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::Admin).await?;
    let email = email.trim().to_lowercase();
    let target = repo::by_email(&state.pool, &email)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut f = Fields::new(locale);
    let role = role_of(&role).map_err(|code| f.push("role", code)).ok();
    let ids = office_ids(&state, &offices, &mut f).await?;
    let role = f.done(role)?;
    let active = crate::booking::validate::consent(active.as_deref()).is_ok();
    // An administrator cannot lock themselves out.
    if target.id == user.id && (!active || role != Role::Admin) {
        return Err(AppError::invalid(
            "role",
            ValidationCode::InvalidChoice,
            locale,
        ));
    }
    reauthenticate(&state, &user, &password, locale).await?;
    repo::update(&state.pool, &email, role.as_str(), &ids, active)
        .await
        .map_err(|e| match e {
            AccountError::NotFound => AppError::NotFound,
            AccountError::EmailTaken => AppError::Internal,
            AccountError::Db(e) => e.into(),
        })?;
    record(
        &state,
        &user,
        "account.update",
        &email,
        serde_json::json!({
            "role": { "from": target.role, "to": role.as_str() },
            "offices": { "from": target.offices, "to": offices },
            "active": { "from": target.active, "to": active },
        }),
    )
    .await?;
    back("updated");
    let row = repo::by_email(&state.pool, &email)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(info(row))
}

/// `POST /api/staff/accounts/reset-password`.
pub async fn reset(email: String, password: String) -> Result<(), AppError> {
    let state = app_state()?;
    let locale = use_locale();
    let user = auth::require(&state, Permission::Admin).await?;
    let email = email.trim().to_lowercase();
    if repo::by_email(&state.pool, &email).await?.is_none() {
        return Err(AppError::NotFound);
    }
    reauthenticate(&state, &user, &password, locale).await?;
    repo::reset(&state.pool, &email)
        .await
        .map_err(|e| match e {
            AccountError::NotFound => AppError::NotFound,
            AccountError::EmailTaken => AppError::Internal,
            AccountError::Db(e) => e.into(),
        })?;
    record(
        &state,
        &user,
        "account.reset_password",
        &email,
        serde_json::json!({}),
    )
    .await?;
    back("reset");
    Ok(())
}
