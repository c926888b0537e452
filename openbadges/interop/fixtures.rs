//! Varied Open Badges credentials for cross-implementation tests (shared by the `interop`
//! example and the canonicalisation-cache test via `#[path]`). Deterministic: a small
//! linear congruential generator picks which optional parts each credential has.

#![allow(dead_code)]

use serde_json::{Value, json};

/// Deterministic pseudo-random numbers (no dependency, reproducible across runs).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Self(
            seed.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407),
        )
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() as usize) % items.len()]
    }
}

const TEXTS: &[&str] = &[
    "Plain text",
    "Ünïcödé – “quotes” and emoji 🎓",
    "Line one\nLine two\ttabbed",
    "Markdown **bold** and <b>html</b> & ampersands",
    "Backslash \\ and \"double quotes\"",
    "ÅÄÖ 日本語 العربية",
];

// Not below 1e-6: jsonld.js writes such non-integers as "0" (it tests for a '.' in the
// JavaScript string form, which is exponential there) where the JSON-LD spec says "1.0E-7";
// `validate()` rejects them for that reason.
const NUMBERS: &[f64] = &[
    0.0,
    1.0,
    3.0,
    1.5,
    0.1,
    2.25,
    100.0,
    12345.678,
    1e-6,
    123456789.5,
    1e21,
    7.0,
];

/// An OB 3.0 credential (unsigned) issued by `issuer_did`, varied by `seed`.
pub fn credential(seed: u64, issuer_did: &str) -> Value {
    let mut r = Lcg::new(seed);
    if seed % 10 == 9 {
        return minimal(seed, issuer_did);
    }
    let ob_context = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    let mut context = vec![
        json!("https://www.w3.org/ns/credentials/v2"),
        json!(ob_context),
    ];
    let text = |r: &mut Lcg| (*r.pick(TEXTS)).to_owned();
    let mut issuer = json!({
        "id": issuer_did,
        "type": ["Profile"],
        "name": format!("Issuer {seed} {}", text(&mut r)),
    });
    if r.chance(70) {
        issuer["url"] = json!("https://example.edu/issuers/1");
    }
    if r.chance(50) {
        issuer["email"] = json!("badges@example.edu");
        issuer["phone"] = json!("+1-555-0100");
    }
    if r.chance(40) {
        issuer["description"] = json!(text(&mut r));
        issuer["image"] =
            json!({"id": "https://example.edu/logo.png", "type": "Image", "caption": "Logo"});
    }
    if r.chance(30) {
        issuer["address"] = json!({
            "type": ["Address"],
            "addressCountry": "Finland",
            "addressCountryCode": "FI",
            "addressLocality": "Helsinki",
            "streetAddress": "Street 1",
            "postalCode": "00100"
        });
    }
    if r.chance(30) {
        issuer["otherIdentifier"] = json!([{
            "type": "IdentifierEntry",
            "identifier": format!("ORG-{seed}"),
            "identifierType": "sourcedId"
        }]);
    }
    if r.chance(25) {
        issuer["parentOrg"] = json!({
            "id": "https://example.edu/issuers/parent",
            "type": ["Profile"],
            "name": "Parent University"
        });
    }
    let mut achievement = json!({
        "id": format!("https://example.edu/achievements/{seed}"),
        "type": ["Achievement"],
        "name": format!("Achievement {seed}"),
        "description": text(&mut r),
        "criteria": {"narrative": text(&mut r)},
    });
    if r.chance(30) {
        achievement["criteria"]["id"] = json!("https://example.edu/criteria/1");
    }
    if r.chance(60) {
        achievement["achievementType"] = json!(*r.pick(&[
            "Badge",
            "Course",
            "Certificate",
            "MicroCredential",
            "ext:Custom"
        ]));
    }
    if r.chance(60) {
        achievement["creditsAvailable"] = json!(*r.pick(NUMBERS));
    }
    if r.chance(50) {
        achievement["image"] = json!({"id": "https://example.edu/badge.png", "type": "Image", "caption": text(&mut r)});
    }
    if r.chance(40) {
        achievement["tag"] = json!(["tag-a", text(&mut r)]);
    }
    if r.chance(40) {
        achievement["alignment"] = json!([{
            "type": ["Alignment"],
            "targetName": "Competency",
            "targetUrl": "https://example.org/framework/c1",
            "targetDescription": text(&mut r),
            "targetFramework": "Framework",
            "targetCode": "C1",
            "targetType": "ceasn:Competency"
        }]);
    }
    if r.chance(30) {
        achievement["fieldOfStudy"] = json!("Computer Science");
        achievement["humanCode"] = json!("CS101");
        achievement["specialization"] = json!("Systems");
        achievement["inLanguage"] = json!("en");
        achievement["version"] = json!("1.0");
    }
    if r.chance(30) {
        achievement["creator"] =
            json!({"id": "https://example.edu/creators/1", "type": ["Profile"], "name": "Creator"});
    }
    if r.chance(25) {
        achievement["related"] = json!([{"id": "https://example.edu/achievements/other", "type": ["Related"], "inLanguage": "fi", "version": "2"}]);
    }
    if r.chance(25) {
        achievement["otherIdentifier"] =
            json!([{"type": "IdentifierEntry", "identifier": "X1", "identifierType": "systemId"}]);
    }
    let with_results = r.chance(40);
    if with_results {
        achievement["resultDescription"] = json!([{
            "id": format!("https://example.edu/achievements/{seed}/rd/1"),
            "type": ["ResultDescription"],
            "name": "Grade",
            "resultType": "RubricCriterionLevel",
            "allowedValue": ["A", "B", "C"],
            "requiredLevel": format!("https://example.edu/achievements/{seed}/levels/1"),
            "rubricCriterionLevel": [{
                "id": format!("https://example.edu/achievements/{seed}/levels/1"),
                "type": ["RubricCriterionLevel"],
                "name": "Good",
                "description": text(&mut r),
                "level": "2",
                "points": "10"
            }, {
                "id": format!("https://example.edu/achievements/{seed}/levels/2"),
                "type": ["RubricCriterionLevel"],
                "name": "Excellent",
                "points": "20"
            }],
            "valueMax": "100",
            "valueMin": "0"
        }]);
    }
    let mut subject = json!({
        "type": ["AchievementSubject"],
        "achievement": achievement,
    });
    match r.next() % 3 {
        0 => subject["id"] = json!(format!("did:example:earner{seed}")),
        1 => {
            subject["identifier"] = json!([{
                "type": "IdentityObject",
                "hashed": true,
                "identityHash": "sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5",
                "identityType": "emailAddress",
                "salt": format!("salt{seed}")
            }]);
        }
        _ => {
            subject["identifier"] = json!([{
                "type": "IdentityObject",
                "hashed": false,
                "identityHash": "earner@example.org",
                "identityType": "emailAddress"
            }]);
        }
    }
    if r.chance(40) {
        subject["creditsEarned"] = json!(*r.pick(NUMBERS));
    }
    if r.chance(30) {
        subject["activityStartDate"] = json!("2024-09-01T00:00:00Z");
        subject["activityEndDate"] = json!("2024-12-20T00:00:00+02:00");
        subject["role"] = json!("Student");
        subject["term"] = json!("Fall 2024");
    }
    if r.chance(20) {
        subject["licenseNumber"] = json!("LIC-1");
        subject["narrative"] = json!(text(&mut r));
    }
    if with_results {
        subject["result"] = json!([{
            "type": ["Result"],
            "resultDescription": format!("https://example.edu/achievements/{seed}/rd/1"),
            "achievedLevel": format!("https://example.edu/achievements/{seed}/levels/2"),
            "status": "Completed",
            "value": "A"
        }]);
    }
    let mut credential = json!({
        "id": format!("urn:uuid:00000000-0000-4000-8000-{seed:012}"),
        "type": ["VerifiableCredential", *r.pick(&["OpenBadgeCredential", "OpenBadgeCredential", "AchievementCredential"])],
        "name": format!("Credential {seed}"),
        "issuer": issuer,
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": subject,
    });
    if r.chance(30) {
        credential["validUntil"] = json!("2099-01-01T00:00:00Z");
    }
    if r.chance(40) {
        credential["description"] = json!(text(&mut r));
    }
    // awardedDate is defined by the 3.0.1 and 3.0.3 contexts only (not 3.0.2).
    if r.chance(30) && ob_context.ends_with("3.0.3.json") {
        credential["awardedDate"] = json!("2025-01-02T03:04:05Z");
    }
    if r.chance(30) {
        credential["image"] = json!({"id": "data:image/png;base64,iVBORw0KGgo=", "type": "Image"});
    }
    if r.chance(30) {
        credential["evidence"] = json!([{
            "id": "https://example.edu/evidence/1",
            "type": ["Evidence"],
            "name": "Project",
            "narrative": text(&mut r),
            "description": "desc",
            "genre": "Code",
            "audience": "Teachers"
        }]);
    }
    if r.chance(25) {
        context.push(json!(
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
        ));
        credential["credentialSchema"] = json!([{
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019"
        }]);
    }
    let mut ordered = serde_json::Map::new();
    ordered.insert("@context".into(), Value::Array(context));
    if let Value::Object(rest) = credential {
        ordered.extend(rest);
    }
    Value::Object(ordered)
}

