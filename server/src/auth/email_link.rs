//! `GET /auth/email/{token}`: signs in an earner with a one-time e-mail link (earners outside
//! the organisation's tenant). The session is started like an OpenID Connect sign-in's
//! ([`super::start`]) but carries no group or role claims:
//! such an account is an earner, nothing more.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::HeaderMap;
use tower_sessions::Session;

use super::ClientIp;
use super::start::{Grant, start_session};
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
    let user_agent = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    // No group or role claims: an account signed in by e-mail is an earner, nothing more.
    let grant = Grant {
        method: "email_link",
        groups: Vec::new(),
        roles: Vec::new(),
        id_token: String::new(),
        group_overage: false,
    };
    if let Err(e) = start_session(&state, ip, user_agent, &session, &user, grant).await {
        tracing::error!(error = %e, "e-mail sign-in could not start a session");
        return refused("Something went wrong on our side; please try again.".into());
    }
    Redirect::to(&super::session_data::safe_next(Some(&next))).into_response()
}
