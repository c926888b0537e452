//! The roles a client app defines: each a set of API permissions, reaching every issuer or
//! only some (and their departments), with the users assigned to it. An app's access token
//! carries the union of its roles.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::audit::{self, Entity};
use crate::error::{Error, Result};
use crate::rbac::{CanManageClientApps, Permission};

/// What a client role may grant: the API's permissions, never user, role or token
/// administration (those stay with people signed in through Entra).
pub const API_PERMISSIONS: [Permission; 6] = [
    Permission::ViewAdmin,
    Permission::ManageIssuers,
    Permission::ManageAchievements,
    Permission::Award,
    Permission::Revoke,
    Permission::ManageJobs,
];

/// A role defined by an app.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClientRole {
    /// Id.
    pub id: Uuid,
    /// App.
    pub client_id: Uuid,
    /// Name, unique per app (case-insensitive).
    pub name: String,
    /// Description.
    pub description: String,
    /// Permission names (`award`, …).
    pub permissions: Vec<String>,
    /// `None`: every issuer; otherwise only these and their departments.
    pub issuer_ids: Option<Vec<Uuid>>,
    /// Users assigned to the role.
    pub users: Vec<Uuid>,
}

/// A role's editable fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ClientRoleInput {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Permissions, from [`API_PERMISSIONS`].
    pub permissions: Vec<Permission>,
    /// `None` (or empty): every issuer.
    pub issuer_ids: Option<Vec<Uuid>>,
}

impl ClientRoleInput {
    fn checked(&self) -> Result<(String, Vec<String>, Option<Vec<Uuid>>)> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::invalid(
                "name",
                "give the role a name of at most 100 characters",
            ));
        }
        if self.permissions.is_empty() {
            return Err(Error::invalid(
                "permissions",
                "pick at least one permission",
            ));
        }
        let mut perms = BTreeSet::new();
        for p in &self.permissions {
            if !API_PERMISSIONS.contains(p) {
                return Err(Error::invalid(
                    "permissions",
                    format!("`{p}` cannot be given to a client app"),
                ));
            }
            perms.insert(p.as_str().to_owned());
        }
        let issuers = self
            .issuer_ids
            .as_ref()
            .filter(|ids| !ids.is_empty())
            .map(|ids| {
                let set: BTreeSet<Uuid> = ids.iter().copied().collect();
                set.into_iter().collect::<Vec<_>>()
            });
        Ok((name.to_owned(), perms.into_iter().collect(), issuers))
    }
}

async fn check_issuers(conn: &mut sqlx::PgConnection, ids: &Option<Vec<Uuid>>) -> Result<()> {
    if let Some(ids) = ids {
        let known = sqlx::query_scalar!(
            r#"select count(*) as "n!" from issuers where id = any($1)"#,
            ids
        )
        .fetch_one(conn)
        .await?;
        if known != ids.len() as i64 {
            return Err(Error::invalid("issuer_ids", "refers to an unknown issuer"));
        }
    }
    Ok(())
}

/// Defines a role for an app.
pub async fn create(
    pool: &PgPool,
    auth: &CanManageClientApps,
    client_id: Uuid,
    input: &ClientRoleInput,
) -> Result<ClientRole> {
    let (name, permissions, issuer_ids) = input.checked()?;
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    check_issuers(&mut tx, &issuer_ids).await?;
    let app_live = sqlx::query_scalar!(
        "select revoked_at is null from oauth_client_apps where id = $1 for update",
        client_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .flatten();
    if app_live != Some(true) {
        return Err(Error::NotFound {
            entity: "client app",
        });
    }
    sqlx::query!(
        r#"insert into client_roles (id, client_id, name, description, permissions, issuer_ids)
           values ($1, $2, $3, $4, $5, $6)"#,
        id,
        client_id,
        name,
        input.description.trim(),
        &permissions,
        issuer_ids.as_deref()
    )
    .execute(&mut *tx)
    .await?;
    let role = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "client_role.create",
        Entity::new("client_role", id),
        None,
        audit::snapshot(&role),
    )
    .await?;
    tx.commit().await?;
    Ok(role)
}

