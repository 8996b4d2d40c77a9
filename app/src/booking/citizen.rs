//! Who comes and about what, as every form that receives a citizen sends it:
//! the booking form, the desk's walk-in and the case opened by hand. Each
//! field is checked by the rules in [`validate`](super::validate), the same
//! functions the browser's `FormGuard` runs, and every problem is noted in
//! one [`Fields`] so the form shows them all at once.

use super::form::{CitizenFields, VisitFields};
use super::validate::{self, Topic};
use crate::error::Fields;
use unicode_normalization::UnicodeNormalization;

/// Text as the citizen typed it, in one Unicode form (a name typed on two
/// keyboards compares equal).
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// The citizen's checked details. `C` is the CCCD: required (`String`) for a
/// booking or a walk-in, optional for a case opened from a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen<C = String> {
    pub full_name: String,
    pub citizen_id: C,
    /// Canonical: `0xxxxxxxxx` or `02xxxxxxxxx`.
    pub phone: String,
    pub email: Option<String>,
}

impl Citizen {
    /// The details with a CCCD, or `None` with each problem noted in `f`.
    pub fn parse(raw: &CitizenFields, f: &mut Fields) -> Option<Self> {
        Citizen::parse_with(raw, f, |cccd, f| {
            f.check("citizen_id", validate::citizen_id(cccd))
        })
    }
}

impl Citizen<Option<String>> {
    /// The details where the CCCD may be left out (empty is `None`).
    pub fn parse_cccd_optional(raw: &CitizenFields, f: &mut Fields) -> Option<Self> {
        Citizen::parse_with(raw, f, |cccd, f| {
            if cccd.trim().is_empty() {
                Some(None)
            } else {
                f.check("citizen_id", validate::citizen_id(cccd)).map(Some)
            }
        })
    }
}

impl<C> Citizen<C> {
    /// Checks the fields in the form's order, so problems are listed as the
    /// citizen meets them.
    fn parse_with(
        raw: &CitizenFields,
        f: &mut Fields,
        citizen_id: impl FnOnce(&str, &mut Fields) -> Option<C>,
    ) -> Option<Self> {
        let full_name = f.check("full_name", validate::full_name(&nfc(&raw.full_name)));
        let citizen_id = citizen_id(&raw.citizen_id, f);
        let phone = f.check("phone", validate::phone(&raw.phone));
        let email = f.check("email", validate::email(&raw.email));
        Some(Citizen {
            full_name: full_name?,
            citizen_id: citizen_id?,
            phone: phone?,
            email: email?,
        })
    }
}

/// What the citizen comes about, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub topic: Topic,
    pub summary: String,
    pub party_size: i16,
    /// One to five names for a group, none for one person.
    pub representatives: Vec<String>,
    pub needs: String,
    pub interpreter: bool,
}

impl Visit {
    /// The visit, or `None` with each problem noted in `f`.
    pub fn parse(raw: &VisitFields, f: &mut Fields) -> Option<Self> {
        let topic = f.check("topic", Topic::parse(&raw.topic));
        let summary = f.check("summary", validate::summary(&nfc(&raw.summary)));
        let party_size = f.check("party_size", validate::party_size(&raw.party_size));
        let representatives = f.check(
            "representatives",
            validate::representatives(&nfc(&raw.representatives), party_size),
        );
        let needs = f.check("needs", validate::needs(&nfc(&raw.needs)));
        Some(Visit {
            topic: topic?,
            summary: summary?,
            // `party_size` is at most 500.
            party_size: i16::try_from(party_size?).ok()?,
            representatives: representatives?,
            needs: needs?,
            interpreter: raw.interpreter_asked(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Invalid, ValidationCode};
    use crate::i18n::Locale;

    fn good() -> CitizenFields {
        CitizenFields {
            full_name: "Nguyễn Văn An".into(),
            citizen_id: "001234567890".into(),
            phone: "+84 912 345 678".into(),
            email: String::new(),
        }
    }

    fn problems(f: Fields) -> Vec<(String, ValidationCode)> {
        match f.done(Some(())) {
            Ok(()) => Vec::new(),
            Err(Invalid(list)) => list.into_iter().map(|p| (p.field, p.code)).collect(),
        }
    }

    #[test]
    fn a_citizen_is_checked_field_by_field_and_all_at_once() {
        let mut f = Fields::new(Locale::vi);
        let citizen = Citizen::parse(&good(), &mut f);
        assert_eq!(
            citizen.map(|c| (c.phone, c.email)),
            Some(("0912345678".to_owned(), None))
        );
        assert!(problems(f).is_empty());

        let mut f = Fields::new(Locale::vi);
        let bad = CitizenFields {
            full_name: "x".into(),
            citizen_id: "12".into(),
            phone: "12".into(),
            email: "not-an-address".into(),
        };
        assert_eq!(Citizen::parse(&bad, &mut f), None);
        let fields: Vec<_> = problems(f).into_iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["full_name", "citizen_id", "phone", "email"]);
    }

    #[test]
    fn the_cccd_may_be_left_out_only_where_the_form_allows_it() {
        let without = CitizenFields {
            citizen_id: "  ".into(),
            ..good()
        };
        let mut f = Fields::new(Locale::vi);
        assert_eq!(Citizen::parse(&without, &mut f), None);
        assert_eq!(
            problems(f),
            [("citizen_id".to_owned(), ValidationCode::Required)]
        );

        let mut f = Fields::new(Locale::vi);
        let citizen = Citizen::parse_cccd_optional(&without, &mut f);
        assert_eq!(citizen.map(|c| c.citizen_id), Some(None));
        let mut f = Fields::new(Locale::vi);
        let citizen = Citizen::parse_cccd_optional(&good(), &mut f);
        assert_eq!(
            citizen.map(|c| c.citizen_id),
            Some(Some("001234567890".to_owned()))
        );
    }

    #[test]
    fn a_visit_of_a_group_needs_its_representatives() {
        let raw = VisitFields {
            topic: "complaint".into(),
            summary: "Đất đai bị lấn chiếm từ năm 2020.".into(),
            party_size: "6".into(),
            representatives: String::new(),
            needs: String::new(),
            interpreter: Some("on".into()),
        };
        let mut f = Fields::new(Locale::vi);
        assert_eq!(Visit::parse(&raw, &mut f), None);
        assert_eq!(problems(f).len(), 1);

        let raw = VisitFields {
            representatives: "Trần Thị Bình\nLê Văn Cường".into(),
            ..raw
        };
        let mut f = Fields::new(Locale::vi);
        let visit = Visit::parse(&raw, &mut f);
        assert_eq!(
            visit.map(|m| (m.party_size, m.representatives.len(), m.interpreter)),
            Some((6, 2, true))
        );
    }
}
