//! Signed one-time links (claim links, sign-in links, address confirmations): the token is
//! `<id>.<expiry>.<mac>` with an HMAC-SHA256 over purpose, id and expiry under a key derived
//! from the KEK. A tampered or foreign token fails the MAC before any database lookup; the
//! id names a row that records single use.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeZone, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::signing_key::KeyEncryptionKey;

/// What a link is for; part of the MAC, so a token for one purpose never works for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `/claim/{token}`.
    Claim,
    /// `/auth/email/{token}`.
    SignIn,
    /// `/me/addresses/confirm/{token}`.
    ConfirmAddress,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::Claim => b"claim",
            Purpose::SignIn => b"sign-in",
            Purpose::ConfirmAddress => b"confirm-address",
        }
    }
}

fn mac(kek: &KeyEncryptionKey, purpose: Purpose, id: Uuid, expires: i64) -> Result<Hmac<Sha256>> {
    let key = kek.derive("signed-link v1");
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&*key).map_err(Error::internal)?;
    m.update(purpose.label());
    m.update(b"\0");
    m.update(id.as_bytes());
    m.update(&expires.to_be_bytes());
    Ok(m)
}

/// The token for row `id`, valid until `expires`.
pub fn sign(
    kek: &KeyEncryptionKey,
    purpose: Purpose,
    id: Uuid,
    expires: DateTime<Utc>,
) -> Result<String> {
    let exp = expires.timestamp();
    let tag = mac(kek, purpose, id, exp)?.finalize().into_bytes();
    Ok(format!(
        "{}.{exp}.{}",
        id.simple(),
        URL_SAFE_NO_PAD.encode(tag)
    ))
}

/// Why a link does not work, in words for the person holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// Not a link we made (mistyped, cut off, tampered with, or from another deployment).
    Invalid,
    /// Past its expiry.
    Expired,
}

/// Checks a token's form, MAC and expiry; returns the row id.
pub fn open(
    kek: &KeyEncryptionKey,
    purpose: Purpose,
    token: &str,
    now: DateTime<Utc>,
) -> std::result::Result<Uuid, LinkError> {
    if token.len() > 200 {
        return Err(LinkError::Invalid);
    }
    let mut parts = token.trim().splitn(3, '.');
    let (Some(id), Some(exp), Some(tag)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(LinkError::Invalid);
    };
    let id = Uuid::try_parse(id).map_err(|_| LinkError::Invalid)?;
    let exp: i64 = exp.parse().map_err(|_| LinkError::Invalid)?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| LinkError::Invalid)?;
    let expected = mac(kek, purpose, id, exp)
        .map_err(|_| LinkError::Invalid)?
        .finalize()
        .into_bytes();
    if !bool::from(expected.as_slice().ct_eq(&tag)) {
        return Err(LinkError::Invalid);
    }
    match Utc.timestamp_opt(exp, 0).single() {
        Some(t) if t > now => Ok(id),
        _ => Err(LinkError::Expired),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_tampering() {
        let kek = KeyEncryptionKey::generate();
        let id = Uuid::now_v7();
        let now = Utc::now();
        let t = sign(&kek, Purpose::Claim, id, now + chrono::Duration::days(1)).unwrap();
        assert_eq!(open(&kek, Purpose::Claim, &t, now), Ok(id));
        assert_eq!(
            open(&kek, Purpose::SignIn, &t, now),
            Err(LinkError::Invalid)
        );
        assert_eq!(
            open(&KeyEncryptionKey::generate(), Purpose::Claim, &t, now),
            Err(LinkError::Invalid)
        );
        let mut tampered = t.clone();
        tampered.replace_range(0..1, if t.starts_with('0') { "1" } else { "0" });
        assert_eq!(
            open(&kek, Purpose::Claim, &tampered, now),
            Err(LinkError::Invalid)
        );
        assert_eq!(
            open(&kek, Purpose::Claim, &t, now + chrono::Duration::days(2)),
            Err(LinkError::Expired)
        );
        assert_eq!(
            open(&kek, Purpose::Claim, "garbage", now),
            Err(LinkError::Invalid)
        );
    }
}
