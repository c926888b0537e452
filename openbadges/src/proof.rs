//! `DataIntegrityProof` with the `eddsa-rdfc-2022` cryptosuite (W3C "VC Data Integrity EdDSA
//! Cryptosuites v1.0", §3.2): canonicalise the document and the proof options with RDFC-1.0,
//! hash each with SHA-256, sign `hash(proof options) ‖ hash(document)` with Ed25519 and encode
//! the signature as base58btc multibase.

use std::sync::OnceLock;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::canonical::{CanonError, Canonicalizer};
use crate::context::ContextStore;
use crate::keys::{KeyError, KeyPair, PublicKey, decode_multibase};

/// The proof type.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
/// The cryptosuite identifier.
pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";
/// The proof purpose of issued credentials.
pub const ASSERTION_METHOD: &str = "assertionMethod";

/// Why a document could not be signed or a proof could not be checked.
#[derive(Debug, Error)]
pub enum ProofError {
    /// The document is not a JSON object.
    #[error("the document to sign must be a JSON object")]
    NotAnObject,
    /// The document has no `@context`.
    #[error("the document has no @context")]
    MissingContext,
    /// The document already carries a proof.
    #[error("the document already has a proof; sign the unsigned document")]
    AlreadySigned,
    /// A proof is missing or malformed.
    #[error("invalid proof at {path}: {reason}")]
    InvalidProof {
        /// JSON path of the offending value.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// Canonicalisation failed.
    #[error(transparent)]
    Canonicalization(#[from] CanonError),
    /// A key could not be decoded.
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// Options of a new proof.
#[derive(Clone, Debug)]
pub struct ProofOptions {
    /// `created` timestamp (written with second precision, UTC).
    pub created: DateTime<Utc>,
    /// Verification method; defaults to the key's `did:key:z6Mk…#z6Mk…`.
    pub verification_method: Option<String>,
}

impl ProofOptions {
    /// Options with `created` = `at` and the key's did:key verification method.
    pub fn at(created: DateTime<Utc>) -> Self {
        Self {
            created,
            verification_method: None,
        }
    }
}

/// The intermediate values of a proof computation (what the W3C test vectors publish).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofTranscript {
    /// Canonical N-Quads of the document without its proof.
    pub document_nquads: String,
    /// Canonical N-Quads of the proof options (proof without `proofValue`, with `@context`).
    pub proof_nquads: String,
    /// SHA-256 of `document_nquads`.
    pub document_hash: [u8; 32],
    /// SHA-256 of `proof_nquads`.
    pub proof_hash: [u8; 32],
}

impl ProofTranscript {
    /// The bytes that are signed: `proof_hash ‖ document_hash`.
    pub fn signing_input(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&self.proof_hash);
        out[32..].copy_from_slice(&self.document_hash);
        out
    }
}

/// The eddsa-rdfc-2022 cryptosuite over a set of offline contexts.
#[derive(Debug, Default)]
pub struct Eddsa2022 {
    canon: Canonicalizer,
}

/// A process-wide suite over the bundled contexts (its context cache is shared).
pub fn default_suite() -> &'static Eddsa2022 {
    static SUITE: OnceLock<Eddsa2022> = OnceLock::new();
    SUITE.get_or_init(Eddsa2022::default)
}

impl Eddsa2022 {
    /// A suite resolving contexts from `store` (e.g. bundled plus extension contexts).
    pub fn with_contexts(store: ContextStore) -> Self {
        Self {
            canon: Canonicalizer::new(store),
        }
    }

    /// A suite over an explicit canonicaliser (e.g. the uncached reference one).
    pub fn with_canonicalizer(canon: Canonicalizer) -> Self {
        Self { canon }
    }

    /// The canonicaliser in use.
    pub fn canonicalizer(&self) -> &Canonicalizer {
        &self.canon
    }

    /// Signs an unsigned credential, returning it with a `proof` property added.
    pub fn sign(
        &self,
        unsigned: &Value,
        key: &KeyPair,
        options: &ProofOptions,
    ) -> Result<Value, ProofError> {
        let object = unsigned.as_object().ok_or(ProofError::NotAnObject)?;
        if object.contains_key("proof") {
            return Err(ProofError::AlreadySigned);
        }
        let context = object.get("@context").ok_or(ProofError::MissingContext)?;
        let mut proof = Map::new();
        proof.insert("type".into(), PROOF_TYPE.into());
        proof.insert("cryptosuite".into(), CRYPTOSUITE.into());
        proof.insert(
            "created".into(),
            options
                .created
                .to_rfc3339_opts(SecondsFormat::Secs, true)
                .into(),
        );
        proof.insert(
            "verificationMethod".into(),
            options
                .verification_method
                .clone()
                .unwrap_or_else(|| key.verification_method())
                .into(),
        );
        proof.insert("proofPurpose".into(), ASSERTION_METHOD.into());
        let transcript = self.transcript(unsigned, &proof, context)?;
        let signature = key.sign(&transcript.signing_input());
        proof.insert(
            "proofValue".into(),
            format!("z{}", bs58::encode(signature).into_string()).into(),
        );
        let mut signed = object.clone();
        signed.insert("proof".into(), Value::Object(proof));
        Ok(Value::Object(signed))
    }

    /// Computes the canonical forms and hashes for a document and proof options.
    ///
    /// `proof` is the proof without `proofValue`; it gets `context` as its `@context` unless
    /// it carries its own.
    pub fn transcript(
        &self,
        unsecured: &Value,
        proof: &Map<String, Value>,
        context: &Value,
    ) -> Result<ProofTranscript, ProofError> {
        let mut config = proof.clone();
        config.remove("proofValue");
        if !config.contains_key("@context") {
            config.insert("@context".into(), context.clone());
        }
        let proof_nquads = self.canon.canonical_nquads(&Value::Object(config))?;
        let document_nquads = self.canon.canonical_nquads(unsecured)?;
        Ok(ProofTranscript {
            proof_hash: Sha256::digest(proof_nquads.as_bytes()).into(),
            document_hash: Sha256::digest(document_nquads.as_bytes()).into(),
            document_nquads,
            proof_nquads,
        })
    }

    /// Checks the signature of `proof` over `signed` (the document with its `proof` removed is
    /// what was signed) against `key`. Returns `Ok(false)` for a well-formed but wrong proof.
    pub fn check_signature(
        &self,
        signed: &Value,
        proof: &Map<String, Value>,
        key: &PublicKey,
    ) -> Result<bool, ProofError> {
        let object = signed.as_object().ok_or(ProofError::NotAnObject)?;
        let context = object.get("@context").ok_or(ProofError::MissingContext)?;
        let proof_value = proof
            .get("proofValue")
            .and_then(Value::as_str)
            .ok_or_else(|| ProofError::InvalidProof {
                path: "$.proof.proofValue".into(),
                reason: "missing or not a string".into(),
            })?;
        let signature = decode_multibase(proof_value).map_err(|e| ProofError::InvalidProof {
            path: "$.proof.proofValue".into(),
            reason: e.to_string(),
        })?;
        if signature.len() != 64 {
            return Err(ProofError::InvalidProof {
                path: "$.proof.proofValue".into(),
                reason: format!("an Ed25519 signature is 64 bytes, got {}", signature.len()),
            });
        }
        let mut unsecured = object.clone();
        unsecured.remove("proof");
        let transcript = self.transcript(&Value::Object(unsecured), proof, context)?;
        Ok(key.verify(&transcript.signing_input(), &signature))
    }
}
