//! The one place where engine errors become HTTP answers: a status code, and for the REST API
//! an RFC 9457 `application/problem+json` body. SCIM renders the same statuses in its own error
//! schema (`scim::error`), and pages render them as HTML, but both take the status from here.
//!
//! Internal failures are logged with the request's span (which carries the request id) and
//! shown to users only as a generic sentence — never a database message.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde::Serialize;

/// HTTP status for an engine error.
pub fn status_of(error: &engine::Error) -> StatusCode {
    use engine::Error as E;
    match error {
        E::NotFound { .. } => StatusCode::NOT_FOUND,
        E::Conflict { .. } | E::Stale => StatusCode::CONFLICT,
        E::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        E::Forbidden { .. } | E::AccountDisabled => StatusCode::FORBIDDEN,
        E::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        E::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What a user may be told about an engine error; internal details are logged instead.
pub fn public_message(error: &engine::Error) -> String {
    match error {
        engine::Error::Internal(source) => {
            tracing::error!(error = %source, "internal error");
            "Something went wrong on our side. It has been logged; please try again.".to_owned()
        }
        other => other.to_string(),
    }
}

/// RFC 9457 problem details document.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` when the status says it all).
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// Explanation of this occurrence.
    pub detail: String,
    /// The offending input field, for validation problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error answered as `application/problem+json`.
#[derive(Debug)]
pub struct ApiError(pub engine::Error);

impl From<engine::Error> for ApiError {
    fn from(e: engine::Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let field = match &self.0 {
            engine::Error::Invalid { field, .. } | engine::Error::Conflict { field } => {
                Some(field.clone())
            }
            _ => None,
        };
        let problem = Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: public_message(&self.0),
            field,
        };
        let mut response = (status, Json(problem)).into_response();
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_error_has_a_meaningful_status() {
        assert_eq!(
            status_of(&engine::Error::NotFound { entity: "user" }),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            status_of(&engine::Error::conflict("email")),
            StatusCode::CONFLICT
        );
        assert_eq!(status_of(&engine::Error::Stale), StatusCode::CONFLICT);
        assert_eq!(
            status_of(&engine::Error::invalid("name", "empty")),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status_of(&engine::Error::AccountDisabled),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status_of(&engine::Error::Unavailable { service: "redis" }),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            status_of(&engine::Error::internal("boom")),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn internal_details_never_reach_the_user() {
        let e = engine::Error::internal(
            "duplicate key value violates unique constraint \"users_pkey\"",
        );
        assert!(!public_message(&e).contains("users_pkey"));
        assert_eq!(
            public_message(&engine::Error::invalid("name", "must not be empty")),
            "name is invalid: must not be empty"
        );
    }
}
