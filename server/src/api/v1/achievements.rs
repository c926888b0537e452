//! `/api/v1/achievements`: list (with the old API's pagination headers), get, create, update.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use engine::achievement::{Achievement, AchievementInput, AchievementListQuery, Status};
use engine::cache::PageTag;
use engine::rbac::can;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::body::{ApiJson, ApiPath, ApiQuery, Paging, paging_headers};
use crate::api::caller::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// A page of achievements.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AchievementList {
    /// Newest first.
    pub items: Vec<engine::achievement::AchievementSummary>,
    /// Matches across all pages (also in `X-Total-Count`).
    pub total: i64,
}

/// Filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AchievementFilter {
    /// Only this issuer's.
    pub issuer_id: Option<Uuid>,
    /// Case-insensitive part of the name.
    pub search: Option<String>,
    /// `draft`, `active` or `archived` (default: drafts and active ones).
    #[param(inline)]
    pub status: Option<Status>,
}

/// A new achievement.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewAchievement {
    /// The issuer it belongs to.
    pub issuer_id: Uuid,
    /// `active` (default: can be awarded at once) or `draft`.
    #[serde(default)]
    pub status: Option<Status>,
    /// The fields.
    #[serde(flatten)]
    pub fields: AchievementInput,
}

/// A replacement of an achievement's fields.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AchievementChange {
    /// The `version` read; a change by someone else since gives `409`.
    pub version: i32,
    /// The fields (all of them: this replaces).
    #[serde(flatten)]
    pub fields: AchievementInput,
}

/// Lists achievements (needs `view_admin`).
#[utoipa::path(get, path = "/achievements", tag = "achievements",
    params(AchievementFilter, Paging),
    responses(
        (status = 200, description = "A page; `Link` and `X-Total-Count` headers", body = AchievementList),
        (status = 400, description = "Bad query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The app's roles lack `view_admin` (on that issuer)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<AchievementFilter>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Response, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    let q = AchievementListQuery {
        search: filter.search.clone(),
        status: filter.status,
        page: paging.request(),
    };
    let page = match filter.issuer_id {
        Some(issuer) => engine::achievement::list(&state.db, &can, issuer, &q).await?,
        None => engine::achievement::list_in_scope(&state.db, &can, &q).await?,
    };
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(i) = filter.issuer_id {
        query.append_pair("issuer_id", &i.to_string());
    }
    if let Some(s) = &filter.search {
        query.append_pair("search", s);
    }
    if let Some(s) = filter.status {
        query.append_pair("status", s.as_str());
    }
    let headers = paging_headers(
        state.config.public_base_url.as_str().trim_end_matches('/'),
        "/api/v1/achievements",
        &query.finish(),
        paging,
        page.total,
    );
    Ok((
        headers,
        Json(AchievementList {
            items: page.items,
            total: page.total,
        }),
    )
        .into_response())
}

/// One achievement (needs `view_admin` on its issuer).
#[utoipa::path(get, path = "/achievements/{id}", tag = "achievements",
    params(("id" = Uuid, Path, description = "Achievement id")),
    responses(
        (status = 200, description = "The achievement", body = Achievement),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not within the app's issuers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such achievement", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Achievement>, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    Ok(Json(engine::achievement::get(&state.db, &can, id).await?))
}

/// Creates an achievement (needs `manage_achievements` on the issuer).
#[utoipa::path(post, path = "/achievements", tag = "achievements",
    request_body = NewAchievement,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    responses(
        (status = 201, description = "Created; `Location` names it", body = Achievement),
        (status = 400, description = "Unreadable JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The app's roles lack `manage_achievements` there", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issuer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key in use", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong; `field` names it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewAchievement>,
) -> Result<Response, ApiError> {
    let can = caller.require::<can::ManageAchievements>()?;
    let status = body.status.unwrap_or(Status::Active);
    let created =
        engine::achievement::edit::create(&state.db, &can, body.issuer_id, &body.fields, status)
            .await?;
    // An active achievement shows on its issuer's public page and the home page at once.
    state
        .cache
        .touch_pages(&[PageTag::Profiles, PageTag::Home])
        .await;
    let location = format!("/api/v1/achievements/{}", created.id);
    Ok((
        StatusCode::CREATED,
        [(http::header::LOCATION, location)],
        Json(created),
    )
        .into_response())
}

/// Replaces an achievement's fields (needs `manage_achievements` on its issuer).
#[utoipa::path(put, path = "/achievements/{id}", tag = "achievements",
    params(("id" = Uuid, Path, description = "Achievement id")),
    request_body = AchievementChange,
    responses(
        (status = 200, description = "The changed achievement", body = Achievement),
        (status = 400, description = "Unreadable JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not within the app's issuers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such achievement", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong; `field` names it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<AchievementChange>,
) -> Result<Json<Achievement>, ApiError> {
    let can = caller.require::<can::ManageAchievements>()?;
    Ok(Json(
        engine::achievement::edit::update(
            &state.db,
            &state.cache,
            &can,
            id,
            body.version,
            &body.fields,
        )
        .await?,
    ))
}
