//! Request bodies to canonical SCIM JSON and back out: case-insensitive attribute names become
//! the schema's spelling, Entra's string booleans and bare `manager` values are coerced,
//! read-only attributes are dropped, unknown ones refused; and `attributes` /
//! `excludedAttributes` projection of responses.

use serde_json::{Map, Value};

use super::error::{ScimError, ScimResult};
use super::filter::split_path;
use super::schema::{self, Attr, AttrType, Mutability, ResourceSchema};

/// Checks a body's `schemas`: present, and only URNs the resource type accepts.
pub fn check_schemas(body: &Map<String, Value>, schema: &ResourceSchema) -> ScimResult<()> {
    let list = body
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("schemas"))
        .map(|(_, v)| v)
        .ok_or_else(|| ScimError::InvalidSyntax("`schemas` is required".into()))?;
    let urns = list
        .as_array()
        .ok_or_else(|| ScimError::InvalidSyntax("`schemas` must be an array".into()))?;
    let mut has_core = false;
    for urn in urns {
        let urn = urn
            .as_str()
            .ok_or_else(|| ScimError::InvalidSyntax("`schemas` must list strings".into()))?;
        if !schema.accepts_schema(urn) {
            return Err(ScimError::InvalidSyntax(format!(
                "schema `{urn}` is not supported for {}",
                schema.name
            )));
        }
        has_core |= urn.eq_ignore_ascii_case(schema.core);
    }
    if !has_core {
        return Err(ScimError::InvalidSyntax(format!(
            "`schemas` must contain {}",
            schema.core
        )));
    }
    Ok(())
}

/// Turns a POST/PUT body into canonical JSON (see the module doc).
pub fn canonicalize(body: &Value, schema: &ResourceSchema) -> ScimResult<Map<String, Value>> {
    let obj = body
        .as_object()
        .ok_or_else(|| ScimError::InvalidSyntax("the body must be a JSON object".into()))?;
    check_schemas(obj, schema)?;
    let mut out = Map::new();
    for (key, value) in obj {
        if key.eq_ignore_ascii_case("schemas") {
            continue;
        }
        put(&mut out, schema, key, value)?;
    }
    Ok(out)
}

/// Sets `key` (an attribute name, `urn:…:name`, or an extension URN holding an object).
fn put(
    out: &mut Map<String, Value>,
    schema: &ResourceSchema,
    key: &str,
    value: &Value,
) -> ScimResult<()> {
    if let Some(ext) = schema.extension_urn(key) {
        let obj = value
            .as_object()
            .ok_or_else(|| ScimError::InvalidValue(format!("`{ext}` must be an object")))?;
        for (k, v) in obj
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("schemas"))
        {
            put_in(out, Some(ext), schema, k, v)?;
        }
        return Ok(());
    }
    if let Some((urn, rest)) = schema.split_urn(key) {
        let ext = (urn != schema.core).then_some(urn);
        return put_in(out, ext, schema, rest, value);
    }
    put_in(out, None, schema, key, value)
}

fn put_in(
    out: &mut Map<String, Value>,
    urn: Option<&'static str>,
    schema: &ResourceSchema,
    key: &str,
    value: &Value,
) -> ScimResult<()> {
    let Some(attr) = schema.attr(urn, key) else {
        if schema::is_ignored(key) {
            return Ok(());
        }
        return Err(ScimError::InvalidSyntax(format!(
            "unknown attribute `{key}`"
        )));
    };
    if attr.mutability == Mutability::ReadOnly || value.is_null() {
        // RFC 7643 §2.2: read-only values in requests are ignored; null means unassigned.
        return Ok(());
    }
    let coerced = coerce(attr, value)?;
    let target = match extension_of(schema, urn, attr) {
        Some(ext) => out
            .entry(ext)
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or_else(|| ScimError::InvalidValue(format!("`{ext}` must be an object")))?,
        None => out,
    };
    target.insert(attr.name.to_owned(), coerced);
    Ok(())
}

/// The extension URN an attribute belongs to, if it is an extension attribute.
pub(crate) fn extension_of(
    schema: &ResourceSchema,
    urn: Option<&str>,
    attr: &Attr,
) -> Option<&'static str> {
    if let Some(u) = urn.and_then(|u| schema.extension_urn(u)) {
        return Some(u);
    }
    schema
        .extension
        .filter(|(_, attrs)| attrs.iter().any(|a| std::ptr::eq(a, attr)))
        .map(|(u, _)| u)
}

/// Coerces a value for `attr` (multi-valued: an array, or a lone element wrapped).
pub fn coerce(attr: &Attr, value: &Value) -> ScimResult<Value> {
    if attr.multi {
        let items: Vec<Value> = match value {
            Value::Array(items) => items.clone(),
            Value::Null => Vec::new(),
            other => vec![other.clone()],
        };
        let coerced = items
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| coerce_one(attr, v))
            .collect::<ScimResult<Vec<_>>>()?;
        Ok(Value::Array(coerced))
    } else {
        coerce_one(attr, value)
    }
}

