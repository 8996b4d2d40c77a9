//! Consent texts: versioned rows (`consent_texts`), never edited. The
//! booking and waiting-list forms show the current version, each booking and
//! entry a citizen makes stores it, and `/privacy` lists every version in
//! force so far. Walk-ins, bookings the desk makes and cases rest on the
//! agency's legal duty to receive citizens instead (`legal_basis`).

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod repo;

/// One version of the consent text, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentText {
    pub version: String,
    /// `YYYY-MM-DD`, Vietnam time.
    pub valid_from: String,
    /// What the data is processed for.
    pub purpose: String,
    /// What the citizen agrees to.
    pub text: String,
}

/// Every version in force so far, the current one first (`/privacy`).
#[server(endpoint = "consent", input = GetUrl)]
pub async fn consent_texts() -> Result<Vec<ConsentText>, AppError> {
    let state = crate::ssr::app_state()?;
    let locale = crate::locale::use_locale();
    crate::ssr::respond(
        repo::history(&state.pool, locale)
            .await
            .map_err(AppError::from),
    )
}
