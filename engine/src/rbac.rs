//! Role-based access control as types. A [`Principal`] holds the permissions of a signed-in
//! user; [`Principal::require`] is the only way (besides a SCIM token and the explicit
//! [`Principal::system`]) to obtain an [`Authorized`] capability, and every admin service
//! function takes one by reference — so a handler that forgets the check does not compile.

use std::collections::BTreeSet;
use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::audit::Actor;
use crate::error::{Error, Result};

/// A permission stored in the `permissions` table; roles are sets of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Create, edit, deactivate users; grant roles; SCIM provisioning.
    ManageUsers,
    /// Edit roles and group → role mappings.
    ManageRoles,
    /// Create and revoke SCIM bearer tokens.
    ManageScimTokens,
    /// Register OAuth client apps.
    ManageClientApps,
    /// Edit issuer profiles and their signing keys.
    ManageIssuers,
    /// Edit achievements.
    ManageAchievements,
    /// Award credentials and re-send notifications.
    Award,
    /// Revoke credentials.
    Revoke,
    /// Read-only administration pages.
    ViewAdmin,
    /// Import data from the MongoDB version (`engine::import`).
    ImportData,
}

impl Permission {
    /// Every permission, in display order.
    pub const ALL: [Permission; 10] = [
        Permission::ManageUsers,
        Permission::ManageRoles,
        Permission::ManageScimTokens,
        Permission::ManageClientApps,
        Permission::ManageIssuers,
        Permission::ManageAchievements,
        Permission::Award,
        Permission::Revoke,
        Permission::ViewAdmin,
        Permission::ImportData,
    ];

    /// The name used in the database (`permissions.name`).
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ManageUsers => "manage_users",
            Permission::ManageRoles => "manage_roles",
            Permission::ManageScimTokens => "manage_scim_tokens",
            Permission::ManageClientApps => "manage_client_apps",
            Permission::ManageIssuers => "manage_issuers",
            Permission::ManageAchievements => "manage_achievements",
            Permission::Award => "award",
            Permission::Revoke => "revoke",
            Permission::ViewAdmin => "view_admin",
            Permission::ImportData => "import_data",
        }
    }

    /// Parses a database name; `None` for names this build does not know.
    pub fn parse(name: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

mod sealed {
    pub trait Sealed {}
}

/// Type-level permission; implemented only by the markers in [`can`].
pub trait PermissionMarker: sealed::Sealed {
    /// The permission this marker stands for.
    const PERMISSION: Permission;
}

/// Zero-sized permission markers used as `Authorized<can::X>`.
pub mod can {
    use super::{Permission, PermissionMarker, sealed::Sealed};

    macro_rules! marker {
        ($($name:ident),*) => {$(
            #[doc = concat!("Marker for [`Permission::", stringify!($name), "`].")]
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl Sealed for $name {}
            impl PermissionMarker for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*};
    }
    marker!(
        ManageUsers,
        ManageRoles,
        ManageScimTokens,
        ManageClientApps,
        ManageIssuers,
        ManageAchievements,
        Award,
        Revoke,
        ViewAdmin,
        ImportData
    );
}

/// Proof that [`Actor`] holds permission `P`. Cannot be built outside this crate except
/// through [`Principal::require`]; it also tells the audit log who acted.
#[derive(Debug, Clone)]
pub struct Authorized<P: PermissionMarker> {
    actor: Actor,
    _permission: PhantomData<P>,
}

impl<P: PermissionMarker> Authorized<P> {
    /// Only the engine mints capabilities (principals and SCIM tokens).
    pub(crate) fn new(actor: Actor) -> Self {
        Authorized {
            actor,
            _permission: PhantomData,
        }
    }

    /// Who holds this capability, for audit rows.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }
}

/// `Authorized<can::ManageUsers>`.
pub type CanManageUsers = Authorized<can::ManageUsers>;
/// `Authorized<can::ManageRoles>`.
pub type CanManageRoles = Authorized<can::ManageRoles>;
/// `Authorized<can::ManageScimTokens>`.
pub type CanManageScimTokens = Authorized<can::ManageScimTokens>;
/// `Authorized<can::ManageClientApps>`.
pub type CanManageClientApps = Authorized<can::ManageClientApps>;
/// `Authorized<can::ManageIssuers>`.
pub type CanManageIssuers = Authorized<can::ManageIssuers>;
/// `Authorized<can::ManageAchievements>`.
pub type CanManageAchievements = Authorized<can::ManageAchievements>;
/// `Authorized<can::Award>`.
pub type CanAward = Authorized<can::Award>;
/// `Authorized<can::Revoke>`.
pub type CanRevoke = Authorized<can::Revoke>;
/// `Authorized<can::ViewAdmin>`.
pub type CanViewAdmin = Authorized<can::ViewAdmin>;
/// `Authorized<can::ImportData>`.
pub type CanImportData = Authorized<can::ImportData>;

/// A signed-in user's effective roles and permissions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Principal {
    user_id: Option<Uuid>,
    label: String,
    roles: BTreeSet<String>,
    permissions: BTreeSet<Permission>,
}

impl Principal {
    /// A principal with every permission for command-line tools, seeding and job workers.
    /// `label` appears in the audit log (e.g. `cli`, `system:seed`); grep for callers.
    pub fn system(label: impl Into<String>) -> Principal {
        Principal {
            user_id: None,
            label: label.into(),
            roles: BTreeSet::from(["admin".to_owned()]),
            permissions: Permission::ALL.into_iter().collect(),
        }
    }

    /// The user, `None` for [`Principal::system`].
    pub fn user_id(&self) -> Option<Uuid> {
        self.user_id
    }

    /// Username (or system label) shown in the audit log.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Effective role names.
    pub fn roles(&self) -> &BTreeSet<String> {
        &self.roles
    }

    /// Effective permissions.
    pub fn permissions(&self) -> &BTreeSet<Permission> {
        &self.permissions
    }

    /// Whether the principal holds `permission` (for hiding UI; never instead of `require`).
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// The audit identity of this principal.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id,
            label: self.label.clone(),
        }
    }

    /// Checks permission `P` and returns the capability that admin functions demand.
    pub fn require<P: PermissionMarker>(&self) -> Result<Authorized<P>> {
        if self.has(P::PERMISSION) {
            Ok(Authorized::new(self.actor()))
        } else {
            Err(Error::Forbidden {
                permission: P::PERMISSION,
            })
        }
    }
}

