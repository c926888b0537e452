//! The public view of a credential (its page, downloads, `Accept: application/ld+json`),
//! through the cache. Who may see it is decided by [`visible_to`]: a public credential
//! everyone; a private one only its earner and the issuer's staff.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::{State, state_of};
use crate::achievement::{self, Achievement};
use crate::cache::{self, Cache};
use crate::error::Result;
use crate::issuer::{self, Issuer};
use crate::rbac::CanViewAdmin;

/// Everything the public credential page shows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PublicCredential {
    /// Id.
    pub id: Uuid,
    /// The signed credential.
    pub credential: serde_json::Value,
    /// The achievement (as it is now; the credential holds it as awarded).
    pub achievement: Achievement,
    /// The issuer.
    pub issuer: Issuer,
    /// The name as awarded (check [`PublicCredential::hide_name`] before showing it).
    pub recipient_name: String,
    /// The earner hid their name.
    pub hide_name: bool,
    /// Shown to everyone.
    pub public: bool,
    /// The earner's account.
    pub recipient_user_id: Option<Uuid>,
    /// Issued.
    pub issued_at: DateTime<Utc>,
    /// Expires.
    pub valid_until: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why.
    pub revocation_reason: Option<String>,
    /// The credential that replaced this one (re-issued under the issuer's DID).
    #[serde(default)]
    pub superseded_by: Option<Uuid>,
    /// Suspended.
    pub suspended_at: Option<DateTime<Utc>>,
    /// Accepted.
    pub claimed_at: Option<DateTime<Utc>>,
    /// Results, evidence, activity dates as awarded.
    pub details: crate::signer::AwardDetails,
}

impl PublicCredential {
    /// State now.
    pub fn state(&self, now: DateTime<Utc>) -> State {
        state_of(
            now,
            self.issued_at,
            self.valid_until,
            self.claimed_at,
            self.revoked_at,
            self.suspended_at,
        )
    }

    /// The name to show: as awarded, unless the earner hid it.
    pub fn shown_name(&self) -> Option<&str> {
        (!self.hide_name).then_some(self.recipient_name.as_str())
    }
}

/// The public view, through the cache (no access check: see [`visible_to`]).
pub async fn view(pool: &PgPool, cache: &Cache, id: Uuid) -> Result<PublicCredential> {
    let key = cache::credential_key(id);
    if let Some(mut hit) = cache.get_json::<PublicCredential>(&key).await {
        // The copies of issuer and achievement in the entry age with it; their own cache
        // entries are dropped by their edits, so a rename shows at once.
        let (issuer, achievement) = tokio::join!(
            issuer::public_profile(pool, cache, hit.issuer.id),
            achievement::public(pool, cache, hit.achievement.id)
        );
        hit.issuer = issuer?;
        if let Ok(a) = achievement {
            hit.achievement = a;
        }
        return Ok(hit);
    }
    let mut conn = pool.acquire().await?;
    let c = super::get_conn(&mut conn, id).await?;
    let achievement = achievement::get_conn(&mut conn, c.achievement_id).await?;
    let issuer = issuer::get_conn(&mut conn, c.issuer_id).await?;
    let superseded_by = match c.revoked_at {
        Some(_) => {
            sqlx::query_scalar!("select superseded_by from credentials where id = $1", id)
                .fetch_one(&mut *conn)
                .await?
        }
        None => None,
    };
    drop(conn);
    let view = PublicCredential {
        id: c.id,
        credential: c.credential,
        achievement,
        issuer,
        recipient_name: c.recipient_name,
        hide_name: c.hide_name,
        public: c.visibility == "public",
        recipient_user_id: c.recipient_user_id,
        issued_at: c.issued_at,
        valid_until: c.valid_until,
        revoked_at: c.revoked_at,
        revocation_reason: c.revocation_reason,
        superseded_by,
        suspended_at: c.suspended_at,
        claimed_at: c.claimed_at,
        details: serde_json::from_value(c.details).unwrap_or_default(),
    };
    cache.put_json(&key, &view, cache::DEFAULT_TTL).await;
    Ok(view)
}

/// Whether the viewer may see the credential: anyone when it is public; otherwise its
/// earner (signed in as `user_id`) or staff whose capability reaches its issuer.
pub async fn visible_to(
    pool: &PgPool,
    view: &PublicCredential,
    user_id: Option<Uuid>,
    staff: Option<&CanViewAdmin>,
) -> Result<bool> {
    if view.public {
        return Ok(true);
    }
    if staff.is_some_and(|s| s.covers(view.issuer.id)) {
        return Ok(true);
    }
    match user_id {
        Some(u) if view.recipient_user_id == Some(u) => Ok(true),
        Some(u) => super::claim::is_earner(pool, u, view.id).await,
        None => Ok(false),
    }
}

/// Whether `user_id` is the earner of the credential (linked, or sent to a verified address).
pub async fn is_earner(pool: &PgPool, user_id: Uuid, view: &PublicCredential) -> Result<bool> {
    if view.recipient_user_id == Some(user_id) {
        return Ok(true);
    }
    super::claim::is_earner(pool, user_id, view.id).await
}

/// The exact bytes to serve for a credential: the text it was imported with (a credential
/// signed by the old system, kept byte for byte), otherwise its stored JSON.
pub async fn served_bytes(pool: &PgPool, id: Uuid) -> Result<Vec<u8>> {
    let row = sqlx::query!(
        "select credential, credential_source from credentials where id = $1",
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(crate::error::Error::NotFound {
        entity: "credential",
    })?;
    match row.credential_source {
        Some(source) => Ok(source.into_bytes()),
        None => serde_json::to_vec(&row.credential).map_err(crate::error::Error::internal),
    }
}
