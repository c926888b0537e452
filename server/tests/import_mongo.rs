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

/// Uploads every file of `dir` as the admin Import page does, in chunks of odd sizes.
async fn upload(
    pool: &PgPool,
    dir: &Path,
    settings: engine::import::job::Settings,
) -> anyhow::Result<engine::job::Job> {
    use engine::rbac::can;
    let auth = app_support::admin().require::<can::ImportData>()?;
    let mut up = engine::import::job::begin_upload(pool, &auth, 1 << 30).await?;
    let mut names: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    // Not in load order: the job sorts them.
    names.sort();
    names.reverse();
    for path in names {
        up.start_file(&path.file_name().unwrap().to_string_lossy())
            .await?;
        let bytes = std::fs::read(&path)?;
        for chunk in bytes.chunks(700_001) {
            up.write(chunk).await?;
        }
    }
    Ok(up.finish(&auth, settings).await?)
}

/// Runs a real worker until the job is done.
async fn work_off(pool: &PgPool, id: uuid::Uuid) -> anyhow::Result<engine::job::Job> {
    let state = app_support::state(pool, app_support::BASE, &[]).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(server::worker::run(state.services.clone(), 30, stopped));
    let auth = app_support::admin().require::<engine::rbac::can::ImportData>()?;
    let started = Instant::now();
    let job = loop {
        let j = engine::import::job::get(pool, &auth, id).await?;
        if !matches!(j.job.status.as_str(), "queued" | "running") {
            break j.job;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the job finishes"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    stop.send(true)?;
    worker.await?;
    Ok(job)
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn the_import_page_job_dry_runs_then_imports_the_uploaded_files(
    pool: PgPool,
) -> anyhow::Result<()> {
    use engine::import::job::{self, Settings};
    use engine::rbac::can;
    let auth = app_support::admin().require::<can::ImportData>()?;
    let dir = tempdir("job");
    let _ = std::fs::remove_dir_all(&dir);
    let mut spec = Spec::small(Layout::Array, Mode::Canonical);
    spec.bad_records = true;
    let f = fixtures::write(&dir, &spec)?;

    // A mistake in the upload keeps nothing of it.
    let mut up = job::begin_upload(&pool, &auth, 1 << 30).await?;
    up.start_file("users.json").await?;
    up.write(b"{}").await?;
    let e = up.start_file("people.csv").await.err().unwrap().to_string();
    assert!(
        e.contains("people.csv") && e.contains("Profile.json"),
        "{e}"
    );
    drop(up);
    let mut up = job::begin_upload(&pool, &auth, 10).await?;
    up.start_file("users.json").await?;
    let e = up.write(&[b' '; 11]).await.err().unwrap().to_string();
    assert!(e.contains("badge-engine import-mongo"), "{e}");
    drop(up);
    let mut up = job::begin_upload(&pool, &auth, 1 << 30).await?;
    up.start_file("users.json").await?;
    let e = up
        .finish(&auth, Settings::default())
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("`users.json` is empty"), "{e}");
    assert_eq!(count(&pool, "import_uploads").await, 0);

    // A dry run reports and writes nothing; its files stay for the real run.
    let queued = upload(
        &pool,
        &dir,
        Settings {
            dry_run: true,
            strict: false,
        },
    )
    .await?;
    let total = queued.progress_total.unwrap();
    let done = work_off(&pool, queued.id).await?;
    assert_eq!(done.status, "succeeded", "{:?}", done.error);
    assert_eq!(done.progress_done, total, "progress reaches the total");
    assert_eq!(count(&pool, "users").await, 0);
    let dry = job::get(&pool, &auth, queued.id).await?;
    assert!(dry.upload_kept);
    let report = dry.report.clone().unwrap();
    assert_eq!(report["dry_run"], true);
    // The page keeps the default 16 MiB document limit, as the CLI does.
    assert_eq!(dry.rejects_total, f.bad_records as u64 - 1);
    assert!(
        dry.rejects
            .iter()
            .all(|r| r.file.ends_with(".json") && r.line > 0)
    );
    assert!(dry.rejects.iter().any(|r| r.file == "users.json"));
    let names: Vec<_> = dry.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names.first(), Some(&"users.json"), "load order: {names:?}");

    // For real, from the stored files.
    let again = job::start_again(&pool, &auth, queued.id, Settings::default()).await?;
    let done = work_off(&pool, again.id).await?;
    assert_eq!(done.status, "succeeded", "{:?}", done.error);
    let real = job::get(&pool, &auth, again.id).await?;
    assert!(!real.upload_kept, "the files are dropped once imported");
    let report = real.report.unwrap();
    assert!(
        report["foreign_keys"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["orphans"] == 0)
    );
    assert_eq!(count(&pool, "credentials").await, f.credentials as i64);
    // The fixtures' 100 KB user fits the page's 16 MiB document limit and is imported.
    assert_eq!(count(&pool, "users").await, f.users as i64 + 1);
    assert_eq!(count(&pool, "import_uploads").await, 0);
    let e = job::start_again(&pool, &auth, again.id, Settings::default())
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("upload them again"), "{e}");
    let recent = job::recent(&pool, &auth, 10).await?;
    assert_eq!(recent.len(), 2);
    Ok(())
}
