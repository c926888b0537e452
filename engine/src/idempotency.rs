//! Stored answers to API requests carrying an `Idempotency-Key` (as in the IETF
//! `Idempotency-Key` header draft): the first request with a key claims it and its answer is
//! kept for 24 hours; a retry with the same request gets the same answer without running
//! again, a different request under the same key is refused, and a retry while the first is
//! still running is told so.

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::error::{Error, Result};

/// Longest key accepted.
pub const MAX_KEY_LEN: usize = 255;

/// A stored answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: String,
    /// Body.
    pub body: Vec<u8>,
    /// `Location`, when the answer had one (a 201's link to what it made).
    pub location: Option<String>,
}

/// What to do with a request that carries a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First time: run it, then [`complete`] (or [`release`] on a server failure).
    Fresh,
    /// Seen and answered: send this again.
    Replay(StoredAnswer),
    /// The first request with this key is still running.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

/// The fingerprint of a request: method, path and body.
pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update(b"\0");
    h.update(path.as_bytes());
    h.update(b"\0");
    h.update(body);
    h.finalize().to_vec()
}

/// `Invalid { "Idempotency-Key" }` unless the key is 1–255 visible ASCII characters.
pub fn check_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(
            "Idempotency-Key",
            format!("must be 1 to {MAX_KEY_LEN} visible ASCII characters"),
        ));
    }
    Ok(())
}

/// Claims `key` for `client_id`'s request, or tells what became of its earlier use. Keys
/// older than 24 hours are forgotten.
pub async fn claim(pool: &PgPool, client_id: Uuid, key: &str, fingerprint: &[u8]) -> Result<Claim> {
    check_key(key)?;
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "delete from api_idempotency where client_id = $1 and key = $2 and created_at < now() - interval '24 hours'",
        client_id,
        key
    )
    .execute(&mut *tx)
    .await?;
    let inserted = sqlx::query!(
        "insert into api_idempotency (client_id, key, fingerprint) values ($1, $2, $3) on conflict do nothing",
        client_id,
        key,
        fingerprint
    )
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 1 {
        tx.commit().await?;
        return Ok(Claim::Fresh);
    }
    let row = sqlx::query!(
        "select fingerprint, status, content_type, body, location from api_idempotency where client_id = $1 and key = $2",
        client_id,
        key
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    if row.fingerprint != fingerprint {
        return Ok(Claim::Mismatch);
    }
    Ok(match (row.status, row.content_type, row.body) {
        (Some(status), Some(content_type), Some(body)) => Claim::Replay(StoredAnswer {
            status: u16::try_from(status).map_err(Error::internal)?,
            content_type,
            body,
            location: row.location,
        }),
        _ => Claim::InProgress,
    })
}

/// Stores the answer of a claimed key.
pub async fn complete(
    pool: &PgPool,
    client_id: Uuid,
    key: &str,
    answer: &StoredAnswer,
) -> Result<()> {
    sqlx::query!(
        "update api_idempotency set status = $3, content_type = $4, body = $5, location = $6 where client_id = $1 and key = $2",
        client_id,
        key,
        i16::try_from(answer.status).map_err(Error::internal)?,
        answer.content_type,
        answer.body,
        answer.location.as_deref()
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Gives a claimed key up (the request failed on our side): a retry runs it again.
pub async fn release(pool: &PgPool, client_id: Uuid, key: &str) -> Result<()> {
    sqlx::query!(
        "delete from api_idempotency where client_id = $1 and key = $2 and status is null",
        client_id,
        key
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Forgets answers older than 24 hours (the worker calls it now and then).
pub async fn purge_expired(pool: &PgPool) -> Result<u64> {
    Ok(
        sqlx::query!("delete from api_idempotency where created_at < now() - interval '24 hours'")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
