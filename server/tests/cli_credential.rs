//! `badge-engine credential …` end to end with the built binary: keygen → sign → verify →
//! bake (PNG and SVG) → extract → verify, and tampering gives a failing exit status.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use std::path::Path;
use std::process::{Command, Output};

fn badge_engine(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_badge-engine"))
        .args(["credential"])
        .args(args)
        .output()
        .expect("run badge-engine")
}

/// A valid 1×1 PNG (signature, IHDR, IDAT, IEND).
const PNG_1X1: [u8; 67] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

#[test]
fn keygen_sign_bake_extract_verify() {
    let dir = std::env::temp_dir().join(format!("be-cli-credential-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    let out = badge_engine(&["keygen", "-o", &path(&dir, "key.json")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("key.json")).unwrap()).unwrap();
    let did = key["did"].as_str().unwrap();
    assert!(did.starts_with("did:key:z6Mk"));

    let unsigned = serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:2f1e4c9a-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "CLI badge",
        "issuer": {"id": did, "type": ["Profile"], "name": "CLI issuer"},
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "hashed": false,
                            "identityHash": "earner@example.org", "identityType": "emailAddress"}],
            "achievement": {"id": "https://example.org/a/1", "type": ["Achievement"],
                            "name": "CLI", "description": "Used the CLI.",
                            "criteria": {"narrative": "Run it."}}
        }
    });
    std::fs::write(dir.join("unsigned.json"), unsigned.to_string()).unwrap();
    let out = badge_engine(&[
        "sign",
        &path(&dir, "unsigned.json"),
        "--key",
        &path(&dir, "key.json"),
        "-o",
        &path(&dir, "signed.json"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = badge_engine(&["verify", &path(&dir, "signed.json")]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("PASS signature"), "{report}");

    std::fs::write(dir.join("badge.png"), PNG_1X1).unwrap();
    std::fs::write(
        dir.join("badge.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>",
    )
    .unwrap();
    for image in ["badge.png", "badge.svg"] {
        let baked = format!("baked-{image}");
        let out = badge_engine(&[
            "bake",
            &path(&dir, image),
            &path(&dir, "signed.json"),
            "-o",
            &path(&dir, &baked),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = badge_engine(&["extract", &path(&dir, &baked)]);
        assert!(out.status.success());
        assert_eq!(out.stdout, std::fs::read(dir.join("signed.json")).unwrap());
        let out = badge_engine(&["verify", &path(&dir, &baked)]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    let mut tampered: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("signed.json")).unwrap()).unwrap();
    tampered["name"] = serde_json::json!("Forged");
    std::fs::write(dir.join("tampered.json"), tampered.to_string()).unwrap();
    let out = badge_engine(&["verify", "--json", &path(&dir, "tampered.json")]);
    assert!(!out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "signature" && c["outcome"] == "fail")
    );

    let out = badge_engine(&["extract", &path(&dir, "badge.png")]);
    assert!(
        !out.status.success(),
        "an unbaked image has nothing to extract"
    );

    baking_rules_are_reported(
        &dir,
        &std::fs::read(dir.join("signed.json")).unwrap(),
        &tampered.to_string(),
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Images that break the OB 3.0 baking rules still verify, with a WARN line per broken rule
/// (and `bakingIssues` in the JSON report).
fn baking_rules_are_reported(dir: &Path, signed: &[u8], tampered: &str) {
    // A PNG with the credential in a tEXt chunk instead of an uncompressed iTXt.
    let mut data = b"tEXtopenbadgecredential\0".to_vec();
    data.extend_from_slice(signed);
    let mut png = PNG_1X1[..PNG_1X1.len() - 12].to_vec();
    png.extend_from_slice(&((data.len() - 4) as u32).to_be_bytes());
    png.extend_from_slice(&data);
    png.extend_from_slice(&crc32fast::hash(&data).to_be_bytes());
    png.extend_from_slice(&PNG_1X1[PNG_1X1.len() - 12..]);
    std::fs::write(dir.join("text-chunk.png"), png).unwrap();
    let out = badge_engine(&["verify", &path(dir, "text-chunk.png")]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(
        report.contains("WARN png_not_itxt") && report.contains("tEXt chunk"),
        "{report}"
    );
    assert!(report.contains("PASS signature"), "{report}");

    // An SVG with two different credentials: the first is read and verified, and the warning
    // says the other one differs.
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">\
         <openbadges:credential><![CDATA[{}]]></openbadges:credential>\
         <openbadges:credential><![CDATA[{tampered}]]></openbadges:credential></svg>",
        String::from_utf8_lossy(signed)
    );
    std::fs::write(dir.join("two.svg"), svg).unwrap();
    let out = badge_engine(&["verify", "--json", &path(dir, "two.svg")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["bakingIssues"],
        serde_json::json!([{"rule": "multiple_credentials", "count": 2, "read": 1, "identical": false}])
    );
    let out = badge_engine(&["verify", &path(dir, "two.svg")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("WARN multiple_credentials") && text.contains("DIFFER"),
        "{text}"
    );
    let out = badge_engine(&["extract", &path(dir, "two.svg")]);
    assert!(out.status.success());
    assert_eq!(out.stdout, signed);
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 credentials"));
}
