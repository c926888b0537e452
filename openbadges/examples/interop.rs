//! Driver for `interop/run.sh`: generates credentials signed by this crate for Digital Bazaar's
//! verifier, and verifies the ones it signed.
//!
//! `cargo run -p openbadges --example interop -- generate DIR` then, after `node interop.mjs DIR`,
//! `cargo run -p openbadges --example interop -- verify DIR`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

#[path = "../interop/fixtures.rs"]
mod fixtures;

use std::path::Path;
use std::process::ExitCode;

use chrono::{TimeZone, Utc};
use openbadges::context::BUNDLED;
use openbadges::keys::KeyPair;
use openbadges::proof::{ProofOptions, default_suite};
use openbadges::status_list::{self, StatusList, StatusPurpose};
use openbadges::verify::{VerifyOptions, verify};
use serde_json::{Value, json};

/// How many varied credentials are canonicalised and compared with jsonld.js.
const NQUADS_CASES: u64 = 300;
/// How many varied credentials are signed by each side.
const SIGNED_CASES: u64 = 40;

fn write(path: &Path, value: &Value) -> std::io::Result<()> {
    std::fs::write(path, serde_json::to_vec_pretty(value)?)
}

fn generate(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    for sub in ["rust-signed", "unsigned", "nquads", "js-signed"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    let contexts: serde_json::Map<String, Value> = BUNDLED
        .iter()
        .map(|(url, text)| Ok(((*url).to_owned(), serde_json::from_str(text)?)))
        .collect::<Result<_, serde_json::Error>>()?;
    write(&dir.join("contexts.json"), &Value::Object(contexts))?;

    let rust_key = KeyPair::from_secret_bytes(&[11u8; 32])?;
    let js_key = KeyPair::from_secret_bytes(&[22u8; 32])?;
    write(
        &dir.join("js-key.json"),
        &json!({
            "id": js_key.verification_method(),
            "controller": js_key.did(),
            "publicKeyMultibase": js_key.public_key().multibase(),
            "secretKeyMultibase": js_key.secret_multibase().as_str(),
        }),
    )?;
    let created = ProofOptions::at(Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap());
    let suite = default_suite();

    // (a) Credentials we sign, for Digital Bazaar to verify.
    let list_url = "https://badges.example.edu/status/1";
    let mut list = StatusList::new(status_list::MIN_ENTRIES)?;
    list.set(7, true)?;
    let list_cred = status_list::list_credential(
        list_url,
        &rust_key.did(),
        StatusPurpose::Revocation,
        &list,
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
    );
    let signed_list = suite.sign(&list_cred, &rust_key, &created)?;
    write(&dir.join("rust-signed/ok-status-list.json"), &signed_list)?;
    write(&dir.join("status-list.json"), &signed_list)?;
    for seed in 0..SIGNED_CASES {
        let doc = fixtures::credential(seed, &rust_key.did());
        let signed = suite.sign(&doc, &rust_key, &created)?;
        write(&dir.join(format!("rust-signed/ok-{seed:03}.json")), &signed)?;
    }
    // A hashed-email credential with typed numbers and a status entry, spelled out.
    let mut special = fixtures::credential(1, &rust_key.did());
    special["credentialSubject"]["identifier"] =
        serde_json::to_value(vec![openbadges::credential::IdentityObject::hashed_email(
            "ada@example.org",
            "pepper",
        )])?;
    special["credentialSubject"]["achievement"]["creditsAvailable"] = json!(2.5);
    special["credentialSubject"]["creditsEarned"] = json!(3);
    let mut revoked = special.clone();
    special["credentialStatus"] =
        serde_json::to_value(status_list::entry(list_url, 3, StatusPurpose::Revocation))?;
    revoked["credentialStatus"] =
        serde_json::to_value(status_list::entry(list_url, 7, StatusPurpose::Revocation))?;
    write(
        &dir.join("rust-signed/ok-hashed-email-status.json"),
        &suite.sign(&special, &rust_key, &created)?,
    )?;
    write(
        &dir.join("rust-signed/bad-revoked.json"),
        &suite.sign(&revoked, &rust_key, &created)?,
    )?;
    // Tampered copies must be rejected.
    let mut tampered = suite.sign(
        &fixtures::credential(2, &rust_key.did()),
        &rust_key,
        &created,
    )?;
    tampered["credentialSubject"]["achievement"]["name"] = json!("Forged");
    write(&dir.join("rust-signed/bad-tampered.json"), &tampered)?;
    let mut wrong_issuer =
        suite.sign(&fixtures::credential(3, &js_key.did()), &rust_key, &created)?;
    wrong_issuer["name"] = wrong_issuer["name"].clone();
    write(
        &dir.join("rust-signed/bad-issuer-not-controller.json"),
        &wrong_issuer,
    )?;

    // (b) Credentials for Digital Bazaar to sign and us to verify.
    for seed in 100..100 + SIGNED_CASES {
        write(
            &dir.join(format!("unsigned/{seed:03}.json")),
            &fixtures::credential(seed, &js_key.did()),
        )?;
    }

    // (c) Canonical N-Quads to compare with jsonld.js.
    for seed in 1000..1000 + NQUADS_CASES {
        let doc = fixtures::credential(seed, &rust_key.did());
        let nquads = suite.canonicalizer().canonical_nquads(&doc)?;
        write(&dir.join(format!("nquads/{seed}.json")), &doc)?;
        std::fs::write(dir.join(format!("nquads/{seed}.nq")), nquads)?;
    }
    println!("generated interop fixtures in {}", dir.display());
    Ok(())
}

fn verify_js(dir: &Path) -> Result<(u32, u32), Box<dyn std::error::Error>> {
    let options = VerifyOptions::at(Utc::now());
    let (mut passed, mut failed) = (0, 0);
    let mut names: Vec<_> = std::fs::read_dir(dir.join("js-signed"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    names.sort();
    for path in names {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let doc: Value = serde_json::from_slice(&std::fs::read(&path)?)?;
        let report = verify(&doc, &options);
        let expected = !name.starts_with("bad-");
        if report.is_valid() == expected {
            passed += 1;
        } else {
            failed += 1;
            eprintln!("rust verify {name}: expected valid={expected}\n{report}");
        }
    }
    Ok((passed, failed))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(cmd), Some(dir)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: interop generate|verify DIR");
        return ExitCode::from(2);
    };
    let dir = Path::new(dir);
    match cmd.as_str() {
        "generate" => match generate(dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("generate failed: {e}");
                ExitCode::FAILURE
            }
        },
        "verify" => match verify_js(dir) {
            Ok((passed, failed)) => {
                println!("rust-verifies-js: {passed} passed, {failed} failed");
                let _ = std::fs::write(
                    dir.join("rust-results.json"),
                    json!({"passed": passed, "failed": failed}).to_string(),
                );
                if failed == 0 {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("verify failed: {e}");
                ExitCode::FAILURE
            }
        },
        _ => ExitCode::from(2),
    }
}
