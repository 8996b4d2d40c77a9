//! Booking codes: what a citizen reads out at the desk and types to look a
//! booking up.

use crate::error::ValidationCode;
use std::fmt;

/// 32 symbols, none of which can be mistaken for another: no 0/O, no 1/I.
pub const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// 10 symbols of 5 bits: 50 random bits.
pub const LEN: usize = 10;

/// A validated booking code, stored and compared as 10 upper-case symbols
/// and shown in groups (`K7MX-Q2PR-9T`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct BookingCode(String);

impl BookingCode {
    /// Reads a code as a citizen may type it: any case, with spaces or dashes.
    pub fn parse(raw: &str) -> Result<Self, ValidationCode> {
        let symbols: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if symbols.is_empty() {
            return Err(ValidationCode::Required);
        }
        if symbols.len() == LEN && symbols.bytes().all(|b| ALPHABET.contains(&b)) {
            Ok(Self(symbols))
        } else {
            Err(ValidationCode::InvalidCode)
        }
    }

    /// A fresh random code.
    #[cfg(feature = "ssr")]
    pub fn random() -> Self {
        use rand::Rng;
        let mut rng = rand::rng();
        Self(
            (0..LEN)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped for reading aloud and printing: `K7MX-Q2PR-9T`.
    pub fn display(&self) -> String {
        format!("{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }

    /// `raw` grouped for reading when it is a code, else as it is.
    pub fn pretty(raw: &str) -> String {
        Self::parse(raw)
            .map(|c| c.display())
            .unwrap_or_else(|_| raw.to_owned())
    }
}

impl fmt::Display for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_citizens_type() {
        let code = BookingCode::parse(" k7mx-q2pr 9t ").unwrap();
        assert_eq!(code.as_str(), "K7MXQ2PR9T");
        assert_eq!(code.display(), "K7MX-Q2PR-9T");
        assert_eq!(BookingCode::parse(""), Err(ValidationCode::Required));
        for bad in [
            "K7MXQ2PR9",
            "K7MXQ2PR9TT",
            "K7MXQ2PR90",
            "K7MXQ2PR1T",
            "O7MXQ2PR9T",
            "I7MXQ2PR9T",
            "Ê7MXQ2PR9T",
        ] {
            assert_eq!(
                BookingCode::parse(bad),
                Err(ValidationCode::InvalidCode),
                "{bad}"
            );
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn random_codes_parse_and_differ() {
        let codes: std::collections::HashSet<_> =
            (0..1000).map(|_| BookingCode::random()).collect();
        assert_eq!(codes.len(), 1000);
        for code in &codes {
            assert_eq!(BookingCode::parse(code.as_str()).as_ref(), Ok(code));
        }
    }
}
