//! Showing the RFC 3339 Vietnam times the API carries, without a date
//! library in the browser bundle. Every time the server sends has the form
//! `YYYY-MM-DDTHH:MM:SS+07:00`.

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
