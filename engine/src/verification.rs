//! Verifying a credential as an outside verifier would, check by check: the proof
//! (`openbadges`), the issuer's key (did:key locally; did:web from our own database for our
//! issuers, otherwise the DID document fetched over HTTPS), the status lists (ours from the
//! database, others fetched and their own proofs checked), and the validity dates.
//!
//! Fetching is the caller's ([`Fetch`]): the server gives an HTTPS client with a timeout and
//! a size limit; the engine itself does no network I/O.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use openbadges::verify::{Outcome as ObOutcome, VerifyOptions};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

use crate::cache::Cache;
use crate::public_url::PublicUrls;
use crate::status_list;

/// Fetches JSON documents (DID documents, status lists) for verification.
pub trait Fetch: Send + Sync {
    /// GETs `url` (HTTPS) and parses the body as JSON; the error is a sentence.
    fn fetch_json<'a>(
        &'a self,
        url: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<Value, String>> + Send + 'a>>;
}

/// Fetches nothing: documents that are not ours cannot be checked (offline use).
pub struct Offline;

impl Fetch for Offline {
    fn fetch_json<'a>(
        &'a self,
        url: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<Value, String>> + Send + 'a>> {
        Box::pin(async move { Err(format!("{url} was not fetched (offline)")) })
    }
}

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Passed.
    Pass,
    /// Failed: the credential is not valid.
    Fail,
    /// Could not be checked (e.g. a document could not be fetched).
    Unknown,
    /// Not applicable (e.g. no suspension list).
    Skip,
}

/// One line of the verification panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Stable key: `structure`, `signature`, `issuer`, `revocation`, `suspension`, `expiry`.
    pub key: String,
    /// Outcome.
    pub outcome: Outcome,
    /// What was found, in words.
    pub detail: String,
}

/// The whole verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The checks, in panel order.
    pub checks: Vec<Check>,
    /// Every check passed (or was not applicable).
    pub valid: bool,
    /// The issuer's DID.
    pub issuer_id: Option<String>,
    /// The issuer's name, as the credential says.
    pub issuer_name: Option<String>,
    /// The achievement's name.
    pub achievement_name: Option<String>,
    /// The credential's id.
    pub credential_id: Option<String>,
    /// Advice for credentials of the old system's shape (https issuer, bare did:key).
    pub advice: Option<String>,
}

fn check(key: &str, outcome: Outcome, detail: impl Into<String>) -> Check {
    Check {
        key: key.to_owned(),
        outcome,
        detail: detail.into(),
    }
}

/// `did:web:host%3Aport:a:b` → `https://host:port/a/b/did.json`.
pub fn did_web_url(did: &str) -> Option<String> {
    let rest = did.strip_prefix("did:web:")?;
    let rest = rest.split('#').next()?;
    let mut parts = rest.split(':');
    let host = parts.next()?.replace("%3A", ":").replace("%3a", ":");
    if host.is_empty() || host.contains('/') {
        return None;
    }
    let path: Vec<&str> = parts.collect();
    Some(if path.is_empty() {
        format!("https://{host}/.well-known/did.json")
    } else {
        format!("https://{host}/{}/did.json", path.join("/"))
    })
}

/// Our issuer id when `did` is one of our did:web DIDs.
fn own_did_web(urls: &PublicUrls, did: &str) -> Option<Uuid> {
    let id: Uuid = did.rsplit(':').next()?.parse().ok()?;
    (urls.did_web(id).as_deref() == Some(did)).then_some(id)
}

/// Keys a DID document lists for `assertionMethod`, by verification method id.
fn keys_of(doc: &Value) -> HashMap<String, openbadges::PublicKey> {
    let assertion: Vec<&str> = doc
        .get("assertionMethod")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    doc.get("verificationMethod")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| {
            let id = m.get("id")?.as_str()?;
            let key = m.get("publicKeyMultibase")?.as_str()?;
            (assertion.is_empty() || assertion.contains(&id))
                .then(|| {
                    openbadges::PublicKey::from_multibase(key)
                        .ok()
                        .map(|k| (id.to_owned(), k))
                })
                .flatten()
        })
        .collect()
}

/// The verification method of the credential's proof.
fn verification_method(credential: &Value) -> Option<&str> {
    let proof = credential.get("proof")?;
    let proof = proof.as_array().and_then(|a| a.first()).unwrap_or(proof);
    proof.get("verificationMethod")?.as_str()
}

fn text_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_str()
}

