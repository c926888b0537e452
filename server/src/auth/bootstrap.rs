//! `badge-engine map-claim`: the first group → role mapping, before anyone can sign in as admin.

use engine::rbac::{Principal, can};
use engine::role::RoleSource;

use crate::config::Config;
use crate::startup;

/// Which ID-token claim a mapped value is matched against.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ClaimKind {
    /// An Entra group object id (`groups`), also matching the SCIM group with that externalId.
    Group,
    /// An app-role value (`roles`).
    AppRole,
}

/// Maps `claim` to the role named `role` unless that mapping exists already.
pub async fn map_claim(
    config: Config,
    claim: &str,
    role: &str,
    kind: ClaimKind,
) -> Result<(), String> {
    let db = startup::connect_database(&config)
        .await
        .map_err(|e| e.to_string())?;
    startup::migrate(&db).await.map_err(|e| e.to_string())?;
    let claim = claim.trim();
    if claim.is_empty() {
        return Err("--claim must not be empty".into());
    }
    let source = match kind {
        ClaimKind::Group => RoleSource::Claim(claim.to_owned()),
        ClaimKind::AppRole => RoleSource::AppRole(claim.to_owned()),
    };
    let found = engine::role::find_by_name(&db, role)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("there is no role named `{role}`"))?;
    let existing = engine::role::mappings(
        &db,
        &Principal::bypass_for_system_task("cli")
            .require::<can::ManageRoles>()
            .map_err(|e| e.to_string())?,
    )
    .await
    .map_err(|e| e.to_string())?;
    if existing
        .iter()
        .any(|m| m.role_id == found.id && m.source == source)
    {
        tracing::info!(claim, role, "mapping already present");
        return Ok(());
    }
    let can = Principal::bypass_for_system_task("cli")
        .require::<can::ManageRoles>()
        .map_err(|e| e.to_string())?;
    engine::role::map(&db, &can, &source, found.id)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(claim, role, "mapping added");
    Ok(())
}
