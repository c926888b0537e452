//! A builder that produces only credentials that pass [`validate`](super::validate::validate).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

use super::common::{ImageRef, OneOrMany, types};
use super::subject::IdentityObject;
use super::validate::{Violation, validate};
use super::{
    Achievement, AchievementResult, AchievementSubject, CredentialSchema, CredentialStatus,
    Evidence, OpenBadgeCredential, Profile, ProfileRef,
};
use crate::context::{ISSUE_CONTEXT, OB_EXTENSIONS};

/// Who receives the credential.
#[derive(Clone, Debug, PartialEq)]
pub enum Recipient {
    /// A DID or other IRI controlled by the earner.
    Id(String),
    /// One or more identity objects (e.g. a salted email hash).
    Identifiers(Vec<IdentityObject>),
}

impl Recipient {
    /// A recipient identified by a salted SHA-256 hash of their email.
    pub fn hashed_email(email: &str, salt: &str) -> Self {
        Self::Identifiers(vec![IdentityObject::hashed_email(email, salt)])
    }
}

/// The builder found spec violations.
#[derive(Debug, thiserror::Error)]
#[error("invalid credential: {}", .violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct BuildError {
    /// Every violation, with its JSON path.
    pub violations: Vec<Violation>,
}

/// Builds an unsigned `OpenBadgeCredential` for one recipient.
#[derive(Clone, Debug)]
pub struct CredentialBuilder {
    credential: OpenBadgeCredential,
}

impl CredentialBuilder {
    /// Starts a credential `id` issued by `issuer` (whose `id` must be the signing DID)
    /// recognising `achievement` for `recipient`, valid from `valid_from`.
    pub fn new(
        id: impl Into<String>,
        issuer: Profile,
        achievement: Achievement,
        recipient: Recipient,
        valid_from: DateTime<Utc>,
    ) -> Self {
        let name = achievement.name.clone();
        let mut subject = AchievementSubject::new(achievement);
        match recipient {
            Recipient::Id(id) => subject.id = Some(id),
            Recipient::Identifiers(ids) => subject.identifier = Some(ids),
        }
        Self {
            credential: OpenBadgeCredential {
                context: ISSUE_CONTEXT.iter().map(|c| Value::from(*c)).collect(),
                id: id.into(),
                type_: types(&["VerifiableCredential", "OpenBadgeCredential"]),
                name: Some(name),
                description: None,
                image: None,
                issuer: ProfileRef::Object(Box::new(issuer)),
                valid_from: Some(timestamp(valid_from)),
                valid_until: None,
                issuance_date: None,
                expiration_date: None,
                awarded_date: None,
                credential_subject: subject,
                credential_status: None,
                credential_schema: None,
                evidence: None,
                endorsement: None,
                proof: None,
                extra: Map::new(),
            },
        }
    }

    /// Sets the credential's display name (defaults to the achievement name).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.credential.name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.credential.description = Some(description.into());
        self
    }

    /// Sets the credential image.
    pub fn image(mut self, image: ImageRef) -> Self {
        self.credential.image = Some(image);
        self
    }

    /// Sets the expiry.
    pub fn valid_until(mut self, until: DateTime<Utc>) -> Self {
        self.credential.valid_until = Some(timestamp(until));
        self
    }

    /// Sets `awardedDate`.
    pub fn awarded_date(mut self, at: DateTime<Utc>) -> Self {
        self.credential.awarded_date = Some(timestamp(at));
        self
    }

    /// Adds a status entry (see [`crate::status_list::entry`]); with more than one (e.g.
    /// revocation and suspension) `credentialStatus` becomes an array.
    pub fn status(mut self, status: CredentialStatus) -> Self {
        self.credential.credential_status = Some(match self.credential.credential_status.take() {
            None => OneOrMany::One(status),
            Some(OneOrMany::One(first)) => OneOrMany::Many(vec![first, status]),
            Some(OneOrMany::Many(mut all)) => {
                all.push(status);
                OneOrMany::Many(all)
            }
        });
        self
    }

    /// Adds a JSON-schema reference; also adds the OB `extensions.json` context that defines
    /// its type, without which strict verifiers reject the credential.
    pub fn schema(mut self, schema: CredentialSchema) -> Self {
        let ext = Value::from(OB_EXTENSIONS);
        if !self.credential.context.contains(&ext) {
            self.credential.context.push(ext);
        }
        self.credential
            .credential_schema
            .get_or_insert_with(Vec::new)
            .push(schema);
        self
    }

    /// Adds evidence.
    pub fn evidence(mut self, evidence: Evidence) -> Self {
        self.credential
            .evidence
            .get_or_insert_with(Vec::new)
            .push(evidence);
        self
    }

    /// Adds a result.
    pub fn result(mut self, result: AchievementResult) -> Self {
        self.credential
            .credential_subject
            .result
            .get_or_insert_with(Vec::new)
            .push(result);
        self
    }

    /// Sets credits earned.
    pub fn credits_earned(mut self, credits: f64) -> Self {
        self.credential.credential_subject.credits_earned = Some(credits);
        self
    }

    /// Gives mutable access to the subject for rarely used properties.
    pub fn subject_mut(&mut self) -> &mut AchievementSubject {
        &mut self.credential.credential_subject
    }

    /// Validates and returns the unsigned credential.
    pub fn build(self) -> Result<OpenBadgeCredential, BuildError> {
        let violations = validate(&self.credential.to_value());
        if violations.is_empty() {
            Ok(self.credential)
        } else {
            Err(BuildError { violations })
        }
    }
}

/// XML Schema dateTime with second precision in UTC, as VC 2.0 examples use.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
