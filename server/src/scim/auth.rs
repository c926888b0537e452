//! Bearer-token authentication and per-token rate limiting for every SCIM request. The token
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

/// Requests per token per minute unless `SCIM_RATE_LIMIT_PER_MINUTE` says otherwise; Entra's
/// provisioning service stays far below this, a runaway client does not.
pub const DEFAULT_PER_MINUTE: u32 = 60_000;

/// The per-token limit, read once when the router is built.
#[derive(Debug, Clone, Copy)]
pub struct Limit(pub u32);

impl Limit {
    /// From `SCIM_RATE_LIMIT_PER_MINUTE` (a positive integer), else the default.
    pub fn from_env() -> Limit {
        match std::env::var("SCIM_RATE_LIMIT_PER_MINUTE") {
            Err(_) => Limit(DEFAULT_PER_MINUTE),
            Ok(v) => match v.trim().parse::<u32>() {
                Ok(n) if n > 0 => Limit(n),
                _ => {
                    tracing::error!(value = %v, "SCIM_RATE_LIMIT_PER_MINUTE is not a positive integer; using {DEFAULT_PER_MINUTE}");
                    Limit(DEFAULT_PER_MINUTE)
                }
            },
        }
    }
}

fn bearer(request: &Request) -> Option<&str> {
    let value = request
        .headers()
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Middleware: 401 with `WWW-Authenticate` unless a valid token is presented; 429 when the
/// token exceeds its rate.
pub async fn require_token(
    State((state, limit)): State<(AppState, Limit)>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(token) = bearer(&request) else {
        return ScimApiError::unauthorized("a bearer token is required");
    };
    let client: ScimClient = match engine::scim::token::authenticate(&state.db, token).await {
        Ok(c) => c,
        Err(engine::Error::NotFound { .. }) => {
            tracing::warn!(
                event = "scim.auth_failed",
                "unknown, revoked or expired SCIM token"
            );
            return ScimApiError::unauthorized("the bearer token is not valid");
        }
        Err(e) => return ScimApiError::from(e).into_response(),
    };
    let key = format!("scim:{}", client.token_id);
    if let Err(retry) =
        rate_limit::check(state.redis.as_ref(), &key, limit.0, Duration::from_secs(60)).await
    {
        let mut response = ScimApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            None,
            format!(
                "too many requests for this token; retry after {} s",
                retry.seconds()
            ),
        )
        .into_response();
        if let Ok(v) = http::HeaderValue::from_str(&retry.seconds().to_string()) {
            response.headers_mut().insert(http::header::RETRY_AFTER, v);
        }
        return response;
    }
    request.extensions_mut().insert(client);
    next.run(request).await
}
