//! `GET /auth/callback`: finishes the sign-in. Every refusal is logged with its reason and
//! client address, answered with a clear page, and leaves no signed-in session behind.

use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use http::HeaderMap;
use serde::Deserialize;
use tower_sessions::Session;

use super::ClientIp;
use super::error::LoginError;
use super::session_data::{PENDING, PENDING_TTL, Pending};
use super::start::{Grant, start_session};
use crate::rate_limit;
use crate::state::AppState;

/// Callbacks allowed per client address and minute.
pub const CALLBACK_LIMIT: u32 = 30;

/// Query of the redirect back from the provider.
#[derive(Debug, Default, Deserialize)]
pub struct CallbackQuery {
    /// Authorization code.
    pub code: Option<String>,
    /// The `state` we sent.
    pub state: Option<String>,
    /// Provider error code.
    pub error: Option<String>,
    /// Provider error text.
    pub error_description: Option<String>,
}

/// Verifies the callback, signs the user in and redirects to where they were going.
pub async fn finish(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    session: Session,
    Query(query): Query<CallbackQuery>,
) -> Response {
    if let Err(retry) = rate_limit::check(
        state.redis.as_ref(),
        // Per deployment (its public origin) and client address.
        &format!(
            "callback:{}:{}",
            state.config.public_base_url.origin().ascii_serialization(),
            ip.label()
        ),
        CALLBACK_LIMIT,
        Duration::from_secs(60),
    )
    .await
    {
        return retry.into_response();
    }
    let user_agent = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    match sign_in(&state, ip, user_agent, &session, query).await {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(e) => {
            tracing::warn!(
                event = "auth.login_refused",
                reason = e.code(),
                error = %e,
                ip = %ip.label(),
                "sign-in refused"
            );
            // The session is untouched: it gets a signed-in user only as the very last step.
            e.into_response()
        }
    }
}

/// Constant-time comparison, so `state` cannot be guessed byte by byte from timings.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

async fn sign_in(
    state: &AppState,
    ip: ClientIp,
    user_agent: Option<&str>,
    session: &Session,
    query: CallbackQuery,
) -> Result<String, LoginError> {
    let provider = state.oidc.as_ref().ok_or(LoginError::NotConfigured)?;
    // One-shot: removed before anything else, so a second callback (replay) finds nothing.
    let pending: Pending = session
        .remove(PENDING)
        .await
        .map_err(|e| LoginError::Internal(e.to_string()))?
        .ok_or(LoginError::NoPendingLogin)?;
    if !query
        .state
        .as_deref()
        .is_some_and(|s| same(s, &pending.state))
    {
        return Err(LoginError::StateMismatch);
    }
    if let Some(error) = query.error {
        let description = query.error_description.unwrap_or_default();
        return Err(LoginError::ProviderRefused(format!(
            "{error} {description}"
        )));
    }
    if Utc::now() - pending.started_at > PENDING_TTL {
        return Err(LoginError::PendingExpired);
    }
    let code = query
        .code
        .filter(|c| !c.is_empty())
        .ok_or(LoginError::MissingCode)?;
    let login = provider.finish(code, &pending).await?;
    let user = engine::user::upsert_at_login(&state.db, &login.identity)
        .await
        .map_err(|e| match e {
            engine::Error::AccountDisabled => LoginError::AccountDisabled,
            engine::Error::Invalid { .. } | engine::Error::Conflict { .. } => {
                LoginError::UnusableClaims(e.to_string())
            }
            other => LoginError::Internal(other.to_string()),
        })?;
    if login.group_overage {
        tracing::info!(
            user = %user.username,
            "Entra signalled group overage: roles come from SCIM-provisioned group memberships"
        );
    }
    let grant = Grant {
        method: "oidc",
        groups: login.groups,
        roles: login.roles,
        id_token: login.id_token,
        group_overage: login.group_overage,
    };
    start_session(state, ip, user_agent, session, &user, grant).await?;
    Ok(pending.next)
}

#[cfg(test)]
mod tests {
    #[test]
    fn state_comparison() {
        assert!(super::same("abc", "abc"));
        assert!(!super::same("abc", "abd"));
        assert!(!super::same("abc", "ab"));
    }
}
