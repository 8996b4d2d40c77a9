//! What a case is and where it stands: its kind, its status and the status
//! machine every change goes through.

use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// What the citizen lodged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// Khiếu nại (Law on Complaints 02/2011/QH13).
    Complaint,
    /// Tố cáo (Law on Denunciations 25/2018/QH14): the denouncer's identity
    /// is confidential.
    Denunciation,
    /// Kiến nghị, phản ánh.
    Petition,
}

impl CaseKind {
    pub const ALL: [Self; 3] = [Self::Complaint, Self::Denunciation, Self::Petition];

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw.trim() {
            "complaint" => Self::Complaint,
            "denunciation" => Self::Denunciation,
            "petition" => Self::Petition,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Complaint => "complaint",
            Self::Denunciation => "denunciation",
            Self::Petition => "petition",
        }
    }

    /// The kind in the reader's language (the booking form's topic words).
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Complaint => td_string!(locale, booking.topic_complaint),
            Self::Denunciation => td_string!(locale, booking.topic_denunciation),
            Self::Petition => td_string!(locale, booking.topic_petition),
        }
    }
}

/// A booking's topic is the kind of the case opened from it.
impl From<crate::booking::Topic> for CaseKind {
    fn from(topic: crate::booking::Topic) -> Self {
        use crate::booking::Topic;
        match topic {
            Topic::Complaint => Self::Complaint,
            Topic::Denunciation => Self::Denunciation,
            Topic::Petition => Self::Petition,
        }
    }
}

/// Where a case stands. The machine names are the API's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Received,
    UnderReview,
    Accepted,
    NotAccepted,
    Transferred,
    Guided,
    Verifying,
    Suspended,
    Concluded,
    Closed,
    Withdrawn,
}

impl CaseStatus {
    pub const ALL: [Self; 11] = [
        Self::Received,
        Self::UnderReview,
        Self::Accepted,
        Self::NotAccepted,
        Self::Transferred,
        Self::Guided,
        Self::Verifying,
        Self::Suspended,
        Self::Concluded,
        Self::Closed,
        Self::Withdrawn,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::UnderReview => "under_review",
            Self::Accepted => "accepted",
            Self::NotAccepted => "not_accepted",
            Self::Transferred => "transferred",
            Self::Guided => "guided",
            Self::Verifying => "verifying",
            Self::Suspended => "suspended",
            Self::Concluded => "concluded",
            Self::Closed => "closed",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// The status in the reader's language.
    pub fn label(self, locale: Locale) -> &'static str {
        use CaseStatus::*;
        match self {
            Received => td_string!(locale, case_status.received),
            UnderReview => td_string!(locale, case_status.under_review),
            Accepted => td_string!(locale, case_status.accepted),
            NotAccepted => td_string!(locale, case_status.not_accepted),
            Transferred => td_string!(locale, case_status.transferred),
            Guided => td_string!(locale, case_status.guided),
            Verifying => td_string!(locale, case_status.verifying),
            Suspended => td_string!(locale, case_status.suspended),
            Concluded => td_string!(locale, case_status.concluded),
            Closed => td_string!(locale, case_status.closed),
            Withdrawn => td_string!(locale, case_status.withdrawn),
        }
    }

    /// Whether `self → to` is a legal step for a case of `kind`.
    ///
    /// received → under review → accepted / not accepted / transferred /
    /// guided; accepted → verifying → concluded → closed; the three
    /// endings other than acceptance → closed; withdrawn from any open
    /// stage. Only a denunciation's handling can be suspended and resumed
    /// (Law on Denunciations 2018, art. 36): suspended → verifying is the
    /// resumption.
    pub fn can_become(self, to: Self, kind: CaseKind) -> bool {
        use CaseStatus::*;
        let denunciation = kind == CaseKind::Denunciation;
        match (self, to) {
            (Received, UnderReview)
            | (UnderReview, Accepted | NotAccepted | Transferred | Guided)
            | (Accepted, Verifying)
            | (Verifying, Concluded)
            | (Concluded | NotAccepted | Transferred | Guided, Closed)
            | (Received | UnderReview | Accepted | Verifying | Suspended, Withdrawn) => true,
            (Accepted | Verifying, Suspended) | (Suspended, Verifying) => denunciation,
            _ => false,
        }
    }

