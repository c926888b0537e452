//! SCIM groups and their members. Entra provisions them; the group → role mapping in
//! [`crate::role`] turns membership into permissions. Groups are deleted for real (SCIM
//! DELETE); memberships and mappings by group id cascade, mappings by Entra object id survive.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::audit::{self, Entity};
use crate::error::{Error, Result};
use crate::page::{Page, PageRequest};
use crate::rbac::CanManageUsers;

/// A group row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Group {
    /// Id; also the SCIM `id`.
    pub id: Uuid,
    /// Unique (case-insensitive) `displayName`.
    pub display_name: String,
    /// Entra object id (`externalId`).
    pub external_id: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change (including membership).
    pub updated_at: DateTime<Utc>,
    /// Version for ETags; bumped by membership changes too.
    pub version: i32,
}

/// A member as SCIM lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Member {
    /// User id (SCIM `value`).
    pub user_id: Uuid,
    /// Username.
    pub username: String,
    /// Display name (SCIM `display`).
    pub display_name: Option<String>,
}

/// Fields of a group (SCIM POST / PUT).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct GroupInput {
    /// `displayName`.
    pub display_name: String,
    /// `externalId`.
    pub external_id: Option<String>,
    /// Member user ids.
    pub members: Vec<Uuid>,
}

/// Lookup filters for [`list`].
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub enum GroupFilter {
    /// All groups.
    #[default]
    All,
    /// `displayName eq "…"` (case-insensitive).
    DisplayName(String),
    /// `externalId eq "…"`.
    ExternalId(String),
}

/// One group.
pub async fn get(pool: &PgPool, id: Uuid) -> Result<Group> {
    let mut conn = pool.acquire().await?;
    get_conn(&mut conn, id).await
}

async fn get_conn(conn: &mut PgConnection, id: Uuid) -> Result<Group> {
    sqlx::query_as!(
        Group,
        "select id, display_name, external_id, created_at, updated_at, version from groups where id = $1",
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound { entity: "group" })
}

