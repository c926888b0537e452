//! The job queue: claim with leases, progress, retries with backoff, dead letter, cancel and
//! retry by an admin; seeding and migrations are re-runnable.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod common;

use common::admin;
use engine::audit::Actor;
use engine::page::PageRequest;
use engine::rbac::can;
use engine::signing_key::KeyEncryptionKey;
use engine::{Error, job, seed, stats};
use sqlx::PgPool;

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn jobs_claim_progress_retry_and_dead_letter(pool: PgPool) -> anyhow::Result<()> {
    let actor = Actor::system("test");
    let j = job::enqueue(
        &pool,
        &actor,
        "bulk_award",
        &serde_json::json!({ "n": 3 }),
        Some(3),
    )
    .await?;
    assert_eq!(j.status, "queued");
    let claimed = job::claim_next(&pool, "w1", 60).await?.expect("job");
    assert_eq!((claimed.id, claimed.attempts), (j.id, 1));
    assert!(
        job::claim_next(&pool, "w2", 60).await?.is_none(),
        "leased to w1"
    );
    job::progress(&pool, j.id, "w1", 2, 60).await?;
    assert!(matches!(
        job::progress(&pool, j.id, "w2", 3, 60).await,
        Err(Error::Stale)
    ));
    let failed = job::finish(&pool, j.id, "w1", Err("smtp down".into())).await?;
    assert_eq!(
        (failed.status.as_str(), failed.error.as_deref()),
        ("queued", Some("smtp down"))
    );
    assert!(
        failed.run_after > chrono::Utc::now(),
        "backoff before the next attempt"
    );
    // An expired lease lets another worker take the job over (a crashed worker).
    sqlx::query!("update jobs set run_after = now() where id = $1", j.id)
        .execute(&pool)
        .await?;
    job::claim_next(&pool, "w2", 60).await?.expect("retry");
    sqlx::query!(
        "update jobs set locked_until = now() - interval '1 second' where id = $1",
        j.id
    )
    .execute(&pool)
    .await?;
    let taken = job::claim_next(&pool, "w3", 60).await?.expect("taken over");
    assert_eq!(
        (taken.attempts, taken.locked_by.as_deref()),
        (3, Some("w3"))
    );
    let dead = job::finish(&pool, j.id, "w3", Err("still down".into())).await?;
    assert_eq!(
        dead.status, "failed",
        "dead-lettered after the last attempt"
    );
    let view = admin().require::<can::ViewAdmin>()?;
    let failed_jobs = job::list(&pool, &view, Some("failed"), PageRequest::default()).await?;
    assert_eq!(failed_jobs.total, 1);
    let manage = admin().require::<can::ManageJobs>()?;
    let retried = job::retry(&pool, &manage, j.id).await?;
    assert_eq!((retried.status.as_str(), retried.attempts), ("queued", 0));
    let cancelled = job::cancel(&pool, &manage, j.id).await?;
    assert_eq!(cancelled.status, "cancelled");
    assert!(job::is_cancelled(&pool, j.id).await?);
    assert!(matches!(
        job::cancel(&pool, &manage, j.id).await,
        Err(Error::Invalid { .. })
    ));
    let done = job::enqueue(&pool, &actor, "bulk_award", &serde_json::json!({}), None).await?;
    job::claim_next(&pool, "w", 60).await?.expect("job");
    let ok = job::finish(&pool, done.id, "w", Ok(())).await?;
    assert_eq!(ok.status, "succeeded");
    assert!(ok.finished_at.is_some());
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn seed_is_idempotent_and_stats_count(pool: PgPool) -> anyhow::Result<()> {
    let kek = KeyEncryptionKey::generate();
    let first = seed::demo(&pool, &kek).await?;
    assert!(first.issuer_created && first.key_created && first.achievement_created);
    let again = seed::demo(&pool, &kek).await?;
    assert_eq!(again, seed::SeedReport::default());
    let (a, b) = tokio::join!(seed::demo(&pool, &kek), seed::demo(&pool, &kek));
    a?;
    b?;
    let s = stats::overview(&pool).await?;
    assert_eq!((s.issuers, s.achievements, s.credentials), (1, 1, 0));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn migrations_are_rerunnable(pool: PgPool) -> anyhow::Result<()> {
    engine::MIGRATOR.run(&pool).await?;
    engine::MIGRATOR.run(&pool).await?;
    assert_eq!(
        engine::role::list(&pool, &admin().require()?).await?.len(),
        4
    );
    Ok(())
}
