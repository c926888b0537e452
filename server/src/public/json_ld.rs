//! Content negotiation for the URLs credentials name: `/issuers/{id}`, `/achievements/{id}`
//! and `/credentials/{id}` are HTML pages for people and JSON-LD for machines
//! (`Accept: application/ld+json`, `application/vc+ld+json` or `application/json`);
//! `/credentials/{id}.json|.png|.svg` are downloads. Everything else goes on to the pages.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, Method, header};
use uuid::Uuid;

use super::credentials;
use crate::error::ApiError;
use crate::state::AppState;

/// JSON body with the given media type, shared by every machine-readable document.
pub fn document(value: &serde_json::Value, media_type: &'static str) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            ),
            (header::VARY, HeaderValue::from_static("Accept")),
            (
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ),
        ],
        body,
    )
        .into_response()
}

/// Middleware in front of the Leptos pages (after the viewer is resolved).
pub async fn negotiate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let mut segments = path.trim_matches('/').split('/');
    let (Some(kind), Some(last), None) = (segments.next(), segments.next(), segments.next()) else {
        return next.run(request).await;
    };
    let json = super::wants_json(request.headers());
    let viewer = request.extensions().get::<app::auth::Viewer>().cloned();
    let answer = match (kind, last.split_once('.'), json) {
        ("credentials", Some((id, ext)), _) => match id.parse::<Uuid>() {
            Ok(id) => Some(credentials::download(&state, viewer.as_ref(), id, ext).await),
            Err(_) => None,
        },
        ("credentials", None, Some(media)) => match last.parse::<Uuid>() {
            Ok(id) => Some(credentials::document(&state, viewer.as_ref(), id, media).await),
            Err(_) => None,
        },
        ("issuers", None, Some(media)) => match last.parse::<Uuid>() {
            Ok(id) => Some(
                engine::issuer::identity::profile_document(
                    &state.db,
                    &state.cache,
                    &state.services.signer,
                    id,
                )
                .await
                .map(|doc| {
                    document(
                        &doc,
                        if media == "application/json" {
                            media
                        } else {
                            "application/ld+json"
                        },
                    )
                })
                .map_err(ApiError::from),
            ),
            Err(_) => None,
        },
        ("achievements", None, Some(media)) => match last.parse::<Uuid>() {
            Ok(id) => Some(
                engine::achievement::public(&state.db, &state.cache, id)
                    .await
                    .map(|a| {
                        document(
                            &state.services.signer.achievement_document(&a),
                            if media == "application/json" {
                                media
                            } else {
                                "application/ld+json"
                            },
                        )
                    })
                    .map_err(ApiError::from),
            ),
            Err(_) => None,
        },
        _ => None,
    };
    match answer {
        Some(Ok(response)) => response,
        Some(Err(e)) => e.into_response(),
        None => {
            let vary = matches!(kind, "credentials" | "issuers" | "achievements");
            let mut response = next.run(request).await;
            if vary {
                response
                    .headers_mut()
                    .insert(header::VARY, HeaderValue::from_static("Accept"));
            }
            response
        }
    }
}
