//! Registered wallets as admins see them: what each registered as, how many earners it
//! reaches, what it added; and blocking one, which ends every earner's connection to it at
//! once (its secret, codes and refresh tokens stop working, and so do access tokens already
//! handed out, because [`super::grant::verify`] checks the client on every call).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::audit::{self, Entity};
use crate::error::{Error, Result};
use crate::rbac::CanManageClientApps;

/// A registered wallet, with what it reaches.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WalletClientSummary {
    /// Row id.
    pub id: Uuid,
    /// `client_id`.
    pub client_id: String,
    /// `client_name`.
    pub client_name: String,
    /// `client_uri`, when it gave one (registration accepts only https, or http on loopback).
    pub client_uri: Option<String>,
    /// `redirect_uris`.
    pub redirect_uris: Vec<String>,
    /// The scopes it may ask for.
    pub scope: String,
    /// Registered.
    pub created_at: DateTime<Utc>,
    /// Blocked by an admin.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Earners with a live connection (a refresh token that has not expired).
    pub earners: i64,
    /// Credentials it put into earners' accounts.
    pub credentials_added: i64,
    /// Its last token.
    pub last_active_at: Option<DateTime<Utc>>,
}

/// Every registered wallet, newest first.
pub async fn list(pool: &PgPool, auth: &CanManageClientApps) -> Result<Vec<WalletClientSummary>> {
    auth.check_global()?;
    Ok(sqlx::query_as!(
        WalletClientSummary,
        r#"select c.id, c.client_id, c.client_name, nullif(c.metadata ->> 'client_uri', '') as client_uri,
                  c.redirect_uris, c.scope, c.created_at, c.revoked_at,
                  coalesce(t.earners, 0) as "earners!", coalesce(e.added, 0) as "credentials_added!",
                  t.last_active_at
             from ob_clients c
             left join (select client_id, count(distinct user_id) filter (where expires_at > now()) as earners,
                               max(created_at) as last_active_at
                          from ob_refresh_tokens group by client_id) t on t.client_id = c.id
             left join (select client_id, count(*) as added from earner_credentials group by client_id) e
                    on e.client_id = c.id
            order by c.created_at desc, c.id desc"#
    )
    .fetch_all(pool)
    .await?)
}

/// Blocks a wallet: no new sign-ins or tokens, and every token it holds stops working now.
pub async fn revoke(pool: &PgPool, auth: &CanManageClientApps, id: Uuid) -> Result<()> {
    auth.check_global()?;
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"update ob_clients set revoked_at = coalesce(revoked_at, now()) where id = $1
        returning client_id, client_name"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound {
        entity: "wallet client",
    })?;
    let tokens = sqlx::query!("delete from ob_refresh_tokens where client_id = $1", id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query!(
        "delete from ob_authorization_codes where client_id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "wallet_client.revoke",
        Entity::new("wallet_client", id),
        None,
        Some(serde_json::json!({
            "client_id": row.client_id,
            "client_name": row.client_name,
            "refresh_tokens_ended": tokens,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