/// Coerces one (non-array) value for `attr`.
pub fn coerce_one(attr: &Attr, value: &Value) -> ScimResult<Value> {
    let wrong =
        || ScimError::InvalidValue(format!("`{}` has a value of the wrong type", attr.name));
    match attr.ty {
        AttrType::Complex => {
            let obj = match value {
                Value::Object(o) => o.clone(),
                // Entra sends the enterprise `manager` as a bare id.
                Value::String(s) if attr.sub.iter().any(|a| a.name == "value") => {
                    let mut m = Map::new();
                    m.insert("value".into(), Value::String(s.clone()));
                    m
                }
                _ => return Err(wrong()),
            };
            let mut out = Map::new();
            for (k, v) in &obj {
                let Some(sub) = schema::find(attr.sub, k) else {
                    if schema::is_ignored(k) {
                        continue;
                    }
                    return Err(ScimError::InvalidSyntax(format!(
                        "unknown attribute `{}.{k}`",
                        attr.name
                    )));
                };
                if v.is_null() || sub.mutability == Mutability::ReadOnly {
                    continue;
                }
                out.insert(sub.name.to_owned(), coerce_one(sub, v)?);
            }
            Ok(Value::Object(out))
        }
        AttrType::Boolean => match value {
            Value::Bool(b) => Ok(Value::Bool(*b)),
            // Entra sends "True" / "False".
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            _ => Err(wrong()),
        },
        AttrType::String | AttrType::Reference | AttrType::DateTime => match value {
            Value::String(s) => Ok(Value::String(s.clone())),
            _ => Err(wrong()),
        },
    }
}

/// Reads a string attribute of canonical JSON.
pub(crate) fn text(obj: &Map<String, Value>, name: &str) -> Option<String> {
    obj.get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
}

/// A parsed `attributes` / `excludedAttributes` entry.
#[derive(Debug, Clone)]
struct Selector {
    urn: Option<&'static str>,
    name: Option<String>,
    sub: Option<String>,
}

fn selector(schema: &ResourceSchema, raw: &str) -> Option<Selector> {
    let raw = raw.trim();
    if let Some(ext) = schema.extension_urn(raw) {
        return Some(Selector {
            urn: Some(ext),
            name: None,
            sub: None,
        });
    }
    let (urn, rest) = match schema.split_urn(raw) {
        Some((u, rest)) => (Some(u), rest),
        None => (None, raw),
    };
    let p = split_path(rest);
    let attr = schema.attr(urn, &p.name)?;
    let urn = extension_of(schema, urn, attr);
    let sub = match &p.sub {
        Some(s) => Some(schema::find(attr.sub, s)?.name.to_owned()),
        None => None,
    };
    Some(Selector {
        urn,
        name: Some(attr.name.to_owned()),
        sub,
    })
}

fn container<'a>(
    obj: &'a mut Map<String, Value>,
    urn: Option<&str>,
) -> Option<&'a mut Map<String, Value>> {
    match urn {
        None => Some(obj),
        Some(u) => obj.get_mut(u)?.as_object_mut(),
    }
}

/// Applies `attributes` (keep only these, plus `id` and `schemas`) and `excludedAttributes`
/// (drop these) to a resource. Unknown names are ignored, as RFC 7644 §3.9 allows.
pub fn project(
    resource: &mut Value,
    schema: &ResourceSchema,
    attributes: &[String],
    excluded: &[String],
) {
    let Some(obj) = resource.as_object_mut() else {
        return;
    };
    if !attributes.is_empty() {
        let mut kept = Map::new();
        for key in ["schemas", "id"] {
            if let Some(v) = obj.get(key) {
                kept.insert(key.into(), v.clone());
            }
        }
        for sel in attributes.iter().filter_map(|a| selector(schema, a)) {
            copy_selected(obj, &mut kept, &sel);
        }
        *obj = kept;
    }
    for sel in excluded.iter().filter_map(|a| selector(schema, a)) {
        if sel.name.as_deref() == Some("id") {
            continue;
        }
        match (&sel.name, &sel.sub) {
            (None, _) => {
                if let Some(u) = sel.urn {
                    obj.remove(u);
                }
            }
            (Some(name), None) => {
                if let Some(c) = container(obj, sel.urn) {
                    c.remove(name);
                }
            }
            (Some(name), Some(sub)) => {
                if let Some(v) = container(obj, sel.urn).and_then(|c| c.get_mut(name)) {
                    strip_sub(v, sub);
                }
            }
        }
    }
}

fn strip_sub(v: &mut Value, sub: &str) {
    match v {
        Value::Object(o) => {
            o.remove(sub);
        }
        Value::Array(items) => {
            for item in items {
                if let Value::Object(o) = item {
                    o.remove(sub);
                }
            }
        }
        _ => {}
    }
}

