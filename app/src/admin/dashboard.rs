//! `/admin`: where to start — the viewer's issuers, the latest awards, and links to what they
//! may do.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use super::awards::{AwardRow, AwardTable};
use crate::auth::{AppError, ErrorNotice};
use crate::language::{t, t_with};

/// Data for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardData {
    /// Greeting name.
    pub display_name: String,
    /// Effective global roles.
    pub roles: Vec<String>,
    /// Issuers the viewer works with: (id, name), first few.
    pub issuers: Vec<(String, String)>,
    /// Issuers in all.
    pub issuer_count: i64,
    /// Live users, for user managers.
    pub users: Option<i64>,
    /// Latest awards.
    pub latest: Vec<AwardRow>,
    /// May create issuers.
    pub can_create_issuers: bool,
}

/// Dashboard figures (needs `view_admin`).
#[server(endpoint = "admin_dashboard")]
pub async fn admin_dashboard() -> Result<DashboardData, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::{Permission, can};
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let s = crate::services();
    let issuers = engine::issuer::list(
        &s.pool,
        &view,
        &engine::issuer::IssuerListQuery {
            page: engine::page::PageRequest {
                offset: 0,
                limit: 6,
            },
            ..Default::default()
        },
    )
    .await
    .map_err(engine_error)?;
    let users = match viewer.principal.require::<can::ManageUsers>() {
        Ok(can) => Some(
            engine::user::list(
                &s.pool,
                &can,
                &engine::user::UserFilter::All,
                engine::page::PageRequest {
                    offset: 0,
                    limit: 1,
                },
            )
            .await
            .map_err(engine_error)?
            .total,
        ),
        Err(_) => None,
    };
    let latest = engine::award::search_history(
        &s.pool,
        &view,
        &engine::award::HistoryQuery {
            page: engine::page::PageRequest {
                offset: 0,
                limit: 5,
            },
            ..Default::default()
        },
    )
    .await
    .map_err(engine_error)?;
    let p = &viewer.principal;
    Ok(DashboardData {
        display_name: viewer.display_name.clone(),
        roles: p.roles().iter().cloned().collect(),
        issuers: issuers
            .items
            .iter()
            .map(|i| (i.id.to_string(), i.name.clone()))
            .collect(),
        issuer_count: issuers.total,
        users,
        latest: latest.items.iter().map(super::awards::row).collect(),
        can_create_issuers: p.has_global(Permission::ManageIssuers),
    })
}

/// The admin dashboard page.
#[component]
pub fn AdminDashboard() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_dashboard());
    view! {
        <Title text=t("admin-dashboard-title") />
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <AdminNav />
                        <section class="admin" data-testid="admin-dashboard">
                            <h1>{t_with("admin-dashboard-welcome", &[("name", (&d.display_name).into())])}</h1>
                            {(!d.roles.is_empty()).then(|| view! { <p class="muted">{t_with("admin-dashboard-roles", &[("roles", d.roles.join(", ").as_str().into())])}</p> })}
                            <div class="dash-grid">
                                <section class="card">
                                    <h2>{t_with("admin-dashboard-issuers", &[("count", d.issuer_count.into())])}</h2>
                                    {if d.issuers.is_empty() {
                                        view! { <p class="muted">{t("admin-dashboard-no-issuers")}</p> }.into_any()
                                    } else {
                                        view! { <ul>{d.issuers.iter().map(|(id, n)| view! { <li><a href=format!("/admin/issuers/{id}")>{n.clone()}</a></li> }).collect_view()}</ul> }.into_any()
                                    }}
                                    <p><a href="/admin/issuers">{t("admin-dashboard-all-issuers")}</a>
                                        {d.can_create_issuers.then(|| view! { " · " <a href="/admin/issuers/new">{t("admin-dashboard-new-issuer")}</a> })}</p>
                                </section>
                                {d.users.map(|u| view! {
                                    <section class="card">
                                        <h2>{t("admin-dashboard-people")}</h2>
                                        <p class="big-number">{u}</p>
                                        <p><a href="/admin/users">{t("admin-dashboard-users")}</a> " · " <a href="/admin/roles">{t("admin-dashboard-roles-link")}</a></p>
                                    </section>
                                })}
                            </div>
                            <section class="panel">
                                <div class="page-head"><h2>{t("admin-dashboard-latest")}</h2><a href="/admin/awards">{t("admin-dashboard-all-awards")}</a></div>
                                <AwardTable rows=d.latest.clone() />
                            </section>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
