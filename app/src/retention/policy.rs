//! The retention table: every class of personal data, how long it is kept,
//! what happens then, and why. Each period is a setting with a default an
//! office can defend; `server purge --dry-run` and `docs/retention.md` read
//! the same table.

use crate::ssr::settings::SettingsError;

/// What becomes of a row past its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The row stays (for counts and reports); its personal fields are
    /// replaced by neutral values.
    Anonymise,
    /// The row goes.
    Delete,
}

/// A class of personal data the purge looks after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataClass {
    Bookings,
    BookingNotes,
    WaitlistEntries,
    CaseContacts,
    SentMail,
    PrivateLinks,
    RateLimitWindows,
    StaffSessions,
    FormDrafts,
}

/// One row of the table.
#[derive(Debug)]
pub struct ClassRule {
    pub class: DataClass,
    /// Short name, as `server purge` prints it.
    pub name: &'static str,
    /// The variable that sets the period, in days.
    pub var: &'static str,
    pub default_days: u32,
    pub action: Action,
    /// From when the period counts.
    pub counted_from: &'static str,
    /// Why this period (one line).
    pub reason: &'static str,
}

/// The table. Audit rows are not in it: they are append-only, hold no
/// citizen's personal data (codes, statuses, field names; the staff
/// member's own address and client address, kept for accountability) and
/// are never purged by the app.
pub const TABLE: [ClassRule; 9] = [
    ClassRule {
        class: DataClass::Bookings,
        name: "bookings",
        var: "RETENTION_BOOKING_DAYS",
        default_days: 365,
        action: Action::Anonymise,
        counted_from: "the booking's slot or last change, whichever is later, once it is finished (completed, rejected, cancelled, no-show, or its day is over)",
        reason: "a year covers the annual reception report and lets the desk recognise a citizen who comes back about the same matter",
    },
    ClassRule {
        class: DataClass::BookingNotes,
        name: "booking notes",
        var: "RETENTION_NOTE_DAYS",
        default_days: 365,
        action: Action::Delete,
        counted_from: "as for the booking (and never longer than the booking's own period)",
        reason: "free text staff wrote about a citizen (notes, a history entry's note, a proposal's message) lives no longer than the booking",
    },
    ClassRule {
        class: DataClass::WaitlistEntries,
        name: "waiting-list entries",
        var: "RETENTION_WAITLIST_DAYS",
        default_days: 30,
        action: Action::Delete,
        counted_from: "the entry's day or last change, whichever is later, once it no longer waits",
        reason: "an entry serves its day only; a month lets the desk answer a citizen asking what became of it",
    },
    ClassRule {
        class: DataClass::CaseContacts,
        name: "closed cases' contacts",
        var: "RETENTION_CASE_CONTACT_DAYS",
        default_days: 1825,
        action: Action::Anonymise,
        counted_from: "the last change of a closed or withdrawn case",
        reason: "five years in which a closed case can be reviewed or a new complaint on the same matter joined to it; the file's content goes to the archive, the contact need not",
    },
    ClassRule {
        class: DataClass::SentMail,
        name: "sent mail",
        var: "RETENTION_MAIL_DAYS",
        default_days: 90,
        action: Action::Delete,
        counted_from: "delivery (sent, skipped or given up)",
        reason: "enough to answer \"I never got the e-mail\"; the message itself is never stored, only that it went",
    },
    ClassRule {
        class: DataClass::PrivateLinks,
        name: "expired private links",
        var: "RETENTION_LINK_DAYS",
        default_days: 0,
        action: Action::Delete,
        counted_from: "the link's expiry",
        reason: "a link that no longer opens anything protects nothing by staying",
    },
    ClassRule {
        class: DataClass::RateLimitWindows,
        name: "rate-limit windows",
        var: "RETENTION_RATE_LIMIT_DAYS",
        default_days: 1,
        action: Action::Delete,
        counted_from: "the window's start",
        reason: "they name client addresses; the longest window is an hour, a day leaves room to look into a flood",
    },
    ClassRule {
        class: DataClass::StaffSessions,
        name: "staff sessions",
        var: "RETENTION_SESSION_DAYS",
        default_days: 0,
        action: Action::Delete,
        counted_from: "the session's expiry",
        reason: "an ended session is of no use to anyone; sign-ins are in the audit trail",
    },
    ClassRule {
        class: DataClass::FormDrafts,
        name: "form drafts",
        var: "RETENTION_DRAFT_DAYS",
        default_days: 0,
        action: Action::Delete,
        counted_from: "the draft's expiry (ten minutes after the refused post)",
        reason: "a draft only refills a form the server sent back with errors",
    },
];

