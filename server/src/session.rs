//! Session storage: Redis through `fred` when `REDIS_URL` is set, process memory otherwise.
//!
//! The store is an enum rather than a generic so the router type stays the same whichever
//! backend the configuration picks.

use async_trait::async_trait;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::{Expiry, MemoryStore, SessionManagerLayer};
use tower_sessions_redis_store::RedisStore;

use crate::state::AppState;
use crate::status_page;

/// Name of the session cookie on plain-http development sites.
pub const COOKIE_NAME: &str = "badge_engine_session";
/// Name of the session cookie when it is `Secure`: the `__Host-` prefix makes browsers refuse
/// it unless it is secure, host-only and for path `/`, so a sibling subdomain cannot plant one.
pub const SECURE_COOKIE_NAME: &str = "__Host-badge_engine_session";

/// The configured session store.
#[derive(Debug, Clone)]
pub enum SessionBackend {
    /// Shared, persistent sessions in Redis.
    Redis(RedisStore<fred::clients::Pool>, fred::clients::Pool),
    /// Per-process sessions, lost on restart; development only.
    Memory(MemoryStore),
}

impl SessionBackend {
    /// Whether the store can currently serve sessions.
    pub fn is_available(&self) -> bool {
        match self {
            SessionBackend::Redis(_, pool) => {
                use fred::interfaces::ClientLike;
                pool.clients().iter().any(|c| c.is_connected())
            }
            SessionBackend::Memory(_) => true,
        }
    }

    /// The tower-sessions layer with Badge Engine's cookie policy: a session ends after
    /// `idle_minutes` without a request (activity renews it; see `auth::current`).
    pub fn layer(&self, secure: bool, idle_minutes: i64) -> SessionManagerLayer<SessionBackend> {
        SessionManagerLayer::new(self.clone())
            .with_name(if secure {
                SECURE_COOKIE_NAME
            } else {
                COOKIE_NAME
            })
            .with_http_only(true)
            .with_secure(secure)
            .with_same_site(SameSite::Lax)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(Duration::minutes(idle_minutes)))
    }
}

#[async_trait]
impl SessionStore for SessionBackend {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            SessionBackend::Redis(store, _) => store.create(record).await,
            SessionBackend::Memory(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            SessionBackend::Redis(store, _) => store.save(record).await,
            SessionBackend::Memory(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            SessionBackend::Redis(store, _) => store.load(id).await,
            SessionBackend::Memory(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            SessionBackend::Redis(store, _) => store.delete(id).await,
            SessionBackend::Memory(store) => store.delete(id).await,
        }
    }
}

/// Answers 503 with a clear page while the session store is unreachable, instead of letting
/// tower-sessions turn a failed save into a bare 500; the process stays up and recovers by itself
/// when the store returns (fred reconnects in the background).
pub async fn require_store(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    // Public pages need no session: they keep working (rendered for an anonymous visitor).
    if !state.sessions.is_available()
        && !crate::public::page_cache::needs_no_session(request.method(), request.uri().path())
    {
        return unavailable();
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::INTERNAL_SERVER_ERROR && !state.sessions.is_available() {
        return unavailable();
    }
    response
}

fn unavailable() -> Response {
    tracing::warn!("session store unavailable; answering 503");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(http::header::RETRY_AFTER, "10")],
        status_page::render(
            "Temporarily unavailable",
            "Sign-in and sessions are briefly unavailable. Please try again in a few seconds.",
        ),
    )
        .into_response()
}
