//! Background jobs (bulk awards, imports) in PostgreSQL: enqueue (in the caller's
//! transaction when it must be atomic with other writes), claim with `FOR UPDATE SKIP LOCKED`
//! and a lease, report progress (which renews the lease), finish with retries and exponential
//! backoff; after the last attempt a job is dead-lettered (`failed`) and an admin can retry or
//! cancel it from the Jobs page.
//!
//! Why our own queue rather than `apalis`: the queue is one table and four statements, jobs
//! must be enqueued in the same transaction as the rows they act on (a confirmed bulk award
//! and its job are one commit), and progress lives in the same row the pages read. A worker
//! that dies leaves its lease to expire, after which another worker picks the job up; job
//! handlers are written to be re-run (see [`crate::award::bulk::run`]). Any number of
//! workers on any number of machines can share one database. Each job kind lives next to its
//! domain; the loop that runs them is the server's `worker` module.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::audit::{self, Actor, Entity};
use crate::error::{Error, Result};
use crate::page::{Page, PageRequest};
use crate::rbac::{CanManageJobs, CanViewAdmin};

/// A job row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Job {
    /// Id.
    pub id: Uuid,
    /// Kind, e.g. `bulk_award`.
    pub kind: String,
    /// Input.
    pub payload: serde_json::Value,
    /// `queued`, `running`, `succeeded`, `failed` (dead letter), `cancelled`.
    pub status: String,
    /// Items done.
    pub progress_done: i32,
    /// Items in total, when known.
    pub progress_total: Option<i32>,
    /// Last error.
    pub error: Option<String>,
    /// Attempts so far.
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
    /// Not before.
    pub run_after: DateTime<Utc>,
    /// Worker holding it.
    pub locked_by: Option<String>,
    /// Who queued it.
    pub created_by: Option<Uuid>,
    /// Queued.
    pub created_at: DateTime<Utc>,
    /// First started.
    pub started_at: Option<DateTime<Utc>>,
    /// Finished.
    pub finished_at: Option<DateTime<Utc>>,
}

/// Queues a job on the caller's transaction.
pub async fn enqueue_conn(
    conn: &mut PgConnection,
    actor: &Actor,
    kind: &str,
    payload: &serde_json::Value,
    total: Option<i32>,
) -> Result<Job> {
    Ok(sqlx::query_as!(
        Job,
        r#"insert into jobs (id, kind, payload, progress_total, created_by) values ($1, $2, $3, $4, $5)
           returning id, kind, payload, status, progress_done, progress_total, error, attempts,
                     max_attempts, run_after, locked_by, created_by, created_at, started_at, finished_at"#,
        Uuid::now_v7(),
        kind,
        payload,
        total,
        actor.user_id
    )
    .fetch_one(conn)
    .await?)
}

/// Queues a job.
pub async fn enqueue(
    pool: &PgPool,
    actor: &Actor,
    kind: &str,
    payload: &serde_json::Value,
    total: Option<i32>,
) -> Result<Job> {
    let mut conn = pool.acquire().await?;
    enqueue_conn(&mut conn, actor, kind, payload, total).await
}

/// Claims the oldest runnable job (queued and due, or running with an expired lease) for
/// `worker` for `lease_seconds`.
pub async fn claim_next(pool: &PgPool, worker: &str, lease_seconds: i32) -> Result<Option<Job>> {
    Ok(sqlx::query_as!(
        Job,
        r#"update jobs set status = 'running', locked_by = $1,
                  locked_until = now() + make_interval(secs => $2), attempts = attempts + 1,
                  started_at = coalesce(started_at, now())
            where id = (select id from jobs
                         where (status = 'queued' and run_after <= now())
                            or (status = 'running' and locked_until < now())
                         order by created_at
                         limit 1
                         for update skip locked)
        returning id, kind, payload, status, progress_done, progress_total, error, attempts,
                  max_attempts, run_after, locked_by, created_by, created_at, started_at, finished_at"#,
        worker,
        f64::from(lease_seconds)
    )
    .fetch_optional(pool)
    .await?)
}

