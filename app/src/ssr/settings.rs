//! Typed settings, read once from the environment at start-up.
//!
//! Development needs no configuration at all: every variable has a default
//! that matches `make run`. Production refuses to start without the variables
//! that must never silently fall back (database, mail server, public address).

use crate::retention::Retention;
use ipnet::IpNet;
use lettre::message::Mailbox;
use secrecy::{SecretSlice, SecretString};
use std::net::SocketAddr;
use std::path::PathBuf;

mod parse;
use parse::{at_most, key, number, parse, positive, public_url, trusted_proxies};

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
    /// `PROPOSAL_HOURS`: how long a citizen has to answer another time the
    /// office proposed (never past the proposed slot's notice).
    pub proposal_hours: i32,
    /// `ANSWER_WITHIN_HOURS`: how long a request may wait for the office's
    /// answer, counted in the office's opening hours, before the desk shows
    /// it late and the reports count it as answered late.
    pub answer_within_hours: i32,
    /// `WAITLIST_HOLD_MINUTES`: how long a place offered to the waiting
    /// list is held for its entry (never past the slot's notice). A
    /// fraction is allowed (tests hold places for seconds).
    pub waitlist_hold_minutes: f64,
    /// `OUTBOX_POLL_MS`: how often each instance looks for mail to send.
    pub outbox_poll_ms: u64,
    /// `STAFF_IDLE_MINUTES`: a staff session ends after this long unused.
    pub staff_idle_minutes: u32,
    /// `STAFF_SESSION_HOURS`: and after this long in any case.
    pub staff_session_hours: u32,
    /// `STAFF_LOGIN_FAILURES_PER_15_MIN`: failed sign-ins per account and per
    /// client address (or per known browser) before 429.
    pub staff_login_failures_per_15_min: u32,
    /// `HASH_CONCURRENCY`: password hashes run at once per instance (each
    /// holds ~19 MiB while it runs).
    pub hash_concurrency: usize,
    /// `HASH_QUEUE_MS`: how long a request waits for a hashing turn before 503.
    pub hash_queue_ms: u64,
    /// `HEADER_TIMEOUT_SECS`: a client must send a request's headers within
    /// this long of starting it (or of the previous answer), or the
    /// connection is closed.
    pub header_timeout_secs: u64,
    /// `REQUEST_TIMEOUT_SECS`: the body must arrive (408) and the answer be
    /// ready (503) within this long.
    pub request_timeout_secs: u64,
    /// `SHUTDOWN_DRAIN_SECS`: on SIGTERM, how long requests under way may finish.
    pub shutdown_drain_secs: u64,
    /// `MAX_CONNECTIONS`: open client connections per instance.
    pub max_connections: usize,
    /// `MAX_CONNECTIONS_PER_CLIENT`: open connections from one client
    /// address (an IPv6 /64), trusted proxies excepted.
    pub max_connections_per_client: usize,
    /// `DATABASE_ACQUIRE_TIMEOUT_MS`: how long a request waits for a
    /// database connection before answering 503.
    pub database_acquire_timeout_ms: u64,
    /// `SMTP_TIMEOUT_SECS`: one SMTP exchange, connection included.
    pub smtp_timeout_secs: u64,
    /// `OUTBOX_MAX_ATTEMPTS`: tries before a message is dead (shown to admins).
    pub outbox_max_attempts: i32,
    /// `OUTBOX_RETRY_SECS`: the first retry's delay; each next one doubles,
    /// up to an hour.
    pub outbox_retry_secs: i32,
    /// `TOTP_KEY`: 32 bytes (base64 or hex) sealing the administrators' TOTP
    /// secrets at rest. Required in production.
    pub totp_key: SecretSlice<u8>,
    /// `DEVICE_COOKIE_KEY`: 32 bytes (base64 or hex) signing the cookie that
    /// marks a browser a member signed in from. Required in production.
    pub device_cookie_key: SecretSlice<u8>,
    /// `RETENTION_*_DAYS`: how long each class of personal data is kept
    /// (`docs/retention.md`).
    pub retention: Retention,
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
/// Development and test keys: public, so refused in production (where the
/// variables are required anyway).
const DEV_TOTP_KEY: &str = "dGllcGRhbi1kZXZlbG9wbWVudC10b3RwLWtleS0wMDE=";
const DEV_DEVICE_COOKIE_KEY: &str = "dGllcGRhbi1kZXZlbG9wbWVudC1kZXZpY2Uta2V5LTE=";

