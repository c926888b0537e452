//! Start-up failures seen by an operator: each is one clear line on stderr, a non-zero exit and
//! no panic backtrace. Runs the real `badge-engine` binary against real PostgreSQL and Redis.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod app_support;

use std::net::TcpListener;
use std::process::{Command, Output};

use app_support::database_url;
use sqlx::PgPool;

fn badge_engine(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_badge-engine"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    // `.env` in the working directory must not leak into these tests.
    cmd.current_dir(std::env::temp_dir());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn assert_one_clear_line(out: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should fail; stderr: {stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "exactly one error line, got: {stderr}");
    assert!(
        errors[0].contains(expected),
        "{:?} should contain {expected:?}",
        errors[0]
    );
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
    assert!(
        !stderr.contains("RUST_BACKTRACE"),
        "no backtrace hint: {stderr}"
    );
}

fn closed_port() -> u16 {
    // Bind then drop: the port is free and nothing listens on it.
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[test]
fn missing_database_url_is_named() {
    let out = badge_engine(&["serve"], &[]);
    assert_one_clear_line(&out, "DATABASE_URL is missing");
}

#[test]
fn malformed_variable_is_named() {
    let out = badge_engine(
        &["serve"],
        &[
            ("DATABASE_URL", "postgres://x/db"),
            ("BIND_ADDR", "nonsense"),
        ],
    );
    assert_one_clear_line(&out, "BIND_ADDR is malformed");
}

#[test]
fn postgres_down_is_one_line() {
    let url = format!("postgres://postgres:secret@127.0.0.1:{}/db", closed_port());
    let out = badge_engine(&["serve"], &[("DATABASE_URL", &url)]);
    assert_one_clear_line(&out, "cannot connect to PostgreSQL");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("secret"),
        "password is redacted"
    );
}

#[test]
fn unknown_database_is_one_line() {
    let out = badge_engine(
        &["migrate"],
        &[(
            "DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/no_such_db_here",
        )],
    );
    assert_one_clear_line(&out, "no_such_db_here");
}

#[sqlx::test(migrations = false)]
async fn redis_down_is_one_line(pool: PgPool) {
    let redis = format!("redis://127.0.0.1:{}", closed_port());
    let out = badge_engine(
        &["serve"],
        &[
            ("DATABASE_URL", &database_url(&pool)),
            ("REDIS_URL", &redis),
        ],
    );
    assert_one_clear_line(&out, "cannot connect to Redis");
}

#[sqlx::test(migrations = false)]
async fn port_in_use_is_one_line(pool: PgPool) {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let out = badge_engine(
        &["serve"],
        &[
            ("DATABASE_URL", &database_url(&pool)),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
            ("BIND_ADDR", &addr),
        ],
    );
    assert_one_clear_line(&out, &format!("cannot listen on {addr}"));
}

#[sqlx::test(migrations = false)]
async fn migrate_is_repeatable_and_seed_is_idempotent(pool: PgPool) {
    let url = database_url(&pool);
    for _ in 0..2 {
        let out = badge_engine(&["migrate"], &[("DATABASE_URL", &url)]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = badge_engine(&["seed-demo"], &[("DATABASE_URL", &url)]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let overview = engine::stats::overview(&pool).await.expect("counts");
    assert_eq!((overview.issuers, overview.achievements), (1, 1));
}

#[sqlx::test(migrations = false)]
async fn blank_scim_token_name_is_the_command_error(pool: PgPool) {
    let out = badge_engine(
        &["scim-token", "create", "  "],
        &[("DATABASE_URL", &database_url(&pool))],
    );
    assert_one_clear_line(&out, "the token name must not be blank");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The command's own message, not one borrowed from another failure (`seed-demo`).
    assert!(
        stderr
            .lines()
            .any(|l| l == "error: the token name must not be blank"),
        "{stderr}"
    );
    assert!(!stderr.contains("seed demo data"), "{stderr}");
}
