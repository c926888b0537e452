//! Liveness (`/healthz`) and readiness (`/readyz`) probes for orchestrators and load balancers.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use sqlx::migrate::Migrate;

use crate::state::AppState;

const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// The process is up and answering.
pub async fn live() -> &'static str {
    "ok"
}

/// Readiness report: what each dependency said.
#[derive(Debug, Serialize)]
pub struct Readiness {
    /// `ready` when every dependency answered, `unavailable` otherwise.
    pub status: &'static str,
    /// PostgreSQL reachability.
    pub database: Check,
    /// Redis reachability (`not_configured` when sessions are in memory).
    pub redis: Check,
    /// Schema state.
    pub migrations: MigrationState,
}

/// One dependency's state.
#[derive(Debug, Serialize)]
pub struct Check {
    /// `ok`, `error` or `not_configured`.
    pub status: &'static str,
    /// Why it is not ok, in words safe to show (no connection strings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Applied vs. known migrations.
#[derive(Debug, Serialize)]
pub struct MigrationState {
    /// Highest applied migration version, if any.
    pub version: Option<i64>,
    /// Migrations this binary knows that the database has not applied.
    pub pending: usize,
}

/// Checks the database, Redis and the schema version; 200 when all is well, 503 otherwise.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let (database, migrations) = check_database(&state).await;
    let redis = check_redis(&state).await;
    let ok = database.status == "ok" && redis.status != "error" && migrations.pending == 0;
    let body = Readiness {
        status: if ok { "ready" } else { "unavailable" },
        database,
        redis,
        migrations,
    };
    (
        if ok {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        Json(body),
    )
}

async fn check_database(state: &AppState) -> (Check, MigrationState) {
    let known = engine::MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .count();
    let probe = async {
        let mut conn = state.db.acquire().await?;
        let applied = conn
            .list_applied_migrations(&engine::MIGRATOR.table_name)
            .await?;
        Ok::<_, sqlx::Error>(applied)
    };
    match tokio::time::timeout(PROBE_TIMEOUT, probe).await {
        Ok(Ok(applied)) => {
            let version = applied.iter().map(|m| m.version).max();
            let pending = known.saturating_sub(applied.len());
            (
                Check {
                    status: "ok",
                    error: None,
                },
                MigrationState { version, pending },
            )
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database check failed");
            (
                fail("database query failed"),
                MigrationState {
                    version: None,
                    pending: known,
                },
            )
        }
        Err(_) => (
            fail("database did not answer in time"),
            MigrationState {
                version: None,
                pending: known,
            },
        ),
    }
}

async fn check_redis(state: &AppState) -> Check {
    use fred::interfaces::ClientLike;
    let Some(pool) = &state.redis else {
        return Check {
            status: "not_configured",
            error: None,
        };
    };
    match tokio::time::timeout(PROBE_TIMEOUT, pool.next().ping::<String>(None)).await {
        Ok(Ok(_)) => Check {
            status: "ok",
            error: None,
        },
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: redis check failed");
            fail("redis did not answer the ping")
        }
        Err(_) => fail("redis did not answer in time"),
    }
}

fn fail(reason: &str) -> Check {
    Check {
        status: "error",
        error: Some(reason.to_owned()),
    }
}
