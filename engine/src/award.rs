//! Awarded credentials: awarding (sign + store + allocate a status entry, in one transaction),
//! revocation, claiming, award-history search and the cached public view.
//!
//! Signing is delegated to a [`CredentialSigner`] so the engine stays independent of how the
//! `openbadges` crate builds and proves an `OpenBadgeCredential`; the server wires the real
//! signer in, tests use a fake.

use chrono::{DateTime, Duration, Utc};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::achievement::{self, Achievement};
use crate::audit::{self, Actor, Entity};
use crate::cache::{self, Cache};
use crate::error::{Error, Result};
use crate::issuer::{self, Issuer};
use crate::page::{PageRequest, contains_pattern};
use crate::rbac::{CanAward, CanRevoke};
use crate::signing_key::{self, ActiveKey, KeyEncryptionKey};
use crate::status_list::{self, Purpose, StatusEntry};
use crate::user::{User, looks_like_email};

/// Everything needed to build and sign one OpenBadgeCredential.
#[derive(Debug)]
pub struct AwardDraft<'a> {
    /// The credential's id (`urn:uuid:<id>`), also its row id.
    pub credential_id: Uuid,
    /// Issuer profile; its `did` is the credential's `issuer.id`.
    pub issuer: &'a Issuer,
    /// The achievement awarded.
    pub achievement: &'a Achievement,
    /// Recipient's name.
    pub recipient_name: &'a str,
    /// Recipient's e-mail (not put into the credential in clear; see `identity_hash`).
    pub recipient_email: &'a str,
    /// OB 3.0 `IdentityObject.identityHash`: `sha256$<hex(sha256(email + salt))>`.
    pub identity_hash: &'a str,
    /// `IdentityObject.salt`.
    pub identity_salt: &'a str,
    /// `validFrom`.
    pub issued_at: DateTime<Utc>,
    /// `validUntil`.
    pub valid_until: Option<DateTime<Utc>>,
    /// `credentialStatus` entry (revocation list and index).
    pub status: StatusEntry,
    /// Decrypted active key of the issuer.
    pub key: &'a ActiveKey,
}

/// Builds and signs a credential from a draft; returns the signed JSON document.
pub trait CredentialSigner: Send + Sync {
    /// Signs; an error aborts the award without writing anything.
    fn sign(
        &self,
        draft: &AwardDraft<'_>,
    ) -> std::result::Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>>;
}

/// An award request.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct NewAward {
    /// Achievement to award.
    pub achievement_id: Uuid,
    /// Recipient's name.
    pub recipient_name: String,
    /// Recipient's e-mail.
    pub recipient_email: String,
    /// Recipient's account, if known; otherwise linked by e-mail when a live user has it.
    pub recipient_user_id: Option<Uuid>,
    /// Issuance time; now if absent.
    pub issued_at: Option<DateTime<Utc>>,
}

/// A stored credential.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Credential {
    /// Id.
    pub id: Uuid,
    /// Achievement.
    pub achievement_id: Uuid,
    /// Issuer.
    pub issuer_id: Uuid,
    /// Recipient's account.
    pub recipient_user_id: Option<Uuid>,
    /// Recipient's name.
    pub recipient_name: String,
    /// Recipient's e-mail.
    pub recipient_email: String,
    /// `sha256$…` identity hash.
    pub identity_hash: String,
    /// Its salt.
    pub identity_salt: String,
    /// The signed credential.
    pub credential: serde_json::Value,
    /// Issued.
    pub issued_at: DateTime<Utc>,
    /// Expires.
    pub valid_until: Option<DateTime<Utc>>,
    /// Claimed by the earner.
    pub claimed_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why.
    pub revocation_reason: Option<String>,
    /// Status list.
    pub status_list_id: Option<Uuid>,
    /// Index in it.
    pub status_list_index: Option<i32>,
    /// Who awarded it.
    pub awarded_by: Option<Uuid>,
    /// Row created.
    pub created_at: DateTime<Utc>,
    /// Row changed.
    pub updated_at: DateTime<Utc>,
}

