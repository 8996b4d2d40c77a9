//! Refusing form fields: one code per reason, its words in both languages,
//! and [`Fields`], which gathers every problem of a form at once.

use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// A message about one form field, keyed by the field's `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The input's `name`, which is also the server function's argument name.
    pub field: String,
    /// A stable machine code, for API clients and tests.
    pub code: ValidationCode,
    /// The text shown beside the field, in the user's language.
    pub message: String,
}

/// Every reason a field can be refused. The same codes, and through
/// [`ValidationCode::message`] the same words, are used in the browser and on
/// the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidationCode {
    Required,
    UnsupportedLocale,
    TooLong,
    TooShort,
    InvalidName,
    InvalidCitizenId,
    InvalidPhone,
    InvalidEmail,
    InvalidChoice,
    InvalidText,
    InvalidPartySize,
    RepresentativesRequired,
    TooManyRepresentatives,
    InvalidRepresentative,
    ConsentRequired,
    InvalidCode,
    InvalidDate,
    InvalidSlot,
    /// No time of the day can still be waited for (closed, past, or beyond the horizon).
    DayNotWaitable,
    InvalidNumber,
    /// Kept places would be released after online booking closes (the
    /// minimum notice), so citizens could never book them.
    ReleaseAfterNotice,
    /// More places kept back than the slot has.
    KeptAboveCapacity,
    InvalidTime,
    PastDate,
    EndBeforeStart,
    SlotTooLong,
    Overlaps,
    PasswordTooShort,
    PasswordMismatch,
    WrongPassword,
    EmailTaken,
    InvalidVerifier,
    /// The CCCD typed again is not the booking's.
    CitizenIdMismatch,
    /// Withdrawing consent needs its box ticked.
    ConfirmWithdrawal,
}

impl ValidationCode {
    /// The message for this code in `locale`.
    pub fn message(self, locale: Locale) -> &'static str {
        match self {
            Self::Required => td_string!(locale, validation.required),
            Self::UnsupportedLocale => td_string!(locale, validation.unsupported_locale),
            Self::TooLong => td_string!(locale, validation.too_long),
            Self::TooShort => td_string!(locale, validation.too_short),
            Self::InvalidName => td_string!(locale, validation.invalid_name),
            Self::InvalidCitizenId => td_string!(locale, validation.invalid_citizen_id),
            Self::InvalidPhone => td_string!(locale, validation.invalid_phone),
            Self::InvalidEmail => td_string!(locale, validation.invalid_email),
            Self::InvalidChoice => td_string!(locale, validation.invalid_choice),
            Self::InvalidText => td_string!(locale, validation.invalid_text),
            Self::InvalidPartySize => td_string!(locale, validation.invalid_party_size),
            Self::RepresentativesRequired => {
                td_string!(locale, validation.representatives_required)
            }
            Self::TooManyRepresentatives => td_string!(locale, validation.too_many_representatives),
            Self::InvalidRepresentative => td_string!(locale, validation.invalid_representative),
            Self::ConsentRequired => td_string!(locale, validation.consent_required),
            Self::InvalidCode => td_string!(locale, validation.invalid_code),
            Self::InvalidDate => td_string!(locale, validation.invalid_date),
            Self::InvalidSlot => td_string!(locale, validation.invalid_slot),
            // Only the server finds a day not waitable (see `ConflictReason`).
            #[cfg(feature = "ssr")]
            Self::DayNotWaitable => td_string!(locale, validation.day_not_waitable),
            #[cfg(not(feature = "ssr"))]
            Self::DayNotWaitable => td_string!(locale, validation.invalid_date),
            Self::InvalidNumber => td_string!(locale, validation.invalid_number),
            // Staff forms only, rendered by the server.
            #[cfg(feature = "ssr")]
            Self::ReleaseAfterNotice => td_string!(locale, validation.release_after_notice),
            #[cfg(feature = "ssr")]
            Self::KeptAboveCapacity => td_string!(locale, validation.kept_above_capacity),
            #[cfg(not(feature = "ssr"))]
            Self::ReleaseAfterNotice | Self::KeptAboveCapacity => {
                td_string!(locale, validation.invalid_number)
            }
            Self::InvalidTime => td_string!(locale, validation.invalid_time),
            Self::PastDate => td_string!(locale, validation.past_date),
            Self::EndBeforeStart => td_string!(locale, validation.end_before_start),
            Self::SlotTooLong => td_string!(locale, validation.slot_too_long),
            Self::Overlaps => td_string!(locale, validation.overlaps),
            Self::PasswordTooShort => td_string!(locale, validation.password_too_short),
            Self::PasswordMismatch => td_string!(locale, validation.password_mismatch),
            Self::WrongPassword => td_string!(locale, validation.wrong_password),
            Self::EmailTaken => td_string!(locale, validation.email_taken),
            Self::InvalidVerifier => td_string!(locale, validation.invalid_verifier),
            // Only the server checks these (the personal-data forms).
            #[cfg(feature = "ssr")]
            Self::CitizenIdMismatch => td_string!(locale, validation.citizen_id_mismatch),
            #[cfg(feature = "ssr")]
            Self::ConfirmWithdrawal => td_string!(locale, validation.confirm_withdrawal),
            #[cfg(not(feature = "ssr"))]
            Self::CitizenIdMismatch | Self::ConfirmWithdrawal => {
                td_string!(locale, validation.required)
            }
        }
    }
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: ValidationCode, locale: Locale) -> Self {
        Self {
            field: field.into(),
            code,
            message: code.message(locale).to_owned(),
        }
    }
}

