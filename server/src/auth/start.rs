//! Turning a verified sign-in into a signed-in session, the same way for every method (OpenID
//! Connect, e-mail link): a new session id, a `sessions` row, an audit row, then the payload.

use chrono::Utc;
use tower_sessions::Session;

use super::ClientIp;
use super::error::LoginError;
use super::session_data::{ABSOLUTE_TTL, SIGNED_IN, SignedIn};
use crate::state::AppState;

/// What a sign-in method vouches for, beyond the account itself.
pub struct Grant {
    /// How the user signed in (`oidc`, `email_link`), for the audit row and logs.
    pub method: &'static str,
    /// Entra group object ids from the ID token.
    pub groups: Vec<String>,
    /// App-role values from the ID token.
    pub roles: Vec<String>,
    /// The raw ID token (for RP-initiated logout); empty without one.
    pub id_token: String,
    /// Entra left the groups out (too many); roles come from SCIM memberships.
    pub group_overage: bool,
}

/// Signs `user` in on `session`. Nothing is signed in unless every step succeeds; only the
/// audit row is best effort (logged when it cannot be written).
pub async fn start_session(
    state: &AppState,
    ip: ClientIp,
    user_agent: Option<&str>,
    session: &Session,
    user: &engine::user::User,
    grant: Grant,
) -> Result<(), LoginError> {
    let internal = |e: &dyn std::fmt::Display| LoginError::Internal(e.to_string());
    // A new session id at every sign-in defeats session fixation.
    session.cycle_id().await.map_err(|e| internal(&e))?;
    let session_key = openidconnect::CsrfToken::new_random_len(32)
        .secret()
        .clone();
    let meta = engine::session::create(
        &state.db,
        &engine::session::NewSession {
            user_id: user.id,
            session_key: &session_key,
            ip: ip.0,
            user_agent,
            expires_at: Utc::now() + ABSOLUTE_TTL,
        },
    )
    .await
    .map_err(|e| internal(&e))?;
    audit_login(state, user, ip, meta.id, &grant).await;
    let display_name = user
        .display_name
        .clone()
        .unwrap_or_else(|| user.username.clone());
    // Last step: from here on the session is signed in.
    session
        .insert(
            SIGNED_IN,
            SignedIn {
                user_id: user.id,
                session_key,
                claim_groups: grant.groups,
                claim_roles: grant.roles,
                id_token: grant.id_token,
                display_name,
                claims_at: Utc::now(),
            },
        )
        .await
        .map_err(|e| internal(&e))?;
    tracing::info!(event = "auth.login", user = %user.username, method = grant.method, ip = %ip.label(), "signed in");
    Ok(())
}

/// The audit row of a sign-in; a failure to write it is logged, not fatal.
async fn audit_login(
    state: &AppState,
    user: &engine::user::User,
    ip: ClientIp,
    session_id: uuid::Uuid,
    grant: &Grant,
) {
    let result = async {
        let mut conn = state.db.acquire().await?;
        engine::audit::record(
            &mut conn,
            &engine::audit::Actor {
                user_id: Some(user.id),
                label: user.username.clone(),
            },
            "user.login",
            engine::audit::Entity::new("user", user.id),
            None,
            Some(serde_json::json!({
                "session_id": session_id,
                "ip": ip.0.map(|i| i.to_string()),
                "method": grant.method,
                "group_overage": grant.group_overage,
            })),
        )
        .await
    }
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e, user = %user.username, "cannot write the sign-in audit row");
    }
}
