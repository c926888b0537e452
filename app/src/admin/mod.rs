//! Administration pages: dashboard; issuers (list, new, the issuer page with identity and
//! staff), achievements (list, the wizard, the achievement page with single awards), bulk
//! awards, award history and one award, jobs, audit log, outbox; users and their sessions,
//! group → role mappings, SCIM tokens, client apps of the REST API, the import from the
//! MongoDB version. Every loader and action is a server function guarded by
//! [`crate::auth::require`]; the pages only hide what the server would refuse anyway.

pub mod achievement;
pub mod achievement_wizard;
pub mod achievements;
pub mod audit;
pub mod awards;
pub mod bulk_award;
mod client_apps;
pub mod credential;
mod dashboard;
pub mod import;
pub mod issuer_edit;
pub mod issuer_form;
pub mod issuers;
pub mod jobs;
pub mod outbox;
mod reissue;
mod roles;
mod scim_tokens;
mod users;
mod wallets;

pub use achievement::AdminAchievement;
pub use achievement_wizard::{AdminAchievementEdit, AdminAchievementNew};
pub use achievements::AdminAchievements;
pub use audit::AdminAudit;
pub use awards::AdminAwards;
pub use bulk_award::{AdminBulkAward, AdminBulkUpload};
pub use client_apps::AdminClientApps;
pub use credential::AdminCredential;
pub use dashboard::{AdminDashboard, DashboardData, admin_dashboard};
pub use import::{AdminImport, AdminImportJob, ImportUploadLimit};
pub use issuer_edit::AdminIssuer;
pub use issuers::{AdminIssuerNew, AdminIssuers};
pub use jobs::AdminJobs;
pub use outbox::AdminOutbox;
pub use roles::{AdminRoles, add_role_mapping, remove_role_mapping, role_mappings};
pub use scim_tokens::{AdminScimTokens, create_scim_token, revoke_scim_token, scim_tokens};
pub use users::{AdminUsers, list_users, revoke_user_session, revoke_user_sessions};
pub use wallets::AdminWallets;

use leptos::prelude::*;

use crate::language::t;

/// How a raw value stored by the product (a status, a kind) reads in the page's language: the
/// text of `<prefix>-<value>` (underscores become dashes), or the value itself, spaced.
fn words(prefix: &str, raw: &str) -> String {
    crate::language::t_or(
        &format!("{prefix}-{}", raw.replace('_', "-")),
        &raw.replace('_', " "),
    )
}

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
        .map_err(|_| crate::auth::AppError::BadRequest(t("admin-invalid-id")))
}

/// Sub-navigation shared by the admin pages; shows only the sections the viewer may open
/// (the server refuses the others anyway).
#[component]
fn AdminNav() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| crate::auth::current_viewer());
    view! {
        <nav class="admin-nav" aria-label=t("admin-nav-label")>
            <a href="/admin">{t("admin-nav-dashboard")}</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let v = viewer.await.ok().flatten();
                    let may = |p: &str| v.as_ref().is_some_and(|v| v.has(p));
                    let everywhere = |p: &str| v.as_ref().is_some_and(|v| v.has_global(p));
                    view! {
                        {may("view_admin").then(|| view! { <a href="/admin/issuers">{t("admin-nav-issuers")}</a> })}
                        {may("view_admin").then(|| view! { <a href="/admin/awards">{t("admin-nav-awards")}</a> })}
                        {everywhere("view_admin").then(|| view! { <a href="/admin/jobs">{t("admin-nav-jobs")}</a> })}
                        {everywhere("view_admin").then(|| view! { <a href="/admin/outbox">{t("admin-nav-outbox")}</a> })}
                        {(everywhere("view_admin") || may("manage_issuers")).then(|| view! { <a href="/admin/audit">{t("admin-nav-audit")}</a> })}
                        {may("manage_users").then(|| view! { <a href="/admin/users">{t("admin-nav-users")}</a> })}
                        {may("manage_roles").then(|| view! { <a href="/admin/roles">{t("admin-nav-roles")}</a> })}
                        {may("manage_scim_tokens").then(|| view! { <a href="/admin/scim-tokens">{t("admin-nav-scim-tokens")}</a> })}
                        {may("manage_client_apps").then(|| view! { <a href="/admin/client-apps">{t("admin-nav-client-apps")}</a> })}
                        {may("manage_client_apps").then(|| view! { <a href="/admin/wallets">{t("admin-nav-wallets")}</a> })}
                        {may("import_data").then(|| view! { <a href="/admin/import">{t("admin-nav-import")}</a> })}
                    }
                })}
            </Suspense>
        </nav>
    }
}
