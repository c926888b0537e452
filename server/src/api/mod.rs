//! The REST API for integrations: JSON endpoints under `/api/v1` ([`v1`]: issuers,
//! achievements, awards, credentials, jobs), the old system's routes with their old shapes
//! ([`legacy`]), the OpenAPI 3.1 document at `/api/openapi.json` and its Swagger UI at
//! `/api/docs` ([`openapi`]). Tokens come from `crate::oauth`.
//!
//! Every call is authorised by the same capability types as the pages: [`caller`] turns a
//! verified access token into an engine principal, and each handler asks it for the
//! capability the engine function demands. Errors are RFC 9457 problem documents from THE
//! table in `app::error`; POSTs may carry an `Idempotency-Key` ([`idempotency`]); each client
//! is rate-limited in Redis. No CORS headers are sent: the API is for servers, not browsers.
//!
//! Routes and the document come from one list ([`v1::routes`]), so a route cannot exist
//! undocumented; `tests/api.rs` checks the served document against the live routes.

pub mod body;
pub mod caller;
pub mod entra;
pub mod idempotency;
pub mod legacy;
pub mod openapi;
pub mod v1;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use http::StatusCode;

use crate::state::AppState;

/// Largest JSON body of an API call (bulk awards have their own limit).
pub const API_BODY_LIMIT: usize = 1 << 20;
/// Largest bulk-award body.
pub const BULK_BODY_LIMIT: usize = 16 << 20;

/// Everything the API serves; no session layer (the bearer token is the credential).
pub fn routes(state: AppState) -> Router<AppState> {
    let (v1, document) = v1::routes();
    let guarded = |router: Router<AppState>| {
        router
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                idempotency::layer,
            ))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                caller::authenticate,
            ))
            .layer(DefaultBodyLimit::max(BULK_BODY_LIMIT))
    };
    Router::new()
        .merge(guarded(v1))
        .merge(guarded(legacy::routes()).layer(axum::middleware::from_fn(legacy::old_errors)))
        .merge(openapi::routes(document))
        .route("/api/{*rest}", axum::routing::any(not_found))
}

async fn not_found() -> axum::response::Response {
    crate::error::problem(
        StatusCode::NOT_FOUND,
        "There is no API endpoint at this address; see /api/docs.",
        None,
    )
}
