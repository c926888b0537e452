//! W3C Bitstring Status List v1.0: the compressed bitstring, the `BitstringStatusListEntry` a
//! credential carries, and the unsigned `BitstringStatusListCredential` the engine signs and
//! serves. Bit 0 is the most significant bit of the first byte, as the spec requires.

use std::io::{Read, Write};

use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use thiserror::Error;

use crate::context::CREDENTIALS_V2;
use crate::credential::CredentialStatus;

/// The spec's minimum list length (16 KiB of bits), for herd privacy.
pub const MIN_ENTRIES: usize = 131_072;
/// Largest decoded list accepted (16 MiB of bits ≈ 134 million entries): bounds decompression.
pub const MAX_DECODED_BYTES: usize = 16 << 20;

/// Why a status list operation failed.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum StatusListError {
    /// Fewer than [`MIN_ENTRIES`] entries, or not a multiple of 8.
    #[error("a status list needs at least {MIN_ENTRIES} entries and a multiple of 8, got {len}")]
    InvalidLength {
        /// The requested length.
        len: usize,
    },
    /// Index past the end of the list.
    #[error("status index {index} is outside the list of {len} entries")]
    IndexOutOfRange {
        /// The index.
        index: usize,
        /// The list length.
        len: usize,
    },
    /// `encodedList` is not multibase base64url GZIP data.
    #[error("invalid encodedList: {reason}")]
    InvalidEncoding {
        /// What is wrong.
        reason: String,
    },
    /// A status entry or list credential has the wrong shape.
    #[error("invalid status document at {path}: {reason}")]
    Invalid {
        /// JSON path.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// Why a status is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusPurpose {
    /// Permanently revoked.
    Revocation,
    /// Temporarily suspended.
    Suspension,
}

impl StatusPurpose {
    /// The `statusPurpose` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Revocation => "revocation",
            Self::Suspension => "suspension",
        }
    }
}

/// A bitstring of statuses (1 bit per credential).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusList {
    bytes: Vec<u8>,
}

impl StatusList {
    /// An all-clear list of `len` entries (≥ [`MIN_ENTRIES`], multiple of 8).
    pub fn new(len: usize) -> Result<Self, StatusListError> {
        if len < MIN_ENTRIES || !len.is_multiple_of(8) || len / 8 > MAX_DECODED_BYTES {
            return Err(StatusListError::InvalidLength { len });
        }
        Ok(Self {
            bytes: vec![0; len / 8],
        })
    }

    /// A list of `len` entries from its raw bitstring (bit 0 = most significant bit of
    /// byte 0), as a store keeps it; `len` must match the bytes.
    pub fn from_bytes(bytes: Vec<u8>, len: usize) -> Result<Self, StatusListError> {
        if len < MIN_ENTRIES
            || !len.is_multiple_of(8)
            || len / 8 > MAX_DECODED_BYTES
            || bytes.len() != len / 8
        {
            return Err(StatusListError::InvalidLength { len });
        }
        Ok(Self { bytes })
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    /// Whether the list has no entries (never true for a valid list).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn locate(&self, index: usize) -> Result<(usize, u8), StatusListError> {
        if index >= self.len() {
            return Err(StatusListError::IndexOutOfRange {
                index,
                len: self.len(),
            });
        }
        Ok((index / 8, 0x80 >> (index % 8)))
    }

    /// The status bit at `index`.
    pub fn get(&self, index: usize) -> Result<bool, StatusListError> {
        let (byte, mask) = self.locate(index)?;
        Ok(self.bytes.get(byte).is_some_and(|b| b & mask != 0))
    }

    /// Sets or clears the status bit at `index`.
    pub fn set(&mut self, index: usize, value: bool) -> Result<(), StatusListError> {
        let (byte, mask) = self.locate(index)?;
        if let Some(b) = self.bytes.get_mut(byte) {
            if value {
                *b |= mask;
            } else {
                *b &= !mask;
            }
        }
        Ok(())
    }

