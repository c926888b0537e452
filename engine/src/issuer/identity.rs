//! Issuer identity: which DID a credential names as `issuer.id`, which verification method
//! its proof uses, the did:web DID document, and signing-key rotation.
//!
//! - did:key issuers: `issuer.id` is the did:key of the key that signs; rotating the key
//!   changes the DID, and old credentials keep verifying because did:key embeds the key.
//! - did:web issuers (`did:web:<host>:issuers:<id>`): the DID is stable; the DID document at
//!   `/issuers/{id}/did.json` lists every key the issuer ever had as a verification method,
//!   so credentials signed before a rotation still verify (key fragments are the Multikey).

use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

use super::{DidMethod, Issuer};
use crate::cache::Cache;
use crate::error::{Error, Result};
use crate::rbac::CanManageIssuers;
use crate::signing_key::{self, KeyEncryptionKey, SigningKeyInfo};

/// The credential `issuer.id` for credentials signed with `key`.
pub fn issuer_did(issuer: &Issuer, key: &SigningKeyInfo) -> String {
    match (issuer.did_method, issuer.did.as_deref()) {
        (DidMethod::Web, Some(did)) => did.to_owned(),
        _ => key.did(),
    }
}

/// The proof's `verificationMethod` for credentials signed with `key`.
pub fn verification_method(issuer: &Issuer, key: &SigningKeyInfo) -> String {
    match (issuer.did_method, issuer.did.as_deref()) {
        (DidMethod::Web, Some(did)) => format!("{did}#{}", key.public_key_multibase),
        _ => key.verification_method(),
    }
}

/// The DID document of a did:web issuer (W3C DID Core, Multikey verification methods), with
/// the current key first; `NotFound` for did:key issuers, whose DID needs no document.
pub async fn did_document(pool: &PgPool, cache: &Cache, issuer_id: Uuid) -> Result<Value> {
    let issuer = super::public_profile(pool, cache, issuer_id).await?;
    let did = match (issuer.did_method, issuer.did) {
        (DidMethod::Web, Some(did)) => did,
        _ => {
            return Err(Error::NotFound {
                entity: "DID document",
            });
        }
    };
    let keys = signing_key::list_conn(pool, issuer_id).await?;
    let methods: Vec<Value> = keys
        .iter()
        .map(|k| {
            json!({
                "id": format!("{did}#{}", k.public_key_multibase),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": k.public_key_multibase,
            })
        })
        .collect();
    let ids: Vec<Value> = keys
        .iter()
        .map(|k| Value::String(format!("{did}#{}", k.public_key_multibase)))
        .collect();
    Ok(json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }))
}

/// The issuer's public `Profile` JSON-LD (the document behind its page URL).
pub async fn profile_document(
    pool: &PgPool,
    cache: &Cache,
    signer: &crate::signer::OpenBadgesSigner,
    issuer_id: Uuid,
) -> Result<Value> {
    let issuer = super::public_profile(pool, cache, issuer_id).await?;
    let key = signing_key::list_conn(pool, issuer_id)
        .await?
        .into_iter()
        .find(|k| k.retired_at.is_none())
        .ok_or(Error::NotFound {
            entity: "signing key",
        })?;
    Ok(signer.profile_document(&issuer, &key))
}

/// Retires the issuer's active key and creates a new one that signs from now on (audited);
/// credentials and status lists signed earlier keep verifying.
pub async fn rotate_key(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanManageIssuers,
    kek: &KeyEncryptionKey,
    issuer_id: Uuid,
) -> Result<SigningKeyInfo> {
    let info = signing_key::rotate(pool, auth, kek, issuer_id).await?;
    super::edit::invalidate(cache, issuer_id).await;
    Ok(info)
}
