//! The OpenID Connect client: discovery (cached), the authorization request with PKCE, `state`
//! and `nonce`, the code exchange and ID-token verification with JWKS key rotation.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields,
    EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdToken, IdTokenFields,
    IdTokenVerifier, IssuerUrl, LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, RequestTokenError, Scope,
    StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use tokio::sync::RwLock;

use super::claims::{EntraClaims, StandardClaims, VerifiedLogin, to_login};
use super::error::{LoginError, NOT_YET_VALID};
use super::session_data::Pending;
use crate::config::OidcConfig;

type EntraIdTokenFields = IdTokenFields<
    EntraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type EntraTokenResponse = StandardTokenResponse<EntraIdTokenFields, CoreTokenType>;
/// ID token with Entra's extra claims.
pub type EntraIdToken = IdToken<
    EntraClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type EntraClient = Client<
    EntraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    EntraTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// How long discovery and keys are trusted before being fetched again.
const METADATA_TTL: Duration = Duration::from_secs(60 * 60);
/// Unknown-key refreshes are spaced at least this far apart, so forged tokens cannot make us
/// hammer the provider.
const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(10);
/// Tolerated clock difference for `iat` in the future.
const CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(60);

struct Discovered {
    client: EntraClient,
    jwks: CoreJsonWebKeySet,
    end_session: Option<EndSessionUrl>,
    fetched_at: Instant,
}

/// The relying party for one configured provider; cheap to share.
pub struct Provider {
    config: OidcConfig,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    post_logout: Option<PostLogoutRedirectUrl>,
    http: openidconnect::reqwest::Client,
    discovered: RwLock<Option<Arc<Discovered>>>,
    /// Added to the clock when checking token times (tests only simulate clock drift with it).
    clock_offset: std::sync::RwLock<chrono::Duration>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("issuer", &self.issuer.as_str())
            .finish_non_exhaustive()
    }
}

