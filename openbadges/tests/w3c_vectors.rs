//! Byte-for-byte reproduction of the published eddsa-rdfc-2022 test vectors (W3C VC Data
//! Integrity EdDSA Cryptosuites v1.0, `TestVectors/eddsa-rdfc-2022`) and of the Open Badges 3.0
//! implementation guide's Linked Data Proof test vector.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use chrono::{DateTime, Utc};
use openbadges::context::ContextStore;
use openbadges::keys::{KeyPair, PublicKey};
use openbadges::proof::{Eddsa2022, ProofOptions};
use serde_json::Value;

/// The published text of `https://www.w3.org/ns/credentials/examples/v2` (test-only context).
const EXAMPLES_V2: &str =
    r#"{"@context":{"@vocab":"https://www.w3.org/ns/credentials/examples#"}}"#;

fn vector(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/vectors/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn json(path: &str) -> Value {
    serde_json::from_str(&vector(path)).unwrap()
}

fn suite() -> Eddsa2022 {
    let mut store = ContextStore::bundled();
    store
        .insert("https://www.w3.org/ns/credentials/examples/v2", EXAMPLES_V2)
        .unwrap();
    Eddsa2022::with_contexts(store)
}

fn created(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn w3c_eddsa_rdfc_2022_vector_reproduces() {
    let suite = suite();
    let keys = json("w3c/keyPair.json");
    let key =
        KeyPair::from_secret_multibase(keys["privateKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(
        key.public_key().multibase(),
        keys["publicKeyMultibase"].as_str().unwrap()
    );
    let unsigned = json("w3c/unsigned.json");
    let config = json("w3c/proofConfigDataInt.json");
    let mut proof = config.as_object().unwrap().clone();
    proof.remove("@context");
    let t = suite
        .transcript(&unsigned, &proof, &unsigned["@context"])
        .unwrap();
    assert_eq!(t.document_nquads, vector("w3c/canonDocDataInt.txt"));
    assert_eq!(t.proof_nquads, vector("w3c/proofCanonDataInt.txt"));
    assert_eq!(
        hex::encode(t.document_hash),
        vector("w3c/docHashDataInt.txt").trim()
    );
    assert_eq!(
        hex::encode(t.proof_hash),
        vector("w3c/proofHashDataInt.txt").trim()
    );
    assert_eq!(
        hex::encode(t.signing_input()),
        vector("w3c/combinedHashDataInt.txt").trim()
    );
    let signature = key.sign(&t.signing_input());
    assert_eq!(
        hex::encode(signature),
        vector("w3c/sigHexDataInt.txt").trim()
    );

    let signed = suite
        .sign(
            &unsigned,
            &key,
            &ProofOptions::at(created(config["created"].as_str().unwrap())),
        )
        .unwrap();
    let expected = json("w3c/signedDataInt.json");
    assert_eq!(signed, expected);
    assert_eq!(
        signed["proof"]["proofValue"].as_str().unwrap(),
        vector("w3c/sigBTC58DataInt.txt").trim()
    );
    assert!(
        suite
            .check_signature(
                &expected,
                expected["proof"].as_object().unwrap(),
                &key.public_key()
            )
            .unwrap()
    );
}

#[test]
fn open_badges_implementation_guide_vector_reproduces() {
    let suite = suite();
    let secret = hex::decode("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be44bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5").unwrap();
    let key = KeyPair::from_secret_bytes(&secret).unwrap();
    assert_eq!(
        key.public_key().multibase(),
        "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    );
    let signed = json("ob/signed.json");
    let mut unsigned = signed.as_object().unwrap().clone();
    let proof = unsigned.remove("proof").unwrap();
    let unsigned = Value::Object(unsigned);
    let t = suite
        .transcript(&unsigned, proof.as_object().unwrap(), &unsigned["@context"])
        .unwrap();
    assert_eq!(t.document_nquads, vector("ob/document-canon.txt"));
    assert_eq!(t.proof_nquads, vector("ob/proof-canon.txt"));
    assert_eq!(
        hex::encode(t.document_hash),
        "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"
    );
    assert_eq!(
        hex::encode(t.proof_hash),
        "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19"
    );
    let resigned = suite
        .sign(
            &unsigned,
            &key,
            &ProofOptions {
                created: created("2010-01-01T19:23:24Z"),
                verification_method: Some(proof["verificationMethod"].as_str().unwrap().to_owned()),
            },
        )
        .unwrap();
    assert_eq!(resigned["proof"]["proofValue"], proof["proofValue"]);
    let public = PublicKey::from_bytes(
        &hex::decode("4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5").unwrap(),
    )
    .unwrap();
    assert!(
        suite
            .check_signature(&signed, proof.as_object().unwrap(), &public)
            .unwrap()
    );
}
