//! What a wallet's token reaches: the earner's credentials (those awarded here, byte for byte
//! as signed, and those a wallet upserted) and the earner's profile.

use serde_json::value::RawValue;
use sqlx::PgPool;

use super::{Scope, WalletAccess};
use crate::audit::{self, Actor, Entity};
use crate::error::{Error, Result};

/// Largest credential a wallet may upsert.
pub const MAX_CREDENTIAL_BYTES: usize = 512 << 10;

/// A page of the earner's credentials, newest first.
#[derive(Debug)]
pub struct CredentialPage {
    /// Each credential exactly as stored.
    pub credentials: Vec<Box<RawValue>>,
    /// All of them.
    pub total: i64,
}

/// `getCredentials` (needs `credential.readonly`).
pub async fn credentials(
    pool: &PgPool,
    access: &WalletAccess,
    limit: i64,
    offset: i64,
) -> Result<CredentialPage> {
    access.require(Scope::CredentialReadonly)?;
    let rows = sqlx::query!(
        r#"with mine as (
               select c.id::text as key, coalesce(c.credential_source, c.credential::text) as doc, c.issued_at as at
                 from credentials c
                where c.recipient_user_id = $1
                   or lower(c.recipient_email) in (select lower(email) from user_emails where user_id = $1)
               union all
               select e.credential_id, e.source, e.created_at from earner_credentials e where e.user_id = $1
           )
           select doc as "doc!", count(*) over () as "total!" from mine
            order by at desc, key limit $2 offset $3"#,
        access.user_id,
        limit.clamp(1, 100),
        offset.max(0)
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let credentials = rows
        .into_iter()
        .map(|r| RawValue::from_string(r.doc).map_err(Error::internal))
        .collect::<Result<Vec<_>>>()?;
    Ok(CredentialPage { credentials, total })
}

/// `upsertCredential` (needs `credential.upsert`): stores a credential (a JSON object with an
/// `id` and a credential `type`) in the earner's account, replacing one with the same `id`.
/// Returns whether it was new, and what is stored.
pub async fn upsert(
    pool: &PgPool,
    access: &WalletAccess,
    body: &str,
) -> Result<(bool, Box<RawValue>)> {
    access.require(Scope::CredentialUpsert)?;
    if body.len() > MAX_CREDENTIAL_BYTES {
        return Err(Error::invalid(
            "credential",
            format!("is larger than {} KB", MAX_CREDENTIAL_BYTES >> 10),
        ));
    }
    let value: serde_json::Value = serde_json::from_str(body)
        .map_err(|e| Error::invalid("credential", format!("is not JSON ({e})")))?;
    let id = value
        .get("id")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty() && s.len() <= 2048)
        .ok_or_else(|| Error::invalid("id", "the credential needs an id"))?
        .to_owned();
    let is_credential = value
        .get("type")
        .and_then(|t| t.as_array())
        .is_some_and(|t| {
            t.iter().any(|v| {
                matches!(
                    v.as_str(),
                    Some("VerifiableCredential" | "OpenBadgeCredential" | "AchievementCredential")
                )
            })
        });
    if !is_credential {
        return Err(Error::invalid(
            "type",
            "must include VerifiableCredential or OpenBadgeCredential",
        ));
    }
    let mut tx = pool.begin().await?;
    let created = sqlx::query_scalar!(
        r#"insert into earner_credentials (user_id, credential_id, credential, source, client_id)
           values ($1, $2, $3, $4, $5)
           on conflict (user_id, credential_id) do update
              set credential = excluded.credential, source = excluded.source,
                  client_id = excluded.client_id, updated_at = now()
        returning (xmax = 0) as "created!""#,
        access.user_id,
        id,
        value,
        body,
        access.client_id
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &Actor {
            user_id: Some(access.user_id),
            label: format!("wallet:{}", access.client_id),
        },
        if created {
            "earner_credential.create"
        } else {
            "earner_credential.replace"
        },
        Entity::new("user", access.user_id),
        None,
        Some(serde_json::json!({ "credential_id": id })),
    )
    .await?;
    tx.commit().await?;
    Ok((
        created,
        RawValue::from_string(body.to_owned()).map_err(Error::internal)?,
    ))
}

/// `getProfile` (needs `profile.readonly`): the earner as an OB 3.0 `Profile`.
pub async fn profile(pool: &PgPool, access: &WalletAccess) -> Result<serde_json::Value> {
    access.require(Scope::ProfileReadonly)?;
    profile_of(pool, access).await
}

async fn profile_of(pool: &PgPool, access: &WalletAccess) -> Result<serde_json::Value> {
    let row = sqlx::query!(
        r#"select username, display_name, email from users where id = $1 and deleted_at is null"#,
        access.user_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound { entity: "profile" })?;
    let mut profile = serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": format!("urn:uuid:{}", access.user_id),
        "type": ["Profile"],
        "name": row.display_name.unwrap_or(row.username),
    });
    if let Some(email) = row.email {
        profile["email"] = serde_json::Value::String(email);
    }
    Ok(profile)
}

/// `putProfile` (needs `profile.update`): the earner's `name` (the only member a wallet may
/// change here; the e-mail comes from sign-in). Answers the profile as stored.
pub async fn put_profile(
    pool: &PgPool,
    access: &WalletAccess,
    body: &serde_json::Value,
) -> Result<serde_json::Value> {
    access.require(Scope::ProfileUpdate)?;
    let name = body
        .get("name")
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.chars().count() <= 200)
        .ok_or_else(|| Error::invalid("name", "give a name of 1 to 200 characters"))?;
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "update users set display_name = $2, version = version + 1 where id = $1 and deleted_at is null",
        access.user_id,
        name
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &Actor {
            user_id: Some(access.user_id),
            label: format!("wallet:{}", access.client_id),
        },
        "user.profile_update",
        Entity::new("user", access.user_id),
        None,
        Some(serde_json::json!({ "display_name": name })),
    )
    .await?;
    tx.commit().await?;
    profile_of(pool, access).await
}