impl Provider {
    /// Prepares the client; nothing is fetched until the first sign-in (so the app starts even
    /// while the provider is unreachable).
    pub fn new(config: OidcConfig, public_base_url: &url::Url) -> Result<Provider, String> {
        // Keep the issuer exactly as configured: it must equal the discovery document's `issuer`.
        let issuer_text = config.issuer_url.as_str();
        let issuer_text = if config.issuer_url.path() == "/" {
            issuer_text.trim_end_matches('/')
        } else {
            issuer_text
        };
        let issuer = IssuerUrl::new(issuer_text.to_owned()).map_err(|e| e.to_string())?;
        let redirect = public_base_url
            .join("/auth/callback")
            .map_err(|e| e.to_string())?;
        let post_logout = public_base_url
            .join("/")
            .map_err(|e| e.to_string())
            .map(PostLogoutRedirectUrl::from_url)?;
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would let a compromised endpoint point us anywhere (SSRF).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Provider {
            config,
            issuer,
            redirect: RedirectUrl::from_url(redirect),
            post_logout: Some(post_logout),
            http,
            discovered: RwLock::new(None),
            clock_offset: std::sync::RwLock::new(chrono::Duration::zero()),
        })
    }

    /// The configured issuer.
    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// Shifts the clock used for token time checks (tests of expired / future tokens).
    pub fn set_clock_offset(&self, offset: chrono::Duration) {
        if let Ok(mut o) = self.clock_offset.write() {
            *o = offset;
        }
    }

    fn now(&self) -> DateTime<Utc> {
        let offset = self
            .clock_offset
            .read()
            .map(|o| *o)
            .unwrap_or_else(|_| chrono::Duration::zero());
        Utc::now() + offset
    }

    async fn discovered(&self, force: bool) -> Result<Arc<Discovered>, LoginError> {
        if let Some(d) = self.discovered.read().await.as_ref() {
            let age = d.fetched_at.elapsed();
            if !(force && age >= MIN_REFRESH_INTERVAL) && age < METADATA_TTL {
                return Ok(d.clone());
            }
        }
        let mut slot = self.discovered.write().await;
        // Another request may have refreshed while we waited for the lock.
        if let Some(d) = slot.as_ref()
            && d.fetched_at.elapsed() < MIN_REFRESH_INTERVAL
        {
            return Ok(d.clone());
        }
        let metadata = ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, issuer = %self.issuer.as_str(), "OpenID discovery failed");
                LoginError::ProviderUnavailable(e.to_string())
            })?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let jwks = metadata.jwks().clone();
        let client = EntraClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect.clone());
        let fresh = Arc::new(Discovered {
            client,
            jwks,
            end_session,
            fetched_at: Instant::now(),
        });
        *slot = Some(fresh.clone());
        tracing::info!(issuer = %self.issuer.as_str(), "OpenID provider metadata and keys loaded");
        Ok(fresh)
    }

    /// Builds the authorization URL and the one-shot values to keep in the session.
    pub async fn begin(&self, next: String) -> Result<(url::Url, Pending), LoginError> {
        let d = self.discovered(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = d
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        Ok((
            url,
            Pending {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                next,
                started_at: Utc::now(),
            },
        ))
    }

    /// Redeems the code (with the PKCE verifier) and verifies the ID token against `pending`.
    pub async fn finish(
        &self,
        code: String,
        pending: &Pending,
    ) -> Result<VerifiedLogin, LoginError> {
        let d = self.discovered(false).await?;
        let response = d
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| LoginError::ProviderUnavailable(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(r) => LoginError::CodeRejected(format!(
                    "{}{}",
                    r.error(),
                    r.error_description()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                )),
                RequestTokenError::Request(e) => LoginError::ProviderUnavailable(e.to_string()),
                other => LoginError::CodeRejected(other.to_string()),
            })?;
        let token = response.id_token().ok_or(LoginError::NoIdToken)?.clone();
        self.verify(&token, &pending.nonce).await
    }

    /// Verifies an ID token; when the signing key is unknown (the provider rotated its keys)
    /// the keys are fetched again once and the check repeated.
    pub async fn verify(
        &self,
        token: &EntraIdToken,
        nonce: &str,
    ) -> Result<VerifiedLogin, LoginError> {
        let d = self.discovered(false).await?;
        match self.verify_with(&d, token, nonce) {
            Err(LoginError::InvalidIdToken(
                openidconnect::ClaimsVerificationError::SignatureVerification(
                    openidconnect::SignatureVerificationError::NoMatchingKey,
                ),
            )) => {
                tracing::info!(
                    "ID token signed by an unknown key; fetching the provider's keys again"
                );
                let fresh = self.discovered(true).await?;
                self.verify_with(&fresh, token, nonce)
            }
            other => other,
        }
    }

    fn verify_with(
        &self,
        d: &Discovered,
        token: &EntraIdToken,
        nonce: &str,
    ) -> Result<VerifiedLogin, LoginError> {
        let now = self.now();
        // A public-client verifier: no client secret, so an HS256 token "signed" with our secret
        // can never pass; and only RS256, whatever the discovery document lists.
        let verifier: IdTokenVerifier<'_, CoreJsonWebKey> = IdTokenVerifier::new_public_client(
            ClientId::new(self.config.client_id.clone()),
            self.issuer.clone(),
            d.jwks.clone(),
        )
        .set_allowed_algs([CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256])
        .set_time_fn(move || now)
        .set_issue_time_verifier_fn(move |iat| {
            if iat > now + CLOCK_SKEW {
                Err(format!("{NOT_YET_VALID} ({iat})"))
            } else {
                Ok(())
            }
        });
        let nonce = Nonce::new(nonce.to_owned());
        let claims = token.claims(&verifier, &nonce)?;
        let extra = claims.additional_claims();
        let login = to_login(
            StandardClaims {
                issuer: claims.issuer().as_str(),
                subject: claims.subject().as_str(),
                preferred_username: claims.preferred_username().map(|u| u.as_str()),
                email: claims.email().map(|e| e.as_str()),
                email_verified: claims.email_verified().unwrap_or(false),
                name: claims.name().and_then(|n| n.get(None)).map(|n| n.as_str()),
                given_name: claims
                    .given_name()
                    .and_then(|n| n.get(None))
                    .map(|n| n.as_str()),
                family_name: claims
                    .family_name()
                    .and_then(|n| n.get(None))
                    .map(|n| n.as_str()),
            },
            extra,
            token.to_string(),
        );
        if let Some(expected) = &self.config.tenant_id
            && login.tenant_id.as_deref() != Some(expected.as_str())
        {
            return Err(LoginError::WrongTenant);
        }
        Ok(login)
    }

    /// Where to send the browser to end the provider session too, when the provider supports
    /// it and `OIDC_END_SESSION` is on.
    pub async fn end_session_url(&self, id_token: &str) -> Option<url::Url> {
        if !self.config.end_session {
            return None;
        }
        let d = self.discovered(false).await.ok()?;
        let endpoint = d.end_session.clone()?;
        let mut request = LogoutRequest::from(endpoint)
            .set_client_id(ClientId::new(self.config.client_id.clone()));
        if let Ok(token) = id_token.parse::<EntraIdToken>() {
            request = request.set_id_token_hint(&token);
        }
        if let Some(post) = &self.post_logout {
            request = request.set_post_logout_redirect_uri(post.clone());
        }
        Some(request.http_get_url())
    }
}
