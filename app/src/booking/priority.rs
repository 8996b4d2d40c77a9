//! Priority reception (tiếp công dân ưu tiên): the groups the law puts
//! first in line, for whom the office keeps places the desk books ahead.

use crate::error::ValidationCode;

/// Why the desk booked a citizen ahead into a kept place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum PriorityGroup {
    /// Người cao tuổi.
    Elderly,
    /// Người khuyết tật.
    Disability,
    /// Phụ nữ mang thai.
    Pregnant,
    /// Người có công với cách mạng.
    Merit,
}

impl PriorityGroup {
    pub const ALL: [PriorityGroup; 4] =
        [Self::Elderly, Self::Disability, Self::Pregnant, Self::Merit];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Elderly => "elderly",
            Self::Disability => "disability",
            Self::Pregnant => "pregnant",
            Self::Merit => "merit",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationCode> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(ValidationCode::Required);
        }
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == raw)
            .ok_or(ValidationCode::InvalidChoice)
    }

    /// The group in the reader's language.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            Self::Elderly => td_string!(locale, staff.priority_elderly),
            Self::Disability => td_string!(locale, staff.priority_disability),
            Self::Pregnant => td_string!(locale, staff.priority_pregnant),
            Self::Merit => td_string!(locale, staff.priority_merit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_group_and_refuses_others() {
        for g in PriorityGroup::ALL {
            assert_eq!(PriorityGroup::parse(g.as_str()), Ok(g));
        }
        assert_eq!(PriorityGroup::parse(" "), Err(ValidationCode::Required));
        assert_eq!(
            PriorityGroup::parse("vip"),
            Err(ValidationCode::InvalidChoice)
        );
    }
}
