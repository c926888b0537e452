//! Bearer-token check for every SCIM request. It reads the token row and writes
//! `last_used_at` at most once a minute: an `UPDATE` on every request would serialise a busy
//! provisioning run on that one row lock and cost a WAL flush even for reads.

use sqlx::PgPool;
use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::scim_token::ScimClient;
use crate::secret;

/// Checks a presented bearer token; unknown, revoked and expired tokens all give
/// `NotFound { entity: "scim token" }`.
pub async fn authenticate(pool: &PgPool, presented: &str) -> Result<ScimClient> {
    let hash = secret::hash(presented.trim());
    let row = sqlx::query!(
        r#"select id, name, token_hash,
                  (last_used_at is null or last_used_at < now() - interval '1 minute') as "stale!"
             from scim_tokens
            where token_hash = $1 and revoked_at is null and (expires_at is null or expires_at > now())"#,
        hash
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound { entity: "scim token" })?;
    // The lookup is by hash, so timing reveals nothing about the token; the constant-time
    // comparison keeps it that way should the lookup ever change (e.g. by prefix).
    if !bool::from(row.token_hash.as_slice().ct_eq(hash.as_slice())) {
        return Err(Error::NotFound {
            entity: "scim token",
        });
    }
    if row.stale {
        // Repeating the staleness test lets concurrent requests that all saw the stale value
        // write once between them.
        sqlx::query!(
            r#"update scim_tokens set last_used_at = now()
                where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')"#,
            row.id
        )
        .execute(pool)
        .await?;
    }
    Ok(ScimClient::new(row.id, row.name))
}
