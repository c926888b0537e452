//! `GET /api/v1/jobs/{id}`: a background job's status and progress (bulk awards).

use axum::Json;
use axum::extract::State;
use engine::job::Job;
use engine::rbac::can;
use uuid::Uuid;

use crate::api::body::ApiPath;
use crate::api::caller::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// A job (needs `view_admin`, deployment-wide or on the issuer of the job's bulk award): `status` is `queued`, `running`, `succeeded`, `failed` or
/// `cancelled`; `progress_done` of `progress_total` items are done.
#[utoipa::path(get, path = "/jobs/{id}", tag = "jobs",
    params(("id" = Uuid, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job", body = Job),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The app's roles lack `view_admin`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Job>, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    Ok(Json(engine::job::get(&state.db, &can, id).await?))
}