/// Verifies `credential` at time `now`.
pub async fn verify(
    pool: &PgPool,
    cache: &Cache,
    urls: &PublicUrls,
    fetch: &dyn Fetch,
    credential: &Value,
    now: DateTime<Utc>,
) -> Report {
    let mut options = VerifyOptions::at(now);
    let mut key_note = None;
    let vm = verification_method(credential).map(str::to_owned);
    if let Some(vm) = vm.as_deref().filter(|m| m.starts_with("did:web:")) {
        let did = vm.split('#').next().unwrap_or(vm);
        let doc = match own_did_web(urls, did) {
            Some(issuer) => crate::issuer::did_document(pool, cache, issuer)
                .await
                .map_err(|e| e.to_string()),
            None => match did_web_url(did) {
                Some(url) => fetch.fetch_json(&url).await,
                None => Err(format!("`{did}` is not a valid did:web identifier")),
            },
        };
        match doc {
            Ok(doc) => options.trusted_keys.extend(keys_of(&doc)),
            Err(e) => key_note = Some(format!("the DID document could not be read: {e}")),
        }
    }
    let ob = openbadges::verify::verify(credential, &options);
    let get = |name: &str| ob.check(name);
    let mut checks = Vec::new();
    let outcome_of = |names: &[&str]| -> (Outcome, String) {
        let found: Vec<&openbadges::verify::Check> = names.iter().filter_map(|n| get(n)).collect();
        if let Some(f) = found.iter().find(|c| c.outcome == ObOutcome::Fail) {
            (Outcome::Fail, f.reason.clone())
        } else if found.is_empty() || found.iter().any(|c| c.outcome == ObOutcome::Skipped) {
            (
                Outcome::Unknown,
                found
                    .first()
                    .map(|c| c.reason.clone())
                    .unwrap_or_else(|| "not checked".into()),
            )
        } else {
            (
                Outcome::Pass,
                found.last().map(|c| c.reason.clone()).unwrap_or_default(),
            )
        }
    };
    let (o, d) = outcome_of(&["json", "structure"]);
    checks.push(check(
        "structure",
        o,
        if o == Outcome::Pass {
            "a well-formed Open Badges 3.0 credential".into()
        } else {
            d
        },
    ));
    let (o, d) = outcome_of(&["proof", "proof_purpose", "signature"]);
    checks.push(check(
        "signature",
        o,
        if o == Outcome::Pass {
            "the issuer's signature is intact: nothing was changed".into()
        } else {
            d
        },
    ));
    let (mut o, mut d) = outcome_of(&["verification_method", "issuer_key"]);
    if o != Outcome::Pass
        && let Some(note) = key_note
    {
        (o, d) = (Outcome::Unknown, note);
    }
    checks.push(check(
        "issuer",
        o,
        if o == Outcome::Pass {
            format!(
                "signed with a key of the issuer ({})",
                key_label(vm.as_deref().unwrap_or(""))
            )
        } else {
            d
        },
    ));
    // Status lists.
    let refs = openbadges::status_list::references(credential).unwrap_or_default();
    for (key, purpose, words) in [
        ("revocation", "revocation", "revoked"),
        ("suspension", "suspension", "suspended"),
    ] {
        let Some(r) = refs.iter().find(|r| r.purpose == purpose) else {
            checks.push(check(
                key,
                Outcome::Skip,
                format!("the credential cannot be {words} (no {purpose} list)"),
            ));
            continue;
        };
        let set = status_bit(pool, cache, urls, fetch, credential, &r.list_url, now).await;
        checks.push(match set {
            Ok(false) => check(
                key,
                Outcome::Pass,
                format!(
                    "not {words} (status list checked {})",
                    now.format("%Y-%m-%d %H:%M UTC")
                ),
            ),
            Ok(true) => check(
                key,
                Outcome::Fail,
                format!("the issuer has {words} this credential"),
            ),
            Err(e) => check(
                key,
                Outcome::Unknown,
                format!("the status list could not be checked: {e}"),
            ),
        });
    }
    let (o, d) = outcome_of(&["valid_from", "valid_until"]);
    checks.push(check("expiry", o, d));
    let valid = checks
        .iter()
        .all(|c| matches!(c.outcome, Outcome::Pass | Outcome::Skip));
    let issuer_id = text_at(credential, &["issuer", "id"])
        .or_else(|| text_at(credential, &["issuer"]))
        .map(str::to_owned);
    let advice = match (&issuer_id, vm.as_deref()) {
        (Some(iss), Some(m)) if iss.starts_with("http") && m.starts_with("did:key:") && !m.contains('#') => Some(
            "This credential comes from the earlier system: its issuer is a web address while it is signed with a did:key, \
             and its verification method has no #fragment. The signature itself can be intact, but strict verifiers refuse \
             the pair. An administrator can re-issue it under the issuer's DID."
                .to_owned(),
        ),
        _ => None,
    };
    Report {
        checks,
        valid,
        issuer_id,
        issuer_name: text_at(credential, &["issuer", "name"]).map(str::to_owned),
        achievement_name: text_at(credential, &["credentialSubject", "achievement", "name"])
            .map(str::to_owned),
        credential_id: text_at(credential, &["id"]).map(str::to_owned),
        advice,
    }
}

