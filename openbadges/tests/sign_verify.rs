//! Build → sign → verify round trips, tamper detection, and validity windows.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use chrono::{Duration, TimeZone, Utc};
use openbadges::credential::{
    Achievement, AchievementResult, Alignment, CredentialBuilder, IdentityObject, Profile,
    Recipient, ResultDescription, RubricCriterionLevel, types,
};
use openbadges::keys::KeyPair;
use openbadges::proof::{ProofOptions, default_suite};
use openbadges::verify::{Outcome, VerifyOptions, verify};
use serde_json::{Value, json};

fn key() -> KeyPair {
    KeyPair::from_secret_bytes(&[7u8; 32]).unwrap()
}

fn realistic(key: &KeyPair) -> Value {
    let mut issuer = Profile::new(key.did(), "Example University");
    issuer.url = Some("https://example.edu/issuers/1".into());
    issuer.email = Some("badges@example.edu".into());
    let mut achievement = Achievement::new(
        "https://example.edu/achievements/rust-101",
        "Rust 101",
        "Completed the **Rust 101** course.",
        "Pass all assignments and the final project.",
    );
    achievement.achievement_type = Some("Course".into());
    achievement.credits_available = Some(3.0);
    achievement.tag = Some(vec!["rust".into(), "programming".into()]);
    achievement.alignment = Some(vec![Alignment {
        type_: types(&["Alignment"]),
        target_name: "Systems programming".into(),
        target_url: "https://example.org/frameworks/sp".into(),
        ..Alignment::default()
    }]);
    achievement.result_description = Some(vec![ResultDescription {
        id: "https://example.edu/achievements/rust-101/results/grade".into(),
        type_: types(&["ResultDescription"]),
        name: "Final grade".into(),
        result_type: "RubricCriterionLevel".into(),
        rubric_criterion_level: Some(vec![RubricCriterionLevel {
            id: "https://example.edu/achievements/rust-101/levels/distinction".into(),
            type_: types(&["RubricCriterionLevel"]),
            name: "Distinction".into(),
            points: Some("90".into()),
            ..RubricCriterionLevel::default()
        }]),
        ..ResultDescription::default()
    }]);
    let valid_from = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    CredentialBuilder::new(
        "urn:uuid:0d9b1a7e-8f43-4b7e-9c5b-6a0f3c2b1d11",
        issuer,
        achievement,
        Recipient::hashed_email("Ada@Example.org", "s4lt"),
        valid_from,
    )
    .credits_earned(1.5)
    .result(AchievementResult {
        type_: types(&["Result"]),
        result_description: Some("https://example.edu/achievements/rust-101/results/grade".into()),
        achieved_level: Some("https://example.edu/achievements/rust-101/levels/distinction".into()),
        ..AchievementResult::default()
    })
    .build()
    .unwrap()
    .to_value()
}

fn sign(doc: &Value, key: &KeyPair) -> Value {
    default_suite()
        .sign(
            doc,
            key,
            &ProofOptions::at(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()),
        )
        .unwrap()
}

fn now() -> VerifyOptions {
    VerifyOptions::at(Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap())
}

#[test]
fn signed_credential_verifies() {
    let key = key();
    let signed = sign(&realistic(&key), &key);
    let report = verify(&signed, &now());
    assert!(report.is_valid(), "{report}");
}

#[test]
fn hashed_email_matches() {
    let id = IdentityObject::hashed_email("Ada@Example.org", "s4lt");
    assert!(id.matches("ada@example.org"));
    assert!(!id.matches("bob@example.org"));
}

