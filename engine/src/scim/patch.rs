//! SCIM PATCH (RFC 7644 §3.5.2) over a resource's canonical JSON: add / replace / remove, with
//! and without `path`, value-filtered paths and sub-attributes, plus Entra's deviations
//! (operation names in any case, path-less objects whose keys are paths, member removal by
//! `value`, replace of `emails[type eq "work"].value` when no work e-mail exists yet).

use nom::bytes::complete::take_while1;
use nom::character::complete::{char, multispace0};
use nom::combinator::opt;
use nom::sequence::{delimited, pair, preceded};
use serde_json::{Map, Value};

use super::error::{ScimError, ScimResult};
use super::filter::{CompareOp, Filter, Literal, or_expression};
use super::resource::{coerce, coerce_one, extension_of};
use super::schema::{self, Attr, AttrType, Mutability, ResourceSchema};

/// The three PATCH operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    /// `add`.
    Add,
    /// `replace`.
    Replace,
    /// `remove`.
    Remove,
}

/// One operation of a PATCH request.
#[derive(Debug, Clone)]
pub struct Operation {
    /// What to do.
    pub op: OpKind,
    /// Where, if given.
    pub path: Option<String>,
    /// The value, if given.
    pub value: Option<Value>,
}

/// Parses a PatchOp message.
pub fn parse(body: &Value) -> ScimResult<Vec<Operation>> {
    let obj = body
        .as_object()
        .ok_or_else(|| ScimError::InvalidSyntax("the body must be a JSON object".into()))?;
    let get = |name: &str| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let schemas = get("schemas")
        .and_then(Value::as_array)
        .ok_or_else(|| ScimError::InvalidSyntax("`schemas` is required".into()))?;
    if !schemas.iter().any(|s| {
        s.as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case(schema::PATCH_OP))
    }) {
        return Err(ScimError::InvalidSyntax(format!(
            "`schemas` must be [\"{}\"]",
            schema::PATCH_OP
        )));
    }
    let ops = get("Operations")
        .and_then(Value::as_array)
        .ok_or_else(|| ScimError::InvalidSyntax("`Operations` must be an array".into()))?;
    if ops.is_empty() {
        return Err(ScimError::InvalidSyntax("`Operations` is empty".into()));
    }
    ops.iter()
        .map(|o| {
            let o = o
                .as_object()
                .ok_or_else(|| ScimError::InvalidSyntax("an operation must be an object".into()))?;
            let field = |name: &str| {
                o.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            };
            let op = match field("op")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("add") => OpKind::Add,
                Some("replace") => OpKind::Replace,
                Some("remove") => OpKind::Remove,
                _ => {
                    return Err(ScimError::InvalidSyntax(
                        "`op` must be add, replace or remove".into(),
                    ));
                }
            };
            let path = match field("path") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if s.trim().is_empty() => None,
                Some(Value::String(s)) => Some(s.trim().to_owned()),
                Some(_) => return Err(ScimError::InvalidPath("`path` must be a string".into())),
            };
            let value = field("value").filter(|v| !v.is_null()).cloned();
            if op != OpKind::Remove && value.is_none() {
                return Err(ScimError::InvalidValue(format!("{op:?} needs a `value`")));
            }
            Ok(Operation { op, path, value })
        })
        .collect()
}

/// A resolved PATCH path.
#[derive(Debug)]
pub struct Target {
    /// Extension URN holding the attribute, if any.
    pub urn: Option<&'static str>,
    /// The attribute.
    pub attr: &'static Attr,
    /// Value filter (`members[value eq "…"]`).
    pub filter: Option<Filter>,
    /// Sub-attribute (`name.familyName`, `emails[…].value`).
    pub sub: Option<&'static Attr>,
}

