//! OAuth client applications: integrations (LMSs, HR tools, scripts) calling the REST API with
//! client credentials. Split by action: this module registers, lists, rotates and revokes
//! apps and checks their secrets; [`role`] holds the roles an app defines (each a set of
//! permissions, optionally limited to some issuers) and the users assigned to them; [`token`]
//! issues and verifies the short-lived access tokens the API accepts and turns them into a
//! [`crate::rbac::Principal`], the only way an API call obtains a capability; [`entra`] does the
//! same for app tokens Entra issued, when the deployment accepts them.

pub mod entra;
pub mod role;
pub mod token;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::audit::{self, Entity};
use crate::error::{Error, Result};
use crate::rbac::CanManageClientApps;
use crate::secret;

pub use role::{API_PERMISSIONS, ClientRole, ClientRoleInput};
pub use token::{AccessToken, TOKEN_LIFETIME_SECONDS};

/// Longest app name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest overlap during which a rotated-out secret still works.
pub const MAX_ROTATION_OVERLAP_HOURS: i64 = 24 * 30;

/// A registered client app (never its secret).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClientApp {
    /// Id.
    pub id: Uuid,
    /// The OAuth `client_id` (the id for new apps; the old one for imported apps).
    pub client_id: String,
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
    /// Until when the secret in use before the last rotation still works.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// Version.
    pub version: i32,
}

/// A new (or rotated) app and its secret, shown once.
#[derive(Debug, Clone)]
pub struct CreatedClientApp {
    /// Metadata.
    pub app: ClientApp,
    /// `client_secret`.
    pub secret: String,
}

fn check_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "is required"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "name",
            format!("is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(name)
}

fn check_redirect_uris(uris: &[String]) -> Result<Vec<String>> {
    if uris.len() > 20 {
        return Err(Error::invalid("redirect_uris", "at most 20 redirect URIs"));
    }
    uris.iter()
        .map(|u| u.trim())
        .filter(|u| !u.is_empty())
        .map(|u| {
            let parsed = url::Url::parse(u).map_err(|_| {
                Error::invalid("redirect_uris", format!("`{u}` is not an absolute URL"))
            })?;
            let local = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
            if parsed.scheme() == "https" || (parsed.scheme() == "http" && local) {
                Ok(u.to_owned())
            } else {
                Err(Error::invalid(
                    "redirect_uris",
                    format!("`{u}` must use https (http only for localhost)"),
                ))
            }
        })
        .collect()
}

