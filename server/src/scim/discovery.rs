//! Discovery endpoints (RFC 7644 §4): `ServiceProviderConfig`, `ResourceTypes`, `Schemas`,
//! stating exactly what this endpoint implements.

use axum::extract::{Path, State};
use axum::response::Response;
use engine::scim::MAX_RESULTS;
use engine::scim::schema::{self, ENTERPRISE_USER, GROUP, LIST_RESPONSE, USER};
use http::StatusCode;
use serde_json::{Value, json};

use super::base_url;
use super::error::ScimApiError;
use super::response::scim_json;
use crate::state::AppState;

/// `GET /ServiceProviderConfig`.
pub async fn service_provider_config(State(state): State<AppState>) -> Response {
    let base = base_url(&state);
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": { "supported": true },
            "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
            "filter": { "supported": true, "maxResults": MAX_RESULTS },
            "changePassword": { "supported": false },
            "sort": { "supported": false },
            "etag": { "supported": true },
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "A bearer token created by a Badge Engine admin (admin page or `badge-engine scim-token create`).",
                "primary": true,
            }],
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": format!("{base}/ServiceProviderConfig"),
            },
        }),
    )
}

fn resource_types(base: &str) -> Vec<Value> {
    vec![
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "User accounts",
            "schema": USER,
            "schemaExtensions": [{ "schema": ENTERPRISE_USER, "required": false }],
            "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User") },
        }),
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Groups; membership decides roles",
            "schema": GROUP,
            "schemaExtensions": [],
            "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/Group") },
        }),
    ]
}

fn list(items: Vec<Value>) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_RESPONSE],
            "totalResults": items.len(),
            "startIndex": 1,
            "itemsPerPage": items.len(),
            "Resources": items,
        }),
    )
}

fn by_id(items: Vec<Value>, id: &str, what: &str) -> Result<Response, ScimApiError> {
    items
        .into_iter()
        .find(|i| i["id"].as_str().is_some_and(|v| v.eq_ignore_ascii_case(id)))
        .map(|i| scim_json(StatusCode::OK, &i))
        .ok_or_else(|| {
            ScimApiError::new(
                StatusCode::NOT_FOUND,
                None,
                format!("{what} {id} not found"),
            )
        })
}

/// `GET /ResourceTypes`.
pub async fn list_resource_types(State(state): State<AppState>) -> Response {
    list(resource_types(&base_url(&state)))
}

/// `GET /ResourceTypes/{id}`.
pub async fn get_resource_type(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ScimApiError> {
    by_id(resource_types(&base_url(&state)), &id, "resource type")
}

/// `GET /Schemas`.
pub async fn list_schemas(State(state): State<AppState>) -> Response {
    list(schema::schema_documents(&base_url(&state)))
}

/// `GET /Schemas/{id}`.
pub async fn get_schema(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ScimApiError> {
    by_id(schema::schema_documents(&base_url(&state)), &id, "schema")
}
