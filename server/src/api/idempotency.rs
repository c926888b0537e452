//! `Idempotency-Key` on POSTs: the first request with a key runs and its answer is stored
//! for 24 hours (`engine::idempotency`); a retry with the same body gets that answer again
//! (with `Idempotent-Replayed: true`) and runs nothing; the same key with a different body is
//! `422`, and a retry while the first is still running is `409`. Server failures (5xx) are
//! not stored, so a retry after one runs again. Awards are also keyed in the engine, so
//! even a retry after a lost answer cannot award twice.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use engine::idempotency::{self, Claim, StoredAnswer};
use http::{HeaderValue, Method, StatusCode};

use super::BULK_BODY_LIMIT;
use super::caller::Caller;
use crate::error::{ApiError, problem};
use crate::state::AppState;

/// The header.
pub const HEADER: &str = "idempotency-key";
/// Largest answer stored for replay (larger ones are answered but not stored).
const MAX_STORED_ANSWER: usize = 1 << 20;

/// Middleware (inside [`super::caller::authenticate`]).
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(HEADER) else {
        return next.run(request).await;
    };
    let Ok(key) = key.to_str().map(str::to_owned) else {
        return ApiError(engine::Error::invalid(
            "Idempotency-Key",
            "must be visible ASCII characters",
        ))
        .into_response();
    };
    let Some(app_id) = request.extensions().get::<Caller>().map(|c| c.app_id) else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, BULK_BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "The body is too large for this endpoint.",
                None,
            );
        }
    };
    let path = parts
        .uri
        .path_and_query()
        .map_or(parts.uri.path(), |p| p.as_str());
    let fingerprint = idempotency::fingerprint(parts.method.as_str(), path, &bytes);
    match idempotency::claim(&state.db, app_id, &key, &fingerprint).await {
        Err(e) => ApiError(e).into_response(),
        Ok(Claim::Replay(answer)) => replay(answer),
        Ok(Claim::InProgress) => problem(
            StatusCode::CONFLICT,
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            Some("Idempotency-Key"),
        ),
        Ok(Claim::Mismatch) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This Idempotency-Key was used for a different request; use a new key for a new request.",
            Some("Idempotency-Key"),
        ),
        Ok(Claim::Fresh) => {
            let mut request = Request::from_parts(parts, Body::from(bytes));
            request.extensions_mut().insert(Key(key.clone()));
            let response = next.run(request).await;
            store(&state, app_id, &key, response).await
        }
    }
}

/// The key of the request being run, for handlers that key their own writes (awards).
#[derive(Debug, Clone)]
pub struct Key(pub String);

async fn store(state: &AppState, app_id: uuid::Uuid, key: &str, response: Response) -> Response {
    let status = response.status();
    if status.is_server_error() {
        if let Err(e) = idempotency::release(&state.db, app_id, key).await {
            tracing::warn!(error = %e, "could not release an idempotency key");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_STORED_ANSWER).await {
        Ok(b) => b,
        Err(_) => {
            let _ = idempotency::release(&state.db, app_id, key).await;
            return problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The answer could not be stored for replay; retry with the same key.",
                None,
            );
        }
    };
    let content_type = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_owned();
    let location = parts
        .headers
        .get(http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 2048)
        .map(str::to_owned);
    let answer = StoredAnswer {
        status: status.as_u16(),
        content_type,
        body: bytes.to_vec(),
        location,
    };
    if let Err(e) = idempotency::complete(&state.db, app_id, key, &answer).await {
        tracing::warn!(error = %e, "could not store an idempotent answer");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(answer: StoredAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body).into_response();
    if let Ok(v) = HeaderValue::from_str(&answer.content_type) {
        response.headers_mut().insert(http::header::CONTENT_TYPE, v);
    }
    if let Some(v) = answer
        .location
        .as_deref()
        .and_then(|l| HeaderValue::from_str(l).ok())
    {
        response.headers_mut().insert(http::header::LOCATION, v);
    }
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}
