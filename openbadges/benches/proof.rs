//! Sign / verify / canonicalise throughput for a realistic ~2 KB OpenBadgeCredential.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use openbadges::canonical::Canonicalizer;
use openbadges::context::ContextStore;
use openbadges::credential::{
    Achievement, AchievementResult, Alignment, CredentialBuilder, Profile, Recipient,
    ResultDescription, RubricCriterionLevel, types,
};
use openbadges::keys::KeyPair;
use openbadges::proof::{ProofOptions, default_suite};
use openbadges::verify::{VerifyOptions, verify};
use serde_json::Value;
use std::hint::black_box;

/// The same shape as the engine issues: did:key issuer, hashed email, results, alignment.
pub fn realistic(key: &KeyPair) -> Value {
    let mut issuer = Profile::new(key.did(), "Example University");
    issuer.url = Some("https://example.edu/issuers/1".into());
    issuer.email = Some("badges@example.edu".into());
    issuer.description = Some("A university that issues badges.".into());
    let mut achievement = Achievement::new(
        "https://example.edu/achievements/rust-101",
        "Rust 101",
        "Completed the **Rust 101** course, covering ownership, borrowing, traits and async.",
        "Pass all assignments and the final project with at least 70%.",
    );
    achievement.achievement_type = Some("Course".into());
    achievement.credits_available = Some(3.0);
    achievement.tag = Some(vec!["rust".into(), "programming".into()]);
    achievement.image = Some(openbadges::credential::ImageRef::Object(
        openbadges::credential::Image::new(
            "https://example.edu/images/rust-101.png",
            Some("Rust 101 badge".into()),
        ),
    ));
    achievement.alignment = Some(vec![Alignment {
        type_: types(&["Alignment"]),
        target_name: "Systems programming".into(),
        target_url: "https://example.org/frameworks/sp".into(),
        target_framework: Some("Example Framework".into()),
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
    CredentialBuilder::new(
        "urn:uuid:0d9b1a7e-8f43-4b7e-9c5b-6a0f3c2b1d11",
        issuer,
        achievement,
        Recipient::hashed_email("ada@example.org", "s4lt"),
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
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

fn bench(c: &mut Criterion) {
    let key = KeyPair::from_secret_bytes(&[7u8; 32]).unwrap();
    let unsigned = realistic(&key);
    let options = ProofOptions::at(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap());
    let signed = default_suite().sign(&unsigned, &key, &options).unwrap();
    let now = VerifyOptions::at(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
    eprintln!("credential JSON size: {} bytes", signed.to_string().len());

    c.bench_function("sign", |b| {
        b.iter(|| {
            default_suite()
                .sign(black_box(&unsigned), &key, &options)
                .unwrap()
        })
    });
    c.bench_function("verify", |b| b.iter(|| verify(black_box(&signed), &now)));
    let cached = Canonicalizer::new(ContextStore::bundled());
    c.bench_function("canonicalize_cached", |b| {
        b.iter(|| cached.canonical_nquads(black_box(&unsigned)).unwrap())
    });
    let uncached = Canonicalizer::uncached(ContextStore::bundled());
    c.bench_function("canonicalize_uncached", |b| {
        b.iter(|| uncached.canonical_nquads(black_box(&unsigned)).unwrap())
    });
    c.bench_function("ed25519_sign", |b| {
        b.iter(|| key.sign(black_box(&[1u8; 64])))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
