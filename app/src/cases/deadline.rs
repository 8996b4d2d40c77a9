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
mod tests {
    use super::*;
    use CaseKind::*;
    use Complexity::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Tết Bính Ngọ 2026 as the Government set it (Saturday 14 to Sunday
    /// 22 February; the weekdays off are the 16th to the 20th), and
    /// Reunification and Labour Day.
    fn holidays() -> Holidays {
        Holidays::new(
            [
                "2026-02-16",
                "2026-02-17",
                "2026-02-18",
                "2026-02-19",
                "2026-02-20",
            ]
            .into_iter()
            .chain(["2026-04-30", "2026-05-01"])
            .map(d),
        )
    }

    fn clock(kind: CaseKind, received: &str, accepted: Option<&str>) -> Clock {
        Clock {
            kind,
            received_on: d(received),
            accepted_on: accepted.map(d),
            complexity: Normal,
            remote: false,
            extensions: vec![],
            paused_days: 0,
        }
    }

    fn due_on(status: CaseStatus, c: &Clock) -> Option<NaiveDate> {
        due(status, c, &holidays()).map(|d| d.on)
    }

    #[test]
    fn every_rule_cites_its_article_and_each_case_finds_one_rule() {
        for r in RULES {
            assert!(r.cite.contains("Điều"), "{r:?}");
        }
        for kind in [Complaint, Denunciation] {
            for stage in [Stage::Acceptance, Stage::Resolution] {
                for complexity in [Normal, Complicated, EspeciallyComplicated] {
                    for remote in [false, true] {
                        let matching = RULES
                            .iter()
                            .filter(|r| {
                                r.kind == kind
                                    && r.stage == stage
                                    && r.complexities.contains(&complexity)
                                    && r.remote.is_none_or(|o| o == remote)
                            })
                            .count();
                        assert_eq!(matching, 1, "{kind:?} {stage:?} {complexity:?} {remote}");
                    }
                }
            }
        }
        assert!(rule(Petition, Stage::Acceptance, Normal, false).is_none());
    }

    #[test]
    fn complaint_acceptance_is_ten_calendar_days_from_receipt() {
        // Monday 2 March 2026 + 10 days = Thursday 12 March.
        let c = clock(Complaint, "2026-03-02", None);
        assert_eq!(due_on(CaseStatus::Received, &c), Some(d("2026-03-12")));
        assert_eq!(due_on(CaseStatus::UnderReview, &c), Some(d("2026-03-12")));
        let rule = due(CaseStatus::Received, &c, &holidays()).unwrap();
        assert_eq!(rule.stage, Stage::Acceptance);
        assert!(rule.cite.contains("Điều 27"));
    }

    #[test]
    fn a_calendar_deadline_that_ends_in_tet_moves_to_the_first_working_day_after() {
        // Friday 6 February + 10 = Monday 16 February, a Tết day: the
        // period ends on Monday 23 February, after Tết and its weekend.
        let c = clock(Complaint, "2026-02-06", None);
        assert_eq!(due_on(CaseStatus::Received, &c), Some(d("2026-02-23")));
        // Without the configured holidays it would be the 16th.
        assert_eq!(
            due(CaseStatus::Received, &c, &Holidays::default()).map(|d| d.on),
            Some(d("2026-02-16"))
        );
    }

    #[test]
    fn a_calendar_deadline_on_a_weekend_moves_to_monday() {
        // Thursday 5 March + 10 = Sunday 15 March → Monday 16 March.
        let c = clock(Complaint, "2026-03-05", None);
        assert_eq!(due_on(CaseStatus::Received, &c), Some(d("2026-03-16")));
    }

    #[test]
    fn complaint_resolution_is_30_or_45_days_and_45_or_60_in_remote_areas() {
        let mut c = clock(Complaint, "2026-02-20", Some("2026-03-02"));
        assert_eq!(due_on(CaseStatus::Accepted, &c), Some(d("2026-04-01")));
        assert_eq!(due_on(CaseStatus::Verifying, &c), Some(d("2026-04-01")));
        c.complexity = Complicated;
        assert_eq!(due_on(CaseStatus::Verifying, &c), Some(d("2026-04-16")));
        c.complexity = EspeciallyComplicated;
        assert_eq!(due_on(CaseStatus::Verifying, &c), Some(d("2026-04-16")));
        c.remote = true;
        c.complexity = Normal;
        assert_eq!(due_on(CaseStatus::Verifying, &c), Some(d("2026-04-16")));
        // 2 March + 60 = Friday 1 May, Labour Day: Monday 4 May.
        c.complexity = Complicated;
        assert_eq!(due_on(CaseStatus::Verifying, &c), Some(d("2026-05-04")));
    }

    #[test]
    fn denunciation_acceptance_is_seven_working_days_and_skips_tet() {
        // Wednesday 11 February: Thursday 12 and Friday 13 count, Tết and
        // its weekends (14–22 February) do not, then 23–27 February.
        let c = clock(Denunciation, "2026-02-11", None);
        assert_eq!(due_on(CaseStatus::Received, &c), Some(d("2026-02-27")));
        assert_eq!(
            due(CaseStatus::Received, &c, &Holidays::default()).map(|d| d.on),
            Some(d("2026-02-20"))
        );
        // An ordinary week: Monday 2 March → Wednesday 11 March.
        let c = clock(Denunciation, "2026-03-02", None);
        assert_eq!(due_on(CaseStatus::UnderReview, &c), Some(d("2026-03-11")));
    }

    #[test]
    fn denunciation_resolution_is_30_days_plus_each_extension() {
        // 20 January + 30 = 19 February, in Tết: Monday 23 February.
        let mut c = clock(Denunciation, "2026-01-10", Some("2026-01-20"));
        assert_eq!(due_on(CaseStatus::Accepted, &c), Some(d("2026-02-23")));
        // One extension of 30 days: 21 March, a Saturday → Monday 23 March.
        c.complexity = Complicated;
        c.extensions = vec![30];
        assert_eq!(due_on(CaseStatus::Verifying, &c), Some(d("2026-03-23")));
        // Two extensions for an especially complicated case: 20 April.
        c.complexity = EspeciallyComplicated;
        c.extensions = vec![30, 30];
        assert_eq!(due_on(CaseStatus::Verifying, &c), Some(d("2026-04-20")));
        // A shorter extension counts its own days: 20 January + 45.
        c.extensions = vec![15];
        assert_eq!(due_on(CaseStatus::Verifying, &c), Some(d("2026-03-06")));
    }

    #[test]
    fn suspended_time_does_not_count() {
        let mut c = clock(Denunciation, "2026-03-01", Some("2026-03-02"));
        assert_eq!(due_on(CaseStatus::Verifying, &c), Some(d("2026-04-01")));
        assert_eq!(due_on(CaseStatus::Suspended, &c), None);
        c.paused_days = 14;
        assert_eq!(due_on(CaseStatus::Verifying, &c), Some(d("2026-04-15")));
    }

    #[test]
    fn no_clock_outside_the_timed_stages_or_for_petitions() {
        let c = clock(Complaint, "2026-03-02", Some("2026-03-05"));
        for status in [
            CaseStatus::NotAccepted,
            CaseStatus::Transferred,
            CaseStatus::Guided,
            CaseStatus::Concluded,
            CaseStatus::Closed,
            CaseStatus::Withdrawn,
        ] {
            assert_eq!(due_on(status, &c), None, "{status:?}");
        }
        let p = clock(Petition, "2026-03-02", None);
        assert_eq!(due_on(CaseStatus::Received, &p), None);
    }

    #[test]
    fn extensions_follow_article_30_and_complaints_extend_once_by_complexity() {
        use CaseStatus::{Accepted, Received, Verifying};
        // Denunciations: one extension when complicated, two when
        // especially complicated, never for an ordinary case; ≤ 30 days.
        assert_eq!(
            check_extension(Denunciation, Verifying, Complicated, 0, 30),
            Ok(())
        );
        assert_eq!(
            check_extension(Denunciation, Verifying, Complicated, 1, 30),
            Err(ExtensionError::NotAllowed)
        );
        assert_eq!(
            check_extension(Denunciation, Accepted, EspeciallyComplicated, 1, 30),
            Ok(())
        );
        assert_eq!(
            check_extension(Denunciation, Verifying, EspeciallyComplicated, 2, 10),
            Err(ExtensionError::NotAllowed)
        );
        assert_eq!(
            check_extension(Denunciation, Verifying, Normal, 0, 10),
            Err(ExtensionError::NotAllowed)
        );
        assert_eq!(
            check_extension(Denunciation, Verifying, Complicated, 0, 31),
            Err(ExtensionError::TooLong)
        );
        assert_eq!(
            check_extension(Denunciation, Verifying, Complicated, 0, 0),
            Err(ExtensionError::TooLong)
        );
        // Complaints: once, by being complicated.
        assert_eq!(
            check_extension(Complaint, Verifying, Complicated, 0, 0),
            Ok(())
        );
        assert_eq!(
            check_extension(Complaint, Verifying, Complicated, 1, 0),
            Err(ExtensionError::NotAllowed)
        );
        assert_eq!(
            check_extension(Complaint, Verifying, Normal, 0, 0),
            Err(ExtensionError::NotAllowed)
        );
        // Only a running resolution can be extended; petitions never.
        assert_eq!(
            check_extension(Denunciation, Received, Complicated, 0, 30),
            Err(ExtensionError::NotAllowed)
        );
        assert_eq!(
            check_extension(Petition, Verifying, Complicated, 0, 30),
            Err(ExtensionError::NotAllowed)
        );
    }

    #[test]
    fn working_days_count_only_weekdays_outside_holidays() {
        let h = holidays();
        assert!(h.is_working_day(d("2026-02-13")));
        assert!(!h.is_working_day(d("2026-02-14")));
        assert!(!h.is_working_day(d("2026-02-18")));
        assert!(!h.is_working_day(d("2026-05-01")));
        // Friday 13 February + 1 working day = Monday 23 February.
        assert_eq!(
            count(d("2026-02-13"), 1, Counting::Working, &h),
            d("2026-02-23")
        );
        assert_eq!(
            count(d("2026-03-02"), 0, Counting::Calendar, &h),
            d("2026-03-02")
        );
    }
}
