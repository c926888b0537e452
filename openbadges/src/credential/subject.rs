//! OB 3.0 `AchievementSubject`: who earned the achievement, and the results.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::achievement::Achievement;
use super::common::{Alignment, ImageRef, Types, types};
use super::profile::Profile;

/// OB 3.0 `IdentityObject`: a recipient identifier, plain or salted-hashed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityObject {
    /// Must be `IdentityObject`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Whether `identity_hash` is hashed (typed `xsd:boolean` by the context).
    pub hashed: bool,
    /// `sha256$<hex>` of identity ‖ salt when hashed, else the plain identity.
    pub identity_hash: String,
    /// Kind of identity (`emailAddress`, `studentId`, `ext:…`…).
    pub identity_type: String,
    /// Salt appended to the identity before hashing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl IdentityObject {
    /// A salted SHA-256 email identifier: `sha256$hex(sha256(email ‖ salt))`.
    ///
    /// OB 3.0 hashes the identity exactly as given; emails are lower-cased first here because
    /// verifiers compare against what the earner types, and email addresses are case-insensitive.
    pub fn hashed_email(email: &str, salt: &str) -> Self {
        Self::hashed("emailAddress", &email.trim().to_lowercase(), salt)
    }

    /// A salted SHA-256 identifier of any kind.
    pub fn hashed(identity_type: &str, identity: &str, salt: &str) -> Self {
        let digest = Sha256::digest(format!("{identity}{salt}").as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        Self {
            type_: "IdentityObject".into(),
            hashed: true,
            identity_hash: format!("sha256${hex}"),
            identity_type: identity_type.into(),
            salt: Some(salt.into()),
            extra: Map::new(),
        }
    }

    /// A plain (unhashed) email identifier.
    pub fn plain_email(email: &str) -> Self {
        Self {
            type_: "IdentityObject".into(),
            hashed: false,
            identity_hash: email.trim().to_owned(),
            identity_type: "emailAddress".into(),
            salt: None,
            extra: Map::new(),
        }
    }

    /// Whether `identity` (e.g. an email the earner typed) matches this identifier.
    pub fn matches(&self, identity: &str) -> bool {
        if !self.hashed {
            return self.identity_hash.eq_ignore_ascii_case(identity.trim());
        }
        let normalized = if self.identity_type == "emailAddress" {
            identity.trim().to_lowercase()
        } else {
            identity.to_owned()
        };
        let expected = Self::hashed(
            &self.identity_type,
            &normalized,
            self.salt.as_deref().unwrap_or(""),
        );
        let raw = Self::hashed(
            &self.identity_type,
            identity,
            self.salt.as_deref().unwrap_or(""),
        );
        self.identity_hash
            .eq_ignore_ascii_case(&expected.identity_hash)
            || self.identity_hash.eq_ignore_ascii_case(&raw.identity_hash)
    }
}

/// OB 3.0 `Result`: a result recorded for the earner.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AchievementResult {
    /// Must include `Result`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// Id of the `ResultDescription` this result is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_description: Option<String>,
    /// Id of the achieved `RubricCriterionLevel`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achieved_level: Option<String>,
    /// Status (`Completed`, `Enrolled`, `Failed`, `InProgress`, `OnHold`, `Provisional`, `Withdrew`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The value (e.g. a grade).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Alignments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<Vec<Alignment>>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// OB 3.0 `AchievementSubject`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AchievementSubject {
    /// The earner's identifier (e.g. a DID), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Must include `AchievementSubject`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// The achievement.
    pub achievement: Achievement,
    /// Identifiers of the earner (required when `id` is absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Vec<IdentityObject>>,
    /// Results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Vec<AchievementResult>>,
    /// Credits earned (typed `xsd:float` by the context).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credits_earned: Option<f64>,
    /// When the activity started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_start_date: Option<String>,
    /// When the activity ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_end_date: Option<String>,
    /// Narrative of what the earner did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// Role of the earner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Academic term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// License number (for licences).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_number: Option<String>,
    /// Image of the earner's work or of the baked badge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageRef>,
    /// Organisation that assessed the earner, if not the issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Box<Profile>>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AchievementSubject {
    /// A subject for `achievement` with no recipient identifier yet.
    pub fn new(achievement: Achievement) -> Self {
        Self {
            type_: types(&["AchievementSubject"]),
            achievement,
            ..Self::default()
        }
    }
}
