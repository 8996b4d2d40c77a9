use super::*;
use ValidationCode::*;

#[test]
fn names() {
    let cases: &[(&str, Result<&str, ValidationCode>)] = &[
        ("Nguyễn Văn An", Ok("Nguyễn Văn An")),
        ("  Trần   Thị  Bích ", Ok("Trần Thị Bích")),
        ("H'Hen Niê", Ok("H'Hen Niê")),
        ("Nguye\u{302}\u{303}n", Ok("Nguye\u{302}\u{303}n")),
        ("", Err(Required)),
        ("   ", Err(Required)),
        ("A", Err(TooShort)),
        ("Nguyễn Văn 3", Err(InvalidName)),
        ("<script>", Err(InvalidName)),
        ("Tên\u{0}", Err(InvalidName)),
    ];
    for (raw, want) in cases {
        assert_eq!(full_name(raw).as_deref(), want.as_deref(), "{raw:?}");
    }
    assert_eq!(full_name(&"ầ".repeat(101)), Err(TooLong));
    assert!(full_name(&"ầ".repeat(100)).is_ok());
}

#[test]
fn citizen_ids() {
    let cases: &[(&str, Result<&str, ValidationCode>)] = &[
        ("001099012345", Ok("001099012345")),
        ("001 099 012 345", Ok("001099012345")),
        ("", Err(Required)),
        ("00109901234", Err(InvalidCitizenId)),
        ("0010990123456", Err(InvalidCitizenId)),
        ("00109901234a", Err(InvalidCitizenId)),
        ("000099012345", Err(InvalidCitizenId)),
        ("097099012345", Err(InvalidCitizenId)),
        ("０01099012345", Err(InvalidCitizenId)),
    ];
    for (raw, want) in cases {
        assert_eq!(citizen_id(raw).as_deref(), want.as_deref(), "{raw:?}");
    }
}

#[test]
fn phones_are_canonicalised() {
    let cases: &[(&str, Result<&str, ValidationCode>)] = &[
        ("0912345678", Ok("0912345678")),
        ("091 234 5678", Ok("0912345678")),
        ("091.234.5678", Ok("0912345678")),
        ("+84 912 345 678", Ok("0912345678")),
        ("84912345678", Ok("0912345678")),
        ("+84912345678", Ok("0912345678")),
        ("0351234567", Ok("0351234567")),
        ("(024) 3825 3535", Ok("02438253535")),
        ("+84 24 3825 3535", Ok("02438253535")),
        ("", Err(Required)),
        ("0112345678", Err(InvalidPhone)),
        ("091234567", Err(InvalidPhone)),
        ("09123456789", Err(InvalidPhone)),
        ("+1 912 345 678", Err(InvalidPhone)),
        ("091234567x", Err(InvalidPhone)),
        ("0243825353", Err(InvalidPhone)),
    ];
    for (raw, want) in cases {
        assert_eq!(phone(raw).as_deref(), want.as_deref(), "{raw:?}");
    }
}

#[test]
fn emails() {
    assert_eq!(email(""), Ok(None));
    assert_eq!(email(" an@Example.VN "), Ok(Some("an@example.vn".into())));
    assert_eq!(
        email("an.nguyen+tiepdan@mail.gov.vn"),
        Ok(Some("an.nguyen+tiepdan@mail.gov.vn".into()))
    );
    for bad in [
        "an", "an@", "@x.vn", "an@x", "an@x..vn", "a n@x.vn", "an@-x.vn", "ân@x.vn", ".an@x.vn",
    ] {
        assert_eq!(email(bad), Err(InvalidEmail), "{bad:?}");
    }
    assert_eq!(email(&format!("{}@x.vn", "a".repeat(250))), Err(TooLong));
}

#[test]
fn topics() {
    assert_eq!(Topic::parse("complaint"), Ok(Topic::Complaint));
    assert_eq!(Topic::parse("petition"), Ok(Topic::Petition));
    assert_eq!(Topic::parse(""), Err(Required));
    assert_eq!(Topic::parse("other"), Err(InvalidChoice));
    for t in Topic::ALL {
        assert_eq!(Topic::parse(t.as_str()), Ok(t));
    }
}

#[test]
fn summaries_and_needs() {
    assert_eq!(summary(""), Err(Required));
    assert_eq!(summary("ngắn"), Err(TooShort));
    assert_eq!(
        summary("Đất đai bị thu hồi\r\nkhông bồi thường"),
        Ok("Đất đai bị thu hồi\nkhông bồi thường".into())
    );
    assert_eq!(summary(&"ơ".repeat(2001)), Err(TooLong));
    assert!(summary(&"ơ".repeat(2000)).is_ok());
    assert_eq!(summary("Nội dung có ký tự \u{7} lạ"), Err(InvalidText));
    assert_eq!(needs(""), Ok(String::new()));
    assert_eq!(needs(&"x".repeat(501)), Err(TooLong));
    assert_eq!(reason("  Bận việc  "), Ok("Bận việc".into()));
}

#[test]
fn party_sizes() {
    assert_eq!(party_size("1"), Ok(1));
    assert_eq!(party_size(" 12 "), Ok(12));
    assert_eq!(party_size(""), Err(Required));
    for bad in ["0", "-1", "201", "abc", "1.5", "99999999999"] {
        assert_eq!(party_size(bad), Err(InvalidPartySize), "{bad:?}");
    }
}

#[test]
fn representatives_follow_the_group_rule() {
    assert_eq!(representatives("", Some(1)), Ok(vec![]));
    assert_eq!(representatives("Lê Văn Tám", Some(3)), Ok(vec![]));
    assert_eq!(representatives("", Some(5)), Err(RepresentativesRequired));
    assert_eq!(
        representatives("Lê Văn Tám\nPhạm Thị Hoa", Some(10)).map(|v| v.len()),
        Ok(2)
    );
    assert_eq!(
        representatives("A An\nB Bình\nC Cường", Some(10)),
        Err(TooManyRepresentatives)
    );
    assert_eq!(
        representatives("A An;B Bình;C Cường;D Dũng;E Em", Some(11)).map(|v| v.len()),
        Ok(5)
    );
    assert_eq!(
        representatives("A An;B Bình;C Cường;D Dũng;E Em;G Giang", Some(40)),
        Err(TooManyRepresentatives)
    );
    assert_eq!(representatives("", Some(11)), Err(RepresentativesRequired));
    assert_eq!(representatives("Lê 8", Some(6)), Err(InvalidRepresentative));
}

#[test]
fn consent_must_be_given() {
    assert_eq!(consent(Some("true")), Ok(()));
    assert_eq!(consent(Some("on")), Ok(()));
    assert_eq!(consent(None), Err(ConsentRequired));
    assert_eq!(consent(Some("false")), Err(ConsentRequired));
}
