//! The one error type pages and server functions show, and THE table that maps engine errors
//! to it and to HTTP statuses. The server's REST problem documents and SCIM errors take their
//! status from here too (`server::error`), so a variant means the same everywhere; a new
//! engine variant is a compile error in [`from_engine`].

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, in words a person can act on; the HTTP status follows from the variant.
/// It shows in the page's language (see the `Display` impl), so it is not derived with
/// `thiserror`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// No valid session (401).
    Unauthenticated,
    /// Signed in but lacking the permission (403).
    Forbidden,
    /// The record does not exist, or is not shown to this viewer (404).
    NotFound(String),
    /// The input was refused; `field` names the form field at fault (422).
    Invalid {
        /// The field, when one field is at fault.
        field: Option<String>,
        /// What is wrong, safe to show.
        message: String,
    },
    /// A value is taken or the record's state forbids the change (409).
    Conflict {
        /// The field whose value collides.
        field: Option<String>,
        /// What is wrong, safe to show.
        message: String,
    },
    /// Someone else changed the record since it was opened (409).
    Stale,
    /// The request itself is malformed — not something a form produces (400).
    BadRequest(String),
    /// Too many requests; try again later (429).
    TooMany(String),
    /// A backing service is briefly unavailable (503).
    Unavailable,
    /// Anything else; details are in the server log with the request id (500).
    Server,
}

/// The message in the language of the page being rendered (on the server, in the browser,
/// and in a server function, which runs inside its request); English wherever no page is
/// being rendered — the REST API, SCIM and the logs.
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::language::{t, t_with};
        let text = match self {
            AppError::Unauthenticated => t("error-unauthenticated"),
            AppError::Forbidden => t("error-forbidden"),
            AppError::NotFound(what) => t_with(
                "error-not-found",
                &[("what", entity_word(what).as_str().into())],
            ),
            AppError::Stale => t("error-stale"),
            AppError::Unavailable => t("error-unavailable"),
            AppError::Server => t("error-server"),
            AppError::Invalid { message, .. }
            | AppError::Conflict { message, .. }
            | AppError::BadRequest(message)
            | AppError::TooMany(message) => return f.write_str(message),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for AppError {}

/// An entity's name ("Issuer", "Signing key") in the page's language, for "… was not found".
fn entity_word(name: &str) -> String {
    crate::language::t_or(
        &format!("entity-{}", name.to_lowercase().replace(' ', "-")),
        name,
    )
}

impl AppError {
    /// The HTTP status of this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Invalid { .. } => 422,
            AppError::Conflict { .. } | AppError::Stale => 409,
            AppError::BadRequest(_) => 400,
            AppError::TooMany(_) => 429,
            AppError::Unavailable => 503,
            AppError::Server => 500,
        }
    }

    /// A refusal of one field's value.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// The field at fault, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } | AppError::Conflict { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The arguments could not be read: a hand-made or broken request, never a form.
            ServerFnErrorErr::Args(m)
            | ServerFnErrorErr::MissingArg(m)
            | ServerFnErrorErr::Deserialization(m) => {
                AppError::BadRequest(crate::language::t_with(
                    "error-unreadable",
                    &[(
                        "detail",
                        m.chars().take(200).collect::<String>().as_str().into(),
                    )],
                ))
            }
            ServerFnErrorErr::UnsupportedRequestMethod(m) => AppError::BadRequest(m),
            // In the browser: the request did not reach the server or the answer was cut off.
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unavailable,
            _ => AppError::Server,
        }
    }
}

/// Readable names of engine entities for "… was not found".
fn entity_name(entity: &str) -> String {
    let mut s = entity.replace('_', " ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

/// Readable field names in messages (`recipient_email` → "Recipient email"), in the page's
/// language where the language files name the field.
pub fn field_label(field: &str) -> String {
    crate::language::t_or(
        &format!("field-{}", field.replace('_', "-")),
        &entity_name(field),
    )
}

/// THE table: an engine error as pages, forms, the REST API and SCIM show it (its status is
/// [`AppError::status`]). Logs nothing; see [`from_engine`].
#[cfg(feature = "ssr")]
pub fn classify(error: &engine::Error) -> AppError {
    use engine::Error as E;
    match error {
        E::NotFound { entity } => AppError::NotFound(entity_name(entity)),
        E::Forbidden { .. } | E::AccountDisabled | E::InsufficientScope { .. } => {
            AppError::Forbidden
        }
        E::Unauthenticated { .. } => AppError::Unauthenticated,
        E::Invalid { field, reason } => AppError::Invalid {
            message: format!("{}: {reason}", field_label(field)),
            field: Some(field.clone()),
        },
        E::Conflict { field } => AppError::Conflict {
            message: crate::language::t_with(
                "error-in-use",
                &[("field", field_label(field).as_str().into())],
            ),
            field: Some(field.clone()),
        },
        E::Stale => AppError::Stale,
        E::Unavailable { .. } => AppError::Unavailable,
        E::Internal(_) => AppError::Server,
    }
}

/// [`classify`], logging what deserves it: internal details (with the request's span, which
/// carries its id — never shown), refused permissions, unavailable services.
#[cfg(feature = "ssr")]
pub fn from_engine(error: engine::Error) -> AppError {
    match &error {
        engine::Error::Internal(source) => tracing::error!(error = %source, "internal error"),
        engine::Error::Forbidden { permission } => {
            tracing::warn!(%permission, "permission refused")
        }
        engine::Error::Unavailable { service } => {
            tracing::warn!(service, "backing service unavailable")
        }
        _ => {}
    }
    classify(&error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_variant() {
        assert_eq!(AppError::Stale.status(), 409);
        assert_eq!(AppError::invalid("name", "x").status(), 422);
        assert_eq!(AppError::BadRequest("x".into()).status(), 400);
        let args =
            AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field `search`".into()));
        assert_eq!(args.status(), 400);
        assert!(args.to_string().contains("could not be read"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn engine_errors_map_once() {
        assert_eq!(from_engine(engine::Error::conflict("email")).status(), 409);
        assert_eq!(from_engine(engine::Error::Stale).status(), 409);
        assert_eq!(
            from_engine(engine::Error::NotFound {
                entity: "signing key"
            }),
            AppError::NotFound("Signing key".into())
        );
        let internal = from_engine(engine::Error::internal(
            "duplicate key value violates users_pkey",
        ));
        assert!(!internal.to_string().contains("users_pkey"));
        assert_eq!(internal.status(), 500);
        let invalid = from_engine(engine::Error::invalid(
            "recipient_email",
            "is not an e-mail address",
        ));
        assert_eq!(invalid.field(), Some("recipient_email"));
        assert_eq!(
            invalid.to_string(),
            "Recipient email: is not an e-mail address"
        );
    }
}
