//! Open Badges 3.0 / VC 2.0 structural validation that reports every violation with its
//! JSON path, rather than stopping at the first.
//!
//! It works on the raw JSON value so that malformed input is reported, not just rejected by
//! serde. Rules follow the OB 3.0 data model's required properties and vocabularies.

use chrono::DateTime;
use serde_json::{Map, Value};

use super::achievement::{ACHIEVEMENT_TYPES, RESULT_TYPES};
use crate::context::{CREDENTIALS_V1, CREDENTIALS_V2, OB_V3_0_0, OB_V3_0_1, OB_V3_0_2, OB_V3_0_3};

/// One spec violation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON path, e.g. `$.credentialSubject.achievement.criteria`.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

struct Checker {
    out: Vec<Violation>,
}

impl Checker {
    fn fail(&mut self, path: &str, reason: impl Into<String>) {
        self.out.push(Violation {
            path: path.to_owned(),
            reason: reason.into(),
        });
    }

    fn object<'a>(
        &mut self,
        value: Option<&'a Value>,
        path: &str,
    ) -> Option<&'a Map<String, Value>> {
        match value {
            Some(Value::Object(o)) => Some(o),
            Some(_) => {
                self.fail(path, "must be an object");
                None
            }
            None => {
                self.fail(path, "is required");
                None
            }
        }
    }

    fn string<'a>(
        &mut self,
        o: &'a Map<String, Value>,
        key: &str,
        path: &str,
        required: bool,
    ) -> Option<&'a str> {
        match o.get(key) {
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.fail(&format!("{path}.{key}"), "must not be empty");
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.fail(&format!("{path}.{key}"), "must be a string");
                None
            }
            None if required => {
                self.fail(&format!("{path}.{key}"), "is required");
                None
            }
            None => None,
        }
    }

    fn iri(&mut self, o: &Map<String, Value>, key: &str, path: &str, required: bool) {
        if let Some(s) = self.string(o, key, path, required)
            && !looks_like_iri(s)
        {
            self.fail(
                &format!("{path}.{key}"),
                format!("{s:?} is not an absolute IRI"),
            );
        }
    }

    fn types(&mut self, o: &Map<String, Value>, path: &str, required: &[&str]) {
        let names: Vec<&str> = match o.get("type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(_) => {
                self.fail(
                    &format!("{path}.type"),
                    "must be a string or an array of strings",
                );
                return;
            }
            None => {
                self.fail(&format!("{path}.type"), "is required");
                return;
            }
        };
        for r in required {
            // `|` separates alternatives: one of them must be present.
            if !r.split('|').any(|alt| names.contains(&alt)) {
                self.fail(
                    &format!("{path}.type"),
                    format!("must include {}", r.replace('|', " or ")),
                );
            }
        }
    }

    fn date_time(
        &mut self,
        o: &Map<String, Value>,
        key: &str,
        path: &str,
        required: bool,
    ) -> Option<i64> {
        let s = self.string(o, key, path, required)?;
        match DateTime::parse_from_rfc3339(s) {
            Ok(dt) => Some(dt.timestamp()),
            Err(_) => {
                self.fail(
                    &format!("{path}.{key}"),
                    format!("{s:?} is not an XML Schema dateTime with time zone"),
                );
                None
            }
        }
    }

    fn each<'a>(
        &mut self,
        o: &'a Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Vec<(String, &'a Value)> {
        match o.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{path}.{key}[{i}]"), v))
                .collect(),
            Some(v) => vec![(format!("{path}.{key}"), v)],
        }
    }

    /// Credits: non-negative numbers. Non-integers below 10⁻⁶ are refused because jsonld.js
    /// (Digital Bazaar's verifier) canonicalises them differently from the JSON-LD spec
    /// (`"0"` instead of `"1.0E-7"`), so their signatures would not interoperate.
    fn credits(&mut self, o: &Map<String, Value>, key: &str, path: &str) {
        match o.get(key).map(Value::as_f64) {
            None => {}
            Some(Some(f)) if f >= 0.0 && f.fract() != 0.0 && !portable_double(f) => self.fail(
                &format!("{path}.{key}"),
                "needs 17 significant digits, which JSON-LD processors write differently; round it",
            ),
            Some(Some(f)) if f >= 0.0 && (f == 0.0 || f >= 1e-6 || f.fract() == 0.0) => {}
            Some(Some(f)) if f >= 0.0 => self.fail(
                &format!("{path}.{key}"),
                "non-zero values below 0.000001 do not canonicalise portably",
            ),
            Some(_) => self.fail(&format!("{path}.{key}"), "must be a non-negative number"),
        }
    }

    fn image(&mut self, o: &Map<String, Value>, path: &str) {
        match o.get("image") {
            None | Some(Value::String(_)) => {}
            Some(Value::Object(img)) => {
                let p = format!("{path}.image");
                self.iri(img, "id", &p, true);
                self.types(img, &p, &["Image"]);
            }
            Some(_) => self.fail(
                &format!("{path}.image"),
                "must be an IRI or an Image object",
            ),
        }
    }

    fn alignments(&mut self, o: &Map<String, Value>, path: &str) {
        for (p, a) in self.each(o, "alignment", path) {
            if let Some(a) = self.object(Some(a), &p) {
                self.types(a, &p, &["Alignment"]);
                self.string(a, "targetName", &p, true);
                self.iri(a, "targetUrl", &p, true);
            }
        }
    }

    fn profile(&mut self, value: Option<&Value>, path: &str) {
        match value {
            Some(Value::String(s)) if looks_like_iri(s) => {}
            Some(Value::String(s)) => self.fail(path, format!("{s:?} is not an absolute IRI")),
            other => {
                if let Some(p) = self.object(other, path) {
                    self.iri(p, "id", path, true);
                    self.types(p, path, &["Profile"]);
                    self.iri(p, "url", path, false);
                    self.image(p, path);
                    if p.contains_key("parentOrg") {
                        self.profile(p.get("parentOrg"), &format!("{path}.parentOrg"));
                    }
                    if let Some(email) = self.string(p, "email", path, false)
                        && !email.contains('@')
                    {
                        self.fail(&format!("{path}.email"), "is not an email address");
                    }
                }
            }
        }
    }

    fn achievement(&mut self, value: Option<&Value>, path: &str) {
        let Some(a) = self.object(value, path) else {
            return;
        };
        self.iri(a, "id", path, true);
        self.types(a, path, &["Achievement"]);
        self.string(a, "name", path, true);
        self.string(a, "description", path, true);
        let criteria_path = format!("{path}.criteria");
        if let Some(c) = self.object(a.get("criteria"), &criteria_path)
            && !c.contains_key("id")
            && !c.contains_key("narrative")
        {
            self.fail(&criteria_path, "must have an id or a narrative");
        }
        if let Some(t) = self.string(a, "achievementType", path, false)
            && !ACHIEVEMENT_TYPES.contains(&t)
            && !t.starts_with("ext:")
        {
            self.fail(
                &format!("{path}.achievementType"),
                format!(
                    "{t:?} is not in the AchievementType vocabulary (extensions start with ext:)"
                ),
            );
        }
        self.credits(a, "creditsAvailable", path);
        self.image(a, path);
        self.alignments(a, path);
        if a.contains_key("creator") {
            self.profile(a.get("creator"), &format!("{path}.creator"));
        }
        for (p, rd) in self.each(a, "resultDescription", path) {
            let Some(rd) = self.object(Some(rd), &p) else {
                continue;
            };
            self.iri(rd, "id", &p, true);
            self.types(rd, &p, &["ResultDescription"]);
            self.string(rd, "name", &p, true);
            if let Some(t) = self.string(rd, "resultType", &p, true)
                && !RESULT_TYPES.contains(&t)
                && !t.starts_with("ext:")
            {
                self.fail(
                    &format!("{p}.resultType"),
                    format!("{t:?} is not in the ResultType vocabulary"),
                );
            }
            for (lp, level) in self.each(rd, "rubricCriterionLevel", &p) {
                let Some(level) = self.object(Some(level), &lp) else {
                    continue;
                };
                self.iri(level, "id", &lp, true);
                self.types(level, &lp, &["RubricCriterionLevel"]);
                self.string(level, "name", &lp, true);
            }
        }
        for (p, id) in self.each(a, "otherIdentifier", path) {
            if let Some(id) = self.object(Some(id), &p) {
                self.types(id, &p, &["IdentifierEntry"]);
                self.string(id, "identifier", &p, true);
                self.string(id, "identifierType", &p, true);
            }
        }
    }

    fn subject(&mut self, value: Option<&Value>, path: &str) {
        let s = match value {
            Some(Value::Array(_)) => {
                self.fail(
                    path,
                    "an OpenBadgeCredential has exactly one credentialSubject",
                );
                return;
            }
            other => match self.object(other, path) {
                Some(s) => s,
                None => return,
            },
        };
        self.types(s, path, &["AchievementSubject"]);
        if !s.contains_key("id") && !s.contains_key("identifier") {
            self.fail(path, "must have an id or an identifier");
        }
        self.iri(s, "id", path, false);
        for (p, ident) in self.each(s, "identifier", path) {
            let Some(ident) = self.object(Some(ident), &p) else {
                continue;
            };
            self.types(ident, &p, &["IdentityObject"]);
            self.string(ident, "identityType", &p, true);
            let hash = self.string(ident, "identityHash", &p, true);
            match ident.get("hashed") {
                Some(Value::Bool(true)) => {
                    if let Some(h) = hash
                        && !is_identity_hash(h)
                    {
                        self.fail(&format!("{p}.identityHash"), "a hashed identity must be sha256$<64 hex digits> or md5$<32 hex digits>");
                    }
                }
                Some(Value::Bool(false)) => {}
                Some(_) => self.fail(&format!("{p}.hashed"), "must be a boolean"),
                None => self.fail(&format!("{p}.hashed"), "is required"),
            }
        }
        self.achievement(s.get("achievement"), &format!("{path}.achievement"));
        for key in ["activityStartDate", "activityEndDate"] {
            self.date_time(s, key, path, false);
        }
        self.credits(s, "creditsEarned", path);
        self.image(s, path);
        for (p, r) in self.each(s, "result", path) {
            if let Some(r) = self.object(Some(r), &p) {
                self.types(r, &p, &["Result"]);
                self.iri(r, "resultDescription", &p, false);
                self.iri(r, "achievedLevel", &p, false);
            }
        }
    }
}