/// Collects the per-field problems of one form, so that a citizen sees every
/// invalid field at once rather than one per submit.
pub struct Fields {
    locale: Locale,
    errors: Vec<FieldError>,
}

impl Fields {
    pub fn new(locale: Locale) -> Self {
        Self {
            locale,
            errors: Vec::new(),
        }
    }

    /// The value, or `None` with the field's problem noted.
    pub fn check<T>(&mut self, field: &str, result: Result<T, ValidationCode>) -> Option<T> {
        result.map_err(|code| self.push(field, code)).ok()
    }

    /// The reader's language, for the messages of parsers that take these
    /// fields.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The checked values when no field had a problem, else every problem.
    /// `values` are what [`check`](Self::check) (or a parser that notes its
    /// fields here) returned: each is `Some` exactly when its field passed,
    /// so with no problem noted they all are.
    pub fn done<T: Checked>(self, values: T) -> Result<T::Value, Invalid> {
        self.finish()?;
        // Unreachable while every `None` comes with a noted problem: an
        // empty `Invalid` is answered as an internal error.
        values.all().ok_or(Invalid(Vec::new()))
    }

    pub fn push(&mut self, field: &str, code: ValidationCode) {
        self.errors.push(FieldError::new(field, code, self.locale));
    }

    /// `Ok` when no field had a problem, else every problem (a 422 once it
    /// is an `AppError`).
    pub fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.errors))
        }
    }
}

/// The refused fields of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldError>);

/// A tuple of checked values, each `Some` when its field passed.
pub trait Checked {
    type Value;
    fn all(self) -> Option<Self::Value>;
}

impl<A> Checked for Option<A> {
    type Value = A;
    fn all(self) -> Option<A> {
        self
    }
}

macro_rules! checked_tuple {
    ($($name:ident),+) => {
        impl<$($name),+> Checked for ($(Option<$name>,)+) {
            type Value = ($($name,)+);
            #[allow(non_snake_case)]
            fn all(self) -> Option<Self::Value> {
                let ($($name,)+) = self;
                Some(($($name?,)+))
            }
        }
    };
}

checked_tuple!(A, B);
checked_tuple!(A, B, C);
checked_tuple!(A, B, C, D);
checked_tuple!(A, B, C, D, E);
checked_tuple!(A, B, C, D, E, F);
checked_tuple!(A, B, C, D, E, F, G);
checked_tuple!(A, B, C, D, E, F, G, H);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn done_gives_every_value_or_every_problem() {
        let mut f = Fields::new(Locale::en);
        let a = f.check("a", Ok::<_, ValidationCode>(1));
        let b = f.check("b", Ok::<_, ValidationCode>("x"));
        assert_eq!(f.done((a, b)), Ok((1, "x")));

        let mut f = Fields::new(Locale::en);
        let a = f.check("a", Err::<i32, _>(ValidationCode::Required));
        let b = f.check("b", Err::<i32, _>(ValidationCode::TooLong));
        let Err(Invalid(problems)) = f.done((a, b)) else {
            panic!("two bad fields passed");
        };
        let names: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(names, ["a", "b"]);

        // A `None` nobody explained is refused, never let through.
        let f = Fields::new(Locale::en);
        assert_eq!(f.done((Some(1), None::<i32>)), Err(Invalid(Vec::new())));
    }
}
