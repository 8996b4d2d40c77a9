//! The drafts of refused no-JavaScript forms (the booking form, the
//! waiting list's): kept for ten minutes in `form_drafts`, named by a
//! cookie under `/book`, read once to fill the form in again.

use crate::ssr::cookies::{request_cookie, set_cookie, SetCookie};
use crate::ssr::AppState;
use sqlx::PgPool;
use uuid::Uuid;

fn set_draft_cookie(state: &AppState, name: &'static str, value: &str, max_age_secs: u64) {
    set_cookie(&SetCookie {
        name,
        value,
        path: "/book",
        max_age_secs,
        same_site: "Lax",
        secure: state.settings.secure_cookies(),
    });
}

/// Keeps `form` for the browser to find under cookie `name`.
pub async fn keep(state: &AppState, name: &'static str, form: &impl serde::Serialize) {
    let Ok(data) = serde_json::to_value(form) else {
        return;
    };
    match save(&state.pool, &data).await {
        Ok(id) => set_draft_cookie(state, name, &id.to_string(), 600),
        Err(e) => tracing::warn!(error = %e, "could not keep the refused form"),
    }
}

/// The draft this browser left under cookie `name`, read once.
pub async fn take_kept<T: serde::de::DeserializeOwned>(
    state: &AppState,
    name: &'static str,
) -> Option<T> {
    let id = Uuid::parse_str(&request_cookie(name)?).ok()?;
    set_draft_cookie(state, name, "", 0);
    let data = take(&state.pool, id).await.ok().flatten()?;
    serde_json::from_value(data).ok()
}

/// Keeps a refused form for ten minutes; returns its id.
pub async fn save(pool: &PgPool, data: &serde_json::Value) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO form_drafts (data) VALUES ($1) RETURNING id",
        data
    )
    .fetch_one(pool)
    .await
}

/// Reads a draft once: it is deleted as it is read.
pub async fn take(pool: &PgPool, id: Uuid) -> Result<Option<serde_json::Value>, sqlx::Error> {
    sqlx::query_scalar!(
        "DELETE FROM form_drafts WHERE id = $1 AND expires_at > now() RETURNING data",
        id
    )
    .fetch_optional(pool)
    .await
}
