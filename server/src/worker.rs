//! The worker loop that `badge-engine serve` runs (unless `WORKER=false`) and that
//! `badge-engine worker` runs on its own: it claims due jobs (bulk awards, imports) and
//! delivers due e-mails from PostgreSQL with `FOR UPDATE SKIP LOCKED`, so any number of
//! workers on any number of machines share the work. A worker that dies leaves leases to
//! expire; the next worker picks the job up and the job's handler resumes where it stopped.

use std::time::Duration;

use engine::Services;
use tokio::sync::watch;

/// How long an idle worker waits before looking for work again.
const IDLE: Duration = Duration::from_millis(500);
/// E-mails delivered per round.
const EMAILS_PER_ROUND: i64 = 25;

/// A unique name for this worker (host, process, random), shown on the Jobs page.
pub fn worker_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    format!(
        "{host}:{}:{}",
        std::process::id(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    )
}

/// Runs until `stop` turns true; finishes the job at hand first.
pub async fn run(services: Services, lease_seconds: i32, mut stop: watch::Receiver<bool>) {
    let id = worker_id();
    tracing::info!(worker = %id, "worker started");
    let mut last_purge = std::time::Instant::now();
    loop {
        if last_purge.elapsed() > Duration::from_secs(300) {
            last_purge = std::time::Instant::now();
            if let Err(e) = engine::verification::purge_reports(&services.pool).await {
                tracing::warn!(error = %e, "cannot purge old verification reports");
            }
            if let Err(e) = engine::idempotency::purge_expired(&services.pool).await {
                tracing::warn!(error = %e, "cannot purge expired idempotency keys");
            }
            if let Err(e) = engine::import::job::purge_uploads(&services.pool).await {
                tracing::warn!(error = %e, "cannot purge old import uploads");
            }
        }
        if *stop.borrow() {
            break;
        }
        let mut busy = false;
        match engine::job::claim_next(&services.pool, &id, lease_seconds).await {
            Ok(Some(job)) => {
                busy = true;
                run_job(&services, &id, lease_seconds, job).await;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot claim a job"),
        }
        match engine::mail::deliver_due(
            &services.pool,
            &services.mailer,
            &services.kek,
            services.urls(),
            EMAILS_PER_ROUND,
        )
        .await
        {
            Ok(n) => busy |= n > 0,
            Err(e) => tracing::warn!(error = %e, "cannot deliver e-mail"),
        }
        if !busy {
            tokio::select! {
                () = tokio::time::sleep(IDLE) => {}
                _ = stop.changed() => {}
            }
        }
    }
    tracing::info!(worker = %id, "worker stopped");
}

async fn run_job(services: &Services, worker: &str, lease_seconds: i32, job: engine::job::Job) {
    let started = std::time::Instant::now();
    tracing::info!(job = %job.id, kind = %job.kind, attempt = job.attempts, "job started");
    let outcome = match job.kind.as_str() {
        engine::award::bulk::JOB_KIND => {
            engine::award::bulk::run(
                &services.pool,
                services.issuance(),
                &job,
                worker,
                lease_seconds,
            )
            .await
        }
        engine::award::reissue::JOB_KIND => {
            engine::award::reissue::run(
                &services.pool,
                services.issuance(),
                &job,
                worker,
                lease_seconds,
            )
            .await
        }
        engine::import::job::JOB_KIND => {
            engine::import::job::run(&services.pool, &services.kek, &job, worker, lease_seconds)
                .await
        }
        other => Err(engine::Error::invalid(
            "kind",
            format!("no worker knows jobs of kind `{other}`"),
        )),
    };
    let result = outcome.map_err(|e| match e {
        engine::Error::Internal(_) => {
            tracing::error!(job = %job.id, error = %e, "job failed");
            "an internal error stopped the job; see the server log".to_owned()
        }
        other => other.to_string(),
    });
    match engine::job::finish(&services.pool, job.id, worker, result.clone()).await {
        Ok(done) => tracing::info!(
            job = %job.id,
            status = %done.status,
            seconds = started.elapsed().as_secs_f64(),
            error = ?result.err(),
            "job finished"
        ),
        // Cancelled by an admin, or the lease was lost to another worker: theirs now.
        Err(engine::Error::Stale) => {
            tracing::info!(job = %job.id, "job was cancelled or taken over")
        }
        Err(e) => tracing::error!(job = %job.id, error = %e, "cannot record the job's outcome"),
    }
}
