use super::*;
use secrecy::ExposeSecret;
use std::collections::HashMap;

fn settings(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_lookup(|name| vars.get(name).cloned())
}

#[test]
fn development_needs_no_configuration() {
    let s = settings(&[]).unwrap();
    assert_eq!(s.env, AppEnv::Development);
    assert_eq!(s.listen_addr, "127.0.0.1:3000".parse().unwrap());
    assert_eq!(s.public_url, "http://127.0.0.1:3000");
    assert_eq!(s.database_url.expose_secret(), DEV_DATABASE_URL);
    assert!(!s.secure_cookies());
}

#[test]
fn production_refuses_to_guess_the_database() {
    let err = settings(&[("APP_ENV", "production")]).unwrap_err();
    assert_eq!(err.var, "DATABASE_URL");
}

#[test]
fn production_with_everything_set_starts() {
    let s = settings(&[
        ("APP_ENV", "production"),
        ("DATABASE_URL", "postgres://app:pw@db/tiepdan"),
        ("SMTP_URL", "smtps://mail.example.org"),
        ("PUBLIC_URL", "https://tiepdan.example.gov.vn/"),
        ("TOTP_KEY", &"ab".repeat(32)),
        (
            "DEVICE_COOKIE_KEY",
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        ),
    ])
    .unwrap();
    assert_eq!(s.public_url, "https://tiepdan.example.gov.vn");
    assert!(s.secure_cookies());
    assert_eq!(s.totp_key.expose_secret()[0], 0xab);
    assert_eq!(
        s.device_cookie_key.expose_secret(),
        b"0123456789abcdef0123456789abcdef"
    );
}

#[test]
fn production_needs_its_own_keys() {
    let base = [
        ("APP_ENV", "production"),
        ("DATABASE_URL", "postgres://app:pw@db/tiepdan"),
        ("SMTP_URL", "smtps://mail.example.org"),
        ("PUBLIC_URL", "https://tiepdan.example.gov.vn/"),
    ];
    assert_eq!(settings(&base).unwrap_err().var, "TOTP_KEY");
    let mut with_dev = base.to_vec();
    with_dev.push(("TOTP_KEY", DEV_TOTP_KEY));
    with_dev.push(("DEVICE_COOKIE_KEY", DEV_DEVICE_COOKIE_KEY));
    assert_eq!(settings(&with_dev).unwrap_err().var, "TOTP_KEY");
    let mut short = base.to_vec();
    short.push(("TOTP_KEY", "c2hvcnQ="));
    assert_eq!(settings(&short).unwrap_err().var, "TOTP_KEY");
}

#[test]
fn trusted_proxies_default_to_loopback_and_parse_lists() {
    let s = settings(&[]).unwrap();
    assert!(s
        .trusted_proxies
        .iter()
        .any(|n| n.contains(&"127.0.0.1".parse::<std::net::IpAddr>().unwrap())));
    assert!(!s
        .trusted_proxies
        .iter()
        .any(|n| n.contains(&"10.0.0.1".parse::<std::net::IpAddr>().unwrap())));
    let s = settings(&[("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.5")]).unwrap();
    assert_eq!(s.trusted_proxies.len(), 2);
    assert_eq!(
        settings(&[("TRUSTED_PROXIES", "proxy.local")])
            .unwrap_err()
            .var,
        "TRUSTED_PROXIES"
    );
}

#[test]
fn secrets_never_print() {
    let s = settings(&[("DATABASE_URL", "postgres://app:hunter2@db/x")]).unwrap();
    assert!(!format!("{s:?}").contains("hunter2"));
}

#[test]
fn malformed_values_name_their_variable() {
    for (var, value) in [
        ("APP_ENV", "staging"),
        ("LEPTOS_SITE_ADDR", "localhost"),
        ("MAIL_FROM", "not an address"),
        ("PUBLIC_URL", "tiepdan.example"),
        ("DATABASE_MAX_CONNECTIONS", "many"),
        ("HASH_CONCURRENCY", "0"),
        ("HEADER_TIMEOUT_SECS", "soon"),
        ("TOTP_KEY", "not a key"),
    ] {
        let err = settings(&[(var, value)]).unwrap_err();
        assert_eq!(err.var, var, "{value}");
    }
}
