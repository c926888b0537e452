//! Inputs found by `cargo fuzz` (see docs/fuzzing.md), kept as regression tests.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

#[path = "support/svg_inert.rs"]
mod svg_inert;

use openbadges::bake::{self, Baked, Extracted, Payload};

fn each_input(prefix: &str) -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz_regressions");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(prefix) {
            out.push((name, std::fs::read(&path).unwrap()));
        }
    }
    out
}

#[test]
fn bake_then_extract_round_trips_or_bake_refuses() {
    for (name, input) in each_input("extract-") {
        let _ = bake::extract(&input);
        let payload = Payload::Json(br#"{"id":"urn:x"}"#.to_vec());
        if let Ok(baked) = bake::bake(&input, &payload) {
            let extracted = bake::extract(&baked);
            let expected = Extracted {
                baked: Baked::V3(payload),
                issues: Vec::new(),
            };
            assert_eq!(extracted.ok(), Some(expected), "{name}");
        }
    }
}

#[test]
fn credential_inputs_do_not_panic() {
    use openbadges::verify::{VerifyOptions, verify_json};
    for (_, input) in each_input("parse-") {
        let _ = openbadges::OpenBadgeCredential::from_json(&input);
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&input) {
            let _ = openbadges::validate(&value);
            assert!(
                openbadges::default_suite()
                    .canonicalizer()
                    .canonical_nquads(&value)
                    .is_err()
            );
        }
        assert!(!verify_json(&input, &VerifyOptions::at(chrono::Utc::now())).is_valid());
    }
}

#[test]
fn sanitised_svg_inputs_are_inert() {
    for (name, input) in each_input("svg-") {
        if let Ok(clean) = openbadges::image::sanitize_svg(&input) {
            eprintln!("{name}");
            svg_inert::assert_inert(&clean);
        }
    }
}
