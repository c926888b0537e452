//! Start-up: connect to PostgreSQL and Redis, apply migrations, bind and serve until a signal.
//!
//! Every failure here becomes one [`StartupError`] line for the operator, never a panic.

use std::sync::Arc;
use std::time::Duration;

use fred::interfaces::ClientLike;
use fred::prelude::{Builder, ReconnectPolicy};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use tokio::net::TcpListener;
use tower_sessions::MemoryStore;
use tower_sessions_redis_store::RedisStore;

use crate::config::{Config, Environment, redact_url};
use crate::session::SessionBackend;
use crate::state::AppState;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be reached or refused the connection.
    #[error("cannot connect to PostgreSQL at {url}: {reason}")]
    Database {
        /// The URL, password hidden.
        url: String,
        /// What the driver said.
        reason: String,
    },
    /// A migration failed to apply.
    #[error("cannot apply database migrations: {0}")]
    Migrate(String),
    /// Demo data could not be written.
    #[error("cannot seed demo data: {0}")]
    Seed(String),
    /// An operator command (tokens, mappings, imports, awards) failed; the message says why.
    #[error("{0}")]
    Command(String),
    /// Redis could not be reached.
    #[error("cannot connect to Redis at {url}: {reason}")]
    Redis {
        /// The URL, password hidden.
        url: String,
        /// What the client said.
        reason: String,
    },
    /// The OpenID Connect client could not be set up.
    #[error("cannot set up OpenID Connect sign-in: {0}")]
    Oidc(String),
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {reason}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// What the OS said.
        reason: String,
    },
    /// The server stopped with an I/O error.
    #[error("server error: {0}")]
    Serve(String),
    /// A setting is consistent on its own but unusable together with the others.
    #[error("configuration error: {0}")]
    Config(String),
}

/// Opens the PostgreSQL pool, failing fast when the server is down or the URL is wrong.
pub async fn connect_database(config: &Config) -> Result<PgPool, StartupError> {
    let fail = |e: sqlx::Error| StartupError::Database {
        url: redact_url(&config.database_url),
        reason: describe_sqlx(&e),
    };
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(engine::connection_options(&config.database_url).map_err(fail)?)
        .await
        .map_err(fail)
}

/// Creates the configured database when it does not exist (development and first deployment).
pub async fn create_database_if_missing(config: &Config) -> Result<(), StartupError> {
    use sqlx::migrate::MigrateDatabase;
    let fail = |e: sqlx::Error| StartupError::Database {
        url: redact_url(&config.database_url),
        reason: describe_sqlx(&e),
    };
    if !sqlx::Postgres::database_exists(&config.database_url)
        .await
        .map_err(fail)?
    {
        sqlx::Postgres::create_database(&config.database_url)
            .await
            .map_err(fail)?;
        tracing::info!("created database {}", redact_url(&config.database_url));
    }
    Ok(())
}

/// Applies pending migrations; already-applied ones are skipped, so this is safe to repeat.
pub async fn migrate(db: &PgPool) -> Result<(), StartupError> {
    engine::MIGRATOR
        .run(db)
        .await
        .map_err(|e| StartupError::Migrate(e.to_string()))
}

/// Connects the Redis pool (if configured) and picks the session store.
pub async fn connect_sessions(
    config: &Config,
) -> Result<(Option<fred::clients::Pool>, SessionBackend), StartupError> {
    let Some(url) = &config.redis_url else {
        tracing::warn!(
            "REDIS_URL is not set: sessions are kept in process memory, lost on restart and not shared \
             between instances. Set REDIS_URL for anything but local development."
        );
        return Ok((None, SessionBackend::Memory(MemoryStore::default())));
    };
    let fail = |reason: String| StartupError::Redis {
        url: redact_url(url),
        reason,
    };
    let redis_config =
        fred::types::config::Config::from_url(url).map_err(|e| fail(e.to_string()))?;
    let pool = Builder::from_config(redis_config)
        .with_connection_config(|c| {
            c.connection_timeout = Duration::from_secs(3);
            c.internal_command_timeout = Duration::from_secs(2);
        })
        .with_performance_config(|p| {
            // Without a command timeout, requests would queue for ever while Redis is away.
            p.default_command_timeout = Duration::from_secs(2);
        })
        // Keep reconnecting for as long as the process lives, backing off up to 5 s.
        .set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2))
        .build_pool(4)
        .map_err(|e| fail(e.to_string()))?;
    match tokio::time::timeout(Duration::from_secs(5), pool.init()).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return Err(fail(e.to_string())),
        Err(_) => return Err(fail("no answer within 5 seconds".into())),
    }
    let store = RedisStore::new(pool.clone());
    Ok((Some(pool.clone()), SessionBackend::Redis(store, pool)))
}

