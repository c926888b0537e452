//! Building and signing credentials: an OB 3.0 `OpenBadgeCredential` from an award draft with
//! `openbadges`' builder (which refuses spec violations), signed eddsa-rdfc-2022 by the
//! issuer's key, with the issuer's DID as `issuer.id` ([`crate::issuer::identity`]). Also the
//! issuer `Profile` and `Achievement` documents served at their public URLs, and the signed
//! `BitstringStatusListCredential`s.
//!
//! Public URLs it writes into credentials (the server serves each; a test proves it): the
//! credential's own id `{base}/credentials/{id}`, the achievement's id
//! `{base}/achievements/{id}`, its image `{base}/images/{sha}.{ext}`, the status lists
//! `{base}/status-lists/{id}`, and for did:web issuers `{base}/issuers/{id}/did.json`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use openbadges::credential::{
    Achievement as ObAchievement, AchievementResult, Address, Alignment as ObAlignment,
    CredentialBuilder, Evidence as ObEvidence, IdentifierEntry as ObIdentifierEntry,
    IdentityObject, Image, ImageRef, Profile, Recipient, ResultDescription as ObResultDescription,
    RubricCriterionLevel as ObLevel, types,
};
use openbadges::proof::{ProofOptions, default_suite};
use openbadges::status_list::{self as ob_status, StatusPurpose};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::achievement::Achievement;
use crate::cache::{self, Cache};
use crate::error::{Error, Result};
use crate::issuer::{Issuer, identity};
use crate::public_url::PublicUrls;
use crate::signing_key::{self, ActiveKey, KeyEncryptionKey};
use crate::status_list::{self, Purpose, StatusEntry, StatusList};

/// How long a signed status-list credential is cached; revocations invalidate it at once.
const STATUS_LIST_TTL: std::time::Duration = std::time::Duration::from_secs(600);

/// A result recorded for the earner, against one of the achievement's result descriptions.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct AwardResult {
    /// Index into the achievement's result descriptions.
    pub result_description: usize,
    /// Index of the achieved rubric level, for rubric results.
    pub achieved_level: Option<usize>,
    /// The value (grade, score, …), for other results.
    pub value: Option<String>,
}

/// OB 3.0 `Evidence` given by the awarder.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(default)]
pub struct EvidenceInput {
    /// URL of the evidence.
    pub url: Option<String>,
    /// Narrative (Markdown).
    pub narrative: Option<String>,
    /// Name.
    pub name: Option<String>,
}

/// The per-award details beyond the recipient.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct AwardDetails {
    /// Results.
    pub results: Vec<AwardResult>,
    /// Evidence.
    pub evidence: Vec<EvidenceInput>,
    /// When the activity started.
    pub activity_start: Option<DateTime<Utc>>,
    /// When the activity ended.
    pub activity_end: Option<DateTime<Utc>>,
}

/// Everything needed to build and sign one OpenBadgeCredential.
#[derive(Debug, Clone)]
pub struct AwardDraft {
    /// The credential's row id; its OB `id` is `{base}/credentials/{id}`.
    pub credential_id: Uuid,
    /// Issuer profile.
    pub issuer: Arc<Issuer>,
    /// The achievement awarded.
    pub achievement: Arc<Achievement>,
    /// Recipient's name (written as a plain `name` identifier).
    pub recipient_name: String,
    /// Recipient's e-mail (written only as a salted hash).
    pub recipient_email: String,
    /// `IdentityObject.salt`.
    pub identity_salt: String,
    /// `validFrom`.
    pub issued_at: DateTime<Utc>,
    /// `validUntil`.
    pub valid_until: Option<DateTime<Utc>>,
    /// `credentialStatus` entries (revocation, suspension).
    pub statuses: Vec<StatusEntry>,
    /// Results, evidence, activity dates.
    pub details: AwardDetails,
    /// The issuer's decrypted active key.
    pub key: Arc<ActiveKey>,
}

/// Signs with `openbadges`; see the module doc for the URLs it writes.
#[derive(Debug, Clone)]
pub struct OpenBadgesSigner {
    urls: PublicUrls,
}

