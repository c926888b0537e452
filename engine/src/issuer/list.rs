//! The admin issuer list: organisations with their departments below them, searchable by
//! name and paginated in tree order.

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::error::Result;
use crate::page::{Page, PageRequest, contains_pattern};
use crate::rbac::CanViewAdmin;

/// Filters of the issuer list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct IssuerListQuery {
    /// Case-insensitive substring of the name.
    pub search: Option<String>,
    /// Page.
    pub page: PageRequest,
}

/// One issuer in tree order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct IssuerRow {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Parent organisation.
    pub parent_id: Option<Uuid>,
    /// 0 for an organisation, 1 for its departments, …
    pub depth: i32,
    /// Names from the outermost organisation down to this issuer's parent.
    pub ancestors: Vec<String>,
    /// Image URL.
    pub image: Option<String>,
    /// `key` or `web`.
    pub did_method: String,
    /// Achievements that are not archived.
    pub achievements: i64,
}

/// Issuers the capability reaches, in tree order (each department right after its parent,
/// siblings by name); with a search term, the matching ones with their ancestry.
pub async fn list(
    pool: &PgPool,
    auth: &CanViewAdmin,
    q: &IssuerListQuery,
) -> Result<Page<IssuerRow>> {
    let (offset, limit) = q.page.bounds();
    let pattern = q
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(contains_pattern);
    let scope = auth.scope().issuer_ids();
    let rows = sqlx::query!(
        r#"
        with recursive tree (id, name, parent_id, depth, sort_path, names) as (
            select id, name, parent_id, 0, array[lower(name) || ' ' || id::text], array[]::text[]
              from issuers
             where ($1::uuid[] is null and parent_id is null)
                or ($1::uuid[] is not null and id = any($1)
                    and (parent_id is null or not parent_id = any($1)))
            union all
            select i.id, i.name, i.parent_id, t.depth + 1,
                   t.sort_path || (lower(i.name) || ' ' || i.id::text), t.names || t.name
              from issuers i join tree t on i.parent_id = t.id
             where t.depth < 32
        ),
        matched as (
            select * from tree where $2::text is null or lower(name) like $2
        )
        select m.id as "id!", m.name as "name!", m.parent_id, m.depth as "depth!",
               m.names as "names!", i.image, i.did_method,
               (select count(*) from achievements a
                 where a.issuer_id = m.id and a.status <> 'archived') as "achievements!",
               count(*) over () as "total!"
          from matched m join issuers i on i.id = m.id
         order by m.sort_path
         limit $3 offset $4
        "#,
        scope.as_deref(),
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
            .map(|r| IssuerRow {
                id: r.id,
                name: r.name,
                parent_id: r.parent_id,
                depth: r.depth,
                ancestors: r.names,
                image: r.image,
                did_method: r.did_method,
                achievements: r.achievements,
            })
            .collect(),
    })
}

/// Id and name of every issuer the capability reaches, by name (for parent pickers).
pub async fn choices(pool: &PgPool, auth: &CanViewAdmin) -> Result<Vec<(Uuid, String)>> {
    let scope = auth.scope().issuer_ids();
    Ok(sqlx::query!(
        r#"select id, name from issuers where $1::uuid[] is null or id = any($1)
            order by lower(name), id limit 2000"#,
        scope.as_deref()
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.id, r.name))
    .collect())
}
