//! Roles (named permission sets), direct grants to users, and the group → role mappings that
//! turn SCIM group membership or ID-token `groups` / `roles` claims into roles.
//! Built-in roles (`admin`, `issuer_manager`, `awarder`, `viewer`) come from a migration and
//! cannot be changed or deleted, so nobody can lock every administrator out by editing them.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::audit::{self, Entity};
use crate::error::{Error, Result};
use crate::rbac::{CanManageRoles, CanManageUsers, Permission};

/// A role and its permissions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Role {
    /// Id.
    pub id: Uuid,
    /// Unique (case-insensitive) name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Created by migration; immutable.
    pub built_in: bool,
    /// Permissions granted.
    pub permissions: BTreeSet<Permission>,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Fields an admin sets on a custom role.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RoleInput {
    /// Name: letters, digits, `_`, `.`, `-`.
    pub name: String,
    /// Description.
    pub description: String,
    /// Permissions.
    pub permissions: BTreeSet<Permission>,
}

/// Where a mapped role comes from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum RoleSource {
    /// Members of this SCIM group.
    Group(Uuid),
    /// Users whose ID token carries this Entra group object id in `groups`, and members of
    /// the SCIM group whose `externalId` it is.
    Claim(String),
    /// Users whose ID token carries this app-role value in `roles` (never a SCIM group: a SCIM
    /// client must not be able to name a group after an app role and gain it).
    AppRole(String),
}

impl RoleSource {
    fn columns(&self) -> (Option<Uuid>, Option<String>, Option<&'static str>) {
        match self {
            RoleSource::Group(g) => (Some(*g), None, None),
            RoleSource::Claim(c) => (None, Some(c.trim().to_owned()), Some("group")),
            RoleSource::AppRole(c) => (None, Some(c.trim().to_owned()), Some("app_role")),
        }
    }

    fn from_columns(group_id: Option<Uuid>, value: Option<String>, kind: Option<&str>) -> Self {
        match (group_id, kind) {
            (Some(g), _) => RoleSource::Group(g),
            (None, Some("app_role")) => RoleSource::AppRole(value.unwrap_or_default()),
            (None, _) => RoleSource::Claim(value.unwrap_or_default()),
        }
    }
}

/// One group → role mapping.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RoleMapping {
    /// Id.
    pub id: Uuid,
    /// Source.
    pub source: RoleSource,
    /// Group display name when the source is a SCIM group.
    pub group_name: Option<String>,
    /// Role conferred.
    pub role_id: Uuid,
    /// Its name.
    pub role_name: String,
}

fn perms_from_names(names: Vec<String>) -> BTreeSet<Permission> {
    names.iter().filter_map(|n| Permission::parse(n)).collect()
}

fn perm_names(perms: &BTreeSet<Permission>) -> Vec<String> {
    perms.iter().map(|p| p.as_str().to_owned()).collect()
}

/// All roles, by name.
pub async fn list(pool: &PgPool, _auth: &CanManageRoles) -> Result<Vec<Role>> {
    let rows = sqlx::query!(
        r#"select r.id, r.name, r.description, r.built_in, r.version, r.updated_at,
                  coalesce(array_agg(rp.permission order by rp.permission)
                           filter (where rp.permission is not null), '{}') as "permissions!"
             from roles r left join role_permissions rp on rp.role_id = r.id
            group by r.id
            order by lower(r.name)"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Role {
            id: r.id,
            name: r.name,
            description: r.description,
            built_in: r.built_in,
            permissions: perms_from_names(r.permissions),
            version: r.version,
            updated_at: r.updated_at,
        })
        .collect())
}

/// One role.
pub async fn get(pool: &PgPool, _auth: &CanManageRoles, id: Uuid) -> Result<Role> {
    let mut conn = pool.acquire().await?;
    get_conn(&mut conn, id).await
}

async fn get_unchecked(pool: &PgPool, id: Uuid) -> Result<Role> {
    let mut conn = pool.acquire().await?;
    get_conn(&mut conn, id).await
}

async fn get_conn(conn: &mut PgConnection, id: Uuid) -> Result<Role> {
    let r = sqlx::query!(
        r#"select r.id, r.name, r.description, r.built_in, r.version, r.updated_at,
                  coalesce(array_agg(rp.permission order by rp.permission)
                           filter (where rp.permission is not null), '{}') as "permissions!"
             from roles r left join role_permissions rp on rp.role_id = r.id
            where r.id = $1
            group by r.id"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound { entity: "role" })?;
    Ok(Role {
        id: r.id,
        name: r.name,
        description: r.description,
        built_in: r.built_in,
        permissions: perms_from_names(r.permissions),
        version: r.version,
        updated_at: r.updated_at,
    })
}

/// A role by name (case-insensitive).
pub async fn find_by_name(pool: &PgPool, name: &str) -> Result<Option<Role>> {
    let id = sqlx::query_scalar!("select id from roles where lower(name) = lower($1)", name)
        .fetch_optional(pool)
        .await?;
    match id {
        Some(id) => Ok(Some(get_unchecked(pool, id).await?)),
        None => Ok(None),
    }
}

/// Creates a custom role. Concurrent creates of the same name: one wins, the other gets
/// `Conflict { field: "name" }`.
pub async fn create(pool: &PgPool, auth: &CanManageRoles, input: &RoleInput) -> Result<Role> {
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "insert into roles (id, name, description) values ($1, $2, $3)",
        id,
        input.name.trim(),
        input.description
    )
    .execute(&mut *tx)
    .await?;
    set_permissions(&mut tx, id, &input.permissions).await?;
    let role = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "role.create",
        Entity::new("role", id),
        None,
        audit::snapshot(&role),
    )
    .await?;
    tx.commit().await?;
    Ok(role)
}

