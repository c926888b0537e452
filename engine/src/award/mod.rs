//! Awarded credentials. Split by action: [`issue`] (sign + store + status entries + audit +
//! notification, set-based, one transaction per batch), [`bulk`] (CSV upload, validation,
//! the bulk-award job), [`revoke`] (revoke, suspend, un-suspend), [`history`] (award history
//! search and export), [`claim`] (claim links, acceptance, the earner's badges), [`public`]
//! (the public credential view), [`import`] (credentials from the old system, byte for byte),
//! [`reissue`] (those credentials signed again under the issuer's DID, as a job).
//! `mod.rs` holds the shared types.

pub mod bulk;
pub mod claim;
pub mod history;
pub mod import;
pub mod issue;
pub mod public;
pub mod reissue;
pub mod revoke;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::cache::{Cache, PageTag};
use crate::error::{Error, Result};
use crate::public_url::PublicUrls;
use crate::rbac::CanViewAdmin;
use crate::signer::{AwardDetails, OpenBadgesSigner};
use crate::signing_key::KeyEncryptionKey;

pub use history::{HistoryPage, HistoryQuery, StateFilter, search_history};
pub use issue::{NewAward, Outcome, issue, issue_batch};
pub use public::served_bytes;
pub use revoke::{revoke, suspend, unsuspend};

/// What awarding needs besides the database: the key-encryption key to open issuers'
/// signing keys, the signer, and the cache to invalidate.
#[derive(Debug, Clone, Copy)]
pub struct Issuance<'a> {
    /// Opens issuers' signing keys.
    pub kek: &'a KeyEncryptionKey,
    /// Builds and signs credentials.
    pub signer: &'a OpenBadgesSigner,
    /// Cached public reads to invalidate.
    pub cache: &'a Cache,
}

impl Issuance<'_> {
    /// The public URL map.
    pub fn urls(&self) -> &PublicUrls {
        self.signer.urls()
    }
}

/// OB 3.0 hashed identity of an e-mail (`sha256$…`, e-mail trimmed and lower-cased so
/// verifiers can reproduce it from what the earner types), as the credential carries it.
pub fn identity_hash(email: &str, salt: &str) -> String {
    openbadges::credential::IdentityObject::hashed_email(email, salt).identity_hash
}

/// Lower-cased, trimmed e-mail: how addresses are compared and counted.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
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
    /// Accepted by the earner.
    pub claimed_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why.
    pub revocation_reason: Option<String>,
    /// Suspended (reversible).
    pub suspended_at: Option<DateTime<Utc>>,
    /// Revocation status list.
    pub status_list_id: Option<Uuid>,
    /// Index in it.
    pub status_list_index: Option<i32>,
    /// Suspension status list.
    pub suspension_list_id: Option<Uuid>,
    /// Index in it.
    pub suspension_list_index: Option<i32>,
    /// Results, evidence, activity dates as awarded.
    pub details: serde_json::Value,
    /// `private` or `public`.
    pub visibility: String,
    /// The earner hid their name on the public page.
    pub hide_name: bool,
    /// The bulk award it came from.
    pub bulk_award_id: Option<Uuid>,
    /// Who awarded it.
    pub awarded_by: Option<Uuid>,
    /// Row created.
    pub created_at: DateTime<Utc>,
}

impl Credential {
    /// Where the credential stands now.
    pub fn state(&self, now: DateTime<Utc>) -> State {
        state_of(
            now,
            self.issued_at,
            self.valid_until,
            self.claimed_at,
            self.revoked_at,
            self.suspended_at,
        )
    }

    /// The award details as typed values.
    pub fn award_details(&self) -> AwardDetails {
        serde_json::from_value(self.details.clone()).unwrap_or_default()
    }
}

/// The status column of the award history.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Revoked (permanent).
    Revoked,
    /// Suspended (reversible).
    Suspended,
    /// Past its `validUntil`.
    Expired,
    /// Accepted by the earner.
    Claimed,
    /// Not accepted yet, for this many whole days.
    Unclaimed {
        /// Days since issue.
        days: i64,
    },
}

pub(crate) fn state_of(
    now: DateTime<Utc>,
    issued_at: DateTime<Utc>,
    valid_until: Option<DateTime<Utc>>,
    claimed_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    suspended_at: Option<DateTime<Utc>>,
) -> State {
    if revoked_at.is_some() {
        State::Revoked
    } else if suspended_at.is_some() {
        State::Suspended
    } else if valid_until.is_some_and(|u| u <= now) {
        State::Expired
    } else if claimed_at.is_some() {
        State::Claimed
    } else {
        State::Unclaimed {
            days: (now - issued_at).num_days().max(0),
        }
    }
}

pub(crate) async fn get_conn(conn: &mut PgConnection, id: Uuid) -> Result<Credential> {
    sqlx::query_as!(
        Credential,
        r#"select id, achievement_id, issuer_id, recipient_user_id, recipient_name, recipient_email,
                  identity_hash, identity_salt, credential, issued_at, valid_until, claimed_at,
                  revoked_at, revocation_reason, suspended_at, status_list_id, status_list_index,
                  suspension_list_id, suspension_list_index, details, visibility, hide_name,
                  bulk_award_id, awarded_by, created_at
             from credentials where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound {
        entity: "credential",
    })
}

/// One credential for the admin pages; `Forbidden` outside the capability's scope.
pub async fn get(pool: &PgPool, auth: &CanViewAdmin, id: Uuid) -> Result<Credential> {
    let mut conn = pool.acquire().await?;
    let c = get_conn(&mut conn, id).await?;
    auth.check_issuer(c.issuer_id)?;
    Ok(c)
}

/// The public pages that show a credential or count it: its own, its achievement's, its
/// issuer's and the home page.
pub(crate) fn pages_of(c: &Credential) -> [PageTag; 4] {
    let [achievement, issuer, home] = pages_counting(c.issuer_id, c.achievement_id);
    [PageTag::Credential(c.id), achievement, issuer, home]
}

/// The public pages that count an achievement's awards: its own, its issuer's and the home page.
pub(crate) fn pages_counting(issuer_id: Uuid, achievement_id: Uuid) -> [PageTag; 3] {
    [
        PageTag::Achievement(achievement_id),
        PageTag::Issuer(issuer_id),
        PageTag::Home,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_hash_is_normalised() {
        let a = identity_hash(" Ann@Example.org ", "salt");
        assert_eq!(a, identity_hash("ann@example.org", "salt"));
        assert!(a.starts_with("sha256$") && a.len() == 7 + 64);
    }

    #[test]
    fn states_in_priority_order() {
        let now = Utc::now();
        let day = chrono::Duration::days(1);
        let issued = now - day * 3;
        assert_eq!(
            state_of(now, issued, None, None, None, None),
            State::Unclaimed { days: 3 }
        );
        assert_eq!(
            state_of(now, issued, None, Some(now), None, None),
            State::Claimed
        );
        assert_eq!(
            state_of(now, issued, Some(now - day), Some(now), None, None),
            State::Expired
        );
        assert_eq!(
            state_of(now, issued, None, None, None, Some(now)),
            State::Suspended
        );
        assert_eq!(
            state_of(now, issued, None, None, Some(now), None),
            State::Revoked
        );
    }
}
