//! OAuth client applications (integrations calling the REST API with client credentials),
//! the roles each app defines, and which users hold them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::audit::{self, Entity};
use crate::error::{Error, Result};
use crate::rbac::CanManageClientApps;
use crate::secret;

/// A registered client app (never its secret).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClientApp {
    /// Id; also the OAuth `client_id`.
    pub id: Uuid,
    /// Owning user.
    pub owner_id: Uuid,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// First characters of the secret.
    pub secret_prefix: String,
    /// Allowed redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Last authentication.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Version.
    pub version: i32,
}

/// A new app and its secret, shown once.
#[derive(Debug, Clone)]
pub struct CreatedClientApp {
    /// Metadata.
    pub app: ClientApp,
    /// `client_secret`.
    pub secret: String,
}

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
}

/// Registers an app owned by `owner_id`.
pub async fn create(
    pool: &PgPool,
    auth: &CanManageClientApps,
    owner_id: Uuid,
    name: &str,
    description: &str,
    redirect_uris: &[String],
) -> Result<CreatedClientApp> {
    let secret = secret::generate("bec");
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    let app = sqlx::query_as!(
        ClientApp,
        r#"insert into oauth_client_apps (id, client_id, owner_id, name, description, secret_hash, secret_prefix, redirect_uris)
           values ($1, $1::uuid::text, $2, $3, $4, $5, $6, $7)
           returning id, owner_id, name, description, secret_prefix, redirect_uris, created_at,
                     updated_at, last_used_at, revoked_at, version"#,
        id,
        owner_id,
        name.trim(),
        description,
        secret::hash(&secret),
        secret::display_prefix(&secret),
        redirect_uris
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "client_app.create",
        Entity::new("client_app", id),
        None,
        audit::snapshot(&app),
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedClientApp { app, secret })
}

/// Checks `client_id` + `client_secret`; unknown, wrong and revoked all give
/// `NotFound { entity: "client app" }`.
pub async fn authenticate(
    pool: &PgPool,
    client_id: Uuid,
    presented_secret: &str,
) -> Result<ClientApp> {
    sqlx::query_as!(
        ClientApp,
        r#"update oauth_client_apps set last_used_at = now()
            where id = $1 and secret_hash = $2 and revoked_at is null
        returning id, owner_id, name, description, secret_prefix, redirect_uris, created_at,
                  updated_at, last_used_at, revoked_at, version"#,
        client_id,
        secret::hash(presented_secret.trim())
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound {
        entity: "client app",
    })
}

/// All apps, newest first.
pub async fn list(pool: &PgPool, _auth: &CanManageClientApps) -> Result<Vec<ClientApp>> {
    Ok(sqlx::query_as!(
        ClientApp,
        r#"select id, owner_id, name, description, secret_prefix, redirect_uris, created_at,
                  updated_at, last_used_at, revoked_at, version
             from oauth_client_apps order by created_at desc"#
    )
    .fetch_all(pool)
    .await?)
}

/// Revokes an app (idempotent).
pub async fn revoke(pool: &PgPool, auth: &CanManageClientApps, id: Uuid) -> Result<()> {
    let mut tx = pool.begin().await?;
    let app = sqlx::query_as!(
        ClientApp,
        r#"update oauth_client_apps set revoked_at = coalesce(revoked_at, now()), version = version + 1
            where id = $1
        returning id, owner_id, name, description, secret_prefix, redirect_uris, created_at,
                  updated_at, last_used_at, revoked_at, version"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound { entity: "client app" })?;
    audit::record(
        &mut tx,
        auth.actor(),
        "client_app.revoke",
        Entity::new("client_app", id),
        None,
        audit::snapshot(&app),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Defines a role for an app.
pub async fn create_role(
    pool: &PgPool,
    auth: &CanManageClientApps,
    client_id: Uuid,
    name: &str,
    description: &str,
) -> Result<ClientRole> {
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    let role = sqlx::query_as!(
        ClientRole,
        r#"insert into client_roles (id, client_id, name, description) values ($1, $2, $3, $4)
           returning id, client_id, name, description"#,
        id,
        client_id,
        name.trim(),
        description
    )
    .fetch_one(&mut *tx)
    .await?;
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

/// An app's roles.
pub async fn roles(pool: &PgPool, client_id: Uuid) -> Result<Vec<ClientRole>> {
    Ok(sqlx::query_as!(
        ClientRole,
        "select id, client_id, name, description from client_roles where client_id = $1 order by lower(name)",
        client_id
    )
    .fetch_all(pool)
    .await?)
}

/// Gives a user an app role (idempotent).
pub async fn assign_role(
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
pub async fn unassign_role(
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
pub async fn user_roles(pool: &PgPool, client_id: Uuid, user_id: Uuid) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar!(
        r#"select cr.name from client_roles cr join client_role_users cru on cru.client_role_id = cr.id
            where cr.client_id = $1 and cru.user_id = $2 order by lower(cr.name)"#,
        client_id,
        user_id
    )
    .fetch_all(pool)
    .await?)
}
