//! `POST /auth/logout` (this session) and `POST /auth/logout-everywhere` (all of the user's
//! sessions). POST only, behind the origin check, so another site cannot sign people out.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::session_data::{SIGNED_IN, SignedIn};
use crate::state::AppState;
use crate::status_page;

async fn signed_in(session: &Session) -> Option<SignedIn> {
    session.get::<SignedIn>(SIGNED_IN).await.ok().flatten()
}

async fn audit(state: &AppState, user: &SignedIn, action: &str) {
    let actor = match engine::user::me(&state.db, user.user_id).await {
        Ok(u) => u.username,
        Err(_) => user.user_id.to_string(),
    };
    let result = async {
        let mut conn = state.db.acquire().await?;
        engine::audit::record(
            &mut conn,
            &engine::audit::Actor {
                user_id: Some(user.user_id),
                label: actor,
            },
            action,
            engine::audit::Entity::new("user", user.user_id),
            None,
            None,
        )
        .await
    }
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e, action, "cannot write the audit row");
    }
}

/// Ends this session here and, when the provider supports it, at the provider.
pub async fn sign_out(State(state): State<AppState>, session: Session) -> Response {
    let user = signed_in(&session).await;
    let mut destination = "/".to_owned();
    if let Some(user) = &user {
        if let Err(e) = engine::session::revoke_by_key(&state.db, &user.session_key).await {
            tracing::error!(error = %e, "cannot mark the session revoked");
        }
        audit(&state, user, "user.logout").await;
        if let Some(provider) = state.oidc.as_ref()
            && let Some(url) = provider.end_session_url(&user.id_token).await
        {
            destination = url.to_string();
        }
        tracing::info!(event = "auth.logout", user_id = %user.user_id, "signed out");
    }
    if let Err(e) = session.flush().await {
        tracing::error!(error = %e, "cannot delete the session");
        return (
            http::StatusCode::SERVICE_UNAVAILABLE,
            status_page::render(
                "Sign-out failed",
                "Your session could not be ended right now. Please try again.",
            ),
        )
            .into_response();
    }
    Redirect::to(&destination).into_response()
}

/// Ends every session of the signed-in user (all browsers and devices).
pub async fn sign_out_everywhere(State(state): State<AppState>, session: Session) -> Response {
    let Some(user) = signed_in(&session).await else {
        return Redirect::to("/").into_response();
    };
    match engine::session::revoke_all(&state.db, user.user_id).await {
        Ok(n) => {
            tracing::info!(event = "auth.logout_everywhere", user_id = %user.user_id, sessions = n, "signed out everywhere")
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot revoke the sessions");
            return (
                http::StatusCode::SERVICE_UNAVAILABLE,
                status_page::render(
                    "Sign-out failed",
                    "Your sessions could not be ended right now. Please try again.",
                ),
            )
                .into_response();
        }
    }
    audit(&state, &user, "user.logout_everywhere").await;
    let _ = session.flush().await;
    Redirect::to("/").into_response()
}
