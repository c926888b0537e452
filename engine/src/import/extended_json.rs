//! MongoDB Extended JSON v2 (canonical and relaxed, plus the v1 shapes `mongoexport` still
//! writes for `$date` numbers and `$binary`/`$type`), parsed into an order-preserving tree.
//!
//! Why not `serde_json::Value`: the workspace builds serde_json without `preserve_order`, so
//! its maps sort keys, and a signed credential must be served with its keys in the order it
//! was issued. Why not the `bson` crate: it would still need an order-preserving JSON value
//! first, and brings a second date library; the wrapper grammar is small. The parser enforces
//! a nesting limit itself (serde_json's own limit is a fixed 128).

use std::fmt;

use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// A parsed Extended JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null` (also `{"$undefined": true}`).
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A 32-bit integer (`{"$numberInt"}` or a small relaxed integer).
    Int32(i32),
    /// A 64-bit integer (`{"$numberLong"}` or a large relaxed integer).
    Int64(i64),
    /// A double (`{"$numberDouble"}` or a relaxed number with a fraction or exponent).
    Double(f64),
    /// `{"$numberDecimal": "…"}`, kept as its decimal text.
    Decimal(String),
    /// A string (also `{"$symbol"}`).
    String(String),
    /// `{"$oid": "<24 hex digits>"}`.
    ObjectId([u8; 12]),
    /// `{"$date": …}` as milliseconds since the Unix epoch.
    DateTime(i64),
    /// `{"$binary": …}` / `{"$uuid": …}`.
    Binary {
        /// BSON binary subtype (4 = UUID).
        subtype: u8,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// Any other typed wrapper (`$timestamp`, `$regularExpression`, `$minKey`, `$code`, …),
    /// kept as written.
    Other(Document),
    /// An array.
    Array(Vec<Value>),
    /// A document (object), keys in source order.
    Document(Document),
}

/// An ordered list of fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document(pub Vec<(String, Value)>);

impl Document {
    /// The first field called `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether the document has a field called `key` (even `null`).
    pub fn contains(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// Fields in source order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The document, if this is one.
    pub fn as_document(&self) -> Option<&Document> {
        match self {
            Value::Document(d) => Some(d),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as relaxed Extended JSON (what `legacy` columns keep: types survive, e.g.
    /// `{"$oid": …}`, `{"$date": "…"}`, `{"$numberDecimal": "…"}`).
    pub fn to_relaxed_json(&self) -> serde_json::Value {
        use serde_json::{Value as J, json};
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int32(i) => json!(i),
            Value::Int64(i) => json!(i),
            Value::Double(d) => serde_json::Number::from_f64(*d)
                .map(J::Number)
                .unwrap_or_else(|| json!({ "$numberDouble": double_word(*d) })),
            Value::Decimal(s) => json!({ "$numberDecimal": s }),
            Value::String(s) => J::String(s.clone()),
            Value::ObjectId(b) => json!({ "$oid": hex(b) }),
            Value::DateTime(ms) => match iso_millis(*ms) {
                Some(s) => json!({ "$date": s }),
                None => json!({ "$date": { "$numberLong": ms.to_string() } }),
            },
            Value::Binary { subtype, bytes } => json!({ "$binary": {
                "base64": base64::engine::general_purpose::STANDARD.encode(bytes),
                "subType": format!("{subtype:02x}"),
            }}),
            Value::Other(d) | Value::Document(d) => J::Object(
                d.0.iter()
                    .map(|(k, v)| (k.clone(), v.to_relaxed_json()))
                    .collect(),
            ),
            Value::Array(items) => J::Array(items.iter().map(Value::to_relaxed_json).collect()),
        }
    }

    /// Writes the value as the old system's API served it: `JSON.stringify` of the document
    /// the MongoDB driver returned — keys in stored order, no whitespace, dates as
    /// `Date.prototype.toISOString()`, ObjectIds as hex, numbers as JavaScript prints them.
    pub fn write_js_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int32(i) => out.push_str(&i.to_string()),
            Value::Int64(i) => out.push_str(&i.to_string()),
            Value::Double(d) => out.push_str(&js_number(*d)),
            Value::Decimal(s) | Value::String(s) => write_js_string(out, s),
            Value::ObjectId(b) => write_js_string(out, &hex(b)),
            Value::DateTime(ms) => match iso_millis(*ms) {
                Some(s) => write_js_string(out, &s),
                None => out.push_str("null"),
            },
            Value::Binary { bytes, .. } => write_js_string(
                out,
                &base64::engine::general_purpose::STANDARD.encode(bytes),
            ),
            Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_js_json(out);
                }
                out.push(']');
            }
            Value::Other(d) | Value::Document(d) => {
                out.push('{');
                for (i, (k, v)) in d.0.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_js_string(out, k);
                    out.push(':');
                    v.write_js_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// `JSON.stringify` string escaping (the same as serde_json's compact writer).
pub fn write_js_string(out: &mut String, s: &str) {
    // serde_json escapes exactly what JSON.stringify escapes: `"`, `\` and control characters.
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

/// A double as JavaScript's `Number.prototype.toString` writes it.
fn js_number(d: f64) -> String {
    if !d.is_finite() {
        // JSON.stringify writes NaN and ±Infinity as null.
        return "null".into();
    }
    if d == d.trunc() && d.abs() < 1e21 {
        return format!("{}", d as i128);
    }
    let abs = d.abs();
    if (1e-7..1e21).contains(&abs) {
        // Rust's `Display` is the shortest round-trip form without exponent, as JS uses here.
        return format!("{d}");
    }
    // JS: mantissa, `e`, explicit sign (`1e+21`, `1.5e-7`).
    let s = format!("{d:e}");
    match s.split_once('e') {
        Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
        _ => s,
    }
}

fn double_word(d: f64) -> &'static str {
    if d.is_nan() {
        "NaN"
    } else if d > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `2024-01-02T03:04:05.678Z`, as JavaScript's `toISOString()`.
pub fn iso_millis(ms: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Millis, true))
}

/// Limits on one document.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of documents and arrays (MongoDB itself allows 100).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 100 }
    }
}