/// Records progress and renews the lease; `Stale` if the worker lost the job (its lease
/// expired and another worker took it, or an admin cancelled it).
pub async fn progress(
    pool: &PgPool,
    id: Uuid,
    worker: &str,
    done: i32,
    lease_seconds: i32,
) -> Result<()> {
    let n = sqlx::query!(
        r#"update jobs set progress_done = least($3, coalesce(progress_total, $3)),
                  locked_until = now() + make_interval(secs => $4)
            where id = $1 and locked_by = $2 and status = 'running'"#,
        id,
        worker,
        done,
        f64::from(lease_seconds)
    )
    .execute(pool)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(Error::Stale);
    }
    Ok(())
}

/// Finishes a job: success, or failure with a message — queued again after a backoff of
/// 10 s × 4^(attempt−1) while attempts remain, else dead-lettered as `failed`.
pub async fn finish(
    pool: &PgPool,
    id: Uuid,
    worker: &str,
    outcome: std::result::Result<(), String>,
) -> Result<Job> {
    let (ok, message) = match outcome {
        Ok(()) => (true, None),
        Err(m) => (false, Some(m)),
    };
    sqlx::query_as!(
        Job,
        r#"update jobs set
              status = case when $3 then 'succeeded'
                            when attempts < max_attempts then 'queued'
                            else 'failed' end,
              error = $4,
              progress_done = case when $3 then coalesce(progress_total, progress_done) else progress_done end,
              finished_at = case when $3 or attempts >= max_attempts then now() end,
              run_after = now() + make_interval(secs => 10 * power(4, greatest(attempts - 1, 0))::int),
              locked_by = null, locked_until = null
            where id = $1 and locked_by = $2 and status = 'running'
        returning id, kind, payload, status, progress_done, progress_total, error, attempts,
                  max_attempts, run_after, locked_by, created_by, created_at, started_at, finished_at"#,
        id,
        worker,
        ok,
        message
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::Stale)
}