/// Builds the state from a validated configuration: connects, migrates, seeds nothing.
pub async fn build_state(config: Config) -> Result<AppState, StartupError> {
    let db = connect_database(&config).await?;
    migrate(&db).await?;
    let (redis, sessions) = connect_sessions(&config).await?;
    let cache = match &config.redis_url {
        Some(url) => engine::cache::Cache::connect(url)
            .await
            .map_err(|e| StartupError::Redis {
                url: redact_url(url),
                reason: e.to_string(),
            })?,
        None => engine::cache::Cache::disabled(),
    };
    let leptos = AppState::leptos_options(&config);
    let oidc = oidc_provider(&config)?;
    let services = services(&config, db.clone(), cache.clone())?;
    let pages = crate::public::page_cache::PageCache::new(
        config.public_base_url.as_str(),
        &config.database_url,
        &leptos.output_name,
    );
    Ok(AppState::new(crate::state::AppStateInner {
        db,
        redis,
        sessions,
        leptos,
        cache,
        fetcher: engine::verification::Fetcher(Arc::new(crate::public::fetch::HttpsFetch::new(
            config.environment == Environment::Development,
        ))),
        entra: crate::api::entra::EntraTokens::from_config(config.oidc.as_ref()).map(Arc::new),
        config: Arc::new(config),
        oidc,
        services,
        pages,
    }))
}

/// The engine handles from configuration: signer with the public URL map, mailer.
pub fn services(
    config: &Config,
    db: PgPool,
    cache: engine::cache::Cache,
) -> Result<engine::Services, StartupError> {
    let urls = engine::public_url::PublicUrls::new(config.public_base_url.as_str(), config.did_web)
        .map_err(|e| StartupError::Config(e.to_string()))?;
    let mailer = match &config.mail.transport {
        crate::config::MailTransport::Smtp(url) => {
            engine::mail::Mailer::smtp(url, &config.mail.from)
        }
        crate::config::MailTransport::Folder(dir) => {
            engine::mail::Mailer::folder(dir.clone(), &config.mail.from)
        }
    }
    .map_err(|e| StartupError::Config(e.to_string()))?;
    Ok(engine::Services {
        pool: db,
        cache,
        kek: config.key_encryption_key.clone(),
        signer: engine::signer::OpenBadgesSigner::new(urls),
        mailer,
    })
}

/// The sign-in provider from configuration; without one, sign-in pages explain it is off.
pub fn oidc_provider(
    config: &Config,
) -> Result<Option<Arc<crate::auth::oidc::Provider>>, StartupError> {
    let Some(oidc) = &config.oidc else {
        tracing::warn!(
            "OIDC_ISSUER_URL / OIDC_CLIENT_ID / OIDC_CLIENT_SECRET are not set: sign-in is OFF. \
             scripts/run.sh starts a local provider; production points at Entra ID (docs/entra.md)."
        );
        return Ok(None);
    };
    let provider = crate::auth::oidc::Provider::new(oidc.clone(), &config.public_base_url)
        .map_err(StartupError::Oidc)?;
    tracing::info!(issuer = %provider.issuer(), "sign-in via OpenID Connect");
    Ok(Some(Arc::new(provider)))
}

/// The listener with `TCP_NODELAY` on every accepted connection. Streamed pages are written in
/// several small segments; with Nagle's algorithm the second waits for the client's delayed
/// ACK (~40 ms on Linux), so every page would pay it on a keep-alive connection.
pub fn without_nagle(
    listener: TcpListener,
) -> axum::serve::TapIo<TcpListener, fn(&mut tokio::net::TcpStream)> {
    fn no_delay(tcp: &mut tokio::net::TcpStream) {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "cannot set TCP_NODELAY");
        }
    }
    axum::serve::ListenerExt::tap_io(listener, no_delay as fn(&mut tokio::net::TcpStream))
}

/// Runs the server until SIGTERM or ctrl-c, then finishes in-flight requests (and the
/// worker's job at hand).
pub async fn serve(config: Config) -> Result<(), StartupError> {
    let addr = config.bind_addr;
    if config.environment == Environment::Development {
        tracing::info!("running in development mode (APP_ENV=development)");
    }
    let state = build_state(config).await?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| StartupError::Bind {
            addr,
            reason: e.to_string(),
        })?;
    tracing::info!("listening on http://{addr}");
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = state.config.worker.then(|| {
        tokio::spawn(crate::worker::run(
            state.services.clone(),
            state.config.job_lease_seconds,
            stop_rx.clone(),
        ))
    });
    let listener = without_nagle(listener);
    let served = axum::serve(
        listener,
        crate::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| StartupError::Serve(e.to_string()));
    let _ = stop_tx.send(true);
    if let Some(w) = worker {
        let _ = w.await;
    }
    served?;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Runs only the worker (`badge-engine worker`) until SIGTERM or ctrl-c.
pub async fn work(config: Config) -> Result<(), StartupError> {
    let db = connect_database(&config).await?;
    migrate(&db).await?;
    let cache = match &config.redis_url {
        Some(url) => engine::cache::Cache::connect(url)
            .await
            .map_err(|e| StartupError::Redis {
                url: redact_url(url),
                reason: e.to_string(),
            })?,
        None => engine::cache::Cache::disabled(),
    };
    let services = services(&config, db, cache)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(crate::worker::run(
        services,
        config.job_lease_seconds,
        stop_rx,
    ));
    shutdown_signal().await;
    let _ = stop_tx.send(true);
    let _ = worker.await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}

/// Turns the driver's error into words an operator can act on.
fn describe_sqlx(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Io(io) => io.to_string(),
        sqlx::Error::PoolTimedOut => "no connection within 5 seconds (is the server up?)".into(),
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn accepted_connections_do_not_wait_for_delayed_acks() {
        use axum::serve::Listener as _;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut listener = super::without_nagle(listener);
        let client = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let (accepted, _) = listener.accept().await;
        assert!(accepted.nodelay().expect("socket option"));
        drop(client);
    }
}
