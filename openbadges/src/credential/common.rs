//! Small shared shapes: one-or-many values, images, alignments, identifiers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A JSON value that may be written as a single item or as an array (`type`, `@context`…).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single item.
    One(T),
    /// An array of items.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The items as a slice.
    pub fn as_slice(&self) -> &[T] {
        match self {
            Self::One(item) => std::slice::from_ref(item),
            Self::Many(items) => items,
        }
    }
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        Self::Many(Vec::new())
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(items: Vec<T>) -> Self {
        Self::Many(items)
    }
}

impl OneOrMany<String> {
    /// Whether `name` is one of the items.
    pub fn contains(&self, name: &str) -> bool {
        self.as_slice().iter().any(|t| t == name)
    }
}

/// A list of type names, e.g. `["VerifiableCredential", "OpenBadgeCredential"]`.
pub type Types = OneOrMany<String>;

/// Builds a `type` array from names.
pub fn types(names: &[&str]) -> Types {
    OneOrMany::Many(names.iter().map(|s| (*s).to_owned()).collect())
}

/// An image: either a bare IRI (URL or data URI) or an `Image` object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ImageRef {
    /// Just the IRI.
    Iri(String),
    /// A full `Image` object.
    Object(Image),
}

/// OB 3.0 `Image`: an IRI with a type and optional caption.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// URL or data URI of the image.
    pub id: String,
    /// Must be `Image`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Caption (alt text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Image {
    /// An `Image` with the given IRI and optional caption.
    pub fn new(id: impl Into<String>, caption: Option<String>) -> Self {
        Self {
            id: id.into(),
            type_: "Image".into(),
            caption,
            extra: Map::new(),
        }
    }
}

/// OB 3.0 `Alignment`: a link to a competency framework item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alignment {
    /// Must include `Alignment`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// Name of the aligned item (required).
    pub target_name: String,
    /// URL of the aligned item (required).
    pub target_url: String,
    /// Short description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_description: Option<String>,
    /// Identifier within the framework.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_code: Option<String>,
    /// Framework name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_framework: Option<String>,
    /// Kind of target (e.g. `ceasn:Competency`, `CFItem`, `ext:…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// OB 3.0 `IdentifierEntry`: another identifier for a profile or achievement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentifierEntry {
    /// Must be `IdentifierEntry`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The identifier value.
    pub identifier: String,
    /// Its kind (`sourcedId`, `systemId`, `ext:…`…).
    pub identifier_type: String,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// OB 3.0 `Address`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Must include `Address`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// Country name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_country: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_country_code: Option<String>,
    /// State, province or region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_region: Option<String>,
    /// City or locality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_locality: Option<String>,
    /// Street address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    /// Post office box number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_office_box_number: Option<String>,
    /// Postal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Unknown properties (e.g. `geo`), kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
