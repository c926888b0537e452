//! `GET /ims/ob/v3p0/discovery`: the service description document (OB 3.0 §6.1) a wallet
//! reads to find the registration, authorization and token endpoints and the scopes.

use axum::Json;
use axum::extract::State;
use engine::wallet::Scope;

use crate::state::AppState;

/// The document.
pub async fn document(State(state): State<AppState>) -> Json<serde_json::Value> {
    let base = state.config.public_base_url.as_str().trim_end_matches('/');
    let scopes: serde_json::Map<String, serde_json::Value> = Scope::ALL
        .into_iter()
        .map(|s| {
            (
                s.uri().to_owned(),
                serde_json::Value::String(s.consent_text().to_owned()),
            )
        })
        .collect();
    let bearer = serde_json::json!([{ "OAuth2ACG": Scope::ALL.iter().map(|s| s.uri()).collect::<Vec<_>>() }]);
    Json(serde_json::json!({
        "openapi": "3.0.1",
        "info": {
            "title": "Badge Engine",
            "description": "Open Badges 3.0 API: your badges, for the wallets and backpacks you allow.",
            "version": "3.0",
            "termsOfService": format!("{base}/"),
            "x-imssf-privacyPolicyUrl": format!("{base}/"),
            "x-imssf-image": format!("{base}/favicon.svg"),
        },
        "servers": [{ "url": format!("{base}{}", super::BASE_PATH) }],
        "tags": [{ "name": "OpenBadgeCredentials" }, { "name": "Discovery" }],
        "paths": {
            "/credentials": {
                "get": { "tags": ["OpenBadgeCredentials"], "operationId": "getCredentials", "security": bearer,
                         "responses": { "200": { "description": "The earner's credentials" } } },
                "post": { "tags": ["OpenBadgeCredentials"], "operationId": "upsertCredential", "security": bearer,
                          "responses": { "200": { "description": "Replaced" }, "201": { "description": "Created" } } }
            },
            "/profile": {
                "get": { "tags": ["OpenBadgeCredentials"], "operationId": "getProfile", "security": bearer,
                         "responses": { "200": { "description": "The earner's profile" } } },
                "put": { "tags": ["OpenBadgeCredentials"], "operationId": "putProfile", "security": bearer,
                         "responses": { "200": { "description": "The changed profile" } } }
            },
            "/discovery": {
                "get": { "tags": ["Discovery"], "operationId": "getServiceDescription",
                         "responses": { "200": { "description": "This document" } } }
            }
        },
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 authorization code grant with PKCE (S256)",
                    "x-imssf-registrationUrl": format!("{base}/oauth/register"),
                    "flows": { "authorizationCode": {
                        "authorizationUrl": format!("{base}/oauth/authorize"),
                        "tokenUrl": format!("{base}/oauth/token"),
                        "refreshUrl": format!("{base}/oauth/token"),
                        "scopes": scopes
                    } }
                }
            }
        }
    }))
}
