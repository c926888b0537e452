//! Engine errors as HTTP answers for the REST API and the public documents: the status and
//! the words come from THE table in `app::error` (shared with pages, server functions and
//! SCIM), rendered here as RFC 9457 `application/problem+json`.
//!
//! Internal failures are logged with the request's span (which carries the request id) and
//! shown to users only as a generic sentence — never a database message.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde::Serialize;

/// HTTP status for an engine error (from the shared table).
pub fn status_of(error: &engine::Error) -> StatusCode {
    StatusCode::from_u16(app::error::classify(error).status())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// What a user may be told about an engine error; internal details are logged instead.
pub fn public_message(error: &engine::Error) -> String {
    if let engine::Error::Internal(source) = error {
        tracing::error!(error = %source, "internal error");
    }
    app::error::classify(error).to_string()
}

/// RFC 9457 problem details document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
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
        let challenge = match &self.0 {
            engine::Error::Unauthenticated { reason } => Some(*reason),
            _ => None,
        };
        let app = app::error::from_engine(self.0);
        let status =
            StatusCode::from_u16(app.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        match challenge {
            // RFC 6750 §3: say why the bearer token was refused.
            Some(reason) => {
                let mut response = problem(status, reason, None);
                if let Ok(v) = http::HeaderValue::from_str(&format!(
                    "Bearer realm=\"badge-engine\", error=\"invalid_token\", error_description=\"{reason}\""
                )) {
                    response
                        .headers_mut()
                        .insert(http::header::WWW_AUTHENTICATE, v);
                }
                response
            }
            None => problem(status, &app.to_string(), app.field()),
        }
    }
}

/// An `application/problem+json` answer (for refusals that are not engine errors too, such
/// as an unreadable body).
pub fn problem(status: StatusCode, detail: &str, field: Option<&str>) -> Response {
    let problem = Problem {
        kind: "about:blank".into(),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail: detail.to_owned(),
        field: field.map(str::to_owned),
    };
    let mut response = (status, Json(problem)).into_response();
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/problem+json"),
    );
    response
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
            "Name: must not be empty"
        );
    }
}
