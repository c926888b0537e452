//! The old system's API routes, kept for existing clients with their old shapes: bare JSON
//! arrays and documents, `?page=` with 20 per page and `Link` / `X-Total-Count` headers, and
//! errors as `{"error": "…"}`. They now need an access token from `/oauth/token` (the old
//! system accepted any valid JWT) and the same permissions as `/api/v1`.
//!
//! - `GET /api/issuers`: every reachable issuer as an OB 3.0 `Profile`.
//! - `GET /api/achievements?page=N`: OB 3.0 `Achievement` documents, newest first.
//! - `POST /api/award/{achievementId}`: awards it; answers the signed credential.
//! - `POST /api/sign/{credentialId}`: the signed credential (credentials are signed when
//!   awarded now, so this returns the stored proof instead of signing again).

use axum::Json;
use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use engine::award::NewAward;
use engine::rbac::can;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::body::{ApiJson, ApiPath, ApiQuery, Paging, paging_headers};
use super::caller::Caller;
use crate::error::ApiError;
use crate::state::AppState;

const OLD_PAGE_SIZE: u32 = 20;

/// The routes (inside the API's authentication layer).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/issuers", get(issuers))
        .route("/api/achievements", get(achievements))
        .route("/api/award/{id}", post(award))
        .route("/api/sign/{id}", post(sign))
}

/// Middleware: problem documents become the old `{"error": "…"}` bodies (same status).
pub async fn old_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !is_problem {
        return response;
    }
    let (parts, body) = response.into_parts();
    let detail = match axum::body::to_bytes(body, 1 << 20).await {
        Ok(bytes) => serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| v.get("detail").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_else(|| "Error".to_owned()),
        Err(_) => "Error".to_owned(),
    };
    let error = if parts.status == http::StatusCode::UNAUTHORIZED {
        "Unauthorized".to_owned()
    } else {
        detail
    };
    let mut out = (parts.status, Json(serde_json::json!({ "error": error }))).into_response();
    for name in [http::header::RETRY_AFTER, http::header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

async fn issuers(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    let q = engine::issuer::IssuerListQuery {
        search: None,
        page: engine::page::PageRequest {
            offset: 0,
            limit: 500,
        },
    };
    let rows = engine::issuer::list(&state.db, &can, &q).await?;
    let mut docs = Vec::with_capacity(rows.items.len());
    for row in rows.items {
        match engine::issuer::identity::profile_document(
            &state.db,
            &state.cache,
            &state.services.signer,
            row.id,
        )
        .await
        {
            Ok(doc) => docs.push(doc),
            // An issuer without a signing key yet has no public profile to show.
            Err(engine::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Json(docs).into_response())
}

async fn achievements(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Response, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    let paging = Paging {
        page: paging.page,
        per_page: Some(OLD_PAGE_SIZE),
    };
    let q = engine::achievement::AchievementListQuery {
        search: None,
        status: Some(engine::achievement::Status::Active),
        page: paging.request(),
    };
    let page = engine::achievement::list_in_scope(&state.db, &can, &q).await?;
    let ids: Vec<uuid::Uuid> = page.items.iter().map(|s| s.id).collect();
    let docs: Vec<_> = engine::achievement::get_many(&state.db, &can, &ids)
        .await?
        .iter()
        .map(|a| state.services.signer.achievement_document(a))
        .collect();
    let headers = paging_headers(
        state.config.public_base_url.as_str().trim_end_matches('/'),
        "/api/achievements",
        "",
        paging,
        page.total,
    );
    Ok((headers, Json(docs)).into_response())
}

/// The old award body: the recipient, in the old camelCase or snake_case.
#[derive(Debug, Deserialize)]
struct OldAward {
    #[serde(alias = "recipientName", alias = "recipient_name")]
    name: String,
    #[serde(alias = "recipientEmail", alias = "recipient_email")]
    email: String,
    #[serde(default, alias = "validUntil", alias = "expires")]
    valid_until: Option<chrono::DateTime<chrono::Utc>>,
}

async fn award(
    State(state): State<AppState>,
    caller: Caller,
    key: Option<axum::extract::Extension<super::idempotency::Key>>,
    ApiPath(achievement_id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<OldAward>,
) -> Result<Response, ApiError> {
    let can = caller.require::<can::Award>()?;
    let new = NewAward {
        achievement_id,
        recipient_name: body.name,
        recipient_email: body.email,
        valid_until: body.valid_until,
        idempotency_key: key
            .map(|axum::extract::Extension(k)| format!("api:{}:{}", caller.app_id, k.0)),
        notify: true,
        ..Default::default()
    };
    let (_, cred) = engine::award::issue(&state.db, &can, state.services.issuance(), &new).await?;
    let bytes = engine::award::served_bytes(&state.db, cred.id).await?;
    Ok(([(http::header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

async fn sign(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    engine::award::get(&state.db, &can, id).await?;
    let bytes = engine::award::served_bytes(&state.db, id).await?;
    Ok(([(http::header::CONTENT_TYPE, "application/json")], bytes).into_response())
}