/// Whether the credential's bit is set in the list at `list_url`.
async fn status_bit(
    pool: &PgPool,
    cache: &Cache,
    urls: &PublicUrls,
    fetch: &dyn Fetch,
    credential: &Value,
    list_url: &str,
    now: DateTime<Utc>,
) -> Result<bool, String> {
    let own = list_url
        .strip_prefix(&format!("{}/status-lists/", urls.base()))
        .and_then(|id| id.parse::<Uuid>().ok());
    if let Some(id) = own {
        let list = status_list::get_cached(pool, cache, id)
            .await
            .map_err(|e| e.to_string())?;
        let index = openbadges::status_list::references(credential)
            .map_err(|e| e.to_string())?
            .into_iter()
            .find(|r| r.list_url == list_url)
            .map(|r| r.index)
            .ok_or("no entry for this list")?;
        return Ok(list.is_set(i32::try_from(index).map_err(|e| e.to_string())?));
    }
    if !list_url.starts_with("https://") {
        return Err(format!("{list_url} is not an https address"));
    }
    let list = fetch.fetch_json(list_url).await?;
    let report = openbadges::verify::verify(
        &list,
        &VerifyOptions {
            validate_structure: false,
            ..VerifyOptions::at(now)
        },
    );
    if !report.is_valid() {
        return Err("the status list's own signature does not verify".into());
    }
    openbadges::status_list::is_set(credential, &list).map_err(|e| e.to_string())
}

/// A verification method as people read it: a did:key names its key twice
/// (`did:key:z…#z…`), so the fragment is left off there.
fn key_label(vm: &str) -> &str {
    match vm.split_once('#') {
        Some((did, fragment)) if did.strip_prefix("did:key:") == Some(fragment) => did,
        _ => vm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_web_urls() {
        assert_eq!(
            did_web_url("did:web:example.org%3A3000:issuers:1#key").as_deref(),
            Some("https://example.org:3000/issuers/1/did.json")
        );
        assert_eq!(
            did_web_url("did:web:example.org").as_deref(),
            Some("https://example.org/.well-known/did.json")
        );
        assert_eq!(did_web_url("did:key:z6Mk"), None);
    }

    #[test]
    fn key_labels() {
        assert_eq!(key_label("did:key:z6MkA#z6MkA"), "did:key:z6MkA");
        assert_eq!(
            key_label("did:web:example.org:issuers:1#key-2"),
            "did:web:example.org:issuers:1#key-2"
        );
    }
}

/// A shareable handle on the deployment's [`Fetch`] (put into request contexts).
#[derive(Clone)]
pub struct Fetcher(pub std::sync::Arc<dyn Fetch>);

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fetcher")
    }
}

/// Largest file the verify page reads.
pub const MAX_UPLOAD_BYTES: usize = 16 << 20;
/// Deepest JSON accepted (serde_json's own limit is 128 levels; refuse earlier with words).
pub const MAX_JSON_DEPTH: usize = 64;

/// What the verify page found in an upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadReport {
    /// `json`, `png`, `svg` or `unknown`.
    pub kind: String,
    /// The file name, if one was uploaded.
    pub file_name: Option<String>,
    /// The verification, when a credential was found.
    pub report: Option<Report>,
    /// Why nothing could be verified, in words.
    pub problem: Option<String>,
    /// Baking rules the image breaks.
    pub baking: Vec<String>,
}

/// How deeply `bytes` (JSON) nests, without parsing it (strings are skipped).
fn json_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max, mut in_str, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn problem(kind: &str, file_name: Option<String>, message: impl Into<String>) -> UploadReport {
    UploadReport {
        kind: kind.to_owned(),
        file_name,
        report: None,
        problem: Some(message.into()),
        baking: Vec::new(),
    }
}

/// The report for an upload refused before it was read because the request was over
/// `limit_bytes` (the HTTP layer's limit, larger than [`MAX_UPLOAD_BYTES`]).
pub fn upload_too_large(limit_bytes: usize) -> UploadReport {
    problem(
        "unknown",
        None,
        format!(
            "The upload is larger than {} MB, so it was not read. The verify page reads files of up to {} MB.",
            limit_bytes >> 20,
            MAX_UPLOAD_BYTES >> 20
        ),
    )
}

