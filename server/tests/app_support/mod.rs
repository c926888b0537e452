//! Shared by the tests that drive the whole app or the built binary against a test's own
//! database: its URL, the app state built from the same configuration a process would read,
//! and an issuer with an active achievement to award.
#![allow(dead_code)]

use engine::achievement::{self, Achievement, AchievementInput};
use engine::issuer::{self, DidMethod, Issuer, IssuerInput};
use engine::rbac::Principal;
use server::config::Config;
use server::state::AppState;
use sqlx::PgPool;

/// The public base URL unless a test needs another.
pub const BASE: &str = "http://127.0.0.1:3000";

/// The URL of the test's database, for configuration and child processes.
pub fn database_url(pool: &PgPool) -> String {
    let db = pool
        .connect_options()
        .get_database()
        .unwrap_or("postgres")
        .to_owned();
    format!("postgres://postgres@127.0.0.1:5432/{db}")
}

/// Variables every test process gets: the test's database, local Redis, development mode.
pub fn env(pool: &PgPool, base: &str) -> Vec<(&'static str, String)> {
    vec![
        ("DATABASE_URL", database_url(pool)),
        ("REDIS_URL", "redis://127.0.0.1:6379".into()),
        ("PUBLIC_BASE_URL", base.into()),
        ("APP_ENV", "development".into()),
    ]
}

