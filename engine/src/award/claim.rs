//! The earner's side: opening a claim link, accepting the badge (which binds the credential
//! to the earner and adds the award's address to their verified addresses — holding the link
//! proves they read that mailbox), the earner's badges across all their verified addresses,
//! and public/private on the public page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::{State, get_conn, state_of};
use crate::audit::{self, Actor, Entity};
use crate::cache::{self, Cache};
use crate::error::{Error, Result};
use crate::signed_link::{self, LinkError, Purpose};
use crate::signing_key::KeyEncryptionKey;
use crate::user::User;

/// What a claim link leads to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClaimLink {
    /// Ready to accept.
    Open(ClaimOffer),
    /// Used before (by this earner or someone else).
    AlreadyClaimed(ClaimOffer),
    /// The issuer revoked the credential.
    Revoked(ClaimOffer),
    /// Past its expiry (the earner can ask the issuer to send it again).
    Expired,
    /// Not a link we made (mistyped, cut off, tampered with, or from elsewhere).
    Invalid,
}

/// The badge on offer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ClaimOffer {
    /// Credential.
    pub credential_id: Uuid,
    /// Achievement.
    pub achievement_id: Uuid,
    /// Achievement name.
    pub achievement_name: String,
    /// Achievement image.
    pub image: Option<String>,
    /// Issuer name.
    pub issuer_name: String,
    /// Name as awarded.
    pub recipient_name: String,
    /// The address it was sent to, partly masked (`a…@example.org`).
    pub masked_email: String,
    /// Issued.
    pub issued_at: DateTime<Utc>,
}

fn mask(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{domain}")
        }
        None => "…".into(),
    }
}

struct TokenRow {
    credential_id: Uuid,
    achievement_id: Uuid,
    used_at: Option<DateTime<Utc>>,
    achievement_name: String,
    image: Option<String>,
    issuer_name: String,
    recipient_name: String,
    recipient_email: String,
    issued_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    claimed_at: Option<DateTime<Utc>>,
}

async fn token_row(pool: &PgPool, token_id: Uuid) -> Result<Option<TokenRow>> {
    Ok(sqlx::query_as!(
        TokenRow,
        r#"select t.credential_id, c.achievement_id, t.used_at, a.name as achievement_name, a.image,
                  i.name as issuer_name, c.recipient_name, c.recipient_email, c.issued_at,
                  c.revoked_at, c.claimed_at
             from claim_tokens t
             join credentials c on c.id = t.credential_id
             join achievements a on a.id = c.achievement_id
             join issuers i on i.id = c.issuer_id
            where t.id = $1"#,
        token_id
    )
    .fetch_optional(pool)
    .await?)
}

/// What the claim link `token` offers (never an error for a bad link: the page explains).
pub async fn open(pool: &PgPool, kek: &KeyEncryptionKey, token: &str) -> Result<ClaimLink> {
    let id = match signed_link::open(kek, Purpose::Claim, token, Utc::now()) {
        Ok(id) => id,
        Err(LinkError::Expired) => return Ok(ClaimLink::Expired),
        Err(LinkError::Invalid) => return Ok(ClaimLink::Invalid),
    };
    let Some(row) = token_row(pool, id).await? else {
        return Ok(ClaimLink::Invalid);
    };
    let offer = ClaimOffer {
        credential_id: row.credential_id,
        achievement_id: row.achievement_id,
        achievement_name: row.achievement_name,
        image: row.image,
        issuer_name: row.issuer_name,
        recipient_name: row.recipient_name,
        masked_email: mask(&row.recipient_email),
        issued_at: row.issued_at,
    };
    Ok(if row.revoked_at.is_some() {
        ClaimLink::Revoked(offer)
    } else if row.used_at.is_some() || row.claimed_at.is_some() {
        ClaimLink::AlreadyClaimed(offer)
    } else {
        ClaimLink::Open(offer)
    })
}

/// Accepts the badge of claim link `token` for the signed-in `user`: the link is used up,
/// the credential is bound to the user and marked claimed, and the award's address becomes
/// one of the user's verified addresses (unless it is another account's). Audited.
pub async fn accept(
    pool: &PgPool,
    cache: &Cache,
    kek: &KeyEncryptionKey,
    token: &str,
    user: &User,
) -> Result<Uuid> {
    let id = match signed_link::open(kek, Purpose::Claim, token, Utc::now()) {
        Ok(id) => id,
        Err(LinkError::Expired) => {
            return Err(Error::invalid(
                "token",
                "this claim link has expired; ask the issuer to send it again",
            ));
        }
        Err(LinkError::Invalid) => {
            return Err(Error::invalid("token", "this is not a valid claim link"));
        }
    };
    let mut tx = pool.begin().await?;
    let used = sqlx::query!(
        r#"update claim_tokens set used_at = now(), used_by = $2
            where id = $1 and used_at is null and expires_at > now()
        returning credential_id"#,
        id,
        user.id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(used) = used else {
        return Err(Error::invalid(
            "token",
            "this claim link was already used; the badge is in the account that accepted it",
        ));
    };
    let cred = get_conn(&mut tx, used.credential_id).await?;
    if cred.revoked_at.is_some() {
        return Err(Error::invalid("token", "the issuer revoked this badge"));
    }
    if cred.claimed_at.is_some() && cred.recipient_user_id.is_some_and(|u| u != user.id) {
        return Err(Error::invalid(
            "token",
            "this badge was already accepted by another account",
        ));
    }
    sqlx::query!(
        r#"update credentials set claimed_at = coalesce(claimed_at, now()), recipient_user_id = $2
            where id = $1"#,
        cred.id,
        user.id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"insert into user_emails (user_id, email) values ($1, lower($2))
           on conflict do nothing"#,
        user.id,
        cred.recipient_email
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &Actor::user(user),
        "credential.claim",
        Entity::new("credential", cred.id),
        None,
        Some(serde_json::json!({ "claim_token_id": id, "recipient_email": cred.recipient_email })),
    )
    .await?;
    tx.commit().await?;
    cache.invalidate(&[cache::credential_key(cred.id)]).await;
    cache.touch_pages(&super::pages_of(&cred)).await;
    Ok(cred.id)
}

/// One badge of the earner.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EarnerBadge {
    /// Credential.
    pub id: Uuid,
    /// Achievement.
    pub achievement_id: Uuid,
    /// Achievement name.
    pub achievement_name: String,
    /// Achievement image.
    pub image: Option<String>,
    /// Issuer.
    pub issuer_id: Uuid,
    /// Issuer name.
    pub issuer_name: String,
    /// Issued.
    pub issued_at: DateTime<Utc>,
    /// Expires.
    pub valid_until: Option<DateTime<Utc>>,
    /// Accepted.
    pub claimed_at: Option<DateTime<Utc>>,
    /// State.
    pub state: State,
    /// Shown on the public page.
    pub public: bool,
    /// Name hidden there.
    pub hide_name: bool,
    /// The address it was sent to.
    pub recipient_email: String,
}

