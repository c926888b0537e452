//! Revoking (permanent, with a reason) and suspending (reversible) credentials: each sets or
//! clears the credential's bit in the issuer's Bitstring Status List of that purpose, in the
//! same transaction as the credential row and its audit row, then drops the cached list
//! credential so verifiers see the change on their next fetch.

use sqlx::PgPool;
use uuid::Uuid;

use super::{Credential, get_conn};
use crate::audit::{self, Entity};
use crate::cache::{self, Cache};
use crate::error::{Error, Result};
use crate::rbac::CanRevoke;
use crate::status_list;

/// Longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 1_000;

fn clean_reason(reason: &str, required: bool) -> Result<Option<String>> {
    let reason = reason.trim();
    if reason.is_empty() {
        return if required {
            Err(Error::invalid(
                "reason",
                "say why (the earner and verifiers are shown it)",
            ))
        } else {
            Ok(None)
        };
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Error::invalid(
            "reason",
            format!("is longer than {MAX_REASON_CHARS} characters"),
        ));
    }
    Ok(Some(reason.to_owned()))
}

async fn invalidate(cache: &Cache, c: &Credential) {
    let mut keys = vec![cache::credential_key(c.id)];
    for list in [c.status_list_id, c.suspension_list_id]
        .into_iter()
        .flatten()
    {
        keys.push(cache::status_list_key(list));
        keys.push(cache::status_list_credential_key(list));
    }
    cache.invalidate(&keys).await;
    cache.touch_pages(&super::pages_of(c)).await;
}

/// Revokes a credential for good: records time and reason, sets its revocation bit (and
/// clears a suspension), audits. Revoking twice gives `Conflict { "revoked_at" }`.
pub async fn revoke(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanRevoke,
    id: Uuid,
    reason: &str,
) -> Result<Credential> {
    let reason = clean_reason(reason, true)?;
    let mut tx = pool.begin().await?;
    let before = lock(&mut tx, auth, id).await?;
    if before.revoked_at.is_some() {
        return Err(Error::invalid(
            "revoked_at",
            "the credential is already revoked",
        ));
    }
    sqlx::query!(
        r#"update credentials set revoked_at = now(), revocation_reason = $2, suspended_at = null
            where id = $1"#,
        id,
        reason
    )
    .execute(&mut *tx)
    .await?;
    if let (Some(list), Some(index)) = (before.status_list_id, before.status_list_index) {
        status_list::set_bit(&mut tx, list, index, true).await?;
    }
    if before.suspended_at.is_some()
        && let (Some(list), Some(index)) = (before.suspension_list_id, before.suspension_list_index)
    {
        status_list::set_bit(&mut tx, list, index, false).await?;
    }
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "credential.revoke",
        Entity::new("credential", id),
        Some(serde_json::json!({ "revoked_at": null, "suspended_at": before.suspended_at })),
        Some(serde_json::json!({ "revoked_at": after.revoked_at, "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    invalidate(cache, &after).await;
    Ok(after)
}

async fn lock(conn: &mut sqlx::PgConnection, auth: &CanRevoke, id: Uuid) -> Result<Credential> {
    let issuer_id = sqlx::query_scalar!(
        "select issuer_id from credentials where id = $1 for update",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound {
        entity: "credential",
    })?;
    auth.check_issuer(issuer_id)?;
    get_conn(conn, id).await
}

/// Suspends a credential (reversible): sets its suspension bit, audits the optional reason.
pub async fn suspend(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanRevoke,
    id: Uuid,
    reason: &str,
) -> Result<Credential> {
    let reason = clean_reason(reason, false)?;
    let mut tx = pool.begin().await?;
    let before = lock(&mut tx, auth, id).await?;
    if before.revoked_at.is_some() {
        return Err(Error::invalid(
            "suspended_at",
            "a revoked credential cannot be suspended",
        ));
    }
    if before.suspended_at.is_some() {
        return Err(Error::invalid(
            "suspended_at",
            "the credential is already suspended",
        ));
    }
    let (Some(list), Some(index)) = (before.suspension_list_id, before.suspension_list_index)
    else {
        return Err(Error::invalid(
            "suspended_at",
            "this credential was issued without a suspension status entry, so it can only be revoked",
        ));
    };
    sqlx::query!(
        "update credentials set suspended_at = now() where id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    status_list::set_bit(&mut tx, list, index, true).await?;
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "credential.suspend",
        Entity::new("credential", id),
        Some(serde_json::json!({ "suspended_at": null })),
        Some(serde_json::json!({ "suspended_at": after.suspended_at, "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    invalidate(cache, &after).await;
    Ok(after)
}

/// Lifts a suspension: clears the bit, audits.
pub async fn unsuspend(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanRevoke,
    id: Uuid,
) -> Result<Credential> {
    let mut tx = pool.begin().await?;
    let before = lock(&mut tx, auth, id).await?;
    if before.suspended_at.is_none() {
        return Err(Error::invalid(
            "suspended_at",
            "the credential is not suspended",
        ));
    }
    sqlx::query!(
        "update credentials set suspended_at = null where id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    if let (Some(list), Some(index)) = (before.suspension_list_id, before.suspension_list_index) {
        status_list::set_bit(&mut tx, list, index, false).await?;
    }
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "credential.unsuspend",
        Entity::new("credential", id),
        Some(serde_json::json!({ "suspended_at": before.suspended_at })),
        Some(serde_json::json!({ "suspended_at": null })),
    )
    .await?;
    tx.commit().await?;
    invalidate(cache, &after).await;
    Ok(after)
}
