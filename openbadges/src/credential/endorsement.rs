//! OB 3.0 `EndorsementCredential`: a third party's signed comment on a profile or achievement.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{OneOrMany, Types};
use super::profile::ProfileRef;

/// OB 3.0 `EndorsementSubject`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndorsementSubject {
    /// Id of the endorsed entity.
    pub id: String,
    /// Must include `EndorsementSubject`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// The endorser's comment (Markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement_comment: Option<String>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// OB 3.0 `EndorsementCredential` (a verifiable credential of its own).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndorsementCredential {
    /// JSON-LD contexts.
    #[serde(rename = "@context")]
    pub context: Vec<Value>,
    /// Identifier.
    pub id: String,
    /// Must include `VerifiableCredential` and `EndorsementCredential`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// Name.
    pub name: String,
    /// The endorser.
    pub issuer: ProfileRef,
    /// Start of validity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// End of validity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// What is endorsed.
    pub credential_subject: EndorsementSubject,
    /// Proof(s), kept verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Value>>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
