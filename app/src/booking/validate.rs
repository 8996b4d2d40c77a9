//! The rules a booking form must meet, shared by the server and the browser
//! so that both give the same answer in the same words.
//!
//! Each function takes the raw text of one field and returns its canonical
//! form or the [`ValidationCode`] that explains what is wrong.

use crate::error::ValidationCode;

pub const NAME_MAX: usize = 100;
pub const SUMMARY_MIN: usize = 10;
pub const SUMMARY_MAX: usize = 2000;
pub const NEEDS_MAX: usize = 500;
pub const EMAIL_MAX: usize = 254;
pub const PARTY_MAX: u16 = 200;
pub const REASON_MAX: usize = 500;

/// A person's full name: letters (any script, with diacritics), spaces and
/// the punctuation names use. Inner runs of spaces collapse to one.
pub fn full_name(raw: &str) -> Result<String, ValidationCode> {
    let name = collapse_spaces(raw);
    if name.is_empty() {
        return Err(ValidationCode::Required);
    }
    let len = name.chars().count();
    if len > NAME_MAX {
        return Err(ValidationCode::TooLong);
    }
    if len < 2 {
        return Err(ValidationCode::TooShort);
    }
    let allowed = |c: char| c.is_alphabetic() || c == ' ' || c == '\'' || c == '-' || c == '.';
    // Combining marks (a decomposed "ệ") are part of a letter.
    let is_mark =
        |c: char| ('\u{300}'..='\u{36f}').contains(&c) || ('\u{1dc0}'..='\u{1dff}').contains(&c);
    if !name.chars().all(|c| allowed(c) || is_mark(c)) {
        return Err(ValidationCode::InvalidName);
    }
    Ok(name)
}

/// A CCCD (citizen identity card) number: 12 digits, the first three a
/// province code (001–096). Spaces are ignored.
pub fn citizen_id(raw: &str) -> Result<String, ValidationCode> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Err(ValidationCode::Required);
    }
    if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValidationCode::InvalidCitizenId);
    }
    let province: u16 = digits[..3]
        .parse()
        .map_err(|_| ValidationCode::InvalidCitizenId)?;
    if !(1..=96).contains(&province) {
        return Err(ValidationCode::InvalidCitizenId);
    }
    Ok(digits)
}

/// A Vietnamese phone number in its one canonical form: a mobile number is
/// 10 digits starting 03, 05, 07, 08 or 09; a landline 11 digits starting 02.
/// Accepts +84 / 84 in place of the leading 0, and spaces, dots, dashes and
/// brackets between digits.
pub fn phone(raw: &str) -> Result<String, ValidationCode> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(ValidationCode::Required);
    }
    let mut rest = trimmed;
    let plus = rest.starts_with('+');
    if plus {
        rest = &rest[1..];
    }
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')'))
    {
        return Err(ValidationCode::InvalidPhone);
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let national = if let Some(tail) = digits
        .strip_prefix("84")
        .filter(|t| t.len() >= 9 && (plus || !t.starts_with('0')))
    {
        format!("0{tail}")
    } else if plus {
        return Err(ValidationCode::InvalidPhone);
    } else {
        digits
    };
    let b = national.as_bytes();
    let mobile = b.len() == 10 && b[0] == b'0' && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9');
    let landline = b.len() == 11 && b.starts_with(b"02");
    if mobile || landline {
        Ok(national)
    } else {
        Err(ValidationCode::InvalidPhone)
    }
}

/// An optional e-mail address: empty means none. The domain is lower-cased.
pub fn email(raw: &str) -> Result<Option<String>, ValidationCode> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.len() > EMAIL_MAX {
        return Err(ValidationCode::TooLong);
    }
    let (local, domain) = value.rsplit_once('@').ok_or(ValidationCode::InvalidEmail)?;
    let valid_local = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let valid_domain = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if valid_local && valid_domain {
        Ok(Some(format!("{local}@{}", domain.to_ascii_lowercase())))
    } else {
        Err(ValidationCode::InvalidEmail)
    }
}