fn purpose(p: Purpose) -> StatusPurpose {
    match p {
        Purpose::Revocation => StatusPurpose::Revocation,
        Purpose::Suspension => StatusPurpose::Suspension,
    }
}

impl OpenBadgesSigner {
    /// A signer writing URLs under `urls`.
    pub fn new(urls: PublicUrls) -> OpenBadgesSigner {
        OpenBadgesSigner { urls }
    }

    /// The URL map it writes.
    pub fn urls(&self) -> &PublicUrls {
        &self.urls
    }

    /// Signs `list` as a `BitstringStatusListCredential` of `issuer` with `key`.
    pub fn sign_status_list(
        &self,
        issuer: &Issuer,
        list: &StatusList,
        key: &ActiveKey,
    ) -> Result<serde_json::Value> {
        let size = usize::try_from(list.size).map_err(Error::internal)?;
        let bits = ob_status::StatusList::from_bytes(list.bitstring.clone(), size)
            .map_err(Error::internal)?;
        let unsigned = ob_status::list_credential(
            &self.urls.status_list(list.id),
            &identity::issuer_did(issuer, &key.info),
            purpose(list.purpose),
            &bits,
            list.created_at,
        );
        let pair = key.secret.to_openbadges()?;
        let mut options = ProofOptions::at(Utc::now());
        options.verification_method = Some(identity::verification_method(issuer, &key.info));
        default_suite()
            .sign(&unsigned, &pair, &options)
            .map_err(Error::internal)
    }

    /// The issuer's OB 3.0 `Profile` as credentials embed it (`id` = the DID of `key`).
    pub fn profile(&self, iss: &Issuer, key: &signing_key::SigningKeyInfo) -> Profile {
        let mut p = Profile::new(identity::issuer_did(iss, key), iss.name.clone());
        p.url = iss.url.clone();
        p.email = iss.email.clone();
        p.description = iss.description.clone().filter(|s| !s.is_empty());
        p.phone = iss.phone.clone();
        p.image = iss
            .image
            .clone()
            .map(|i| ImageRef::Object(Image::new(i, Some(format!("{} logo", iss.name)))));
        if !iss.other_identifiers.is_empty() {
            p.other_identifier = Some(
                iss.other_identifiers
                    .iter()
                    .map(|e| ObIdentifierEntry {
                        type_: "IdentifierEntry".into(),
                        identifier: e.identifier.clone(),
                        identifier_type: e.identifier_type.clone(),
                        extra: Default::default(),
                    })
                    .collect(),
            );
        }
        p.address = iss.address.as_ref().and_then(|a| {
            let mut a = a.clone();
            if let Some(o) = a.as_object_mut() {
                o.insert("type".into(), serde_json::json!(["Address"]));
            }
            match serde_json::from_value::<Address>(a) {
                // Only properties the OB context defines: strict verifiers reject others.
                Ok(mut addr) => {
                    addr.extra.clear();
                    Some(addr)
                }
                Err(e) => {
                    tracing::warn!(issuer = %iss.id, error = %e, "issuer address left out of credential");
                    None
                }
            }
        });
        p
    }