/// A row of the award history.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CredentialSummary {
    /// Id.
    pub id: Uuid,
    /// Achievement.
    pub achievement_id: Uuid,
    /// Achievement name.
    pub achievement_name: String,
    /// Issuer.
    pub issuer_id: Uuid,
    /// Recipient's name.
    pub recipient_name: String,
    /// Recipient's e-mail.
    pub recipient_email: String,
    /// Issued.
    pub issued_at: DateTime<Utc>,
    /// Claimed.
    pub claimed_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What the public credential page shows (cached).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PublicCredential {
    /// Id.
    pub id: Uuid,
    /// The signed credential.
    pub credential: serde_json::Value,
    /// Recipient's name.
    pub recipient_name: String,
    /// Achievement.
    pub achievement_id: Uuid,
    /// Achievement name.
    pub achievement_name: String,
    /// Issuer.
    pub issuer_id: Uuid,
    /// Issuer name.
    pub issuer_name: String,
    /// Issued.
    pub issued_at: DateTime<Utc>,
    /// Expires.
    pub valid_until: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Shortest search term [`search_history`] accepts.
pub const MIN_SEARCH_CHARS: usize = 3;

/// Award-history filters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct HistoryQuery {
    /// Case-insensitive substring of recipient name or e-mail.
    pub text: Option<String>,
    /// Only this issuer.
    pub issuer_id: Option<Uuid>,
    /// Only this achievement.
    pub achievement_id: Option<Uuid>,
    /// Page.
    pub page: PageRequest,
}

/// A page of history, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HistoryPage {
    /// Rows.
    pub items: Vec<CredentialSummary>,
    /// Whether another page follows (no total: counting a million rows per page is waste).
    pub has_more: bool,
}

/// OB 3.0 hashed identity of an e-mail (`sha256$…`, e-mail trimmed and lower-cased so
/// verifiers can reproduce it from what the earner types), as the credential carries it.
pub fn identity_hash(email: &str, salt: &str) -> String {
    openbadges::credential::IdentityObject::hashed_email(email, salt).identity_hash
}

/// Awards one credential (see [`award_many`]).
pub async fn award(
    pool: &PgPool,
    auth: &CanAward,
    kek: &KeyEncryptionKey,
    signer: &dyn CredentialSigner,
    new: &NewAward,
) -> Result<Credential> {
    let mut out = award_many(pool, auth, kek, signer, std::slice::from_ref(new)).await?;
    out.pop()
        .ok_or_else(|| Error::internal("award produced no credential"))
}

/// Awards several credentials in one transaction: all are stored, signed, given a status
/// entry and audited, or none is.
pub async fn award_many(
    pool: &PgPool,
    auth: &CanAward,
    kek: &KeyEncryptionKey,
    signer: &dyn CredentialSigner,
    awards: &[NewAward],
) -> Result<Vec<Credential>> {
    for a in awards {
        if a.recipient_name.trim().is_empty() {
            return Err(Error::invalid("recipient_name", "must not be blank"));
        }
        if !looks_like_email(a.recipient_email.trim()) {
            return Err(Error::invalid(
                "recipient_email",
                "is not an e-mail address",
            ));
        }
    }
    let mut tx = pool.begin().await?;
    let mut out = Vec::with_capacity(awards.len());
    let mut cached: Option<(Achievement, Issuer, ActiveKey)> = None;
    for a in awards {
        // Bulk awards are usually one achievement: load it, its issuer and key once.
        if cached
            .as_ref()
            .is_none_or(|(ach, _, _)| ach.id != a.achievement_id)
        {
            let ach = achievement::get_conn(&mut tx, a.achievement_id).await?;
            let iss = issuer::get_conn(&mut tx, ach.issuer_id).await?;
            let key = signing_key::load_active(&mut tx, kek, iss.id).await?;
            cached = Some((ach, iss, key));
        }
        let Some((ach, iss, key)) = cached.as_ref() else {
            return Err(Error::internal("award context missing"));
        };
        out.push(award_one(&mut tx, auth.actor(), signer, ach, iss, key, a).await?);
    }
    tx.commit().await?;
    Ok(out)
}

