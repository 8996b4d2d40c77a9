//! Which message a booking change sends, queued in the change's
//! transaction; `notify` writes it when it is sent.

use crate::ssr::outbox::{self, About, Queued};
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    Received,
    Cancelled,
    Moved,
    Reminder,
    /// Staff confirmed the request.
    Confirmed,
    /// Staff turned the request down (with the reason).
    Rejected,
    /// The office closed the day (with the reason).
    ClosedByOffice,
    /// Staff cancelled the booking (with the reason).
    CancelledByStaff,
    /// Staff proposed another time, held until the citizen answers.
    Proposed,
}

impl MailKind {
    pub const ALL: [MailKind; 9] = [
        Self::Received,
        Self::Cancelled,
        Self::Moved,
        Self::Reminder,
        Self::Confirmed,
        Self::Rejected,
        Self::ClosedByOffice,
        Self::CancelledByStaff,
        Self::Proposed,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// Whether the message carries the booking's private link.
    pub(super) fn has_link(self) -> bool {
        matches!(
            self,
            Self::Received | Self::Moved | Self::Reminder | Self::Confirmed | Self::Proposed
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "booking_received",
            Self::Cancelled => "booking_cancelled",
            Self::Moved => "booking_moved",
            Self::Reminder => "booking_reminder",
            Self::Confirmed => "booking_confirmed",
            Self::Rejected => "booking_rejected",
            Self::ClosedByOffice => "booking_closed_by_office",
            Self::CancelledByStaff => "booking_cancelled_by_staff",
            Self::Proposed => "booking_proposed",
        }
    }
}

/// Queues `kind` for the booking `id` in the change's transaction, when the
/// citizen gave an e-mail.
pub async fn queue(
    tx: &mut Transaction<'_, Postgres>,
    kind: MailKind,
    id: Uuid,
    has_email: bool,
) -> Result<(), sqlx::Error> {
    if !has_email {
        return Ok(());
    }
    outbox::enqueue(tx, &Queued::new(kind.as_str(), About::Booking(id))).await
}

#[cfg(test)]
mod tests {
    use super::MailKind;

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(MailKind::parse("case_update"), None);
    }
}
