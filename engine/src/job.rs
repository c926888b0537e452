//! Background jobs (bulk awards, imports, e-mail) in PostgreSQL: enqueue, claim with
//! `FOR UPDATE SKIP LOCKED` and a lease, report progress, finish. A worker that dies leaves
//! its lease to expire, after which another worker picks the job up again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::audit::Actor;
use crate::error::{Error, Result};

/// A job row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Job {
    /// Id.
    pub id: Uuid,
    /// Kind, e.g. `bulk_award`.
    pub kind: String,
    /// Input.
    pub payload: serde_json::Value,
    /// `queued`, `running`, `succeeded`, `failed`, `cancelled`.
    pub status: String,
    /// Items done.
    pub progress_done: i32,
    /// Items in total, when known.
    pub progress_total: Option<i32>,
    /// Last error.
    pub error: Option<String>,
    /// Attempts so far.
    pub attempts: i32,
    /// Who queued it.
    pub created_by: Option<Uuid>,
    /// Queued.
    pub created_at: DateTime<Utc>,
    /// Finished.
    pub finished_at: Option<DateTime<Utc>>,
}

/// Queues a job.
pub async fn enqueue(
    pool: &PgPool,
    actor: &Actor,
    kind: &str,
    payload: &serde_json::Value,
    total: Option<i32>,
) -> Result<Job> {
    Ok(sqlx::query_as!(
        Job,
        r#"insert into jobs (id, kind, payload, progress_total, created_by) values ($1, $2, $3, $4, $5)
           returning id, kind, payload, status, progress_done, progress_total, error, attempts,
                     created_by, created_at, finished_at"#,
        Uuid::now_v7(),
        kind,
        payload,
        total,
        actor.user_id
    )
    .fetch_one(pool)
    .await?)
}

/// Claims the oldest runnable job (queued, or running with an expired lease) for `worker`
/// for `lease_seconds`.
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
                  created_by, created_at, finished_at"#,
        worker,
        f64::from(lease_seconds)
    )
    .fetch_optional(pool)
    .await?)
}

/// Records progress and extends the lease; `Stale` if the worker lost the job.
pub async fn progress(
    pool: &PgPool,
    id: Uuid,
    worker: &str,
    done: i32,
    lease_seconds: i32,
) -> Result<()> {
    let n = sqlx::query!(
        r#"update jobs set progress_done = $3, locked_until = now() + make_interval(secs => $4)
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

/// Finishes a job: success, or failure with a message (re-queued while attempts remain).
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
              finished_at = case when $3 or attempts >= max_attempts then now() end,
              run_after = now() + make_interval(secs => 30 * attempts),
              locked_by = null, locked_until = null
            where id = $1 and locked_by = $2 and status = 'running'
        returning id, kind, payload, status, progress_done, progress_total, error, attempts,
                  created_by, created_at, finished_at"#,
        id,
        worker,
        ok,
        message
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::Stale)
}

/// One job.
pub async fn get(pool: &PgPool, id: Uuid) -> Result<Job> {
    sqlx::query_as!(
        Job,
        r#"select id, kind, payload, status, progress_done, progress_total, error, attempts,
                  created_by, created_at, finished_at
             from jobs where id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound { entity: "job" })
}
