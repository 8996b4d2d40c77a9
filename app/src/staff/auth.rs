//! Staff sign-in through axum-login: who is signed in, with which role and
//! offices, and the checks every staff server function starts with.
//!
//! Sessions live in PostgreSQL, so any server instance serves any staff
//! member. A session is tied to the password hash and the privileges epoch
//! it was opened with: changing the password, the role, the offices or the
//! account's state ends every session of the member.

use super::Role;
use crate::error::AppError;
use crate::ssr::{hashing::Hasher, AppState};
use axum_login::{AuthUser, AuthnBackend};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// The session key holding when the member signed in (Unix seconds), for
/// the absolute session lifetime.
const SIGNED_IN_AT: &str = "signed_in_at";
/// Set once an administrator passed the second factor in this session.
const SECOND_FACTOR: &str = "second_factor_at";

/// A signed-in staff member.
#[derive(Clone)]
pub struct StaffUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub office_ids: Vec<Uuid>,
    /// A digest of the password hash and the privileges epoch: the session
    /// remembers it, and axum-login ends the session when it changes.
    auth_hash: Vec<u8>,
}

impl std::fmt::Debug for StaffUser {
    // Never the password hash, not even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffUser")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl AuthUser for StaffUser {
    type Id = Uuid;

    fn id(&self) -> Uuid {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

impl StaffUser {
    pub fn serves(&self, office: Uuid) -> bool {
        self.office_ids.contains(&office)
    }

    /// A member for unit tests of rules that read only role and offices.
    #[cfg(test)]
    pub fn for_test(id: Uuid, role: Role, office_ids: Vec<Uuid>) -> Self {
        Self {
            id,
            email: format!("{id}@test.vn"),
            display_name: "Thử".into(),
            role,
            office_ids,
            auth_hash: Vec::new(),
        }
    }
}

/// E-mail and password as typed.
#[derive(Clone)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// Staff accounts in PostgreSQL.
#[derive(Clone, Debug)]
pub struct StaffBackend {
    pool: PgPool,
    hasher: Hasher,
    /// Demo accounts may sign in (never in production).
    allow_demo: bool,
}

impl StaffBackend {
    pub fn new(state: &AppState) -> Self {
        Self {
            pool: state.pool.clone(),
            hasher: state.hasher.clone(),
            allow_demo: state.settings.env != crate::ssr::AppEnv::Production,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("password check refused or failed: {0}")]
    Hash(AppError),
}

impl From<BackendError> for AppError {
    fn from(error: BackendError) -> Self {
        match error {
            BackendError::Db(e) => e.into(),
            BackendError::Hash(e) => e,
        }
    }
}

pub type AuthSession = axum_login::AuthSession<StaffBackend>;

struct AccountRow {
    id: Uuid,
    email: String,
    display_name: String,
    role: Role,
    password_hash: String,
    privileges_epoch: i64,
    is_demo: bool,
    office_ids: Vec<Uuid>,
}

impl AccountRow {
    fn into_user(self) -> StaffUser {
        let mut digest = Sha256::new();
        digest.update(self.password_hash.as_bytes());
        digest.update(b"\0");
        digest.update(self.privileges_epoch.to_be_bytes());
        StaffUser {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            role: self.role,
            office_ids: self.office_ids,
            auth_hash: digest.finalize().to_vec(),
        }
    }
}

macro_rules! select_account {
    ($where:literal, $arg:expr) => {
        sqlx::query_as!(
            AccountRow,
            r#"
            SELECT a.id, a.email, a.display_name, a.role AS "role: Role", a.password_hash, a.privileges_epoch, a.is_demo,
                   coalesce(array_agg(so.office_id) FILTER (WHERE so.office_id IS NOT NULL), '{}') AS "office_ids!"
            FROM staff_accounts a
            LEFT JOIN staff_offices so ON so.staff_id = a.id
            "# + $where + " GROUP BY a.id",
            $arg
        )
    };
}

impl AuthnBackend for StaffBackend {
    type User = StaffUser;
    type Credentials = Credentials;
    type Error = BackendError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<StaffUser>, BackendError> {
        let email = creds.email.trim().to_lowercase();
        let row = select_account!("WHERE a.email = $1 AND a.active", email)
            .fetch_optional(&self.pool)
            .await?
            // A demo account in production is as unknown as a missing one.
            .filter(|r| self.allow_demo || !r.is_demo);
        // An unknown e-mail is checked against a decoy, so that both
        // failures take the same time.
        let matches = self
            .hasher
            .verify(
                creds.password,
                row.as_ref().map(|r| r.password_hash.clone()),
            )
            .await
            .map_err(BackendError::Hash)?;
        Ok(row.filter(|_| matches).map(AccountRow::into_user))
    }

    async fn get_user(&self, id: &Uuid) -> Result<Option<StaffUser>, BackendError> {
        Ok(select_account!("WHERE a.id = $1 AND a.active", *id)
            .fetch_optional(&self.pool)
            .await?
            .filter(|r| self.allow_demo || !r.is_demo)
            .map(AccountRow::into_user))
    }
}

/// The request's auth session (put there by the layer in `server`).
pub async fn session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(|e| {
        tracing::error!(error = %e, "no auth session on this request");
        AppError::Internal
    })
}

/// Marks the start of a signed-in session, for its absolute lifetime.
pub async fn stamp_sign_in(auth: &AuthSession) -> Result<(), AppError> {
    auth.session
        .insert(SIGNED_IN_AT, chrono::Utc::now().timestamp())
        .await
        .map_err(session_error)
}

/// Marks that an administrator passed the second factor in this session.
pub async fn stamp_second_factor(auth: &AuthSession) -> Result<(), AppError> {
    auth.session
        .insert(SECOND_FACTOR, chrono::Utc::now().timestamp())
        .await
        .map_err(session_error)
}

pub fn session_error(error: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %error, "session store error");
    AppError::Internal
}

/// The signed-in member, or 401. A session older than the absolute
/// lifetime is ended here.
pub async fn current(state: &AppState) -> Result<StaffUser, AppError> {
    let mut auth = session().await?;
    current_in(&mut auth, state).await
}

/// [`current`] for a plain axum handler, which has the session itself.
pub async fn current_in(auth: &mut AuthSession, state: &AppState) -> Result<StaffUser, AppError> {
    let Some(user) = auth.user.clone() else {
        return Err(AppError::Unauthorized);
    };
    let since: Option<i64> = auth
        .session
        .get(SIGNED_IN_AT)
        .await
        .map_err(session_error)?;
    let max_age = i64::from(state.settings.staff_session_hours) * 3600;
    let expired = since.is_none_or(|at| chrono::Utc::now().timestamp() - at > max_age);
    // An administrator's session needs the second factor: one opened under
    // another role (before a promotion) never had it.
    let second_factor_missing = user.role == Role::Admin
        && auth
            .session
            .get::<i64>(SECOND_FACTOR)
            .await
            .map_err(session_error)?
            .is_none();
    if expired || second_factor_missing {
        auth.logout().await.map_err(|e| {
            tracing::error!(error = %e, "could not end an expired session");
            AppError::Internal
        })?;
        return Err(AppError::Unauthorized);
    }
    Ok(user)
}

/// What a server function needs of the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Day view and front-desk actions.
    FrontDesk,
    /// Weekly hours, closures, blocked slots.
    Schedules,
    /// Moving cases through their statuses, extending; reports.
    Cases,
    /// Deciding who handles a case.
    AssignCases,
    /// Reading the audit trail and the undelivered mail; managing accounts.
    Admin,
}