async fn award_one(
    conn: &mut PgConnection,
    actor: &Actor,
    signer: &dyn CredentialSigner,
    ach: &Achievement,
    iss: &Issuer,
    key: &ActiveKey,
    a: &NewAward,
) -> Result<Credential> {
    let id = Uuid::now_v7();
    let issued_at = a.issued_at.unwrap_or_else(Utc::now);
    let valid_until = ach.fields.valid_until.or_else(|| {
        ach.fields
            .valid_for_days
            .map(|d| issued_at + Duration::days(i64::from(d)))
    });
    let mut salt_bytes = [0u8; 16];
    OsRng.fill_bytes(&mut salt_bytes);
    let salt = crate::secret::hex(&salt_bytes);
    let email = a.recipient_email.trim();
    let hash = identity_hash(email, &salt);
    let status = status_list::allocate(conn, iss.id, Purpose::Revocation).await?;
    let draft = AwardDraft {
        credential_id: id,
        issuer: iss,
        achievement: ach,
        recipient_name: a.recipient_name.trim(),
        recipient_email: email,
        identity_hash: &hash,
        identity_salt: &salt,
        issued_at,
        valid_until,
        status,
        key,
    };
    let signed = signer.sign(&draft).map_err(|e| {
        tracing::error!(error = %e, credential = %id, "signing failed");
        Error::Internal(e)
    })?;
    let cred = sqlx::query_as!(
        Credential,
        r#"insert into credentials (id, achievement_id, issuer_id, recipient_user_id, recipient_name,
               recipient_email, identity_hash, identity_salt, credential, issued_at, valid_until,
               status_list_id, status_list_index, awarded_by)
           values ($1, $2, $3,
                   coalesce($4, (select id from users where deleted_at is null and lower(email) = lower($6))),
                   $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           returning id, achievement_id, issuer_id, recipient_user_id, recipient_name, recipient_email,
                     identity_hash, identity_salt, credential, issued_at, valid_until, claimed_at,
                     revoked_at, revocation_reason, status_list_id, status_list_index, awarded_by,
                     created_at, updated_at"#,
        id,
        ach.id,
        iss.id,
        a.recipient_user_id,
        a.recipient_name.trim(),
        email,
        hash,
        salt,
        signed,
        issued_at,
        valid_until,
        status.list_id,
        status.index,
        actor.user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "credential.award",
        Entity::new("credential", id),
        None,
        Some(serde_json::json!({
            "achievement_id": ach.id,
            "recipient_name": cred.recipient_name,
            "recipient_email": cred.recipient_email,
            "status_list_id": status.list_id,
            "status_list_index": status.index,
        })),
    )
    .await?;
    Ok(cred)
}

/// One credential.
pub async fn get(pool: &PgPool, id: Uuid) -> Result<Credential> {
    let mut conn = pool.acquire().await?;
    get_conn(&mut conn, id).await
}

async fn get_conn(conn: &mut PgConnection, id: Uuid) -> Result<Credential> {
    sqlx::query_as!(
        Credential,
        r#"select id, achievement_id, issuer_id, recipient_user_id, recipient_name, recipient_email,
                  identity_hash, identity_salt, credential, issued_at, valid_until, claimed_at,
                  revoked_at, revocation_reason, status_list_id, status_list_index, awarded_by,
                  created_at, updated_at
             from credentials where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound {
        entity: "credential",
    })
}