impl Settings {
    /// How long a place offered to the waiting list is held.
    pub fn waitlist_hold(&self) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.waitlist_hold_minutes * 60.0)
    }

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
        if production {
            for (var, dev) in [
                ("TOTP_KEY", DEV_TOTP_KEY),
                ("DEVICE_COOKIE_KEY", DEV_DEVICE_COOKIE_KEY),
            ] {
                if lookup(var).as_deref().map(str::trim) == Some(dev) {
                    return Err(SettingsError {
                        var,
                        reason: "the development key is public; make a new one".into(),
                    });
                }
            }
        }
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
            proposal_hours: positive(
                parse(
                    "PROPOSAL_HOURS",
                    lookup("PROPOSAL_HOURS").unwrap_or_else(|| "48".into()),
                )?,
                "PROPOSAL_HOURS",
            )?,
            answer_within_hours: positive(
                parse(
                    "ANSWER_WITHIN_HOURS",
                    lookup("ANSWER_WITHIN_HOURS").unwrap_or_else(|| "16".into()),
                )?,
                "ANSWER_WITHIN_HOURS",
            )?,
            // A day at most: an offer holds a place nobody else can book.
            waitlist_hold_minutes: at_most(
                positive(
                    number(&lookup, "WAITLIST_HOLD_MINUTES", "30")?,
                    "WAITLIST_HOLD_MINUTES",
                )?,
                1440.0,
                "WAITLIST_HOLD_MINUTES",
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
            hash_concurrency: positive(
                number(&lookup, "HASH_CONCURRENCY", "4")?,
                "HASH_CONCURRENCY",
            )?,
            hash_queue_ms: number(&lookup, "HASH_QUEUE_MS", "1000")?,
            header_timeout_secs: positive(
                number(&lookup, "HEADER_TIMEOUT_SECS", "10")?,
                "HEADER_TIMEOUT_SECS",
            )?,
            request_timeout_secs: positive(
                number(&lookup, "REQUEST_TIMEOUT_SECS", "30")?,
                "REQUEST_TIMEOUT_SECS",
            )?,
            shutdown_drain_secs: number(&lookup, "SHUTDOWN_DRAIN_SECS", "20")?,
            max_connections: positive(
                number(&lookup, "MAX_CONNECTIONS", "1024")?,
                "MAX_CONNECTIONS",
            )?,
            max_connections_per_client: positive(
                number(&lookup, "MAX_CONNECTIONS_PER_CLIENT", "64")?,
                "MAX_CONNECTIONS_PER_CLIENT",
            )?,
            database_acquire_timeout_ms: positive(
                number(&lookup, "DATABASE_ACQUIRE_TIMEOUT_MS", "750")?,
                "DATABASE_ACQUIRE_TIMEOUT_MS",
            )?,
            smtp_timeout_secs: positive(
                number(&lookup, "SMTP_TIMEOUT_SECS", "20")?,
                "SMTP_TIMEOUT_SECS",
            )?,
            outbox_max_attempts: positive(
                number(&lookup, "OUTBOX_MAX_ATTEMPTS", "12")?,
                "OUTBOX_MAX_ATTEMPTS",
            )?,
            outbox_retry_secs: positive(
                number(&lookup, "OUTBOX_RETRY_SECS", "30")?,
                "OUTBOX_RETRY_SECS",
            )?,
            totp_key: key("TOTP_KEY", &get("TOTP_KEY", DEV_TOTP_KEY)?)?,
            device_cookie_key: key(
                "DEVICE_COOKIE_KEY",
                &get("DEVICE_COOKIE_KEY", DEV_DEVICE_COOKIE_KEY)?,
            )?,
            retention: Retention::from_lookup(&lookup)?,
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

#[cfg(test)]
mod tests;
