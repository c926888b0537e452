//! `GET /auth/login`: starts the authorization code flow.

use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::ClientIp;
use super::error::LoginError;
use super::session_data::{PENDING, safe_next};
use crate::rate_limit;
use crate::state::AppState;

/// Sign-in starts allowed per client address and minute.
pub const LOGIN_LIMIT: u32 = 20;

/// Query of `/auth/login`.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    /// Local path to return to after signing in.
    pub next: Option<String>,
}

/// Stores `state`, `nonce` and the PKCE verifier in the session and redirects to the provider.
pub async fn start(
    State(state): State<AppState>,
    ip: ClientIp,
    session: Session,
    Query(query): Query<LoginQuery>,
) -> Response {
    if let Err(retry) = rate_limit::check(
        state.redis.as_ref(),
        // Per deployment (its public origin) and client address.
        &format!(
            "login:{}:{}",
            state.config.public_base_url.origin().ascii_serialization(),
            ip.label()
        ),
        LOGIN_LIMIT,
        Duration::from_secs(60),
    )
    .await
    {
        return retry.into_response();
    }
    let Some(provider) = state.oidc.as_ref() else {
        tracing::warn!("sign-in attempted but OIDC is not configured");
        return LoginError::NotConfigured.into_response();
    };
    let (url, pending) = match provider.begin(safe_next(query.next.as_deref())).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(reason = e.code(), error = %e, ip = %ip.label(), "sign-in could not start");
            return e.into_response();
        }
    };
    if let Err(e) = session.insert(PENDING, &pending).await {
        tracing::error!(error = %e, "cannot store the pending sign-in");
        return LoginError::Internal(e.to_string()).into_response();
    }
    Redirect::to(url.as_str()).into_response()
}