    /// The statuses a case of `kind` may move to from here, in the order
    /// staff see them offered.
    pub fn next(self, kind: CaseKind) -> Vec<Self> {
        Self::ALL
            .into_iter()
            .filter(|to| self.can_become(*to, kind))
            .collect()
    }

    /// Stages still being handled (a legal clock runs, or is suspended).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Received | Self::UnderReview | Self::Accepted | Self::Verifying | Self::Suspended
        )
    }
}

/// How hard a case is, as the officer records it when extending its
/// deadline (the laws give complicated cases more time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Complexity {
    Normal,
    Complicated,
    EspeciallyComplicated,
}

impl Complexity {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw.trim() {
            "normal" => Self::Normal,
            "complicated" => Self::Complicated,
            "especially_complicated" => Self::EspeciallyComplicated,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Complicated => "complicated",
            Self::EspeciallyComplicated => "especially_complicated",
        }
    }
}

/// How a case reached the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Reception,
    Post,
    Portal,
}

impl Channel {
    pub const ALL: [Self; 3] = [Self::Reception, Self::Post, Self::Portal];

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw.trim() {
            "reception" => Self::Reception,
            "post" => Self::Post,
            "portal" => Self::Portal,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reception => "reception",
            Self::Post => "post",
            Self::Portal => "portal",
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Reception => td_string!(locale, cases.channel_reception),
            Self::Post => td_string!(locale, cases.channel_post),
            Self::Portal => td_string!(locale, cases.channel_portal),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CaseKind::*;
    use super::CaseStatus::*;
    use super::*;

    /// Every legal step, per kind; every other pair must be refused.
    fn legal(kind: CaseKind) -> Vec<(CaseStatus, CaseStatus)> {
        let mut steps = vec![
            (Received, UnderReview),
            (UnderReview, Accepted),
            (UnderReview, NotAccepted),
            (UnderReview, Transferred),
            (UnderReview, Guided),
            (Accepted, Verifying),
            (Verifying, Concluded),
            (Concluded, Closed),
            (NotAccepted, Closed),
            (Transferred, Closed),
            (Guided, Closed),
            (Received, Withdrawn),
            (UnderReview, Withdrawn),
            (Accepted, Withdrawn),
            (Verifying, Withdrawn),
            (Suspended, Withdrawn),
        ];
        if kind == Denunciation {
            steps.extend([
                (Accepted, Suspended),
                (Verifying, Suspended),
                (Suspended, Verifying),
            ]);
        }
        steps
    }

    #[test]
    fn every_pair_of_statuses_is_allowed_exactly_when_the_machine_says() {
        for kind in CaseKind::ALL {
            let legal = legal(kind);
            for from in CaseStatus::ALL {
                for to in CaseStatus::ALL {
                    assert_eq!(
                        from.can_become(to, kind),
                        legal.contains(&(from, to)),
                        "{kind:?}: {from:?} → {to:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn closed_and_withdrawn_are_final() {
        for kind in CaseKind::ALL {
            assert!(Closed.next(kind).is_empty());
            assert!(Withdrawn.next(kind).is_empty());
        }
        assert_eq!(
            UnderReview.next(Complaint),
            vec![Accepted, NotAccepted, Transferred, Guided, Withdrawn]
        );
    }

    #[test]
    fn names_round_trip() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::Value::from(s.as_str())
            );
        }
        for k in CaseKind::ALL {
            assert_eq!(CaseKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(CaseStatus::parse("resumed"), None);
    }
}
