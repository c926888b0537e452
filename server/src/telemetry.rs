//! Structured logging with `tracing`: human-readable by default, JSON on request.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::config::LogFormat;

/// Installs the global subscriber; `RUST_LOG` overrides the default `info` level.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,fred=warn,tower_sessions=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    // `try_init` because tests may build several apps in one process.
    let _ = match format {
        LogFormat::Human => registry.with(fmt::layer().with_target(false)).try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true),
            )
            .try_init(),
    };
}