impl Role {
    pub fn may(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Supervisor => matches!(permission, FrontDesk | Schedules | Cases | AssignCases),
            Role::Officer => matches!(permission, FrontDesk | Schedules | Cases),
            Role::Receptionist => matches!(permission, FrontDesk),
        }
    }
}

/// The signed-in member if their role allows `permission` (401, else 403).
pub async fn require(state: &AppState, permission: Permission) -> Result<StaffUser, AppError> {
    let user = current(state).await?;
    if user.role.may(permission) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// [`require`], and the member serves `office` (403 otherwise).
pub fn require_office(user: &StaffUser, office: Uuid) -> Result<(), AppError> {
    if user.serves(office) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_grant_what_the_product_says() {
        use Permission::*;
        assert!(Role::Receptionist.may(FrontDesk));
        assert!(!Role::Receptionist.may(Schedules));
        assert!(!Role::Receptionist.may(Admin));
        assert!(!Role::Receptionist.may(Cases));
        assert!(Role::Officer.may(Cases));
        assert!(Role::Officer.may(FrontDesk));
        assert!(Role::Officer.may(Schedules));
        assert!(!Role::Officer.may(Admin));
        assert!(!Role::Officer.may(AssignCases));
        assert!(Role::Supervisor.may(AssignCases) && Role::Supervisor.may(Cases));
        assert!(!Role::Supervisor.may(Admin));
        assert!(!Role::Receptionist.may(AssignCases));
        assert!(Role::Admin.may(FrontDesk) && Role::Admin.may(Schedules) && Role::Admin.may(Admin));
    }
}
