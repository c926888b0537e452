//! App-only access tokens issued by Entra (or the OpenID provider configured for sign-in) for
//! the API, when `API_ENTRA_AUDIENCE` is set: an RS256 JWT whose key is in the provider's JWKS
//! (found through its discovery document, cached, fetched again when a token names a key id
//! not seen yet — at most every 10 s, so bad tokens cannot make us hammer the provider),
//! whose `iss` is the provider, `aud` the API and, with `OIDC_TENANT_ID`, `tid` the tenant.
//! Delegated tokens (with `scp`, on behalf of a user) are refused: the API serves apps.
//! `jsonwebtoken` (already used for our own tokens) checks signature, expiry and claims.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::config::OidcConfig;

/// Largest discovery document or key set read.
const MAX_DOCUMENT: usize = 1 << 20;
/// How long a fetched key set is used before it is fetched again.
const KEYS_TTL: Duration = Duration::from_secs(3600);
/// Least time between two fetches for an unknown key id.
const REFETCH_AFTER: Duration = Duration::from_secs(10);

/// Why a token was refused (the 401's `error_description`).
type Refusal = &'static str;

/// Verifies Entra app tokens for the API.
pub struct EntraTokens {
    issuer: String,
    audience: String,
    tenant: Option<String>,
    http: reqwest::Client,
    keys: Mutex<Keys>,
}

#[derive(Default)]
struct Keys {
    set: Option<Arc<JwkSet>>,
    fetched: Option<Instant>,
}

/// What the API needs from a verified token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppToken {
    /// The calling app's client id (`azp`, or `appid` in v1 tokens).
    pub app: String,
    /// Its tenant.
    pub tenant: Option<String>,
    /// Its app roles.
    pub roles: Vec<String>,
}

#[derive(Deserialize)]
struct Claims {
    azp: Option<String>,
    appid: Option<String>,
    tid: Option<String>,
    scp: Option<serde_json::Value>,
    #[serde(default)]
    roles: Vec<String>,
}

#[derive(Deserialize)]
struct Discovery {
    jwks_uri: String,
}

impl EntraTokens {
    /// `None` unless sign-in is configured with `API_ENTRA_AUDIENCE`.
    pub fn from_config(oidc: Option<&OidcConfig>) -> Option<EntraTokens> {
        let oidc = oidc?;
        let audience = oidc.api_audience.clone()?;
        Some(EntraTokens {
            issuer: oidc.issuer_url.as_str().to_owned(),
            audience,
            tenant: oidc.tenant_id.clone(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
            keys: Mutex::new(Keys::default()),
        })
    }

    /// The header of `token` if it is for this verifier to judge: a JWT signed with RS256
    /// (our own API tokens are HS256).
    pub fn header_of(token: &str) -> Option<jsonwebtoken::Header> {
        jsonwebtoken::decode_header(token)
            .ok()
            .filter(|h| h.alg == Algorithm::RS256)
    }

    /// Verifies the token whose header [`EntraTokens::header_of`] read.
    pub async fn verify(
        &self,
        token: &str,
        header: jsonwebtoken::Header,
    ) -> Result<AppToken, Refusal> {
        let kid = header.kid.ok_or("the token names no signing key (kid)")?;
        let key = self.key(&kid).await?;
        let mut validation = Validation::new(Algorithm::RS256);
        // Discovery documents differ on the trailing slash; compare both spellings.
        let bare = self.issuer.trim_end_matches('/').to_owned();
        validation.set_issuer(&[bare.clone(), format!("{bare}/")]);
        validation.set_audience(&[self.audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.leeway = 60;
        let data = jsonwebtoken::decode::<Claims>(token, &key, &validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            match e.kind() {
                ErrorKind::ExpiredSignature => "the token has expired",
                ErrorKind::InvalidAudience => "the token is for another audience",
                ErrorKind::InvalidIssuer => "the token comes from another issuer",
                ErrorKind::InvalidSignature => "the token's signature does not verify",
                _ => "the token is not valid",
            }
        })?;
        let c = data.claims;
        if c.scp.is_some() {
            return Err("a delegated (user) token; the API takes app-only tokens");
        }
        if let Some(t) = &self.tenant
            && c.tid.as_deref().map(str::to_ascii_lowercase).as_deref() != Some(t.as_str())
        {
            return Err("the token is from another tenant");
        }
        let app = c.azp.or(c.appid).ok_or("the token names no app (azp)")?;
        Ok(AppToken {
            app,
            tenant: c.tid,
            roles: c.roles,
        })
    }

    async fn key(&self, kid: &str) -> Result<DecodingKey, Refusal> {
        let mut keys = self.keys.lock().await;
        let stale = keys.fetched.is_none_or(|t| t.elapsed() > KEYS_TTL);
        let find = |set: &JwkSet| set.find(kid).and_then(|k| DecodingKey::from_jwk(k).ok());
        if !stale && let Some(k) = keys.set.as_deref().and_then(find) {
            return Ok(k);
        }
        let may_fetch = stale || keys.fetched.is_none_or(|t| t.elapsed() > REFETCH_AFTER);
        if may_fetch {
            match self.fetch_keys().await {
                Ok(set) => {
                    keys.set = Some(Arc::new(set));
                    keys.fetched = Some(Instant::now());
                }
                Err(e) => {
                    tracing::warn!(error = %e, issuer = %self.issuer, "cannot fetch the provider's signing keys");
                    // Keep answering with the keys we have.
                    keys.fetched = Some(Instant::now());
                }
            }
        }
        keys.set
            .as_deref()
            .and_then(find)
            .ok_or("the token is signed with a key the provider does not publish")
    }

    async fn fetch_keys(&self) -> Result<JwkSet, String> {
        let discovery = format!(
            "{}/.well-known/openid-configuration",
            self.issuer.trim_end_matches('/')
        );
        let d: Discovery = serde_json::from_slice(&self.get(&discovery).await?)
            .map_err(|e| format!("{discovery}: {e}"))?;
        serde_json::from_slice(&self.get(&d.jwks_uri).await?)
            .map_err(|e| format!("{}: {e}", d.jwks_uri))
    }

    async fn get(&self, url: &str) -> Result<Vec<u8>, String> {
        let mut r = self
            .http
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| format!("{url}: {e}"))?;
        let mut body = Vec::new();
        while let Some(chunk) = r.chunk().await.map_err(|e| format!("{url}: {e}"))? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_DOCUMENT {
                return Err(format!("{url}: larger than {MAX_DOCUMENT} bytes"));
            }
        }
        Ok(body)
    }
}
