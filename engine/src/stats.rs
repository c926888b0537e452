//! Counts for the home page.

use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use crate::error::Result;

/// Numbers shown on the home page.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct Overview {
    /// Issuers.
    pub issuers: i64,
    /// Achievements.
    pub achievements: i64,
    /// Awarded credentials (including revoked ones).
    pub credentials: i64,
}

/// Current counts (one round trip). Awards are the sum of the per-achievement counters the
/// awarding code keeps, not a count over every credential (a million rows on every view).
pub async fn overview(pool: &PgPool) -> Result<Overview> {
    let r = sqlx::query!(
        r#"select (select count(*) from issuers) as "issuers!",
                  (select count(*) from achievements where status <> 'draft') as "achievements!",
                  (select coalesce(sum(award_count), 0)::bigint from achievements) as "credentials!""#
    )
    .fetch_one(pool)
    .await?;
    Ok(Overview {
        issuers: r.issuers,
        achievements: r.achievements,
        credentials: r.credentials,
    })
}
