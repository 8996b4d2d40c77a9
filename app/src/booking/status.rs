//! Where a booking stands and how it may move: the booking state machine
//! (listed in `docs/api.md`). The database keeps the same names as
//! text, and reading an unknown one is an internal error, never a default.

use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Requested,
    Confirmed,
    CheckedIn,
    Completed,
    Rejected,
    Cancelled,
    NoShow,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 7] = [
        Self::Requested,
        Self::Confirmed,
        Self::CheckedIn,
        Self::Completed,
        Self::Rejected,
        Self::Cancelled,
        Self::NoShow,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Confirmed => "confirmed",
            Self::CheckedIn => "checked_in",
            Self::Completed => "completed",
            Self::Rejected => "rejected",
            Self::Cancelled => "cancelled",
            Self::NoShow => "no_show",
        }
    }

    /// The status in the reader's language.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Requested => td_string!(locale, status.requested),
            Self::Confirmed => td_string!(locale, status.confirmed),
            Self::CheckedIn => td_string!(locale, status.checked_in),
            Self::Completed => td_string!(locale, status.completed),
            Self::Rejected => td_string!(locale, status.rejected),
            Self::Cancelled => td_string!(locale, status.cancelled),
            Self::NoShow => td_string!(locale, status.no_show),
        }
    }

    /// Whether the citizen may still cancel or move it (before the notice).
    pub fn changeable(self) -> bool {
        matches!(self, Self::Requested | Self::Confirmed)
    }

    /// Whether a booking in this status may be changed to `next`: requested →
    /// confirmed → checked in → completed; a request can be rejected, a
    /// request or a confirmed booking cancelled, a confirmed one end as a
    /// no-show. Nothing leaves a final status.
    pub fn can_become(self, next: Self) -> bool {
        use BookingStatus::*;
        matches!(
            (self, next),
            (Requested, Confirmed | Rejected | Cancelled)
                | (Confirmed, CheckedIn | NoShow | Cancelled)
                | (CheckedIn, Completed)
        )
    }
}

/// One step of a booking's history: a status reached, or a move to another
/// slot (which keeps the status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum HistoryStep {
    Requested,
    Confirmed,
    CheckedIn,
    Completed,
    Rejected,
    Cancelled,
    NoShow,
    Moved,
    /// Staff proposed another time (its place held for the citizen).
    Proposed,
    /// The citizen turned the proposed time down.
    ProposalDeclined,
    /// Nobody answered the proposal in time.
    ProposalExpired,
    /// The citizen withdrew consent: the personal data went with it.
    ConsentWithdrawn,
}

impl HistoryStep {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Moved => "moved",
            Self::Proposed => "proposed",
            Self::ProposalDeclined => "proposal_declined",
            Self::ProposalExpired => "proposal_expired",
            Self::ConsentWithdrawn => "consent_withdrawn",
            other => other.status().map_or("moved", BookingStatus::as_str),
        }
    }

    /// The status this step reached (none for a move).
    pub fn status(self) -> Option<BookingStatus> {
        Some(match self {
            Self::Requested => BookingStatus::Requested,
            Self::Confirmed => BookingStatus::Confirmed,
            Self::CheckedIn => BookingStatus::CheckedIn,
            Self::Completed => BookingStatus::Completed,
            Self::Rejected => BookingStatus::Rejected,
            Self::Cancelled => BookingStatus::Cancelled,
            Self::NoShow => BookingStatus::NoShow,
            Self::Moved
            | Self::Proposed
            | Self::ProposalDeclined
            | Self::ProposalExpired
            | Self::ConsentWithdrawn => return None,
        })
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Moved => td_string!(locale, status.moved),
            Self::Proposed => td_string!(locale, status.proposed),
            Self::ProposalDeclined => td_string!(locale, status.proposal_declined),
            Self::ProposalExpired => td_string!(locale, status.proposal_expired),
            Self::ConsentWithdrawn => td_string!(locale, status.consent_withdrawn),
            other => other
                .status()
                .map_or_else(|| td_string!(locale, status.moved), |s| s.label(locale)),
        }
    }
}

impl From<BookingStatus> for HistoryStep {
    fn from(status: BookingStatus) -> Self {
        match status {
            BookingStatus::Requested => Self::Requested,
            BookingStatus::Confirmed => Self::Confirmed,
            BookingStatus::CheckedIn => Self::CheckedIn,
            BookingStatus::Completed => Self::Completed,
            BookingStatus::Rejected => Self::Rejected,
            BookingStatus::Cancelled => Self::Cancelled,
            BookingStatus::NoShow => Self::NoShow,
        }
    }
}

