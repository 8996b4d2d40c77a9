//! Reading one variable's value: numbers, keys, proxy ranges, the public address.

use super::SettingsError;
use ipnet::IpNet;
use secrecy::SecretSlice;

pub(super) fn parse<T: std::str::FromStr>(
    var: &'static str,
    value: String,
) -> Result<T, SettingsError>
where
    T::Err: std::fmt::Display,
{
    value.trim().parse().map_err(|e| SettingsError {
        var,
        reason: format!("{e}"),
    })
}

pub(super) fn number<T: std::str::FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: &str,
) -> Result<T, SettingsError>
where
    T::Err: std::fmt::Display,
{
    parse(var, lookup(var).unwrap_or_else(|| default.to_owned()))
}

pub(super) fn positive<T: PartialOrd + Default>(
    value: T,
    var: &'static str,
) -> Result<T, SettingsError> {
    if value > T::default() {
        Ok(value)
    } else {
        Err(SettingsError {
            var,
            reason: "must be greater than zero".into(),
        })
    }
}

/// `value`, when it is no more than `max`.
pub(super) fn at_most<T: PartialOrd + std::fmt::Display>(
    value: T,
    max: T,
    var: &'static str,
) -> Result<T, SettingsError> {
    if value <= max {
        Ok(value)
    } else {
        Err(SettingsError {
            var,
            reason: format!("must be at most {max}"),
        })
    }
}

/// A 32-byte key, written as base64 (standard or URL-safe) or 64 hex digits.
pub(super) fn key(var: &'static str, value: &str) -> Result<SecretSlice<u8>, SettingsError> {
    use base64::Engine as _;
    let value = value.trim();
    let bytes = if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&value[2 * i..2 * i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .ok()
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(value)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(value))
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(value))
            .ok()
    };
    match bytes.filter(|b| b.len() == 32) {
        Some(bytes) => Ok(bytes.into()),
        None => Err(SettingsError {
            var,
            reason: "expected 32 bytes as base64 or 64 hex digits (e.g. `openssl rand -base64 32`)"
                .into(),
        }),
    }
}

/// Reads `a.b.c.d, e.f.g.h/24, ::1`: a bare address is a one-host range.
pub(super) fn trusted_proxies(value: String) -> Result<Vec<IpNet>, SettingsError> {
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

pub(super) fn public_url(value: String) -> Result<String, SettingsError> {
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
