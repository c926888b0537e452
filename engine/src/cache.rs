//! Redis cache for hot public reads (credential pages, issuer profiles, status lists).
//!
//! The cache is an optimisation only: every read falls back to PostgreSQL, every error is
//! logged and ignored, and commands time out quickly, so a missing or dead Redis makes pages
//! slower, never wrong. Writers invalidate the affected keys explicitly after committing; a
//! short TTL bounds staleness should an invalidation be lost while Redis is unreachable.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use fred::prelude::*;
use fred::types::Expiration;
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// How long cached values live at most.
pub const DEFAULT_TTL: Duration = Duration::from_secs(300);

/// Cache handle; cheap to clone. [`Cache::disabled`] when no Redis is configured.
#[derive(Clone, Default)]
pub struct Cache {
    client: Option<Client>,
    /// Bumped by every [`Cache::touch_pages`] in this process, so an in-process copy of a
    /// rendered page can tell it may be stale without asking Redis.
    local_epoch: Arc<AtomicU64>,
}

/// A group of public pages one write can make stale. Rendered pages are stored with the
/// generation of each tag they depend on and served only while those are unchanged; writers
/// bump the generations after committing ([`Cache::touch_pages`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageTag {
    /// The public page of one credential.
    Credential(Uuid),
    /// The public page of one issuer (its badges, its award counts).
    Issuer(Uuid),
    /// The public page of one achievement (its award count).
    Achievement(Uuid),
    /// The home page's platform counts.
    Home,
    /// Every page that shows an issuer's or achievement's name, image or description: edits
    /// of either are rare, and a credential page cannot know which of them it shows before
    /// it renders, so they make every public page stale at once.
    Profiles,
}

impl PageTag {
    fn key(self) -> String {
        match self {
            PageTag::Credential(id) => format!("be:v1:page-gen:credential:{id}"),
            PageTag::Issuer(id) => format!("be:v1:page-gen:issuer:{id}"),
            PageTag::Achievement(id) => format!("be:v1:page-gen:achievement:{id}"),
            PageTag::Home => "be:v1:page-gen:home".to_owned(),
            PageTag::Profiles => "be:v1:page-gen:profiles".to_owned(),
        }
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("enabled", &self.client.is_some())
            .finish()
    }
}

/// Key of a cached public credential view.
pub fn credential_key(id: Uuid) -> String {
    format!("be:v1:credential:{id}")
}

/// Key of a cached issuer profile.
pub fn issuer_key(id: Uuid) -> String {
    format!("be:v1:issuer:{id}")
}

/// Key of a cached public achievement.
pub fn achievement_key(id: Uuid) -> String {
    format!("be:v1:achievement:{id}")
}

/// Key of a rendered public page, by its path.
pub fn page_key(path: &str) -> String {
    format!("be:v1:page:{path}")
}

/// Key of a cached status list.
pub fn status_list_key(id: Uuid) -> String {
    format!("be:v1:status_list:{id}")
}

/// Key of a cached signed status-list credential.
pub fn status_list_credential_key(id: Uuid) -> String {
    format!("be:v1:status_list_vc:{id}")
}

impl Cache {
    /// No caching: every read goes to PostgreSQL.
    pub fn disabled() -> Cache {
        Cache::default()
    }

    /// Connects to `redis_url`, retrying in the background forever. Returns an error only for a
    /// malformed URL; an unreachable server is logged and the cache stays empty until it is up.
    pub async fn connect(redis_url: &str) -> crate::Result<Cache> {
        let config = Config::from_url(redis_url)
            .map_err(|_| crate::Error::invalid("REDIS_URL", "is not a valid redis:// URL"))?;
        let client = Builder::from_config(config)
            .with_connection_config(|c| {
                c.connection_timeout = Duration::from_millis(500);
                c.internal_command_timeout = Duration::from_millis(500);
                c.max_command_attempts = 1;
            })
            .with_performance_config(|p| {
                p.default_command_timeout = Duration::from_millis(200);
            })
            .set_policy(ReconnectPolicy::new_constant(0, 1_000))
            .build()
            .map_err(crate::Error::internal)?;
        // Connect in the background; the app must start even when Redis is down.
        let _task = client.connect();
        if let Err(e) =
            tokio::time::timeout(Duration::from_secs(1), client.wait_for_connect()).await
        {
            tracing::warn!(error = %e, "redis not reachable yet; caching starts when it is");
        }
        Ok(Cache {
            client: Some(client),
            local_epoch: Arc::default(),
        })
    }

