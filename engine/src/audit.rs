//! Append-only audit log. Every admin change, award and revocation calls [`record`] inside
//! the same transaction as the change, so there is no change without its audit row.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::error::Result;
use crate::rbac::CanViewAdmin;

/// Who did something: a user, a SCIM token (`scim:<name>`) or the system (`system:<what>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The acting user, if a person.
    pub user_id: Option<Uuid>,
    /// Name kept in the log even after the user is gone.
    pub label: String,
}

impl Actor {
    /// A person acting for themselves (an earner), labelled with their username.
    pub fn user(user: &crate::user::User) -> Actor {
        Actor {
            user_id: Some(user.id),
            label: user.username.clone(),
        }
    }

    /// A non-person actor such as `system:seed`.
    pub fn system(label: impl Into<String>) -> Actor {
        Actor {
            user_id: None,
            label: label.into(),
        }
    }
}

/// The record an audit row is about.
#[derive(Debug, Clone, Copy)]
pub struct Entity {
    /// Kind, e.g. `user`, `issuer`, `credential`.
    pub kind: &'static str,
    /// Its id.
    pub id: Uuid,
}

impl Entity {
    /// Shorthand constructor.
    pub fn new(kind: &'static str, id: Uuid) -> Entity {
        Entity { kind, id }
    }
}

/// One row of the audit log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Row id.
    pub id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// Acting user, unless deleted or not a person.
    pub actor_user_id: Option<Uuid>,
    /// Acting user's name at the time.
    pub actor_label: String,
    /// `<entity>.<verb>`, e.g. `credential.revoke`.
    pub action: String,
    /// Entity kind.
    pub entity_type: String,
    /// Entity id.
    pub entity_id: Option<Uuid>,
    /// State before the change.
    pub before: Option<serde_json::Value>,
    /// State after the change.
    pub after: Option<serde_json::Value>,
}

/// Serialises a value for the `before` / `after` columns.
pub fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    match serde_json::to_value(value) {
        Ok(v) => Some(v),
        Err(e) => {
            // Serialising our own structs cannot fail in practice; keep the audit row anyway.
            tracing::error!(error = %e, "audit snapshot failed");
            None
        }
    }
}

/// Writes one audit row on the caller's transaction (`&mut *tx`).
pub async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    action: &str,
    entity: Entity,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    sqlx::query!(
        r#"insert into audit_log (id, actor_user_id, actor_label, action, entity_type, entity_id, before, after)
           values ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        Uuid::now_v7(),
        actor.user_id,
        actor.label,
        action,
        entity.kind,
        entity.id,
        before,
        after
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Newest audit rows, optionally for one entity, newest first.
pub async fn list(
    pool: &PgPool,
    _auth: &CanViewAdmin,
    entity: Option<Entity>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditEntry>> {
    let (kind, id) = match entity {
        Some(e) => (Some(e.kind), Some(e.id)),
        None => (None, None),
    };
    let rows = sqlx::query_as!(
        AuditEntry,
        r#"select id, at, actor_user_id, actor_label, action, entity_type, entity_id, before, after
             from audit_log
            where ($1::text is null or (entity_type = $1 and entity_id = $2))
            order by at desc, id desc
            limit $3 offset $4"#,
        kind,
        id,
        limit.clamp(1, 500),
        offset.max(0)
    )
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

/// Filters of the audit log viewer.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AuditQuery {
    /// Substring of the actor's name.
    pub actor: Option<String>,
    /// Entity kind (`issuer`, `achievement`, `credential`, `user`, …).
    pub entity_type: Option<String>,
    /// One entity.
    pub entity_id: Option<Uuid>,
    /// Action, or its prefix (`credential.`).
    pub action: Option<String>,
    /// From this time.
    pub from: Option<DateTime<Utc>>,
    /// Until this time.
    pub to: Option<DateTime<Utc>>,
    /// Page.
    pub page: crate::page::PageRequest,
}

/// The audit log, newest first, filtered; a capability limited to some issuers (issuer
/// owners) sees only entries about those issuers, their achievements, awards and bulk awards.
pub async fn search<P: crate::rbac::PermissionMarker>(
    pool: &PgPool,
    auth: &crate::rbac::Authorized<P>,
    q: &AuditQuery,
) -> Result<(Vec<AuditEntry>, bool)> {
    let (offset, limit) = q.page.bounds();
    let scope = auth.scope().issuer_ids();
    let actor = q
        .actor
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(crate::page::contains_pattern);
    let action = q
        .action
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|a| format!("{}%", a.replace(['%', '_'], "")));
    let kind = q
        .entity_type
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let mut rows = sqlx::query_as!(
        AuditEntry,
        r#"select l.id, l.at, l.actor_user_id, l.actor_label, l.action, l.entity_type, l.entity_id,
                  l.before, l.after
             from audit_log l
            where ($1::text is null or lower(l.actor_label) like $1)
              and ($2::text is null or l.entity_type = $2)
              and ($3::uuid is null or l.entity_id = $3)
              and ($4::text is null or l.action like $4)
              and ($5::timestamptz is null or l.at >= $5)
              and ($6::timestamptz is null or l.at <= $6)
              and ($7::uuid[] is null
                   or (l.entity_type = 'issuer' and l.entity_id = any($7))
                   or (l.entity_type = 'achievement' and l.entity_id in
                         (select id from achievements where issuer_id = any($7)))
                   or (l.entity_type = 'credential' and l.entity_id in
                         (select id from credentials where issuer_id = any($7)))
                   or (l.entity_type = 'bulk_award' and l.entity_id in
                         (select id from bulk_awards where issuer_id = any($7))))
            order by l.at desc, l.id desc
            limit $8 offset $9"#,
        actor,
        kind,
        q.entity_id,
        action,
        q.from,
        q.to,
        scope.as_deref(),
        limit + 1,
        offset
    )
    .fetch_all(pool)
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}
