//! Role-based access control as types. A [`Principal`] holds the permissions of a signed-in
//! user — global ones from roles, and per-issuer ones from staff roles; [`Principal::require`]
//! is the only way (besides a SCIM token and the named bypass
//! [`Principal::bypass_for_system_task`]) to obtain an [`Authorized`] capability, and every
//! admin read and write in the engine takes one by reference — so a handler that forgets the
//! check does not compile. Issuer-bound functions also check the capability's [`Scope`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

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
    /// Retry and cancel background jobs.
    ManageJobs,
    /// Import data from the MongoDB version (`engine::import`).
    ImportData,
}

impl Permission {
    /// Every permission, in display order.
    pub const ALL: [Permission; 11] = [
        Permission::ManageUsers,
        Permission::ManageRoles,
        Permission::ManageScimTokens,
        Permission::ManageClientApps,
        Permission::ManageIssuers,
        Permission::ManageAchievements,
        Permission::Award,
        Permission::Revoke,
        Permission::ViewAdmin,
        Permission::ManageJobs,
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
            Permission::ManageJobs => "manage_jobs",
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
        ManageJobs,
        ImportData
    );
}

/// Which issuers a capability reaches.
///
/// Global roles (from Entra groups or direct grants) reach every issuer; per-issuer staff
/// roles (owner, editor, awarder) reach the issuers they were granted on and every
/// department below them. Engine functions check the scope themselves, so a handler can
/// neither tell nor skip which layer granted a capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every issuer.
    All,
    /// Only these issuers (granted ones plus their descendants).
    Issuers(Arc<BTreeSet<Uuid>>),
}

impl Scope {
    /// Whether the scope reaches `issuer_id`.
    pub fn covers(&self, issuer_id: Uuid) -> bool {
        match self {
            Scope::All => true,
            Scope::Issuers(ids) => ids.contains(&issuer_id),
        }
    }

    /// `None` for every issuer, else the issuer ids (for `issuer_id = any($n)` filters).
    pub fn issuer_ids(&self) -> Option<Vec<Uuid>> {
        match self {
            Scope::All => None,
            Scope::Issuers(ids) => Some(ids.iter().copied().collect()),
        }
    }
}

/// Proof that [`Actor`] holds permission `P` within a [`Scope`]. Only the engine mints it
/// (from [`Principal::require`] or a SCIM token), so code outside the engine cannot hold one
/// without the check; it also tells the audit log who acted.
///
/// ```compile_fail
/// // Outside the engine a capability cannot be built by hand …
/// let forged: engine::rbac::CanManageUsers = engine::rbac::Authorized {
///     actor: engine::audit::Actor::system("me"),
///     scope: engine::rbac::Scope::All,
///     _permission: std::marker::PhantomData,
/// };
/// ```
///
/// ```compile_fail
/// // … nor through its constructor, which is private to the engine.
/// let forged = engine::rbac::CanManageUsers::new(
///     engine::audit::Actor::system("me"),
///     engine::rbac::Scope::All,
/// );
/// ```
#[derive(Debug, Clone)]
pub struct Authorized<P: PermissionMarker> {
    actor: Actor,
    scope: Scope,
    _permission: PhantomData<P>,
}

impl<P: PermissionMarker> Authorized<P> {
    /// Only the engine mints capabilities (principals and SCIM tokens).
    pub(crate) fn new(actor: Actor, scope: Scope) -> Self {
        Authorized {
            actor,
            scope,
            _permission: PhantomData,
        }
    }

    /// Who holds this capability, for audit rows.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Which issuers it reaches.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Whether it reaches `issuer_id` (for hiding UI; engine functions check on their own).
    pub fn covers(&self, issuer_id: Uuid) -> bool {
        self.scope.covers(issuer_id)
    }

    /// `Forbidden` unless the capability reaches `issuer_id`.
    pub(crate) fn check_issuer(&self, issuer_id: Uuid) -> Result<()> {
        if self.scope.covers(issuer_id) {
            Ok(())
        } else {
            Err(Error::Forbidden {
                permission: P::PERMISSION,
            })
        }
    }

    /// `Forbidden` unless the capability reaches every issuer (deployment-wide changes).
    pub(crate) fn check_global(&self) -> Result<()> {
        match self.scope {
            Scope::All => Ok(()),
            Scope::Issuers(_) => Err(Error::Forbidden {
                permission: P::PERMISSION,
            }),
        }
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
/// `Authorized<can::ManageJobs>`.
pub type CanManageJobs = Authorized<can::ManageJobs>;
/// `Authorized<can::ImportData>`.
pub type CanImportData = Authorized<can::ImportData>;

/// A per-issuer staff role, granted on an issuer's page to a user or a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Runs the issuer: profile, keys, staff, achievements, awards.
    Owner,
    /// Defines the issuer's achievements.
    Editor,
    /// Awards, revokes and re-sends the issuer's credentials.
    Awarder,
}

impl StaffRole {
    /// Every staff role, most powerful first.
    pub const ALL: [StaffRole; 3] = [StaffRole::Owner, StaffRole::Editor, StaffRole::Awarder];