/// A front-desk status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskAction {
    Confirm,
    Reject,
    CheckIn,
    NoShow,
    Complete,
    /// Staff cancel a request or a confirmed booking (with a reason).
    Cancel,
}

impl DeskAction {
    pub const ALL: [DeskAction; 6] = [
        Self::Confirm,
        Self::Reject,
        Self::CheckIn,
        Self::NoShow,
        Self::Complete,
        Self::Cancel,
    ];

    /// The status the booking has after the action.
    pub fn resulting_status(self) -> BookingStatus {
        match self {
            Self::Confirm => BookingStatus::Confirmed,
            Self::Reject => BookingStatus::Rejected,
            Self::CheckIn => BookingStatus::CheckedIn,
            Self::NoShow => BookingStatus::NoShow,
            Self::Complete => BookingStatus::Completed,
            Self::Cancel => BookingStatus::Cancelled,
        }
    }

    /// Whether the action applies to a booking in `status`.
    pub fn allowed_from(self, status: BookingStatus) -> bool {
        status.can_become(self.resulting_status())
    }

    /// A rejected or cancelled booking gives its place back to the slot.
    pub fn frees_place(self) -> bool {
        matches!(self, Self::Reject | Self::Cancel)
    }

    /// Whether the citizen must be given a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Reject | Self::Cancel)
    }

    pub fn audit_name(self) -> &'static str {
        match self {
            Self::Confirm => "booking.confirm",
            Self::Reject => "booking.reject",
            Self::CheckIn => "booking.check_in",
            Self::NoShow => "booking.no_show",
            Self::Complete => "booking.complete",
            Self::Cancel => "booking.cancel",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BookingStatus::{self, *};
    use super::{DeskAction, HistoryStep};

    #[test]
    fn every_pair_of_statuses_is_decided_by_the_table() {
        // Rows: from; columns: to, in `BookingStatus::ALL` order.
        #[rustfmt::skip]
        let table: [(BookingStatus, [bool; 7]); 7] = [
            //           req    conf   in     done   rej    canc   absent
            (Requested, [false, true,  false, false, true,  true,  false]),
            (Confirmed, [false, false, true,  false, false, true,  true ]),
            (CheckedIn, [false, false, false, true,  false, false, false]),
            (Completed, [false; 7]),
            (Rejected,  [false; 7]),
            (Cancelled, [false; 7]),
            (NoShow,    [false; 7]),
        ];
        for (from, row) in table {
            for (to, allowed) in BookingStatus::ALL.into_iter().zip(row) {
                assert_eq!(from.can_become(to), allowed, "{from:?} → {to:?}");
            }
        }
    }

    #[test]
    fn desk_actions_follow_the_state_machine() {
        use DeskAction::*;
        let from = |a: DeskAction| -> Vec<BookingStatus> {
            BookingStatus::ALL
                .into_iter()
                .filter(|s| a.allowed_from(*s))
                .collect()
        };
        assert_eq!(from(Confirm), [Requested]);
        assert_eq!(from(Reject), [Requested]);
        assert_eq!(from(CheckIn), [Confirmed]);
        assert_eq!(from(NoShow), [Confirmed]);
        assert_eq!(from(Complete), [CheckedIn]);
        assert_eq!(from(Cancel), [Requested, Confirmed]);
        assert!(Reject.frees_place() && Cancel.frees_place());
        assert!(!Confirm.frees_place() && !CheckIn.frees_place() && !NoShow.frees_place());
        assert!(Reject.needs_reason() && Cancel.needs_reason() && !Confirm.needs_reason());
        for action in DeskAction::ALL {
            assert!(!action.allowed_from(action.resulting_status()));
        }
    }

    #[test]
    fn names_round_trip_and_history_steps_keep_them() {
        for s in BookingStatus::ALL {
            assert_eq!(BookingStatus::parse(s.as_str()), Some(s));
            assert_eq!(HistoryStep::from(s).as_str(), s.as_str());
            assert_eq!(HistoryStep::from(s).status(), Some(s));
            assert_eq!(
                serde_json::to_string(&HistoryStep::from(s)).ok(),
                serde_json::to_string(&s).ok()
            );
        }
        assert_eq!(HistoryStep::Moved.as_str(), "moved");
        assert_eq!(BookingStatus::parse("moved"), None);
        assert_eq!(BookingStatus::parse("Requested"), None);
    }
}
