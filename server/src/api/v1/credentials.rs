//! `/api/v1/credentials/{id}`: the signed credential exactly as stored, and the baked badge
//! images (PNG `iTXt` / SVG `openbadges:credential`) that carry it.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use engine::rbac::can;
use http::HeaderValue;
use uuid::Uuid;

use crate::api::body::ApiPath;
use crate::api::caller::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// The signed OpenBadgeCredential (needs `view_admin` on its issuer).
#[utoipa::path(get, path = "/credentials/{id}", tag = "credentials",
    params(("id" = Uuid, Path, description = "Credential id")),
    responses(
        (status = 200, description = "The signed credential, byte for byte as issued", content_type = "application/vc+ld+json", body = Object),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not within the app's issuers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such credential", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn signed(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    engine::award::get(&state.db, &can, id).await?;
    let bytes = engine::award::served_bytes(&state.db, id).await?;
    Ok((
        [(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/vc+ld+json"),
        )],
        bytes,
    )
        .into_response())
}

async fn baked(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    svg: bool,
) -> Result<Response, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    let cred = engine::award::get(&state.db, &can, id).await?;
    let achievement = engine::achievement::get(&state.db, &can, cred.achievement_id).await?;
    let issuer = engine::issuer::get(&state.db, &can, cred.issuer_id).await?;
    let signed = engine::award::served_bytes(&state.db, id).await?;
    let (_, artwork) = engine::artwork::for_achievement(
        &state.db,
        state.services.urls(),
        &achievement,
        &issuer.name,
        svg,
    )
    .await?;
    let baked = tokio::task::spawn_blocking(move || engine::artwork::bake(&artwork, &signed))
        .await
        .map_err(engine::Error::internal)??;
    let media = if svg { "image/svg+xml" } else { "image/png" };
    Ok((
        [(http::header::CONTENT_TYPE, HeaderValue::from_static(media))],
        baked,
    )
        .into_response())
}

/// The badge as a PNG with the signed credential baked in (needs `view_admin`).
#[utoipa::path(get, path = "/credentials/{id}/image.png", tag = "credentials",
    params(("id" = Uuid, Path, description = "Credential id")),
    responses(
        (status = 200, description = "Baked PNG", content_type = "image/png", body = Vec<u8>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not within the app's issuers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such credential", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn png(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    baked(&state, &caller, id, false).await
}

/// The badge as an SVG with the signed credential baked in (needs `view_admin`).
#[utoipa::path(get, path = "/credentials/{id}/image.svg", tag = "credentials",
    params(("id" = Uuid, Path, description = "Credential id")),
    responses(
        (status = 200, description = "Baked SVG", content_type = "image/svg+xml", body = String),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not within the app's issuers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such credential", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn svg(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    baked(&state, &caller, id, true).await
}
