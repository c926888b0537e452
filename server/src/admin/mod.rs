//! Administration endpoints that are not pages: image uploads, the bulk-award CSV upload and
//! template, the Import page's upload, and the award-history CSV export. Each takes the same capability extractor as
//! pages take from `require` (`auth::guard::Require`), behind the session and origin checks.

pub mod bulk;
pub mod export;
pub mod images;
pub mod import;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::state::AppState;

/// Largest image upload accepted by the route (the engine refuses above 5 MB with a message).
pub const IMAGE_BODY_LIMIT: usize = 6 << 20;
/// Largest CSV upload accepted by the route (the engine refuses above 32 MB with a message).
pub const CSV_BODY_LIMIT: usize = 33 << 20;

/// The routes; they need the session layer around them.
pub fn routes(import_limit: u64) -> Router<AppState> {
    let import_limit = usize::try_from(import_limit)
        .unwrap_or(usize::MAX)
        .saturating_add(import::FRAMING);
    Router::new()
        .route(
            "/admin/import",
            post(import::upload).layer(DefaultBodyLimit::max(import_limit)),
        )
        .route("/admin/import/{id}/again", post(import::again))
        .route(
            "/admin/images",
            post(images::upload).layer(DefaultBodyLimit::max(IMAGE_BODY_LIMIT)),
        )
        .route(
            "/admin/achievements/{id}/bulk",
            post(bulk::upload).layer(DefaultBodyLimit::max(CSV_BODY_LIMIT)),
        )
        .route("/admin/bulk-award-template.csv", get(bulk::template))
        .route("/admin/awards/export.csv", get(export::awards))
}
