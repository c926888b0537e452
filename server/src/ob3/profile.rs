//! `GET` and `PUT /ims/ob/v3p0/profile`: the earner's OB 3.0 `Profile`.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;

use super::{Wallet, engine_failure, failure};
use crate::state::AppState;

/// getProfile.
pub async fn get(State(state): State<AppState>, Wallet(access): Wallet) -> Response {
    match engine::wallet::resources::profile(&state.db, &access).await {
        Ok(p) => Json(p).into_response(),
        Err(e) => engine_failure(e),
    }
}

/// putProfile.
pub async fn put(
    State(state): State<AppState>,
    Wallet(access): Wallet,
    body: Result<Json<serde_json::Value>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(body)) = body else {
        return failure(
            StatusCode::BAD_REQUEST,
            "invaliddata",
            "send the profile as a JSON object",
        );
    };
    match engine::wallet::resources::put_profile(&state.db, &access, &body).await {
        Ok(p) => Json(p).into_response(),
        Err(e) => engine_failure(e),
    }
}
