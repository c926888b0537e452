//! Resolves the signed-in user on every page and server-function request.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use app::auth::Viewer;

use super::session_data::{SIGNED_IN, SignedIn, TOUCHED};
use crate::state::AppState;
use crate::status_page;

/// Puts a [`Viewer`] in the request extensions when the session belongs to a user whose
/// `sessions` row is active (not revoked, not past its absolute expiry) and who is still active.
/// Otherwise the session is emptied at once, so revocation and SCIM deactivation take effect on
/// the very next request.
pub async fn resolve_viewer(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let signed_in = match session.get::<SignedIn>(SIGNED_IN).await {
        Ok(v) => v,
        Err(e) => {
            // A payload we cannot read (old format, tampering in the store): treat as signed out.
            tracing::warn!(error = %e, "unreadable session payload; signing out");
            let _ = session.flush().await;
            None
        }
    };
    if let Some(user) = signed_in {
        match viewer_for(&state, &user).await {
            Ok(Some(viewer)) => {
                touch(&state, &session).await;
                request.extensions_mut().insert(viewer);
            }
            Ok(None) => {
                let _ = session.flush().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot check the session");
                return (
                    http::StatusCode::SERVICE_UNAVAILABLE,
                    [(http::header::RETRY_AFTER, "10")],
                    status_page::render(
                        "Temporarily unavailable",
                        "We could not check your session. Please try again in a few seconds.",
                    ),
                )
                    .into_response();
            }
        }
    }
    next.run(request).await
}

/// Renews the idle expiry: marks the session changed (so the store and the cookie get a new
/// expiry) when a quarter of the idle time has passed since the last renewal — activity keeps
/// a session alive without a store write on every request.
async fn touch(state: &AppState, session: &Session) {
    let now = chrono::Utc::now().timestamp();
    let quarter = state.config.session_idle_minutes * 60 / 4;
    let last = session
        .get::<i64>(TOUCHED)
        .await
        .ok()
        .flatten()
        .unwrap_or(0);
    if now - last >= quarter
        && let Err(e) = session.insert(TOUCHED, now).await
    {
        tracing::warn!(error = %e, "cannot renew the session");
    }
}

async fn viewer_for(state: &AppState, user: &SignedIn) -> Result<Option<Viewer>, engine::Error> {
    let Some(meta) = engine::session::find_active(&state.db, &user.session_key).await? else {
        tracing::info!(event = "auth.session_ended", user_id = %user.user_id, "session revoked or expired; signing out");
        return Ok(None);
    };
    if meta.user_id != user.user_id {
        tracing::warn!(user_id = %user.user_id, "session row belongs to another user; signing out");
        return Ok(None);
    }
    // Claims from the ID token age out; memberships SCIM keeps current apply on every request.
    let (roles, groups) = user.live_claims(chrono::Utc::now());
    match engine::rbac::load_principal(&state.db, user.user_id, roles, groups).await {
        Ok(principal) => Ok(Some(Viewer {
            user_id: user.user_id,
            session_id: meta.id,
            principal,
            display_name: user.display_name.clone(),
        })),
        Err(engine::Error::AccountDisabled | engine::Error::NotFound { .. }) => {
            tracing::info!(event = "auth.session_ended", user_id = %user.user_id, "user deactivated or deleted; ending the session");
            engine::session::revoke_by_key(&state.db, &user.session_key).await?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}
