//! The production [`CredentialSigner`]: builds an OB 3.0 `OpenBadgeCredential` from an award
//! draft with `openbadges`' builder (which refuses spec violations) and signs it
//! eddsa-rdfc-2022 with the issuer's did:key.
//!
//! Public URLs it writes into credentials (the server must serve them):
//! `{base}/achievements/{achievement id}` (the achievement's `id`) and
//! `{base}/status-lists/{status list id}` (the signed `BitstringStatusListCredential`).
//! The credential's own id is `urn:uuid:{credential id}`; the issuer's id is its did:key,
//! with its human-facing page in `issuer.url`.

use chrono::Utc;
use openbadges::credential::{
    Achievement as ObAchievement, Address, Alignment as ObAlignment, CredentialBuilder, Image,
    ImageRef, Profile, Recipient, ResultDescription as ObResultDescription,
    RubricCriterionLevel as ObLevel, types,
};
use openbadges::proof::{ProofOptions, default_suite};
use openbadges::status_list::{self as ob_status, StatusPurpose};
use uuid::Uuid;

use crate::award::{AwardDraft, CredentialSigner};
use crate::cache::{self, Cache};
use crate::error::{Error, Result};
use crate::signing_key::{self, ActiveKey, KeyEncryptionKey};
use crate::status_list::{self, Purpose, StatusList};

/// How long a signed status-list credential is cached; revocations invalidate it at once.
const STATUS_LIST_TTL: std::time::Duration = std::time::Duration::from_secs(600);

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Signs awards with `openbadges`; see the module doc for the URLs it uses.
#[derive(Debug, Clone)]
pub struct OpenBadgesSigner {
    base_url: String,
}

impl OpenBadgesSigner {
    /// `public_base_url` is the site's public origin (`PUBLIC_BASE_URL`), e.g. `https://badges.example.org`.
    pub fn new(public_base_url: &str) -> Result<OpenBadgesSigner> {
        let base = public_base_url.trim().trim_end_matches('/');
        if !(base.starts_with("https://") || base.starts_with("http://")) || base.len() < 10 {
            return Err(Error::invalid("PUBLIC_BASE_URL", "must be an http(s) URL"));
        }
        Ok(OpenBadgesSigner {
            base_url: base.to_owned(),
        })
    }

    /// The public URL of an achievement (its OB `id`).
    pub fn achievement_url(&self, id: Uuid) -> String {
        format!("{}/achievements/{id}", self.base_url)
    }

    /// The public URL of a status list credential.
    pub fn status_list_url(&self, id: Uuid) -> String {
        format!("{}/status-lists/{id}", self.base_url)
    }

    /// Signs `list` as a `BitstringStatusListCredential` with `key` (see [`signed_status_list`]).
    pub fn sign_status_list(
        &self,
        list: &StatusList,
        key: &ActiveKey,
    ) -> Result<serde_json::Value> {
        let size = usize::try_from(list.size).map_err(Error::internal)?;
        let mut bits = ob_status::StatusList::new(size).map_err(Error::internal)?;
        for (byte_index, byte) in list.bitstring.iter().enumerate() {
            for bit in 0..8 {
                if byte & (0x80 >> bit) != 0 {
                    bits.set(byte_index * 8 + bit, true)
                        .map_err(Error::internal)?;
                }
            }
        }
        let purpose = match list.purpose {
            Purpose::Revocation => StatusPurpose::Revocation,
            Purpose::Suspension => StatusPurpose::Suspension,
        };
        let unsigned = ob_status::list_credential(
            &self.status_list_url(list.id),
            &key.info.did(),
            purpose,
            &bits,
            list.created_at,
        );
        let pair = key.secret.to_openbadges()?;
        default_suite()
            .sign(&unsigned, &pair, &ProofOptions::at(Utc::now()))
            .map_err(Error::internal)
    }

    fn profile(d: &AwardDraft<'_>) -> Profile {
        let iss = d.issuer;
        let mut p = Profile::new(d.key.info.did(), iss.name.clone());
        p.url = iss.url.clone();
        p.email = iss.email.clone();
        p.description = iss.description.clone().filter(|s| !s.is_empty());
        p.phone = iss.phone.clone();
        p.image = iss.image.clone().map(ImageRef::Iri);
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

    fn achievement(&self, d: &AwardDraft<'_>) -> ObAchievement {
        let a = d.achievement;
        let f = &a.fields;
        let url = self.achievement_url(a.id);
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
                        let rd_id = format!("{url}#result-{i}");
                        let level_id = |j: usize| format!("{rd_id}-level-{j}");
                        ObResultDescription {
                            id: rd_id.clone(),
                            type_: types(&["ResultDescription"]),
                            name: rd.name.clone(),
                            result_type: rd.result_type.clone(),
                            allowed_value: rd.allowed_values.clone(),
                            required_level: rd.required_level.map(level_id),
                            required_value: rd.required_value.clone(),
                            rubric_criterion_level: (!rd.levels.is_empty()).then(|| {
                                rd.levels
                                    .iter()
                                    .enumerate()
                                    .map(|(j, l)| ObLevel {
                                        id: level_id(j),
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

impl CredentialSigner for OpenBadgesSigner {
    fn sign(&self, d: &AwardDraft<'_>) -> std::result::Result<serde_json::Value, BoxError> {
        let purpose = match d.status.purpose {
            Purpose::Revocation => StatusPurpose::Revocation,
            Purpose::Suspension => StatusPurpose::Suspension,
        };
        let index = usize::try_from(d.status.index)?;
        let mut builder = CredentialBuilder::new(
            format!("urn:uuid:{}", d.credential_id),
            Self::profile(d),
            self.achievement(d),
            Recipient::hashed_email(d.recipient_email, d.identity_salt),
            d.issued_at,
        )
        .status(ob_status::entry(
            &self.status_list_url(d.status.list_id),
            index,
            purpose,
        ));
        if let Some(until) = d.valid_until {
            builder = builder.valid_until(until);
        }
        let unsigned = builder.build()?.to_value();
        let key = d.key.secret.to_openbadges()?;
        Ok(default_suite().sign(&unsigned, &key, &ProofOptions::at(Utc::now()))?)
    }
}

/// The signed `BitstringStatusListCredential` to serve at
/// [`OpenBadgesSigner::status_list_url`], through the cache. It is signed by the issuer key
/// that was active when the list was opened — the key of every credential in it, because a
/// key rotation closes the issuer's open lists.
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
    drop(conn);
    let signed = signer.sign_status_list(&list, &signing)?;
    cache.put_json(&key, &signed, STATUS_LIST_TTL).await;
    Ok(signed)
}