    /// Whether a Redis client is configured and currently connected.
    pub fn is_connected(&self) -> bool {
        self.client.as_ref().is_some_and(|c| c.is_connected())
    }

    fn live(&self) -> Option<&Client> {
        // Skip Redis entirely while disconnected instead of waiting for timeouts.
        self.client.as_ref().filter(|c| c.is_connected())
    }

    /// Cached JSON value, or `None` (absent, undecodable, or Redis unavailable).
    pub async fn get_json<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let client = self.live()?;
        match client.get::<Option<String>, _>(key).await {
            Ok(Some(s)) => match serde_json::from_str(&s) {
                Ok(v) => Some(v),
                Err(e) => {
                    tracing::warn!(key, error = %e, "dropping undecodable cache entry");
                    self.invalidate(&[key.to_owned()]).await;
                    None
                }
            },
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(key, error = %e, "cache read failed");
                None
            }
        }
    }

    /// Stores a JSON value with a TTL; failures are logged.
    pub async fn put_json<T: Serialize>(&self, key: &str, value: &T, ttl: Duration) {
        let Some(client) = self.live() else { return };
        let Ok(s) = serde_json::to_string(value) else {
            return;
        };
        let secs = i64::try_from(ttl.as_secs().max(1)).unwrap_or(300);
        if let Err(e) = client
            .set::<(), _, _>(key, s, Some(Expiration::EX(secs)), None, false)
            .await
        {
            tracing::warn!(key, error = %e, "cache write failed");
        }
    }

    /// Deletes keys; failures are logged (the TTL then bounds staleness).
    pub async fn invalidate(&self, keys: &[String]) {
        let Some(client) = self.live() else { return };
        if keys.is_empty() {
            return;
        }
        if let Err(e) = client.del::<i64, _>(keys.to_vec()).await {
            tracing::warn!(?keys, error = %e, "cache invalidation failed");
        }
    }

    /// Cached bytes, or `None` (absent, or Redis unavailable).
    pub async fn get_bytes(&self, key: &str) -> Option<Vec<u8>> {
        let client = self.live()?;
        match client.get::<Option<Vec<u8>>, _>(key).await {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(key, error = %e, "cache read failed");
                None
            }
        }
    }

    /// Stores bytes with a TTL; failures are logged.
    pub async fn put_bytes(&self, key: &str, value: Vec<u8>, ttl: Duration) {
        let Some(client) = self.live() else { return };
        let secs = i64::try_from(ttl.as_secs().max(1)).unwrap_or(300);
        if let Err(e) = client
            .set::<(), _, _>(key, value, Some(Expiration::EX(secs)), None, false)
            .await
        {
            tracing::warn!(key, error = %e, "cache write failed");
        }
    }

    /// The current generation of each tag (0 for one never touched), or `None` while Redis is
    /// unavailable: then nothing may be served from or stored in the page cache, since
    /// invalidations could not be seen.
    pub async fn page_generations(&self, tags: &[PageTag]) -> Option<Vec<u64>> {
        let client = self.live()?;
        let keys: Vec<String> = tags.iter().map(|t| t.key()).collect();
        let values: Vec<Option<u64>> = client.mget(keys).await.ok()?;
        Some(values.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// Marks the pages behind `tags` as changed; call after the write has committed, so a
    /// page rendered from the old rows is never stored under the new generation.
    pub async fn touch_pages(&self, tags: &[PageTag]) {
        self.local_epoch.fetch_add(1, Ordering::Release);
        let Some(client) = self.live() else { return };
        let pipeline = client.pipeline();
        for tag in tags {
            let _: Result<(), _> = pipeline.incr::<(), _>(tag.key()).await;
        }
        if let Err(e) = pipeline.all::<Vec<i64>>().await {
            tracing::warn!(?tags, error = %e, "page invalidation failed");
        }
    }

    /// Changes whenever this process touched any page tag.
    pub fn local_epoch(&self) -> u64 {
        self.local_epoch.load(Ordering::Acquire)
    }
}
