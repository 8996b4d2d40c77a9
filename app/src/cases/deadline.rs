//! Legal deadlines: the one rule table, each rule citing its article, and
//! the day counting it prescribes.
//!
//! Periods start the day after their event (Civil Code 2015, art. 147). A
//! period in calendar days that ends on a weekend or a holiday ends on the
//! next working day (Civil Code 2015, art. 148 §5); a period in working days
//! counts only Monday to Friday outside the configured holidays.

use super::status::{CaseKind, CaseStatus, Complexity};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// How a rule counts its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    Calendar,
    Working,
}

/// The stage a deadline closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Deciding whether to accept (thụ lý) the case.
    Acceptance,
    /// Resolving an accepted case.
    Resolution,
}

/// One statutory time limit.
#[derive(Debug)]
pub struct Rule {
    pub kind: CaseKind,
    pub stage: Stage,
    /// The complexities it applies to.
    pub complexities: &'static [Complexity],
    /// `Some(true)`: only remote areas (vùng sâu, vùng xa); `None`: anywhere.
    pub remote: Option<bool>,
    pub days: u32,
    pub counting: Counting,
    pub cite: &'static str,
}

/// How far a denunciation's resolution may be extended.
#[derive(Debug)]
pub struct ExtensionRule {
    pub complexity: Complexity,
    pub times: usize,
    pub max_days: u32,
    pub cite: &'static str,
}

const ANY: &[Complexity] = &[
    Complexity::Normal,
    Complexity::Complicated,
    Complexity::EspeciallyComplicated,
];
const NORMAL: &[Complexity] = &[Complexity::Normal];
const COMPLICATED: &[Complexity] = &[Complexity::Complicated, Complexity::EspeciallyComplicated];

/// The rule table. Petitions (kiến nghị, phản ánh) have no statutory clock
/// in these laws, so no row.
pub const RULES: &[Rule] = &[
    Rule {
        kind: CaseKind::Complaint,
        stage: Stage::Acceptance,
        complexities: ANY,
        remote: None,
        days: 10,
        counting: Counting::Calendar,
        cite: "Luật Khiếu nại 02/2011/QH13, Điều 27",
    },
    Rule {
        kind: CaseKind::Complaint,
        stage: Stage::Resolution,
        complexities: NORMAL,
        remote: Some(false),
        days: 30,
        counting: Counting::Calendar,
        cite: "Luật Khiếu nại 02/2011/QH13, Điều 28",
    },
    Rule {
        kind: CaseKind::Complaint,
        stage: Stage::Resolution,
        complexities: COMPLICATED,
        remote: Some(false),
        days: 45,
        counting: Counting::Calendar,
        cite: "Luật Khiếu nại 02/2011/QH13, Điều 28 (vụ việc phức tạp)",
    },
    Rule {
        kind: CaseKind::Complaint,
        stage: Stage::Resolution,
        complexities: NORMAL,
        remote: Some(true),
        days: 45,
        counting: Counting::Calendar,
        cite: "Luật Khiếu nại 02/2011/QH13, Điều 28 (vùng sâu, vùng xa)",
    },
    Rule {
        kind: CaseKind::Complaint,
        stage: Stage::Resolution,
        complexities: COMPLICATED,
        remote: Some(true),
        days: 60,
        counting: Counting::Calendar,
        cite: "Luật Khiếu nại 02/2011/QH13, Điều 28 (vùng sâu, vùng xa, vụ việc phức tạp)",
    },
    Rule {
        kind: CaseKind::Denunciation,
        stage: Stage::Acceptance,
        complexities: ANY,
        remote: None,
        days: 7,
        counting: Counting::Working,
        cite: "Luật Tố cáo 25/2018/QH14, Điều 24 khoản 1 và Điều 29",
    },
    Rule {
        kind: CaseKind::Denunciation,
        stage: Stage::Resolution,
        complexities: ANY,
        remote: None,
        days: 30,
        counting: Counting::Calendar,
        cite: "Luật Tố cáo 25/2018/QH14, Điều 30 khoản 1",
    },
];

/// Extensions of a denunciation's resolution, each of at most 30 days.
pub const EXTENSIONS: &[ExtensionRule] = &[
    ExtensionRule {
        complexity: Complexity::Complicated,
        times: 1,
        max_days: 30,
        cite: "Luật Tố cáo 25/2018/QH14, Điều 30 khoản 1 (vụ việc phức tạp)",
    },
    ExtensionRule {
        complexity: Complexity::EspeciallyComplicated,
        times: 2,
        max_days: 30,
        cite: "Luật Tố cáo 25/2018/QH14, Điều 30 khoản 1 (vụ việc đặc biệt phức tạp)",
    },
];

