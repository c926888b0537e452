//! `POST /oauth/register`: dynamic client registration (RFC 7591) for wallets. Errors are the
//! RFC's `{"error": "invalid_client_metadata" | "invalid_redirect_uri", …}`. Registration is
//! open (wallets register themselves), so each address may try 60 times in 10 minutes.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use engine::wallet::register::Registration;
use http::StatusCode;

use crate::state::AppState;

fn refuse(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// Registration attempts per address per window.
const PER_ADDRESS: u32 = 60;
const WINDOW: std::time::Duration = std::time::Duration::from_secs(600);

/// Registers a client.
pub async fn register(
    State(state): State<AppState>,
    ip: Option<axum::extract::Extension<crate::auth::ClientIp>>,
    body: Result<Json<Registration>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let address = ip
        .and_then(|axum::extract::Extension(c)| c.0)
        .map_or_else(|| "unknown".to_owned(), |a| a.to_string());
    if let Err(wait) = crate::rate_limit::check(
        state.redis.as_ref(),
        &format!("ob-register:{address}"),
        PER_ADDRESS,
        WINDOW,
    )
    .await
    {
        let mut response = (
            StatusCode::TOO_MANY_REQUESTS,
            Json(serde_json::json!({ "error": "invalid_client_metadata",
                "error_description": "too many registrations from this address; try again later" })),
        )
            .into_response();
        response.headers_mut().insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from(wait.seconds()),
        );
        return response;
    }
    let Ok(Json(registration)) = body else {
        return refuse(
            "invalid_client_metadata",
            "send the client metadata as a JSON object (RFC 7591 §2)",
        );
    };
    match engine::wallet::register::register(&state.db, &registration).await {
        Ok(done) => {
            let c = &done.client;
            let mut answer = c.metadata.clone();
            if let Some(map) = answer.as_object_mut() {
                map.retain(|_, v| !v.is_null());
                map.insert("client_id".into(), c.client_id.clone().into());
                map.insert("client_secret".into(), done.secret.clone().into());
                map.insert(
                    "client_id_issued_at".into(),
                    c.created_at.timestamp().into(),
                );
                map.insert("client_secret_expires_at".into(), 0.into());
                map.insert("client_name".into(), c.client_name.clone().into());
                map.insert("redirect_uris".into(), c.redirect_uris.clone().into());
                map.insert(
                    "grant_types".into(),
                    serde_json::json!(["authorization_code", "refresh_token"]),
                );
                map.insert("response_types".into(), serde_json::json!(["code"]));
                map.insert("scope".into(), c.scope.clone().into());
            }
            let mut response = (StatusCode::CREATED, Json(answer)).into_response();
            response.headers_mut().insert(
                http::header::CACHE_CONTROL,
                http::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(engine::Error::Invalid { field, reason }) => refuse(
            if field == "redirect_uris" {
                "invalid_redirect_uri"
            } else {
                "invalid_client_metadata"
            },
            &format!("{field}: {reason}"),
        ),
        Err(e) => crate::error::ApiError(e).into_response(),
    }
}
