//! `GET /ims/ob/v3p0/credentials` (getCredentials: `limit`, `offset`, `X-Total-Count`, `Link`)
//! and `POST` (upsertCredential: a JSON credential, or a compact JWS, which is refused as
//! unsupported here).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::Deserialize;

use super::{Wallet, engine_failure, failure};
use crate::state::AppState;

/// Paging of getCredentials.
#[derive(Debug, Deserialize)]
pub struct Paging {
    limit: Option<i64>,
    offset: Option<i64>,
}

/// getCredentials.
pub async fn list(
    State(state): State<AppState>,
    Wallet(access): Wallet,
    paging: Result<Query<Paging>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(paging)) = paging else {
        return failure(
            StatusCode::BAD_REQUEST,
            "invalid_selection_field",
            "limit and offset must be whole numbers",
        );
    };
    let limit = paging.limit.unwrap_or(20);
    let offset = paging.offset.unwrap_or(0);
    if limit < 1 || offset < 0 {
        return failure(
            StatusCode::BAD_REQUEST,
            "invalid_selection_field",
            "limit must be at least 1 and offset at least 0",
        );
    }
    let page = match engine::wallet::resources::credentials(&state.db, &access, limit, offset).await
    {
        Ok(p) => p,
        Err(e) => return engine_failure(e),
    };
    let limit = limit.min(100);
    let base = state.config.public_base_url.as_str().trim_end_matches('/');
    let url = |o: i64| format!("<{base}/ims/ob/v3p0/credentials?limit={limit}&offset={o}>");
    let mut links = vec![format!("{}; rel=\"first\"", url(0))];
    if offset + limit < page.total {
        links.push(format!("{}; rel=\"next\"", url(offset + limit)));
    }
    if offset > 0 {
        links.push(format!("{}; rel=\"prev\"", url((offset - limit).max(0))));
    }
    let last = ((page.total - 1).max(0) / limit) * limit;
    links.push(format!("{}; rel=\"last\"", url(last)));
    let mut headers = HeaderMap::new();
    headers.insert("x-total-count", HeaderValue::from(page.total));
    if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
        headers.insert(http::header::LINK, v);
    }
    let body = serde_json::json!({ "credential": page.credentials, "compactJwsString": [] });
    (headers, axum::Json(body)).into_response()
}

/// upsertCredential.
pub async fn upsert(
    State(state): State<AppState>,
    Wallet(access): Wallet,
    headers: HeaderMap,
    body: String,
) -> Response {
    let kind = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if kind.starts_with("text/plain") {
        return failure(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported",
            "compact JWS credentials are not accepted here; send the JSON credential",
        );
    }
    if !kind.starts_with("application/json") && !kind.contains("+json") {
        return failure(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported",
            "send the credential as application/json",
        );
    }
    match engine::wallet::resources::upsert(&state.db, &access, &body).await {
        Ok((created, stored)) => (
            if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            },
            [(http::header::CONTENT_TYPE, "application/json")],
            stored.get().to_owned(),
        )
            .into_response(),
        Err(e) => engine_failure(e),
    }
}
