//! Credential verification with a structured report: each check, pass/fail, and why.
//!
//! Checks, in order: the document parses as JSON; OB 3.0 structure ([`validate`](crate::credential::validate::validate)); a single
//! `DataIntegrityProof` with `eddsa-rdfc-2022` and `assertionMethod`; the verification method
//! resolves (did:key locally, or a key the caller trusts); the issuer controls that method;
//! the signature; `validFrom` / `validUntil` against the given time. Status lists need the
//! list credential, which the caller fetches: see [`crate::status_list`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::credential::validate;
use crate::keys::{DidKey, PublicKey};
use crate::proof::{ASSERTION_METHOD, CRYPTOSUITE, Eddsa2022, PROOF_TYPE, default_suite};

/// Outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The check passed.
    Pass,
    /// The check failed; the credential is not valid.
    Fail,
    /// The check could not run because an earlier one failed.
    Skipped,
}

/// One named check and its result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable machine name, e.g. `signature`.
    pub name: &'static str,
    /// Pass, fail or skipped.
    pub outcome: Outcome,
    /// Human-readable detail.
    pub reason: String,
}

/// The result of verifying a credential.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerificationReport {
    /// Every check that was attempted.
    pub checks: Vec<Check>,
}

impl VerificationReport {
    /// True when no check failed or was skipped.
    pub fn is_valid(&self) -> bool {
        self.checks.iter().all(|c| c.outcome == Outcome::Pass)
    }

    /// The check with this name, if it ran.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    fn push(&mut self, name: &'static str, outcome: Outcome, reason: impl Into<String>) {
        self.checks.push(Check {
            name,
            outcome,
            reason: reason.into(),
        });
    }
}

impl std::fmt::Display for VerificationReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in &self.checks {
            let mark = match c.outcome {
                Outcome::Pass => "PASS",
                Outcome::Fail => "FAIL",
                Outcome::Skipped => "SKIP",
            };
            writeln!(f, "{mark} {:<22} {}", c.name, c.reason)?;
        }
        write!(f, "{}", if self.is_valid() { "VALID" } else { "INVALID" })
    }
}

/// How to verify.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// The time validity is checked against.
    pub now: DateTime<Utc>,
    /// Keys for non-did:key verification methods (e.g. our own `https:` issuers), by method id.
    pub trusted_keys: HashMap<String, PublicKey>,
    /// Whether to run OB 3.0 structural validation (on by default).
    pub validate_structure: bool,
}

impl VerifyOptions {
    /// Default options at time `now`.
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            now,
            trusted_keys: HashMap::new(),
            validate_structure: true,
        }
    }
}

/// Verifies credential JSON bytes with the bundled contexts.
pub fn verify_json(bytes: &[u8], options: &VerifyOptions) -> VerificationReport {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => verify_with(default_suite(), &value, options),
        Err(e) => {
            let mut report = VerificationReport { checks: Vec::new() };
            report.push("json", Outcome::Fail, format!("not JSON: {e}"));
            report
        }
    }
}

/// Verifies a credential JSON value with the bundled contexts.
pub fn verify(credential: &Value, options: &VerifyOptions) -> VerificationReport {
    verify_with(default_suite(), credential, options)
}

/// Verifies a credential JSON value with a specific suite (e.g. extra contexts).
pub fn verify_with(
    suite: &Eddsa2022,
    credential: &Value,
    options: &VerifyOptions,
) -> VerificationReport {
    let mut report = VerificationReport { checks: Vec::new() };
    let Some(root) = credential.as_object() else {
        report.push("json", Outcome::Fail, "the credential is not a JSON object");
        return report;
    };
    report.push("json", Outcome::Pass, "credential is a JSON object");

    if options.validate_structure {
        let violations = validate(credential);
        if violations.is_empty() {
            report.push(
                "structure",
                Outcome::Pass,
                "conforms to the Open Badges 3.0 data model",
            );
        } else {
            let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
            report.push("structure", Outcome::Fail, list.join("; "));
        }
    }

    let key = check_proof_shape(&mut report, root, options);
    match key {
        Some((proof, key)) => match suite.check_signature(credential, proof, &key) {
            Ok(true) => report.push(
                "signature",
                Outcome::Pass,
                "eddsa-rdfc-2022 signature is valid",
            ),
            Ok(false) => report.push(
                "signature",
                Outcome::Fail,
                "signature does not match the signed content (tampered or wrong key)",
            ),
            Err(e) => report.push("signature", Outcome::Fail, e.to_string()),
        },
        None => report.push("signature", Outcome::Skipped, "no usable proof or key"),
    }

    check_validity(&mut report, root, options.now);
    report
}

