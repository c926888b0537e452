//! SCIM Groups over [`crate::group`]: JSON mapping, list (index lookups for `displayName` /
//! `externalId` / `id` equality), create, replace, PATCH (member-only operations go straight
//! to add/remove so large groups are never rewritten) and delete. Membership changes reach
//! roles at once because [`crate::rbac::load_principal`] reads memberships from the database.

use serde_json::{Map, Value, json};
use sqlx::PgPool;
use uuid::Uuid;

use super::error::{ScimError, ScimResult};
use super::filter::{CompareOp, Filter, Literal};
use super::patch::{self, OpKind, Operation};
use super::resource::{canonicalize, text};
use super::schema::{GROUP, GROUP_SCHEMA};
use super::user::timestamp;
use super::{ListQuery, ListResult, store};
use crate::group::{self, Group, GroupInput, Member};
use crate::rbac::CanManageUsers;

/// The group as a SCIM resource; `members` is `None` when they were not loaded (excluded).
pub fn to_json(g: &Group, members: Option<&[Member]>, base: &str) -> Value {
    let mut o = Map::new();
    o.insert("schemas".into(), json!([GROUP]));
    o.insert("id".into(), json!(g.id));
    if let Some(e) = &g.external_id {
        o.insert("externalId".into(), json!(e));
    }
    o.insert("displayName".into(), json!(g.display_name));
    if let Some(members) = members {
        o.insert(
            "members".into(),
            Value::Array(
                members
                    .iter()
                    .map(|m| {
                        json!({
                            "value": m.user_id,
                            "$ref": format!("{base}/Users/{}", m.user_id),
                        })
                    })
                    .collect(),
            ),
        );
    }
    o.insert(
        "meta".into(),
        json!({
            "resourceType": "Group",
            "created": timestamp(g.created_at),
            "lastModified": timestamp(g.updated_at),
            "location": format!("{base}/Groups/{}", g.id),
            "version": format!("W/\"{}\"", g.version),
        }),
    );
    Value::Object(o)
}

fn member_id(v: &Value) -> ScimResult<Uuid> {
    let raw = v.get("value").and_then(Value::as_str).unwrap_or_default();
    if v.get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("group"))
    {
        return Err(ScimError::InvalidValue(
            "nested groups are not supported".into(),
        ));
    }
    Uuid::parse_str(raw)
        .map_err(|_| ScimError::InvalidValue(format!("member `{raw}` is not a user id")))
}

/// Canonical SCIM JSON to the engine's input.
pub fn to_input(o: &Map<String, Value>) -> ScimResult<GroupInput> {
    let display_name = text(o, "displayName")
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ScimError::InvalidValue("`displayName` is required".into()))?;
    let members = match o.get("members") {
        Some(Value::Array(items)) => items
            .iter()
            .map(member_id)
            .collect::<ScimResult<Vec<_>>>()?,
        _ => Vec::new(),
    };
    Ok(GroupInput {
        display_name,
        external_id: text(o, "externalId"),
        members,
    })
}

fn parse_id(id: &str) -> ScimResult<Uuid> {
    Uuid::parse_str(id).map_err(|_| ScimError::NotFound("group"))
}

fn not_found(e: crate::Error) -> ScimError {
    match e {
        crate::Error::NotFound { entity: "group" } => ScimError::NotFound("group"),
        // A member id that names no user breaks the foreign key.
        crate::Error::Invalid { field, .. } if field == "members" => {
            ScimError::InvalidValue("a member is not a known user".into())
        }
        other => ScimError::Engine(other),
    }
}

async fn load(pool: &PgPool, base: &str, g: &Group, with_members: bool) -> ScimResult<Value> {
    if !with_members {
        return Ok(to_json(g, None, base));
    }
    let members = group::members(pool, g.id).await?;
    Ok(to_json(g, Some(&members), base))
}

/// One group; members only when `with_members`.
pub async fn get(pool: &PgPool, base: &str, id: &str, with_members: bool) -> ScimResult<Value> {
    let g = group::get(pool, parse_id(id)?).await.map_err(not_found)?;
    load(pool, base, &g, with_members).await
}

/// Lists groups matching `query`; members only when `with_members` (or the filter needs them).
pub async fn list(
    pool: &PgPool,
    base: &str,
    query: &ListQuery,
    with_members: bool,
) -> ScimResult<ListResult> {
    let offset = query.start_index.max(1) - 1;
    let (groups, paged_total) = match &query.filter {
        None => {
            let (groups, total) = store::group_page(pool, offset, query.count).await?;
            (groups, Some(total))
        }
        Some(f) => (candidates(pool, f).await?, None),
    };
    let needs_members =
        with_members || query.filter.as_ref().is_some_and(|f| f.mentions("members"));
    let mut members = if needs_members {
        let ids: Vec<Uuid> = groups.iter().map(|g| g.id).collect();
        store::members_of(pool, &ids).await?
    } else {
        Default::default()
    };
    let json: Vec<Value> = groups
        .iter()
        .map(|g| {
            let m = needs_members.then(|| members.remove(&g.id).unwrap_or_default());
            to_json(g, m.as_deref(), base)
        })
        .collect();
    match (paged_total, &query.filter) {
        (Some(total), _) => Ok(ListResult {
            total,
            resources: json,
        }),
        (None, Some(f)) => {
            let matched: Vec<Value> = json.into_iter().filter(|j| f.matches(j)).collect();
            Ok(ListResult::page(matched, offset, query.count))
        }
        (None, None) => Ok(ListResult::page(json, offset, query.count)),
    }
}

