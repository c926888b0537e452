//! The Open Badges 3.0 data model (serde), builders and spec validation.
//!
//! Every struct keeps unknown properties in an `extra` map so real-world credentials
//! round-trip; signatures are always computed over the JSON value, never a re-serialisation.

mod achievement;
mod builder;
mod common;
mod endorsement;
mod profile;
mod subject;
pub mod validate;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use achievement::{
    ACHIEVEMENT_TYPES, Achievement, Criteria, RESULT_TYPES, Related, ResultDescription,
    RubricCriterionLevel,
};
pub(crate) use builder::timestamp;
pub use builder::{BuildError, CredentialBuilder, Recipient};
pub use common::{Address, Alignment, IdentifierEntry, Image, ImageRef, OneOrMany, Types, types};
pub use endorsement::{EndorsementCredential, EndorsementSubject};
pub use profile::{Profile, ProfileRef};
pub use subject::{AchievementResult, AchievementSubject, IdentityObject};
pub use validate::{Violation, validate};

/// OB 3.0 `Evidence`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// URL of the evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Must include `Evidence`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// Narrative (Markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Genre (e.g. "Poetry").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    /// Intended audience.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `credentialStatus` entry (e.g. `BitstringStatusListEntry`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialStatus {
    /// Identifier of the entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Status type.
    #[serde(rename = "type")]
    pub type_: String,
    /// Type-specific properties (`statusPurpose`, `statusListIndex`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `credentialSchema` entry (e.g. `1EdTechJsonSchemaValidator2019`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialSchema {
    /// URL of the schema.
    pub id: String,
    /// Validator type.
    #[serde(rename = "type")]
    pub type_: String,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// OB 3.0 `OpenBadgeCredential` (alias `AchievementCredential`) on VC Data Model 2.0.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenBadgeCredential {
    /// JSON-LD contexts: VC 2.0 first, then an OB 3.0.x context.
    #[serde(rename = "@context")]
    pub context: Vec<Value>,
    /// Identifier (e.g. `urn:uuid:…`).
    pub id: String,
    /// Must include `VerifiableCredential` and `OpenBadgeCredential` or `AchievementCredential`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Image of the credential (often the baked badge).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageRef>,
    /// The issuer.
    pub issuer: ProfileRef,
    /// Start of validity (VC 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// End of validity (VC 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// VC 1.1 issuance date (older credentials).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuance_date: Option<String>,
    /// VC 1.1 expiration date (older credentials).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<String>,
    /// When the achievement was awarded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awarded_date: Option<String>,
    /// The earner and the achievement.
    pub credential_subject: AchievementSubject,
    /// Revocation / suspension status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_status: Option<OneOrMany<CredentialStatus>>,
    /// Schemas the credential conforms to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_schema: Option<Vec<CredentialSchema>>,
    /// Evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Vec<Evidence>>,
    /// Endorsements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<Vec<EndorsementCredential>>,
    /// Proof(s), kept verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Value>>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Why a credential could not be parsed.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Not JSON, or not the OB 3.0 shape.
    #[error("not an Open Badges 3.0 credential at {path}: {reason}")]
    Invalid {
        /// Approximate location (line:column) of the problem.
        path: String,
        /// The parser's message.
        reason: String,
    },
}

impl OpenBadgeCredential {
    /// Parses a credential from JSON bytes.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ParseError> {
        serde_json::from_slice(bytes).map_err(|e| ParseError::Invalid {
            path: format!("line {} column {}", e.line(), e.column()),
            reason: e.to_string(),
        })
    }

    /// Parses a credential from a JSON value.
    pub fn from_value(value: Value) -> Result<Self, ParseError> {
        serde_json::from_value(value).map_err(|e| ParseError::Invalid {
            path: "$".into(),
            reason: e.to_string(),
        })
    }

    /// The credential as a JSON value (what gets signed).
    pub fn to_value(&self) -> Value {
        // Serialising these plain data structs cannot fail (string keys, no custom impls);
        // Null would only appear on an impossible error.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}
