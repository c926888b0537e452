//! In front of the server functions (`/api/…`): administration functions (`/api/admin_…`)
//! refuse a visitor with 401 before their arguments are even read, so nothing a caller sends
//! is observable before the permission check; and every failed call gets the HTTP status of
//! its error from the one table (`app::error`), including arguments that cannot be read (400),
//! which the server-function runtime would otherwise answer with 500.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;

/// Largest error body read back to find its status.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

fn refusal(error: app::error::AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(&error).unwrap_or_default();
    (
        status,
        [(http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// The middleware.
pub async fn guard(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !path.starts_with("/api/") {
        return next.run(request).await;
    }
    if path.starts_with("/api/admin_") && request.extensions().get::<app::auth::Viewer>().is_none()
    {
        return refusal(app::error::AppError::Unauthenticated);
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ERROR_BODY_LIMIT).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
