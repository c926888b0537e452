//! The SCIM 2.0 endpoint at `/scim/v2` for Microsoft Entra ID provisioning (RFC 7643 / 7644).
//! Bearer-token auth ([`auth`]), no session layer; handlers translate HTTP to
//! [`engine::scim`] calls and [`engine::scim::ScimError`]s to SCIM error bodies ([`error`]).

pub mod auth;
pub mod discovery;
pub mod error;
pub mod groups;
pub mod response;
pub mod users;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::StatusCode;

use crate::state::AppState;
use error::ScimApiError;

/// Absolute base URL of the endpoint, for `meta.location` and `$ref`.
pub fn base_url(state: &AppState) -> String {
    format!(
        "{}/scim/v2",
        state.config.public_base_url.as_str().trim_end_matches('/')
    )
}

async fn unknown_endpoint() -> Response {
    ScimApiError::new(StatusCode::NOT_FOUND, None, "no such SCIM endpoint").into_response()
}

async fn root_search() -> Response {
    ScimApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        None,
        "search one resource type at a time: POST /Users/.search or /Groups/.search",
    )
    .into_response()
}

async fn method_not_allowed() -> Response {
    ScimApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        None,
        "method not supported here",
    )
    .into_response()
}

/// The `/scim/v2` routes; nest them outside the session layer.
pub fn router(state: AppState) -> Router<AppState> {
    let limit = auth::Limit(state.config.scim_rate_limit_per_minute);
    Router::new()
        .route(
            "/ServiceProviderConfig",
            get(discovery::service_provider_config),
        )
        .route("/ResourceTypes", get(discovery::list_resource_types))
        .route("/ResourceTypes/{id}", get(discovery::get_resource_type))
        .route("/Schemas", get(discovery::list_schemas))
        .route("/Schemas/{id}", get(discovery::get_schema))
        .route("/.search", post(root_search))
        .route("/Users", get(users::list).post(users::create))
        .route("/Users/.search", post(users::search))
        .route(
            "/Users/{id}",
            get(users::get)
                .put(users::replace)
                .patch(users::patch)
                .delete(users::delete),
        )
        .route("/Groups", get(groups::list).post(groups::create))
        .route("/Groups/.search", post(groups::search))
        .route(
            "/Groups/{id}",
            get(groups::get)
                .put(groups::replace)
                .patch(groups::patch)
                .delete(groups::delete),
        )
        .fallback(unknown_endpoint)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            (state, limit),
            auth::require_token,
        ))
        .layer(DefaultBodyLimit::max(response::MAX_BODY))
}