/// Why a document is not valid Extended JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not JSON at all (with serde_json's description and position).
    #[error("not valid JSON: {0}")]
    Json(String),
    /// Nested deeper than the limit.
    #[error("nested deeper than {0} levels")]
    TooDeep(usize),
    /// A `$`-wrapper with the wrong shape, e.g. `{"$oid": 5}`.
    #[error("malformed Extended JSON {wrapper}: {reason}")]
    Wrapper {
        /// The wrapper key, e.g. `$oid`.
        wrapper: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The top level is not a document.
    #[error("the record is not a JSON object")]
    NotADocument,
}

/// Parses one Extended JSON document.
pub fn parse_document(bytes: &[u8], limits: Limits) -> Result<Document, ParseError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut failure = None;
    let seed = Seed {
        depth: 0,
        limits,
        failure: &mut failure,
    };
    let parsed = seed.deserialize(&mut de);
    if let Some(f) = failure {
        return Err(f);
    }
    let value = parsed.map_err(|e| ParseError::Json(e.to_string()))?;
    de.end().map_err(|e| ParseError::Json(e.to_string()))?;
    match value {
        Value::Document(d) => Ok(d),
        _ => Err(ParseError::NotADocument),
    }
}

/// Carries the depth down the tree and the first typed failure back up (serde's own error
/// type would turn it into a string).
struct Seed<'f> {
    depth: usize,
    limits: Limits,
    failure: &'f mut Option<ParseError>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Seed<'_> {
    fn child(&mut self) -> Seed<'_> {
        Seed {
            depth: self.depth + 1,
            limits: self.limits,
            failure: self.failure,
        }
    }

    fn fail<E: de::Error>(&mut self, e: ParseError) -> E {
        let msg = e.to_string();
        if self.failure.is_none() {
            *self.failure = Some(e);
        }
        E::custom(msg)
    }

    fn enter<E: de::Error>(&mut self) -> Result<(), E> {
        if self.depth >= self.limits.max_depth {
            let limit = self.limits.max_depth;
            return Err(self.fail(ParseError::TooDeep(limit)));
        }
        Ok(())
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an Extended JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(i32::try_from(i).map_or(Value::Int64(i), Value::Int32))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(match i64::try_from(u) {
            Ok(i) => i32::try_from(i).map_or(Value::Int64(i), Value::Int32),
            Err(_) => Value::Double(u as f64),
        })
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Double(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(v) = seq.next_element_seed(self.child())? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut fields = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.child())?;
            fields.push((key, value));
        }
        let doc = Document(fields);
        match wrapper(doc) {
            Ok(v) => Ok(v),
            Err(e) => Err(self.fail(e)),
        }
    }
}

fn bad(wrapper: &'static str, reason: impl Into<String>) -> ParseError {
    ParseError::Wrapper {
        wrapper,
        reason: reason.into(),
    }
}

