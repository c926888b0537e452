//! `/Users` handlers: HTTP in and out, everything else in [`engine::scim::user`].

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use engine::scim::schema::USER_SCHEMA;
use engine::scim::{resource, user};
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
        &USER_SCHEMA,
        &params.attributes,
        &params.excluded,
    );
    response::resource(status, &body)
}

/// `GET /Users`.
pub async fn list(State(state): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    run_list(&state, Params::parse(q.as_deref())).await
}

/// `POST /Users/.search`.
pub async fn search(State(state): State<AppState>, ScimBody(body): ScimBody) -> Answer {
    run_list(&state, Params::from_search(&body)?).await
}

async fn run_list(state: &AppState, params: Params) -> Answer {
    let query = params.list_query(&USER_SCHEMA)?;
    let mut result = user::list(&state.db, &base_url(state), &query).await?;
    for r in &mut result.resources {
        resource::project(r, &USER_SCHEMA, &params.attributes, &params.excluded);
    }
    Ok(response::list_response(result, query.start_index))
}

/// `GET /Users/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    let params = Params::parse(q.as_deref());
    let body = user::get(&state.db, &base_url(&state), &id).await?;
    Ok(shaped(StatusCode::OK, body, &params))
}

/// `POST /Users`.
pub async fn create(
    State(state): State<AppState>,
    Extension(client): Extension<ScimClient>,
    RawQuery(q): RawQuery,
    ScimBody(body): ScimBody,
) -> Answer {
    let params = Params::parse(q.as_deref());
    let created = user::create(&state.db, &client.authorize(), &base_url(&state), &body).await?;
    Ok(shaped(StatusCode::CREATED, created, &params))
}

/// `PUT /Users/{id}`.
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
    let updated = user::replace(
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

/// `PATCH /Users/{id}`: answers 200 with the user, as Microsoft's examples show.
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
    let updated = user::patch(
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

/// `DELETE /Users/{id}`: soft de-provisioning; the user is gone for SCIM afterwards.
pub async fn delete(
    State(state): State<AppState>,
    Extension(client): Extension<ScimClient>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Answer {
    let expected = response::if_match(&headers)?;
    user::delete(&state.db, &client.authorize(), &id, expected).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