/// The exact bytes to serve for a credential: the text it was imported with (a credential
/// signed by the old system, kept byte for byte), otherwise its stored JSON.
pub async fn served_bytes(pool: &PgPool, id: Uuid) -> Result<Vec<u8>> {
    let row = sqlx::query!(
        "select credential, credential_source from credentials where id = $1",
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound {
        entity: "credential",
    })?;
    match row.credential_source {
        Some(source) => Ok(source.into_bytes()),
        None => serde_json::to_vec(&row.credential).map_err(Error::internal),
    }
}

/// The public view of a credential, through the cache.
pub async fn public_view(pool: &PgPool, cache: &Cache, id: Uuid) -> Result<PublicCredential> {
    let key = cache::credential_key(id);
    if let Some(hit) = cache.get_json::<PublicCredential>(&key).await {
        return Ok(hit);
    }
    let view = sqlx::query_as!(
        PublicCredential,
        r#"select c.id, c.credential, c.recipient_name, c.achievement_id, a.name as achievement_name,
                  c.issuer_id, i.name as issuer_name, c.issued_at, c.valid_until, c.revoked_at
             from credentials c
             join achievements a on a.id = c.achievement_id
             join issuers i on i.id = c.issuer_id
            where c.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound { entity: "credential" })?;
    cache.put_json(&key, &view, cache::DEFAULT_TTL).await;
    Ok(view)
}

/// Revokes a credential: records time and reason, sets its status-list bit, audits, and
/// invalidates the cached credential and list. Revoking twice gives `Conflict { "revoked_at" }`.
pub async fn revoke(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanRevoke,
    id: Uuid,
    reason: &str,
) -> Result<Credential> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("revocation_reason", "must not be blank"));
    }
    let mut tx = pool.begin().await?;
    let before = sqlx::query!(
        "select revoked_at, status_list_id, status_list_index from credentials where id = $1 for update",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound { entity: "credential" })?;
    if before.revoked_at.is_some() {
        return Err(Error::conflict("revoked_at"));
    }
    sqlx::query!(
        "update credentials set revoked_at = now(), revocation_reason = $2 where id = $1",
        id,
        reason
    )
    .execute(&mut *tx)
    .await?;
    if let (Some(list), Some(index)) = (before.status_list_id, before.status_list_index) {
        status_list::set_bit(&mut tx, list, index, true).await?;
    }
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "credential.revoke",
        Entity::new("credential", id),
        Some(serde_json::json!({ "revoked_at": null })),
        Some(serde_json::json!({ "revoked_at": after.revoked_at, "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    let mut keys = vec![cache::credential_key(id)];
    if let Some(list) = before.status_list_id {
        keys.push(cache::status_list_key(list));
        keys.push(cache::status_list_credential_key(list));
    }
    cache.invalidate(&keys).await;
    Ok(after)
}

/// The earner claims a credential addressed to their e-mail (or already linked to them);
/// links it to their account and records the time. Claiming again is a no-op.
pub async fn claim(pool: &PgPool, cache: &Cache, id: Uuid, user: &User) -> Result<Credential> {
    let mut tx = pool.begin().await?;
    let cred = get_conn(&mut tx, id).await?;
    let mine = cred.recipient_user_id == Some(user.id)
        || user
            .email
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(&cred.recipient_email));
    if !mine {
        return Err(Error::NotFound {
            entity: "credential",
        });
    }
    if cred.claimed_at.is_some() {
        return Ok(cred);
    }
    sqlx::query!(
        "update credentials set claimed_at = now(), recipient_user_id = $2 where id = $1",
        id,
        user.id
    )
    .execute(&mut *tx)
    .await?;
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        &Actor {
            user_id: Some(user.id),
            label: user.username.clone(),
        },
        "credential.claim",
        Entity::new("credential", id),
        None,
        Some(serde_json::json!({ "claimed_at": after.claimed_at })),
    )
    .await?;
    tx.commit().await?;
    cache.invalidate(&[cache::credential_key(id)]).await;
    Ok(after)
}