/// Checks the proof's shape, resolves its key and the issuer binding. Returns the proof and key.
fn check_proof_shape<'a>(
    report: &mut VerificationReport,
    root: &'a Map<String, Value>,
    options: &VerifyOptions,
) -> Option<(&'a Map<String, Value>, PublicKey)> {
    let proof = match root.get("proof") {
        Some(Value::Object(p)) => p,
        Some(Value::Array(items)) if items.len() == 1 => match items.first() {
            Some(Value::Object(p)) => p,
            _ => {
                report.push("proof", Outcome::Fail, "proof is not an object");
                return None;
            }
        },
        Some(Value::Array(_)) => {
            report.push(
                "proof",
                Outcome::Fail,
                "proof sets with several proofs are not supported",
            );
            return None;
        }
        Some(_) => {
            report.push("proof", Outcome::Fail, "proof is not an object");
            return None;
        }
        None => {
            report.push(
                "proof",
                Outcome::Fail,
                "the credential has no proof (unsigned)",
            );
            return None;
        }
    };
    let ty = proof.get("type").and_then(Value::as_str);
    let suite = proof.get("cryptosuite").and_then(Value::as_str);
    if ty != Some(PROOF_TYPE) || suite != Some(CRYPTOSUITE) {
        report.push(
            "proof",
            Outcome::Fail,
            format!("unsupported proof type {ty:?} / cryptosuite {suite:?} (need {PROOF_TYPE} / {CRYPTOSUITE})"),
        );
        return None;
    }
    report.push(
        "proof",
        Outcome::Pass,
        format!("{PROOF_TYPE} with {CRYPTOSUITE}"),
    );

    match proof.get("proofPurpose").and_then(Value::as_str) {
        Some(ASSERTION_METHOD) => report.push("proof_purpose", Outcome::Pass, ASSERTION_METHOD),
        other => report.push(
            "proof_purpose",
            Outcome::Fail,
            format!("proofPurpose is {other:?}, expected {ASSERTION_METHOD}"),
        ),
    }

    let Some(method) = proof.get("verificationMethod").and_then(Value::as_str) else {
        report.push(
            "verification_method",
            Outcome::Fail,
            "proof has no verificationMethod string",
        );
        return None;
    };
    let (key, controller) = if let Some(key) = options.trusted_keys.get(method) {
        let controller = method.split_once('#').map_or(method, |(c, _)| c).to_owned();
        (*key, controller)
    } else {
        match DidKey::resolve(method) {
            Ok(did) => (did.public_key, did.did),
            Err(e) => {
                report.push(
                    "verification_method",
                    Outcome::Fail,
                    format!("cannot resolve {method} locally: {e}"),
                );
                return None;
            }
        }
    };
    report.push(
        "verification_method",
        Outcome::Pass,
        format!("resolved {method}"),
    );

    let issuer = match root.get("issuer") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str),
        _ => None,
    };
    match issuer {
        Some(id) if id == controller => report.push(
            "issuer_key",
            Outcome::Pass,
            format!("issuer {id} controls the key"),
        ),
        Some(id) => report.push(
            "issuer_key",
            Outcome::Fail,
            format!(
                "issuer {id} is not the controller {controller} of verificationMethod {method}"
            ),
        ),
        None => report.push("issuer_key", Outcome::Fail, "credential has no issuer id"),
    }
    Some((proof, key))
}

fn check_validity(report: &mut VerificationReport, root: &Map<String, Value>, now: DateTime<Utc>) {
    let date = |key: &str| -> Option<Result<DateTime<Utc>, String>> {
        root.get(key).map(|v| {
            v.as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|d| d.with_timezone(&Utc))
                .ok_or_else(|| format!("{key} is not a valid dateTime"))
        })
    };
    let from = date("validFrom").or_else(|| date("issuanceDate"));
    match from {
        Some(Ok(from)) if from > now => report.push(
            "valid_from",
            Outcome::Fail,
            format!("not valid before {}", from.to_rfc3339()),
        ),
        Some(Ok(from)) => report.push(
            "valid_from",
            Outcome::Pass,
            format!("valid since {}", from.to_rfc3339()),
        ),
        Some(Err(e)) => report.push("valid_from", Outcome::Fail, e),
        None => report.push("valid_from", Outcome::Fail, "no validFrom"),
    }
    match date("validUntil").or_else(|| date("expirationDate")) {
        Some(Ok(until)) if until < now => report.push(
            "valid_until",
            Outcome::Fail,
            format!("expired at {}", until.to_rfc3339()),
        ),
        Some(Ok(until)) => report.push(
            "valid_until",
            Outcome::Pass,
            format!("valid until {}", until.to_rfc3339()),
        ),
        Some(Err(e)) => report.push("valid_until", Outcome::Fail, e),
        None => report.push("valid_until", Outcome::Pass, "no expiry"),
    }
}
