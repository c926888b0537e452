//! SCIM error responses (RFC 7644 §3.12): the `Error` message schema with a string `status`
//! and a `scimType`, served as `application/scim+json`. Statuses come from
//! [`crate::error::status_of`] except where SCIM names its own: validation failures are 400
//! `invalidValue` (SCIM has no 422) and a lost `If-Match` race is 412.

use axum::response::{IntoResponse, Response};
use engine::scim::ScimError;
use http::{HeaderValue, StatusCode};
use serde_json::json;

use super::response::SCIM_JSON;
use crate::error::{public_message, status_of};

/// An error answered in the SCIM error schema.
#[derive(Debug)]
pub struct ScimApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// RFC 7644 `scimType`.
    pub scim_type: Option<&'static str>,
    /// Human-readable detail (never internal details).
    pub detail: String,
}

impl ScimApiError {
    /// An error with an explicit status.
    pub fn new(
        status: StatusCode,
        scim_type: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        ScimApiError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    /// 401 for a missing, unknown, revoked or expired token.
    pub fn unauthorized(detail: &str) -> Response {
        let mut response =
            ScimApiError::new(StatusCode::UNAUTHORIZED, None, detail).into_response();
        response.headers_mut().insert(
            http::header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"scim\""),
        );
        response
    }
}

impl From<ScimError> for ScimApiError {
    fn from(e: ScimError) -> Self {
        let scim_type = e.scim_type();
        match e {
            ScimError::NotFound(entity) => {
                ScimApiError::new(StatusCode::NOT_FOUND, None, format!("{entity} not found"))
            }
            ScimError::Engine(engine::Error::Stale) => ScimApiError::new(
                StatusCode::PRECONDITION_FAILED,
                None,
                "the resource was changed since the given version (If-Match)",
            ),
            ScimError::Engine(inner) => {
                let status = match status_of(&inner) {
                    StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
                    other => other,
                };
                ScimApiError::new(status, scim_type, public_message(&inner))
            }
            other => ScimApiError::new(StatusCode::BAD_REQUEST, scim_type, other.to_string()),
        }
    }
}

impl From<engine::Error> for ScimApiError {
    fn from(e: engine::Error) -> Self {
        ScimError::Engine(e).into()
    }
}

impl IntoResponse for ScimApiError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "schemas": [engine::scim::schema::ERROR],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(t) = self.scim_type {
            body["scimType"] = json!(t);
        }
        let mut response = (self.status, body.to_string()).into_response();
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static(SCIM_JSON),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_types() {
        let cases = [
            (
                ScimError::InvalidFilter("x".into()),
                400,
                Some("invalidFilter"),
            ),
            (ScimError::NotFound("user"), 404, None),
            (
                ScimError::Engine(engine::Error::conflict("username")),
                409,
                Some("uniqueness"),
            ),
            (
                ScimError::Engine(engine::Error::invalid("email", "bad")),
                400,
                Some("invalidValue"),
            ),
            (ScimError::Engine(engine::Error::Stale), 412, None),
            (ScimError::Mutability("id".into()), 400, Some("mutability")),
        ];
        for (e, status, kind) in cases {
            let api = ScimApiError::from(e);
            assert_eq!(api.status.as_u16(), status);
            assert_eq!(api.scim_type, kind);
        }
    }
}