/// A small credential using an older OB 3.0.x context (whose term sets differ).
pub fn minimal(seed: u64, issuer_did: &str) -> Value {
    let mut r = Lcg::new(seed);
    // 3.0.2 is for VC 2.0; 3.0.0 and 3.0.1 were published for VC 1.1 (with them, VC 2.0's
    // protected terms clash, in jsonld.js as here), which needs the Data Integrity context.
    let (context, date_key) = match r.next() % 3 {
        0 => (
            json!([
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"
            ]),
            "validFrom",
        ),
        1 => (
            json!([
                "https://www.w3.org/2018/credentials/v1",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
                "https://w3id.org/security/data-integrity/v2"
            ]),
            "issuanceDate",
        ),
        _ => (
            json!([
                "https://www.w3.org/2018/credentials/v1",
                "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
                "https://w3id.org/security/data-integrity/v2"
            ]),
            "issuanceDate",
        ),
    };
    let mut doc = json!({
        "@context": context,
        "id": format!("urn:uuid:00000000-0000-4000-9000-{seed:012}"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": format!("Minimal {seed}"),
        "issuer": {"id": issuer_did, "type": ["Profile"], "name": "Issuer", "url": "https://example.edu"},
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "hashed": true,
                "identityHash": "sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5",
                "identityType": "emailAddress",
                "salt": "s"
            }],
            "achievement": {
                "id": format!("https://example.edu/achievements/min/{seed}"),
                "type": ["Achievement"],
                "name": "Minimal achievement",
                "description": (*r.pick(TEXTS)).to_owned(),
                "criteria": {"narrative": "Do it."},
                "creditsAvailable": *r.pick(NUMBERS)
            }
        }
    });
    doc[date_key] = json!("2025-01-01T00:00:00Z");
    doc
}