    /// Name stored in `issuer_staff.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Owner => "owner",
            StaffRole::Editor => "editor",
            StaffRole::Awarder => "awarder",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<StaffRole> {
        StaffRole::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// What the role allows on its issuer (and the departments below it).
    pub fn permissions(self) -> &'static [Permission] {
        match self {
            StaffRole::Owner => &[
                Permission::ManageIssuers,
                Permission::ManageAchievements,
                Permission::Award,
                Permission::Revoke,
                Permission::ViewAdmin,
            ],
            StaffRole::Editor => &[Permission::ManageAchievements, Permission::ViewAdmin],
            StaffRole::Awarder => &[Permission::Award, Permission::Revoke, Permission::ViewAdmin],
        }
    }
}

/// A signed-in user's effective roles and permissions: global ones, and per issuer.
///
/// Deliberately not `Deserialize`: a principal comes from [`load_principal`] (or the named
/// bypass [`Principal::bypass_for_system_task`]), never from bytes a client could send.
///
/// ```compile_fail,E0277
/// // A principal cannot be read from a session, a cookie or a request body …
/// let forged: engine::rbac::Principal = serde_json::from_str(
///     r#"{"user_id":null,"label":"me","roles":["admin"],"permissions":[],"issuer_permissions":{}}"#,
/// )
/// .unwrap();
/// ```
///
/// ```compile_fail,E0599
/// // … and the bypass has only its alarming name (no innocent `Principal::system` alias).
/// let everything = engine::rbac::Principal::system("job");
/// ```
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Principal {
    user_id: Option<Uuid>,
    label: String,
    roles: BTreeSet<String>,
    permissions: BTreeSet<Permission>,
    /// Issuer id → permissions there (staff roles, inherited by departments).
    issuer_permissions: BTreeMap<Uuid, BTreeSet<Permission>>,
}

impl Principal {
    /// **Bypasses every permission check**: a principal with every permission on every
    /// issuer, for command-line tools, seeding and the job worker acting on a job that was
    /// authorised when it was queued. Never call it on a request path; `label` appears in the
    /// audit log (e.g. `cli`, `system:seed`). Grep for callers when reviewing.
    pub fn bypass_for_system_task(label: impl Into<String>) -> Principal {
        Principal {
            user_id: None,
            label: label.into(),
            roles: BTreeSet::from(["admin".to_owned()]),
            permissions: Permission::ALL.into_iter().collect(),
            issuer_permissions: BTreeMap::new(),
        }
    }

    /// A client app's principal (from a verified API access token, `client_app::token`):
    /// `permissions` reach every issuer, `issuer_permissions` only the listed issuers.
    pub(crate) fn for_client_app(
        label: String,
        permissions: BTreeSet<Permission>,
        issuer_permissions: BTreeMap<Uuid, BTreeSet<Permission>>,
    ) -> Principal {
        Principal {
            user_id: None,
            label,
            roles: BTreeSet::new(),
            permissions,
            issuer_permissions,
        }
    }

    /// The user, `None` for system tasks.
    pub fn user_id(&self) -> Option<Uuid> {
        self.user_id
    }

    /// Username (or system label) shown in the audit log.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Effective global role names.
    pub fn roles(&self) -> &BTreeSet<String> {
        &self.roles
    }

    /// Effective global permissions.
    pub fn permissions(&self) -> &BTreeSet<Permission> {
        &self.permissions
    }

    /// Issuers where the principal holds staff permissions, with those permissions.
    pub fn issuer_permissions(&self) -> &BTreeMap<Uuid, BTreeSet<Permission>> {
        &self.issuer_permissions
    }

    /// Whether the principal holds `permission` anywhere — globally or on some issuer (for
    /// hiding UI; never instead of `require`).
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
            || self
                .issuer_permissions
                .values()
                .any(|p| p.contains(&permission))
    }

    /// Whether the principal holds `permission` on every issuer.
    pub fn has_global(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// The audit identity of this principal.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id,
            label: self.label.clone(),
        }
    }

    /// Checks permission `P` and returns the capability that engine functions demand, scoped
    /// to every issuer (global roles) or to the issuers where a staff role grants `P`.
    pub fn require<P: PermissionMarker>(&self) -> Result<Authorized<P>> {
        if self.permissions.contains(&P::PERMISSION) {
            return Ok(Authorized::new(self.actor(), Scope::All));
        }
        let ids: BTreeSet<Uuid> = self
            .issuer_permissions
            .iter()
            .filter(|(_, perms)| perms.contains(&P::PERMISSION))
            .map(|(id, _)| *id)
            .collect();
        if ids.is_empty() {
            Err(Error::Forbidden {
                permission: P::PERMISSION,
            })
        } else {
            Ok(Authorized::new(self.actor(), Scope::Issuers(Arc::new(ids))))
        }
    }
}

