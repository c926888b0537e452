//! Re-issuing the credentials imported from the MongoDB version that strict verifiers refuse
//! (an https issuer id signed with a bare `did:key`; SQL `credential_is_old_shape`): one bulk
//! action per issuer, run as a job. Each old credential gets a successor of the same
//! achievement, recipient and dates, signed under the issuer's DID with status entries; the
//! old one is revoked with the reason "superseded" and points at its successor — both in one
//! transaction per batch, so a crash never leaves a credential re-issued twice or revoked
//! without a successor. The successor keeps the old one's acceptance and visibility, and earners
//! are not e-mailed: they already hold the badge.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::{Acquire, PgPool};
use uuid::Uuid;

use super::Issuance;
use super::issue::{NewAward, issue_in};
use crate::audit::Actor;
use crate::cache::PageTag;
use crate::error::{Error, Result};
use crate::job::{self, Job};
use crate::rbac::{Authorized, CanAward, CanRevoke, CanViewAdmin, Scope};

/// The job kind.
pub const JOB_KIND: &str = "reissue_legacy";
/// The revocation reason of a re-issued credential.
pub const REASON: &str = "superseded";
/// Old credentials per transaction.
const BATCH: i64 = 100;

/// What a re-issue job carries and, when done, reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    /// The issuer.
    pub issuer_id: Uuid,
    /// Who started it, for the audit rows.
    pub by: String,
    /// Credentials re-issued so far.
    #[serde(default)]
    pub reissued: i64,
    /// Old credentials that could not be re-issued, with why.
    #[serde(default)]
    pub failed: Vec<(Uuid, String)>,
}

/// How many of the issuer's credentials are of the earlier shape and not yet re-issued.
pub async fn pending(pool: &PgPool, auth: &CanViewAdmin, issuer_id: Uuid) -> Result<i64> {
    auth.check_issuer(issuer_id)?;
    count_pending(&mut *pool.acquire().await?, issuer_id).await
}

async fn count_pending(conn: &mut sqlx::PgConnection, issuer_id: Uuid) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "n!" from credentials
            where issuer_id = $1 and credential_source is not null and revoked_at is null
              and credential_is_old_shape(credential)"#,
        issuer_id
    )
    .fetch_one(conn)
    .await?)
}

/// The issuer's latest re-issue job, if any.
pub async fn latest(pool: &PgPool, auth: &CanViewAdmin, issuer_id: Uuid) -> Result<Option<Job>> {
    auth.check_issuer(issuer_id)?;
    let id = sqlx::query_scalar!(
        r#"select id from jobs where kind = 'reissue_legacy' and payload->>'issuer_id' = $1
            order by created_at desc limit 1"#,
        issuer_id.to_string()
    )
    .fetch_optional(pool)
    .await?;
    match id {
        Some(id) => Ok(Some(job::get_any(pool, id).await?)),
        None => Ok(None),
    }
}

/// Queues the re-issue of every pending credential of the issuer (needs `award` and `revoke`
/// on it); refused while one is queued or running, or when there is nothing to re-issue.
pub async fn start(
    pool: &PgPool,
    award: &CanAward,
    revoke: &CanRevoke,
    issuer_id: Uuid,
) -> Result<Job> {
    award.check_issuer(issuer_id)?;
    revoke.check_issuer(issuer_id)?;
    let mut tx = pool.begin().await?;
    // One re-issue per issuer at a time.
    sqlx::query_scalar!("select id from issuers where id = $1 for update", issuer_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound { entity: "issuer" })?;
    let running = sqlx::query_scalar!(
        r#"select exists(select 1 from jobs where kind = 'reissue_legacy' and status in ('queued', 'running')
                                         and payload->>'issuer_id' = $1) as "e!""#,
        issuer_id.to_string()
    )
    .fetch_one(&mut *tx)
    .await?;
    if running {
        return Err(Error::invalid(
            "issuer",
            "a re-issue of this issuer's credentials is already under way",
        ));
    }
    let n = count_pending(&mut tx, issuer_id).await?;
    if n == 0 {
        return Err(Error::invalid(
            "issuer",
            "no credential of this issuer needs re-issuing",
        ));
    }
    let payload = Payload {
        issuer_id,
        by: award.actor().label.clone(),
        ..Payload::default()
    };
    let payload = serde_json::to_value(&payload).map_err(Error::internal)?;
    let total = i32::try_from(n).unwrap_or(i32::MAX);
    let queued = job::enqueue_conn(&mut tx, award.actor(), JOB_KIND, &payload, Some(total)).await?;
    tx.commit().await?;
    Ok(queued)
}

/// One old credential being re-issued.
struct Old {
    id: Uuid,
    award: NewAward,
}