    /// The raw bitstring bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// `encodedList`: multibase base64url (no padding, prefix `u`) of the GZIP-compressed bits.
    pub fn encode(&self) -> String {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing into a Vec cannot fail.
        let _ = gz.write_all(&self.bytes);
        let compressed = gz.finish().unwrap_or_default();
        format!(
            "u{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed)
        )
    }

    /// Decodes an `encodedList`, refusing lists over [`MAX_DECODED_BYTES`] or under the minimum.
    pub fn decode(encoded: &str) -> Result<Self, StatusListError> {
        let invalid = |reason: String| StatusListError::InvalidEncoding { reason };
        let body = encoded
            .strip_prefix('u')
            .ok_or_else(|| invalid("must be multibase base64url (start with 'u')".into()))?;
        // Some issuers pad; the spec says no padding, so accept both when reading.
        let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body.trim_end_matches('='))
            .map_err(|e| invalid(e.to_string()))?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(compressed.as_slice())
            .take(MAX_DECODED_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| invalid(format!("not GZIP: {e}")))?;
        if bytes.len() > MAX_DECODED_BYTES {
            return Err(invalid(format!(
                "decompresses to more than {MAX_DECODED_BYTES} bytes"
            )));
        }
        if bytes.len() * 8 < MIN_ENTRIES {
            return Err(StatusListError::InvalidLength {
                len: bytes.len() * 8,
            });
        }
        Ok(Self { bytes })
    }
}

/// The `credentialStatus` entry pointing at `index` in the list credential at `list_url`.
pub fn entry(list_url: &str, index: usize, purpose: StatusPurpose) -> CredentialStatus {
    let mut extra = Map::new();
    extra.insert("statusPurpose".into(), purpose.as_str().into());
    // The spec types statusListIndex as a string holding a decimal integer.
    extra.insert("statusListIndex".into(), index.to_string().into());
    extra.insert("statusListCredential".into(), list_url.into());
    CredentialStatus {
        id: Some(format!("{list_url}#{index}")),
        type_: "BitstringStatusListEntry".into(),
        extra,
    }
}

/// The unsigned `BitstringStatusListCredential` for `list`, to be signed by the issuer
/// (`issuer_id` must be the DID of the signing key) and served at `list_url`.
pub fn list_credential(
    list_url: &str,
    issuer_id: &str,
    purpose: StatusPurpose,
    list: &StatusList,
    valid_from: DateTime<Utc>,
) -> Value {
    json!({
        "@context": [CREDENTIALS_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": crate::credential::timestamp(valid_from),
        "credentialSubject": {
            "id": format!("{list_url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose.as_str(),
            "encodedList": list.encode(),
        }
    })
}

/// One `BitstringStatusListEntry` of a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusReference {
    /// `statusListCredential`: where the list credential is served.
    pub list_url: String,
    /// `statusListIndex`.
    pub index: usize,
    /// `statusPurpose` as written (`revocation`, `suspension`, …).
    pub purpose: String,
}

/// The credential's `BitstringStatusListEntry` entries (`credentialStatus` may be one object
/// or an array); other status types are skipped, malformed entries are errors.
pub fn references(credential: &Value) -> Result<Vec<StatusReference>, StatusListError> {
    let invalid = |path: String, reason: &str| StatusListError::Invalid {
        path,
        reason: reason.into(),
    };
    let entries: Vec<(String, &Value)> = match credential.get("credentialStatus") {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("$.credentialStatus[{i}]"), v))
            .collect(),
        Some(v) => vec![("$.credentialStatus".to_owned(), v)],
    };
    let mut out = Vec::new();
    for (path, status) in entries {
        if status.get("type").and_then(Value::as_str) != Some("BitstringStatusListEntry") {
            continue;
        }
        let index: usize = match status.get("statusListIndex") {
            Some(Value::String(s)) => s.parse().ok(),
            Some(Value::Number(n)) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
            _ => None,
        }
        .ok_or_else(|| {
            invalid(
                format!("{path}.statusListIndex"),
                "must be a non-negative integer string",
            )
        })?;
        let list_url = status
            .get("statusListCredential")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(format!("{path}.statusListCredential"), "is missing"))?;
        let purpose = status
            .get("statusPurpose")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(format!("{path}.statusPurpose"), "is missing"))?;
        out.push(StatusReference {
            list_url: list_url.to_owned(),
            index,
            purpose: purpose.to_owned(),
        });
    }
    Ok(out)
}

