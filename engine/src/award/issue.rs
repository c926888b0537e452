//! Issuing credentials, set-based: a batch (one award or a few hundred rows of a bulk award)
//! is validated, given status entries (revocation and suspension), signed on every core, and
//! stored with its audit rows, its claim tokens and its queued notification e-mails in ONE
//! transaction — so there is never a credential without its status entries or its audit row,
//! and a failing batch leaves nothing behind (but the status entries reserved for it, which
//! stay 0 and unnamed: they are reserved in a short transaction of their own, so awards of one
//! issuer do not queue behind each other's signing). Each statement covers the whole batch
//! (`unnest`), so the cost per award is the signature, not round trips.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::{Credential, Issuance, get_conn, normalise_email};
use crate::achievement::{self, Achievement, Status};
use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::issuer;
use crate::rbac::CanAward;
use crate::signer::{AwardDetails, AwardDraft};
use crate::signing_key;
use crate::status_list::{self, Purpose};
use crate::user::looks_like_email;

/// Longest recipient name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Most awards stored in one transaction (larger inputs are split by the callers).
pub const MAX_BATCH: usize = 1_000;

/// An award request.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct NewAward {
    /// Achievement to award.
    pub achievement_id: Uuid,
    /// Recipient's name, as it will appear on the credential.
    pub recipient_name: String,
    /// Recipient's e-mail.
    pub recipient_email: String,
    /// Recipient's account, if known; otherwise linked by (verified) e-mail.
    pub recipient_user_id: Option<Uuid>,
    /// Issuance time; now if absent.
    pub issued_at: Option<DateTime<Utc>>,
    /// Custom expiry; otherwise the achievement's default validity applies.
    pub valid_until: Option<DateTime<Utc>>,
    /// Results, evidence, activity dates.
    pub details: AwardDetails,
    /// Makes a retried request a no-op (bulk rows, API `Idempotency-Key`).
    pub idempotency_key: Option<String>,
    /// Queue the notification e-mail with its claim link.
    pub notify: bool,
}

/// What became of one award request.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum Outcome {
    /// A new credential.
    Issued(Uuid),
    /// The idempotency key was used before: this is that credential; nothing new was issued.
    AlreadyIssued(Uuid),
}

impl Outcome {
    /// The credential, new or earlier.
    pub fn credential_id(self) -> Uuid {
        match self {
            Outcome::Issued(id) | Outcome::AlreadyIssued(id) => id,
        }
    }
}