/// The job: batch by batch, issues successors and revokes the old credentials (see the
/// module doc). Running it again after a crash continues with what is left.
pub async fn run(
    pool: &PgPool,
    ctx: Issuance<'_>,
    job: &Job,
    worker: &str,
    lease_seconds: i32,
) -> Result<()> {
    let mut p: Payload = serde_json::from_value(job.payload.clone()).map_err(Error::internal)?;
    let scope = Scope::Issuers(std::sync::Arc::new([p.issuer_id].into_iter().collect()));
    let actor = Actor {
        user_id: job.created_by,
        label: p.by.clone(),
    };
    // The capability the starter held, limited to this issuer.
    let auth: CanAward = Authorized::new(actor.clone(), scope);
    let mut done = i64::from(job.progress_done);
    loop {
        if job::is_cancelled(pool, job.id).await? {
            return Ok(());
        }
        let skip: Vec<Uuid> = p.failed.iter().map(|(id, _)| *id).collect();
        let mut tx = pool.begin().await?;
        let rows = sqlx::query!(
            r#"select id, achievement_id, recipient_name, recipient_email, recipient_user_id,
                      issued_at, valid_until
                 from credentials
                where issuer_id = $1 and credential_source is not null and revoked_at is null
                  and credential_is_old_shape(credential) and id <> all($2)
                order by achievement_id, id limit $3
                for update skip locked"#,
            p.issuer_id,
            &skip,
            BATCH
        )
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            break;
        }
        let mut by_achievement: BTreeMap<Uuid, Vec<Old>> = BTreeMap::new();
        for r in rows {
            by_achievement
                .entry(r.achievement_id)
                .or_default()
                .push(Old {
                    id: r.id,
                    award: NewAward {
                        achievement_id: r.achievement_id,
                        recipient_name: r.recipient_name,
                        recipient_email: r.recipient_email,
                        recipient_user_id: r.recipient_user_id,
                        issued_at: Some(r.issued_at),
                        valid_until: r.valid_until,
                        idempotency_key: Some(format!("reissue:{}", r.id)),
                        notify: false,
                        ..NewAward::default()
                    },
                });
        }
        let mut batch = 0i64;
        let mut pages = Vec::new();
        for (achievement_id, olds) in by_achievement {
            // A savepoint per achievement: one that cannot be awarded (archived, say) fails
            // its own credentials, not the batch.
            let mut sp = tx.begin().await?;
            let awards: Vec<NewAward> = olds.iter().map(|o| o.award.clone()).collect();
            match issue_in(&mut sp, &auth, ctx, achievement_id, &awards, None, None).await {
                Ok((_, outcomes)) => {
                    let old: Vec<Uuid> = olds.iter().map(|o| o.id).collect();
                    let new: Vec<Uuid> = outcomes.iter().map(|o| o.credential_id()).collect();
                    supersede(&mut sp, &actor, &old, &new).await?;
                    sp.commit().await?;
                    for tag in super::pages_counting(p.issuer_id, achievement_id)
                        .into_iter()
                        .chain(old.iter().map(|id| PageTag::Credential(*id)))
                    {
                        if !pages.contains(&tag) {
                            pages.push(tag);
                        }
                    }
                    batch += i64::try_from(old.len()).unwrap_or(0);
                }
                Err(e @ (Error::Invalid { .. } | Error::Forbidden { .. })) => {
                    drop(sp);
                    let why = e.to_string();
                    p.failed.extend(olds.iter().map(|o| (o.id, why.clone())));
                }
                Err(e) => return Err(e),
            }
        }
        tx.commit().await?;
        ctx.cache.touch_pages(&pages).await;
        p.reissued += batch;
        done += batch;
        let progress =
            i32::try_from(done + i64::try_from(p.failed.len()).unwrap_or(0)).unwrap_or(i32::MAX);
        job::progress(pool, job.id, worker, progress, lease_seconds).await?;
    }
    let payload = serde_json::to_value(&p).map_err(Error::internal)?;
    job::set_payload(pool, job.id, worker, &payload).await?;
    if p.reissued == 0 && !p.failed.is_empty() {
        return Err(Error::invalid(
            "credentials",
            format!(
                "none could be re-issued: {}",
                p.failed.first().map(|f| f.1.as_str()).unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// Revokes the old credentials as superseded by the new ones, with audit rows.
async fn supersede(
    conn: &mut sqlx::PgConnection,
    actor: &Actor,
    old: &[Uuid],
    new: &[Uuid],
) -> Result<()> {
    sqlx::query!(
        r#"update credentials c set revoked_at = now(), revocation_reason = $3, superseded_by = u.new
             from unnest($1::uuid[], $2::uuid[]) as u (old, new)
            where c.id = u.old"#,
        old,
        new,
        REASON
    )
    .execute(&mut *conn)
    .await?;
    // The successor is the same award: accepted if the old one was, shown as the earner chose.
    sqlx::query!(
        r#"update credentials n set visibility = o.visibility, hide_name = o.hide_name,
                  claimed_at = o.claimed_at
             from unnest($1::uuid[], $2::uuid[]) as u (old, new)
             join credentials o on o.id = u.old
            where n.id = u.new"#,
        old,
        new
    )
    .execute(&mut *conn)
    .await?;
    let audit_ids: Vec<Uuid> = old.iter().map(|_| Uuid::now_v7()).collect();
    sqlx::query!(
        r#"insert into audit_log (id, actor_user_id, actor_label, action, entity_type, entity_id, before, after)
           select u.id, $4, $5, 'credential.supersede', 'credential', u.old,
                  jsonb_build_object('revoked_at', null),
                  jsonb_build_object('reason', $6::text, 'superseded_by', u.new)
             from unnest($1::uuid[], $2::uuid[], $3::uuid[]) as u (id, old, new)"#,
        &audit_ids,
        old,
        new,
        actor.user_id,
        actor.label,
        REASON
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
