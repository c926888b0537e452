//! Issuer profiles (OB 3.0 `Profile`), each with an Ed25519 signing key created with it.
//! Public profile reads are cached; every change invalidates the cache entry.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::audit::{self, Entity};
use crate::cache::{self, Cache};
use crate::error::{Error, Result};
use crate::rbac::CanManageIssuers;
use crate::signing_key::{self, KeyEncryptionKey};

/// An issuer row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Issuer {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Human-facing home page.
    pub url: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// OB 3.0 `Address` object.
    pub address: Option<serde_json::Value>,
    /// Image URL or data URI.
    pub image: Option<String>,
    /// Parent organisation.
    pub parent_id: Option<Uuid>,
    /// did:key of the active signing key (the credential's `issuer.id`).
    pub did: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// Editable issuer fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct IssuerInput {
    /// Name (required).
    pub name: String,
    /// Home page (http/https).
    pub url: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// OB 3.0 `Address` as a JSON object.
    pub address: Option<serde_json::Value>,
    /// Image URL or data URI.
    pub image: Option<String>,
    /// Parent organisation.
    pub parent_id: Option<Uuid>,
}

impl IssuerInput {
    fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("name", "must not be blank"));
        }
        if let Some(e) = &self.email
            && !crate::user::looks_like_email(e)
        {
            return Err(Error::invalid("email", "is not an e-mail address"));
        }
        if self.address.as_ref().is_some_and(|a| !a.is_object()) {
            return Err(Error::invalid("address", "must be an object"));
        }
        Ok(())
    }
}

/// One issuer (uncached; admin pages).
pub async fn get(pool: &PgPool, id: Uuid) -> Result<Issuer> {
    let mut conn = pool.acquire().await?;
    get_conn(&mut conn, id).await
}

pub(crate) async fn get_conn(conn: &mut PgConnection, id: Uuid) -> Result<Issuer> {
    sqlx::query_as!(
        Issuer,
        r#"select id, name, url, email, description, phone, address, image, parent_id, did,
                  created_at, updated_at, version
             from issuers where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound { entity: "issuer" })
}

/// One issuer through the cache (public profile pages).
pub async fn get_cached(pool: &PgPool, cache: &Cache, id: Uuid) -> Result<Issuer> {
    let key = cache::issuer_key(id);
    if let Some(hit) = cache.get_json::<Issuer>(&key).await {
        return Ok(hit);
    }
    let issuer = get(pool, id).await?;
    cache.put_json(&key, &issuer, cache::DEFAULT_TTL).await;
    Ok(issuer)
}

/// All issuers by name.
pub async fn list(pool: &PgPool) -> Result<Vec<Issuer>> {
    Ok(sqlx::query_as!(
        Issuer,
        r#"select id, name, url, email, description, phone, address, image, parent_id, did,
                  created_at, updated_at, version
             from issuers order by lower(name), id"#
    )
    .fetch_all(pool)
    .await?)
}

/// Creates an issuer together with its first signing key (one transaction, audited).
pub async fn create(
    pool: &PgPool,
    auth: &CanManageIssuers,
    kek: &KeyEncryptionKey,
    input: &IssuerInput,
) -> Result<Issuer> {
    input.validate()?;
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    insert_conn(&mut tx, id, input).await?;
    signing_key::generate_conn(&mut tx, kek, id).await?;
    let issuer = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "issuer.create",
        Entity::new("issuer", id),
        None,
        audit::snapshot(&issuer),
    )
    .await?;
    tx.commit().await?;
    Ok(issuer)
}

pub(crate) async fn insert_conn(
    conn: &mut PgConnection,
    id: Uuid,
    input: &IssuerInput,
) -> Result<()> {
    sqlx::query!(
        r#"insert into issuers (id, name, url, email, description, phone, address, image, parent_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        id,
        input.name.trim(),
        input.url,
        input.email,
        input.description,
        input.phone,
        input.address,
        input.image,
        input.parent_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Updates an issuer if nobody else did since `expected_version` was read.
pub async fn update(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanManageIssuers,
    id: Uuid,
    expected_version: i32,
    input: &IssuerInput,
) -> Result<Issuer> {
    input.validate()?;
    let mut tx = pool.begin().await?;
    let before = get_conn(&mut tx, id).await?;
    let updated = sqlx::query!(
        r#"update issuers set name = $3, url = $4, email = $5, description = $6, phone = $7,
                  address = $8, image = $9, parent_id = $10, version = version + 1
            where id = $1 and version = $2"#,
        id,
        expected_version,
        input.name.trim(),
        input.url,
        input.email,
        input.description,
        input.phone,
        input.address,
        input.image,
        input.parent_id
    )
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(Error::Stale);
    }
    if let Some(parent) = input.parent_id {
        ensure_no_cycle(&mut tx, id, parent).await?;
    }
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "issuer.update",
        Entity::new("issuer", id),
        audit::snapshot(&before),
        audit::snapshot(&after),
    )
    .await?;
    tx.commit().await?;
    cache.invalidate(&[cache::issuer_key(id)]).await;
    Ok(after)
}

/// Refuses a parent chain that leads back to the issuer itself.
async fn ensure_no_cycle(conn: &mut PgConnection, id: Uuid, parent: Uuid) -> Result<()> {
    let cycle = sqlx::query_scalar!(
        r#"with recursive chain(id, depth) as (
               select $2::uuid, 1
               union all
               select i.parent_id, c.depth + 1 from issuers i join chain c on i.id = c.id
                where i.parent_id is not null and c.depth < 100
           )
           select exists (select 1 from chain where id = $1) as "cycle!""#,
        id,
        parent
    )
    .fetch_one(conn)
    .await?;
    if cycle {
        return Err(Error::invalid(
            "parent_id",
            "would create a cycle of parent organisations",
        ));
    }
    Ok(())
}

/// Deletes an issuer without achievements or awards (its keys cascade; children lose their
/// parent link).
pub async fn delete(pool: &PgPool, cache: &Cache, auth: &CanManageIssuers, id: Uuid) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before = get_conn(&mut tx, id).await?;
    sqlx::query!("delete from issuers where id = $1", id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "issuer.delete",
        Entity::new("issuer", id),
        audit::snapshot(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    cache.invalidate(&[cache::issuer_key(id)]).await;
    Ok(())
}
