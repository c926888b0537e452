//! Bearer-token authentication, per-token rate limiting and a limit on failed token checks
//! per address for every SCIM request. The token
//! is checked against its stored hash ([`engine::scim::token::authenticate`]); the resulting
//! [`ScimClient`] goes into the request extensions for handlers to `authorize()`.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use engine::scim_token::ScimClient;
use http::StatusCode;

use super::error::ScimApiError;
use crate::rate_limit;
use crate::state::AppState;

/// The per-token limit (`SCIM_RATE_LIMIT_PER_MINUTE` in [`crate::config::Config`]).
#[derive(Debug, Clone, Copy)]
pub struct Limit(pub u32);

/// Failed token checks one address may make per [`FAILED_WINDOW`] before it gets `429`.
pub const FAILED_PER_ADDRESS: u32 = 20;

/// The window of [`FAILED_PER_ADDRESS`].
pub const FAILED_WINDOW: Duration = Duration::from_secs(600);

/// Counts a failed token check against the caller's address: `401`, or `429` with
/// `Retry-After` once the address has failed too often. Only failures are limited, never a
/// valid token: Entra's provisioning service calls from addresses shared by every tenant, so
/// blocking an address outright would let anyone there stop our provisioning.
async fn failed_attempt(state: &AppState, ip: Option<std::net::IpAddr>) -> Response {
    // A served request always has a peer address; only in-process callers have none.
    let Some(ip) = ip else {
        return ScimApiError::unauthorized("the bearer token is not valid");
    };
    let key = format!("scim-failed:{ip}");
    match rate_limit::check(
        state.redis.as_ref(),
        &key,
        FAILED_PER_ADDRESS,
        FAILED_WINDOW,
    )
    .await
    {
        Ok(()) => ScimApiError::unauthorized("the bearer token is not valid"),
        Err(retry) => too_many(
            format!(
                "too many failed authentications from this address; retry after {} s",
                retry.seconds()
            ),
            retry.seconds(),
        ),
    }
}

fn too_many(detail: String, retry_after: u64) -> Response {
    let mut response =
        ScimApiError::new(StatusCode::TOO_MANY_REQUESTS, None, detail).into_response();
    if let Ok(v) = http::HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(http::header::RETRY_AFTER, v);
    }
    response
}

/// Middleware: 401 with `WWW-Authenticate` unless a valid token is presented; 429 when the
/// token exceeds its rate.
pub async fn require_token(
    State((state, limit)): State<(AppState, Limit)>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(token) = crate::auth::bearer_token(request.headers()) else {
        return ScimApiError::unauthorized("a bearer token is required");
    };
    let client: ScimClient = match engine::scim::token::authenticate(&state.db, token).await {
        Ok(c) => c,
        Err(engine::Error::NotFound { .. }) => {
            let ip = request
                .extensions()
                .get::<crate::auth::ClientIp>()
                .and_then(|c| c.0);
            tracing::warn!(
                event = "scim.auth_failed",
                client_ip = ?ip,
                "unknown, revoked or expired SCIM token"
            );
            return failed_attempt(&state, ip).await;
        }
        Err(e) => return ScimApiError::from(e).into_response(),
    };
    let key = format!("scim:{}", client.token_id());
    if let Err(retry) =
        rate_limit::check(state.redis.as_ref(), &key, limit.0, Duration::from_secs(60)).await
    {
        return too_many(
            format!(
                "too many requests for this token; retry after {} s",
                retry.seconds()
            ),
            retry.seconds(),
        );
    }
    request.extensions_mut().insert(client);
    next.run(request).await
}
