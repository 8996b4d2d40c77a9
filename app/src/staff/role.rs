//! What a staff account may be.

use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// What a staff account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Receptionist,
    Officer,
    /// Leads the case officers of their offices: assigns cases, and sees a
    /// denouncer's identity in those offices.
    Supervisor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Receptionist,
        Role::Officer,
        Role::Supervisor,
        Role::Admin,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "receptionist" => Self::Receptionist,
            "officer" => Self::Officer,
            "supervisor" => Self::Supervisor,
            "admin" => Self::Admin,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Receptionist => "receptionist",
            Self::Officer => "officer",
            Self::Supervisor => "supervisor",
            Self::Admin => "admin",
        }
    }

    /// The role in the reader's language.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Receptionist => td_string!(locale, staff.role_receptionist),
            Self::Officer => td_string!(locale, staff.role_officer),
            Self::Supervisor => td_string!(locale, staff.role_supervisor),
            Self::Admin => td_string!(locale, staff.role_admin),
        }
    }
}
