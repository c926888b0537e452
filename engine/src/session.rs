//! Login session metadata (who, from where, until when, revoked?). The session payload lives
//! in Redis; this table lets users and admins see and revoke sessions and survives Redis loss.
//! Only the SHA-256 of the Redis session key is stored.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::audit::{self, Entity};
use crate::error::{Error, Result};
use crate::rbac::CanManageUsers;
use crate::secret;

/// One session's metadata.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SessionMeta {
    /// Row id.
    pub id: Uuid,
    /// Signed-in user.
    pub user_id: Uuid,
    /// Client address at login.
    pub ip: Option<IpAddr>,
    /// `User-Agent` at login.
    pub user_agent: Option<String>,
    /// Login time.
    pub created_at: DateTime<Utc>,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// Logout / revocation time.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Data recorded at login.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// Signed-in user.
    pub user_id: Uuid,
    /// The Redis session key (e.g. the tower-sessions id); only its hash is stored.
    pub session_key: &'a str,
    /// Client address.
    pub ip: Option<IpAddr>,
    /// `User-Agent`.
    pub user_agent: Option<&'a str>,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
}

/// Records a new session.
pub async fn create(pool: &PgPool, new: &NewSession<'_>) -> Result<SessionMeta> {
    if new.session_key.is_empty() {
        return Err(Error::invalid("session_key", "must not be empty"));
    }
    // Keep absurd User-Agent headers from bloating the table.
    let user_agent = new
        .user_agent
        .map(|s| s.chars().take(512).collect::<String>());
    let row = sqlx::query_as!(
        SessionMeta,
        r#"insert into sessions (id, user_id, key_hash, ip, user_agent, expires_at)
           values ($1, $2, $3, $4, $5, $6)
           returning id, user_id, ip as "ip: IpAddr", user_agent, created_at, expires_at, revoked_at"#,
        Uuid::now_v7(),
        new.user_id,
        secret::hash(new.session_key),
        new.ip as Option<IpAddr>,
        user_agent,
        new.expires_at
    )
    .fetch_one(pool)
    .await?;
    Ok(row)
}

/// The session for a Redis key if it is still active (not revoked, not expired).
pub async fn find_active(pool: &PgPool, session_key: &str) -> Result<Option<SessionMeta>> {
    Ok(sqlx::query_as!(
        SessionMeta,
        r#"select id, user_id, ip as "ip: IpAddr", user_agent, created_at, expires_at, revoked_at
             from sessions
            where key_hash = $1 and revoked_at is null and expires_at > now()"#,
        secret::hash(session_key)
    )
    .fetch_optional(pool)
    .await?)
}

/// Marks the session with this Redis key revoked (logout). Returns whether one was active.
pub async fn revoke_by_key(pool: &PgPool, session_key: &str) -> Result<bool> {
    let done = sqlx::query!(
        "update sessions set revoked_at = now() where key_hash = $1 and revoked_at is null",
        secret::hash(session_key)
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Revokes one of `user_id`'s sessions by id (a user ending a session from their list).
pub async fn revoke(pool: &PgPool, user_id: Uuid, session_id: Uuid) -> Result<()> {
    let mut conn = pool.acquire().await?;
    revoke_conn(&mut conn, user_id, session_id).await
}

async fn revoke_conn(conn: &mut PgConnection, user_id: Uuid, session_id: Uuid) -> Result<()> {
    let done = sqlx::query!(
        "update sessions set revoked_at = coalesce(revoked_at, now()) where id = $1 and user_id = $2",
        session_id,
        user_id
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound { entity: "session" });
    }
    Ok(())
}

/// Revokes all of a user's active sessions (sign out everywhere); returns how many.
pub async fn revoke_all(pool: &PgPool, user_id: Uuid) -> Result<u64> {
    let mut conn = pool.acquire().await?;
    revoke_all_conn(&mut conn, user_id).await
}

/// [`revoke_all`] inside a caller's transaction (deactivation, deletion).
pub(crate) async fn revoke_all_conn(conn: &mut PgConnection, user_id: Uuid) -> Result<u64> {
    Ok(sqlx::query!(
        "update sessions set revoked_at = now() where user_id = $1 and revoked_at is null",
        user_id
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// An admin ends one of a user's sessions; audited in the same transaction.
pub async fn revoke_by_admin(
    pool: &PgPool,
    auth: &CanManageUsers,
    user_id: Uuid,
    session_id: Uuid,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    revoke_conn(&mut tx, user_id, session_id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "session.revoke",
        Entity::new("session", session_id),
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An admin ends every session of a user; audited in the same transaction. Returns how many.
pub async fn revoke_all_by_admin(
    pool: &PgPool,
    auth: &CanManageUsers,
    user_id: Uuid,
) -> Result<u64> {
    let mut tx = pool.begin().await?;
    let n = revoke_all_conn(&mut tx, user_id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "user.revoke_sessions",
        Entity::new("user", user_id),
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// A user's sessions, newest first; with `only_active`, hides revoked and expired ones.
pub async fn list_for_user(
    pool: &PgPool,
    _auth: &CanManageUsers,
    user_id: Uuid,
    only_active: bool,
) -> Result<Vec<SessionMeta>> {
    Ok(sqlx::query_as!(
        SessionMeta,
        r#"select id, user_id, ip as "ip: IpAddr", user_agent, created_at, expires_at, revoked_at
             from sessions
            where user_id = $1 and (not $2 or (revoked_at is null and expires_at > now()))
            order by created_at desc
            limit 200"#,
        user_id,
        only_active
    )
    .fetch_all(pool)
    .await?)
}

/// Deletes sessions that ended before `before` (housekeeping); returns how many.
pub async fn purge_ended(pool: &PgPool, before: DateTime<Utc>) -> Result<u64> {
    Ok(sqlx::query!(
        "delete from sessions where expires_at < $1 or revoked_at < $1",
        before
    )
    .execute(pool)
    .await?
    .rows_affected())
}