/// Every leaf of the signed document, changed, must break the signature.
#[test]
fn tampering_with_any_signed_field_fails() {
    let key = key();
    let signed = sign(&realistic(&key), &key);
    let mut paths = Vec::new();
    collect_leaves(&signed, String::new(), &mut paths);
    let mut tried = 0;
    for path in paths
        .iter()
        .filter(|p| !p.starts_with("/proof/proofValue") && !p.starts_with("/@context"))
    {
        let mut doc = signed.clone();
        let Some(leaf) = doc.pointer_mut(path) else {
            continue;
        };
        *leaf = match leaf.clone() {
            Value::String(s) => {
                if s.starts_with("did:key:") || s.contains("://") || s.starts_with("urn:") {
                    Value::String(format!("{s}x"))
                } else {
                    Value::String(format!("{s} (changed)"))
                }
            }
            Value::Number(n) => json!(n.as_f64().unwrap_or(0.0) + 1.0),
            Value::Bool(b) => Value::Bool(!b),
            other => other,
        };
        let report = verify(&doc, &now());
        assert!(!report.is_valid(), "tampering {path} was not detected");
        tried += 1;
    }
    assert!(tried > 30, "only {tried} fields tried");
}

#[test]
fn added_property_fails() {
    let key = key();
    let mut signed = sign(&realistic(&key), &key);
    signed["credentialSubject"]["achievement"]["humanCode"] = json!("R101");
    assert_eq!(
        verify(&signed, &now()).check("signature").unwrap().outcome,
        Outcome::Fail
    );
}

#[test]
fn wrong_key_and_issuer_mismatch_fail() {
    let key = key();
    let other = KeyPair::from_secret_bytes(&[9u8; 32]).unwrap();
    let signed = sign(&realistic(&key), &other);
    let report = verify(&signed, &now());
    assert_eq!(report.check("issuer_key").unwrap().outcome, Outcome::Fail);
    assert_eq!(report.check("signature").unwrap().outcome, Outcome::Pass);
    assert!(!report.is_valid());
}

#[test]
fn validity_window_is_checked() {
    let key = key();
    let signed = sign(&realistic(&key), &key);
    let early = VerifyOptions::at(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap());
    assert_eq!(
        verify(&signed, &early).check("valid_from").unwrap().outcome,
        Outcome::Fail
    );

    let mut doc = realistic(&key);
    doc["validUntil"] = json!((Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap()).to_rfc3339());
    let signed = sign(&doc, &key);
    let report = verify(&signed, &now());
    assert_eq!(report.check("valid_until").unwrap().outcome, Outcome::Fail);
    assert_eq!(report.check("signature").unwrap().outcome, Outcome::Pass);
    let before =
        VerifyOptions::at(Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap() + Duration::days(1));
    assert!(verify(&signed, &before).is_valid());
}

#[test]
fn unknown_context_is_named() {
    let key = key();
    let mut doc = realistic(&key);
    doc["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!("https://example.org/unknown-context.json"));
    let err = default_suite()
        .sign(&doc, &key, &ProofOptions::at(Utc::now()))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("https://example.org/unknown-context.json"),
        "{err}"
    );
}

#[test]
fn undefined_term_is_rejected() {
    // The OB context is @protected and defines no `favouriteColour`; VC 2.0's @vocab only
    // covers terms at the top level, so strict expansion must refuse or map it – never drop it.
    let key = key();
    let mut doc = realistic(&key);
    doc["credentialSubject"]["achievement"]["criteria"]["favouriteColour"] = json!("blue");
    match default_suite().canonicalizer().canonical_nquads(&doc) {
        Err(_) => {}
        Ok(nquads) => assert!(nquads.contains("favouriteColour"), "term silently dropped"),
    }
}

#[test]
fn unsigned_and_garbage_inputs_report_failures() {
    let key = key();
    let report = verify(&realistic(&key), &now());
    assert_eq!(report.check("proof").unwrap().outcome, Outcome::Fail);
    assert!(!verify(&json!([1, 2]), &now()).is_valid());
    let mut signed = sign(&realistic(&key), &key);
    signed["proof"]["proofValue"] = json!("not-base58");
    assert!(!verify(&signed, &now()).is_valid());
}

fn collect_leaves(v: &Value, path: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                collect_leaves(
                    v,
                    format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_leaves(v, format!("{path}/{i}"), out);
            }
        }
        _ => out.push(path),
    }
}
