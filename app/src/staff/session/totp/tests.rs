use super::*;

#[test]
fn a_code_matches_its_step_and_the_ones_beside_it_only() {
    let secret = b"12345678901234567890".to_vec();
    let totp = totp(secret.clone(), "a@b.vn").unwrap();
    let now = 1_800_000_000u64;
    let code = totp.generate(now);
    assert_eq!(
        matching_step(&secret, "a@b.vn", &code, now).unwrap(),
        Some(now / 30)
    );
    assert_eq!(
        matching_step(&secret, "a@b.vn", &code, now + 30).unwrap(),
        Some(now / 30)
    );
    assert_eq!(
        matching_step(&secret, "a@b.vn", &code, now + 90).unwrap(),
        None
    );
    assert_eq!(
        matching_step(&secret, "a@b.vn", "000000x", now).unwrap(),
        None
    );
}

#[test]
fn rfc_6238_test_vector() {
    // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits); the
    // last six are the 6-digit code.
    let totp = totp(b"12345678901234567890".to_vec(), "a@b.vn").unwrap();
    assert_eq!(totp.generate(59), "287082");
}

#[test]
fn recovery_codes_are_distinct_and_read_loosely() {
    let codes = new_codes();
    assert_eq!(codes.len(), RECOVERY_CODES);
    let unique: std::collections::HashSet<_> = codes.iter().collect();
    assert_eq!(unique.len(), RECOVERY_CODES);
    assert_eq!(
        code_hash(&codes[0]),
        code_hash(&codes[0].to_uppercase().replace('-', " "))
    );
}
