//! An earner's connections: the wallets they let in (a live refresh token is the connection),
//! and taking that back. A disconnect deletes the pair's refresh tokens and codes; access
//! tokens already handed out stop working too, because [`super::grant::verify`] asks for a
//! live refresh token of the pair on every call.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::scope_words;
use crate::audit::{self, Actor, Entity};
use crate::error::{Error, Result};
use crate::user::User;

/// A wallet the earner let in.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Connection {
    /// The wallet's row id.
    pub client: Uuid,
    /// Its name.
    pub client_name: String,
    /// Its web site, when it gave one.
    pub client_uri: Option<String>,
    /// What the earner allowed, in the consent page's words.
    pub allowed: Vec<String>,
    /// First consent still in force.
    pub connected_at: DateTime<Utc>,
    /// Its last token.
    pub last_active_at: DateTime<Utc>,
}

/// The earner's live connections, most recently active first.
pub async fn list(pool: &PgPool, user: &User) -> Result<Vec<Connection>> {
    let rows = sqlx::query!(
        r#"select c.id, c.client_name, nullif(c.metadata ->> 'client_uri', '') as client_uri,
                  (array_agg(t.scope order by t.created_at desc))[1] as "scope!",
                  min(t.created_at) as "connected_at!", max(t.created_at) as "last_active_at!"
             from ob_refresh_tokens t
             join ob_clients c on c.id = t.client_id and c.revoked_at is null
            where t.user_id = $1 and t.expires_at > now()
            group by c.id
            order by max(t.created_at) desc"#,
        user.id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Connection {
            client: r.id,
            client_name: r.client_name,
            client_uri: r.client_uri,
            allowed: scope_words(&r.scope),
            connected_at: r.connected_at,
            last_active_at: r.last_active_at,
        })
        .collect())
}

/// Ends the earner's connection to a wallet; `NotFound` when there is none.
pub async fn disconnect(pool: &PgPool, user: &User, client: Uuid) -> Result<()> {
    let mut tx = pool.begin().await?;
    let live = sqlx::query_scalar!(
        r#"with gone as (delete from ob_refresh_tokens where client_id = $1 and user_id = $2
                         returning expires_at)
           select count(*) filter (where expires_at > now()) as "live!" from gone"#,
        client,
        user.id
    )
    .fetch_one(&mut *tx)
    .await?;
    if live == 0 {
        return Err(Error::NotFound {
            entity: "connection",
        });
    }
    sqlx::query!(
        "delete from ob_authorization_codes where client_id = $1 and user_id = $2",
        client,
        user.id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &Actor::user(user),
        "wallet.disconnect",
        Entity::new("wallet_client", client),
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
