//! Every rule of the table, and the day counting around weekends and Tết.

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
