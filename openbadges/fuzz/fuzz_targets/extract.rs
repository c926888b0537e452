//! PNG/SVG extraction and baking must never panic, and bake → extract must round-trip into a
//! conformant image (no baking issues).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml
#![no_main]

use libfuzzer_sys::fuzz_target;
use openbadges::bake::{self, Baked, Extracted, Payload};

fuzz_target!(|data: &[u8]| {
    let _ = bake::extract(data);
    let payload = Payload::Json(br#"{"id":"urn:x"}"#.to_vec());
    if let Ok(baked) = bake::bake(data, &payload) {
        let expected = Extracted {
            baked: Baked::V3(payload),
            issues: Vec::new(),
        };
        assert_eq!(bake::extract(&baked).ok(), Some(expected));
    }
});