/// The periods in force, in days, one per class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    days: [u32; TABLE.len()],
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            days: TABLE.map(|rule| rule.default_days),
        }
    }
}

/// No period may run past a century (a typo's safety net, and it keeps
/// the interval arithmetic far from overflow).
const MAX_DAYS: u32 = 36_500;

impl Retention {
    /// Reads every class's variable through `lookup`; a missing one takes
    /// the default.
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let mut days = [0; TABLE.len()];
        for (slot, rule) in days.iter_mut().zip(TABLE.iter()) {
            *slot = match lookup(rule.var) {
                None => rule.default_days,
                Some(value) => match value.trim().parse::<u32>() {
                    Ok(n) if n <= MAX_DAYS => n,
                    _ => {
                        return Err(SettingsError {
                            var: rule.var,
                            reason: format!("expected a number of days from 0 to {MAX_DAYS}"),
                        })
                    }
                },
            };
        }
        let retention = Self { days };
        let (notes, bookings) = (
            retention.days(DataClass::BookingNotes),
            retention.days(DataClass::Bookings),
        );
        if notes > bookings {
            return Err(SettingsError {
                var: "RETENTION_NOTE_DAYS",
                reason: format!(
                    "must not exceed RETENTION_BOOKING_DAYS ({bookings}): notes go with the booking's personal fields"
                ),
            });
        }
        Ok(retention)
    }

    /// The period of `class`, in days.
    pub fn days(&self, class: DataClass) -> u32 {
        TABLE
            .iter()
            .position(|rule| rule.class == class)
            .map_or(0, |i| self.days[i])
    }

    /// The same periods with `class` set to `days` (tests, the dry run's
    /// what-if).
    pub fn with(mut self, class: DataClass, days: u32) -> Self {
        if let Some(i) = TABLE.iter().position(|rule| rule.class == class) {
            self.days[i] = days.min(MAX_DAYS);
        }
        self
    }
}

/// The rule of `class`.
pub fn rule(class: DataClass) -> &'static ClassRule {
    TABLE
        .iter()
        .find(|rule| rule.class == class)
        .unwrap_or(&TABLE[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> Result<Retention, SettingsError> {
        Retention::from_lookup(&|name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn every_class_has_one_rule_and_its_own_variable() {
        let mut vars: Vec<_> = TABLE.iter().map(|r| r.var).collect();
        vars.sort_unstable();
        vars.dedup();
        assert_eq!(vars.len(), TABLE.len());
        for rule in &TABLE {
            assert_eq!(super::rule(rule.class).var, rule.var);
            assert!(!rule.reason.is_empty() && !rule.counted_from.is_empty());
        }
    }

    #[test]
    fn defaults_apply_and_variables_override_them() {
        let r = from(&[]).unwrap();
        assert_eq!(r, Retention::default());
        assert_eq!(r.days(DataClass::Bookings), 365);
        assert_eq!(r.days(DataClass::CaseContacts), 1825);
        let r = from(&[
            ("RETENTION_BOOKING_DAYS", "730"),
            ("RETENTION_MAIL_DAYS", " 30 "),
        ])
        .unwrap();
        assert_eq!(r.days(DataClass::Bookings), 730);
        assert_eq!(r.days(DataClass::SentMail), 30);
    }

    #[test]
    fn bad_periods_name_their_variable() {
        for bad in ["-1", "abc", "36501", "1.5"] {
            let e = from(&[("RETENTION_WAITLIST_DAYS", bad)]).unwrap_err();
            assert_eq!(e.var, "RETENTION_WAITLIST_DAYS", "{bad}");
        }
        let e = from(&[("RETENTION_NOTE_DAYS", "400")]).unwrap_err();
        assert_eq!(e.var, "RETENTION_NOTE_DAYS");
        assert!(from(&[("RETENTION_NOTE_DAYS", "30")]).is_ok());
    }
}