/// Loads a user's effective roles: (a) granted directly in `user_roles`, (b) mapped from the
/// SCIM groups the user belongs to (by group id, or by the group's Entra object id), and
/// (c) mapped from the ID token's `groups` / `roles` claim values passed in by the caller.
/// Fails with [`Error::AccountDisabled`] for a deactivated or deleted user.
pub async fn load_principal(
    pool: &PgPool,
    user_id: Uuid,
    claim_roles: &[String],
    claim_group_ids: &[String],
) -> Result<Principal> {
    let claims: Vec<String> = claim_roles
        .iter()
        .chain(claim_group_ids)
        .filter(|c| !c.is_empty())
        .cloned()
        .collect();
    // One round trip on every signed-in request: the user row, left-joined to one row per
    // (role, permission) the user holds — at least one row whenever the user exists.
    let rows = sqlx::query!(
        r#"
        with effective as (
            select role_id from user_roles where user_id = $1
            union
            select gr.role_id from group_roles gr
              join group_members gm on gm.group_id = gr.group_id
             where gm.user_id = $1
            union
            select gr.role_id from group_roles gr
              join groups g on g.external_id = gr.claim_value
              join group_members gm on gm.group_id = g.id
             where gm.user_id = $1
            union
            select gr.role_id from group_roles gr where gr.claim_value = any($2::text[])
        ),
        granted as (
            select r.name, rp.permission
              from roles r
              join effective e on e.role_id = r.id
              left join role_permissions rp on rp.role_id = r.id
        )
        select u.username, (u.active and u.deleted_at is null) as "live!",
               g.name as "role?", g.permission as "permission?"
          from users u left join granted g on true
         where u.id = $1
        "#,
        user_id,
        &claims
    )
    .fetch_all(pool)
    .await?;
    let first = rows.first().ok_or(Error::NotFound { entity: "user" })?;
    if !first.live {
        return Err(Error::AccountDisabled);
    }
    let label = first.username.clone();
    let mut roles = BTreeSet::new();
    let mut permissions = BTreeSet::new();
    for row in rows {
        if let Some(p) = row.permission.as_deref().and_then(Permission::parse) {
            permissions.insert(p);
        }
        if let Some(role) = row.role {
            roles.insert(role);
        }
    }
    Ok(Principal {
        user_id: Some(user_id),
        label,
        roles,
        permissions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
        assert_eq!(Permission::parse("nope"), None);
    }

    #[test]
    fn require_refuses_missing_permission() {
        let p = Principal {
            user_id: Some(Uuid::now_v7()),
            label: "v".into(),
            roles: BTreeSet::from(["viewer".to_owned()]),
            permissions: BTreeSet::from([Permission::ViewAdmin]),
        };
        assert!(p.require::<can::ViewAdmin>().is_ok());
        assert!(matches!(
            p.require::<can::ManageUsers>(),
            Err(Error::Forbidden {
                permission: Permission::ManageUsers
            })
        ));
    }
}