/// Whether an admin cancelled the job (handlers check between batches).
pub async fn is_cancelled(pool: &PgPool, id: Uuid) -> Result<bool> {
    Ok(sqlx::query_scalar!(
        r#"select status = 'cancelled' as "c!" from jobs where id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .unwrap_or(true))
}

async fn get_conn(conn: &mut PgConnection, id: Uuid) -> Result<Job> {
    sqlx::query_as!(
        Job,
        r#"select id, kind, payload, status, progress_done, progress_total, error, attempts,
                  max_attempts, run_after, locked_by, created_by, created_at, started_at, finished_at
             from jobs where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound { entity: "job" })
}

/// A job by id, for engine modules that checked their own capability.
pub(crate) async fn get_any(pool: &PgPool, id: Uuid) -> Result<Job> {
    get_conn(&mut *pool.acquire().await?, id).await
}

/// The latest jobs of one kind, newest first (for engine modules that checked their own
/// capability).
pub(crate) async fn of_kind(pool: &PgPool, kind: &str, limit: i64) -> Result<Vec<Job>> {
    Ok(sqlx::query_as!(
        Job,
        r#"select id, kind, payload, status, progress_done, progress_total, error, attempts,
                  max_attempts, run_after, locked_by, created_by, created_at, started_at, finished_at
             from jobs where kind = $1 order by created_at desc, id desc limit $2"#,
        kind,
        limit
    )
    .fetch_all(pool)
    .await?)
}

/// Sets how many attempts a job just queued gets (jobs that another attempt cannot help).
pub(crate) async fn set_max_attempts(conn: &mut PgConnection, id: Uuid, n: i32) -> Result<()> {
    sqlx::query!("update jobs set max_attempts = $2 where id = $1", id, n)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces a running job's payload (a handler recording its result); `Stale` if the worker
/// lost the job.
pub(crate) async fn set_payload(
    pool: &PgPool,
    id: Uuid,
    worker: &str,
    payload: &serde_json::Value,
) -> Result<()> {
    let n = sqlx::query!(
        "update jobs set payload = $3 where id = $1 and locked_by = $2 and status = 'running'",
        id,
        worker,
        payload
    )
    .execute(pool)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(Error::Stale);
    }
    Ok(())
}

/// One job: any job for a deployment-wide capability; for one limited to some issuers (their
/// staff, an API client app of one issuer), the job of a bulk award of those issuers.
pub async fn get(pool: &PgPool, auth: &CanViewAdmin, id: Uuid) -> Result<Job> {
    let mut conn = pool.acquire().await?;
    if auth.check_global().is_err() {
        let issuer = sqlx::query_scalar!("select issuer_id from bulk_awards where job_id = $1", id)
            .fetch_optional(&mut *conn)
            .await?;
        match issuer {
            Some(issuer) => auth.check_issuer(issuer)?,
            None => auth.check_global()?,
        }
    }
    get_conn(&mut conn, id).await
}

/// Jobs, newest first, optionally of one status.
pub async fn list(
    pool: &PgPool,
    auth: &CanViewAdmin,
    status: Option<&str>,
    page: PageRequest,
) -> Result<Page<Job>> {
    auth.check_global()?;
    let (offset, limit) = page.bounds();
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from jobs where $1::text is null or status = $1"#,
        status
    )
    .fetch_one(pool)
    .await?;
    let items = sqlx::query_as!(
        Job,
        r#"select id, kind, payload, status, progress_done, progress_total, error, attempts,
                  max_attempts, run_after, locked_by, created_by, created_at, started_at, finished_at
             from jobs where $1::text is null or status = $1
            order by created_at desc, id desc limit $2 offset $3"#,
        status,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    Ok(Page { items, total })
}

/// Cancels a queued or running job (a running one stops at its next batch); audited.
pub async fn cancel(pool: &PgPool, auth: &CanManageJobs, id: Uuid) -> Result<Job> {
    auth.check_global()?;
    let mut tx = pool.begin().await?;
    let before = get_conn(&mut tx, id).await?;
    if !matches!(before.status.as_str(), "queued" | "running") {
        return Err(Error::invalid(
            "status",
            format!("a {} job cannot be cancelled", before.status),
        ));
    }
    sqlx::query!(
        r#"update jobs set status = 'cancelled', finished_at = now(), locked_by = null,
                  locked_until = null where id = $1"#,
        id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "job.cancel",
        Entity::new("job", id),
        Some(serde_json::json!({ "status": before.status })),
        Some(serde_json::json!({ "status": "cancelled" })),
    )
    .await?;
    let after = get_conn(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

/// Puts a failed (dead-lettered) or cancelled job back in the queue with fresh attempts;
/// audited.
pub async fn retry(pool: &PgPool, auth: &CanManageJobs, id: Uuid) -> Result<Job> {
    auth.check_global()?;
    let mut tx = pool.begin().await?;
    let before = get_conn(&mut tx, id).await?;
    if !matches!(before.status.as_str(), "failed" | "cancelled") {
        return Err(Error::invalid(
            "status",
            format!("a {} job cannot be retried", before.status),
        ));
    }
    sqlx::query!(
        r#"update jobs set status = 'queued', attempts = 0, run_after = now(), finished_at = null,
                  error = null where id = $1"#,
        id
    )
    .execute(&mut *tx)
    .await?;
    if before.kind == crate::award::bulk::JOB_KIND {
        sqlx::query!(
            r#"update bulk_awards set status = 'queued', finished_at = null where job_id = $1"#,
            id
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        auth.actor(),
        "job.retry",
        Entity::new("job", id),
        Some(serde_json::json!({ "status": before.status })),
        Some(serde_json::json!({ "status": "queued" })),
    )
    .await?;
    let after = get_conn(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}