/// The field an award error is about, and why (for forms and CSV row reports).
pub(crate) type FieldError = (&'static str, String);

/// Checks one award against its achievement; the first problem found, by field.
pub(crate) fn check(ach: &Achievement, a: &NewAward, now: DateTime<Utc>) -> Result<(), FieldError> {
    let name = a.recipient_name.trim();
    if name.is_empty() {
        return Err(("name", "is required".into()));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err((
            "name",
            format!("is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    let email = a.recipient_email.trim();
    if email.is_empty() {
        return Err(("email", "is required".into()));
    }
    if !looks_like_email(email) || email.len() > 320 {
        return Err(("email", format!("`{email}` is not an e-mail address")));
    }
    let issued = a.issued_at.unwrap_or(now);
    if let Some(until) = a.valid_until
        && until <= issued
    {
        return Err(("expiry", "must be after the issue date".into()));
    }
    let d = &a.details;
    if let (Some(s), Some(e)) = (d.activity_start, d.activity_end)
        && e < s
    {
        return Err(("activity_end", "must not be before the start".into()));
    }
    for r in &d.results {
        let Some(rd) = ach.fields.result_descriptions.get(r.result_description) else {
            return Err((
                "result",
                "refers to a result the achievement does not describe".into(),
            ));
        };
        if rd.levels.is_empty() {
            let Some(v) = r.value.as_deref().filter(|v| !v.trim().is_empty()) else {
                return Err(("result", format!("give a value for `{}`", rd.name)));
            };
            if let Some(allowed) = &rd.allowed_values
                && !allowed.iter().any(|x| x == v)
            {
                return Err((
                    "result",
                    format!("`{v}` is not one of {}", allowed.join(", ")),
                ));
            }
        } else if r.achieved_level.is_none_or(|l| l >= rd.levels.len()) {
            let names: Vec<&str> = rd.levels.iter().map(|l| l.name.as_str()).collect();
            return Err((
                "result",
                format!(
                    "pick one of the levels of `{}`: {}",
                    rd.name,
                    names.join(", ")
                ),
            ));
        }
    }
    if d.evidence.len() > 20 {
        return Err(("evidence", "at most 20 pieces of evidence".into()));
    }
    for e in &d.evidence {
        if let Some(u) = &e.url {
            crate::issuer::check_http_url("evidence_url", u).map_err(|_| {
                (
                    "evidence_url",
                    format!("`{u}` is not a web address (https://…)"),
                )
            })?;
        }
        if e.narrative
            .as_ref()
            .is_some_and(|n| n.chars().count() > 10_000)
        {
            return Err(("narrative", "is longer than 10,000 characters".into()));
        }
    }
    Ok(())
}

/// `Invalid` unless the achievement may be awarded now.
pub(crate) fn check_awardable(ach: &Achievement) -> Result<()> {
    match ach.status {
        Status::Active => Ok(()),
        Status::Draft => Err(Error::invalid(
            "achievement",
            "is still a draft; publish it before awarding it",
        )),
        Status::Archived => Err(Error::invalid(
            "achievement",
            "is archived and can no longer be awarded; restore it first",
        )),
    }
}

/// The expiry an award gets: its own, else the achievement's default validity.
pub(crate) fn expiry(
    ach: &Achievement,
    issued_at: DateTime<Utc>,
    own: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    own.or(ach.fields.valid_until).or_else(|| {
        ach.fields
            .valid_for_days
            .map(|d| issued_at + Duration::days(i64::from(d)))
    })
}

/// Awards one credential and returns it (or, for a repeated idempotency key, the earlier one).
pub async fn issue(
    pool: &PgPool,
    auth: &CanAward,
    ctx: Issuance<'_>,
    new: &NewAward,
) -> Result<(Outcome, Credential)> {
    let outcome = issue_batch(
        pool,
        auth,
        ctx,
        new.achievement_id,
        std::slice::from_ref(new),
        None,
    )
    .await?
    .pop()
    .ok_or_else(|| Error::internal("award produced no credential"))?;
    let mut conn = pool.acquire().await?;
    let cred = get_conn(&mut conn, outcome.credential_id()).await?;
    Ok((outcome, cred))
}

/// Awards a batch of credentials of one achievement in one transaction (see the module doc).
/// Requests whose idempotency key was used before are skipped and reported as
/// [`Outcome::AlreadyIssued`]; any invalid request refuses the whole batch.
pub async fn issue_batch(
    pool: &PgPool,
    auth: &CanAward,
    ctx: Issuance<'_>,
    achievement_id: Uuid,
    awards: &[NewAward],
    bulk_award_id: Option<Uuid>,
) -> Result<Vec<Outcome>> {
    // Status entries first, in a transaction of their own: the award's transaction then holds
    // no lock that another award of this issuer waits for while it signs and stores.
    let issuer_of = sqlx::query_scalar!(
        "select issuer_id from achievements where id = $1",
        achievement_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound {
        entity: "achievement",
    })?;
    auth.check_issuer(issuer_of)?;
    let reserved = if awards.is_empty() || awards.len() > MAX_BATCH {
        None
    } else {
        Some(status_list::reserve(pool, issuer_of, awards.len()).await?)
    };
    let mut tx = pool.begin().await?;
    let (issuer_id, out) = issue_in(
        &mut tx,
        auth,
        ctx,
        achievement_id,
        awards,
        bulk_award_id,
        reserved,
    )
    .await?;
    tx.commit().await?;
    ctx.cache
        .touch_pages(&super::pages_counting(issuer_id, achievement_id))
        .await;
    Ok(out)
}

/// [`issue_batch`] on the caller's transaction (the bulk-award job also marks its rows done
/// in it, so a crash never separates a credential from its row's outcome). Returns the
/// issuer too: the caller touches its pages once the transaction has committed.
pub(crate) async fn issue_in(
    tx: &mut sqlx::PgConnection,
    auth: &CanAward,
    ctx: Issuance<'_>,
    achievement_id: Uuid,
    awards: &[NewAward],
    bulk_award_id: Option<Uuid>,
    reserved: Option<status_list::Reserved>,
) -> Result<(Uuid, Vec<Outcome>)> {
    if awards.len() > MAX_BATCH {
        return Err(Error::invalid(
            "awards",
            format!("at most {MAX_BATCH} awards per batch"),
        ));
    }
    if awards.iter().any(|a| a.achievement_id != achievement_id) {
        return Err(Error::invalid(
            "achievement_id",
            "every award of a batch must be for the same achievement",
        ));
    }
    let now = Utc::now();
    // Lock the achievement against changes: editing or archiving it (`for update`) and
    // awarding it cannot interleave. Awards share this lock (`for key share`), so awards of one
    // achievement run side by side; the `award_count` update (a no-key update, which key-share
    // does not block) is the last statement, so awards wait for each other only from there to
    // commit. (A plain share lock here deadlocked two awards upgrading it for that update.)
    sqlx::query_scalar!(
        "select id from achievements where id = $1 for key share",
        achievement_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound {
        entity: "achievement",
    })?;
    let ach = achievement::get_conn(tx, achievement_id).await?;
    auth.check_issuer(ach.issuer_id)?;
    check_awardable(&ach)?;
    for a in awards {
        check(&ach, a, now).map_err(|(field, reason)| Error::invalid(field, reason))?;
    }
    // Idempotency: requests seen before are answered with what they produced then.
    let keys: Vec<String> = awards
        .iter()
        .filter_map(|a| a.idempotency_key.clone())
        .collect();
    let seen: std::collections::HashMap<String, Uuid> = if keys.is_empty() {
        Default::default()
    } else {
        sqlx::query!(
            r#"select idempotency_key as "key!", id from credentials where idempotency_key = any($1)"#,
            &keys
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| (r.key, r.id))
        .collect()
    };
    let mut fresh: Vec<&NewAward> = Vec::new();
    let mut in_batch = std::collections::HashSet::new();
    for a in awards {
        match &a.idempotency_key {
            Some(k) if seen.contains_key(k) || !in_batch.insert(k.clone()) => {}
            _ => fresh.push(a),
        }
    }
    let mut drafts = Vec::with_capacity(fresh.len());
    if !fresh.is_empty() {
        let issuer = Arc::new(issuer::get_conn(tx, ach.issuer_id).await?);
        let key = Arc::new(signing_key::load_active(tx, ctx.kek, ach.issuer_id).await?);
        let (revocation, suspension) = match reserved
            .filter(|r| r.issuer_id == ach.issuer_id && r.revocation.len() >= fresh.len())
        {
            Some(r) => (r.revocation, r.suspension),
            None => (
                status_list::allocate_many(tx, ach.issuer_id, Purpose::Revocation, fresh.len())
                    .await?,
                status_list::allocate_many(tx, ach.issuer_id, Purpose::Suspension, fresh.len())
                    .await?,
            ),
        };
        let ach = Arc::new(ach.clone());
        for ((a, rev), sus) in fresh.iter().zip(revocation).zip(suspension) {
            let mut salt = [0u8; 16];
            OsRng.fill_bytes(&mut salt);
            let issued_at = a.issued_at.unwrap_or(now);
            drafts.push(AwardDraft {
                credential_id: Uuid::now_v7(),
                issuer: issuer.clone(),
                achievement: ach.clone(),
                recipient_name: a.recipient_name.trim().to_owned(),
                recipient_email: a.recipient_email.trim().to_owned(),
                identity_salt: crate::secret::hex(&salt),
                issued_at,
                valid_until: expiry(&ach, issued_at, a.valid_until),
                statuses: vec![rev, sus],
                details: a.details.clone(),
                key: key.clone(),
            });
        }
    }
    // Signing is CPU work for every core; keep it off the async runtime's workers.
    let signer = ctx.signer.clone();
    let (drafts, signed) = tokio::task::spawn_blocking(move || {
        let signed = signer.sign_all(&drafts);
        (drafts, signed)
    })
    .await
    .map_err(Error::internal)?;
    let signed: Vec<serde_json::Value> = signed.into_iter().collect::<Result<_>>()?;
    if !drafts.is_empty() {
        store(tx, auth.actor(), &drafts, &signed, &fresh, bulk_award_id).await?;
        let notify: Vec<(Uuid, String)> = drafts
            .iter()
            .zip(&fresh)
            .filter(|(_, a)| a.notify)
            .map(|(d, _)| (d.credential_id, d.recipient_email.clone()))
            .collect();
        crate::mail::queue_award_notifications(tx, auth.actor(), &ach_name(&drafts), &notify)
            .await?;
        // Last: from here to commit, other awards of this achievement wait for this row.
        sqlx::query!(
            "update achievements set award_count = award_count + $2 where id = $1",
            achievement_id,
            drafts.len() as i32
        )
        .execute(&mut *tx)
        .await?;
    }
    // Map each request to its outcome, in order.
    let mut issued = drafts.iter().map(|d| d.credential_id);
    let mut first_in_batch: std::collections::HashMap<String, Uuid> = Default::default();
    let mut out = Vec::with_capacity(awards.len());
    for a in awards {
        match &a.idempotency_key {
            Some(k) if seen.contains_key(k) => out.push(Outcome::AlreadyIssued(seen[k])),
            Some(k) if first_in_batch.contains_key(k) => {
                out.push(Outcome::AlreadyIssued(first_in_batch[k]));
            }
            key => {
                let id = issued
                    .next()
                    .ok_or_else(|| Error::internal("fewer credentials than awards"))?;
                if let Some(k) = key {
                    first_in_batch.insert(k.clone(), id);
                }
                out.push(Outcome::Issued(id));
            }
        }
    }
    Ok((ach.issuer_id, out))
}

fn ach_name(drafts: &[AwardDraft]) -> String {
    drafts
        .first()
        .map(|d| d.achievement.fields.name.clone())
        .unwrap_or_default()
}

/// Inserts the signed credentials and their audit rows, one statement each.
async fn store(
    conn: &mut sqlx::PgConnection,
    actor: &Actor,
    drafts: &[AwardDraft],
    signed: &[serde_json::Value],
    requests: &[&NewAward],
    bulk_award_id: Option<Uuid>,
) -> Result<()> {
    let ids: Vec<Uuid> = drafts.iter().map(|d| d.credential_id).collect();
    let names: Vec<String> = drafts.iter().map(|d| d.recipient_name.clone()).collect();
    let emails: Vec<String> = drafts.iter().map(|d| d.recipient_email.clone()).collect();
    let hashes: Vec<String> = drafts
        .iter()
        .map(|d| super::identity_hash(&d.recipient_email, &d.identity_salt))
        .collect();
    let salts: Vec<String> = drafts.iter().map(|d| d.identity_salt.clone()).collect();
    let issued: Vec<DateTime<Utc>> = drafts.iter().map(|d| d.issued_at).collect();
    let until: Vec<Option<DateTime<Utc>>> = drafts.iter().map(|d| d.valid_until).collect();
    let rev_list: Vec<Uuid> = drafts.iter().map(|d| d.statuses[0].list_id).collect();
    let rev_index: Vec<i32> = drafts.iter().map(|d| d.statuses[0].index).collect();
    let sus_list: Vec<Uuid> = drafts.iter().map(|d| d.statuses[1].list_id).collect();
    let sus_index: Vec<i32> = drafts.iter().map(|d| d.statuses[1].index).collect();
    let details: Vec<serde_json::Value> = drafts
        .iter()
        .map(|d| serde_json::to_value(&d.details).unwrap_or_else(|_| serde_json::json!({})))
        .collect();
    let keys: Vec<Option<String>> = requests.iter().map(|a| a.idempotency_key.clone()).collect();
    let users: Vec<Option<Uuid>> = requests.iter().map(|a| a.recipient_user_id).collect();
    let first = drafts
        .first()
        .ok_or_else(|| Error::internal("nothing to store"))?;
    let (achievement_id, issuer_id) = (first.achievement.id, first.issuer.id);
    sqlx::query!(
        r#"insert into credentials (id, achievement_id, issuer_id, recipient_user_id, recipient_name,
               recipient_email, identity_hash, identity_salt, credential, issued_at, valid_until,
               status_list_id, status_list_index, suspension_list_id, suspension_list_index,
               details, idempotency_key, bulk_award_id, awarded_by, visibility)
           select u.id, $2, $3,
                  coalesce(u.user_id,
                           (select e.user_id from user_emails e where lower(e.email) = lower(u.email)),
                           (select x.id from users x where x.deleted_at is null and lower(x.email) = lower(u.email))),
                  u.name, u.email, u.hash, u.salt, u.credential, u.issued_at, u.valid_until,
                  u.rev_list, u.rev_index, u.sus_list, u.sus_index, u.details, u.key, $4, $5,
                  coalesce((select value #>> '{}' from settings where key = 'default_visibility'), 'private')
             from unnest($1::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[],
                         $11::jsonb[], $12::timestamptz[], $13::timestamptz[], $14::uuid[], $15::int[],
                         $16::uuid[], $17::int[], $18::jsonb[], $19::text[])
                  as u (id, user_id, name, email, hash, salt, credential, issued_at, valid_until,
                        rev_list, rev_index, sus_list, sus_index, details, key)"#,
        &ids,
        achievement_id,
        issuer_id,
        bulk_award_id,
        actor.user_id,
        &users as &[Option<Uuid>],
        &names,
        &emails,
        &hashes,
        &salts,
        signed,
        &issued,
        &until as &[Option<DateTime<Utc>>],
        &rev_list,
        &rev_index,
        &sus_list,
        &sus_index,
        &details,
        &keys as &[Option<String>],
    )
    .execute(&mut *conn)
    .await?;
    let audit_ids: Vec<Uuid> = ids.iter().map(|_| Uuid::now_v7()).collect();
    let afters: Vec<serde_json::Value> = drafts
        .iter()
        .map(|d| {
            serde_json::json!({
                "achievement_id": d.achievement.id,
                "recipient_name": d.recipient_name,
                "recipient_email": normalise_email(&d.recipient_email),
                "status_list_id": d.statuses[0].list_id,
                "status_list_index": d.statuses[0].index,
                "bulk_award_id": bulk_award_id,
            })
        })
        .collect();
    sqlx::query!(
        r#"insert into audit_log (id, actor_user_id, actor_label, action, entity_type, entity_id, after)
           select u.id, $3, $4, 'credential.award', 'credential', u.entity, u.after
             from unnest($1::uuid[], $2::uuid[], $5::jsonb[]) as u (id, entity, after)"#,
        &audit_ids,
        &ids,
        actor.user_id,
        actor.label,
        &afters
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
