//! Writes a folder of `mongoexport` files shaped like the MongoDB version's data (JSON lines or
//! `--jsonArray`, canonical or relaxed Extended JSON), with credentials really signed the way
//! the old system signed them (https issuer id, bare `did:key` verification method) and some
//! signed by a did:key issuer, which verify strictly. Shared by the engine and CLI tests and
//! the import benchmark (`engine/examples/mongo_fixtures.rs`).
#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use openbadges::keys::KeyPair;
use openbadges::proof::{ProofOptions, default_suite};
use sha2::{Digest, Sha256};

/// File layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One document per line (mongoexport's default).
    Lines,
    /// `--jsonArray`.
    Array,
    /// `--jsonArray --pretty`.
    PrettyArray,
}

/// Extended JSON mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `--jsonFormat=canonical`.
    Canonical,
    /// `--jsonFormat=relaxed` (the default).
    Relaxed,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Users.
    pub users: usize,
    /// `providerRoles` per user (cycling over admin, awarder, viewer, issuer_manager, legacy-editor).
    pub roles_per_user: usize,
    /// Credentials.
    pub credentials: usize,
    /// How many credentials get a real signature (the rest reuse one proof: benchmarks only).
    pub signed: usize,
    /// File layout.
    pub layout: Layout,
    /// Extended JSON mode.
    pub mode: Mode,
    /// Add one bad record of each kind.
    pub bad_records: bool,
}

impl Spec {
    /// A small, fully signed data set.
    pub fn small(layout: Layout, mode: Mode) -> Spec {
        Spec {
            users: 40,
            roles_per_user: 2,
            credentials: 12,
            signed: 12,
            layout,
            mode,
            bad_records: false,
        }
    }
}

/// A credential as the old system served it.
#[derive(Debug, Clone)]
pub struct Served {
    /// `_id` hex.
    pub object_id: String,
    /// The exact text the old API returned.
    pub text: String,
    /// Issued by a did:key issuer (verifies strictly) rather than in the old https shape.
    pub did_key_issuer: bool,
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Fixture {
    /// Valid users.
    pub users: usize,
    /// Valid user ↔ role links.
    pub role_links: usize,
    /// Client apps (valid).
    pub client_apps: usize,
    /// Client roles.
    pub client_roles: usize,
    /// Valid client role ↔ user links.
    pub client_role_users: usize,
    /// Issuers.
    pub issuers: usize,
    /// Achievements.
    pub achievements: usize,
    /// Valid credentials.
    pub credentials: usize,
    /// Bad records written (each must be rejected).
    pub bad_records: usize,
    /// Signed credentials and their served text.
    pub served: Vec<Served>,
    /// `(clientId, secret)` of the first app (its hash is SHA-256 hex).
    pub app_secret: (String, String),
    /// Public Multikey of the old system's signing key.
    pub old_key: String,
}

const ROLE_NAMES: [&str; 5] = [
    "admin",
    "awarder",
    "viewer",
    "issuer_manager",
    "legacy-editor",
];
const BASE: &str = "https://old-badges.example.org";

/// A deterministic ObjectId: kind byte, then a counter (timestamp 2024-01-01).
pub fn oid(kind: u8, n: u64) -> String {
    format!("65920080{kind:02x}{:014x}", n)
}

struct Ext {
    mode: Mode,
}

impl Ext {
    fn oid(&self, kind: u8, n: u64) -> String {
        format!("{{\"$oid\":\"{}\"}}", oid(kind, n))
    }
    fn date(&self, t: DateTime<Utc>) -> String {
        match self.mode {
            Mode::Canonical => format!(
                "{{\"$date\":{{\"$numberLong\":\"{}\"}}}}",
                t.timestamp_millis()
            ),
            Mode::Relaxed => format!(
                "{{\"$date\":\"{}\"}}",
                t.to_rfc3339_opts(SecondsFormat::Millis, true)
            ),
        }
    }
    fn int(&self, i: i64) -> String {
        match self.mode {
            Mode::Canonical => format!("{{\"$numberInt\":\"{i}\"}}"),
            Mode::Relaxed => i.to_string(),
        }
    }
    fn double(&self, d: f64) -> String {
        match self.mode {
            Mode::Canonical => format!("{{\"$numberDouble\":\"{d:?}\"}}"),
            Mode::Relaxed => format!("{d:?}"),
        }
    }
}

fn s(v: &str) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// One collection file being written.
struct Out {
    w: BufWriter<File>,
    layout: Layout,
    n: usize,
}

impl Out {
    fn create(dir: &Path, collection: &str, layout: Layout) -> std::io::Result<Out> {
        let mut w = BufWriter::with_capacity(
            1 << 20,
            File::create(dir.join(format!("{collection}.json")))?,
        );
        if layout != Layout::Lines {
            w.write_all(b"[")?;
        }
        Ok(Out { w, layout, n: 0 })
    }