    /// The OB 3.0 `Achievement` document (the one served at the achievement's URL and
    /// embedded in its credentials).
    pub fn achievement(&self, a: &Achievement) -> ObAchievement {
        let f = &a.fields;
        let url = self.urls.achievement(a.id);
        let mut ob = ObAchievement::new(
            url.clone(),
            f.name.clone(),
            f.description.clone(),
            f.criteria_narrative.clone().unwrap_or_default(),
        );
        ob.criteria.narrative = f.criteria_narrative.clone();
        ob.criteria.id = f.criteria_url.clone();
        ob.achievement_type = f.achievement_type.clone();
        ob.image = f
            .image
            .clone()
            .map(|i| ImageRef::Object(Image::new(i, f.image_caption.clone())));
        ob.tag = (!f.tags.is_empty()).then(|| f.tags.clone());
        ob.credits_available = f.credits_available;
        ob.human_code = f.human_code.clone();
        ob.field_of_study = f.field_of_study.clone();
        ob.specialization = f.specialization.clone();
        ob.in_language = f.in_language.clone();
        if !f.alignments.is_empty() {
            ob.alignment = Some(f.alignments.iter().map(alignment).collect());
        }
        if !f.result_descriptions.is_empty() {
            ob.result_description = Some(
                f.result_descriptions
                    .iter()
                    .enumerate()
                    .map(|(i, rd)| {
                        let rd_id = result_description_id(&url, i);
                        ObResultDescription {
                            id: rd_id.clone(),
                            type_: types(&["ResultDescription"]),
                            name: rd.name.clone(),
                            result_type: rd.result_type.clone(),
                            allowed_value: rd.allowed_values.clone(),
                            required_level: rd.required_level.map(|j| level_id(&rd_id, j)),
                            required_value: rd.required_value.clone(),
                            rubric_criterion_level: (!rd.levels.is_empty()).then(|| {
                                rd.levels
                                    .iter()
                                    .enumerate()
                                    .map(|(j, l)| ObLevel {
                                        id: level_id(&rd_id, j),
                                        type_: types(&["RubricCriterionLevel"]),
                                        name: l.name.clone(),
                                        description: l.description.clone(),
                                        level: l.level.clone(),
                                        points: l.points.clone(),
                                        ..Default::default()
                                    })
                                    .collect()
                            }),
                            value_max: rd.value_max.clone(),
                            value_min: rd.value_min.clone(),
                            ..Default::default()
                        }
                    })
                    .collect(),
            );
        }
        ob
    }

    /// The `Achievement` document served at its URL (JSON-LD with the issuing contexts).
    pub fn achievement_document(&self, a: &Achievement) -> serde_json::Value {
        with_context(serde_json::to_value(self.achievement(a)).unwrap_or_default())
    }

    /// The issuer's `Profile` document served at its page URL (JSON-LD).
    pub fn profile_document(
        &self,
        iss: &Issuer,
        key: &signing_key::SigningKeyInfo,
    ) -> serde_json::Value {
        let mut doc =
            with_context(serde_json::to_value(self.profile(iss, key)).unwrap_or_default());
        if let Some(o) = doc.as_object_mut()
            && !o.contains_key("url")
        {
            o.insert("url".into(), self.urls.issuer(iss.id).into());
        }
        doc
    }

    /// Builds and signs one credential.
    pub fn sign(&self, d: &AwardDraft) -> Result<serde_json::Value> {
        let mut identifiers = vec![IdentityObject::hashed_email(
            &d.recipient_email,
            &d.identity_salt,
        )];
        // The name as awarded, in clear: what verifiers and the public page show.
        identifiers.push(IdentityObject {
            type_: "IdentityObject".into(),
            hashed: false,
            identity_hash: d.recipient_name.clone(),
            identity_type: "name".into(),
            salt: None,
            extra: Default::default(),
        });
        let achievement_url = self.urls.achievement(d.achievement.id);
        let mut builder = CredentialBuilder::new(
            self.urls.credential(d.credential_id),
            self.profile(&d.issuer, &d.key.info),
            self.achievement(&d.achievement),
            Recipient::Identifiers(identifiers),
            d.issued_at,
        )
        .description(d.achievement.fields.description.clone())
        .awarded_date(d.issued_at);
        for status in &d.statuses {
            let index = usize::try_from(status.index).map_err(Error::internal)?;
            builder = builder.status(ob_status::entry(
                &self.urls.status_list(status.list_id),
                index,
                purpose(status.purpose),
            ));
        }
        if let Some(until) = d.valid_until {
            builder = builder.valid_until(until);
        }
        for r in &d.details.results {
            let rd_id = result_description_id(&achievement_url, r.result_description);
            builder = builder.result(AchievementResult {
                type_: types(&["Result"]),
                achieved_level: r.achieved_level.map(|j| level_id(&rd_id, j)),
                value: r.value.clone(),
                result_description: Some(rd_id),
                ..Default::default()
            });
        }
        for e in &d.details.evidence {
            builder = builder.evidence(ObEvidence {
                id: e.url.clone(),
                type_: types(&["Evidence"]),
                narrative: e.narrative.clone(),
                name: e.name.clone(),
                ..Default::default()
            });
        }
        {
            let subject = builder.subject_mut();
            subject.activity_start_date = d.details.activity_start.map(timestamp);
            subject.activity_end_date = d.details.activity_end.map(timestamp);
        }
        let unsigned = builder
            .build()
            .map_err(|e| Error::invalid("credential", e.to_string()))?
            .to_value();
        let key = d.key.secret.to_openbadges()?;
        let mut options = ProofOptions::at(Utc::now());
        options.verification_method = Some(identity::verification_method(&d.issuer, &d.key.info));
        default_suite()
            .sign(&unsigned, &key, &options)
            .map_err(Error::internal)
    }

