//! The authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636 S256): the signed-in
//! earner's consent becomes a one-time code (10 minutes), the code becomes an access token
//! (a JWT, 1 hour) and a refresh token (30 days, rotated on use), and a presented access
//! token becomes a [`WalletAccess`].

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::register::WalletClient;
use super::{Scope, WalletAccess, parse_scopes, scope_string};
use crate::error::{Error, Result};
use crate::secret;
use crate::signing_key::KeyEncryptionKey;

/// Access token lifetime.
pub const ACCESS_TOKEN_SECONDS: i64 = 3600;
const CODE_MINUTES: i64 = 10;
const REFRESH_DAYS: i64 = 30;
const AUDIENCE: &str = "ob-v3p0-api";
const KEY_LABEL: &str = "ob-access-token v1";

/// What the consent page shows and posts back: a validated authorization request.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The client.
    pub client: WalletClient,
    /// Where the answer goes (one of the client's registered URIs).
    pub redirect_uri: String,
    /// The scopes asked for (within the client's registration).
    pub scopes: BTreeSet<Scope>,
    /// `state`, passed back untouched.
    pub state: Option<String>,
    /// PKCE S256 challenge.
    pub code_challenge: String,
}

/// Why an authorization request cannot even be answered at its redirect URI (shown to the
/// earner instead, RFC 6749 §4.1.2.1), or what to tell the client there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Unknown client or redirect URI: never redirect.
    NoRedirect(String),
    /// Tell the client `error` (an RFC 6749 code) at the redirect URI.
    Redirect {
        /// Where.
        redirect_uri: String,
        /// RFC 6749 error code.
        error: &'static str,
        /// What is wrong.
        description: String,
        /// `state`.
        state: Option<String>,
    },
}

/// The query parameters of `/oauth/authorize`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Query {
    /// `response_type`.
    pub response_type: Option<String>,
    /// `client_id`.
    pub client_id: Option<String>,
    /// `redirect_uri`.
    pub redirect_uri: Option<String>,
    /// `scope`.
    pub scope: Option<String>,
    /// `state`.
    pub state: Option<String>,
    /// `code_challenge`.
    pub code_challenge: Option<String>,
    /// `code_challenge_method`.
    pub code_challenge_method: Option<String>,
}

/// Validates an authorization request.
pub async fn check(pool: &PgPool, q: &Query) -> Result<std::result::Result<Request, Refusal>> {
    let Some(client_id) = q.client_id.as_deref() else {
        return Ok(Err(Refusal::NoRedirect(
            "The request names no client.".into(),
        )));
    };
    let client = match super::register::find(pool, client_id).await {
        Ok(c) => c,
        Err(Error::NotFound { .. }) => {
            return Ok(Err(Refusal::NoRedirect(
                "The app asking for access is not registered here.".into(),
            )));
        }
        Err(e) => return Err(e),
    };
    let redirect_uri = match q.redirect_uri.as_deref() {
        Some(u) if client.redirect_uris.iter().any(|r| r == u) => u.to_owned(),
        None if client.redirect_uris.len() == 1 => client.redirect_uris[0].clone(),
        _ => {
            return Ok(Err(Refusal::NoRedirect(
                "The app asked to send the answer to an address it did not register.".into(),
            )));
        }
    };
    let refuse = |error: &'static str, description: &str| Refusal::Redirect {
        redirect_uri: redirect_uri.clone(),
        error,
        description: description.to_owned(),
        state: q.state.clone(),
    };
    if q.response_type.as_deref() != Some("code") {
        return Ok(Err(refuse(
            "unsupported_response_type",
            "only response_type=code",
        )));
    }
    let challenge = q.code_challenge.as_deref().unwrap_or("");
    if q.code_challenge_method.as_deref() != Some("S256")
        || challenge.len() != 43
        || !challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(Err(refuse(
            "invalid_request",
            "PKCE is required: code_challenge (43 base64url characters) with code_challenge_method=S256",
        )));
    }
    let allowed = parse_scopes(&client.scope).unwrap_or_default();
    let scopes = match q.scope.as_deref().map(parse_scopes) {
        None => allowed.clone(),
        Some(Ok(s)) if !s.is_empty() && s.is_subset(&allowed) => s,
        Some(_) => {
            return Ok(Err(refuse(
                "invalid_scope",
                "the scope is unknown or was not registered",
            )));
        }
    };
    Ok(Ok(Request {
        client,
        redirect_uri,
        scopes,
        state: q.state.clone(),
        code_challenge: challenge.to_owned(),
    }))
}

/// The earner consented: a one-time code for the client.
pub async fn consent(pool: &PgPool, user_id: Uuid, r: &Request) -> Result<String> {
    let code = secret::generate("obc");
    sqlx::query!(
        r#"insert into ob_authorization_codes (code_hash, client_id, user_id, redirect_uri, scope, code_challenge, expires_at)
           values ($1, $2, $3, $4, $5, $6, $7)"#,
        secret::hash(&code),
        r.client.id,
        user_id,
        r.redirect_uri,
        scope_string(&r.scopes),
        r.code_challenge,
        Utc::now() + Duration::minutes(CODE_MINUTES)
    )
    .execute(pool)
    .await?;
    Ok(code)
}