fn name_token(i: &str) -> nom::IResult<&str, &str> {
    take_while1(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$'))(i)
}

/// Resolves a path; `Ok(None)` for RFC attributes we accept and ignore.
pub fn resolve_path(raw: &str, schema: &ResourceSchema) -> ScimResult<Option<Target>> {
    super::filter::check_limits(raw)
        .map_err(|why| ScimError::InvalidPath(format!("the path {why}")))?;
    let bad = || ScimError::InvalidPath(format!("`{raw}`"));
    let (urn, rest) = match schema.split_urn(raw) {
        Some((u, rest)) => (Some(u).filter(|u| *u != schema.core), rest),
        None => (None, raw),
    };
    let parsed = pair(
        name_token,
        pair(
            opt(delimited(
                pair(char('['), multispace0),
                or_expression,
                pair(multispace0, char(']')),
            )),
            opt(preceded(char('.'), name_token)),
        ),
    )(rest);
    let (name, filter, sub) = match parsed {
        Ok(("", (name, (filter, sub)))) => (name, filter, sub),
        _ => return Err(bad()),
    };
    let Some(attr) = schema.attr(urn, name) else {
        if schema::is_ignored(name) && urn.is_none() {
            return Ok(None);
        }
        return Err(ScimError::InvalidPath(format!(
            "unknown attribute `{name}`"
        )));
    };
    if matches!(attr.name, "id" | "meta") {
        return Err(ScimError::Mutability(attr.name.into()));
    }
    let filter = match filter {
        Some(f) if attr.multi => Some(f.resolve_within(attr.sub)?),
        Some(_) => {
            return Err(ScimError::InvalidPath(format!(
                "`{}` is not multi-valued",
                attr.name
            )));
        }
        None => None,
    };
    let sub = match sub {
        None => None,
        Some(s) => match schema::find(attr.sub, s) {
            Some(found) => Some(found),
            None if schema::is_ignored(s) => return Ok(None),
            None => {
                return Err(ScimError::InvalidPath(format!(
                    "unknown attribute `{}.{s}`",
                    attr.name
                )));
            }
        },
    };
    let leaf = sub.unwrap_or(attr);
    if leaf.mutability == Mutability::ReadOnly {
        // Read-only values (name.formatted, members.display …) are ignored, not refused.
        return Ok(None);
    }
    Ok(Some(Target {
        urn: extension_of(schema, urn, attr),
        attr,
        filter,
        sub,
    }))
}

/// Applies every operation to `resource` (canonical JSON) in order.
pub fn apply(
    resource: &mut Map<String, Value>,
    ops: &[Operation],
    schema: &ResourceSchema,
) -> ScimResult<()> {
    for op in ops {
        apply_one(
            resource,
            op.op,
            op.path.as_deref(),
            op.value.as_ref(),
            schema,
        )?;
    }
    Ok(())
}

fn apply_one(
    resource: &mut Map<String, Value>,
    op: OpKind,
    path: Option<&str>,
    value: Option<&Value>,
    schema: &ResourceSchema,
) -> ScimResult<()> {
    let Some(path) = path else {
        if op == OpKind::Remove {
            return Err(ScimError::NoTarget("remove needs a `path`".into()));
        }
        // Without a path the value is an object whose keys are paths (Entra sends
        // `{"name.givenName": …, "urn:…:User:department": …}` as well as plain names).
        let obj = value.and_then(Value::as_object).ok_or_else(|| {
            ScimError::InvalidValue("without `path`, `value` must be an object".into())
        })?;
        for (key, v) in obj {
            if key.eq_ignore_ascii_case("schemas") {
                continue;
            }
            if let Some(ext) = schema.extension_urn(key) {
                let inner = v
                    .as_object()
                    .ok_or_else(|| ScimError::InvalidValue(format!("`{ext}` must be an object")))?;
                for (k, iv) in inner {
                    apply_one(resource, op, Some(&format!("{ext}:{k}")), Some(iv), schema)?;
                }
            } else {
                apply_one(resource, op, Some(key), Some(v), schema)?;
            }
        }
        return Ok(());
    };
    if let Some(ext) = schema.extension_urn(path) {
        // The whole extension: remove it, or set each attribute of the object given.
        if op == OpKind::Remove {
            resource.remove(ext);
            return Ok(());
        }
        let obj = value
            .and_then(Value::as_object)
            .ok_or_else(|| ScimError::InvalidValue(format!("`{ext}` must be an object")))?;
        for (k, v) in obj {
            if k.eq_ignore_ascii_case("schemas") {
                continue;
            }
            apply_one(resource, op, Some(&format!("{ext}:{k}")), Some(v), schema)?;
        }
        return Ok(());
    }
    let Some(target) = resolve_path(path, schema)? else {
        return Ok(());
    };
    let container = match target.urn {
        None => resource,
        Some(u) => resource
            .entry(u)
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or_else(|| ScimError::InvalidValue(format!("`{u}` must be an object")))?,
    };
    match op {
        OpKind::Add | OpKind::Replace => {
            let value =
                value.ok_or_else(|| ScimError::InvalidValue("`value` is required".into()))?;
            if value.is_null() {
                return remove(container, &target, None);
            }
            set(container, &target, op, value)
        }
        OpKind::Remove => remove(container, &target, value),
    }
}

fn set(
    container: &mut Map<String, Value>,
    t: &Target,
    op: OpKind,
    value: &Value,
) -> ScimResult<()> {
    let name = t.attr.name;
    match (&t.filter, t.sub) {
        (None, None) if t.attr.multi => {
            let new = into_items(coerce(t.attr, value)?);
            let items = if op == OpKind::Add {
                let mut items = into_items(container.remove(name).unwrap_or(Value::Null));
                for item in new {
                    let key = item.get("value").cloned();
                    let duplicate = items
                        .iter()
                        .any(|i| *i == item || (key.is_some() && i.get("value") == key.as_ref()));
                    if !duplicate {
                        items.push(item);
                    }
                }
                items
            } else {
                new
            };
            container.insert(name.into(), Value::Array(one_primary(items)));
        }
        (None, None) if t.attr.ty == AttrType::Complex => {
            let new = coerce_one(t.attr, value)?;
            merge_into(
                container
                    .entry(name)
                    .or_insert_with(|| Value::Object(Map::new())),
                new,
            );
        }
        (None, None) => {
            container.insert(name.into(), coerce_one(t.attr, value)?);
        }
        (None, Some(sub)) => {
            let v = coerce_one(sub, value)?;
            let slot = container.entry(name).or_insert_with(|| {
                if t.attr.multi {
                    Value::Array(Vec::new())
                } else {
                    Value::Object(Map::new())
                }
            });
            match slot {
                Value::Object(o) => {
                    o.insert(sub.name.into(), v);
                }
                Value::Array(items) => {
                    for item in items.iter_mut().filter_map(Value::as_object_mut) {
                        item.insert(sub.name.into(), v.clone());
                    }
                }
                _ => *slot = Value::Object(Map::from_iter([(sub.name.to_owned(), v)])),
            }
        }
        (Some(filter), sub) => {
            let mut items = into_items(container.remove(name).unwrap_or(Value::Null));
            let mut matched = false;
            for item in items.iter_mut().filter(|i| filter.matches(i)) {
                matched = true;
                match sub {
                    Some(s) => {
                        if let Value::Object(o) = item {
                            o.insert(s.name.into(), coerce_one(s, value)?);
                        }
                    }
                    None => merge_into(item, coerce_one(t.attr, value)?),
                }
            }
            if !matched {
                // Entra replaces `emails[type eq "work"].value` on users without a work e-mail
                // and expects the value to be added; any other unmatched filter is an error.
                match (filter, sub) {
                    (Filter::Compare(p, CompareOp::Eq, Literal::Str(s)), Some(sub))
                        if p.sub.is_none() =>
                    {
                        let mut m = Map::new();
                        m.insert(p.name.clone(), Value::String(s.clone()));
                        m.insert(sub.name.into(), coerce_one(sub, value)?);
                        items.push(Value::Object(m));
                    }
                    _ => {
                        container.insert(name.into(), Value::Array(items));
                        return Err(ScimError::NoTarget(format!(
                            "no `{name}` value matches the filter"
                        )));
                    }
                }
            }
            container.insert(name.into(), Value::Array(items));
        }
    }
    Ok(())
}

fn remove(container: &mut Map<String, Value>, t: &Target, value: Option<&Value>) -> ScimResult<()> {
    let name = t.attr.name;
    match (&t.filter, t.sub) {
        (None, None) => {
            match value {
                // Entra removes members as `{"op":"remove","path":"members","value":[{"value":…}]}`.
                Some(v) if t.attr.multi => {
                    let gone = into_items(coerce(t.attr, v)?);
                    let keys: Vec<&Value> =
                        gone.iter().map(|g| g.get("value").unwrap_or(g)).collect();
                    let items = into_items(container.remove(name).unwrap_or(Value::Null))
                        .into_iter()
                        .filter(|i| !keys.contains(&i.get("value").unwrap_or(i)))
                        .collect();
                    container.insert(name.into(), Value::Array(items));
                }
                _ => {
                    container.remove(name);
                }
            }
        }
        (None, Some(sub)) => match container.get_mut(name) {
            Some(Value::Object(o)) => {
                o.remove(sub.name);
            }
            Some(Value::Array(items)) => {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    item.remove(sub.name);
                }
            }
            _ => {}
        },
        (Some(filter), sub) => {
            let items = into_items(container.remove(name).unwrap_or(Value::Null));
            let items = match sub {
                None => items.into_iter().filter(|i| !filter.matches(i)).collect(),
                Some(s) => items
                    .into_iter()
                    .map(|mut i| {
                        if filter.matches(&i)
                            && let Value::Object(o) = &mut i
                        {
                            o.remove(s.name);
                        }
                        i
                    })
                    .collect(),
            };
            container.insert(name.into(), Value::Array(items));
        }
    }
    Ok(())
}

