//! OB 3.0 `Profile`: the issuer (or creator, or endorser) of a credential.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{Address, IdentifierEntry, ImageRef, Types, types};
use super::endorsement::EndorsementCredential;

/// An issuer, given as a bare IRI or as a `Profile` object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ProfileRef {
    /// Only the identifier.
    Iri(String),
    /// A full profile.
    Object(Box<Profile>),
}

impl ProfileRef {
    /// The profile's identifier.
    pub fn id(&self) -> &str {
        match self {
            Self::Iri(id) => id,
            Self::Object(p) => &p.id,
        }
    }
}

/// OB 3.0 `Profile`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Identifier; for an issuer this is the DID that controls the signing key.
    pub id: String,
    /// Must include `Profile`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Home page (the human-facing issuer page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Contact phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Endorsements of this profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<Vec<EndorsementCredential>>,
    /// Logo.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageRef>,
    /// Contact email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Postal address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Other identifiers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_identifier: Option<Vec<IdentifierEntry>>,
    /// Official name, if different from `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official: Option<String>,
    /// Parent organisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_org: Option<Box<Profile>>,
    /// Person's family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// Person's given name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Profile {
    /// A profile with an identifier and display name.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            type_: types(&["Profile"]),
            name: Some(name.into()),
            ..Self::default()
        }
    }
}
