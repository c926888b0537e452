//! `/admin`: what the signed-in administrator may do, with links.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};

/// Data for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardData {
    /// Greeting name.
    pub display_name: String,
    /// Effective roles.
    pub roles: Vec<String>,
    /// Live users.
    pub users: i64,
    /// May open the users page.
    pub can_manage_users: bool,
    /// May edit role mappings.
    pub can_manage_roles: bool,
    /// May manage SCIM tokens.
    pub can_manage_scim_tokens: bool,
}

/// Dashboard figures (needs `view_admin`).
#[server(endpoint = "admin_dashboard")]
pub async fn admin_dashboard() -> Result<DashboardData, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::{Permission, can};
    let (viewer, _can) = crate::auth::require::<can::ViewAdmin>()?;
    let pool = expect_context::<sqlx::PgPool>();
    let users = engine::user::list(
        &pool,
        &engine::user::UserFilter::All,
        engine::page::PageRequest::default(),
    )
    .await
    .map_err(engine_error)?
    .total;
    let p = &viewer.principal;
    Ok(DashboardData {
        display_name: viewer.display_name.clone(),
        roles: p.roles().iter().cloned().collect(),
        users,
        can_manage_users: p.has(Permission::ManageUsers),
        can_manage_roles: p.has(Permission::ManageRoles),
        can_manage_scim_tokens: p.has(Permission::ManageScimTokens),
    })
}

/// The admin dashboard page.
#[component]
pub fn AdminDashboard() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_dashboard());
    view! {
        <Title text="Administration" />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <AdminNav />
                        <section class="admin" data-testid="admin-dashboard">
                            <h1>"Administration"</h1>
                            <p>"Signed in as " <strong>{d.display_name.clone()}</strong>
                               " with roles: " {d.roles.join(", ")} "."</p>
                            <dl class="stats">
                                <div><dt>"Users"</dt><dd>{d.users}</dd></div>
                            </dl>
                            <ul class="admin-links">
                                {d.can_manage_users.then(|| view! { <li><a href="/admin/users">"Users and sessions"</a></li> })}
                                {d.can_manage_roles.then(|| view! { <li><a href="/admin/roles">"Group → role mappings"</a></li> })}
                                {d.can_manage_scim_tokens.then(|| view! { <li><a href="/admin/scim-tokens">"SCIM provisioning tokens"</a></li> })}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
