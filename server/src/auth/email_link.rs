//! `GET /auth/email/{token}`: signs in an earner with a one-time e-mail link (earners outside
//! the organisation's tenant). The session is made exactly like an OpenID Connect sign-in's —
//! a new session id, a `sessions` row, an audit row — but carries no group or role claims:
//! such an account is an earner, nothing more.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use http::HeaderMap;
use tower_sessions::Session;

use super::ClientIp;
use super::session_data::{ABSOLUTE_TTL, SIGNED_IN, SignedIn};
use crate::state::AppState;
use crate::status_page;

/// Uses the link and redirects to where the earner was going.
pub async fn sign_in(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    session: Session,
    Path(token): Path<String>,
) -> Response {
    let refused = |message: String| {
        (
            http::StatusCode::BAD_REQUEST,
            status_page::render("This sign-in link does not work", &message),
        )
            .into_response()
    };
    let (user, next) = match engine::earner::use_sign_in_link(
        &state.db,
        &state.services.kek,
        &token,
    )
    .await
    {
        Ok(v) => v,
        Err(e @ (engine::Error::Invalid { .. } | engine::Error::AccountDisabled)) => {
            tracing::info!(event = "auth.email_link_refused", error = %e, ip = %ip.label(), "e-mail sign-in refused");
            return refused(format!(
                "{}. You can ask for a new link on the sign-in page.",
                app::error::classify(&e)
            ));
        }
        Err(e) => {
            tracing::error!(error = %e, "e-mail sign-in failed");
            return refused("Something went wrong on our side; please try again.".into());
        }
    };
    if let Err(e) = session.cycle_id().await {
        tracing::error!(error = %e, "cannot cycle the session id");
        return refused("Sessions are briefly unavailable; please try again.".into());
    }
    let session_key = openidconnect::CsrfToken::new_random_len(32)
        .secret()
        .clone();
    let user_agent = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let meta = match engine::session::create(
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
    {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "cannot record the session");
            return refused("Something went wrong on our side; please try again.".into());
        }
    };
    let mut conn = match state.db.acquire().await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot write the audit row");
            return refused("Something went wrong on our side; please try again.".into());
        }
    };
    if let Err(e) = engine::audit::record(
        &mut conn,
        &engine::audit::Actor {
            user_id: Some(user.id),
            label: user.username.clone(),
        },
        "user.login",
        engine::audit::Entity::new("user", user.id),
        None,
        Some(serde_json::json!({ "session_id": meta.id, "ip": ip.0.map(|i| i.to_string()), "method": "email_link" })),
    )
    .await
    {
        tracing::error!(error = %e, "cannot write the sign-in audit row");
    }
    let payload = SignedIn {
        user_id: user.id,
        session_key,
        claim_groups: Vec::new(),
        claim_roles: Vec::new(),
        id_token: String::new(),
        display_name: user
            .display_name
            .clone()
            .unwrap_or_else(|| user.username.clone()),
        claims_at: Utc::now(),
    };
    if let Err(e) = session.insert(SIGNED_IN, payload).await {
        tracing::error!(error = %e, "cannot store the session");
        return refused("Sessions are briefly unavailable; please try again.".into());
    }
    tracing::info!(event = "auth.login", user = %user.username, method = "email_link", "signed in");
    Redirect::to(&super::session_data::safe_next(Some(&next))).into_response()
}
