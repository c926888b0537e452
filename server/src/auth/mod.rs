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
pub mod error;
pub mod guard;
pub mod login;
pub mod logout;
pub mod oidc;
pub mod session_data;

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
}

/// The client address (for logs, rate limits and the `sessions` row), from the connection.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        // No X-Forwarded-For: anyone can set it. Behind a proxy, pass the real address on the
        // connection instead (e.g. PROXY protocol) so rate limits cannot be dodged.
        Ok(ClientIp(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

impl ClientIp {
    /// The address as text for keys and logs (`unknown` when not available).
    pub fn label(&self) -> String {
        self.0
            .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
    }
}
