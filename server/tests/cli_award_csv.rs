//! `badge-engine award-csv` with the built binary against a real database: a file with
//! mistakes is refused with rows and columns and issues nothing; a good file is issued by the
//! worker the command starts; the same file again skips every row.

use std::process::{Command, Output};

use engine::rbac::Principal;
use server::config::Config;
use sqlx::PgPool;

const BASE: &str = "http://127.0.0.1:3000";

fn database_url(pool: &PgPool) -> String {
    let db = pool
        .connect_options()
        .get_database()
        .unwrap_or("postgres")
        .to_owned();
    format!("postgres://postgres@127.0.0.1:5432/{db}")
}

fn award_csv(url: &str, outbox: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_badge-engine"))
        .arg("award-csv")
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", url)
        .env("REDIS_URL", "redis://127.0.0.1:6379")
        .env("PUBLIC_BASE_URL", BASE)
        .env("APP_ENV", "development")
        .env("OUTBOX_DIR", outbox)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run badge-engine award-csv")
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn award_csv_checks_issues_and_skips_repeats(pool: PgPool) -> anyhow::Result<()> {
    let url = database_url(&pool);
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(url.clone()),
        "REDIS_URL" => Some("redis://127.0.0.1:6379".into()),
        "PUBLIC_BASE_URL" => Some(BASE.into()),
        "APP_ENV" => Some("development".into()),
        _ => None,
    })?;
    let state = server::startup::build_state(config).await?;
    let s = &state.services;
    let admin = Principal::bypass_for_system_task("test");
    let issuer = engine::issuer::create(
        &pool,
        &admin.require()?,
        &s.kek,
        s.signer.urls(),
        &engine::issuer::IssuerInput {
            name: "CLI Academy".into(),
            ..Default::default()
        },
        engine::issuer::DidMethod::Key,
    )
    .await?;
    let achievement = engine::achievement::create(
        &pool,
        &admin.require()?,
        issuer.id,
        &engine::achievement::AchievementInput {
            name: "Terminal".into(),
            description: "Awarded from a terminal.".into(),
            criteria_narrative: Some("Run the command.".into()),
            ..Default::default()
        },
        engine::achievement::Status::Active,
    )
    .await?;
    let dir = std::env::temp_dir().join(format!("be-award-csv-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let id = achievement.id.to_string();

    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "name,email\nAda,ada@example.org\nBob,not-an-address\n",
    )?;
    let out = award_csv(
        &url,
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
        &url,
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
        &url,
        &dir,
        &["--achievement", &id, "--file", &good.to_string_lossy()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("0 issued, 250 skipped"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