/// Groups matching `filter`, by display name.
pub async fn list(pool: &PgPool, filter: &GroupFilter, page: PageRequest) -> Result<Page<Group>> {
    let (offset, limit) = page.bounds();
    let (name, external_id) = match filter {
        GroupFilter::All => (None, None),
        GroupFilter::DisplayName(n) => (Some(n.as_str()), None),
        GroupFilter::ExternalId(e) => (None, Some(e.as_str())),
    };
    let rows = sqlx::query!(
        r#"select id, display_name, external_id, created_at, updated_at, version,
                  count(*) over () as "total!"
             from groups
            where ($1::text is null or lower(display_name) = lower($1))
              and ($2::text is null or external_id = $2)
            order by lower(display_name), id
            limit $3 offset $4"#,
        name,
        external_id,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    Ok(Page {
        total,
        items: rows
            .into_iter()
            .map(|r| Group {
                id: r.id,
                display_name: r.display_name,
                external_id: r.external_id,
                created_at: r.created_at,
                updated_at: r.updated_at,
                version: r.version,
            })
            .collect(),
    })
}

/// Members of a group, by username.
pub async fn members(pool: &PgPool, group_id: Uuid) -> Result<Vec<Member>> {
    Ok(sqlx::query_as!(
        Member,
        r#"select u.id as user_id, u.username, u.display_name
             from group_members gm join users u on u.id = gm.user_id
            where gm.group_id = $1
            order by lower(u.username)"#,
        group_id
    )
    .fetch_all(pool)
    .await?)
}

/// Groups a user belongs to.
pub async fn groups_of_user(pool: &PgPool, user_id: Uuid) -> Result<Vec<Group>> {
    Ok(sqlx::query_as!(
        Group,
        r#"select g.id, g.display_name, g.external_id, g.created_at, g.updated_at, g.version
             from groups g join group_members gm on gm.group_id = g.id
            where gm.user_id = $1
            order by lower(g.display_name)"#,
        user_id
    )
    .fetch_all(pool)
    .await?)
}

async fn add_members_conn(conn: &mut PgConnection, group_id: Uuid, users: &[Uuid]) -> Result<u64> {
    Ok(sqlx::query!(
        r#"insert into group_members (group_id, user_id)
           select $1, u from unnest($2::uuid[]) as u
           on conflict do nothing"#,
        group_id,
        users
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Creates a group with its members.
pub async fn create(pool: &PgPool, auth: &CanManageUsers, input: &GroupInput) -> Result<Group> {
    if input.display_name.trim().is_empty() {
        return Err(Error::invalid("display_name", "must not be blank"));
    }
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "insert into groups (id, display_name, external_id) values ($1, $2, $3)",
        id,
        input.display_name.trim(),
        input.external_id
    )
    .execute(&mut *tx)
    .await?;
    add_members_conn(&mut tx, id, &input.members).await?;
    let group = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "group.create",
        Entity::new("group", id),
        None,
        Some(serde_json::json!({ "group": group, "members": input.members })),
    )
    .await?;
    tx.commit().await?;
    Ok(group)
}

/// Locks the group row for the rest of the transaction and checks the expected version.
async fn lock(conn: &mut PgConnection, id: Uuid, expected_version: Option<i32>) -> Result<Group> {
    let group = sqlx::query_as!(
        Group,
        r#"select id, display_name, external_id, created_at, updated_at, version
             from groups where id = $1 for update"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound { entity: "group" })?;
    if expected_version.is_some_and(|e| e != group.version) {
        return Err(Error::Stale);
    }
    Ok(group)
}

/// Records a membership change on the group row: a new version (and `updated_at`, by trigger).
async fn bump_version(conn: &mut PgConnection, id: Uuid) -> Result<Group> {
    Ok(sqlx::query_as!(
        Group,
        r#"update groups set version = version + 1 where id = $1
           returning id, display_name, external_id, created_at, updated_at, version"#,
        id
    )
    .fetch_one(conn)
    .await?)
}

/// Replaces name, external id and the whole member list (SCIM PUT).
pub async fn replace(
    pool: &PgPool,
    auth: &CanManageUsers,
    id: Uuid,
    expected_version: Option<i32>,
    input: &GroupInput,
) -> Result<Group> {
    if input.display_name.trim().is_empty() {
        return Err(Error::invalid("display_name", "must not be blank"));
    }
    let mut tx = pool.begin().await?;
    let before = lock(&mut tx, id, expected_version).await?;
    sqlx::query!(
        "update groups set display_name = $2, external_id = $3, version = version + 1 where id = $1",
        id,
        input.display_name.trim(),
        input.external_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from group_members where group_id = $1 and user_id <> all($2::uuid[])",
        id,
        &input.members
    )
    .execute(&mut *tx)
    .await?;
    add_members_conn(&mut tx, id, &input.members).await?;
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "group.update",
        Entity::new("group", id),
        audit::snapshot(&before),
        Some(serde_json::json!({ "group": after, "members": input.members })),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Renames a group (SCIM PATCH `replace displayName`).
pub async fn rename(
    pool: &PgPool,
    auth: &CanManageUsers,
    id: Uuid,
    expected_version: Option<i32>,
    display_name: &str,
    external_id: Option<&str>,
) -> Result<Group> {
    if display_name.trim().is_empty() {
        return Err(Error::invalid("display_name", "must not be blank"));
    }
    let mut tx = pool.begin().await?;
    let before = lock(&mut tx, id, expected_version).await?;
    sqlx::query!(
        r#"update groups set display_name = $2, external_id = coalesce($3, external_id),
                  version = version + 1 where id = $1"#,
        id,
        display_name.trim(),
        external_id
    )
    .execute(&mut *tx)
    .await?;
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "group.update",
        Entity::new("group", id),
        audit::snapshot(&before),
        audit::snapshot(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Adds members (SCIM PATCH `add members`); already-present users are ignored.
pub async fn add_members(
    pool: &PgPool,
    auth: &CanManageUsers,
    id: Uuid,
    users: &[Uuid],
) -> Result<Group> {
    let mut tx = pool.begin().await?;
    let mut group = lock(&mut tx, id, None).await?;
    let added = add_members_conn(&mut tx, id, users).await?;
    if added > 0 {
        group = bump_version(&mut tx, id).await?;
        audit::record(
            &mut tx,
            auth.actor(),
            "group.add_members",
            Entity::new("group", id),
            None,
            Some(serde_json::json!({ "members": users })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(group)
}

/// Removes members (SCIM PATCH `remove members[value eq …]`); absent users are ignored.
pub async fn remove_members(
    pool: &PgPool,
    auth: &CanManageUsers,
    id: Uuid,
    users: &[Uuid],
) -> Result<Group> {
    let mut tx = pool.begin().await?;
    let mut group = lock(&mut tx, id, None).await?;
    let removed = sqlx::query!(
        "delete from group_members where group_id = $1 and user_id = any($2::uuid[])",
        id,
        users
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed > 0 {
        group = bump_version(&mut tx, id).await?;
        audit::record(
            &mut tx,
            auth.actor(),
            "group.remove_members",
            Entity::new("group", id),
            Some(serde_json::json!({ "members": users })),
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(group)
}

/// Deletes a group; memberships and group-id mappings cascade.
pub async fn delete(pool: &PgPool, auth: &CanManageUsers, id: Uuid) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before = lock(&mut tx, id, None).await?;
    sqlx::query!("delete from groups where id = $1", id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "group.delete",
        Entity::new("group", id),
        audit::snapshot(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