/// The matter the citizen comes about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Khiếu nại.
    Complaint,
    /// Tố cáo.
    Denunciation,
    /// Kiến nghị, phản ánh.
    Petition,
}

impl Topic {
    pub const ALL: [Topic; 3] = [Topic::Complaint, Topic::Denunciation, Topic::Petition];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Complaint => "complaint",
            Self::Denunciation => "denunciation",
            Self::Petition => "petition",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationCode> {
        match raw.trim() {
            "" => Err(ValidationCode::Required),
            "complaint" => Ok(Self::Complaint),
            "denunciation" => Ok(Self::Denunciation),
            "petition" => Ok(Self::Petition),
            _ => Err(ValidationCode::InvalidChoice),
        }
    }

    /// The matter in the reader's language.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            Self::Complaint => td_string!(locale, booking.topic_complaint),
            Self::Denunciation => td_string!(locale, booking.topic_denunciation),
            Self::Petition => td_string!(locale, booking.topic_petition),
        }
    }
}

/// The summary of the matter: 10 to 2000 characters, no control characters
/// other than line breaks and tabs.
pub fn summary(raw: &str) -> Result<String, ValidationCode> {
    bounded_text(raw, SUMMARY_MIN, SUMMARY_MAX, true)
}

/// Interpreter or accessibility needs, optional.
pub fn needs(raw: &str) -> Result<String, ValidationCode> {
    bounded_text(raw, 0, NEEDS_MAX, false)
}

/// A cancellation reason, optional.
pub fn reason(raw: &str) -> Result<String, ValidationCode> {
    bounded_text(raw, 0, REASON_MAX, false)
}

fn bounded_text(
    raw: &str,
    min: usize,
    max: usize,
    required: bool,
) -> Result<String, ValidationCode> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return if required {
            Err(ValidationCode::Required)
        } else {
            Ok(text)
        };
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ValidationCode::InvalidText);
    }
    let len = text.chars().count();
    if len > max {
        Err(ValidationCode::TooLong)
    } else if len < min {
        Err(ValidationCode::TooShort)
    } else {
        Ok(text)
    }
}

/// How many people come, 1 to [`PARTY_MAX`].
pub fn party_size(raw: &str) -> Result<u16, ValidationCode> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(ValidationCode::Required);
    }
    match value.parse::<u16>() {
        Ok(n) if (1..=PARTY_MAX).contains(&n) => Ok(n),
        _ => Err(ValidationCode::InvalidPartySize),
    }
}

/// How many representatives a group of `party_size` must name (Law on
/// Citizen Reception 2013 art. 7; Decree 124/2020): none below 5 people,
/// 1–2 for 5–10 people, 1–5 above 10.
pub fn representatives_allowed(party_size: u16) -> std::ops::RangeInclusive<usize> {
    match party_size {
        0..=4 => 0..=0,
        5..=10 => 1..=2,
        _ => 1..=5,
    }
}

/// The representatives' names, one per line (or separated by semicolons),
/// checked against the group rule.
pub fn representatives(raw: &str, party_size: Option<u16>) -> Result<Vec<String>, ValidationCode> {
    let mut names = Vec::new();
    for line in raw.split(['\n', ';']) {
        if line.trim().is_empty() {
            continue;
        }
        names.push(full_name(line).map_err(|_| ValidationCode::InvalidRepresentative)?);
    }
    let Some(size) = party_size else {
        return Ok(names);
    };
    let allowed = representatives_allowed(size);
    if *allowed.end() == 0 {
        // A small party has no representatives; names typed anyway are dropped.
        return Ok(Vec::new());
    }
    if names.is_empty() {
        Err(ValidationCode::RepresentativesRequired)
    } else if names.len() > *allowed.end() {
        Err(ValidationCode::TooManyRepresentatives)
    } else {
        Ok(names)
    }
}

/// The consent box must be ticked.
pub fn consent(raw: Option<&str>) -> Result<(), ValidationCode> {
    match raw.map(str::trim) {
        Some("true" | "on" | "1" | "yes") => Ok(()),
        _ => Err(ValidationCode::ConsentRequired),
    }
}

fn collapse_spaces(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
