//! The 1EdTech Open Badges 3.0 API for wallets and backpacks (OB 3.0 §6): the service
//! description ([`discovery`]), dynamic client registration ([`registration`]), and, with an
//! access token from the authorization code flow (`crate::oauth`), the earner's credentials
//! ([`credentials`]) and profile ([`profile`]). Errors use the spec's `Imsx_StatusInfo` shape.

pub mod credentials;
pub mod discovery;
pub mod profile;
pub mod registration;

use axum::Json;
use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use engine::wallet::WalletAccess;
use http::StatusCode;
use http::request::Parts;

use crate::state::AppState;

/// The API's base path.
pub const BASE_PATH: &str = "/ims/ob/v3p0";

/// The routes (no session layer: a bearer token is the credential).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ims/ob/v3p0/discovery", get(discovery::document))
        .route("/oauth/register", post(registration::register))
        .route(
            "/ims/ob/v3p0/credentials",
            get(credentials::list).post(credentials::upsert),
        )
        .route("/ims/ob/v3p0/profile", get(profile::get).put(profile::put))
}

/// An `Imsx_StatusInfo` failure (OB 3.0 §6.3) with the HTTP status.
pub fn failure(status: StatusCode, minor: &str, description: &str) -> Response {
    let mut response = (
        status,
        Json(serde_json::json!({
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": { "imsx_codeMinorField": [
                { "imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": minor }
            ] }
        })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            http::header::WWW_AUTHENTICATE,
            http::HeaderValue::from_static(
                "Bearer realm=\"badge-engine\", error=\"invalid_token\"",
            ),
        );
    }
    response
}

/// An engine error in the spec's shape.
pub fn engine_failure(e: engine::Error) -> Response {
    let status = crate::error::status_of(&e);
    let minor = match status {
        StatusCode::UNAUTHORIZED => "unauthorisedrequest",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "unknownobject",
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => "invaliddata",
        _ => "internal_server_error",
    };
    let detail = match &e {
        engine::Error::Unauthenticated { reason } => (*reason).to_owned(),
        engine::Error::InsufficientScope { scope } => {
            format!("the access token does not grant {scope}")
        }
        _ => crate::error::public_message(&e),
    };
    failure(status, minor, &detail)
}

/// The earner and scopes of a verified OB 3.0 access token.
pub struct Wallet(pub WalletAccess);

impl FromRequestParts<AppState> for Wallet {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let token = crate::auth::bearer_token(&parts.headers).map(str::to_owned);
        let Some(token) = token else {
            return Err(failure(
                StatusCode::UNAUTHORIZED,
                "unauthorisedrequest",
                "send an access token as `Authorization: Bearer <token>`",
            ));
        };
        let State(state): State<AppState> = State(state.clone());
        let issuer = state.config.public_base_url.as_str().trim_end_matches('/');
        engine::wallet::grant::verify(&state.db, &state.services.kek, issuer, &token)
            .await
            .map(Wallet)
            .map_err(engine_failure)
    }
}
