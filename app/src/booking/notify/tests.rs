use super::*;
use chrono::TimeZone;

#[test]
fn times_read_in_vietnam_time() {
    let s = Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap();
    let e = Utc.with_ymd_and_hms(2026, 12, 1, 1, 30, 0).unwrap();
    assert_eq!(when(s, e, false), "Thứ Ba, 01/12/2026, 08:00–08:30");
    assert_eq!(when(s, e, true), "Tuesday, 01/12/2026, 08:00–08:30");
}

#[test]
fn html_is_escaped() {
    assert_eq!(
        escape("<a href=\"x\">&</a>"),
        "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    );
}
