//! Signed status lists, did:web DID documents and uploaded images.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

fn json_ld(value: &serde_json::Value, cache_control: &'static str) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/ld+json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(cache_control),
            ),
            (
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ),
        ],
        body,
    )
        .into_response()
}

fn parse(id: &str) -> Result<Uuid, ApiError> {
    id.parse()
        .map_err(|_| ApiError(engine::Error::NotFound { entity: "page" }))
}

/// `GET /status-lists/{id}`: the signed `BitstringStatusListCredential`; cached for a minute
/// at most, so verifiers see a revocation within a minute.
pub async fn status_list(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse(&id)?;
    let s = &state.services;
    let vc = engine::signer::signed_status_list(&s.pool, &s.cache, &s.kek, &s.signer, id).await?;
    Ok(json_ld(&vc, "public, max-age=60"))
}

/// `GET /issuers/{id}/did.json`: the DID document of a did:web issuer.
pub async fn did_document(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse(&id)?;
    let doc = engine::issuer::did_document(&state.db, &state.cache, id).await?;
    let mut response = json_ld(&doc, "public, max-age=300");
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/did+ld+json"),
    );
    Ok(response)
}

/// `GET /achievements/{id}/artwork.svg`: the badge artwork pages show (the stored image, or
/// the generated medal baked into downloads); drafts are not found.
pub async fn artwork_svg(state: State<AppState>, id: Path<String>) -> Result<Response, ApiError> {
    artwork(state, id, true).await
}

/// `GET /achievements/{id}/artwork.png`: the same as a PNG, for link previews.
pub async fn artwork_png(state: State<AppState>, id: Path<String>) -> Result<Response, ApiError> {
    artwork(state, id, false).await
}

async fn artwork(
    State(state): State<AppState>,
    Path(id): Path<String>,
    want_svg: bool,
) -> Result<Response, ApiError> {
    let id = parse(&id)?;
    let s = &state.services;
    let achievement = engine::achievement::public(&s.pool, &s.cache, id).await?;
    let issuer = engine::issuer::public_profile(&s.pool, &s.cache, achievement.issuer_id).await?;
    let (media_type, bytes) =
        engine::artwork::for_achievement(&s.pool, s.urls(), &achievement, &issuer.name, want_svg)
            .await?;
    let mut response = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&media_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            // The name (drawn into the medal) can change; an hour keeps pages fast anyway.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        bytes,
    )
        .into_response();
    if want_svg {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
        );
    }
    Ok(response)
}

/// `GET /images/{sha256}.{png|svg}`: content-addressed, so cached for a year.
pub async fn image(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError(engine::Error::NotFound { entity: "image" });
    let (sha, ext) = file.split_once('.').ok_or_else(not_found)?;
    let (media_type, bytes) = engine::image::get(&state.db, sha).await?;
    if engine::image::extension(&media_type) != ext {
        return Err(not_found());
    }
    let mut response = (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&media_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        bytes,
    )
        .into_response();
    if ext == "svg" {
        // Sanitised already; a strict policy makes sure nothing active runs if opened directly.
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
        );
    }
    Ok(response)
}