/// Registers an app owned by `owner_id`; the secret is returned once and stored hashed.
pub async fn create(
    pool: &PgPool,
    auth: &CanManageClientApps,
    owner_id: Uuid,
    name: &str,
    description: &str,
    redirect_uris: &[String],
) -> Result<CreatedClientApp> {
    auth.check_global()?;
    let name = check_name(name)?;
    let redirect_uris = check_redirect_uris(redirect_uris)?;
    let secret = secret::generate("bec");
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    let app = sqlx::query_as!(
        ClientApp,
        r#"insert into oauth_client_apps (id, client_id, owner_id, name, description, secret_hash, secret_prefix, redirect_uris)
           values ($1, $1::uuid::text, $2, $3, $4, $5, $6, $7)
           returning id, client_id, owner_id, name, description, secret_prefix, redirect_uris, created_at,
                     updated_at, last_used_at, revoked_at, previous_secret_expires_at, version"#,
        id,
        owner_id,
        name,
        description.trim(),
        secret::hash(&secret),
        secret::display_prefix(&secret),
        &redirect_uris
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

/// Replaces an app's secret. The old one keeps working for `overlap` (zero: not at all), so
/// the integration can be redeployed first; an imported app's old-format secret ends now.
pub async fn rotate_secret(
    pool: &PgPool,
    auth: &CanManageClientApps,
    id: Uuid,
    overlap: Duration,
) -> Result<CreatedClientApp> {
    auth.check_global()?;
    if overlap < Duration::zero() || overlap > Duration::hours(MAX_ROTATION_OVERLAP_HOURS) {
        return Err(Error::invalid(
            "overlap",
            format!(
                "must be between 0 and {} days",
                MAX_ROTATION_OVERLAP_HOURS / 24
            ),
        ));
    }
    let secret = secret::generate("bec");
    let keep_until = (overlap > Duration::zero()).then(|| Utc::now() + overlap);
    let mut tx = pool.begin().await?;
    let app = sqlx::query_as!(
        ClientApp,
        r#"update oauth_client_apps
              set previous_secret_hash = case when $3::timestamptz is null then null else secret_hash end,
                  previous_secret_expires_at = case when secret_hash is null then null else $3 end,
                  secret_hash = $2, secret_prefix = $4,
                  legacy_secret_hash = null, legacy_secret_algorithm = null, version = version + 1
            where id = $1 and revoked_at is null
        returning id, client_id, owner_id, name, description, secret_prefix, redirect_uris, created_at,
                  updated_at, last_used_at, revoked_at, previous_secret_expires_at, version"#,
        id,
        secret::hash(&secret),
        keep_until,
        secret::display_prefix(&secret)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound {
        entity: "client app",
    })?;
    audit::record(
        &mut tx,
        auth.actor(),
        "client_app.rotate_secret",
        Entity::new("client_app", id),
        None,
        Some(serde_json::json!({ "previous_secret_expires_at": app.previous_secret_expires_at })),
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedClientApp { app, secret })
}

/// Checks `client_id` + `client_secret` (the current secret, the previous one during its
/// overlap, or an imported app's old-format hash). Unknown, wrong and revoked all give
/// `Unauthenticated`, so a caller cannot tell which.
pub async fn authenticate(pool: &PgPool, client_id: &str, presented: &str) -> Result<ClientApp> {
    let refused = Error::Unauthenticated {
        reason: "unknown client, wrong secret, or revoked app",
    };
    let client_id = client_id.trim();
    let presented = presented.trim();
    if client_id.is_empty() || presented.is_empty() || presented.len() > 512 {
        return Err(refused);
    }
    let Some(row) = sqlx::query!(
        r#"select id, secret_hash, previous_secret_hash,
                  (previous_secret_expires_at > now()) as "previous_live?",
                  legacy_secret_hash, legacy_secret_algorithm
             from oauth_client_apps where client_id = $1 and revoked_at is null"#,
        client_id
    )
    .fetch_optional(pool)
    .await?
    else {
        return Err(refused);
    };
    let hashed = secret::hash(presented);
    let matches = |stored: &Option<Vec<u8>>| {
        stored
            .as_deref()
            .is_some_and(|s| bool::from(s.ct_eq(hashed.as_slice())))
    };
    let current = matches(&row.secret_hash);
    let previous = row.previous_live.unwrap_or(false) && matches(&row.previous_secret_hash);
    let legacy = match (
        row.legacy_secret_hash.as_deref(),
        row.legacy_secret_algorithm.as_deref(),
    ) {
        (Some(h), Some("sha256")) => bool::from(
            secret::hex(&hashed)
                .as_bytes()
                .ct_eq(h.to_ascii_lowercase().as_bytes()),
        ),
        (Some(h), Some("bcrypt")) => {
            let (h, p) = (h.to_owned(), presented.to_owned());
            tokio::task::spawn_blocking(move || bcrypt::verify(p, &h).unwrap_or(false))
                .await
                .map_err(Error::internal)?
        }
        _ => false,
    };
    if !(current || previous || legacy) {
        return Err(refused);
    }
    sqlx::query_as!(
        ClientApp,
        r#"update oauth_client_apps set last_used_at = now() where id = $1
        returning id, client_id, owner_id, name, description, secret_prefix, redirect_uris, created_at,
                  updated_at, last_used_at, revoked_at, previous_secret_expires_at, version"#,
        row.id
    )
    .fetch_one(pool)
    .await
    .map_err(Error::from)
}

/// All apps, newest first.
pub async fn list(pool: &PgPool, _auth: &CanManageClientApps) -> Result<Vec<ClientApp>> {
    Ok(sqlx::query_as!(
        ClientApp,
        r#"select id, client_id, owner_id, name, description, secret_prefix, redirect_uris, created_at,
                  updated_at, last_used_at, revoked_at, previous_secret_expires_at, version
             from oauth_client_apps order by created_at desc"#
    )
    .fetch_all(pool)
    .await?)
}

/// Revokes an app (idempotent): its secrets and every token it holds stop working at once.
pub async fn revoke(pool: &PgPool, auth: &CanManageClientApps, id: Uuid) -> Result<()> {
    auth.check_global()?;
    let mut tx = pool.begin().await?;
    let app = sqlx::query_as!(
        ClientApp,
        r#"update oauth_client_apps set revoked_at = coalesce(revoked_at, now()), version = version + 1
            where id = $1
        returning id, client_id, owner_id, name, description, secret_prefix, redirect_uris, created_at,
                  updated_at, last_used_at, revoked_at, previous_secret_expires_at, version"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound {
        entity: "client app",
    })?;
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