fn into_items(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn merge_into(slot: &mut Value, new: Value) {
    match (slot, new) {
        (Value::Object(old), Value::Object(new)) => {
            for (k, v) in new {
                old.insert(k, v);
            }
        }
        (slot, new) => *slot = new,
    }
}

/// At most one element may be primary (RFC 7643 §2.4): the last one marked wins.
fn one_primary(mut items: Vec<Value>) -> Vec<Value> {
    let last = items
        .iter()
        .rposition(|i| i.get("primary").and_then(Value::as_bool) == Some(true));
    if let Some(last) = last {
        for (n, item) in items.iter_mut().enumerate() {
            if n != last
                && let Some(o) = item.as_object_mut()
                && o.get("primary").and_then(Value::as_bool) == Some(true)
            {
                o.insert("primary".into(), Value::Bool(false));
            }
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::super::schema::{ENTERPRISE_USER, GROUP_SCHEMA, USER_SCHEMA};
    use super::*;
    use serde_json::json;

    fn user() -> Map<String, Value> {
        json!({
            "id": "1", "userName": "a", "active": true,
            "name": { "givenName": "G", "familyName": "F" },
            "emails": [{ "value": "a@work", "type": "work", "primary": true }],
        })
        .as_object()
        .cloned()
        .expect("object")
    }

    fn run(
        resource: &mut Map<String, Value>,
        body: Value,
        schema: &ResourceSchema,
    ) -> ScimResult<()> {
        let ops = parse(&json!({ "schemas": [schema::PATCH_OP], "Operations": body }))?;
        apply(resource, &ops, schema)
    }

    #[test]
    fn microsoft_multi_valued_and_single_valued_updates() {
        let mut u = user();
        run(&mut u, json!([
            { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com" },
            { "op": "Replace", "path": "name.familyName", "value": "updatedFamilyName" },
            { "op": "Replace", "path": "userName", "value": "new@x" },
            { "op": "Replace", "path": "active", "value": "False" },
        ]), &USER_SCHEMA).expect("ok");
        assert_eq!(u["emails"][0]["value"], "updatedEmail@microsoft.com");
        assert_eq!(u["name"]["familyName"], "updatedFamilyName");
        assert_eq!(u["name"]["givenName"], "G");
        assert_eq!(u["userName"], "new@x");
        assert_eq!(u["active"], false);
    }

    #[test]
    fn pathless_objects_and_enterprise_manager() {
        let mut u = user();
        run(&mut u, json!([
            { "op": "replace", "value": { "displayName": "D", "name.givenName": "H", "active": "true",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "R" } },
            { "op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": "m-1" },
            { "op": "add", "value": { ENTERPRISE_USER: { "employeeNumber": "7" } } },
        ]), &USER_SCHEMA).expect("ok");
        assert_eq!(u["displayName"], "D");
        assert_eq!(u["name"]["givenName"], "H");
        assert_eq!(u[ENTERPRISE_USER]["department"], "R");
        assert_eq!(u[ENTERPRISE_USER]["manager"]["value"], "m-1");
        assert_eq!(u[ENTERPRISE_USER]["employeeNumber"], "7");
    }

    #[test]
    fn work_email_is_added_when_missing() {
        let mut u = user();
        u.remove("emails");
        run(
            &mut u,
            json!([{ "op": "replace", "path": "emails[type eq \"work\"].value", "value": "w@x" }]),
            &USER_SCHEMA,
        )
        .expect("ok");
        assert_eq!(u["emails"], json!([{ "type": "work", "value": "w@x" }]));
        let err = run(
            &mut u,
            json!([{ "op": "replace", "path": "emails[type eq \"home\" and primary eq true].value", "value": "h" }]),
            &USER_SCHEMA,
        );
        assert!(matches!(err, Err(ScimError::NoTarget(_))));
    }

    #[test]
    fn members_add_and_remove_every_way() {
        let mut g = json!({ "displayName": "G", "members": [] })
            .as_object()
            .cloned()
            .expect("object");
        run(&mut g, json!([
            { "op": "Add", "path": "members", "value": [{ "$ref": null, "value": "u1" }, { "value": "u2" }] },
            { "op": "add", "path": "members", "value": [{ "value": "u3" }, { "value": "u1" }] },
        ]), &GROUP_SCHEMA).expect("ok");
        assert_eq!(
            g["members"],
            json!([{ "value": "u1" }, { "value": "u2" }, { "value": "u3" }])
        );
        run(
            &mut g,
            json!([
                { "op": "Remove", "path": "members", "value": [{ "value": "u1" }] },
                { "op": "remove", "path": "members[value eq \"u3\"]" },
            ]),
            &GROUP_SCHEMA,
        )
        .expect("ok");
        assert_eq!(g["members"], json!([{ "value": "u2" }]));
        run(
            &mut g,
            json!([{ "op": "replace", "path": "members", "value": [{ "value": "u9" }] }]),
            &GROUP_SCHEMA,
        )
        .expect("ok");
        assert_eq!(g["members"], json!([{ "value": "u9" }]));
        run(
            &mut g,
            json!([{ "op": "remove", "path": "members" }]),
            &GROUP_SCHEMA,
        )
        .expect("ok");
        assert!(g.get("members").is_none());
    }

    #[test]
    fn errors() {
        let mut u = user();
        let cases = [
            (
                json!([{ "op": "replace", "path": "id", "value": "x" }]),
                "mutability",
            ),
            (json!([{ "op": "remove" }]), "noTarget"),
            (
                json!([{ "op": "replace", "path": "shoeSize", "value": 1 }]),
                "invalidPath",
            ),
            (
                json!([{ "op": "replace", "path": "emails[type eq", "value": 1 }]),
                "invalidPath",
            ),
            (
                json!([{ "op": "replace", "path": "active", "value": "maybe" }]),
                "invalidValue",
            ),
            (
                json!([{ "op": "jump", "path": "active", "value": true }]),
                "invalidSyntax",
            ),
            (json!([{ "op": "add", "path": "title" }]), "invalidValue"),
        ];
        for (body, kind) in cases {
            let e = run(&mut u, body.clone(), &USER_SCHEMA).expect_err("should fail");
            assert_eq!(e.scim_type(), Some(kind), "{body}");
        }
        assert!(parse(&json!({ "Operations": [] })).is_err());
    }

    #[test]
    fn read_only_and_ignored_paths_are_skipped() {
        let mut u = user();
        run(
            &mut u,
            json!([
                { "op": "replace", "path": "name.formatted", "value": "x" },
                { "op": "add", "path": "roles", "value": [] },
            ]),
            &USER_SCHEMA,
        )
        .expect("ok");
        assert_eq!(u, user());
    }
}
