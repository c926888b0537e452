//! `POST /admin/images`: a multipart upload (field `file`), prepared and stored by the engine;
//! answers `{"url": …}` (or a problem document saying what was refused).

use axum::Json;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};
use engine::rbac::can;

use crate::auth::guard::Require;
use crate::error::ApiError;
use crate::state::AppState;

/// Reads the first file field of a multipart body, at most `limit` bytes.
pub async fn first_file(
    mut multipart: Multipart,
    limit: usize,
) -> Result<(String, Vec<u8>, Vec<(String, String)>), ApiError> {
    let bad = |m: &str| ApiError(engine::Error::invalid("file", m.to_owned()));
    let mut file = None;
    let mut fields = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(&format!("the upload could not be read ({e})")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if field.file_name().is_some() && file.is_none() {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| bad("the file is too large or the upload was cut off"))?;
            if bytes.len() > limit {
                return Err(bad("the file is too large"));
            }
            file = Some((file_name, bytes.to_vec()));
        } else {
            let value = field.text().await.unwrap_or_default();
            fields.push((name, value.chars().take(200).collect()));
        }
    }
    let (name, bytes) = file.ok_or_else(|| bad("choose a file to upload"))?;
    Ok((name, bytes, fields))
}

/// Stores an image for any issuer or achievement the uploader may edit.
pub async fn upload(
    State(state): State<AppState>,
    Require { capability, .. }: Require<can::ViewAdmin>,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let (_, bytes, _) = first_file(multipart, super::IMAGE_BODY_LIMIT).await?;
    let stored = engine::image::store(&state.db, &capability, state.services.urls(), bytes).await?;
    Ok(
        Json(serde_json::json!({ "url": stored.url, "mediaType": stored.media_type }))
            .into_response(),
    )
}