/// The state `badge-engine serve` would build from [`env`] plus `extra` (which wins). The
/// development key-encryption key is the one a child process started with [`env`] uses too.
pub async fn state(pool: &PgPool, base: &str, extra: &[(&'static str, String)]) -> AppState {
    let vars: Vec<(&'static str, String)> = env(pool, base)
        .into_iter()
        .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
        .chain(extra.iter().cloned())
        .collect();
    let config = Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .expect("config");
    server::startup::build_state(config).await.expect("state")
}

/// Everything allowed, acting as `test`.
pub fn admin() -> Principal {
    Principal::bypass_for_system_task("test")
}

/// An issuer called `name` (with `image`, if given) and an active achievement `achievement`.
pub async fn issuer_with_achievement(
    state: &AppState,
    name: &str,
    method: DidMethod,
    image: Option<String>,
    achievement: &str,
) -> (Issuer, Achievement) {
    let s = &state.services;
    let issuer = issuer::create(
        &s.pool,
        &admin().require().expect("capability"),
        &s.kek,
        s.signer.urls(),
        &IssuerInput {
            name: name.into(),
            url: Some("https://example.org".into()),
            image,
            ..Default::default()
        },
        method,
    )
    .await
    .expect("issuer");
    let achievement = achievement::create(
        &s.pool,
        &admin().require().expect("capability"),
        issuer.id,
        &AchievementInput {
            name: achievement.into(),
            description: format!("Awarded for {achievement}."),
            criteria_narrative: Some("Meet the criteria.".into()),
            ..Default::default()
        },
        achievement::Status::Active,
    )
    .await
    .expect("achievement");
    (issuer, achievement)
}

/// One award of `achievement` to `name` <`email`>, issued as the system would.
pub async fn award(
    state: &AppState,
    achievement: uuid::Uuid,
    name: &str,
    email: &str,
) -> engine::award::Credential {
    let s = &state.services;
    let (_, credential) = engine::award::issue(
        &s.pool,
        &admin().require().expect("capability"),
        s.issuance(),
        &engine::award::NewAward {
            achievement_id: achievement,
            recipient_name: name.into(),
            recipient_email: email.into(),
            ..Default::default()
        },
    )
    .await
    .expect("award");
    credential
}

/// An active account for the earner `email`, as a first sign-in would make it.
pub async fn earner(state: &AppState, email: &str, name: &str) -> engine::user::User {
    engine::user::create(
        &state.services.pool,
        &admin().require().expect("capability"),
        &engine::user::UserInput {
            username: email.into(),
            email: Some(email.into()),
            display_name: Some(name.into()),
            active: true,
            ..Default::default()
        },
    )
    .await
    .expect("earner account")
}

/// The id of a new active account with e-mail `email` (an admin or a client app's owner).
pub async fn earner_in(pool: &PgPool, email: &str) -> uuid::Uuid {
    engine::user::create(
        pool,
        &admin().require().expect("capability"),
        &engine::user::UserInput {
            username: email.into(),
            email: Some(email.into()),
            active: true,
            ..Default::default()
        },
    )
    .await
    .expect("account")
    .id
}

/// The built `badge-engine` with only [`env`] (plus `extra`, which wins) in its environment.
pub fn badge_engine(pool: &PgPool, extra: &[(&'static str, String)]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_badge-engine"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn");
    for (k, v) in env(pool, BASE).into_iter().chain(extra.iter().cloned()) {
        command.env(k, v);
    }
    command
}

/// The sign-in links mailed to `outbox` so far (due mail is delivered first).
pub async fn mailed_sign_in_links(state: &AppState, outbox: &std::path::Path) -> Vec<String> {
    let s = &state.services;
    engine::mail::deliver_due(&s.pool, &s.mailer, &s.kek, s.signer.urls(), 50)
        .await
        .expect("deliver");
    let mut links = Vec::new();
    for entry in std::fs::read_dir(outbox).into_iter().flatten().flatten() {
        let raw = std::fs::read(entry.path()).expect("read .eml");
        let message = mail_parser::MessageParser::default()
            .parse(&raw)
            .expect("a MIME message");
        let text = message.body_text(0).unwrap_or_default().into_owned();
        links.extend(
            text.split_whitespace()
                .filter(|w| w.contains("/auth/email/"))
                .map(str::to_owned),
        );
    }
    links
}

/// Signs `email` (an address with a badge) in through its mailed link, as an earner outside
/// the tenant does; the link's answer (303 with the session cookie).
pub async fn sign_in_with_mailed_link(
    state: &AppState,
    app: &axum::Router,
    outbox: &std::path::Path,
    email: &str,
    next: &str,
) -> http::Response<axum::body::Body> {
    use tower::ServiceExt;
    let s = &state.services;
    engine::earner::request_sign_in_link(
        &s.pool,
        &s.kek,
        s.signer.urls(),
        email,
        next,
        Default::default(),
    )
    .await
    .expect("link");
    let links = mailed_sign_in_links(state, outbox).await;
    assert_eq!(links.len(), 1, "{links:?}");
    let base = state.config.public_base_url.as_str().trim_end_matches('/');
    let path = links[0].strip_prefix(base).expect("an own URL").to_owned();
    app.clone()
        .oneshot(
            http::Request::get(path)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("response")
}

/// A page as the browser would read it: status, headers, and the body decoded.
pub struct Answer {
    /// Status.
    pub status: http::StatusCode,
    /// Headers.
    pub headers: http::HeaderMap,
    /// Body, decompressed when the app compressed it.
    pub html: String,
}

/// GETs `path` as a browser asks for a page (`Accept: text/html`), with extra `headers`.
pub async fn get(app: &axum::Router, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = http::Request::get(path).header(http::header::ACCEPT, "text/html");
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = tower::ServiceExt::oneshot(
        app.clone(),
        request.body(axum::body::Body::empty()).expect("request"),
    )
    .await
    .expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 16 << 20)
        .await
        .expect("body");
    let raw = match headers
        .get(http::header::CONTENT_ENCODING)
        .map(|v| v.as_bytes())
    {
        Some(b"br") => {
            let mut out = Vec::new();
            brotli::BrotliDecompress(&mut &bytes[..], &mut out).expect("valid brotli");
            out
        }
        Some(b"gzip") => {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
                .expect("valid gzip");
            out
        }
        _ => bytes.to_vec(),
    };
    Answer {
        status,
        headers,
        html: String::from_utf8(raw).expect("utf-8"),
    }
}