/// Changes a role's name, permissions and issuers.
pub async fn update(
    pool: &PgPool,
    auth: &CanManageClientApps,
    id: Uuid,
    input: &ClientRoleInput,
) -> Result<ClientRole> {
    let (name, permissions, issuer_ids) = input.checked()?;
    let mut tx = pool.begin().await?;
    check_issuers(&mut tx, &issuer_ids).await?;
    let before = get_conn(&mut tx, id).await?;
    sqlx::query!(
        r#"update client_roles set name = $2, description = $3, permissions = $4, issuer_ids = $5
            where id = $1"#,
        id,
        name,
        input.description.trim(),
        &permissions,
        issuer_ids.as_deref()
    )
    .execute(&mut *tx)
    .await?;
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "client_role.update",
        Entity::new("client_role", id),
        audit::snapshot(&before),
        audit::snapshot(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes a role (its assignments go with it).
pub async fn delete(pool: &PgPool, auth: &CanManageClientApps, id: Uuid) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before = get_conn(&mut tx, id).await?;
    sqlx::query!("delete from client_roles where id = $1", id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "client_role.delete",
        Entity::new("client_role", id),
        audit::snapshot(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn get_conn(conn: &mut sqlx::PgConnection, id: Uuid) -> Result<ClientRole> {
    sqlx::query_as!(
        ClientRole,
        r#"select r.id, r.client_id, r.name, r.description, r.permissions, r.issuer_ids,
                  coalesce((select array_agg(u.user_id order by u.granted_at)
                              from client_role_users u where u.client_role_id = r.id), '{}') as "users!"
             from client_roles r where r.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound {
        entity: "client role",
    })
}

/// An app's roles by name.
pub async fn list(
    pool: &PgPool,
    _auth: &CanManageClientApps,
    client_id: Uuid,
) -> Result<Vec<ClientRole>> {
    Ok(sqlx::query_as!(
        ClientRole,
        r#"select r.id, r.client_id, r.name, r.description, r.permissions, r.issuer_ids,
                  coalesce((select array_agg(u.user_id order by u.granted_at)
                              from client_role_users u where u.client_role_id = r.id), '{}') as "users!"
             from client_roles r where r.client_id = $1 order by lower(r.name)"#,
        client_id
    )
    .fetch_all(pool)
    .await?)
}

/// Gives a user an app role (idempotent).
pub async fn assign(
    pool: &PgPool,
    auth: &CanManageClientApps,
    client_role_id: Uuid,
    user_id: Uuid,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        "insert into client_role_users (client_role_id, user_id) values ($1, $2) on conflict do nothing",
        client_role_id,
        user_id
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() > 0 {
        audit::record(
            &mut tx,
            auth.actor(),
            "client_role.assign",
            Entity::new("client_role", client_role_id),
            None,
            Some(serde_json::json!({ "user_id": user_id })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Takes an app role away from a user (idempotent).
pub async fn unassign(
    pool: &PgPool,
    auth: &CanManageClientApps,
    client_role_id: Uuid,
    user_id: Uuid,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        "delete from client_role_users where client_role_id = $1 and user_id = $2",
        client_role_id,
        user_id
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() > 0 {
        audit::record(
            &mut tx,
            auth.actor(),
            "client_role.unassign",
            Entity::new("client_role", client_role_id),
            Some(serde_json::json!({ "user_id": user_id })),
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Names of the app roles a user holds for `client_id`.
pub async fn of_user(
    pool: &PgPool,
    _auth: &CanManageClientApps,
    client_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar!(
        r#"select cr.name from client_roles cr join client_role_users cru on cru.client_role_id = cr.id
            where cr.client_id = $1 and cru.user_id = $2 order by lower(cr.name)"#,
        client_id,
        user_id
    )
    .fetch_all(pool)
    .await?)
}
