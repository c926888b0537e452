//! `badge-engine import-mongo` with the built binary against real PostgreSQL: the summary,
//! rejects, `--strict`, `--dry-run`, and a resume after the process is killed mid-import.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod app_support;
#[path = "../../engine/tests/support/mongo_fixtures.rs"]
mod fixtures;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use app_support::database_url;
use fixtures::{Layout, Mode, Spec};
use sqlx::PgPool;

fn command(pool: &PgPool, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_badge-engine"));
    cmd.arg("import-mongo")
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url(pool))
        .env("KEY_ENCRYPTION_KEY", "ab".repeat(32))
        .current_dir(std::env::temp_dir());
    cmd
}

fn run(pool: &PgPool, args: &[&str]) -> Output {
    command(pool, args).output().expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn tempdir(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("be-cli-import-{name}-{}", std::process::id()))
}

async fn count(pool: &PgPool, table: &str) -> i64 {
    // Test-only dynamic SQL over our own table names.
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
        .fetch_one(pool)
        .await
        .unwrap_or(-1)
}

fn arg(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn summary_rejects_strict_and_dry_run(pool: PgPool) -> anyhow::Result<()> {
    let dir = tempdir("summary");
    let _ = std::fs::remove_dir_all(&dir);
    let mut spec = Spec::small(Layout::Lines, Mode::Relaxed);
    spec.bad_records = true;
    // The CLI keeps the default 16 MiB document limit: the oversized fixture passes it.
    let f = fixtures::write(&dir, &spec)?;
    let rejects = dir.join("rejects.jsonl");

    let out = run(&pool, &["--from", &arg(&dir), "--strict"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("users.json:") && err.contains("strict mode: nothing was imported"),
        "{err}"
    );
    assert_eq!(count(&pool, "credentials").await, 0);

    let out = run(&pool, &["--from", &arg(&dir), "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("dry run: nothing was written"));
    assert_eq!(count(&pool, "users").await, 0);

    let out = run(&pool, &["--from", &arg(&dir), "--rejects", &arg(&rejects)]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("foreign keys:") && stdout.contains("no orphans"),
        "{stdout}"
    );
    assert!(!stdout.contains("MISMATCH"), "{stdout}");
    let lines = std::fs::read_to_string(&rejects)?.lines().count();
    assert_eq!(
        lines,
        f.bad_records - 1,
        "the oversized record fits the CLI's default limit"
    );
    assert_eq!(count(&pool, "credentials").await, f.credentials as i64);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn a_killed_import_resumes_and_a_third_run_changes_nothing(
    pool: PgPool,
) -> anyhow::Result<()> {
    let dir = tempdir("resume");
    let _ = std::fs::remove_dir_all(&dir);
    let f = fixtures::write(
        &dir,
        &Spec {
            users: 60_000,
            roles_per_user: 3,
            credentials: 40_000,
            signed: 4,
            layout: Layout::Lines,
            mode: Mode::Canonical,
            bad_records: false,
        },
    )?;
    let mut child = command(&pool, &["--from", &arg(&dir)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Kill it once the users are committed, while later collections are still loading.
    let started = Instant::now();
    loop {
        let users: i64 =
            sqlx::query_scalar("select count(*) from legacy_ids where collection = 'users'")
                .fetch_one(&pool)
                .await?;
        if users > 0 || started.elapsed() > Duration::from_secs(120) {
            break;
        }
        if let Some(status) = child.try_wait()? {
            panic!("the import finished ({status}) before it could be interrupted");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill()?;
    child.wait()?;
    let users_after_kill = count(&pool, "users").await;
    let credentials_after_kill = count(&pool, "credentials").await;
    assert_eq!(
        users_after_kill, f.users as i64,
        "the users' transaction was committed"
    );
    assert!(
        credentials_after_kill < f.credentials as i64,
        "the kill came before the credentials"
    );

    let out = run(&pool, &["--from", &arg(&dir)]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(!stdout.contains("MISMATCH"), "{stdout}");
    assert_eq!(count(&pool, "users").await, f.users as i64);
    assert_eq!(count(&pool, "user_roles").await, f.role_links as i64);
    assert_eq!(count(&pool, "credentials").await, f.credentials as i64);

    let out = run(&pool, &["--from", &arg(&dir)]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    // Every table row of the summary says 0 inserted.
    for line in stdout.lines().filter(|l| l.ends_with("  ok")) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let inserted = cols.get(cols.len().saturating_sub(3)).copied();
        assert_eq!(inserted, Some("0"), "{line}");
    }
    Ok(())
}
