//! `/api/v1`: one file per resource; [`routes`] lists every handler once, and the OpenAPI
//! document is generated from that same list.

pub mod achievements;
pub mod awards;
pub mod credentials;
pub mod issuers;
pub mod jobs;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{API_BODY_LIMIT, BULK_BODY_LIMIT};
use crate::state::AppState;

/// The routes and their OpenAPI document.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let bulk = OpenApiRouter::new()
        .routes(routes!(awards::create_bulk))
        .layer(DefaultBodyLimit::max(BULK_BODY_LIMIT));
    let inner = OpenApiRouter::new()
        .routes(routes!(issuers::list))
        .routes(routes!(issuers::get))
        .routes(routes!(achievements::list, achievements::create))
        .routes(routes!(achievements::get, achievements::update))
        .routes(routes!(awards::list, awards::create))
        .routes(routes!(awards::get))
        .routes(routes!(awards::revoke))
        .routes(routes!(awards::suspend))
        .routes(routes!(awards::unsuspend))
        .routes(routes!(credentials::signed))
        .routes(routes!(credentials::png))
        .routes(routes!(credentials::svg))
        .routes(routes!(jobs::get))
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
        .merge(bulk);
    OpenApiRouter::with_openapi(super::openapi::ApiDoc::openapi())
        .nest("/api/v1", inner)
        .split_for_parts()
}
