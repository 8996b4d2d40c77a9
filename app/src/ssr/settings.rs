//! Typed settings, read once from the environment at start-up.
//!
//! Development needs no configuration at all: every variable has a default
//! that matches `make run`. Production refuses to start without the variables
//! that must never silently fall back (database, mail server, public address).

use ipnet::IpNet;
use lettre::message::Mailbox;
use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the app runs; decides defaults and what is allowed (demo accounts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Test,
    Production,
}

/// All configuration. `Debug` prints secrets as `[REDACTED]`.
#[derive(Debug, Clone)]
pub struct Settings {
    pub env: AppEnv,
    /// `DATABASE_URL`: may hold a password.
    pub database_url: SecretString,
    /// `DATABASE_MAX_CONNECTIONS`, per server instance.
    pub database_max_connections: u32,
    /// `SMTP_URL`, e.g. `smtps://user:pass@mail.example.org` (may hold a password).
    pub smtp_url: SecretString,
    /// `MAIL_FROM`, e.g. `Tiếp dân <no-reply@example.gov.vn>`.
    pub mail_from: Mailbox,
    /// `PUBLIC_URL`: the address citizens use, for links in e-mails. No trailing slash.
    pub public_url: String,
    /// `LEPTOS_SITE_ADDR`: the address the server listens on.
    pub listen_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: where the built site (`pkg/`, favicon…) lives.
    pub site_root: PathBuf,
    /// `DEMO_PASSWORD`: password of the demo staff accounts (never in production).
    pub demo_password: SecretString,
    /// `TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges whose
    /// `X-Forwarded-For` is believed. Default: loopback only.
    pub trusted_proxies: Vec<IpNet>,
    /// `BOOKING_ATTEMPTS_PER_HOUR`: booking, cancel and move requests one
    /// client address may make per hour.
    pub booking_attempts_per_hour: u32,
    /// `LOOKUP_FAILURES_PER_15_MIN`: failed look-ups (wrong code or phone) one
    /// client address may make per 15 minutes before it gets 429.
    pub lookup_failures_per_15_min: u32,
    /// `OUTBOX_POLL_MS`: how often each instance looks for mail to send.
    pub outbox_poll_ms: u64,
    /// `STAFF_IDLE_MINUTES`: a staff session ends after this long unused.
    pub staff_idle_minutes: u32,
    /// `STAFF_SESSION_HOURS`: and after this long in any case.
    pub staff_session_hours: u32,
    /// `STAFF_LOGIN_FAILURES_PER_15_MIN`: failed sign-ins per account and per
    /// client address before 429.
    pub staff_login_failures_per_15_min: u32,
}

/// A variable that is missing or malformed, named so the operator can fix it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{var}: {reason}")]
pub struct SettingsError {
    pub var: &'static str,
    pub reason: String,
}