/// Loads a user's effective roles: (a) granted directly in `user_roles`, (b) mapped from the
/// SCIM groups the user belongs to (by group id, or by the group's Entra object id), and
/// (c) mapped from the ID token's `roles` (app-role mappings only) and `groups` (group
/// mappings only) claim values passed in by the caller.
/// Fails with [`Error::AccountDisabled`] for a deactivated or deleted user.
pub async fn load_principal(
    pool: &PgPool,
    user_id: Uuid,
    claim_roles: &[String],
    claim_group_ids: &[String],
) -> Result<Principal> {
    let app_roles: Vec<&str> = claim_roles
        .iter()
        .map(String::as_str)
        .filter(|c| !c.is_empty())
        .collect();
    let groups: Vec<&str> = claim_group_ids
        .iter()
        .map(String::as_str)
        .filter(|c| !c.is_empty())
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
             where gm.user_id = $1 and gr.claim_kind = 'group'
            union
            select gr.role_id from group_roles gr
             where gr.claim_kind = 'app_role' and gr.claim_value = any($2::text[])
            union
            select gr.role_id from group_roles gr
             where gr.claim_kind = 'group' and gr.claim_value = any($3::text[])
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
        &app_roles as &[&str],
        &groups as &[&str]
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
    let issuer_permissions = staff_permissions(pool, user_id, claim_group_ids).await?;
    Ok(Principal {
        user_id: Some(user_id),
        label,
        roles,
        permissions,
        issuer_permissions,
    })
}

/// Per-issuer permissions from staff grants to the user, to a SCIM group they belong to, or
/// to a group whose Entra object id is in the token's `groups` claim; each grant reaches the
/// departments below its issuer (at most 32 levels, far deeper than real organisations).
async fn staff_permissions(
    pool: &PgPool,
    user_id: Uuid,
    claim_group_ids: &[String],
) -> Result<BTreeMap<Uuid, BTreeSet<Permission>>> {
    let rows = sqlx::query!(
        r#"
        with recursive granted as (
            select s.issuer_id, s.role from issuer_staff s where s.user_id = $1
            union
            select s.issuer_id, s.role from issuer_staff s
              join group_members gm on gm.group_id = s.group_id
             where gm.user_id = $1
            union
            select s.issuer_id, s.role from issuer_staff s
              join groups g on g.id = s.group_id
             where g.external_id = any($2::text[])
        ),
        tree (issuer_id, role, depth) as (
            select issuer_id, role, 0 from granted
            union
            select i.id, t.role, t.depth + 1
              from issuers i join tree t on i.parent_id = t.issuer_id
             where t.depth < 32
        )
        select distinct issuer_id as "issuer_id!", role as "role!" from tree
        "#,
        user_id,
        claim_group_ids
    )
    .fetch_all(pool)
    .await?;
    let mut out: BTreeMap<Uuid, BTreeSet<Permission>> = BTreeMap::new();
    for row in rows {
        if let Some(role) = StaffRole::parse(&row.role) {
            out.entry(row.issuer_id)
                .or_default()
                .extend(role.permissions().iter().copied());
        }
    }
    Ok(out)
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
            issuer_permissions: BTreeMap::new(),
        };
        assert!(p.require::<can::ViewAdmin>().is_ok());
        assert!(matches!(
            p.require::<can::ManageUsers>(),
            Err(Error::Forbidden {
                permission: Permission::ManageUsers
            })
        ));
    }

    #[test]
    fn staff_roles_scope_capabilities_to_their_issuers() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let p = Principal {
            user_id: Some(Uuid::now_v7()),
            label: "dept".into(),
            roles: BTreeSet::new(),
            permissions: BTreeSet::new(),
            issuer_permissions: BTreeMap::from([(
                a,
                StaffRole::Awarder.permissions().iter().copied().collect(),
            )]),
        };
        let award = p.require::<can::Award>().expect("awarder may award on A");
        assert!(award.covers(a));
        assert!(!award.covers(b));
        assert!(matches!(
            award.check_issuer(b),
            Err(Error::Forbidden { .. })
        ));
        assert!(award.check_global().is_err());
        assert!(p.require::<can::ManageAchievements>().is_err());
        assert!(p.has(Permission::Award) && !p.has_global(Permission::Award));
        let system = Principal::bypass_for_system_task("t");
        assert!(system.require::<can::Award>().unwrap().covers(b));
    }
}