/// A token answer (RFC 6749 §5.1).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tokens {
    /// The bearer token.
    pub access_token: String,
    /// Seconds it lives.
    pub expires_in: i64,
    /// A refresh token (rotated on use).
    pub refresh_token: String,
    /// Granted scopes.
    pub scope: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    aud: String,
    iat: i64,
    exp: i64,
    cid: Uuid,
    scope: String,
}

async fn tokens(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    issuer: &str,
    client: Uuid,
    user: Uuid,
    scope: &str,
) -> Result<Tokens> {
    let now = Utc::now().timestamp();
    let claims = Claims {
        iss: issuer.to_owned(),
        sub: user.to_string(),
        aud: AUDIENCE.to_owned(),
        iat: now,
        exp: now + ACCESS_TOKEN_SECONDS,
        cid: client,
        scope: scope.to_owned(),
    };
    let access_token = crate::access_token::sign(kek, KEY_LABEL, &claims)?;
    let refresh_token = secret::generate("obr");
    sqlx::query!(
        r#"insert into ob_refresh_tokens (token_hash, client_id, user_id, scope, expires_at)
           values ($1, $2, $3, $4, $5)"#,
        secret::hash(&refresh_token),
        client,
        user,
        scope,
        Utc::now() + Duration::days(REFRESH_DAYS)
    )
    .execute(pool)
    .await?;
    Ok(Tokens {
        access_token,
        expires_in: ACCESS_TOKEN_SECONDS,
        refresh_token,
        scope: scope.to_owned(),
    })
}

/// Exchanges a code (once) for tokens: the client, redirect URI and PKCE verifier must match.
/// Every refusal is `Invalid { "grant" }` (RFC 6749 `invalid_grant`).
pub async fn exchange_code(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    issuer: &str,
    client: &WalletClient,
    code: &str,
    redirect_uri: Option<&str>,
    verifier: &str,
) -> Result<Tokens> {
    let bad = |why: &str| Error::invalid("grant", why.to_owned());
    let row = sqlx::query!(
        r#"update ob_authorization_codes set used_at = now()
            where code_hash = $1 and used_at is null and expires_at > now()
        returning client_id, user_id, redirect_uri, scope, code_challenge"#,
        secret::hash(code.trim())
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| bad("the code is unknown, expired or already used"))?;
    if row.client_id != client.id {
        return Err(bad("the code was issued to another client"));
    }
    if redirect_uri.is_some_and(|u| u != row.redirect_uri) {
        return Err(bad("redirect_uri differs from the authorization request"));
    }
    if verifier.len() < 43 || verifier.len() > 128 {
        return Err(bad("code_verifier must be 43 to 128 characters"));
    }
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if !bool::from(computed.as_bytes().ct_eq(row.code_challenge.as_bytes())) {
        return Err(bad("code_verifier does not match the code_challenge"));
    }
    tokens(pool, kek, issuer, client.id, row.user_id, &row.scope).await
}

/// Exchanges a refresh token (once: it is rotated) for new tokens, with the same or fewer
/// scopes.
pub async fn refresh(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    issuer: &str,
    client: &WalletClient,
    refresh_token: &str,
    scope: Option<&str>,
) -> Result<Tokens> {
    let row = sqlx::query!(
        r#"update ob_refresh_tokens set used_at = now()
            where token_hash = $1 and used_at is null and expires_at > now() and client_id = $2
        returning user_id, scope"#,
        secret::hash(refresh_token.trim()),
        client.id
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::invalid("grant", "the refresh token is unknown, expired or used"))?;
    let granted = parse_scopes(&row.scope).unwrap_or_default();
    let scopes = match scope.map(parse_scopes) {
        None => granted,
        Some(Ok(s)) if s.is_subset(&granted) && !s.is_empty() => s,
        Some(_) => return Err(Error::invalid("scope", "more than was granted")),
    };
    tokens(
        pool,
        kek,
        issuer,
        client.id,
        row.user_id,
        &scope_string(&scopes),
    )
    .await
}

/// Verifies a presented access token: the client still registered, the earner still active
/// and still connected (a disconnect or a block ends the tokens already handed out).
pub async fn verify(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    issuer: &str,
    token: &str,
) -> Result<WalletAccess> {
    let claims: Claims = crate::access_token::verify(
        kek,
        KEY_LABEL,
        issuer,
        AUDIENCE,
        token,
        "the access token has expired; refresh it",
    )?;
    let user_id: Uuid = claims.sub.parse().map_err(|_| Error::Unauthenticated {
        reason: "the access token is not valid",
    })?;
    let live = sqlx::query_scalar!(
        r#"select exists (select 1 from ob_clients where id = $1 and revoked_at is null)
              and exists (select 1 from users where id = $2 and active and deleted_at is null)
              and exists (select 1 from ob_refresh_tokens
                           where client_id = $1 and user_id = $2 and expires_at > now()) as "live!""#,
        claims.cid,
        user_id
    )
    .fetch_one(pool)
    .await?;
    if !live {
        return Err(Error::Unauthenticated {
            reason: "the client or the account is no longer active",
        });
    }
    Ok(WalletAccess {
        user_id,
        client_id: claims.cid,
        scopes: parse_scopes(&claims.scope).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7636_example_verifier_matches_its_challenge() {
        // RFC 7636 Appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }
}