fn copy_selected(from: &Map<String, Value>, to: &mut Map<String, Value>, sel: &Selector) {
    let source = match sel.urn {
        None => Some(from),
        Some(u) => from.get(u).and_then(Value::as_object),
    };
    let Some(source) = source else {
        return;
    };
    let target = match sel.urn {
        None => to,
        Some(u) => match to
            .entry(u)
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
        {
            Some(t) => t,
            None => return,
        },
    };
    let Some(name) = &sel.name else {
        for (k, v) in source {
            target.insert(k.clone(), v.clone());
        }
        return;
    };
    let Some(value) = source.get(name) else {
        return;
    };
    match &sel.sub {
        None => {
            target.insert(name.clone(), value.clone());
        }
        Some(sub) => {
            let picked = match value {
                Value::Object(o) => o.get(sub).map(|v| {
                    let mut m = match target.get(name) {
                        Some(Value::Object(existing)) => existing.clone(),
                        _ => Map::new(),
                    };
                    m.insert(sub.clone(), v.clone());
                    Value::Object(m)
                }),
                Value::Array(items) => Some(Value::Array(
                    items
                        .iter()
                        .filter_map(|i| i.get(sub))
                        .map(|v| {
                            let mut m = Map::new();
                            m.insert(sub.clone(), v.clone());
                            Value::Object(m)
                        })
                        .collect(),
                )),
                _ => None,
            };
            if let Some(p) = picked {
                target.insert(name.clone(), p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::{ENTERPRISE_USER, GROUP_SCHEMA, USER_SCHEMA};
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_names_and_entra_quirks() {
        let body = json!({
            "schemas": [schema::USER, ENTERPRISE_USER],
            "USERNAME": "a@b.c",
            "Active": "False",
            "roles": [],
            "id": "ignored",
            "name": { "Formatted": "x y", "givenName": "x" },
            "phoneNumbers": [{ "value": "1", "display": "one" }],
            "emails": [{ "value": "a@b.c", "Primary": "True", "type": "work" }],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user": { "manager": "m1", "Department": "R" },
        });
        let out = canonicalize(&body, &USER_SCHEMA).expect("ok");
        assert_eq!(out["userName"], "a@b.c");
        assert_eq!(out["active"], false);
        assert!(!out.contains_key("id"));
        assert_eq!(out["name"], json!({ "givenName": "x" }));
        assert_eq!(out["emails"][0]["primary"], true);
        assert_eq!(out[ENTERPRISE_USER]["manager"], json!({ "value": "m1" }));
        assert_eq!(out[ENTERPRISE_USER]["department"], "R");
    }

    #[test]
    fn refuses_unknown_attributes_and_schemas() {
        let unknown = json!({ "schemas": [schema::USER], "userName": "a", "shoeSize": 9 });
        assert!(matches!(
            canonicalize(&unknown, &USER_SCHEMA),
            Err(ScimError::InvalidSyntax(_))
        ));
        let wrong = json!({ "schemas": [schema::GROUP], "userName": "a" });
        assert!(matches!(
            canonicalize(&wrong, &USER_SCHEMA),
            Err(ScimError::InvalidSyntax(_))
        ));
        let missing = json!({ "userName": "a" });
        assert!(matches!(
            canonicalize(&missing, &USER_SCHEMA),
            Err(ScimError::InvalidSyntax(_))
        ));
        let bad_type = json!({ "schemas": [schema::USER], "userName": 5 });
        assert!(matches!(
            canonicalize(&bad_type, &USER_SCHEMA),
            Err(ScimError::InvalidValue(_))
        ));
        let entra_group =
            json!({ "schemas": [schema::GROUP, schema::ENTRA_GROUP], "displayName": "g" });
        assert!(canonicalize(&entra_group, &GROUP_SCHEMA).is_ok());
    }

    #[test]
    fn projection() {
        let mut u = json!({
            "schemas": [schema::USER], "id": "1", "userName": "a", "displayName": "A",
            "name": { "givenName": "g", "familyName": "f" },
            "emails": [{ "value": "a@b.c", "type": "work" }],
            ENTERPRISE_USER: { "department": "R" },
            "meta": { "resourceType": "User" }
        });
        let mut a = u.clone();
        project(
            &mut a,
            &USER_SCHEMA,
            &[
                "USERNAME".into(),
                "name.givenName".into(),
                "emails.value".into(),
                "department".into(),
            ],
            &[],
        );
        assert_eq!(
            a,
            json!({
                "schemas": [schema::USER], "id": "1", "userName": "a", "name": { "givenName": "g" },
                "emails": [{ "value": "a@b.c" }], ENTERPRISE_USER: { "department": "R" }
            })
        );
        project(
            &mut u,
            &USER_SCHEMA,
            &[],
            &[
                "emails".into(),
                "name.familyName".into(),
                "id".into(),
                ENTERPRISE_USER.into(),
            ],
        );
        assert!(u.get("emails").is_none() && u.get(ENTERPRISE_USER).is_none());
        assert_eq!(u["name"], json!({ "givenName": "g" }));
        assert_eq!(u["id"], "1");
    }
}
