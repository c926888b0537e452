//! `GET /admin/awards/export.csv?q=&state=&issuer=&achievement=`: the filtered award history
//! as CSV (formula-looking cells neutralised by the engine).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use engine::rbac::can;
use http::{HeaderValue, header};
use serde::Deserialize;

use crate::auth::guard::Require;
use crate::error::ApiError;
use crate::state::AppState;

/// The filters, as the history page's query string has them.
#[derive(Debug, Deserialize)]
pub struct Filters {
    #[serde(default)]
    q: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    achievement: String,
}

/// The export.
pub async fn awards(
    State(state): State<AppState>,
    Require { capability, .. }: Require<can::ViewAdmin>,
    Query(f): Query<Filters>,
) -> Result<Response, ApiError> {
    let q = engine::award::HistoryQuery {
        text: Some(f.q).filter(|t| !t.trim().is_empty()),
        issuer_id: f.issuer.parse().ok(),
        achievement_id: f.achievement.parse().ok(),
        state: engine::award::StateFilter::parse(&f.state),
        page: Default::default(),
    };
    let csv = engine::award::history::export_csv(&state.db, &capability, &q).await?;
    let name = format!("awards-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        csv,
    )
        .into_response())
}
