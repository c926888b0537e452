//! Per-issuer staff roles (owner, editor, awarder) granted on an issuer's page to a
//! provisioned user or to an Entra group (a SCIM group). They become the same capability
//! types as global roles (see [`crate::rbac::StaffRole`]), scoped to the issuer and its
//! departments.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::audit::{self, Entity};
use crate::error::{Error, Result};
use crate::page::contains_pattern;
use crate::rbac::{CanManageIssuers, CanViewAdmin, StaffRole};

/// Who holds a staff role.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Grantee {
    /// A user.
    User {
        /// User id.
        id: Uuid,
        /// Display name (or username).
        name: String,
        /// E-mail.
        email: Option<String>,
    },
    /// Every member of a group.
    Group {
        /// Group id.
        id: Uuid,
        /// Group name.
        name: String,
    },
}

/// One grant on an issuer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StaffGrant {
    /// Grant id.
    pub id: Uuid,
    /// Issuer.
    pub issuer_id: Uuid,
    /// Role.
    pub role: StaffRole,
    /// Holder.
    pub grantee: Grantee,
    /// When.
    pub granted_at: DateTime<Utc>,
}

/// Whom to grant a role to.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum GranteeRef {
    /// A user id.
    User(Uuid),
    /// A group id.
    Group(Uuid),
}

/// The grants on an issuer, by role then name.
pub async fn list(pool: &PgPool, auth: &CanViewAdmin, issuer_id: Uuid) -> Result<Vec<StaffGrant>> {
    auth.check_issuer(issuer_id)?;
    let rows = sqlx::query!(
        r#"select s.id, s.issuer_id, s.role, s.granted_at, s.user_id, s.group_id,
                  coalesce(u.display_name, u.username, g.display_name) as "name!",
                  u.email
             from issuer_staff s
             left join users u on u.id = s.user_id
             left join groups g on g.id = s.group_id
            where s.issuer_id = $1
            order by array_position(array['owner', 'editor', 'awarder'], s.role),
                     lower(coalesce(u.display_name, u.username, g.display_name)), s.id"#,
        issuer_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let grantee = match (r.user_id, r.group_id) {
                (Some(id), _) => Grantee::User {
                    id,
                    name: r.name,
                    email: r.email,
                },
                (None, Some(id)) => Grantee::Group { id, name: r.name },
                (None, None) => return None,
            };
            Some(StaffGrant {
                id: r.id,
                issuer_id: r.issuer_id,
                role: StaffRole::parse(&r.role)?,
                grantee,
                granted_at: r.granted_at,
            })
        })
        .collect())
}

/// Grants `role` on `issuer_id` (audited); granting what is already held is a `Conflict`.
pub async fn grant(
    pool: &PgPool,
    auth: &CanManageIssuers,
    issuer_id: Uuid,
    role: StaffRole,
    grantee: GranteeRef,
) -> Result<Uuid> {
    auth.check_issuer(issuer_id)?;
    let (user_id, group_id) = match grantee {
        GranteeRef::User(u) => (Some(u), None),
        GranteeRef::Group(g) => (None, Some(g)),
    };
    let mut tx = pool.begin().await?;
    if let Some(u) = user_id {
        let live = sqlx::query_scalar!(
            r#"select (active and deleted_at is null) as "live!" from users where id = $1"#,
            u
        )
        .fetch_optional(&mut *tx)
        .await?;
        if live != Some(true) {
            return Err(Error::invalid("grantee", "is not an active user"));
        }
    }
    let id = Uuid::now_v7();
    let inserted = sqlx::query!(
        r#"insert into issuer_staff (id, issuer_id, role, user_id, group_id, granted_by)
           values ($1, $2, $3, $4, $5, $6)"#,
        id,
        issuer_id,
        role.as_str(),
        user_id,
        group_id,
        auth.actor().user_id
    )
    .execute(&mut *tx)
    .await;
    match inserted.map_err(Error::from) {
        Ok(_) => {}
        Err(Error::Conflict { .. }) => {
            return Err(Error::Conflict {
                field: "grantee".into(),
            });
        }
        Err(e) => return Err(e),
    }
    audit::record(
        &mut tx,
        auth.actor(),
        "issuer.grant_staff",
        Entity::new("issuer", issuer_id),
        None,
        Some(serde_json::json!({
            "grant_id": id, "role": role.as_str(), "user_id": user_id, "group_id": group_id,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a grant (audited).
pub async fn revoke(pool: &PgPool, auth: &CanManageIssuers, grant_id: Uuid) -> Result<()> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        "select issuer_id, role, user_id, group_id from issuer_staff where id = $1 for update",
        grant_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound {
        entity: "staff grant",
    })?;
    auth.check_issuer(row.issuer_id)?;
    sqlx::query!("delete from issuer_staff where id = $1", grant_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "issuer.revoke_staff",
        Entity::new("issuer", row.issuer_id),
        Some(serde_json::json!({
            "grant_id": grant_id, "role": row.role, "user_id": row.user_id, "group_id": row.group_id,
        })),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A user or group offered by the grant picker.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct GranteeChoice {
    /// What to grant to.
    pub grantee: GranteeRef,
    /// Name shown.
    pub label: String,
    /// E-mail or "group".
    pub detail: String,
}

/// Active users (by name, username or e-mail) and groups (by name) matching `term` (at
/// least two characters), ten of each at most.
pub async fn search_grantees(
    pool: &PgPool,
    auth: &CanManageIssuers,
    issuer_id: Uuid,
    term: &str,
) -> Result<Vec<GranteeChoice>> {
    auth.check_issuer(issuer_id)?;
    let term = term.trim();
    if term.chars().count() < 2 {
        return Err(Error::invalid("search", "type at least two characters"));
    }
    let pattern = contains_pattern(term);
    let users = sqlx::query!(
        r#"select id, coalesce(display_name, username) as "name!", coalesce(email, username) as "detail!"
             from users
            where deleted_at is null and active
              and (lower(username) like $1 or lower(coalesce(email, '')) like $1
                   or lower(coalesce(display_name, '')) like $1)
            order by lower(coalesce(display_name, username)) limit 10"#,
        pattern
    )
    .fetch_all(pool)
    .await?;
    let groups = sqlx::query!(
        r#"select id, display_name from groups where lower(display_name) like $1
            order by lower(display_name) limit 10"#,
        pattern
    )
    .fetch_all(pool)
    .await?;
    Ok(users
        .into_iter()
        .map(|u| GranteeChoice {
            grantee: GranteeRef::User(u.id),
            label: u.name,
            detail: u.detail,
        })
        .chain(groups.into_iter().map(|g| GranteeChoice {
            grantee: GranteeRef::Group(g.id),
            label: g.display_name,
            detail: "group".into(),
        }))
        .collect())
}
