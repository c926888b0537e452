//! `badge-engine award-csv` with the built binary against a real database: a file with
//! mistakes is refused with rows and columns and issues nothing; a good file is issued by the
//! worker the command starts; the same file again skips every row.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod app_support;

use std::process::Output;

use engine::issuer::DidMethod;
use sqlx::PgPool;

fn award_csv(pool: &PgPool, outbox: &std::path::Path, args: &[&str]) -> Output {
    app_support::badge_engine(
        pool,
        &[("OUTBOX_DIR", outbox.to_string_lossy().into_owned())],
    )
    .arg("award-csv")
    .args(args)
    .output()
    .expect("run badge-engine award-csv")
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn award_csv_checks_issues_and_skips_repeats(pool: PgPool) -> anyhow::Result<()> {
    // Built like the command's own state, so both seal and open keys with the same key.
    let state = app_support::state(&pool, app_support::BASE, &[]).await;
    let (_, achievement) = app_support::issuer_with_achievement(
        &state,
        "CLI Academy",
        DidMethod::Key,
        None,
        "Terminal",
    )
    .await;
    let dir = std::env::temp_dir().join(format!("be-award-csv-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let id = achievement.id.to_string();

    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "name,email\nAda,ada@example.org\nBob,not-an-address\n",
    )?;
    let out = award_csv(
        &pool,
        &dir,
        &["--achievement", &id, "--file", &bad.to_string_lossy()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("row 3, column 2"), "{stderr}");
    assert!(stderr.contains("nothing was awarded"), "{stderr}");

    let good = dir.join("good.csv");
    let mut rows = String::from("name,email\n");
    for i in 0..250 {
        rows.push_str(&format!("Person {i},person{i}@example.org\n"));
    }
    std::fs::write(&good, rows)?;
    let out = award_csv(
        &pool,
        &dir,
        &["--achievement", &id, "--file", &good.to_string_lossy()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("succeeded: 250 issued, 0 skipped"),
        "{stdout}"
    );
    let issued: i64 =
        sqlx::query_scalar("select count(*) from credentials where achievement_id = $1")
            .bind(achievement.id)
            .fetch_one(&pool)
            .await?;
    assert_eq!(issued, 250);

    let out = award_csv(
        &pool,
        &dir,
        &["--achievement", &id, "--file", &good.to_string_lossy()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("0 issued, 250 skipped"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