/// Turns a `$`-wrapper document into its typed value; other documents pass through.
fn wrapper(doc: Document) -> Result<Value, ParseError> {
    let Some((first, _)) = doc.0.first() else {
        return Ok(Value::Document(doc));
    };
    if !first.starts_with('$') {
        return Ok(Value::Document(doc));
    }
    let single = doc.0.len() == 1;
    let only = |w: &'static str| -> Result<&Value, ParseError> {
        if single {
            Ok(&doc.0[0].1)
        } else {
            Err(bad(w, "must be the only key of its object"))
        }
    };
    let text = |w: &'static str| -> Result<&str, ParseError> {
        only(w)?
            .as_str()
            .ok_or_else(|| bad(w, "the value must be a string"))
    };
    Ok(match first.as_str() {
        "$oid" => {
            let s = text("$oid")?;
            Value::ObjectId(
                parse_oid(s).ok_or_else(|| bad("$oid", format!("{s:?} is not 24 hex digits")))?,
            )
        }
        "$numberInt" => {
            let s = text("$numberInt")?;
            Value::Int32(
                s.parse()
                    .map_err(|_| bad("$numberInt", format!("{s:?} is not a 32-bit integer")))?,
            )
        }
        "$numberLong" => {
            let s = text("$numberLong")?;
            Value::Int64(
                s.parse()
                    .map_err(|_| bad("$numberLong", format!("{s:?} is not a 64-bit integer")))?,
            )
        }
        "$numberDouble" => {
            let s = text("$numberDouble")?;
            Value::Double(match s {
                "Infinity" => f64::INFINITY,
                "-Infinity" => f64::NEG_INFINITY,
                "NaN" => f64::NAN,
                _ => s
                    .parse()
                    .map_err(|_| bad("$numberDouble", format!("{s:?} is not a number")))?,
            })
        }
        "$numberDecimal" => {
            let s = text("$numberDecimal")?;
            let ok = matches!(s, "Infinity" | "-Infinity" | "NaN") || s.parse::<f64>().is_ok();
            if !ok {
                return Err(bad("$numberDecimal", format!("{s:?} is not a decimal")));
            }
            Value::Decimal(s.to_owned())
        }
        "$date" => Value::DateTime(match only("$date")? {
            Value::String(s) => DateTime::parse_from_rfc3339(s)
                .map_err(|_| bad("$date", format!("{s:?} is not an ISO-8601 date-time")))?
                .timestamp_millis(),
            Value::Int64(ms) => *ms,
            Value::Int32(ms) => i64::from(*ms),
            _ => {
                return Err(bad(
                    "$date",
                    "expected an ISO-8601 string or {\"$numberLong\": …}",
                ));
            }
        }),
        "$binary" => binary(&doc)?,
        "$uuid" => {
            let s = text("$uuid")?;
            let u = uuid::Uuid::parse_str(s)
                .map_err(|_| bad("$uuid", format!("{s:?} is not a UUID")))?;
            Value::Binary {
                subtype: 4,
                bytes: u.as_bytes().to_vec(),
            }
        }
        "$symbol" => Value::String(text("$symbol")?.to_owned()),
        "$undefined" => {
            only("$undefined")?;
            Value::Null
        }
        "$timestamp" | "$regularExpression" | "$minKey" | "$maxKey" | "$code" | "$dbPointer" => {
            Value::Other(doc)
        }
        // Not a type wrapper: a field that merely starts with `$`.
        _ => Value::Document(doc),
    })
}

fn binary(doc: &Document) -> Result<Value, ParseError> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let decode = |s: &str| {
        b64.decode(s)
            .map_err(|_| bad("$binary", "base64 payload does not decode"))
    };
    let subtype = |s: &str| {
        u8::from_str_radix(s, 16)
            .map_err(|_| bad("$binary", format!("subType {s:?} is not 1–2 hex digits")))
    };
    match (doc.0.as_slice(), doc.get("$type")) {
        // v2: {"$binary": {"base64": "…", "subType": "04"}}
        ([(_, Value::Document(inner))], None) => {
            let data = inner
                .get("base64")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("$binary", "missing base64"))?;
            let st = inner
                .get("subType")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("$binary", "missing subType"))?;
            Ok(Value::Binary {
                subtype: subtype(st)?,
                bytes: decode(data)?,
            })
        }
        // v1: {"$binary": "…", "$type": "00"}
        ([(_, Value::String(data)), _], Some(Value::String(st))) => Ok(Value::Binary {
            subtype: subtype(st)?,
            bytes: decode(data)?,
        }),
        _ => Err(bad("$binary", "expected {\"base64\": …, \"subType\": …}")),
    }
}

