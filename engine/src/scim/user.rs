//! SCIM Users over [`crate::user`]: JSON mapping (core + enterprise extension), list with
//! filters (index lookups for `userName` / `externalId` / `displayName` / `id` equality,
//! in-memory evaluation otherwise), create, replace, PATCH (read, apply, write back under the
//! read version) and soft-delete.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use sqlx::PgPool;
use uuid::Uuid;

use super::error::{ScimError, ScimResult};
use super::filter::Filter;
use super::resource::{canonicalize, text};
use super::schema::{ENTERPRISE_USER, USER, USER_SCHEMA};
use super::{ListQuery, ListResult, patch, store};
use crate::rbac::CanManageUsers;
use crate::user::{self, User, UserInput};

/// SCIM timestamp format (RFC 3339, milliseconds, `Z`).
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The user as a SCIM resource; `base` is the absolute `/scim/v2` URL.
pub fn to_json(u: &User, base: &str) -> Value {
    let mut o = Map::new();
    let mut schemas = vec![json!(USER)];
    o.insert("id".into(), json!(u.id));
    let mut put = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            o.insert(k.into(), json!(v));
        }
    };
    put("externalId", &u.external_id);
    put("displayName", &u.display_name);
    put("title", &u.title);
    put("userType", &u.user_type);
    put("preferredLanguage", &u.preferred_language);
    put("locale", &u.locale);
    put("timezone", &u.timezone);
    o.insert("userName".into(), json!(u.username));
    if u.given_name.is_some() || u.family_name.is_some() {
        // `formatted` is not stored, so it is not returned either (clients compare what they
        // wrote with what they read back).
        let mut name = Map::new();
        if let Some(f) = &u.family_name {
            name.insert("familyName".into(), json!(f));
        }
        if let Some(g) = &u.given_name {
            name.insert("givenName".into(), json!(g));
        }
        o.insert("name".into(), Value::Object(name));
    }
    o.insert("active".into(), json!(u.active));
    for (k, v) in [
        ("emails", &u.emails),
        ("phoneNumbers", &u.phone_numbers),
        ("addresses", &u.addresses),
    ] {
        if v.as_array().is_some_and(|a| !a.is_empty()) {
            o.insert(k.into(), v.clone());
        }
    }
    let mut ext = Map::new();
    for (k, v) in [
        ("employeeNumber", &u.employee_number),
        ("costCenter", &u.cost_center),
        ("organization", &u.organization),
        ("division", &u.division),
        ("department", &u.department),
    ] {
        if let Some(v) = v {
            ext.insert(k.into(), json!(v));
        }
    }
    if let Some(m) = u.manager_id {
        ext.insert(
            "manager".into(),
            json!({ "value": m, "$ref": format!("{base}/Users/{m}") }),
        );
    }
    if !ext.is_empty() {
        schemas.push(json!(ENTERPRISE_USER));
        o.insert(ENTERPRISE_USER.into(), Value::Object(ext));
    }
    o.insert("schemas".into(), Value::Array(schemas));
    o.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": timestamp(u.created_at),
            "lastModified": timestamp(u.updated_at),
            "location": format!("{base}/Users/{}", u.id),
            "version": format!("W/\"{}\"", u.version),
        }),
    );
    Value::Object(o)
}

