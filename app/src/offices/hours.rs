//! Weekly opening hours, and how to say them briefly.

use serde::{Deserialize, Serialize};

/// One opening session on one weekday, in Vietnam time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// ISO weekday: 1 is Monday, 7 is Sunday.
    pub weekday: u8,
    /// Minutes after midnight.
    pub opens: u16,
    pub closes: u16,
}

impl Session {
    /// `07:30–11:30`.
    pub fn label(&self) -> String {
        format!("{}–{}", hhmm(self.opens), hhmm(self.closes))
    }
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Consecutive weekdays that share the same sessions (none when closed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRange {
    pub first: u8,
    pub last: u8,
    pub sessions: Vec<Session>,
}

/// Groups a week into runs of days with identical hours, Monday to Sunday, so
/// "Monday – Friday: 07:30–11:30, 13:30–17:00" reads as one line.
pub fn group_by_hours(sessions: &[Session]) -> Vec<DayRange> {
    let mut ranges: Vec<DayRange> = Vec::new();
    for day in 1..=7u8 {
        let mut today: Vec<Session> = sessions
            .iter()
            .filter(|s| s.weekday == day)
            .copied()
            .collect();
        today.sort_unstable_by_key(|s| (s.opens, s.closes));
        match ranges.last_mut() {
            Some(range) if same_times(&range.sessions, &today) => range.last = day,
            _ => ranges.push(DayRange {
                first: day,
                last: day,
                sessions: today,
            }),
        }
    }
    ranges
}

fn same_times(a: &[Session], b: &[Session]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x.opens, x.closes) == (y.opens, y.closes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(weekday: u8, opens: u16, closes: u16) -> Session {
        Session {
            weekday,
            opens,
            closes,
        }
    }

    #[test]
    fn weekdays_with_the_same_hours_form_one_range() {
        let week: Vec<_> = (1..=5)
            .flat_map(|d| [s(d, 450, 690), s(d, 810, 1020)])
            .collect();
        let ranges = group_by_hours(&week);
        assert_eq!(ranges.len(), 2);
        assert_eq!((ranges[0].first, ranges[0].last), (1, 5));
        let labels: Vec<_> = ranges[0].sessions.iter().map(Session::label).collect();
        assert_eq!(labels, ["07:30–11:30", "13:30–17:00"]);
        assert_eq!((ranges[1].first, ranges[1].last), (6, 7));
        assert!(ranges[1].sessions.is_empty(), "the weekend is closed");
    }

    #[test]
    fn a_different_day_breaks_the_range() {
        let week = [
            s(1, 480, 720),
            s(2, 480, 720),
            s(3, 480, 600),
            s(4, 480, 720),
        ];
        let spans: Vec<_> = group_by_hours(&week)
            .iter()
            .map(|r| (r.first, r.last))
            .collect();
        assert_eq!(spans, [(1, 2), (3, 3), (4, 4), (5, 7)]);
    }

    #[test]
    fn session_order_does_not_matter() {
        let a = group_by_hours(&[s(1, 810, 1020), s(1, 450, 690)]);
        let b = group_by_hours(&[s(1, 450, 690), s(1, 810, 1020)]);
        assert_eq!(a, b);
    }

    #[test]
    fn no_hours_is_one_closed_week() {
        assert_eq!(
            group_by_hours(&[]),
            [DayRange {
                first: 1,
                last: 7,
                sessions: vec![]
            }]
        );
    }
}