async fn set_permissions(
    conn: &mut PgConnection,
    id: Uuid,
    perms: &BTreeSet<Permission>,
) -> Result<()> {
    sqlx::query!("delete from role_permissions where role_id = $1", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "insert into role_permissions (role_id, permission) select $1, unnest($2::text[])",
        id,
        &perm_names(perms)
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Lock a role for change; refuses built-in roles and stale versions.
async fn lock_custom(
    conn: &mut PgConnection,
    id: Uuid,
    expected_version: Option<i32>,
) -> Result<Role> {
    let row = sqlx::query!(
        "select built_in, version from roles where id = $1 for update",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound { entity: "role" })?;
    if row.built_in {
        return Err(Error::invalid("role", "built-in roles cannot be changed"));
    }
    if expected_version.is_some_and(|v| v != row.version) {
        return Err(Error::Stale);
    }
    get_conn(conn, id).await
}

/// Renames / re-describes a custom role and replaces its permissions.
pub async fn update(
    pool: &PgPool,
    auth: &CanManageRoles,
    id: Uuid,
    expected_version: Option<i32>,
    input: &RoleInput,
) -> Result<Role> {
    let mut tx = pool.begin().await?;
    let before = lock_custom(&mut tx, id, expected_version).await?;
    sqlx::query!(
        "update roles set name = $2, description = $3, version = version + 1 where id = $1",
        id,
        input.name.trim(),
        input.description
    )
    .execute(&mut *tx)
    .await?;
    set_permissions(&mut tx, id, &input.permissions).await?;
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "role.update",
        Entity::new("role", id),
        audit::snapshot(&before),
        audit::snapshot(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes a custom role (its grants and mappings cascade).
pub async fn delete(pool: &PgPool, auth: &CanManageRoles, id: Uuid) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before = lock_custom(&mut tx, id, None).await?;
    sqlx::query!("delete from roles where id = $1", id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "role.delete",
        Entity::new("role", id),
        audit::snapshot(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Grants a role to a user directly (idempotent).
pub async fn grant(
    pool: &PgPool,
    auth: &CanManageUsers,
    user_id: Uuid,
    role_id: Uuid,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        r#"insert into user_roles (user_id, role_id, granted_by) values ($1, $2, $3)
           on conflict do nothing"#,
        user_id,
        role_id,
        auth.actor().user_id
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() > 0 {
        audit::record(
            &mut tx,
            auth.actor(),
            "user.grant_role",
            Entity::new("user", user_id),
            None,
            Some(serde_json::json!({ "role_id": role_id })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes a direct grant (idempotent).
pub async fn revoke(
    pool: &PgPool,
    auth: &CanManageUsers,
    user_id: Uuid,
    role_id: Uuid,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        "delete from user_roles where user_id = $1 and role_id = $2",
        user_id,
        role_id
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() > 0 {
        audit::record(
            &mut tx,
            auth.actor(),
            "user.revoke_role",
            Entity::new("user", user_id),
            Some(serde_json::json!({ "role_id": role_id })),
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Maps a SCIM group or a claim value to a role.
pub async fn map(
    pool: &PgPool,
    auth: &CanManageRoles,
    source: &RoleSource,
    role_id: Uuid,
) -> Result<RoleMapping> {
    let (group_id, claim_value, claim_kind) = source.columns();
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "insert into group_roles (id, group_id, claim_value, claim_kind, role_id)
         values ($1, $2, $3, $4, $5)",
        id,
        group_id,
        claim_value,
        claim_kind,
        role_id
    )
    .execute(&mut *tx)
    .await?;
    let mapping = mapping_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "role_mapping.create",
        Entity::new("role_mapping", id),
        None,
        audit::snapshot(&mapping),
    )
    .await?;
    tx.commit().await?;
    Ok(mapping)
}

/// Removes a mapping.
pub async fn unmap(pool: &PgPool, auth: &CanManageRoles, mapping_id: Uuid) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before = mapping_conn(&mut tx, mapping_id).await?;
    sqlx::query!("delete from group_roles where id = $1", mapping_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "role_mapping.delete",
        Entity::new("role_mapping", mapping_id),
        audit::snapshot(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn mapping_conn(conn: &mut PgConnection, id: Uuid) -> Result<RoleMapping> {
    let r = sqlx::query!(
        r#"select gr.id, gr.group_id, gr.claim_value, gr.claim_kind, gr.role_id, r.name as role_name,
                  g.display_name as "group_name?"
             from group_roles gr join roles r on r.id = gr.role_id
             left join groups g on g.id = gr.group_id
            where gr.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound {
        entity: "role mapping",
    })?;
    Ok(RoleMapping {
        id: r.id,
        source: RoleSource::from_columns(r.group_id, r.claim_value, r.claim_kind.as_deref()),
        group_name: r.group_name,
        role_id: r.role_id,
        role_name: r.role_name,
    })
}

/// Every mapping, by role name.
pub async fn mappings(pool: &PgPool, _auth: &CanManageRoles) -> Result<Vec<RoleMapping>> {
    let rows = sqlx::query!(
        r#"select gr.id, gr.group_id, gr.claim_value, gr.claim_kind, gr.role_id, r.name as role_name,
                  g.display_name as "group_name?"
             from group_roles gr join roles r on r.id = gr.role_id
             left join groups g on g.id = gr.group_id
            order by lower(r.name), gr.created_at"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RoleMapping {
            id: r.id,
            source: RoleSource::from_columns(r.group_id, r.claim_value, r.claim_kind.as_deref()),
            group_name: r.group_name,
            role_id: r.role_id,
            role_name: r.role_name,
        })
        .collect())
}
