//! Scale benchmark for the data layer (see docs/benchmarks.md): times award-history search
//! and an issuer's achievement list through the real engine functions against a database
//! loaded by `engine/benches/bench_data.sql`.
//!
//! ```sh
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/badge_engine_bench \
//!   cargo run --release -p engine --example bench_queries
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use std::time::{Duration, Instant};

use engine::award::{self, HistoryQuery};
use engine::page::PageRequest;
use engine::{achievement, issuer};
use sqlx::postgres::PgPoolOptions;

/// Rounds per search term / listing.
const ROUNDS: usize = 60;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn report(label: &str, samples: &mut [Duration]) -> Duration {
    samples.sort();
    let p95 = percentile(samples, 0.95);
    println!(
        "{label:<44} n={:<4} p50={:>8.2?} p95={:>8.2?} p99={:>8.2?} max={:>8.2?}",
        samples.len(),
        percentile(samples, 0.50),
        p95,
        percentile(samples, 0.99),
        samples[samples.len() - 1]
    );
    p95
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL")?;
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .connect_with(engine::connection_options(&url)?)
        .await?;
    // A benchmark reads as an admin would; the bypass is the CLI's, not a request path's.
    let view = engine::rbac::Principal::bypass_for_system_task("bench")
        .require::<engine::rbac::can::ViewAdmin>()?;
    let all_issuers = issuer::IssuerListQuery {
        page: PageRequest {
            offset: 0,
            limit: 500,
        },
        ..Default::default()
    };
    let issuers = issuer::list(&pool, &view, &all_issuers).await?.items;
    let first_page = achievement::AchievementListQuery {
        page: PageRequest {
            offset: 0,
            limit: 20,
        },
        ..Default::default()
    };
    let mut biggest = None;
    for i in &issuers {
        let n = achievement::list(&pool, &view, i.id, &first_page)
            .await?
            .total;
        if biggest.is_none_or(|(_, m)| n > m) {
            biggest = Some((i.id, n));
        }
    }
    let (big_issuer, big_count) =
        biggest.ok_or_else(|| anyhow::anyhow!("no issuers: load the data first"))?;

    // Terms: common surname, common first name, a domain (25 % of rows), `guest` (20 %),
    // a full e-mail (1–10 rows), a name fragment, no match at all. (Terms under three characters
    // are refused by the engine.)
    let terms = [
        "smith",
        "jansen",
        "de vries",
        "hanna",
        "@uni.example",
        "guest",
        "maarten.dekker",
        "iris.van der",
        "qxjwv",
        "nguyen3",
    ];
    let mut all = Vec::new();
    let mut worst_p95 = Duration::ZERO;
    println!(
        "award-history search, page of 10, newest first ({ROUNDS} rounds per term after warm-up)"
    );
    for term in terms {
        let q = HistoryQuery {
            text: Some(term.to_owned()),
            page: PageRequest {
                offset: 0,
                limit: 10,
            },
            ..HistoryQuery::default()
        };
        award::search_history(&pool, &view, &q).await?;
        let mut samples = Vec::with_capacity(ROUNDS);
        let mut hits = 0;
        for _ in 0..ROUNDS {
            let t = Instant::now();
            hits = award::search_history(&pool, &view, &q).await?.items.len();
            samples.push(t.elapsed());
        }
        all.extend_from_slice(&samples);
        worst_p95 = worst_p95.max(report(
            &format!("  {term:?} ({hits} on page 1)"),
            &mut samples,
        ));
    }
    let overall = report("  all terms together", &mut all);
    println!("  worst per-term p95: {worst_p95:.2?}; overall p95: {overall:.2?}");

    let q = HistoryQuery {
        page: PageRequest {
            offset: 0,
            limit: 10,
        },
        ..HistoryQuery::default()
    };
    let mut samples = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        award::search_history(&pool, &view, &q).await?;
        samples.push(t.elapsed());
    }
    report("history without a search term", &mut samples);

    println!("achievement list of the largest issuer ({big_count} achievements)");
    achievement::list(&pool, &view, big_issuer, &first_page).await?;
    let mut samples = Vec::new();
    for _ in 0..ROUNDS * 3 {
        let t = Instant::now();
        achievement::list(&pool, &view, big_issuer, &first_page).await?;
        samples.push(t.elapsed());
    }
    report("  first page of 20", &mut samples);
    let other = issuers
        .iter()
        .find(|i| i.id != big_issuer)
        .map(|i| i.id)
        .unwrap_or(big_issuer);
    let mut samples = Vec::new();
    for _ in 0..ROUNDS * 3 {
        let t = Instant::now();
        achievement::list(&pool, &view, other, &first_page).await?;
        samples.push(t.elapsed());
    }
    report("  first page of 20 (another issuer)", &mut samples);
    Ok(())
}
