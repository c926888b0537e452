//! Credential parsing, validation, canonicalisation and verification must never panic.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml
#![no_main]

use libfuzzer_sys::fuzz_target;
use openbadges::credential::{OpenBadgeCredential, validate};
use openbadges::verify::{VerifyOptions, verify_json};

fuzz_target!(|data: &[u8]| {
    let _ = OpenBadgeCredential::from_json(data);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = validate(&value);
        let _ = openbadges::default_suite()
            .canonicalizer()
            .canonical_nquads(&value);
    }
    let options = VerifyOptions::at(chrono::DateTime::UNIX_EPOCH);
    let _ = verify_json(data, &options);
});
