//! Creating, editing and deleting issuers. Every change is audited in its transaction; edits
//! are guarded by the version the editor read (optimistic concurrency).

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{DidMethod, Issuer, IssuerInput, get_conn};
use crate::audit::{self, Entity};
use crate::cache::{self, Cache, PageTag};
use crate::error::{Error, Result};
use crate::public_url::PublicUrls;
use crate::rbac::CanManageIssuers;
use crate::signing_key::{self, KeyEncryptionKey};

/// Creates an issuer with its first signing key and its DID (one transaction, audited).
///
/// A top-level organisation needs the global issuer-management permission; a department
/// needs it on its parent (an issuer owner may add departments under their issuer).
pub async fn create(
    pool: &PgPool,
    auth: &CanManageIssuers,
    kek: &KeyEncryptionKey,
    urls: &PublicUrls,
    input: &IssuerInput,
    did_method: DidMethod,
) -> Result<Issuer> {
    let input = input.normalised();
    input.validate()?;
    match input.parent_id {
        Some(parent) => auth.check_issuer(parent)?,
        None => auth.check_global()?,
    }
    let id = Uuid::now_v7();
    let did = match did_method {
        DidMethod::Key => None,
        DidMethod::Web => Some(urls.did_web(id).ok_or_else(|| {
            Error::invalid(
                "did_method",
                "did:web is not enabled on this deployment (it needs DID_WEB=true and a public https address)",
            )
        })?),
    };
    let mut tx = pool.begin().await?;
    insert_conn(&mut tx, id, &input, did_method, did.as_deref()).await?;
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
    did_method: DidMethod,
    did: Option<&str>,
) -> Result<()> {
    let identifiers = serde_json::to_value(&input.other_identifiers).map_err(Error::internal)?;
    sqlx::query!(
        r#"insert into issuers (id, name, url, email, description, phone, address, image, parent_id,
                                did_method, did, other_identifiers)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"#,
        id,
        input.name,
        input.url,
        input.email,
        input.description,
        input.phone,
        input.address,
        input.image,
        input.parent_id,
        did_method.as_str(),
        did,
        identifiers
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Updates an issuer if nobody else did since `expected_version` was read; otherwise
/// [`Error::Stale`], so the second of two editors is told instead of overwriting.
pub async fn update(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanManageIssuers,
    id: Uuid,
    expected_version: i32,
    input: &IssuerInput,
) -> Result<Issuer> {
    let input = input.normalised();
    input.validate()?;
    auth.check_issuer(id)?;
    let mut tx = pool.begin().await?;
    let before = get_conn(&mut tx, id).await?;
    if before.version != expected_version {
        return Err(Error::Stale);
    }
    if input.parent_id != before.parent_id {
        // Moving an issuer is a change at both ends of the move.
        match input.parent_id {
            Some(parent) => auth.check_issuer(parent)?,
            None => auth.check_global()?,
        }
    }
    let identifiers = serde_json::to_value(&input.other_identifiers).map_err(Error::internal)?;
    let updated = sqlx::query!(
        r#"update issuers set name = $3, url = $4, email = $5, description = $6, phone = $7,
                  address = $8, image = $9, parent_id = $10, other_identifiers = $11,
                  version = version + 1
            where id = $1 and version = $2"#,
        id,
        expected_version,
        input.name,
        input.url,
        input.email,
        input.description,
        input.phone,
        input.address,
        input.image,
        input.parent_id,
        identifiers
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
    invalidate(cache, id).await;
    Ok(after)
}

/// Drops the cached public views that show an issuer (profile; its rendered pages).
pub(crate) async fn invalidate(cache: &Cache, id: Uuid) {
    cache.invalidate(&[cache::issuer_key(id)]).await;
    cache.touch_pages(&[PageTag::Profiles, PageTag::Home]).await;
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
            "would make the issuer a department of itself",
        ));
    }
    Ok(())
}

/// Deletes an issuer that has no achievements and no awards (its keys cascade; departments
/// become top-level).
pub async fn delete(pool: &PgPool, cache: &Cache, auth: &CanManageIssuers, id: Uuid) -> Result<()> {
    auth.check_issuer(id)?;
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
    invalidate(cache, id).await;
    Ok(())
}
