//! `GET /api/v1/issuers` and `GET /api/v1/issuers/{id}`: the issuers the app's roles reach.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use engine::issuer::{Issuer, IssuerListQuery};
use engine::rbac::can;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::body::{ApiPath, ApiQuery, Paging, paging_headers};
use crate::api::caller::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// A page of issuers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssuerList {
    /// Issuers in tree order (each department after its parent).
    pub items: Vec<engine::issuer::list::IssuerRow>,
    /// Matches across all pages (also in `X-Total-Count`).
    pub total: i64,
}

/// Filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IssuerFilter {
    /// Case-insensitive part of the name.
    pub search: Option<String>,
}

/// Lists issuers (needs `view_admin`).
#[utoipa::path(get, path = "/issuers", tag = "issuers",
    params(IssuerFilter, Paging),
    responses(
        (status = 200, description = "A page of issuers; `Link` and `X-Total-Count` headers", body = IssuerList),
        (status = 400, description = "Bad query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The app's roles lack `view_admin`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<IssuerFilter>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Response, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    let q = IssuerListQuery {
        search: filter.search.clone(),
        page: paging.request(),
    };
    let page = engine::issuer::list::list(&state.db, &can, &q).await?;
    let query = filter
        .search
        .map(|s| {
            format!(
                "search={}",
                url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
            )
        })
        .unwrap_or_default();
    let headers = paging_headers(
        state.config.public_base_url.as_str().trim_end_matches('/'),
        "/api/v1/issuers",
        &query,
        paging,
        page.total,
    );
    Ok((
        headers,
        Json(IssuerList {
            items: page.items,
            total: page.total,
        }),
    )
        .into_response())
}

/// One issuer (needs `view_admin` on it).
#[utoipa::path(get, path = "/issuers/{id}", tag = "issuers",
    params(("id" = Uuid, Path, description = "Issuer id")),
    responses(
        (status = 200, description = "The issuer", body = Issuer),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not within the app's issuers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issuer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Issuer>, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    Ok(Json(engine::issuer::get(&state.db, &can, id).await?))
}
