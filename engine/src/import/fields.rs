//! Reading typed fields out of an Extended JSON document, with the reason a bad record is
//! rejected; and the deterministic ids legacy ObjectIds become.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::extended_json::{Document, Value, hex, parse_oid};

/// Namespace of the UUIDv5s the importer derives from `<collection>/<_id>`. Fixed forever:
/// changing it would make a re-run import everything a second time.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_2a7e_8d4b_4c39_9a51_3e0f_b2d6_c817);

/// The UUID a document of `collection` with `_id` text `object_id` becomes.
pub fn legacy_uuid(collection: &str, object_id: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("{collection}/{object_id}").as_bytes())
}

/// The text form of an id value: ObjectId hex or a plain string.
pub fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::ObjectId(b) => Some(hex(b)),
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// A document's `_id` as text.
pub fn object_id(doc: &Document) -> Result<String, String> {
    match doc.get("_id") {
        None => Err("missing required field _id".into()),
        Some(v) => id_text(v).ok_or_else(|| "_id is neither an ObjectId nor a string".into()),
    }
}

/// A reference field (ObjectId, or its 24-hex string as Prisma's `@db.ObjectId` strings
/// sometimes are exported) turned into the referenced row's id.
pub fn reference(doc: &Document, key: &str, collection: &str) -> Result<Option<Uuid>, String> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => reference_value(v, collection)
            .map(Some)
            .ok_or_else(|| format!("{key} is not an ObjectId")),
    }
}

/// One reference value.
pub fn reference_value(v: &Value, collection: &str) -> Option<Uuid> {
    match v {
        Value::ObjectId(b) => Some(legacy_uuid(collection, &hex(b))),
        Value::String(s) if parse_oid(s).is_some() => {
            Some(legacy_uuid(collection, &s.to_ascii_lowercase()))
        }
        _ => None,
    }
}

/// A required reference.
pub fn required_reference(doc: &Document, key: &str, collection: &str) -> Result<Uuid, String> {
    reference(doc, key, collection)?.ok_or_else(|| format!("missing required field {key}"))
}

/// An optional string; other types are an error naming the field.
pub fn opt_str<'a>(doc: &'a Document, key: &str) -> Result<Option<&'a str>, String> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(format!("{key} is not a string")),
    }
}

/// A required, non-blank string.
pub fn required_str<'a>(doc: &'a Document, key: &str) -> Result<&'a str, String> {
    match opt_str(doc, key)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(format!("missing required field {key}")),
    }
}

/// An optional boolean.
pub fn opt_bool(doc: &Document, key: &str) -> Result<Option<bool>, String> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(format!("{key} is not a boolean")),
    }
}

/// An optional date: a BSON date, or an ISO-8601 string (Prisma keeps some as strings).
pub fn opt_date(doc: &Document, key: &str) -> Result<Option<DateTime<Utc>>, String> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => date_value(v)
            .map(Some)
            .ok_or_else(|| format!("{key} is not a date")),
    }
}

/// One date value.
pub fn date_value(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::DateTime(ms) => DateTime::from_timestamp_millis(*ms),
        Value::String(s) => DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.with_timezone(&Utc)),
        _ => None,
    }
}

/// An optional array of strings.
pub fn str_array(doc: &Document, key: &str) -> Result<Vec<String>, String> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{key} holds a value that is not a string"))
            })
            .collect(),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(_) => Err(format!("{key} is not an array of strings")),
    }
}

/// An optional number as decimal text (for `numeric` columns).
pub fn opt_number(doc: &Document, key: &str) -> Result<Option<String>, String> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Int32(i)) => Ok(Some(i.to_string())),
        Some(Value::Int64(i)) => Ok(Some(i.to_string())),
        Some(Value::Double(d)) if d.is_finite() => Ok(Some(d.to_string())),
        Some(Value::Decimal(s)) if s.parse::<f64>().is_ok_and(f64::is_finite) => {
            Ok(Some(s.clone()))
        }
        Some(_) => Err(format!("{key} is not a finite number")),
    }
}

/// The fields not in `known`, as a relaxed Extended JSON object for the `legacy` column
/// (`None` when there are none).
pub fn legacy(doc: &Document, known: &[&str]) -> Option<serde_json::Value> {
    let extra: serde_json::Map<String, serde_json::Value> = doc
        .iter()
        .filter(|(k, _)| !known.contains(k))
        .map(|(k, v)| (k.to_owned(), v.to_relaxed_json()))
        .collect();
    (!extra.is_empty()).then_some(serde_json::Value::Object(extra))
}

/// The e-mail rule of the schema's `…_email_format` checks: `^[^@\s]+@[^@\s]+$`.
pub fn email_ok(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_per_collection() {
        let a = legacy_uuid("users", "65a1b2c3d4e5f60718293a4b");
        assert_eq!(a, legacy_uuid("users", "65a1b2c3d4e5f60718293a4b"));
        assert_ne!(a, legacy_uuid("Profile", "65a1b2c3d4e5f60718293a4b"));
        assert_eq!(a.get_version_num(), 5);
        let hex_string = Value::String("65A1B2C3D4E5F60718293A4B".into());
        assert_eq!(reference_value(&hex_string, "users"), Some(a));
    }

    #[test]
    fn emails_follow_the_schema_rule() {
        assert!(email_ok("a@b"));
        assert!(!email_ok("a@b@c") && !email_ok("a b@c") && !email_ok("@c") && !email_ok("ab"));
    }
}
