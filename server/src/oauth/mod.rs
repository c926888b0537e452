//! OAuth 2.0: the token endpoint ([`token`]: client credentials for integration apps, which
//! are registered on `/admin/client-apps`; authorization code with PKCE and refresh tokens
//! for wallets using the OB 3.0 API) and the earner's consent page ([`authorize`]).

pub mod authorize;
pub mod token;

use axum::Router;

use crate::state::AppState;

/// `POST /oauth/token`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/oauth/token", axum::routing::post(token::token))
}

/// `GET`/`POST /oauth/authorize`: they need the session layer (who is signed in) around them.
pub fn consent_routes() -> Router<AppState> {
    Router::new().route(
        "/oauth/authorize",
        axum::routing::get(authorize::show).post(authorize::decide),
    )
}
