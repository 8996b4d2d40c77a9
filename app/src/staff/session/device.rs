//! Which limits a sign-in attempt counts against, and the device cookie
//! that keeps strangers from locking a member out (OWASP, "Slow down online
//! guessing attacks with device cookies").
//!
//! A browser a member signed in from correctly carries a signed entry for
//! that account (`account tag . nonce . HMAC`). Attempts from it count
//! against that device alone, so a hundred failures sent from elsewhere at
//! opening time do not stop the receptionist at her own desk. Attempts
//! without a valid entry count against the account and the client address,
//! as before. Every window takes its attempt before the password or code is
//! checked ([`limits::claim`]).

use crate::error::AppError;
use crate::ssr::cookies::{request_cookie, set_cookie, SetCookie};
use crate::ssr::limits::{self, Claim, Limit};
use crate::ssr::{client, AppState};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

/// The cookie's name; sent only to the staff API, never to pages.
pub const COOKIE: &str = "td_device";
const PATH: &str = "/api/staff/";
const WINDOW: i32 = 900;
/// Accounts one browser remembers (a shared desk computer).
const MAX_ENTRIES: usize = 8;
const MAX_AGE_SECS: u64 = 180 * 24 * 3600;

/// The account part of keys and entries: the e-mail hashed, so neither the
/// cookie nor the limits table holds an address.
fn account_tag(email: &str) -> String {
    let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}

fn signature(state: &AppState, tag: &str, nonce: &str) -> Hmac<Sha256> {
    // Any key length is valid for HMAC.
    let mut mac = Hmac::<Sha256>::new_from_slice(state.settings.device_cookie_key.expose_secret())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(b"td-device-v1.");
    mac.update(tag.as_bytes());
    mac.update(b".");
    mac.update(nonce.as_bytes());
    mac
}

/// The entries of the request's cookie whose signature holds, as
/// (account tag, nonce).
fn entries(state: &AppState) -> Vec<(String, String)> {
    let Some(raw) = request_cookie(COOKIE) else {
        return Vec::new();
    };
    raw.split('~')
        .take(MAX_ENTRIES)
        .filter_map(|entry| {
            let mut parts = entry.split('.');
            let (tag, nonce, sig) = (parts.next()?, parts.next()?, parts.next()?);
            let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
            signature(state, tag, nonce).verify_slice(&sig).ok()?;
            Some((tag.to_owned(), nonce.to_owned()))
        })
        .collect()
}

/// The windows an attempt to sign in as `email` counts against.
pub fn login_limits(state: &AppState, email: &str) -> Vec<Limit> {
    let tag = account_tag(email);
    let max = state.settings.staff_login_failures_per_15_min;
    if let Some((_, nonce)) = entries(state).into_iter().find(|(t, _)| *t == tag) {
        return vec![Limit::new(
            format!("staff-login:device:{nonce}"),
            WINDOW,
            max,
        )];
    }
    vec![
        Limit::new(format!("staff-login:account:{tag}"), WINDOW, max),
        Limit::new(
            format!(
                "staff-login:addr:{}",
                client::client_key(&state.settings.trusted_proxies)
            ),
            WINDOW,
            max,
        ),
    ]
}

/// Takes one attempt to sign in as `email` from every window it counts
/// against, before the secret is looked at.
pub async fn claim_attempt(state: &AppState, email: &str) -> Result<Claim, AppError> {
    limits::claim(&state.pool, &login_limits(state, email)).await
}

/// After a correct sign-in: this browser is now known for `email` (a fresh
/// nonce, so a copied old entry stops counting as this device).
pub fn remember(state: &AppState, email: &str) {
    use rand::RngCore as _;
    let tag = account_tag(email);
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let nonce = URL_SAFE_NO_PAD.encode(bytes);
    let sig = URL_SAFE_NO_PAD.encode(signature(state, &tag, &nonce).finalize().into_bytes());
    let mut kept = vec![format!("{tag}.{nonce}.{sig}")];
    if let Some(raw) = request_cookie(COOKIE) {
        let valid = entries(state);
        kept.extend(
            raw.split('~')
                .filter(|e| {
                    let mut p = e.split('.');
                    let (t, n) = (p.next().unwrap_or(""), p.next().unwrap_or(""));
                    t != tag && valid.iter().any(|(vt, vn)| vt == t && vn == n)
                })
                .take(MAX_ENTRIES - 1)
                .map(str::to_owned),
        );
    }
    set_cookie(&SetCookie {
        name: COOKIE,
        value: &kept.join("~"),
        path: PATH,
        max_age_secs: MAX_AGE_SECS,
        same_site: "Strict",
        secure: state.settings.secure_staff_cookie(),
    });
}

#[cfg(test)]
mod tests {
    use super::account_tag;

    #[test]
    fn the_account_tag_ignores_case_and_spaces_and_hides_the_address() {
        assert_eq!(
            account_tag(" LeTan@Tiepdan.local "),
            account_tag("letan@tiepdan.local")
        );
        assert_ne!(account_tag("a@b.vn"), account_tag("c@b.vn"));
        assert!(!account_tag("letan@tiepdan.local").contains("letan"));
        assert_eq!(account_tag("a@b.vn").len(), 24);
    }
}