    /// Signs many drafts on every core (signing is CPU-bound; one core signs ~8,000/s).
    /// Results are in draft order.
    pub fn sign_all(&self, drafts: &[AwardDraft]) -> Vec<Result<serde_json::Value>> {
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(8);
        if threads <= 1 || drafts.len() < 16 {
            return drafts.iter().map(|d| self.sign(d)).collect();
        }
        let chunk = drafts.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = drafts
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || part.iter().map(|d| self.sign(d)).collect::<Vec<_>>())
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    h.join()
                        .unwrap_or_else(|_| vec![Err(Error::internal("a signing thread panicked"))])
                })
                .collect()
        })
    }
}

fn with_context(mut doc: serde_json::Value) -> serde_json::Value {
    if let Some(o) = doc.as_object_mut() {
        let ctx: Vec<serde_json::Value> = openbadges::context::ISSUE_CONTEXT
            .iter()
            .map(|c| serde_json::Value::from(*c))
            .collect();
        let mut out = serde_json::Map::new();
        out.insert("@context".into(), serde_json::Value::Array(ctx));
        out.extend(std::mem::take(o));
        return serde_json::Value::Object(out);
    }
    doc
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `{achievement url}#result-{i}`.
fn result_description_id(achievement_url: &str, i: usize) -> String {
    format!("{achievement_url}#result-{i}")
}

/// `{result description id}-level-{j}`.
fn level_id(result_description_id: &str, j: usize) -> String {
    format!("{result_description_id}-level-{j}")
}

fn alignment(a: &crate::achievement::Alignment) -> ObAlignment {
    ObAlignment {
        type_: types(&["Alignment"]),
        target_name: a.target_name.clone(),
        target_url: a.target_url.clone(),
        target_description: a.target_description.clone(),
        target_code: a.target_code.clone(),
        target_framework: a.target_framework.clone(),
        target_type: a.target_type.clone(),
        ..Default::default()
    }
}

/// The signed `BitstringStatusListCredential` to serve at its public URL, through the cache.
/// It is signed by the issuer key that was active when the list was opened — the key of every
/// credential in it, because a key rotation closes the issuer's open lists.
pub async fn signed_status_list(
    pool: &sqlx::PgPool,
    cache: &Cache,
    kek: &KeyEncryptionKey,
    signer: &OpenBadgesSigner,
    list_id: Uuid,
) -> Result<serde_json::Value> {
    let key = cache::status_list_credential_key(list_id);
    if let Some(hit) = cache.get_json::<serde_json::Value>(&key).await {
        return Ok(hit);
    }
    let list = status_list::get(pool, list_id).await?;
    let mut conn = pool.acquire().await?;
    let signing =
        signing_key::load_for_time(&mut conn, kek, list.issuer_id, list.created_at).await?;
    let issuer = crate::issuer::get_conn(&mut conn, list.issuer_id).await?;
    drop(conn);
    let signed = signer.sign_status_list(&issuer, &list, &signing)?;
    cache.put_json(&key, &signed, STATUS_LIST_TTL).await;
    Ok(signed)
}
