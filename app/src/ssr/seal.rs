//! Secrets kept at rest sealed (XChaCha20-Poly1305, RustCrypto's
//! `chacha20poly1305`) with a key from the settings, never from the
//! database: a copy of the database alone does not give an administrator's
//! second factor away. Each sealed value is bound to what it belongs to
//! (`context`), so it cannot be moved to another account's row.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const VERSION: u8 = 1;
const NONCE: usize = 24;

/// Why a sealed value could not be opened.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the key is not 32 bytes")]
    Key,
    #[error("not a sealed value, or sealed with another key or for another record")]
    Open,
}

fn cipher(key: &[u8]) -> Result<XChaCha20Poly1305, SealError> {
    XChaCha20Poly1305::new_from_slice(key).map_err(|_| SealError::Key)
}

/// `plain`, sealed for `context`: version, random nonce, ciphertext and tag.
pub fn seal(key: &[u8], context: &[u8], plain: &[u8]) -> Result<Vec<u8>, SealError> {
    use rand::RngCore as _;
    let mut nonce = [0u8; NONCE];
    rand::rng().fill_bytes(&mut nonce);
    let sealed = cipher(key)?
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: context,
            },
        )
        .map_err(|_| SealError::Open)?;
    let mut out = Vec::with_capacity(1 + NONCE + sealed.len());
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Whether `stored` is in the sealed form (older rows hold secrets in clear).
pub fn is_sealed(stored: &[u8]) -> bool {
    stored.len() > 1 + NONCE && stored[0] == VERSION
}

/// The plain value of `stored`, sealed for `context` with `key`.
pub fn open(key: &[u8], context: &[u8], stored: &[u8]) -> Result<Vec<u8>, SealError> {
    if !is_sealed(stored) {
        return Err(SealError::Open);
    }
    let (nonce, sealed) = stored[1..].split_at(NONCE);
    cipher(key)?
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: context,
            },
        )
        .map_err(|_| SealError::Open)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_context() {
        let secret = b"12345678901234567890";
        let sealed = seal(&KEY, b"staff:1", secret).unwrap();
        assert!(is_sealed(&sealed));
        assert!(!sealed.windows(secret.len()).any(|w| w == secret));
        assert_eq!(open(&KEY, b"staff:1", &sealed).unwrap(), secret);
        assert_eq!(open(&[8; 32], b"staff:1", &sealed), Err(SealError::Open));
        assert_eq!(open(&KEY, b"staff:2", &sealed), Err(SealError::Open));
        assert_ne!(
            seal(&KEY, b"staff:1", secret).unwrap(),
            sealed,
            "fresh nonce"
        );
        assert_eq!(open(&KEY, b"staff:1", secret), Err(SealError::Open));
        assert_eq!(seal(&[1; 16], b"x", secret), Err(SealError::Key));
    }
}