    /// Writes a document given as (key, raw JSON value) fields.
    fn doc(&mut self, fields: &[(&str, String)]) -> std::io::Result<()> {
        let mut text = String::with_capacity(256);
        let pretty = self.layout == Layout::PrettyArray;
        text.push('{');
        for (i, (k, v)) in fields.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            if pretty {
                text.push_str("\n    ");
            }
            let _ = write!(text, "{}:{}{}", s(k), if pretty { " " } else { "" }, v);
        }
        if pretty {
            text.push_str("\n  ");
        }
        text.push('}');
        self.raw(&text)
    }

    /// Writes a document's text as is.
    fn raw(&mut self, text: &str) -> std::io::Result<()> {
        match self.layout {
            Layout::Lines => {
                self.w.write_all(text.as_bytes())?;
                self.w.write_all(b"\n")?;
            }
            Layout::Array => {
                if self.n > 0 {
                    self.w.write_all(b",")?;
                }
                self.w.write_all(text.as_bytes())?;
            }
            Layout::PrettyArray => {
                self.w
                    .write_all(if self.n > 0 { b",\n  " } else { b"\n  " })?;
                self.w.write_all(text.as_bytes())?;
            }
        }
        self.n += 1;
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        match self.layout {
            Layout::Lines => {}
            Layout::Array => self.w.write_all(b"]")?,
            Layout::PrettyArray => self.w.write_all(b"\n]\n")?,
        }
        self.w.flush()
    }
}

/// The old system's key (fixed, so fixtures are reproducible).
pub fn old_key() -> KeyPair {
    KeyPair::from_secret_bytes(&[0x42; 32]).unwrap_or_else(|_| KeyPair::generate())
}

/// bnid's `secretKeySeed` of a key: `z` + base58btc(0x00 0x20 ‖ seed).
fn bnid_seed(key: &KeyPair) -> String {
    let mut bytes = vec![0x00, 0x20];
    bytes.extend_from_slice(key.secret_bytes().as_slice());
    format!("z{}", bs58::encode(bytes).into_string())
}

