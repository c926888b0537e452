//! The bulk-award CSV: `POST /admin/achievements/{id}/bulk` (a plain multipart form: field
//! `file`, optional `award_again`) checks the file and redirects to the confirmation page, or
//! back to the upload page with the report; `GET /admin/bulk-award-template.csv`.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use engine::rbac::can;
use http::{HeaderValue, header};

use crate::auth::guard::Require;
use crate::error::ApiError;
use crate::state::AppState;

/// Checks the uploaded file (nothing is awarded yet).
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Require { capability, .. }: Require<can::Award>,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let achievement: uuid::Uuid = id.parse().map_err(|_| {
        ApiError(engine::Error::NotFound {
            entity: "achievement",
        })
    })?;
    let (file_name, bytes, fields) =
        super::images::first_file(multipart, super::CSV_BODY_LIMIT).await?;
    let again = fields
        .iter()
        .any(|(k, v)| k == "award_again" && !v.is_empty());
    let checked = engine::award::bulk::check_file(
        &state.db,
        &capability,
        achievement,
        &file_name,
        &bytes,
        again,
    )
    .await?;
    let Some(bulk) = checked.bulk_award else {
        return Err(ApiError(engine::Error::internal("check stored no report")));
    };
    Ok(if bulk.status == "invalid" {
        Redirect::to(&format!(
            "/admin/achievements/{achievement}/bulk?check={}",
            bulk.id
        ))
        .into_response()
    } else {
        Redirect::to(&format!("/admin/bulk-awards/{}", bulk.id)).into_response()
    })
}

/// The template with the header and two example rows.
pub async fn template(_: Require<can::Award>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"bulk-award-template.csv\""),
            ),
        ],
        engine::award::bulk::template(),
    )
        .into_response()
}