/// Canonical SCIM JSON to the engine's input.
pub fn to_input(o: &Map<String, Value>) -> ScimResult<UserInput> {
    let username = text(o, "userName")
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ScimError::InvalidValue("`userName` is required".into()))?;
    let list = |k: &str| match o.get(k) {
        Some(Value::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    let emails = list("emails");
    // The sign-in e-mail is the primary one, else the first.
    let email = emails
        .iter()
        .find(|e| e.get("primary").and_then(Value::as_bool) == Some(true))
        .or_else(|| emails.first())
        .and_then(|e| e.get("value"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.trim().is_empty());
    let name = o.get("name").and_then(Value::as_object);
    let ext = o.get(ENTERPRISE_USER).and_then(Value::as_object);
    let ext_text = |k: &str| ext.and_then(|e| text(e, k));
    let manager_id = match ext
        .and_then(|e| e.get("manager"))
        .and_then(|m| m.get("value"))
        .and_then(Value::as_str)
    {
        None | Some("") => None,
        Some(v) => Some(
            Uuid::parse_str(v)
                .map_err(|_| ScimError::InvalidValue(format!("manager `{v}` is not a user id")))?,
        ),
    };
    Ok(UserInput {
        username,
        email,
        display_name: text(o, "displayName"),
        given_name: name.and_then(|n| text(n, "givenName")),
        family_name: name.and_then(|n| text(n, "familyName")),
        external_id: text(o, "externalId"),
        title: text(o, "title"),
        preferred_language: text(o, "preferredLanguage"),
        locale: text(o, "locale"),
        timezone: text(o, "timezone"),
        user_type: text(o, "userType"),
        emails,
        phone_numbers: list("phoneNumbers"),
        addresses: list("addresses"),
        employee_number: ext_text("employeeNumber"),
        department: ext_text("department"),
        organization: ext_text("organization"),
        division: ext_text("division"),
        cost_center: ext_text("costCenter"),
        manager_id,
        active: o.get("active").and_then(Value::as_bool).unwrap_or(true),
    })
}

fn parse_id(id: &str) -> ScimResult<Uuid> {
    Uuid::parse_str(id).map_err(|_| ScimError::NotFound("user"))
}

fn not_found(e: crate::Error) -> ScimError {
    match e {
        crate::Error::NotFound { .. } => ScimError::NotFound("user"),
        other => ScimError::Engine(other),
    }
}

/// A live user.
pub async fn get(pool: &PgPool, base: &str, id: &str) -> ScimResult<Value> {
    let user = user::read(pool, parse_id(id)?).await.map_err(not_found)?;
    Ok(to_json(&user, base))
}

/// Lists users matching `query` (filter already resolved against the User schema).
pub async fn list(pool: &PgPool, base: &str, query: &ListQuery) -> ScimResult<ListResult> {
    let offset = query.start_index.max(1) - 1;
    let Some(filter) = &query.filter else {
        let (users, total) = store::user_page(pool, offset, query.count).await?;
        return Ok(ListResult {
            total,
            resources: users.iter().map(|u| to_json(u, base)).collect(),
        });
    };
    let candidates = candidates(pool, filter).await?;
    let matched: Vec<Value> = candidates
        .iter()
        .map(|u| to_json(u, base))
        .filter(|j| filter.matches(j))
        .collect();
    Ok(ListResult::page(matched, offset, query.count))
}

async fn candidates(pool: &PgPool, filter: &Filter) -> ScimResult<Vec<User>> {
    Ok(match filter.indexed_eq() {
        Some(("userName", v)) => user::find_by_username(pool, v).await?.into_iter().collect(),
        Some(("externalId", v)) => user::find_by_external_id(pool, v)
            .await?
            .into_iter()
            .collect(),
        Some(("displayName", v)) => store::users_by_display_name(pool, v).await?,
        Some(("id", v)) => match Uuid::parse_str(v) {
            Ok(id) => match user::read(pool, id).await {
                Ok(u) => vec![u],
                Err(crate::Error::NotFound { .. }) => Vec::new(),
                Err(e) => return Err(e.into()),
            },
            Err(_) => Vec::new(),
        },
        _ => store::all_users(pool).await?,
    })
}

/// Creates a user from a POST body.
pub async fn create(
    pool: &PgPool,
    auth: &CanManageUsers,
    base: &str,
    body: &Value,
) -> ScimResult<Value> {
    let input = to_input(&canonicalize(body, &USER_SCHEMA)?)?;
    let user = user::create(pool, auth, &input).await?;
    Ok(to_json(&user, base))
}

/// Replaces a user from a PUT body.
pub async fn replace(
    pool: &PgPool,
    auth: &CanManageUsers,
    base: &str,
    id: &str,
    if_match: Option<i32>,
    body: &Value,
) -> ScimResult<Value> {
    let id = parse_id(id)?;
    let input = to_input(&canonicalize(body, &USER_SCHEMA)?)?;
    let user = user::replace(pool, auth, id, if_match, &input)
        .await
        .map_err(not_found)?;
    Ok(to_json(&user, base))
}

/// Applies a PATCH body. Without `If-Match` a concurrent change makes us re-read and retry,
/// so no update is lost; with it, the client's version must still be current.
pub async fn patch(
    pool: &PgPool,
    auth: &CanManageUsers,
    base: &str,
    id: &str,
    if_match: Option<i32>,
    body: &Value,
) -> ScimResult<Value> {
    let id = parse_id(id)?;
    let ops = patch::parse(body)?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let current = user::read(pool, id).await.map_err(not_found)?;
        if if_match.is_some_and(|v| v != current.version) {
            return Err(crate::Error::Stale.into());
        }
        let Value::Object(mut resource) = to_json(&current, base) else {
            return Err(crate::Error::internal("user JSON is not an object").into());
        };
        patch::apply(&mut resource, &ops, &USER_SCHEMA)?;
        let input = to_input(&resource)?;
        if input == UserInput::from_user(&current) {
            // Entra re-sends unchanged values; skip the write and its audit row.
            return Ok(to_json(&current, base));
        }
        match user::replace(pool, auth, id, Some(current.version), &input).await {
            Ok(u) => return Ok(to_json(&u, base)),
            Err(crate::Error::Stale) if if_match.is_none() && attempt < 5 => continue,
            Err(e) => return Err(not_found(e)),
        }
    }
}

/// Soft-deletes (de-provisions) a user.
pub async fn delete(
    pool: &PgPool,
    auth: &CanManageUsers,
    id: &str,
    if_match: Option<i32>,
) -> ScimResult<()> {
    let id = parse_id(id)?;
    if let Some(v) = if_match {
        let current = user::read(pool, id).await.map_err(not_found)?;
        if current.version != v {
            return Err(crate::Error::Stale.into());
        }
    }
    user::delete(pool, auth, id).await.map_err(not_found)
}