/// Writes the fixture folder.
pub fn write(dir: &Path, spec: &Spec) -> anyhow::Result<Fixture> {
    std::fs::create_dir_all(dir)?;
    let x = Ext { mode: spec.mode };
    let t0 = Utc
        .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let mut f = Fixture::default();
    let key = old_key();
    let strict_key =
        KeyPair::from_secret_bytes(&[0x43; 32]).unwrap_or_else(|_| KeyPair::generate());
    f.old_key = key.public_key().multibase();

    // users
    let mut out = Out::create(dir, "users", spec.layout)?;
    for i in 0..spec.users as u64 {
        let roles: Vec<String> = (0..spec.roles_per_user)
            .map(|r| s(ROLE_NAMES[(i as usize + r) % ROLE_NAMES.len()]))
            .collect();
        let mut fields = vec![
            ("_id", x.oid(1, i)),
            ("username", s(&format!("user{i}"))),
            ("email", s(&format!("user{i}@example.org"))),
            ("name", s(&format!("User {i}"))),
            ("givenName", s("User")),
            ("familyName", s(&i.to_string())),
            ("provider", s("auth0")),
            ("providerId", s(&format!("auth0|{i}"))),
            ("providerRoles", format!("[{}]", roles.join(","))),
            ("isActive", (i % 17 != 0).to_string()),
            (
                "lastLogin",
                x.date(t0 + chrono::Duration::seconds(i as i64)),
            ),
            ("createdAt", x.date(t0)),
            ("updatedAt", x.date(t0)),
        ];
        if i % 10 == 0 {
            fields.push(("favouriteColour", s("teal")));
            fields.push(("loginCount", x.int(i as i64)));
        }
        out.doc(&fields)?;
        f.users += 1;
        f.role_links += roles.len();
    }
    if spec.bad_records {
        // Missing required field (no username, no email).
        out.doc(&[("_id", x.oid(1, 900_001)), ("name", s("Nobody"))])?;
        // An e-mail differing only in case from user0's.
        out.doc(&[
            ("_id", x.oid(1, 900_002)),
            ("username", s("dup")),
            ("email", s("USER0@Example.org")),
        ])?;
        // Malformed Extended JSON.
        out.doc(&[
            ("_id", "{\"$oid\":\"not-an-object-id\"}".into()),
            ("email", s("bad@example.org")),
        ])?;
        // Nested deeper than the limit.
        let deep = format!("{}1{}", "[".repeat(150), "]".repeat(150));
        out.doc(&[
            ("_id", x.oid(1, 900_003)),
            ("email", s("deep@example.org")),
            ("x", deep),
        ])?;
        // Larger than the tests' 64 KiB limit.
        out.doc(&[
            ("_id", x.oid(1, 900_004)),
            ("email", s("big@example.org")),
            ("blob", s(&"x".repeat(100_000))),
        ])?;
        f.bad_records += 5;
    }
    out.finish()?;

    // accounts and sessions of NextAuth
    let mut out = Out::create(dir, "accounts", spec.layout)?;
    for i in 0..spec.users.min(5) as u64 {
        out.doc(&[
            ("_id", x.oid(2, i)),
            ("userId", x.oid(1, i)),
            ("type", s("oauth")),
            ("provider", s("auth0")),
            ("providerAccountId", s(&format!("auth0|{i}"))),
            ("access_token", s("old-access-token")),
            ("expires_at", x.int(1_700_000_000)),
        ])?;
    }
    out.finish()?;
    let mut out = Out::create(dir, "sessions", spec.layout)?;
    for i in 0..spec.users.min(3) as u64 {
        out.doc(&[
            ("_id", x.oid(3, i)),
            ("sessionToken", s(&format!("old-session-{i}"))),
            ("userId", x.oid(1, i)),
            ("expires", x.date(t0 + chrono::Duration::days(30))),
        ])?;
    }
    out.finish()?;

    // client apps and their roles
    let secret = "old-client-secret-0".to_owned();
    let sha = hex(&Sha256::digest(secret.as_bytes()));
    let mut out = Out::create(dir, "oauthClientApps", spec.layout)?;
    let owners = spec.users.max(1) as u64;
    out.doc(&[
        ("_id", x.oid(4, 0)),
        ("name", s("Gradebook")),
        ("clientId", s("gradebook-client")),
        ("clientSecretHash", s(&sha)),
        (
            "redirectUris",
            format!("[{}]", s("https://gradebook.example/cb")),
        ),
        ("owner", x.oid(1, 0)),
        ("createdAt", x.date(t0)),
    ])?;
    out.doc(&[
        ("_id", x.oid(4, 1)),
        ("name", s("LMS")),
        ("clientId", s("lms-client")),
        (
            "clientSecretHash",
            s("$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"),
        ),
        ("redirectUris", "[]".into()),
        ("owner", x.oid(1, 1 % owners)),
        ("createdAt", x.date(t0)),
        ("webhookUrl", s("https://lms.example/hook")),
    ])?;
    f.client_apps = 2;
    f.app_secret = ("gradebook-client".into(), secret);
    if spec.bad_records {
        out.doc(&[
            ("_id", x.oid(4, 9)),
            ("name", s("Orphan")),
            ("clientId", s("orphan-client")),
            ("clientSecretHash", s(&sha)),
            ("owner", x.oid(1, 999_999)),
        ])?;
        f.bad_records += 1;
    }
    out.finish()?;
    let mut out = Out::create(dir, "oauthRoles", spec.layout)?;
    for (i, name) in ["teacher", "student"].iter().enumerate() {
        let mut members: Vec<String> = (0..3u64)
            .map(|u| x.oid(1, (u + i as u64) % owners))
            .collect();
        members.dedup();
        f.client_role_users += members.len();
        if spec.bad_records && i == 0 {
            members.push(x.oid(1, 999_998));
            f.bad_records += 1;
        }
        out.doc(&[
            ("_id", x.oid(5, i as u64)),
            ("clientApp", x.oid(4, 0)),
            ("name", s(name)),
            ("description", s(&format!("{name}s of the gradebook"))),
            ("oauthUserIds", format!("[{}]", members.join(","))),
        ])?;
        f.client_roles += 1;
    }
    out.finish()?;

    // images, alignments, profiles, the key, achievements, results, levels
    let mut out = Out::create(dir, "Image", spec.layout)?;
    out.doc(&[
        ("_id", x.oid(6, 0)),
        ("id", s(&format!("{BASE}/img/badge.png"))),
        ("type", s("Image")),
        ("caption", s("A badge")),
    ])?;
    out.finish()?;
    let mut out = Out::create(dir, "Alignment", spec.layout)?;
    for i in 0..2u64 {
        out.doc(&[
            ("_id", x.oid(7, i)),
            ("type", s("[\"Alignment\"]")),
            ("targetName", s(&format!("Standard {i}"))),
            ("targetUrl", s(&format!("https://standards.example/{i}"))),
            ("targetType", s("CFItem")),
        ])?;
    }
    out.finish()?;
    let mut out = Out::create(dir, "Profile", spec.layout)?;
    for i in 0..2u64 {
        let mut fields = vec![
            ("_id", x.oid(8, i)),
            ("id", s(&format!("{BASE}/issuers/{}", oid(8, i)))),
            ("type", "[\"Profile\"]".into()),
            ("name", s(&format!("Old Issuer {i}"))),
            ("url", s(&format!("{BASE}/issuers/{i}"))),
            ("email", s(&format!("issuer{i}@example.org"))),
            ("imageId", x.oid(6, 0)),
            ("isPublic", "true".into()),
            ("createdAt", x.date(t0)),
            ("updatedAt", x.date(t0)),
        ];
        if i == 1 {
            fields.push(("parentOrgID", x.oid(8, 0)));
        }
        out.doc(&fields)?;
        f.issuers += 1;
    }
    out.finish()?;
    let mut out = Out::create(dir, "Multikey", spec.layout)?;
    out.doc(&[
        ("_id", x.oid(9, 0)),
        (
            "id",
            s(&format!("did:key:{}", key.public_key().multibase())),
        ),
        ("publicKeyMultibase", s(&key.public_key().multibase())),
        ("seed", s(&bnid_seed(&key))),
        ("profileId", x.oid(8, 0)),
    ])?;
    out.finish()?;
    let mut out = Out::create(dir, "Achievement", spec.layout)?;
    for i in 0..2u64 {
        out.doc(&[
            ("_id", x.oid(10, i)),
            ("id", s(&format!("{BASE}/achievements/{}", oid(10, i)))),
            ("type", "[\"Achievement\"]".into()),
            ("name", s(&format!("Achievement {i}"))),
            ("description", s("Did the thing")),
            (
                "criteria",
                format!("{{\"narrative\":{}}}", s("Do the thing")),
            ),
            (
                "achievementType",
                s(if i == 0 {
                    "Badge"
                } else {
                    "ext:EventAttendance"
                }),
            ),
            ("creatorId", x.oid(8, 0)),
            ("creditsAvailable", x.double(3.0)),
            ("tag", "[\"one\",\"two\"]".into()),
            ("imageId", x.oid(6, 0)),
            ("alignmentIds", format!("[{},{}]", x.oid(7, 0), x.oid(7, 1))),
            ("version", s("1.0")),
            ("createdAt", x.date(t0)),
            ("updatedAt", x.date(t0)),
        ])?;
        f.achievements += 1;
    }
    out.finish()?;
    let mut out = Out::create(dir, "ResultDescription", spec.layout)?;
    out.doc(&[
        ("_id", x.oid(11, 0)),
        ("id", s("urn:uuid:result-0")),
        ("type", "[\"ResultDescription\"]".into()),
        ("name", s("Grade")),
        ("resultType", s("RubricCriterionLevel")),
        ("requiredLevel", s("urn:uuid:level-1")),
        ("questionType", s("TEXTQUESTION")),
        ("achievementId", x.oid(10, 0)),
    ])?;
    out.finish()?;
    let mut out = Out::create(dir, "RubricCriterionLevel", spec.layout)?;
    for i in 0..2u64 {
        out.doc(&[
            ("_id", x.oid(12, i)),
            ("id", s(&format!("urn:uuid:level-{i}"))),
            ("name", s(if i == 0 { "Novice" } else { "Expert" })),
            ("points", s(&(i * 10).to_string())),
            ("resultDescriptionId", x.oid(11, 0)),
        ])?;
    }
    out.finish()?;

    // credentials
    let mut out = Out::create(dir, "AchievementCredential", spec.layout)?;
    let mut template_proof: Option<serde_json::Value> = None;
    for i in 0..spec.credentials as u64 {
        let id = oid(13, i);
        let did_key_issuer = i % 4 == 3;
        let issuer_json = if did_key_issuer {
            serde_json::json!({ "id": strict_key.did(), "type": ["Profile"], "name": "Old Issuer 0", "url": format!("{BASE}/issuers/0") })
        } else {
            serde_json::json!({ "id": format!("{BASE}/issuers/{}", oid(8, 0)), "type": ["Profile"], "name": "Old Issuer 0" })
        };
        let recipient = format!("user{}@example.org", i % spec.users.max(1) as u64);
        let issued = t0 + chrono::Duration::hours(i as i64);
        let unsigned = serde_json::json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": format!("{BASE}/awards/{id}"),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": "Achievement 0",
            "issuer": issuer_json,
            "validFrom": issued.to_rfc3339_opts(SecondsFormat::Secs, true),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [{ "type": "IdentityObject", "hashed": false, "identityHash": recipient, "identityType": "emailAddress" }],
                "achievement": {
                    "id": format!("{BASE}/achievements/{}", oid(10, 0)),
                    "type": ["Achievement"],
                    "name": "Achievement 0",
                    "description": "Did the thing",
                    "criteria": { "narrative": "Do the thing" },
                },
            },
        });
        let signed = if (i as usize) < spec.signed || template_proof.is_none() {
            let options = ProofOptions {
                created: issued,
                verification_method: (!did_key_issuer)
                    .then(|| format!("did:key:{}", key.public_key().multibase())),
            };
            let pair = if did_key_issuer { &strict_key } else { &key };
            let signed = default_suite().sign(&unsigned, pair, &options)?;
            if template_proof.is_none() {
                template_proof = signed.get("proof").cloned();
            }
            signed
        } else {
            let mut v = unsigned.clone();
            if let (Some(o), Some(p)) = (v.as_object_mut(), template_proof.clone()) {
                o.insert("proof".into(), p);
            }
            v
        };
        // What the old API served: JSON.stringify of the stored document (keys in stored order).
        let text = serde_json::to_string(&signed)?;
        if (i as usize) < spec.signed {
            f.served.push(Served {
                object_id: id.clone(),
                text: text.clone(),
                did_key_issuer,
            });
        }
        let inner = &text[1..text.len() - 1];
        let doc = format!(
            "{{\"_id\":{},{inner},\"issuerId\":{},\"achievementId\":{},\"claimed\":{},\"createdAt\":{}}}",
            x.oid(13, i),
            x.oid(8, 0),
            x.oid(10, 0),
            i % 2 == 0,
            x.date(issued)
        );
        out.raw(&doc)?;
        f.credentials += 1;
    }
    if spec.bad_records {
        out.doc(&[
            ("_id", x.oid(13, 900_001)),
            ("@context", "[\"https://www.w3.org/ns/credentials/v2\"]".into()),
            ("validFrom", s("2024-01-01T00:00:00Z")),
            ("credentialSubject", "{\"identifier\":[{\"identityType\":\"emailAddress\",\"hashed\":false,\"identityHash\":\"x@example.org\"}]}".into()),
            ("issuerId", x.oid(8, 0)),
            ("achievementId", x.oid(10, 777)),
        ])?;
        f.bad_records += 1;
    }
    out.finish()?;

    let mut out = Out::create(dir, "EndorsementCredential", spec.layout)?;
    out.raw(&format!(
        "{{\"_id\":{},\"context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\",\"EndorsementCredential\"],\"id\":{},\"name\":\"Endorsement\",\"issuer\":{{\"id\":{}}},\"validFrom\":\"2024-02-01T00:00:00Z\",\"credentialSubject\":{{\"id\":{},\"type\":[\"EndorsementSubject\"]}},\"issuerId\":{},\"achievementId\":{}}}",
        x.oid(14, 0),
        s(&format!("{BASE}/endorsements/1")),
        s(&format!("{BASE}/issuers/{}", oid(8, 1))),
        s(&format!("{BASE}/achievements/{}", oid(10, 0))),
        x.oid(8, 1),
        x.oid(10, 0)
    ))?;
    out.finish()?;
    Ok(f)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
