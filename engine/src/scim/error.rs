//! SCIM-level failures (RFC 7644 §3.12): each carries the `scimType` a client needs; engine
//! errors from the repositories pass through unchanged for the server to map.

/// Result alias for SCIM domain functions.
pub type ScimResult<T> = std::result::Result<T, ScimError>;

/// What went wrong with a SCIM request, in RFC 7644 error terms.
#[derive(Debug, thiserror::Error)]
pub enum ScimError {
    /// The filter does not parse, or names an attribute/operator combination we refuse.
    #[error("invalid filter: {0}")]
    InvalidFilter(String),
    /// The body is not a well-formed SCIM message (wrong schemas, unknown attributes, bad JSON).
    #[error("{0}")]
    InvalidSyntax(String),
    /// A value has the wrong type or is not allowed.
    #[error("{0}")]
    InvalidValue(String),
    /// A PATCH path is malformed or names an unknown attribute.
    #[error("invalid path: {0}")]
    InvalidPath(String),
    /// A PATCH path matched nothing that could be changed.
    #[error("no target: {0}")]
    NoTarget(String),
    /// The attribute may not be changed (e.g. `id`).
    #[error("{0} is read-only")]
    Mutability(String),
    /// The resource does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A repository error (uniqueness, validation, availability …).
    #[error(transparent)]
    Engine(#[from] crate::Error),
}

impl ScimError {
    /// The RFC 7644 `scimType` for this error, when it has one.
    pub fn scim_type(&self) -> Option<&'static str> {
        match self {
            ScimError::InvalidFilter(_) => Some("invalidFilter"),
            ScimError::InvalidSyntax(_) => Some("invalidSyntax"),
            ScimError::InvalidValue(_) => Some("invalidValue"),
            ScimError::InvalidPath(_) => Some("invalidPath"),
            ScimError::NoTarget(_) => Some("noTarget"),
            ScimError::Mutability(_) => Some("mutability"),
            ScimError::NotFound(_) => None,
            ScimError::Engine(crate::Error::Conflict { .. }) => Some("uniqueness"),
            ScimError::Engine(crate::Error::Invalid { .. }) => Some("invalidValue"),
            ScimError::Engine(_) => None,
        }
    }
}

impl From<sqlx::Error> for ScimError {
    fn from(e: sqlx::Error) -> Self {
        ScimError::Engine(e.into())
    }
}
