//! `/Groups` handlers: HTTP in and out, everything else in [`engine::scim::group`].

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use engine::scim::schema::GROUP_SCHEMA;
use engine::scim::{group, resource};
use engine::scim_token::ScimClient;
use http::{HeaderMap, StatusCode};

use super::base_url;
use super::error::ScimApiError;
use super::response::{self, Params, ScimBody};
use crate::state::AppState;

type Answer = Result<Response, ScimApiError>;

fn shaped(status: StatusCode, mut body: serde_json::Value, params: &Params) -> Response {
    resource::project(
        &mut body,
        &GROUP_SCHEMA,
        &params.attributes,
        &params.excluded,
    );
    response::resource(status, &body)
}

/// `GET /Groups` (Entra asks with `excludedAttributes=members`, which skips loading them).
pub async fn list(State(state): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    run_list(&state, Params::parse(q.as_deref())).await
}

/// `POST /Groups/.search`.
pub async fn search(State(state): State<AppState>, ScimBody(body): ScimBody) -> Answer {
    run_list(&state, Params::from_search(&body)?).await
}

async fn run_list(state: &AppState, params: Params) -> Answer {
    let query = params.list_query(&GROUP_SCHEMA)?;
    let mut result =
        group::list(&state.db, &base_url(state), &query, params.wants("members")).await?;
    for r in &mut result.resources {
        resource::project(r, &GROUP_SCHEMA, &params.attributes, &params.excluded);
    }
    Ok(response::list_response(result, query.start_index))
}

/// `GET /Groups/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    let params = Params::parse(q.as_deref());
    let body = group::get(&state.db, &base_url(&state), &id, params.wants("members")).await?;
    Ok(shaped(StatusCode::OK, body, &params))
}

/// `POST /Groups`.
pub async fn create(
    State(state): State<AppState>,
    Extension(client): Extension<ScimClient>,
    RawQuery(q): RawQuery,
    ScimBody(body): ScimBody,
) -> Answer {
    let params = Params::parse(q.as_deref());
    let created = group::create(&state.db, &client.authorize(), &base_url(&state), &body).await?;
    Ok(shaped(StatusCode::CREATED, created, &params))
}

/// `PUT /Groups/{id}`.
pub async fn replace(
    State(state): State<AppState>,
    Extension(client): Extension<ScimClient>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    ScimBody(body): ScimBody,
) -> Answer {
    let params = Params::parse(q.as_deref());
    let expected = response::if_match(&headers)?;
    let updated = group::replace(
        &state.db,
        &client.authorize(),
        &base_url(&state),
        &id,
        expected,
        &body,
    )
    .await?;
    Ok(shaped(StatusCode::OK, updated, &params))
}

/// `PATCH /Groups/{id}`: 204 as in Microsoft's examples, or 200 with the group when the
/// request names `attributes` / `excludedAttributes` (RFC 7644 §3.5.2).
pub async fn patch(
    State(state): State<AppState>,
    Extension(client): Extension<ScimClient>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    ScimBody(body): ScimBody,
) -> Answer {
    let params = Params::parse(q.as_deref());
    let expected = response::if_match(&headers)?;
    let want_body = !params.attributes.is_empty() || !params.excluded.is_empty();
    let updated = group::patch(
        &state.db,
        &client.authorize(),
        &base_url(&state),
        &id,
        expected,
        &body,
        want_body && params.wants("members"),
    )
    .await?;
    if want_body {
        return Ok(shaped(StatusCode::OK, updated, &params));
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(v) = updated["meta"]["version"]
        .as_str()
        .and_then(|v| http::HeaderValue::from_str(v).ok())
    {
        response.headers_mut().insert(http::header::ETAG, v);
    }
    Ok(response)
}

/// `DELETE /Groups/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    Extension(client): Extension<ScimClient>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Answer {
    let expected = response::if_match(&headers)?;
    group::delete(&state.db, &client.authorize(), &id, expected).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
