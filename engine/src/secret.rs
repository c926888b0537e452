//! Random bearer secrets (SCIM tokens, client secrets): generated here, shown once, stored as
//! SHA-256. A plain hash suffices because the secrets carry 256 bits of entropy.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// A new secret `<prefix>_<43 base64url chars>`.
pub(crate) fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// SHA-256 of a presented secret.
pub(crate) fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// The first characters, shown in listings.
pub(crate) fn display_prefix(secret: &str) -> String {
    secret.chars().take(12).collect()
}

/// Lower-case hex of `bytes` (salts, key fingerprints).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
