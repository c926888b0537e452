//! The memoised fast path must produce exactly the N-Quads of the full `json-ld` pipeline.
//! (The interop suite additionally compares both with jsonld.js.)
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

#[path = "../interop/fixtures.rs"]
mod fixtures;

use openbadges::canonical::Canonicalizer;
use openbadges::context::ContextStore;
use serde_json::{Value, json};

fn check_all(docs: impl IntoIterator<Item = Value>) -> (usize, usize) {
    let fast = Canonicalizer::new(ContextStore::bundled());
    let reference = Canonicalizer::uncached(ContextStore::bundled());
    let (mut total, mut fast_taken) = (0, 0);
    for doc in docs {
        let expected = reference.canonical_nquads(&doc);
        let actual = fast.canonical_nquads(&doc);
        match (&expected, &actual) {
            (Ok(e), Ok(a)) => assert_eq!(a, e, "N-Quads differ for {doc}"),
            (Err(_), Err(_)) => {}
            _ => panic!("outcome differs for {doc}: reference {expected:?}, fast {actual:?}"),
        }
        if let Ok(Some(nq)) = fast.fast_path_nquads(&doc) {
            assert_eq!(
                Ok(&nq),
                expected.as_ref().map_err(|_| ()),
                "fast path differs for {doc}"
            );
            fast_taken += 1;
        }
        total += 1;
    }
    (total, fast_taken)
}

#[test]
fn fast_path_matches_reference_on_varied_credentials() {
    let docs = (0..400u64).map(|seed| {
        fixtures::credential(
            seed,
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        )
    });
    let (total, fast) = check_all(docs);
    assert_eq!(total, 400);
    assert!(fast >= 360, "fast path used for only {fast} of {total}");
}

#[test]
fn fast_path_matches_reference_on_proof_options_and_status_lists() {
    let ctx = json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    ]);
    let docs = vec![
        json!({"@context": ctx, "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
               "created": "2025-01-01T00:00:00Z", "verificationMethod": "did:key:z6Mk#z6Mk",
               "proofPurpose": "assertionMethod"}),
        json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "https://x.example/status/1",
               "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": "did:key:z6Mk",
               "validFrom": "2025-01-01T00:00:00Z",
               "credentialSubject": {"id": "https://x.example/status/1#list", "type": "BitstringStatusList",
                                     "statusPurpose": "revocation", "encodedList": "uH4sI"}}),
    ];
    let (_, fast) = check_all(docs);
    assert_eq!(fast, 2);
}

#[test]
fn unusual_documents_agree_or_fall_back() {
    let ctx = json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    ]);
    let base = fixtures::credential(
        5,
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    );
    let mut variants = Vec::new();
    let mut push = |f: &dyn Fn(&mut Value)| {
        let mut d = base.clone();
        f(&mut d);
        variants.push(d);
    };
    push(&|d| d["name"] = json!({"@value": "x", "@language": "en"}));
    push(&|d| d["credentialSubject"]["achievement"]["tag"] = json!(["a", "a", "b"]));
    push(&|d| d["credentialSubject"]["achievement"]["creditsAvailable"] = json!(1e300));
    push(&|d| {
        d["credentialSubject"]["achievement"]["creditsAvailable"] = json!(123456789012345678u64)
    });
    push(&|d| d["credentialSubject"]["achievement"]["unknownTerm"] = json!("x"));
    push(&|d| d["credentialSubject"]["id"] = json!("relative/path"));
    push(&|d| d["credentialSubject"]["id"] = json!("_:b1"));
    push(&|d| d["https://example.org/custom#prop"] = json!(true));
    push(&|d| d["credentialSubject"]["achievement"]["@context"] = json!({"x": "https://e.org/x"}));
    push(&|d| d["type"] = json!("OpenBadgeCredential"));
    push(&|d| d["credentialSubject"]["type"] = json!(["AchievementSubject", "AchievementSubject"]));
    push(&|d| d["issuer"] = json!("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"));
    push(&|d| d["validFrom"] = json!(12));
    push(&|d| d["credentialSubject"]["achievement"]["alignment"] = json!([]));
    push(
        &|d| d["credentialSubject"]["achievement"]["resultDescription"] = json!([{"id": "https://e.org/rd", "type": ["ResultDescription"], "name": "n", "resultType": "Status", "allowedValue": []}]),
    );
    push(&|d| d["@context"] = ctx.clone());
    push(&|d| d["name"] = json!("controls \u{1}\u{7f}\u{8}\u{c}\r\t\n \\ \" <>{}|^` end"));
    push(&|d| {
        d["credentialSubject"]["achievement"]["id"] = json!("https://example.org/a%20b/ü?q=1#f")
    });
    check_all(variants);
}
