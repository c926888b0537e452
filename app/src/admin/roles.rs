//! `/admin/roles`: the group → role mapping editor. A mapping's source is a claim value: an
//! Entra group object id (the `groups` claim, or a SCIM group with that `externalId`) or an
//! app-role value (the `roles` claim).

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::language::t;

/// One mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingRow {
    /// Mapping id.
    pub id: String,
    /// Where the role comes from, for display.
    pub source: String,
    /// Role conferred.
    pub role: String,
}

/// A role to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleOption {
    /// Role id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

/// Mappings and roles for the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingsData {
    /// Current mappings.
    pub mappings: Vec<MappingRow>,
    /// Every role.
    pub roles: Vec<RoleOption>,
}

/// Current mappings and the roles (needs `manage_roles`).
#[server(endpoint = "admin_role_mappings")]
pub async fn role_mappings() -> Result<MappingsData, AppError> {
    use crate::auth::server::engine_error;
    use crate::language::t_with;
    use engine::rbac::can;
    use engine::role::RoleSource;
    let (_viewer, can) = crate::auth::require::<can::ManageRoles>()?;
    let pool = expect_context::<sqlx::PgPool>();
    let mappings = engine::role::mappings(&pool, &can)
        .await
        .map_err(engine_error)?;
    let roles = engine::role::list(&pool, &can)
        .await
        .map_err(engine_error)?;
    Ok(MappingsData {
        mappings: mappings
            .into_iter()
            .map(|m| MappingRow {
                id: m.id.to_string(),
                source: match (&m.source, &m.group_name) {
                    (RoleSource::Claim(c), _) => {
                        t_with("admin-roles-source-entra-group", &[("group", c.into())])
                    }
                    (RoleSource::AppRole(c), _) => {
                        t_with("admin-roles-source-app-role", &[("role", c.into())])
                    }
                    (RoleSource::Group(_), Some(name)) => {
                        t_with("admin-roles-source-scim-group", &[("group", name.into())])
                    }
                    (RoleSource::Group(g), None) => t_with(
                        "admin-roles-source-scim-group",
                        &[("group", (&g.to_string()).into())],
                    ),
                },
                role: m.role_name,
            })
            .collect(),
        roles: roles
            .into_iter()
            .map(|r| RoleOption {
                id: r.id.to_string(),
                name: r.name,
                description: r.description,
            })
            .collect(),
    })
}

/// Maps a claim value (group object id or app-role value) to a role (needs `manage_roles`).
#[server(endpoint = "admin_add_role_mapping")]
pub async fn add_role_mapping(
    claim_kind: String,
    claim_value: String,
    role_id: String,
) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageRoles>()?;
    let claim = claim_value.trim();
    if claim.is_empty() || claim.len() > 200 {
        return Err(AppError::invalid(
            "claim_value",
            t("admin-roles-claim-value-invalid"),
        ));
    }
    let source = match claim_kind.as_str() {
        "group" => engine::role::RoleSource::Claim(claim.to_owned()),
        "app_role" => engine::role::RoleSource::AppRole(claim.to_owned()),
        _ => {
            return Err(AppError::invalid(
                "claim_kind",
                t("admin-roles-claim-kind-invalid"),
            ));
        }
    };
    let pool = expect_context::<sqlx::PgPool>();
    let role_id = super::parse_id(&role_id)?;
    engine::role::map(&pool, &can, &source, role_id)
        .await
        .map_err(engine_error)?;
    Ok(())
}

/// Deletes a mapping (needs `manage_roles`).
#[server(endpoint = "admin_remove_role_mapping")]
pub async fn remove_role_mapping(mapping_id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageRoles>()?;
    let pool = expect_context::<sqlx::PgPool>();
    engine::role::unmap(&pool, &can, super::parse_id(&mapping_id)?)
        .await
        .map_err(engine_error)
}

/// The mapping editor page.
#[component]
pub fn AdminRoles() -> impl IntoView {
    let add = ServerAction::<AddRoleMapping>::new();
    let remove = ServerAction::<RemoveRoleMapping>::new();
    let data = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| role_mappings(),
    );
    let failure = move || {
        add.value()
            .get()
            .and_then(Result::err)
            .or_else(|| remove.value().get().and_then(Result::err))
            .map(|e| view! { <p class="notice error" role="alert">{e.to_string()}</p> })
    };
    view! {
        <Title text=t("admin-roles-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-roles">
            <h1>{t("admin-roles-heading")}</h1>
            <p class="muted">{t("admin-roles-lead")}</p>
            {failure}
            <Suspense fallback=|| view! { <p class="muted">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => view! {
                            <table class="admin-table">
                                <thead><tr><th>{t("admin-roles-col-source")}</th><th>{t("admin-roles-col-role")}</th><th></th></tr></thead>
                                <tbody>
                                    {d.mappings.into_iter().map(|m| view! {
                                        <tr>
                                            <td><code>{m.source.clone()}</code></td>
                                            <td>{m.role.clone()}</td>
                                            <td>
                                                <ActionForm action=remove attr:class="inline">
                                                    <input type="hidden" name="mapping_id" value=m.id.clone() />
                                                    <button type="submit" class="small">{t("admin-roles-remove")}</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }.into_any()).collect_view()}
                                </tbody>
                            </table>
                            <h2>{t("admin-roles-add-heading")}</h2>
                            <ActionForm action=add attr:class="stacked">
                                <label for="claim-kind">{t("admin-roles-matched-against")}</label>
                                <select id="claim-kind" name="claim_kind">
                                    <option value="group">{t("admin-roles-kind-group")}</option>
                                    <option value="app_role">{t("admin-roles-kind-app-role")}</option>
                                </select>
                                <label for="claim-value">{t("admin-roles-claim-value")}</label>
                                <input id="claim-value" name="claim_value" required maxlength="200" />
                                <label for="role-id">{t("admin-roles-role")}</label>
                                <select id="role-id" name="role_id">
                                    {d.roles.into_iter().map(|r| view! {
                                        <option value=r.id.clone() title=r.description.clone()>{r.name.clone()}</option>
                                    }).collect_view()}
                                </select>
                                <button type="submit" class="primary">{t("admin-roles-add")}</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
