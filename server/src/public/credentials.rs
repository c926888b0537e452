//! The signed credential as JSON-LD, and the downloads: baked PNG, baked SVG and the JSON file.
//! A private credential is a 404 to everyone but its earner and the issuer's staff.

use axum::response::{IntoResponse, Response};
use engine::rbac::can;
use http::{HeaderValue, header};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

async fn visible(
    state: &AppState,
    viewer: Option<&app::auth::Viewer>,
    id: Uuid,
) -> Result<engine::award::public::PublicCredential, ApiError> {
    let view = engine::award::public::view(&state.db, &state.cache, id).await?;
    let staff = viewer.and_then(|v| v.principal.require::<can::ViewAdmin>().ok());
    let shown = engine::award::public::visible_to(
        &state.db,
        &view,
        viewer.map(|v| v.user_id),
        staff.as_ref(),
    )
    .await?;
    if shown {
        Ok(view)
    } else {
        Err(ApiError(engine::Error::NotFound {
            entity: "credential",
        }))
    }
}

/// `GET /credentials/{id}` with a JSON `Accept`: the signed credential itself.
pub async fn document(
    state: &AppState,
    viewer: Option<&app::auth::Viewer>,
    id: Uuid,
    media: &'static str,
) -> Result<Response, ApiError> {
    visible(state, viewer, id).await?;
    // The exact signed bytes (an imported credential keeps the text it was signed as).
    let bytes = engine::award::served_bytes(&state.db, id).await?;
    let mut response = (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media)),
            (header::VARY, HeaderValue::from_static("Accept")),
        ],
        bytes,
    )
        .into_response();
    // The credential's status can change; earners' choices too.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

fn file_name(view: &engine::award::public::PublicCredential, ext: &str) -> String {
    let base: String = view
        .achievement
        .fields
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!(
        "{}.{ext}",
        if base.is_empty() {
            "badge".to_owned()
        } else {
            base
        }
    )
}

/// `GET /credentials/{id}.json|.png|.svg`: downloads.
pub async fn download(
    state: &AppState,
    viewer: Option<&app::auth::Viewer>,
    id: Uuid,
    ext: &str,
) -> Result<Response, ApiError> {
    if !matches!(ext, "json" | "png" | "svg") {
        return Err(ApiError(engine::Error::NotFound { entity: "download" }));
    }
    let view = visible(state, viewer, id).await?;
    let signed = engine::award::served_bytes(&state.db, id).await?;
    let (media_type, body): (&'static str, Vec<u8>) = match ext {
        "json" => ("application/ld+json", signed),
        other => {
            let (_, artwork) = engine::artwork::for_achievement(
                &state.db,
                state.services.urls(),
                &view.achievement,
                &view.issuer.name,
                other == "svg",
            )
            .await?;
            let baked =
                tokio::task::spawn_blocking(move || engine::artwork::bake(&artwork, &signed))
                    .await
                    .map_err(engine::Error::internal)??;
            (
                if other == "svg" {
                    "image/svg+xml"
                } else {
                    "image/png"
                },
                baked,
            )
        }
    };
    let disposition = format!("attachment; filename=\"{}\"", file_name(&view, ext));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response())
}