/// Validates an `OpenBadgeCredential` / `AchievementCredential` JSON document.
///
/// Returns every violation found (empty when valid). Signature and dates relative to the
/// current time are checked by [`crate::verify::verify`], not here.
pub fn validate(credential: &Value) -> Vec<Violation> {
    let mut c = Checker { out: Vec::new() };
    let Some(root) = c.object(Some(credential), "$") else {
        return c.out;
    };
    let contexts: Vec<&str> = match root.get("@context") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(s)) => vec![s.as_str()],
        _ => {
            c.fail("$.@context", "is required and must be an array");
            Vec::new()
        }
    };
    let vc1 = contexts.first() == Some(&CREDENTIALS_V1);
    if !contexts.is_empty() && contexts.first() != Some(&CREDENTIALS_V2) && !vc1 {
        c.fail("$.@context[0]", format!("must be {CREDENTIALS_V2}"));
    }
    if !contexts.is_empty()
        && ![OB_V3_0_0, OB_V3_0_1, OB_V3_0_2, OB_V3_0_3]
            .iter()
            .any(|ob| contexts.contains(ob))
    {
        c.fail("$.@context", "must include an Open Badges 3.0 context");
    }
    if root
        .get("credentialSchema")
        .is_some_and(|v| v.to_string().contains("1EdTechJsonSchemaValidator2019"))
        && !contexts.contains(&crate::context::OB_EXTENSIONS)
    {
        c.fail(
            "$.@context",
            format!(
                "credentialSchema type 1EdTechJsonSchemaValidator2019 needs the {} context",
                crate::context::OB_EXTENSIONS
            ),
        );
    }
    c.iri(root, "id", "$", true);
    c.types(
        root,
        "$",
        &[
            "VerifiableCredential",
            "OpenBadgeCredential|AchievementCredential",
        ],
    );
    c.profile(root.get("issuer"), "$.issuer");
    let (from_key, until_key) = if vc1 {
        ("issuanceDate", "expirationDate")
    } else {
        ("validFrom", "validUntil")
    };
    let from = c.date_time(root, from_key, "$", true);
    let until = c.date_time(root, until_key, "$", false);
    if let (Some(from), Some(until)) = (from, until)
        && until < from
    {
        c.fail(&format!("$.{until_key}"), format!("is before {from_key}"));
    }
    c.date_time(root, "awardedDate", "$", false);
    c.image(root, "$");
    c.subject(root.get("credentialSubject"), "$.credentialSubject");
    for (p, e) in c.each(root, "evidence", "$") {
        if let Some(e) = c.object(Some(e), &p) {
            c.types(e, &p, &["Evidence"]);
            c.iri(e, "id", &p, false);
        }
    }
    for (p, s) in c.each(root, "credentialStatus", "$") {
        if let Some(s) = c.object(Some(s), &p) {
            c.string(s, "type", &p, true);
            c.iri(s, "id", &p, false);
        }
    }
    for (p, s) in c.each(root, "credentialSchema", "$") {
        if let Some(s) = c.object(Some(s), &p) {
            c.iri(s, "id", &p, true);
            c.string(s, "type", &p, true);
        }
    }
    for (p, e) in c.each(root, "endorsement", "$") {
        if let Some(e) = c.object(Some(e), &p) {
            c.types(e, &p, &["VerifiableCredential", "EndorsementCredential"]);
            c.profile(e.get("issuer"), &format!("{p}.issuer"));
            if let Some(s) = c.object(
                e.get("credentialSubject"),
                &format!("{p}.credentialSubject"),
            ) {
                c.iri(s, "id", &format!("{p}.credentialSubject"), true);
                c.types(
                    s,
                    &format!("{p}.credentialSubject"),
                    &["EndorsementSubject"],
                );
            }
        }
    }
    c.out
}

