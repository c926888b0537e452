//! Entra-issued app-only access tokens for the REST API (optional: `API_ENTRA_AUDIENCE`). The
//! server checks the JWT against the tenant's published keys, audience and issuer; this maps
//! the token's `roles` claim — the app roles an Entra admin assigned to the calling app — through
//! the same app-role mappings that sign-in uses to roles, and keeps only the permissions the
//! API knows ([`super::role::API_PERMISSIONS`]), on every issuer.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::PgPool;
use uuid::Uuid;

use super::role::API_PERMISSIONS;
use crate::error::Result;
use crate::rbac::{Permission, Principal};

/// The stable id of an Entra app within its tenant, for rate limits and idempotency keys.
pub fn caller_id(tenant: Option<&str>, app: &str) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("entra-app:{}:{app}", tenant.unwrap_or_default()).as_bytes(),
    )
}

/// The principal of an Entra app (`app`: its client id) holding `app_roles`.
pub async fn principal(pool: &PgPool, app: &str, app_roles: &[String]) -> Result<Principal> {
    let granted = sqlx::query_scalar!(
        r#"select distinct rp.permission from group_roles gr
             join role_permissions rp on rp.role_id = gr.role_id
            where gr.claim_kind = 'app_role' and gr.claim_value = any($1)"#,
        app_roles
    )
    .fetch_all(pool)
    .await?;
    let permissions: BTreeSet<Permission> = granted
        .iter()
        .filter_map(|p| Permission::parse(p))
        .filter(|p| API_PERMISSIONS.contains(p))
        .collect();
    Ok(Principal::for_client_app(
        format!("entra-app:{app}"),
        permissions,
        BTreeMap::new(),
    ))
}