/// Verifies an upload (a baked PNG/SVG, or credential JSON) the way the verify page needs:
/// every outcome is a report with words, never an error.
pub async fn verify_upload(
    pool: &PgPool,
    cache: &Cache,
    urls: &PublicUrls,
    fetch: &dyn Fetch,
    file_name: Option<String>,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> UploadReport {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return problem(
            "unknown",
            file_name,
            format!(
                "The file is {:.1} MB; the verify page reads files of up to {} MB.",
                bytes.len() as f64 / 1_048_576.0,
                MAX_UPLOAD_BYTES >> 20
            ),
        );
    }
    let trimmed = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &bytes[i..]);
    if trimmed.is_empty() {
        return problem(
            "unknown",
            file_name,
            "The file is empty. Choose a badge image or paste the credential.",
        );
    }
    let (kind, json, baking): (&str, Vec<u8>, Vec<String>) = if trimmed.starts_with(b"{")
        || trimmed.starts_with(b"[")
    {
        ("json", trimmed.to_vec(), Vec::new())
    } else {
        let kind = match openbadges::bake::ImageFormat::detect(bytes) {
            Some(openbadges::bake::ImageFormat::Png) => "png",
            Some(openbadges::bake::ImageFormat::Svg) => "svg",
            None => {
                return problem(
                    "unknown",
                    file_name,
                    "This is neither a PNG or SVG badge image nor credential JSON. Upload the image you downloaded, or paste the credential.",
                );
            }
        };
        match openbadges::bake::extract(bytes) {
            Ok(found) => {
                let baking: Vec<String> = found.issues.iter().map(ToString::to_string).collect();
                match found.baked {
                    openbadges::bake::Baked::V3(openbadges::Payload::Json(j)) => (kind, j, baking),
                    openbadges::bake::Baked::V3(openbadges::Payload::Jws(_)) => {
                        return UploadReport {
                            baking,
                            ..problem(
                                kind,
                                file_name,
                                "The image carries a credential as a JWT (VC-JWT). This page verifies Data Integrity proofs (eddsa-rdfc-2022); use a VC-JWT verifier for this one.",
                            )
                        };
                    }
                    openbadges::bake::Baked::V2(_) => {
                        return problem(
                            kind,
                            file_name,
                            "This image carries an Open Badges 2.0 assertion, not an Open Badges 3.0 credential. 2.0 badges are verified by fetching the assertion from its issuer's site; ask the issuer for a 3.0 credential.",
                        );
                    }
                }
            }
            Err(openbadges::bake::BakeError::NotBaked) => {
                return problem(
                    kind,
                    file_name,
                    "This image has no credential baked into it. Download the badge again from its credential page (the PNG or SVG there carries the credential).",
                );
            }
            Err(e) => {
                return problem(
                    kind,
                    file_name,
                    format!("The image could not be read: {e}."),
                );
            }
        }
    };
    if json_depth(&json) > MAX_JSON_DEPTH {
        return problem(
            kind,
            file_name,
            format!(
                "The JSON is nested more than {MAX_JSON_DEPTH} levels deep; a credential never is."
            ),
        );
    }
    let value: Value = match serde_json::from_slice(&json) {
        Ok(v) => v,
        Err(e) => {
            return problem(
                kind,
                file_name,
                format!("The credential is not valid JSON: {e}."),
            );
        }
    };
    if !value.is_object() {
        return problem(
            kind,
            file_name,
            "The JSON is not a credential (it is not an object).",
        );
    }
    let report = verify(pool, cache, urls, fetch, &value, now).await;
    UploadReport {
        kind: kind.to_owned(),
        file_name,
        report: Some(report),
        problem: None,
        baking,
    }
}

/// Keeps a report for an hour and returns its id.
pub async fn store_report(pool: &PgPool, report: &UploadReport) -> crate::Result<Uuid> {
    let id = Uuid::new_v4();
    let value = serde_json::to_value(report).map_err(crate::Error::internal)?;
    sqlx::query!(
        "insert into verification_reports (id, report) values ($1, $2)",
        id,
        value
    )
    .execute(pool)
    .await?;
    Ok(id)
}

/// A kept report (reports older than an hour are gone).
pub async fn stored_report(pool: &PgPool, id: Uuid) -> crate::Result<UploadReport> {
    let row = sqlx::query_scalar!(
        "select report from verification_reports where id = $1 and created_at > now() - interval '1 hour'",
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(crate::Error::NotFound { entity: "verification report" })?;
    serde_json::from_value(row).map_err(crate::Error::internal)
}

/// Deletes reports older than an hour (the worker calls this now and then).
pub async fn purge_reports(pool: &PgPool) -> crate::Result<u64> {
    Ok(sqlx::query!(
        "delete from verification_reports where created_at < now() - interval '1 hour'"
    )
    .execute(pool)
    .await?
    .rows_affected())
}
