//! Reception offices (trụ sở tiếp công dân) and their weekly opening hours.

mod hours;
#[cfg(feature = "ssr")]
pub mod repo;
mod view;

pub use hours::{group_by_hours, DayRange, Session};
pub use view::{weekday_name, OfficeCard, OfficeList, OfficesUnavailable};

use crate::error::AppError;
use crate::i18n::Locale;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A reception office as citizens and API clients see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    /// Stable identifier used in URLs and the API, e.g. `tw-ha-noi`.
    pub slug: String,
    pub name: Localized,
    pub address: Localized,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Opening sessions, sorted by weekday then start time.
    pub hours: Vec<Session>,
}

impl Office {
    /// The `tel:` link for the office's phone, digits only.
    pub fn tel_href(&self) -> Option<String> {
        self.phone
            .as_ref()
            .map(|p| format!("tel:{}", p.replace([' ', '.'], "")))
    }
}

/// An office as a staff member picks it: its slug and its name in the reader's
/// language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeChoice {
    pub slug: String,
    pub name: String,
}

/// A text kept in both languages; English falls back to Vietnamese when the
/// agency has not translated it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub vi: String,
    pub en: Option<String>,
}

impl Localized {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::en => self.en.as_deref().unwrap_or(&self.vi),
            Locale::vi => &self.vi,
        }
    }
}

/// Lists the offices that receive citizens, with their opening hours.
#[server(endpoint = "offices", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_offices() -> Result<Vec<Office>, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::respond(repo::list(&state.pool).await.map_err(AppError::from))
}
