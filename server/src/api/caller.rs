//! Who is calling: the bearer token is verified by the engine, which returns the client app's
//! principal (or, with `API_ENTRA_AUDIENCE`, an Entra app token is checked by [`super::entra`]
//! and its roles mapped by the engine); the per-client rate limit is counted; handlers take [`Caller`] and ask it for
//! capabilities exactly as pages do.

use std::time::Duration;

use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use engine::rbac::{Authorized, PermissionMarker, Principal};
use http::StatusCode;
use http::request::Parts;
use uuid::Uuid;

use crate::error::{ApiError, problem};
use crate::state::AppState;

/// A verified API caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The client app's row id, or the stable id of an Entra app
    /// (`engine::client_app::entra::caller_id`).
    pub app_id: Uuid,
    principal: Principal,
}

impl Caller {
    /// The capability for permission `P` (403 problem when the app's roles lack it).
    pub fn require<P: PermissionMarker>(&self) -> Result<Authorized<P>, ApiError> {
        Ok(self.principal.require::<P>()?)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or(ApiError(engine::Error::Unauthenticated {
                reason: "send an access token from /oauth/token as `Authorization: Bearer <token>`",
            }))
    }
}

/// Middleware: verifies the token and counts the call against the client's rate limit.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(token) = crate::auth::bearer_token(request.headers()) else {
        return ApiError(engine::Error::Unauthenticated {
            reason: "send an access token from /oauth/token as `Authorization: Bearer <token>`",
        })
        .into_response();
    };
    let issuer = state.config.public_base_url.as_str().trim_end_matches('/');
    let entra = state
        .entra
        .as_ref()
        .and_then(|e| super::entra::EntraTokens::header_of(token).map(|h| (e, h)));
    let found = match entra {
        Some((entra, header)) => match entra.verify(token, header).await {
            Ok(t) => engine::client_app::entra::principal(&state.db, &t.app, &t.roles)
                .await
                .map(|p| {
                    (
                        engine::client_app::entra::caller_id(t.tenant.as_deref(), &t.app),
                        p,
                    )
                }),
            Err(reason) => Err(engine::Error::Unauthenticated { reason }),
        },
        _ => engine::client_app::token::verify(&state.db, &state.services.kek, issuer, token).await,
    };
    let (app_id, principal) = match found {
        Ok(found) => found,
        Err(e) => return ApiError(e).into_response(),
    };
    if let Err(wait) = crate::rate_limit::check(
        state.redis.as_ref(),
        &format!("api:{app_id}"),
        state.config.api_rate_limit_per_minute,
        Duration::from_secs(60),
    )
    .await
    {
        let mut response = problem(
            StatusCode::TOO_MANY_REQUESTS,
            &format!(
                "This client app sent more than {} requests in a minute; wait {} s and try again.",
                state.config.api_rate_limit_per_minute,
                wait.seconds()
            ),
            None,
        );
        response.headers_mut().insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from(wait.seconds()),
        );
        return response;
    }
    request
        .extensions_mut()
        .insert(Caller { app_id, principal });
    next.run(request).await
}
