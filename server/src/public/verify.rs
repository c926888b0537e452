//! `POST /verify`: the verify page's form (a file — baked PNG or SVG, or JSON — or pasted
//! JSON). The report is kept for an hour and the browser is sent to `/verify?report={id}`,
//! so the page works the same with and without JavaScript.

use std::time::Duration;

use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::ClientIp;
use crate::error::ApiError;
use crate::state::AppState;

/// Verifications per client address and minute.
pub const LIMIT_PER_MINUTE: u32 = 30;
/// Largest request body the route reads (larger files get a plain 413).
pub const BODY_LIMIT: usize = 24 << 20;

/// The handler.
pub async fn submit(
    State(state): State<AppState>,
    ip: ClientIp,
    mut multipart: Multipart,
) -> Result<Response, ApiError> {
    if let Err(retry) = crate::rate_limit::check(
        state.redis.as_ref(),
        &format!("verify:{}", ip.label()),
        LIMIT_PER_MINUTE,
        Duration::from_secs(60),
    )
    .await
    {
        return Ok(retry.into_response());
    }
    let (mut file, mut text) = (None, None);
    // Over the body limit the multipart reader fails part-way; say so instead of reporting
    // an empty upload.
    let too_large = |e: &axum::extract::multipart::MultipartError| {
        e.status() == http::StatusCode::PAYLOAD_TOO_LARGE
    };
    let mut refused = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                refused = too_large(&e);
                break;
            }
        };
        match field.name() {
            Some("file") => {
                let name = field
                    .file_name()
                    .map(str::to_owned)
                    .filter(|n| !n.is_empty());
                match field.bytes().await {
                    Ok(bytes) if !bytes.is_empty() => file = Some((name, bytes.to_vec())),
                    Ok(_) => {}
                    Err(e) => {
                        refused = too_large(&e);
                        break;
                    }
                }
            }
            Some("json") => match field.text().await {
                Ok(t) if !t.trim().is_empty() => text = Some(t.into_bytes()),
                Ok(_) => {}
                Err(e) => {
                    refused = too_large(&e);
                    break;
                }
            },
            _ => {}
        }
    }
    let s = &state.services;
    if refused {
        let report = engine::verification::upload_too_large(BODY_LIMIT);
        let id = engine::verification::store_report(&s.pool, &report).await?;
        return Ok(Redirect::to(&format!("/verify?report={id}")).into_response());
    }
    let (name, bytes) = match (file, text) {
        (Some(f), _) => f,
        (None, Some(t)) => (None, t),
        (None, None) => (None, Vec::new()),
    };
    let fetch = state.fetcher.clone();
    let report = engine::verification::verify_upload(
        &s.pool,
        &s.cache,
        s.urls(),
        fetch.0.as_ref(),
        name,
        &bytes,
        chrono::Utc::now(),
    )
    .await;
    let id = engine::verification::store_report(&s.pool, &report).await?;
    Ok(Redirect::to(&format!("/verify?report={id}")).into_response())
}