/// Whether the canonical `xsd:double` form of `f` is the same in jsonld.js (16 significant
/// digits, `toExponential(15)`) and in `json-ld` (shortest round-trip digits): true when the
/// 16-digit rounding, trimmed, equals the shortest form and is not an exact rounding tie.
fn portable_double(f: f64) -> bool {
    let sixteen = format!("{f:.15e}");
    let Some((mantissa, exp)) = sixteen.split_once('e') else {
        return false;
    };
    let mantissa = mantissa.trim_end_matches('0');
    let mantissa = mantissa
        .strip_suffix('.')
        .map_or(mantissa.to_owned(), |m| format!("{m}.0"));
    let js = format!("{mantissa}E{exp}");
    let config = pretty_dtoa::FmtFloatConfig::default()
        .force_e_notation()
        .capitalize_e(true);
    // An exact tie at the 17th digit (JS rounds it up, Rust to even): digits 17.. are 5000….
    let tie = format!("{f:.40e}").split_once('e').is_some_and(|(m, _)| {
        m.get(17..).is_some_and(|rest| {
            rest.strip_prefix('5')
                .is_some_and(|zeros| zeros.bytes().all(|b| b == b'0'))
        })
    });
    js == pretty_dtoa::dtoa(f, config) && !tie
}

/// An absolute IRI: a scheme (letter, then letters/digits/`+-.`), a colon, no spaces.
pub(crate) fn looks_like_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn is_identity_hash(h: &str) -> bool {
    let hex = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_hexdigit());
    h.strip_prefix("sha256$").is_some_and(|d| hex(d, 64))
        || h.strip_prefix("md5$").is_some_and(|d| hex(d, 32))
}

#[cfg(test)]
mod tests {
    use super::portable_double;

    #[test]
    fn doubles_needing_17_digits_are_not_portable() {
        assert!(portable_double(1.5));
        assert!(portable_double(0.1));
        assert!(portable_double(12345.678));
        assert!(portable_double(1e-6));
        assert!(!portable_double(0.1 + 0.2));
        assert!(!portable_double(123_456_789.123_456_79));
    }
}
