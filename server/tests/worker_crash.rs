//! Jobs survive a crash: a real `badge-engine worker` process is killed with SIGKILL in the
//! middle of a bulk award, a second one is started, and the award finishes with every row
//! issued exactly once — each credential with its status entries, audit row and one e-mail.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

mod app_support;

use app_support::admin;
use engine::award::bulk;
use engine::issuer::DidMethod;
use engine::rbac::can;
use sqlx::PgPool;

const ROWS: usize = 4_000;

/// A worker process, killed and reaped when dropped (so a failing test leaves none behind).
struct Worker(Child);

impl Worker {
    /// SIGKILL: no shutdown, no cleanup.
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }

    fn running(&mut self) -> bool {
        matches!(self.0.try_wait(), Ok(None))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.kill();
    }
}

fn worker(pool: &PgPool, outbox: &std::path::Path) -> Worker {
    Worker(
        app_support::badge_engine(
            pool,
            &[
                ("OUTBOX_DIR", outbox.to_string_lossy().into_owned()),
                // A short lease, so the second worker takes the dead one's job over quickly.
                ("JOB_LEASE_SECONDS", "2".into()),
            ],
        )
        .arg("worker")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start badge-engine worker"),
    )
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn a_killed_worker_loses_nothing_and_issues_nothing_twice(
    pool: PgPool,
) -> anyhow::Result<()> {
    // The same configuration as the worker's, so the issuer's key is sealed with the same
    // (development) key-encryption key the worker opens it with.
    let state = app_support::state(&pool, app_support::BASE, &[]).await;
    let (_, achievement) = app_support::issuer_with_achievement(
        &state,
        "Crash Academy",
        DidMethod::Key,
        None,
        "Survivor",
    )
    .await;
    let admin = admin();
    let mut file = String::from("name,email\n");
    for i in 0..ROWS {
        file.push_str(&format!("Person {i},person{i}@example.org\n"));
    }
    let award = admin.require::<can::Award>()?;
    let checked = bulk::check_file(
        &pool,
        &award,
        achievement.id,
        "crash.csv",
        file.as_bytes(),
        false,
    )
    .await?;
    assert!(checked.errors.is_empty(), "{:?}", checked.errors);
    let bulk_id = checked.bulk_award.expect("validated").id;
    bulk::confirm(&pool, &award, bulk_id).await?;

    let outbox = std::env::temp_dir().join(format!("be-worker-crash-{}", uuid::Uuid::new_v4()));
    let view = admin.require::<can::ViewAdmin>()?;
    let mut first = worker(&pool, &outbox);
    let deadline = Instant::now() + Duration::from_secs(120);
    let at_kill = loop {
        let b = bulk::get(&pool, &view, bulk_id).await?;
        if b.issued >= 300 {
            break b;
        }
        assert!(
            Instant::now() < deadline,
            "the worker issued nothing: {b:?}"
        );
        assert!(first.running(), "the worker exited early");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    first.kill(); // mid-batch
    let after_kill = bulk::get(&pool, &view, bulk_id).await?;
    assert!(
        after_kill.done() < ROWS as i32,
        "the award finished before the kill ({} rows done); the test needs more rows",
        after_kill.done()
    );
    assert_ne!(after_kill.status, "succeeded");

    let mut second = worker(&pool, &outbox);
    let done = loop {
        let b = bulk::get(&pool, &view, bulk_id).await?;
        if b.status == "succeeded" {
            break b;
        }
        assert!(
            Instant::now() < deadline,
            "the second worker did not finish: {b:?}"
        );
        assert!(second.running(), "the second worker exited early");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    second.kill();
    let _ = std::fs::remove_dir_all(&outbox);

    assert_eq!(done.failed, 0);
    assert_eq!(done.done(), ROWS as i32, "{done:?}");
    let counts: (i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        r#"select count(*),
                  count(distinct recipient_email),
                  count(distinct (status_list_id, status_list_index)),
                  count(distinct (suspension_list_id, suspension_list_index)),
                  (select count(*) from emails e join credentials c2 on c2.id = e.credential_id
                    where c2.bulk_award_id = $1),
                  (select count(distinct e.credential_id) from emails e
                     join credentials c3 on c3.id = e.credential_id
                    where c3.bulk_award_id = $1),
                  (select count(*) from audit_log where action = 'credential.award')
             from credentials c where c.bulk_award_id = $1"#,
    )
    .bind(bulk_id)
    .fetch_one(&pool)
    .await?;
    let n = ROWS as i64;
    assert_eq!(
        counts,
        (n, n, n, n, n, n, n),
        "credentials, people, revocation and suspension entries, e-mails, e-mailed, audit rows \
         (killed after {} issued)",
        at_kill.issued
    );
    Ok(())
}