const DEV_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:55432/tiepdan";
const DEV_SMTP_URL: &str = "smtp://127.0.0.1:2525";
const DEFAULT_MAIL_FROM: &str = "Tiếp dân <no-reply@tiepdan.local>";

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads settings through `lookup`, so tests need not touch the real environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let env = match lookup("APP_ENV").as_deref() {
            None | Some("development") => AppEnv::Development,
            Some("test") => AppEnv::Test,
            Some("production") => AppEnv::Production,
            Some(other) => {
                return Err(SettingsError {
                    var: "APP_ENV",
                    reason: format!("expected development, test or production, got {other:?}"),
                })
            }
        };
        let production = env == AppEnv::Production;
        // In production a missing value is an error rather than a development default.
        let get = |var: &'static str, dev_default: &str| match lookup(var) {
            Some(value) => Ok(value),
            None if production => Err(SettingsError {
                var,
                reason: "must be set when APP_ENV=production".into(),
            }),
            None => Ok(dev_default.to_owned()),
        };

        let database_url = get("DATABASE_URL", DEV_DATABASE_URL)?.into();
        let smtp_url = get("SMTP_URL", DEV_SMTP_URL)?.into();
        let listen_addr = parse(
            "LEPTOS_SITE_ADDR",
            lookup("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into()),
        )?;
        let database_max_connections = parse(
            "DATABASE_MAX_CONNECTIONS",
            lookup("DATABASE_MAX_CONNECTIONS").unwrap_or_else(|| "10".into()),
        )?;
        let mail_from = parse(
            "MAIL_FROM",
            lookup("MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.into()),
        )?;
        let public_url = public_url(get("PUBLIC_URL", &format!("http://{listen_addr}"))?)?;

        Ok(Self {
            env,
            database_url,
            database_max_connections,
            smtp_url,
            mail_from,
            public_url,
            listen_addr,
            site_root: lookup("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| "target/site".into())
                .into(),
            demo_password: lookup("DEMO_PASSWORD")
                .unwrap_or_else(|| "tiepdan-demo".into())
                .into(),
            trusted_proxies: trusted_proxies(
                lookup("TRUSTED_PROXIES").unwrap_or_else(|| "127.0.0.0/8,::1/128".into()),
            )?,
            booking_attempts_per_hour: parse(
                "BOOKING_ATTEMPTS_PER_HOUR",
                lookup("BOOKING_ATTEMPTS_PER_HOUR").unwrap_or_else(|| "30".into()),
            )?,
            lookup_failures_per_15_min: parse(
                "LOOKUP_FAILURES_PER_15_MIN",
                lookup("LOOKUP_FAILURES_PER_15_MIN").unwrap_or_else(|| "10".into()),
            )?,
            outbox_poll_ms: parse(
                "OUTBOX_POLL_MS",
                lookup("OUTBOX_POLL_MS").unwrap_or_else(|| "1000".into()),
            )?,
            staff_idle_minutes: parse(
                "STAFF_IDLE_MINUTES",
                lookup("STAFF_IDLE_MINUTES").unwrap_or_else(|| "30".into()),
            )?,
            staff_session_hours: parse(
                "STAFF_SESSION_HOURS",
                lookup("STAFF_SESSION_HOURS").unwrap_or_else(|| "12".into()),
            )?,
            staff_login_failures_per_15_min: parse(
                "STAFF_LOGIN_FAILURES_PER_15_MIN",
                lookup("STAFF_LOGIN_FAILURES_PER_15_MIN").unwrap_or_else(|| "5".into()),
            )?,
        })
    }

    /// Cookies get the `Secure` flag whenever citizens reach us over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The staff session cookie is `Secure` in production whatever the
    /// address says (an `http://` production address then cannot sign in,
    /// which is the point).
    pub fn secure_staff_cookie(&self) -> bool {
        self.env == AppEnv::Production || self.secure_cookies()
    }
}

fn parse<T: std::str::FromStr>(var: &'static str, value: String) -> Result<T, SettingsError>
where
    T::Err: std::fmt::Display,
{
    value.trim().parse().map_err(|e| SettingsError {
        var,
        reason: format!("{e}"),
    })
}

/// Reads `a.b.c.d, e.f.g.h/24, ::1`: a bare address is a one-host range.
fn trusted_proxies(value: String) -> Result<Vec<IpNet>, SettingsError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| SettingsError {
                    var: "TRUSTED_PROXIES",
                    reason: format!("{item:?} is not an IP address or CIDR range"),
                })
        })
        .collect()
}

fn public_url(value: String) -> Result<String, SettingsError> {
    let value = value.trim().trim_end_matches('/').to_owned();
    let has_host = value
        .split_once("://")
        .is_some_and(|(scheme, rest)| matches!(scheme, "http" | "https") && !rest.is_empty());
    if has_host {
        Ok(value)
    } else {
        Err(SettingsError {
            var: "PUBLIC_URL",
            reason: "expected an http:// or https:// address".into(),
        })
    }
}

#[cfg(test)]
mod tests {
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
        ])
        .unwrap();
        assert_eq!(s.public_url, "https://tiepdan.example.gov.vn");
        assert!(s.secure_cookies());
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
        ] {
            let err = settings(&[(var, value)]).unwrap_err();
            assert_eq!(err.var, var, "{value}");
        }
    }
}
