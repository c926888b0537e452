//! The few queries SCIM needs beyond `user` / `group`: every live user or group for in-memory
//! filtering, exact pages with a total that stays right past the end, and members of many
//! groups at once.

use std::collections::HashMap;

use sqlx::PgPool;
use uuid::Uuid;

use crate::error::Result;
use crate::group::{Group, Member};
use crate::user::User;

/// Every live user, oldest first (UUIDv7 order), for filters no index can answer.
pub async fn all_users(pool: &PgPool) -> Result<Vec<User>> {
    Ok(sqlx::query_as!(
        User,
        r#"select id, username, email, display_name, given_name, family_name, external_id,
                  identity_provider, subject, title, preferred_language, locale, timezone, user_type,
                  emails, phone_numbers, addresses, employee_number, department, organization,
                  division, cost_center, manager_id, active, deleted_at, last_login, created_at,
                  updated_at, version
             from users where deleted_at is null order by id"#
    )
    .fetch_all(pool)
    .await?)
}

/// Live users whose display name equals `name`, ignoring case (`users_display_name_idx`).
pub async fn users_by_display_name(pool: &PgPool, name: &str) -> Result<Vec<User>> {
    Ok(sqlx::query_as!(
        User,
        r#"select id, username, email, display_name, given_name, family_name, external_id,
                  identity_provider, subject, title, preferred_language, locale, timezone, user_type,
                  emails, phone_numbers, addresses, employee_number, department, organization,
                  division, cost_center, manager_id, active, deleted_at, last_login, created_at,
                  updated_at, version
             from users where lower(display_name) = lower($1) and deleted_at is null order by id"#,
        name
    )
    .fetch_all(pool)
    .await?)
}

/// One page of live users in id order, and how many live users exist.
pub async fn user_page(pool: &PgPool, offset: i64, limit: i64) -> Result<(Vec<User>, i64)> {
    let total =
        sqlx::query_scalar!(r#"select count(*) as "n!" from users where deleted_at is null"#)
            .fetch_one(pool)
            .await?;
    if limit <= 0 || offset >= total {
        return Ok((Vec::new(), total));
    }
    let users = sqlx::query_as!(
        User,
        r#"select id, username, email, display_name, given_name, family_name, external_id,
                  identity_provider, subject, title, preferred_language, locale, timezone, user_type,
                  emails, phone_numbers, addresses, employee_number, department, organization,
                  division, cost_center, manager_id, active, deleted_at, last_login, created_at,
                  updated_at, version
             from users where deleted_at is null order by id limit $1 offset $2"#,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    Ok((users, total))
}

/// Every group, oldest first.
pub async fn all_groups(pool: &PgPool) -> Result<Vec<Group>> {
    Ok(sqlx::query_as!(
        Group,
        "select id, display_name, external_id, created_at, updated_at, version from groups order by id"
    )
    .fetch_all(pool)
    .await?)
}

/// One page of groups in id order, and how many groups exist.
pub async fn group_page(pool: &PgPool, offset: i64, limit: i64) -> Result<(Vec<Group>, i64)> {
    let total = sqlx::query_scalar!(r#"select count(*) as "n!" from groups"#)
        .fetch_one(pool)
        .await?;
    if limit <= 0 || offset >= total {
        return Ok((Vec::new(), total));
    }
    let groups = sqlx::query_as!(
        Group,
        r#"select id, display_name, external_id, created_at, updated_at, version
             from groups order by id limit $1 offset $2"#,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    Ok((groups, total))
}

/// A group by display name (case-insensitive, through the unique index).
pub async fn group_by_display_name(pool: &PgPool, name: &str) -> Result<Option<Group>> {
    Ok(sqlx::query_as!(
        Group,
        r#"select id, display_name, external_id, created_at, updated_at, version
             from groups where lower(display_name) = lower($1)"#,
        name
    )
    .fetch_optional(pool)
    .await?)
}

/// A group by Entra object id.
pub async fn group_by_external_id(pool: &PgPool, external_id: &str) -> Result<Option<Group>> {
    Ok(sqlx::query_as!(
        Group,
        r#"select id, display_name, external_id, created_at, updated_at, version
             from groups where external_id = $1"#,
        external_id
    )
    .fetch_optional(pool)
    .await?)
}

/// Members of each of `groups`, by username.
pub async fn members_of(pool: &PgPool, groups: &[Uuid]) -> Result<HashMap<Uuid, Vec<Member>>> {
    let rows = sqlx::query!(
        r#"select gm.group_id, u.id as user_id, u.username, u.display_name
             from group_members gm join users u on u.id = gm.user_id
            where gm.group_id = any($1::uuid[])
            order by lower(u.username)"#,
        groups
    )
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<Uuid, Vec<Member>> = HashMap::new();
    for r in rows {
        out.entry(r.group_id).or_default().push(Member {
            user_id: r.user_id,
            username: r.username,
            display_name: r.display_name,
        });
    }
    Ok(out)
}