/// The signed-in earner's badges (linked to the account or sent to any of its verified
/// addresses), newest first, optionally of one issuer and state.
pub async fn my_badges(
    pool: &PgPool,
    user: &User,
    issuer_id: Option<Uuid>,
    state: super::StateFilter,
) -> Result<Vec<EarnerBadge>> {
    let now = Utc::now();
    let rows = sqlx::query!(
        r#"select c.id, c.achievement_id, a.name as achievement_name, a.image, c.issuer_id, i.name as issuer_name,
                  c.issued_at, c.valid_until, c.claimed_at, c.revoked_at, c.suspended_at,
                  c.visibility, c.hide_name, c.recipient_email
             from credentials c
             join achievements a on a.id = c.achievement_id
             join issuers i on i.id = c.issuer_id
            where (c.recipient_user_id = $1
                   or lower(c.recipient_email) in (select lower(email) from user_emails where user_id = $1))
              and ($2::uuid is null or c.issuer_id = $2)
              -- A re-issued credential stands in for the one it superseded.
              and c.superseded_by is null
            order by c.issued_at desc, c.id desc
            limit 2000"#,
        user.id,
        issuer_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| EarnerBadge {
            state: state_of(
                now,
                r.issued_at,
                r.valid_until,
                r.claimed_at,
                r.revoked_at,
                r.suspended_at,
            ),
            id: r.id,
            achievement_id: r.achievement_id,
            achievement_name: r.achievement_name,
            image: r.image,
            issuer_id: r.issuer_id,
            issuer_name: r.issuer_name,
            issued_at: r.issued_at,
            valid_until: r.valid_until,
            claimed_at: r.claimed_at,
            public: r.visibility == "public",
            hide_name: r.hide_name,
            recipient_email: r.recipient_email,
        })
        .filter(|b| match state {
            super::StateFilter::All => true,
            super::StateFilter::Unclaimed => matches!(b.state, State::Unclaimed { .. }),
            super::StateFilter::Claimed => b.state == State::Claimed,
            super::StateFilter::Suspended => b.state == State::Suspended,
            super::StateFilter::Revoked => b.state == State::Revoked,
            super::StateFilter::Expired => b.state == State::Expired,
        })
        .collect())
}

/// Whether `user` is the earner of credential `id` (linked, or sent to a verified address).
pub(crate) async fn is_earner(pool: &PgPool, user_id: Uuid, id: Uuid) -> Result<bool> {
    Ok(sqlx::query_scalar!(
        r#"select exists (
               select 1 from credentials c
                where c.id = $2
                  and (c.recipient_user_id = $1
                       or lower(c.recipient_email) in (select lower(email) from user_emails where user_id = $1))
           ) as "e!""#,
        user_id,
        id
    )
    .fetch_one(pool)
    .await?)
}

/// The earner shows the credential on its public page or not, with or without their name.
/// Making a badge public accepts it too. Audited.
pub async fn set_visibility(
    pool: &PgPool,
    cache: &Cache,
    user: &User,
    id: Uuid,
    public: bool,
    hide_name: bool,
) -> Result<()> {
    if !is_earner(pool, user.id, id).await? {
        return Err(Error::NotFound {
            entity: "credential",
        });
    }
    let mut tx = pool.begin().await?;
    let before = get_conn(&mut tx, id).await?;
    sqlx::query!(
        r#"update credentials set visibility = $2, hide_name = $3,
                  recipient_user_id = coalesce(recipient_user_id, $4),
                  claimed_at = case when $2 = 'public' then coalesce(claimed_at, now()) else claimed_at end
            where id = $1"#,
        id,
        if public { "public" } else { "private" },
        hide_name,
        user.id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &Actor::user(user),
        "credential.visibility",
        Entity::new("credential", id),
        Some(serde_json::json!({ "visibility": before.visibility, "hide_name": before.hide_name })),
        Some(serde_json::json!({ "visibility": if public { "public" } else { "private" }, "hide_name": hide_name })),
    )
    .await?;
    tx.commit().await?;
    cache.invalidate(&[cache::credential_key(id)]).await;
    cache.touch_pages(&super::pages_of(&before)).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_addresses() {
        assert_eq!(super::mask("ada@example.org"), "a…@example.org");
    }
}