/// Records that the award notification was sent again (the server sends the e-mail).
pub async fn record_resend(pool: &PgPool, auth: &CanAward, id: Uuid) -> Result<Credential> {
    let mut tx = pool.begin().await?;
    let cred = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "credential.resend",
        Entity::new("credential", id),
        None,
        Some(serde_json::json!({ "recipient_email": cred.recipient_email })),
    )
    .await?;
    tx.commit().await?;
    Ok(cred)
}

/// Award history, newest first: optional case-insensitive substring (at least
/// [`MIN_SEARCH_CHARS`] characters) over recipient name and e-mail (trigram index), optional
/// issuer / achievement filter.
pub async fn search_history(pool: &PgPool, q: &HistoryQuery) -> Result<HistoryPage> {
    let (offset, limit) = q.page.bounds();
    let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    // Trigrams need three characters; a shorter term would scan every award.
    if text.is_some_and(|t| t.chars().count() < MIN_SEARCH_CHARS) {
        return Err(Error::invalid(
            "text",
            format!("enter at least {MIN_SEARCH_CHARS} characters"),
        ));
    }
    let text = text.map(contains_pattern);
    // Two statements rather than one with `$1 is null or …`, so each gets its own good plan.
    let mut items = match text {
        // The best plan depends on how common the term is (walk the issued_at index for common
        // terms, trigram bitmap for rare ones); the pool's `force_custom_plan`
        // ([`crate::connection_options`]) lets PostgreSQL see the term each time.
        Some(pattern) => sqlx::query_as!(
            CredentialSummary,
            r#"select c.id, c.achievement_id, a.name as achievement_name, c.issuer_id, c.recipient_name,
                      c.recipient_email, c.issued_at, c.claimed_at, c.revoked_at
                 from credentials c join achievements a on a.id = c.achievement_id
                where c.recipient_search like $1
                  and ($2::uuid is null or c.issuer_id = $2)
                  and ($3::uuid is null or c.achievement_id = $3)
                order by c.issued_at desc, c.id desc
                limit $4 offset $5"#,
            pattern,
            q.issuer_id,
            q.achievement_id,
            limit + 1,
            offset
        )
        .fetch_all(pool)
        .await?,
        None => sqlx::query_as!(
            CredentialSummary,
            r#"select c.id, c.achievement_id, a.name as achievement_name, c.issuer_id, c.recipient_name,
                      c.recipient_email, c.issued_at, c.claimed_at, c.revoked_at
                 from credentials c join achievements a on a.id = c.achievement_id
                where ($1::uuid is null or c.issuer_id = $1)
                  and ($2::uuid is null or c.achievement_id = $2)
                order by c.issued_at desc, c.id desc
                limit $3 offset $4"#,
            q.issuer_id,
            q.achievement_id,
            limit + 1,
            offset
        )
        .fetch_all(pool)
        .await?,
    };
    let has_more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    Ok(HistoryPage { items, has_more })
}

/// An earner's credentials: linked to the account or addressed to its e-mail, newest first.
pub async fn list_for_user(pool: &PgPool, user: &User) -> Result<Vec<CredentialSummary>> {
    Ok(sqlx::query_as!(
        CredentialSummary,
        r#"select c.id, c.achievement_id, a.name as achievement_name, c.issuer_id, c.recipient_name,
                  c.recipient_email, c.issued_at, c.claimed_at, c.revoked_at
             from credentials c join achievements a on a.id = c.achievement_id
            where c.recipient_user_id = $1
               or ($2::text is not null and lower(c.recipient_email) = lower($2))
            order by c.issued_at desc, c.id desc
            limit 1000"#,
        user.id,
        user.email
    )
    .fetch_all(pool)
    .await?)
}

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

#[cfg(test)]
mod tests {
    #[test]
    fn identity_hash_is_normalised() {
        let a = super::identity_hash(" Ann@Example.org ", "salt");
        assert_eq!(a, super::identity_hash("ann@example.org", "salt"));
        assert!(a.starts_with("sha256$") && a.len() == 7 + 64);
    }
}
