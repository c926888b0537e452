//! Sign-in with OpenID Connect (Microsoft Entra ID in production, the local provider in
//! `dev/oidc-provider/` for development and tests), sessions, and permission guards.
//!
//! Flow: `GET /auth/login` stores `state`, `nonce` and the PKCE verifier in the server session
//! and redirects to the provider; `GET /auth/callback` checks `state`, redeems the code with the
//! verifier, verifies the ID token (signature via the provider's JWKS, issuer, audience, expiry,
//! issue time, nonce, tenant), creates or links the user, cycles the session id and records a
//! `sessions` row; `POST /auth/logout` ends the session here and at the provider.
//!
//! On every page and server-function request [`current::resolve_viewer`] checks that the
//! session's `sessions` row is still active and the user still active, loads their roles and
//! hands the handler an [`app::auth::Viewer`]. Handlers obtain permissions only through
//! [`guard`] (axum) or [`app::auth::require`] (server functions).

pub mod bootstrap;
pub mod callback;
pub mod claims;
pub mod csrf;
pub mod current;
pub mod email_link;
pub mod error;
pub mod guard;
pub mod login;
pub mod logout;
pub mod oidc;
pub mod session_data;
pub mod start;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// The `/auth/*` routes; they need the session layer around them.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", get(login::start))
        .route("/auth/callback", get(callback::finish))
        .route("/auth/logout", post(logout::sign_out))
        .route("/auth/logout-everywhere", post(logout::sign_out_everywhere))
        .route("/auth/email/{token}", get(email_link::sign_in))
}

/// The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), if there is one:
/// SCIM, the REST API and the OB 3.0 API all read it here.
pub fn bearer_token(headers: &http::HeaderMap) -> Option<&str> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The client address (for logs, rate limits, `sessions` and audit rows): the TCP peer, or —
/// when the peer is one of `TRUSTED_PROXIES` — the rightmost `X-Forwarded-For` hop that is
/// not a trusted proxy. Without trusted proxies the header is ignored: anyone can set it.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl ClientIp {
    /// Works out the client of a request from its peer and headers.
    pub fn resolve(
        peer: Option<std::net::IpAddr>,
        headers: &http::HeaderMap,
        trusted: &[ipnet::IpNet],
    ) -> ClientIp {
        let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
        let Some(peer) = peer else {
            return ClientIp(None);
        };
        if !is_trusted(&peer) {
            return ClientIp(Some(peer));
        }
        let hops: Vec<std::net::IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|h| h.trim().parse().ok())
            .collect();
        // From the right: the last hop our proxies did not add is the client.
        let client = hops.iter().rev().find(|ip| !is_trusted(ip)).copied();
        ClientIp(Some(
            client.or_else(|| hops.first().copied()).unwrap_or(peer),
        ))
    }

    /// The address as text for keys and logs (`unknown` when not available).
    pub fn label(&self) -> String {
        self.0
            .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
    }
}

/// Middleware: resolves the client address once per request, for every handler and log line.
pub async fn resolve_client_ip(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let ip = ClientIp::resolve(peer, request.headers(), &state.config.trusted_proxies);
    request.extensions_mut().insert(ip);
    next.run(request).await
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<ClientIp>()
            .copied()
            .unwrap_or_else(|| {
                ClientIp(
                    parts
                        .extensions
                        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                        .map(|c| c.0.ip()),
                )
            }))
    }
}

#[cfg(test)]
mod tests {
    use super::ClientIp;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let mut h = http::HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "6.6.6.6, 203.0.113.7, 10.0.0.2".parse().unwrap(),
        );
        let proxy = Some("10.0.0.1".parse().unwrap());
        // Behind our proxy: the rightmost untrusted hop (the spoofed first entry is ignored).
        assert_eq!(
            ClientIp::resolve(proxy, &h, &trusted).label(),
            "203.0.113.7"
        );
        // Straight from the internet: the header is whatever the client wrote; ignore it.
        let direct = Some("198.51.100.9".parse().unwrap());
        assert_eq!(
            ClientIp::resolve(direct, &h, &trusted).label(),
            "198.51.100.9"
        );
        // No trusted proxies configured: the peer.
        assert_eq!(ClientIp::resolve(proxy, &h, &[]).label(), "10.0.0.1");
    }
}
