//! Badge Engine's domain services and persistence: PostgreSQL repositories (sqlx), awarding,
//! revocation, provisioning, role-based access control, background jobs and Redis caching.
//! It knows nothing of HTTP or UI; `server` and `app` call into it, and it calls `openbadges`.
//!
//! Shape: free functions per domain module taking `&PgPool` (and a [`cache::Cache`] where a
//! write must invalidate a cached public read). Admin changes demand an
//! [`rbac::Authorized`] capability, obtainable only from [`rbac::Principal::require`] (or a
//! SCIM token), so a missing permission check is a compile error; the capability also names
//! the actor for the [`audit`] row written in the same transaction. Every function returns
//! [`Error`], whose variants say what a caller can show (never a raw database message).
//!
//! Crates and why: `sqlx` (compile-time checked SQL against the real schema, offline metadata
//! in `.sqlx/`), `fred` (async Redis with reconnects and per-command timeouts, so a dead
//! Redis costs milliseconds), `aes-gcm` (authenticated encryption of signing keys at rest,
//! see [`signing_key`] for key rotation), `ed25519-dalek` (key generation; the same version
//! `openbadges` signs with), `sha2` (hashes of bearer secrets, key fingerprints),
//! `thiserror` (one typed [`Error`]).
//!
//! Ids are UUIDv7 generated here (`Uuid::now_v7()`), timestamps are `timestamptz` (UTC).
//! Optimistic concurrency: rows two admins can edit carry a `version`; updates take the
//! version the caller read and fail with [`Error::Stale`] if it moved on.
//!
//! Wiring (what the server does once at start-up): open the pool with
//! [`connection_options`]; run [`MIGRATOR`]; parse
//! `KEY_ENCRYPTION_KEY` with [`signing_key::KeyEncryptionKey::parse`] (refuse to start without
//! it in production); [`cache::Cache::connect`] (or [`cache::Cache::disabled`]); build a
//! [`signer::OpenBadgesSigner`] from `PUBLIC_BASE_URL` and serve the URLs it documents
//! (achievements, and status lists via [`signer::signed_status_list`]); call [`seed::demo`].

mod access_token;
pub mod achievement;
pub mod artwork;
pub mod audit;
pub mod award;
pub mod cache;
pub mod client_app;
pub mod earner;
pub mod error;
pub mod group;
pub mod i18n;
pub mod idempotency;
pub mod image;
pub mod import;
pub mod issuer;
pub mod job;
pub mod mail;
pub mod markdown;
pub mod page;
pub mod public_url;
pub mod rbac;
pub mod role;
pub mod scim;
pub mod scim_token;
mod secret;
pub mod seed;
pub mod services;
pub mod session;
pub mod signed_link;
pub mod signer;
pub mod signing_key;
pub mod stats;
pub mod status_list;
pub mod user;
pub mod verification;
pub mod wallet;

pub use error::{Error, Result};
pub use services::Services;

/// Embedded SQL migrations from the workspace's `migrations/` folder.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Connection settings every pool the engine runs on should have (the server's and the
/// benchmarks'); `url` is a `postgres://` URL.
///
/// `plan_cache_mode = force_custom_plan`: sqlx prepares every statement, and after five runs
/// PostgreSQL may switch a prepared statement to a cached *generic* plan that never sees the
/// parameters and is not re-made until the table is next analysed. A plan made while `users`
/// was still empty walked a whole partial index for every SCIM `userName eq` lookup, so
/// provisioning got slower with each user (10,000 users: 3 ms per lookup, 800 req/s overall;
/// with custom plans 0.05 ms and 2,600 req/s — `docs/benchmarks.md`, scim). Planning each
/// statement costs a few tens of microseconds.
pub fn connection_options(
    url: &str,
) -> std::result::Result<sqlx::postgres::PgConnectOptions, sqlx::Error> {
    use std::str::FromStr;
    Ok(sqlx::postgres::PgConnectOptions::from_str(url)?
        .options([("plan_cache_mode", "force_custom_plan")]))
}
