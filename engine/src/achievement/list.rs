//! An issuer's achievement list: search by name or tag, status filter, pagination.

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::{AchievementSummary, Status};
use crate::error::Result;
use crate::page::{Page, PageRequest, contains_pattern};
use crate::rbac::CanViewAdmin;

/// Filters of the achievement list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AchievementListQuery {
    /// Case-insensitive substring of the name, or an exact tag (case-insensitive).
    pub search: Option<String>,
    /// Only this status; `None` for drafts and active ones (archived ones are asked for).
    pub status: Option<Status>,
    /// Page.
    pub page: PageRequest,
}

/// An issuer's achievements by name.
pub async fn list(
    pool: &PgPool,
    auth: &CanViewAdmin,
    issuer_id: Uuid,
    q: &AchievementListQuery,
) -> Result<Page<AchievementSummary>> {
    auth.check_issuer(issuer_id)?;
    let (offset, limit) = q.page.bounds();
    let term = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let pattern = term.map(contains_pattern);
    let tag = term.map(str::to_lowercase);
    let status = q.status.map(Status::as_str);
    let rows = sqlx::query!(
        r#"select id, issuer_id, name, achievement_type, image, tags, status, award_count,
                  updated_at, count(*) over () as "total!"
             from achievements
            where issuer_id = $1
              and (($2::text is null and status <> 'archived') or status = $2)
              and ($3::text is null or lower(name) like $3
                   or exists (select 1 from unnest(tags) t where lower(t) = $4))
            order by lower(name), id
            limit $5 offset $6"#,
        issuer_id,
        status,
        pattern,
        tag,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    Ok(Page {
        total,
        items: rows
            .into_iter()
            .map(|r| AchievementSummary {
                id: r.id,
                issuer_id: r.issuer_id,
                name: r.name,
                achievement_type: r.achievement_type,
                image: r.image,
                tags: r.tags,
                status: Status::parse(&r.status),
                awards: i64::from(r.award_count),
                updated_at: r.updated_at,
            })
            .collect(),
    })
}

/// Achievements of every issuer the capability reaches (the API's list), newest first, so
/// pages stay stable while new ones are added.
pub async fn list_in_scope(
    pool: &PgPool,
    auth: &CanViewAdmin,
    q: &AchievementListQuery,
) -> Result<Page<AchievementSummary>> {
    let (offset, limit) = q.page.bounds();
    let scope = auth.scope().issuer_ids();
    let term = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let pattern = term.map(contains_pattern);
    let status = q.status.map(Status::as_str);
    let rows = sqlx::query!(
        r#"select id, issuer_id, name, achievement_type, image, tags, status, award_count,
                  updated_at, count(*) over () as "total!"
             from achievements
            where ($1::uuid[] is null or issuer_id = any($1))
              and (($2::text is null and status <> 'archived') or status = $2)
              and ($3::text is null or lower(name) like $3)
            order by created_at desc, id desc
            limit $4 offset $5"#,
        scope.as_deref(),
        status,
        pattern,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    Ok(Page {
        total,
        items: rows
            .into_iter()
            .map(|r| AchievementSummary {
                id: r.id,
                issuer_id: r.issuer_id,
                name: r.name,
                achievement_type: r.achievement_type,
                image: r.image,
                tags: r.tags,
                status: Status::parse(&r.status),
                awards: i64::from(r.award_count),
                updated_at: r.updated_at,
            })
            .collect(),
    })
}

/// Credentials awarded of an achievement so far (including revoked ones).
pub async fn award_count(pool: &PgPool, id: Uuid) -> Result<i64> {
    let count = sqlx::query_scalar!("select award_count from achievements where id = $1", id)
        .fetch_optional(pool)
        .await?
        .ok_or(crate::Error::NotFound {
            entity: "achievement",
        })?;
    Ok(i64::from(count))
}

/// An issuer's awardable achievements for its public page (public information), by name.
pub async fn public_for_issuer(pool: &PgPool, issuer_id: Uuid) -> Result<Vec<AchievementSummary>> {
    let rows = sqlx::query!(
        r#"select id, issuer_id, name, achievement_type, image, tags, status, award_count, updated_at
             from achievements
            where issuer_id = $1 and status = 'active'
            order by lower(name), id
            limit 500"#,
        issuer_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AchievementSummary {
            id: r.id,
            issuer_id: r.issuer_id,
            name: r.name,
            achievement_type: r.achievement_type,
            image: r.image,
            tags: r.tags,
            status: Status::parse(&r.status),
            awards: i64::from(r.award_count),
            updated_at: r.updated_at,
        })
        .collect())
}
