//! The shared state every request handler can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

use crate::config::Config;
use crate::session::SessionBackend;

/// Connections and configuration shared by all handlers. One `Arc`: every middleware and
/// handler that takes `State<AppState>` clones it per request, and cloning the fields one by
/// one (pools, signer, Leptos options: dozens of reference counts) was half the CPU time of a
/// cached page.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl AppState {
    /// Wraps the parts.
    pub fn new(inner: AppStateInner) -> AppState {
        AppState(Arc::new(inner))
    }
}

impl std::ops::Deref for AppState {
    type Target = AppStateInner;
    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct AppStateInner {
    /// PostgreSQL pool.
    pub db: PgPool,
    /// Redis pool, when configured.
    pub redis: Option<fred::clients::Pool>,
    /// Where session payloads live.
    pub sessions: SessionBackend,
    /// Parsed configuration.
    pub config: Arc<Config>,
    /// Leptos rendering options (site root, output name).
    pub leptos: LeptosOptions,
    /// Redis cache of hot public reads (disabled without Redis).
    pub cache: engine::cache::Cache,
    /// The OpenID provider for sign-in; `None` when `OIDC_*` is not configured (sign-in off).
    pub oidc: Option<Arc<crate::auth::oidc::Provider>>,
    /// Engine handles (pool, cache, keys, signer, mailer) for pages, API and workers.
    pub services: engine::Services,
    /// Fetches other issuers' documents for verification.
    pub fetcher: engine::verification::Fetcher,
    /// In-process copies of rendered public pages (in front of Redis).
    pub pages: crate::public::page_cache::PageCache,
    /// Checks Entra app tokens for the API, when `API_ENTRA_AUDIENCE` is set.
    pub entra: Option<Arc<crate::api::entra::EntraTokens>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl AppState {
    /// Builds the Leptos options that match how `scripts/` lays out the site: the bundle is
    /// `pkg/badge-engine.<version>.{js,wasm,css}` when `pkg/asset-version` names a version
    /// (see `scripts/site-assets.mjs`), plain `badge-engine.*` otherwise.
    pub fn leptos_options(config: &Config) -> LeptosOptions {
        let version = std::fs::read_to_string(format!("{}/pkg/asset-version", config.site_root))
            .ok()
            .map(|v| v.trim().to_owned())
            .filter(|v| crate::public::assets::is_version(v));
        let output_name = match version {
            Some(v) => format!("badge-engine.{v}"),
            None => "badge-engine".to_owned(),
        };
        LeptosOptions::builder()
            .output_name(output_name)
            .site_root(config.site_root.clone())
            .site_pkg_dir("pkg")
            .site_addr(config.bind_addr)
            .build()
    }
}
