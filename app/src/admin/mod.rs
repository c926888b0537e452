//! Administration pages: dashboard, users and their sessions, group → role mappings, SCIM
//! tokens. Every loader and action is a server function guarded by [`crate::auth::require`];
//! the pages only hide what the server would refuse anyway.

mod dashboard;
mod roles;
mod scim_tokens;
mod users;

pub use dashboard::{AdminDashboard, DashboardData, admin_dashboard};
pub use roles::{AdminRoles, add_role_mapping, remove_role_mapping, role_mappings};
pub use scim_tokens::{AdminScimTokens, create_scim_token, revoke_scim_token, scim_tokens};
pub use users::{AdminUsers, list_users, revoke_user_session, revoke_user_sessions};

use leptos::prelude::*;

/// Formats a timestamp for tables (UTC, minute precision).
#[cfg(feature = "ssr")]
fn when(t: sqlx::types::chrono::DateTime<sqlx::types::chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Parses an id sent by the browser.
#[cfg(feature = "ssr")]
fn parse_id(value: &str) -> Result<sqlx::types::Uuid, crate::auth::AppError> {
    value
        .parse()
        .map_err(|_| crate::auth::AppError::Invalid("that id is not valid".into()))
}

/// Sub-navigation shared by the admin pages; shows only the sections the viewer may open
/// (the server refuses the others anyway).
#[component]
fn AdminNav() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| crate::auth::current_viewer());
    view! {
        <nav class="admin-nav" aria-label="Administration">
            <a href="/admin">"Dashboard"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let v = viewer.await.ok().flatten();
                    let may = move |p: &str| v.as_ref().is_some_and(|v| v.has(p));
                    view! {
                        {may("manage_users").then(|| view! { <a href="/admin/users">"Users"</a> })}
                        {may("manage_roles").then(|| view! { <a href="/admin/roles">"Role mappings"</a> })}
                        {may("manage_scim_tokens").then(|| view! { <a href="/admin/scim-tokens">"SCIM tokens"</a> })}
                    }
                })}
            </Suspense>
        </nav>
    }
}
