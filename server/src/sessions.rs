//! Staff sessions: tower-sessions records kept in PostgreSQL (so that every
//! instance shares them), under axum-login's auth manager.
//!
//! The store is ours rather than tower-sessions-sqlx-store because that crate
//! switches on sqlx's `time` feature, which makes every compile-time checked
//! query in the workspace read timestamps as `time` instead of `chrono`.

use app::ssr::AppState;
use app::staff::auth::StaffBackend;
use async_trait::async_trait;
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};

/// The cookie's name. Only staff ever get it: citizen pages never write to
/// the session.
pub const COOKIE: &str = "td_staff";

pub type AuthLayer = AuthManagerLayer<StaffBackend, PgSessionStore>;

/// The layer that gives every request its (lazily loaded) session and the
/// signed-in staff member.
pub fn layer(state: &AppState) -> AuthLayer {
    let store = PgSessionStore {
        pool: state.pool.clone(),
    };
    let idle = i64::from(state.settings.staff_idle_minutes);
    let sessions = SessionManagerLayer::new(store)
        .with_name(COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.secure_staff_cookie())
        .with_path("/")
        // Saved on every request, so the idle timeout restarts with each use.
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::minutes(idle),
        ));
    AuthManagerLayerBuilder::new(StaffBackend::new(state), sessions).build()
}

/// Sessions in the `staff_sessions` table: the record's data as JSON, its
/// id and expiry in their own columns (the id is an `i128`, which JSON
/// numbers cannot hold).
#[derive(Clone, Debug)]
pub struct PgSessionStore {
    pool: PgPool,
}

fn store_error(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn encode(record: &Record) -> session_store::Result<serde_json::Value> {
    serde_json::to_value(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_else(Utc::now)
}

#[async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are 128 random bits; a clash is drawn again rather than
        // overwriting someone's session.
        loop {
            let json = encode(record)?;
            let inserted = sqlx::query!(
                "INSERT INTO staff_sessions (id, record, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
                record.id.to_string(),
                json,
                expiry(record),
            )
            .execute(&self.pool)
            .await
            .map_err(store_error)?
            .rows_affected();
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let json = encode(record)?;
        sqlx::query!(
            r#"
            INSERT INTO staff_sessions (id, record, expires_at) VALUES ($1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at
            "#,
            record.id.to_string(),
            json,
            expiry(record),
        )
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row = sqlx::query!(
            "SELECT record, expires_at FROM staff_sessions WHERE id = $1 AND expires_at > now()",
            id.to_string()
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let data = serde_json::from_value(row.record)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query!("DELETE FROM staff_sessions WHERE id = $1", id.to_string())
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(())
    }
}