/// The rule for a stage of a case, if the law sets one.
pub fn rule(
    kind: CaseKind,
    stage: Stage,
    complexity: Complexity,
    remote: bool,
) -> Option<&'static Rule> {
    RULES.iter().find(|r| {
        r.kind == kind
            && r.stage == stage
            && r.complexities.contains(&complexity)
            && r.remote.is_none_or(|only| only == remote)
    })
}

/// The days that are not working days besides weekends (public holidays,
/// Tết and the days off the Government moves around them).
#[derive(Debug, Clone, Default)]
pub struct Holidays(BTreeSet<NaiveDate>);

impl Holidays {
    pub fn new(days: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self(days.into_iter().collect())
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.0.contains(&day)
    }

    fn next_working_day_from(&self, mut day: NaiveDate) -> NaiveDate {
        while !self.is_working_day(day) {
            day = day + Days::new(1);
        }
        day
    }
}

/// The last day of a period of `days` starting after `start`.
pub fn count(start: NaiveDate, days: u32, counting: Counting, holidays: &Holidays) -> NaiveDate {
    match counting {
        Counting::Calendar => holidays.next_working_day_from(start + Days::new(u64::from(days))),
        Counting::Working => {
            let mut day = start;
            let mut counted = 0;
            while counted < days {
                day = day + Days::new(1);
                if holidays.is_working_day(day) {
                    counted += 1;
                }
            }
            day
        }
    }
}

/// What the clock of one case depends on.
#[derive(Debug, Clone)]
pub struct Clock {
    pub kind: CaseKind,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub complexity: Complexity,
    pub remote: bool,
    /// Days of each extension recorded (denunciations).
    pub extensions: Vec<u32>,
    /// Calendar days the handling was suspended: they do not count.
    pub paused_days: u32,
}

/// The deadline of the stage a case is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub on: NaiveDate,
    pub stage: Stage,
    pub cite: &'static str,
}

/// The deadline running in `status`, or `None` when no clock runs (the
/// case left the stages the laws time, is suspended, or is a petition).
pub fn due(status: CaseStatus, clock: &Clock, holidays: &Holidays) -> Option<Due> {
    let stage = match status {
        CaseStatus::Received | CaseStatus::UnderReview => Stage::Acceptance,
        CaseStatus::Accepted | CaseStatus::Verifying => Stage::Resolution,
        _ => return None,
    };
    let rule = rule(clock.kind, stage, clock.complexity, clock.remote)?;
    let (start, extra) = match stage {
        Stage::Acceptance => (clock.received_on, 0),
        Stage::Resolution => {
            let extended: u32 = match clock.kind {
                // A complaint's extra time is its rule for complicated cases.
                CaseKind::Complaint | CaseKind::Petition => 0,
                CaseKind::Denunciation => clock.extensions.iter().sum(),
            };
            (clock.accepted_on?, extended + clock.paused_days)
        }
    };
    Some(Due {
        on: count(start, rule.days + extra, rule.counting, holidays),
        stage,
        cite: rule.cite,
    })
}

/// Why an extension is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionError {
    /// The case's kind or complexity allows no (further) extension.
    NotAllowed,
    /// More days than one extension may add.
    TooLong,
}

/// Whether a case already extended `taken` times may be extended again by
/// `days` as a case of `complexity`. A complaint is extended once, by
/// recording that it is complicated (its rule then gives 45 or 60 days); a
/// denunciation by up to 30 days, once or twice by complexity.
pub fn check_extension(
    kind: CaseKind,
    status: CaseStatus,
    complexity: Complexity,
    taken: usize,
    days: u32,
) -> Result<(), ExtensionError> {
    if !matches!(status, CaseStatus::Accepted | CaseStatus::Verifying) {
        return Err(ExtensionError::NotAllowed);
    }
    match kind {
        CaseKind::Petition => Err(ExtensionError::NotAllowed),
        CaseKind::Complaint => {
            if taken == 0 && complexity != Complexity::Normal {
                Ok(())
            } else {
                Err(ExtensionError::NotAllowed)
            }
        }
        CaseKind::Denunciation => {
            let rule = EXTENSIONS
                .iter()
                .find(|r| r.complexity == complexity)
                .ok_or(ExtensionError::NotAllowed)?;
            if taken >= rule.times {
                Err(ExtensionError::NotAllowed)
            } else if days == 0 || days > rule.max_days {
                Err(ExtensionError::TooLong)
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests;
