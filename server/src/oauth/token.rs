//! `POST /oauth/token`: the OAuth 2.0 token endpoint. `client_credentials` (RFC 6749 §4.4)
//! for integration apps calling `/api/v1`; `authorization_code` with PKCE and
//! `refresh_token` (§4.1, §6, RFC 7636) for wallets using the OB 3.0 API. The client
//! authenticates with HTTP Basic (`client_secret_basic`) or in the form
//! (`client_secret_post`); errors are RFC 6749 §5.2 JSON (`invalid_client`, …), not problem
//! documents, because OAuth client libraries read those.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::{Deserialize, Serialize};

use crate::state::AppState;

/// The form fields.
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
}

#[derive(Debug, Serialize)]
struct OAuthError<'a> {
    error: &'a str,
    error_description: &'a str,
}

fn refuse(status: StatusCode, error: &str, description: &str, basic: bool) -> Response {
    let mut response = (
        status,
        axum::Json(OAuthError {
            error,
            error_description: description,
        }),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    if basic && status == StatusCode::UNAUTHORIZED {
        headers.insert(
            http::header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"badge-engine\""),
        );
    }
    response
}

/// `client_id:client_secret` from a Basic header (each form-urlencoded, RFC 6749 §2.3.1).
fn basic_credentials(headers: &HeaderMap) -> Option<Result<(String, String), ()>> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decode = || -> Option<(String, String)> {
        let bytes = STANDARD.decode(encoded.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (id, secret) = text.split_once(':')?;
        let unescape = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
        };
        Some((unescape(id)?, unescape(secret)?))
    };
    Some(decode().ok_or(()))
}

/// Issues an access token.
pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<axum::Form<TokenForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(axum::Form(form)) = form else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "send the parameters as application/x-www-form-urlencoded",
            false,
        );
    };
    let basic = basic_credentials(&headers);
    let used_basic = basic.is_some();
    let (client_id, secret) = match (basic, form.client_id.clone(), form.client_secret.clone()) {
        (Some(Err(())), _, _) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "the Basic authorization header could not be read",
                true,
            );
        }
        (Some(Ok(_)), _, Some(_)) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "authenticate with the Basic header or the form, not both",
                false,
            );
        }
        (Some(Ok(pair)), _, None) => pair,
        (None, Some(id), Some(secret)) => (id, secret),
        (None, _, _) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "authenticate with client_id and client_secret (Basic header or form)",
                false,
            );
        }
    };
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(grant @ ("authorization_code" | "refresh_token")) => {
            return wallet_grant(&state, grant, &client_id, &secret, used_basic, &form).await;
        }
        None => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is missing",
                false,
            );
        }
        Some(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "use client_credentials, authorization_code or refresh_token",
                false,
            );
        }
    }
    let app = match engine::client_app::authenticate(&state.db, &client_id, &secret).await {
        Ok(app) => app,
        Err(engine::Error::Unauthenticated { .. }) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "unknown client, wrong secret, or revoked app",
                used_basic,
            );
        }
        Err(e) => return crate::error::ApiError(e).into_response(),
    };
    let issuer = state.config.public_base_url.as_str().trim_end_matches('/');
    match engine::client_app::token::issue(
        &state.db,
        &state.services.kek,
        issuer,
        &app,
        form.scope.as_deref(),
    )
    .await
    {
        Ok(token) => {
            let body = serde_json::json!({
                "access_token": token.access_token,
                "token_type": "Bearer",
                "expires_in": token.expires_in,
                "scope": token.scope,
            });
            let mut response = axum::Json(body).into_response();
            response.headers_mut().insert(
                http::header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            );
            response
                .headers_mut()
                .insert(http::header::PRAGMA, HeaderValue::from_static("no-cache"));
            response
        }
        Err(engine::Error::Invalid { field, reason }) if field == "scope" => {
            refuse(StatusCode::BAD_REQUEST, "invalid_scope", &reason, false)
        }
        Err(e) => crate::error::ApiError(e).into_response(),
    }
}

/// The wallet grants (OB 3.0 API): a code with its PKCE verifier, or a refresh token.
async fn wallet_grant(
    state: &AppState,
    grant: &str,
    client_id: &str,
    secret: &str,
    used_basic: bool,
    form: &TokenForm,
) -> Response {
    let client = match engine::wallet::register::authenticate(&state.db, client_id, secret).await {
        Ok(c) => c,
        Err(engine::Error::Unauthenticated { .. }) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "unknown client or wrong secret",
                used_basic,
            );
        }
        Err(e) => return crate::error::ApiError(e).into_response(),
    };
    let issuer = state.config.public_base_url.as_str().trim_end_matches('/');
    let kek = &state.services.kek;
    let result = if grant == "authorization_code" {
        let (Some(code), Some(verifier)) = (form.code.as_deref(), form.code_verifier.as_deref())
        else {
            return refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "code and code_verifier are required",
                false,
            );
        };
        engine::wallet::grant::exchange_code(
            &state.db,
            kek,
            issuer,
            &client,
            code,
            form.redirect_uri.as_deref(),
            verifier,
        )
        .await
    } else {
        let Some(refresh) = form.refresh_token.as_deref() else {
            return refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "refresh_token is required",
                false,
            );
        };
        engine::wallet::grant::refresh(
            &state.db,
            kek,
            issuer,
            &client,
            refresh,
            form.scope.as_deref(),
        )
        .await
    };
    match result {
        Ok(t) => {
            let body = serde_json::json!({
                "access_token": t.access_token,
                "token_type": "Bearer",
                "expires_in": t.expires_in,
                "refresh_token": t.refresh_token,
                "scope": t.scope,
            });
            let mut response = axum::Json(body).into_response();
            response.headers_mut().insert(
                http::header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(engine::Error::Invalid { field, reason }) if field == "grant" => {
            refuse(StatusCode::BAD_REQUEST, "invalid_grant", &reason, false)
        }
        Err(engine::Error::Invalid { reason, .. }) => {
            refuse(StatusCode::BAD_REQUEST, "invalid_scope", &reason, false)
        }
        Err(e) => crate::error::ApiError(e).into_response(),
    }
}
