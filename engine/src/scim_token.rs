//! SCIM bearer tokens: created by an admin (shown once), presented by Entra on every SCIM
//! request (checked by [`crate::scim::token::authenticate`]). A valid token yields the [`CanManageUsers`] capability, acting as `scim:<name>`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::audit::{self, Actor, Entity};
use crate::error::{Error, Result};
use crate::rbac::{Authorized, CanManageScimTokens, CanManageUsers, Scope};
use crate::secret;

/// A token's metadata (never the token).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScimToken {
    /// Id.
    pub id: Uuid,
    /// Admin-chosen name, e.g. `entra-prod`.
    pub name: String,
    /// First characters of the token.
    pub prefix: String,
    /// Creator, if still present.
    pub created_by: Option<Uuid>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Optional expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// Last successful use (updated at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revocation time.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A freshly created token: the secret is returned this once.
#[derive(Debug, Clone)]
pub struct CreatedToken {
    /// Metadata.
    pub token: ScimToken,
    /// The bearer token to paste into Entra.
    pub secret: String,
}

/// The authenticated SCIM client. Only the token check
/// ([`crate::scim::token::authenticate`]) makes one, so holding one proves a valid token:
///
/// ```compile_fail
/// // Outside the engine the fields are private …
/// let forged = engine::scim_token::ScimClient { token_id: uuid::Uuid::nil(), name: "me".into() };
/// ```
///
/// ```compile_fail
/// // … and there is no public constructor.
/// let forged = engine::scim_token::ScimClient::new(uuid::Uuid::nil(), "me".into());
/// ```
#[derive(Debug, Clone)]
pub struct ScimClient {
    token_id: Uuid,
    name: String,
}

impl ScimClient {
    pub(crate) fn new(token_id: Uuid, name: String) -> ScimClient {
        ScimClient { token_id, name }
    }

    /// Token id.
    pub fn token_id(&self) -> Uuid {
        self.token_id
    }

    /// Token name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The provisioning capability (users and groups), acting as `scim:<name>`.
    pub fn authorize(&self) -> CanManageUsers {
        Authorized::new(Actor::system(format!("scim:{}", self.name)), Scope::All)
    }
}

/// Creates a token.
pub async fn create(
    pool: &PgPool,
    auth: &CanManageScimTokens,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
) -> Result<CreatedToken> {
    let secret = secret::generate("scim");
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    let token = sqlx::query_as!(
        ScimToken,
        r#"insert into scim_tokens (id, name, token_hash, prefix, created_by, expires_at)
           values ($1, $2, $3, $4, $5, $6)
           returning id, name, prefix, created_by, created_at, expires_at, last_used_at, revoked_at"#,
        id,
        name.trim(),
        secret::hash(&secret),
        secret::display_prefix(&secret),
        auth.actor().user_id,
        expires_at
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "scim_token.create",
        Entity::new("scim_token", id),
        None,
        audit::snapshot(&token),
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedToken { token, secret })
}

/// All tokens, newest first.
pub async fn list(pool: &PgPool, _auth: &CanManageScimTokens) -> Result<Vec<ScimToken>> {
    Ok(sqlx::query_as!(
        ScimToken,
        r#"select id, name, prefix, created_by, created_at, expires_at, last_used_at, revoked_at
             from scim_tokens order by created_at desc"#
    )
    .fetch_all(pool)
    .await?)
}

/// Revokes a token (idempotent).
pub async fn revoke(pool: &PgPool, auth: &CanManageScimTokens, id: Uuid) -> Result<()> {
    let mut tx = pool.begin().await?;
    let token = sqlx::query_as!(
        ScimToken,
        r#"update scim_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1
           returning id, name, prefix, created_by, created_at, expires_at, last_used_at, revoked_at"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound { entity: "scim token" })?;
    audit::record(
        &mut tx,
        auth.actor(),
        "scim_token.revoke",
        Entity::new("scim_token", id),
        None,
        audit::snapshot(&token),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
