//! Credentials imported from the old system, stored byte-for-byte (never re-signed).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::audit::{self, Entity};
use crate::error::{Error, Result};
use crate::rbac::CanAward;

/// A credential imported from the old system, stored byte-for-byte (no re-signing).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ImportedCredential {
    /// Keep the original id when it is a UUID.
    pub id: Uuid,
    /// Achievement.
    pub achievement_id: Uuid,
    /// Recipient's name.
    pub recipient_name: String,
    /// Recipient's e-mail.
    pub recipient_email: String,
    /// Identity hash as issued.
    pub identity_hash: String,
    /// Its salt.
    pub identity_salt: String,
    /// The signed credential as issued.
    pub credential: serde_json::Value,
    /// Issued.
    pub issued_at: DateTime<Utc>,
    /// Claimed.
    pub claimed_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why.
    pub revocation_reason: Option<String>,
}

/// Imports credentials (one transaction, audited); existing ids are skipped, so re-running an
/// import is harmless. Returns how many were inserted.
pub async fn import(pool: &PgPool, auth: &CanAward, items: &[ImportedCredential]) -> Result<u64> {
    let mut tx = pool.begin().await?;
    let mut n = 0;
    for c in items {
        let inserted = sqlx::query_scalar!(
            r#"insert into credentials (id, achievement_id, issuer_id, recipient_user_id, recipient_name,
                   recipient_email, identity_hash, identity_salt, credential, issued_at, claimed_at,
                   revoked_at, revocation_reason)
               select $1, a.id, a.issuer_id,
                      (select id from users where deleted_at is null and lower(email) = lower($4)),
                      $3, $4, $5, $6, $7, $8, $9, $10, $11
                 from achievements a where a.id = $2
               on conflict (id) do nothing
               returning id"#,
            c.id,
            c.achievement_id,
            c.recipient_name,
            c.recipient_email,
            c.identity_hash,
            c.identity_salt,
            c.credential,
            c.issued_at,
            c.claimed_at,
            c.revoked_at,
            c.revocation_reason
        )
        .fetch_optional(&mut *tx)
        .await?;
        if inserted.is_some() {
            n += 1;
            audit::record(
                &mut tx,
                auth.actor(),
                "credential.import",
                Entity::new("credential", c.id),
                None,
                Some(serde_json::json!({ "achievement_id": c.achievement_id, "recipient_email": c.recipient_email })),
            )
            .await?;
        } else if !exists(&mut tx, c.id).await? {
            return Err(Error::invalid("achievement_id", "unknown achievement"));
        }
    }
    tx.commit().await?;
    Ok(n)
}

async fn exists(conn: &mut PgConnection, id: Uuid) -> Result<bool> {
    Ok(sqlx::query_scalar!(
        r#"select exists (select 1 from credentials where id = $1) as "e!""#,
        id
    )
    .fetch_one(conn)
    .await?)
}