/// Looks up a credential's status in an already fetched (and separately verified) list
/// credential: the credential's entry that points at this list decides. Returns `true` when
/// the status bit is set (revoked / suspended).
pub fn is_set(credential: &Value, list_credential: &Value) -> Result<bool, StatusListError> {
    let invalid = |path: &str, reason: &str| StatusListError::Invalid {
        path: path.into(),
        reason: reason.into(),
    };
    let list_id = list_credential.get("id").and_then(Value::as_str);
    let refs = references(credential)?;
    if refs.is_empty() {
        return Err(invalid("$.credentialStatus", "is missing"));
    }
    let reference = refs
        .iter()
        .find(|r| Some(r.list_url.as_str()) == list_id)
        .ok_or_else(|| {
            invalid(
                "$.credentialStatus.statusListCredential",
                "does not match the list credential's id",
            )
        })?;
    let subject = list_credential
        .get("credentialSubject")
        .ok_or_else(|| invalid("$.credentialSubject", "is missing in the list credential"))?;
    if subject.get("statusPurpose").and_then(Value::as_str) != Some(reference.purpose.as_str()) {
        return Err(invalid(
            "$.credentialStatus.statusPurpose",
            "differs from the list's statusPurpose",
        ));
    }
    let encoded = subject
        .get("encodedList")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("$.credentialSubject.encodedList", "is missing"))?;
    StatusList::decode(encoded)?.get(reference.index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_encode_decode() {
        let mut list = StatusList::new(MIN_ENTRIES).unwrap();
        list.set(0, true).unwrap();
        list.set(94_567, true).unwrap();
        list.set(MIN_ENTRIES - 1, true).unwrap();
        assert_eq!(list.as_bytes()[0], 0x80);
        let decoded = StatusList::decode(&list.encode()).unwrap();
        assert_eq!(decoded, list);
        assert!(decoded.get(94_567).unwrap());
        assert!(!decoded.get(94_568).unwrap());
        assert!(decoded.get(MIN_ENTRIES).is_err());
        assert!(StatusList::new(8).is_err());
    }

    #[test]
    fn spec_example_empty_list_decodes() {
        // The empty 16 KiB list from the Bitstring Status List v1.0 examples.
        let list = StatusList::decode(
            "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA",
        )
        .unwrap();
        assert_eq!(list.len(), MIN_ENTRIES);
        assert!((0..MIN_ENTRIES).all(|i| !list.get(i).unwrap()));
    }

    #[test]
    fn bombs_and_garbage_are_rejected() {
        let big = vec![0u8; MAX_DECODED_BYTES + 1];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&big).unwrap();
        let bomb = format!(
            "u{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(gz.finish().unwrap())
        );
        assert!(StatusList::decode(&bomb).is_err());
        assert!(StatusList::decode("zabc").is_err());
        assert!(StatusList::decode("u!!!").is_err());
        assert!(StatusList::decode("uAAAA").is_err());
    }

    #[test]
    fn entry_and_list_credential_agree() {
        let url = "https://badges.example.edu/status/1";
        let mut list = StatusList::new(MIN_ENTRIES).unwrap();
        list.set(42, true).unwrap();
        let cred = list_credential(
            url,
            "did:key:z6Mkabc",
            StatusPurpose::Revocation,
            &list,
            Utc::now(),
        );
        let status = serde_json::to_value(entry(url, 42, StatusPurpose::Revocation)).unwrap();
        let credential = json!({ "credentialStatus": status });
        assert!(is_set(&credential, &cred).unwrap());
        let other = json!({ "credentialStatus": serde_json::to_value(entry(url, 43, StatusPurpose::Revocation)).unwrap() });
        assert!(!is_set(&other, &cred).unwrap());
    }
}