/// 24 hex digits → 12 bytes.
pub fn parse_oid(s: &str) -> Option<[u8; 12]> {
    if s.len() != 24 {
        return None;
    }
    let mut out = [0u8; 12];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        parse_document(s.as_bytes(), Limits::default()).unwrap()
    }

    #[test]
    fn canonical_and_relaxed_forms_agree() {
        let canonical = doc(
            r#"{"_id":{"$oid":"65a1b2c3d4e5f60718293a4b"},"n":{"$numberInt":"7"},"l":{"$numberLong":"9007199254740993"},
                "d":{"$numberDouble":"1.5"},"t":{"$date":{"$numberLong":"1704067200123"}}}"#,
        );
        let relaxed = doc(
            r#"{"_id":{"$oid":"65a1b2c3d4e5f60718293a4b"},"n":7,"l":9007199254740993,"d":1.5,"t":{"$date":"2024-01-01T00:00:00.123Z"}}"#,
        );
        assert_eq!(canonical, relaxed);
        assert_eq!(
            canonical.get("t"),
            Some(&Value::DateTime(1_704_067_200_123))
        );
        assert_eq!(
            canonical.get("l"),
            Some(&Value::Int64(9_007_199_254_740_993))
        );
    }

    #[test]
    fn every_wrapper_parses() {
        let d = doc(
            r#"{"dec":{"$numberDecimal":"3.10"},"bin":{"$binary":{"base64":"AQI=","subType":"00"}},
                "old":{"$binary":"AQI=","$type":"80"},"u":{"$uuid":"00112233-4455-6677-8899-aabbccddeeff"},
                "inf":{"$numberDouble":"-Infinity"},"ts":{"$timestamp":{"t":1,"i":2}},"$plain":1,
                "legacy_date":{"$date":1704067200000},"und":{"$undefined":true}}"#,
        );
        assert_eq!(d.get("dec"), Some(&Value::Decimal("3.10".into())));
        assert_eq!(
            d.get("bin"),
            Some(&Value::Binary {
                subtype: 0,
                bytes: vec![1, 2]
            })
        );
        assert_eq!(
            d.get("old"),
            Some(&Value::Binary {
                subtype: 0x80,
                bytes: vec![1, 2]
            })
        );
        assert!(
            matches!(d.get("u"), Some(Value::Binary { subtype: 4, bytes }) if bytes.len() == 16)
        );
        assert_eq!(d.get("inf"), Some(&Value::Double(f64::NEG_INFINITY)));
        assert!(matches!(d.get("ts"), Some(Value::Other(_))));
        assert_eq!(d.get("$plain"), Some(&Value::Int32(1)));
        assert_eq!(
            d.get("legacy_date"),
            Some(&Value::DateTime(1_704_067_200_000))
        );
        assert_eq!(d.get("und"), Some(&Value::Null));
    }

    #[test]
    fn malformed_wrappers_are_named() {
        for (input, wrapper) in [
            (r#"{"a":{"$oid":5}}"#, "$oid"),
            (r#"{"a":{"$oid":"xyz"}}"#, "$oid"),
            (r#"{"a":{"$date":"yesterday"}}"#, "$date"),
            (r#"{"a":{"$numberLong":"1.5"}}"#, "$numberLong"),
            (r#"{"a":{"$oid":"65a1b2c3d4e5f60718293a4b","x":1}}"#, "$oid"),
            (
                r#"{"a":{"$binary":{"base64":"!!","subType":"00"}}}"#,
                "$binary",
            ),
        ] {
            match parse_document(input.as_bytes(), Limits::default()) {
                Err(ParseError::Wrapper { wrapper: w, .. }) => assert_eq!(w, wrapper, "{input}"),
                other => panic!("{input}: {other:?}"),
            }
        }
        assert!(matches!(
            parse_document(b"{\"a\":", Limits::default()),
            Err(ParseError::Json(_))
        ));
        assert!(matches!(
            parse_document(b"[1]", Limits::default()),
            Err(ParseError::NotADocument)
        ));
    }

    #[test]
    fn nesting_is_limited() {
        let deep = format!("{}1{}", "{\"a\":[".repeat(30), "]}".repeat(30));
        assert!(parse_document(deep.as_bytes(), Limits { max_depth: 61 }).is_ok());
        assert_eq!(
            parse_document(deep.as_bytes(), Limits { max_depth: 20 }),
            Err(ParseError::TooDeep(20))
        );
    }

    #[test]
    fn js_serialisation_keeps_order_and_js_number_forms() {
        let d = doc(
            r#"{"z":1,"a":{"$date":"2024-01-01T00:00:00Z"},"f":3.0,"g":0.1,"h":1e21,"s":"é\"\n","o":{"$oid":"65a1b2c3d4e5f60718293a4b"}}"#,
        );
        let mut out = String::new();
        Value::Document(d).write_js_json(&mut out);
        assert_eq!(
            out,
            r#"{"z":1,"a":"2024-01-01T00:00:00.000Z","f":3,"g":0.1,"h":1e+21,"s":"é\"\n","o":"65a1b2c3d4e5f60718293a4b"}"#
        );
    }

    #[test]
    fn relaxed_json_keeps_types() {
        let d =
            doc(r#"{"t":{"$date":{"$numberLong":"0"}},"o":{"$oid":"65a1b2c3d4e5f60718293a4b"}}"#);
        assert_eq!(
            Value::Document(d).to_relaxed_json(),
            serde_json::json!({"t":{"$date":"1970-01-01T00:00:00.000Z"},"o":{"$oid":"65a1b2c3d4e5f60718293a4b"}})
        );
    }
}
