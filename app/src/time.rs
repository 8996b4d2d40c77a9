//! Time in Vietnam, the one zone the service lives in. The server sends
//! every instant as RFC 3339 in Vietnam time (`YYYY-MM-DDTHH:MM:SS+07:00`,
//! [`rfc3339`]); the pages show those strings without a date library in the
//! browser bundle ([`date_vn`], [`time_vn`]).

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
    use chrono_tz::Asia::Ho_Chi_Minh;

    /// An instant as the API carries it: RFC 3339 in Vietnam time.
    pub fn rfc3339(at: DateTime<Utc>) -> String {
        at.with_timezone(&Ho_Chi_Minh)
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    }

    /// Today's date in Vietnam.
    pub fn today_vn() -> NaiveDate {
        Utc::now().with_timezone(&Ho_Chi_Minh).date_naive()
    }
}

/// `2026-12-01T08:30:00+07:00` → `01/12/2026`; `2026-12-01` → `01/12/2026`.
pub fn date_vn(value: &str) -> String {
    match (value.get(0..4), value.get(5..7), value.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d}/{m}/{y}"),
        _ => value.to_owned(),
    }
}

/// `2026-12-01T08:30:00+07:00` → `08:30`.
pub fn time_vn(value: &str) -> String {
    value.get(11..16).unwrap_or_default().to_owned()
}

/// `2026-12-01` → (2026, 12, 1).
pub fn ymd(value: &str) -> Option<(i32, u32, u32)> {
    Some((
        value.get(0..4)?.parse().ok()?,
        value.get(5..7)?.parse().ok()?,
        value.get(8..10)?.parse().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(date_vn("2026-12-01T08:30:00+07:00"), "01/12/2026");
        assert_eq!(date_vn("2026-12-01"), "01/12/2026");
        assert_eq!(time_vn("2026-12-01T08:30:00+07:00"), "08:30");
        assert_eq!(ymd("2026-12-01"), Some((2026, 12, 1)));
        assert_eq!(ymd("x"), None);
    }
}
