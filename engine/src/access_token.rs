//! Our signed access tokens: JWTs (RFC 7519, HS256) under a key derived from the KEK, one key
//! per kind (`label`), so a token of one kind never passes for another. Used by the REST API's
//! client-credentials tokens (`client_app::token`) and the OB 3.0 API's tokens
//! (`wallet::grant`); each adds its own claims and the checks behind them.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::signing_key::KeyEncryptionKey;

/// Longest token accepted for checking.
const MAX_TOKEN_BYTES: usize = 4096;

/// Signs `claims` with the key of `label`.
pub(crate) fn sign<C: Serialize>(
    kek: &KeyEncryptionKey,
    label: &str,
    claims: &C,
) -> Result<String> {
    let key = kek.derive(label);
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(&*key),
    )
    .map_err(Error::internal)
}

/// The claims of a token signed with the key of `label`, for `issuer` and `audience`, not
/// expired (5 s leeway). Refusals are `Unauthenticated`; `expired` says what to do then.
pub(crate) fn verify<C: DeserializeOwned>(
    kek: &KeyEncryptionKey,
    label: &str,
    issuer: &str,
    audience: &str,
    token: &str,
    expired: &'static str,
) -> Result<C> {
    let invalid = Error::Unauthenticated {
        reason: "the access token is not valid",
    };
    if token.len() > MAX_TOKEN_BYTES {
        return Err(invalid);
    }
    let key = kek.derive(label);
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.leeway = 5;
    jsonwebtoken::decode::<C>(token, &DecodingKey::from_secret(&*key), &validation)
        .map(|data| data.claims)
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                Error::Unauthenticated { reason: expired }
            }
            _ => invalid,
        })
}