async fn candidates(pool: &PgPool, filter: &Filter) -> ScimResult<Vec<Group>> {
    Ok(match filter.indexed_eq() {
        Some(("displayName", v)) => store::group_by_display_name(pool, v)
            .await?
            .into_iter()
            .collect(),
        Some(("externalId", v)) => store::group_by_external_id(pool, v)
            .await?
            .into_iter()
            .collect(),
        Some(("id", v)) => match Uuid::parse_str(v) {
            Ok(id) => match group::get(pool, id).await {
                Ok(g) => vec![g],
                Err(crate::Error::NotFound { .. }) => Vec::new(),
                Err(e) => return Err(e.into()),
            },
            Err(_) => Vec::new(),
        },
        _ => store::all_groups(pool).await?,
    })
}

/// Creates a group from a POST body.
pub async fn create(
    pool: &PgPool,
    auth: &CanManageUsers,
    base: &str,
    body: &Value,
) -> ScimResult<Value> {
    let input = to_input(&canonicalize(body, &GROUP_SCHEMA)?)?;
    let g = group::create(pool, auth, &input).await.map_err(not_found)?;
    load(pool, base, &g, true).await
}

/// Replaces a group (name, external id, the whole member list) from a PUT body.
pub async fn replace(
    pool: &PgPool,
    auth: &CanManageUsers,
    base: &str,
    id: &str,
    if_match: Option<i32>,
    body: &Value,
) -> ScimResult<Value> {
    let id = parse_id(id)?;
    let input = to_input(&canonicalize(body, &GROUP_SCHEMA)?)?;
    let g = group::replace(pool, auth, id, if_match, &input)
        .await
        .map_err(not_found)?;
    load(pool, base, &g, true).await
}

/// Member ids an operation adds or removes, when it touches nothing but members.
fn member_change(op: &Operation) -> Option<(OpKind, Vec<Value>)> {
    let path = op.path.as_deref()?;
    if path.eq_ignore_ascii_case("members") {
        return match (op.op, &op.value) {
            (OpKind::Add | OpKind::Remove, Some(Value::Array(items))) => {
                Some((op.op, items.clone()))
            }
            (OpKind::Add | OpKind::Remove, Some(v @ Value::Object(_))) => {
                Some((op.op, vec![v.clone()]))
            }
            _ => None,
        };
    }
    // `members[value eq "<id>"]` removal.
    if op.op != OpKind::Remove {
        return None;
    }
    let target = patch::resolve_path(path, &GROUP_SCHEMA).ok()??;
    match (target.attr.name, target.filter, target.sub) {
        ("members", Some(Filter::Compare(p, CompareOp::Eq, Literal::Str(v))), None)
            if p.name == "value" =>
        {
            Some((OpKind::Remove, vec![json!({ "value": v })]))
        }
        _ => None,
    }
}

/// Applies a PATCH body; returns the group afterwards (members only when `with_members`).
pub async fn patch(
    pool: &PgPool,
    auth: &CanManageUsers,
    base: &str,
    id: &str,
    if_match: Option<i32>,
    body: &Value,
    with_members: bool,
) -> ScimResult<Value> {
    let id = parse_id(id)?;
    let ops = patch::parse(body)?;
    let changes: Option<Vec<_>> = ops.iter().map(member_change).collect();
    if let (Some(changes), None) = (changes, if_match) {
        // Entra's membership batches: apply as set operations, never rewriting the group.
        let mut g = group::get(pool, id).await.map_err(not_found)?;
        for (kind, items) in changes {
            let ids = items
                .iter()
                .map(member_id)
                .collect::<ScimResult<Vec<_>>>()?;
            if ids.is_empty() {
                continue;
            }
            g = match kind {
                OpKind::Remove => group::remove_members(pool, auth, id, &ids).await,
                _ => group::add_members(pool, auth, id, &ids).await,
            }
            .map_err(not_found)?;
        }
        return load(pool, base, &g, with_members).await;
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        let current = group::get(pool, id).await.map_err(not_found)?;
        if if_match.is_some_and(|v| v != current.version) {
            return Err(crate::Error::Stale.into());
        }
        let members = group::members(pool, id).await?;
        let Value::Object(mut resource) = to_json(&current, Some(&members), base) else {
            return Err(crate::Error::internal("group JSON is not an object").into());
        };
        patch::apply(&mut resource, &ops, &GROUP_SCHEMA)?;
        let input = to_input(&resource)?;
        let before: Vec<Uuid> = members.iter().map(|m| m.user_id).collect();
        if input.display_name == current.display_name
            && input.external_id == current.external_id
            && input.members == before
        {
            return load(pool, base, &current, with_members).await;
        }
        match group::replace(pool, auth, id, Some(current.version), &input).await {
            Ok(g) => return load(pool, base, &g, with_members).await,
            Err(crate::Error::Stale) if if_match.is_none() && attempt < 5 => continue,
            Err(e) => return Err(not_found(e)),
        }
    }
}

/// Deletes a group (memberships cascade).
pub async fn delete(
    pool: &PgPool,
    auth: &CanManageUsers,
    id: &str,
    if_match: Option<i32>,
) -> ScimResult<()> {
    let id = parse_id(id)?;
    if let Some(v) = if_match {
        let current = group::get(pool, id).await.map_err(not_found)?;
        if current.version != v {
            return Err(crate::Error::Stale.into());
        }
    }
    group::delete(pool, auth, id).await.map_err(not_found)
}
