//! `/admin/client-apps`: integrations that call the REST API. An admin registers an app (and
//! owns it), copies its client id and secret (shown once, stored hashed), rotates the secret
//! with an overlap or revokes the app, and gives it client roles: sets of API permissions,
//! on every issuer or on one, with the users assigned to them.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::language::{t, t_with};

/// Permissions a client role may hold, with the keys of the words the page shows.
pub const ROLE_PERMISSIONS: [(&str, &str); 6] = [
    ("view_admin", "admin-apps-perm-view-admin"),
    ("manage_achievements", "admin-apps-perm-manage-achievements"),
    ("award", "admin-apps-perm-award"),
    ("revoke", "admin-apps-perm-revoke"),
    ("manage_issuers", "admin-apps-perm-manage-issuers"),
    ("manage_jobs", "admin-apps-perm-manage-jobs"),
];

/// One role of an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Permission names.
    pub permissions: Vec<String>,
    /// "All issuers" or the issuers' names.
    pub reach: String,
    /// Assigned users: (id, username).
    pub users: Vec<(String, String)>,
}

/// One app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppRow {
    /// Row id.
    pub id: String,
    /// OAuth client id.
    pub client_id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Secret prefix.
    pub prefix: String,
    /// Created.
    pub created_at: String,
    /// Last token request.
    pub last_used_at: String,
    /// Until when the previous secret still works.
    pub previous_until: Option<String>,
    /// Revoked.
    pub revoked_at: Option<String>,
    /// Roles.
    pub roles: Vec<RoleRow>,
}

/// What the page lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientAppsPage {
    /// Apps, newest first.
    pub apps: Vec<AppRow>,
    /// Issuers a role can be limited to: (id, name).
    pub issuers: Vec<(String, String)>,
    /// Where the token endpoint is.
    pub token_url: String,
}

/// A new or rotated secret, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSecret {
    /// App name.
    pub name: String,
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub secret: String,
    /// Token endpoint.
    pub token_url: String,
    /// Until when the previous secret works, after a rotation.
    pub previous_until: Option<String>,
}

#[cfg(feature = "ssr")]
fn token_url() -> String {
    let services = expect_context::<engine::Services>();
    format!("{}/oauth/token", services.urls().base())
}

/// Apps and their roles (needs `manage_client_apps`).
#[server(endpoint = "admin_client_apps")]
pub async fn client_apps() -> Result<ClientAppsPage, AppError> {
    use super::when;
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, can) = crate::auth::require::<can::ManageClientApps>()?;
    let pool = expect_context::<sqlx::PgPool>();
    let issuers = match viewer.principal.require::<can::ViewAdmin>() {
        Ok(view) => engine::issuer::list::choices(&pool, &view)
            .await
            .map_err(engine_error)?,
        Err(_) => Vec::new(),
    };
    let name_of = |id: &sqlx::types::Uuid| {
        issuers
            .iter()
            .find(|(i, _)| i == id)
            .map_or_else(|| id.to_string(), |(_, n)| n.clone())
    };
    let mut apps = Vec::new();
    for app in engine::client_app::list(&pool, &can)
        .await
        .map_err(engine_error)?
    {
        let mut roles = Vec::new();
        for role in engine::client_app::role::list(&pool, &can, app.id)
            .await
            .map_err(engine_error)?
        {
            let mut users = Vec::new();
            for id in &role.users {
                if let Some(u) = engine::user::get_any(&pool, *id)
                    .await
                    .map_err(engine_error)?
                {
                    users.push((id.to_string(), u.username));
                }
            }
            roles.push(RoleRow {
                id: role.id.to_string(),
                name: role.name,
                permissions: role.permissions,
                reach: match &role.issuer_ids {
                    None => t("admin-apps-all-issuers"),
                    Some(ids) => ids.iter().map(name_of).collect::<Vec<_>>().join(", "),
                },
                users,
            });
        }
        apps.push(AppRow {
            id: app.id.to_string(),
            client_id: app.client_id,
            name: app.name,
            description: app.description,
            prefix: app.secret_prefix,
            created_at: when(app.created_at),
            last_used_at: app
                .last_used_at
                .map(when)
                .unwrap_or_else(|| t("admin-apps-never")),
            previous_until: app.previous_secret_expires_at.map(when),
            revoked_at: app.revoked_at.map(when),
            roles,
        });
    }
    Ok(ClientAppsPage {
        apps,
        issuers: issuers
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect(),
        token_url: token_url(),
    })
}

/// Registers an app owned by the viewer; its secret is returned once.
#[server(endpoint = "admin_create_client_app")]
pub async fn create_client_app(
    name: String,
    description: String,
    redirect_uris: String,
) -> Result<NewSecret, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, can) = crate::auth::require::<can::ManageClientApps>()?;
    let pool = expect_context::<sqlx::PgPool>();
    let uris: Vec<String> = redirect_uris
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let created =
        engine::client_app::create(&pool, &can, viewer.user_id, &name, &description, &uris)
            .await
            .map_err(engine_error)?;
    Ok(NewSecret {
        name: created.app.name,
        client_id: created.app.client_id,
        secret: created.secret,
        token_url: token_url(),
        previous_until: None,
    })
}

/// Replaces an app's secret; the old one works for `overlap_days` more days.
#[server(endpoint = "admin_rotate_client_secret")]
pub async fn rotate_client_secret(
    app_id: String,
    overlap_days: i64,
) -> Result<NewSecret, AppError> {
    use super::when;
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageClientApps>()?;
    let pool = expect_context::<sqlx::PgPool>();
    let rotated = engine::client_app::rotate_secret(
        &pool,
        &can,
        super::parse_id(&app_id)?,
        chrono::Duration::days(overlap_days.clamp(0, 30)),
    )
    .await
    .map_err(engine_error)?;
    Ok(NewSecret {
        name: rotated.app.name,
        client_id: rotated.app.client_id,
        secret: rotated.secret,
        token_url: token_url(),
        previous_until: rotated.app.previous_secret_expires_at.map(when),
    })
}

/// Revokes an app: its secrets and tokens stop working at once.
#[server(endpoint = "admin_revoke_client_app")]
pub async fn revoke_client_app(app_id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageClientApps>()?;
    let pool = expect_context::<sqlx::PgPool>();
    engine::client_app::revoke(&pool, &can, super::parse_id(&app_id)?)
        .await
        .map_err(engine_error)
}

/// Defines a role for an app: the ticked permissions, on every issuer or on one.
/// The add-role form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleForm {
    /// App row id.
    pub app_id: String,
    /// Role name.
    pub name: String,
    /// Empty for every issuer.
    pub issuer_id: String,
    /// Ticked permissions (`Some` when the checkbox was ticked).
    pub view_admin: Option<String>,
    /// See `view_admin`.
    pub manage_achievements: Option<String>,
    /// See `view_admin`.
    pub award: Option<String>,
    /// See `view_admin`.
    pub revoke: Option<String>,
    /// See `view_admin`.
    pub manage_issuers: Option<String>,
    /// See `view_admin`.
    pub manage_jobs: Option<String>,
}

/// Defines a role for an app: the ticked permissions, on every issuer or on one.
#[server(endpoint = "admin_create_client_role")]
pub async fn create_client_role(form: RoleForm) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::{Permission, can};
    let (_viewer, can) = crate::auth::require::<can::ManageClientApps>()?;
    let pool = expect_context::<sqlx::PgPool>();
    let ticked = [
        (form.view_admin, Permission::ViewAdmin),
        (form.manage_achievements, Permission::ManageAchievements),
        (form.award, Permission::Award),
        (form.revoke, Permission::Revoke),
        (form.manage_issuers, Permission::ManageIssuers),
        (form.manage_jobs, Permission::ManageJobs),
    ];
    let permissions = ticked
        .into_iter()
        .filter(|(on, _)| on.is_some())
        .map(|(_, p)| p)
        .collect();
    let issuer_ids = match form.issuer_id.trim() {
        "" => None,
        id => Some(vec![super::parse_id(id)?]),
    };
    let input = engine::client_app::ClientRoleInput {
        name: form.name,
        description: String::new(),
        permissions,
        issuer_ids,
    };
    engine::client_app::role::create(&pool, &can, super::parse_id(&form.app_id)?, &input)
        .await
        .map_err(engine_error)?;
    Ok(())
}

/// Deletes a role.
#[server(endpoint = "admin_delete_client_role")]
pub async fn delete_client_role(role_id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageClientApps>()?;
    let pool = expect_context::<sqlx::PgPool>();
    engine::client_app::role::delete(&pool, &can, super::parse_id(&role_id)?)
        .await
        .map_err(engine_error)
}

/// Assigns a user (by username or e-mail) to a role.
#[server(endpoint = "admin_assign_client_role")]
pub async fn assign_client_role(role_id: String, user: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageClientApps>()?;
    let pool = expect_context::<sqlx::PgPool>();
    let user = user.trim();
    let found = match engine::user::find_by_username(&pool, user)
        .await
        .map_err(engine_error)?
    {
        Some(u) => Some(u),
        None => engine::user::find_by_email(&pool, user)
            .await
            .map_err(engine_error)?,
    };
    let Some(found) = found else {
        return Err(AppError::invalid(
            "user",
            t_with("admin-apps-no-such-user", &[("user", user.into())]),
        ));
    };
    engine::client_app::role::assign(&pool, &can, super::parse_id(&role_id)?, found.id)
        .await
        .map_err(engine_error)
}

/// Takes a role away from a user.
#[server(endpoint = "admin_unassign_client_role")]
pub async fn unassign_client_role(role_id: String, user_id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageClientApps>()?;
    let pool = expect_context::<sqlx::PgPool>();
    engine::client_app::role::unassign(
        &pool,
        &can,
        super::parse_id(&role_id)?,
        super::parse_id(&user_id)?,
    )
    .await
    .map_err(engine_error)
}

fn secret_notice(result: Option<Result<NewSecret, AppError>>) -> Option<AnyView> {
    result.map(|r| match r {
        Ok(s) => {
            let curl = format!(
                "curl -s -u '{}:{}' -d grant_type=client_credentials {}",
                s.client_id, s.secret, s.token_url
            );
            view! {
                <div class="notice success" role="status" data-testid="new-client-secret">
                    <p>{t("admin-apps-secret-before")} <strong>{s.name}</strong> {t("admin-apps-secret-after")}</p>
                    <dl class="facts">
                        <div><dt>{t("admin-apps-client-id")}</dt><dd><code data-testid="client-id">{s.client_id}</code></dd></div>
                        <div><dt>{t("admin-apps-client-secret")}</dt><dd><code data-testid="client-secret">{s.secret}</code></dd></div>
                    </dl>
                    {s.previous_until.map(|u| view! { <p>{t_with("admin-apps-previous-until", &[("when", (&u).into())])}</p> })}
                    <p>{t("admin-apps-get-token")}</p>
                    <pre><code>{curl}</code></pre>
                </div>
            }
            .into_any()
        }
        Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
    })
}

fn outcome(result: Option<Result<(), AppError>>) -> Option<AnyView> {
    match result {
        Some(Err(e)) => {
            Some(view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any())
        }
        _ => None,
    }
}

/// The client apps page.
#[component]
pub fn AdminClientApps() -> impl IntoView {
    let create = ServerAction::<CreateClientApp>::new();
    let rotate = ServerAction::<RotateClientSecret>::new();
    let revoke = ServerAction::<RevokeClientApp>::new();
    let add_role = ServerAction::<CreateClientRole>::new();
    let drop_role = ServerAction::<DeleteClientRole>::new();
    let assign = ServerAction::<AssignClientRole>::new();
    let unassign = ServerAction::<UnassignClientRole>::new();
    let page = Resource::new(
        move || {
            (
                create.version().get(),
                rotate.version().get(),
                revoke.version().get(),
                add_role.version().get(),
                drop_role.version().get(),
                assign.version().get(),
                unassign.version().get(),
            )
        },
        |_| client_apps(),
    );
    view! {
        <Title text=t("admin-apps-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-client-apps">
            <h1>{t("admin-apps-title")}</h1>
            <p class="muted">
                {t("admin-apps-lead-before")}
                <a href="/api/docs">{t("admin-apps-lead-api")}</a>
                {t("admin-apps-lead-middle")}
                <code>"POST /oauth/token"</code>
                {t("admin-apps-lead-after")}
            </p>
            {move || secret_notice(create.value().get())}
            {move || secret_notice(rotate.value().get())}
            {move || outcome(revoke.value().get())}
            {move || outcome(add_role.value().get())}
            {move || outcome(drop_role.value().get())}
            {move || outcome(assign.value().get())}
            {move || outcome(unassign.value().get())}
            <details class="panel" open>
                <summary>{t("admin-apps-register-heading")}</summary>
                <ActionForm action=create attr:class="stacked">
                    <label for="app-name">{t("admin-apps-name")}</label>
                    <input id="app-name" name="name" required maxlength="100" placeholder=t("admin-apps-name-placeholder") />
                    <label for="app-description">{t("admin-apps-description")}</label>
                    <input id="app-description" name="description" maxlength="500" placeholder=t("admin-apps-description-placeholder") />
                    <label for="app-redirects">{t("admin-apps-redirects")} <span class="muted">{t("admin-apps-redirects-hint")}</span></label>
                    <textarea id="app-redirects" name="redirect_uris" rows="2" placeholder="https://lms.example.org/badges/callback"></textarea>
                    <button type="submit" class="primary">{t("admin-apps-register")}</button>
                </ActionForm>
            </details>
            <Suspense fallback=|| view! { <p class="muted">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(data) if data.apps.is_empty() => view! {
                            <p class="empty" data-testid="no-client-apps">{t("admin-apps-none")}</p>
                        }.into_any(),
                        Ok(data) => {
                            let issuers = data.issuers.clone();
                            data.apps.into_iter().map(|app| {
                                let issuers = issuers.clone();
                                let live = app.revoked_at.is_none();
                                let app_id = app.id.clone();
                                let role_app_id = app.id.clone();
                                let actions = live.then(|| {
                                    let rotate_id = app_id.clone();
                                    let revoke_id = app_id.clone();
                                    view! {
                                            <div class="actions">
                                                <ActionForm action=rotate attr:class="inline-form">
                                                    <input type="hidden" name="app_id" value=rotate_id />
                                                    <label class="field">{t("admin-apps-overlap")}
                                                        <select name="overlap_days">
                                                            <option value="0">{t("admin-apps-overlap-none")}</option>
                                                            <option value="1" selected>{t_with("admin-apps-overlap-days", &[("days", 1.into())])}</option>
                                                            <option value="7">{t_with("admin-apps-overlap-days", &[("days", 7.into())])}</option>
                                                            <option value="30">{t_with("admin-apps-overlap-days", &[("days", 30.into())])}</option>
                                                        </select>
                                                    </label>
                                                    <button type="submit" class="small">{t("admin-apps-rotate")}</button>
                                                </ActionForm>
                                                <ActionForm action=revoke attr:class="inline">
                                                    <input type="hidden" name="app_id" value=revoke_id />
                                                    <button type="submit" class="small danger">{t("admin-apps-revoke")}</button>
                                                </ActionForm>
                                            </div>
                                    }
                                });
                                let add_form = live.then(|| {
                                    let issuers = issuers.clone();
                                    view! {
                                            <details>
                                                <summary>{t("admin-apps-add-role-heading")}</summary>
                                                <ActionForm action=add_role attr:class="stacked">
                                                    <input type="hidden" name="form[app_id]" value=role_app_id.clone() />
                                                    <label>{t("admin-apps-role-name")} <input name="form[name]" required maxlength="100" placeholder=t("admin-apps-role-name-placeholder") /></label>
                                                    <fieldset>
                                                        <legend>{t("admin-apps-may")}</legend>
                                                        {ROLE_PERMISSIONS.iter().map(|(name, key)| view! {
                                                            <label class="checkbox"><input type="checkbox" name=format!("form[{name}]") value="on" /> <span>{t(key)} " " <code>{*name}</code></span></label>
                                                        }).collect_view()}
                                                    </fieldset>
                                                    <label>{t("admin-apps-on")}
                                                        <select name="form[issuer_id]">
                                                            <option value="">{t("admin-apps-all-issuers")}</option>
                                                            {issuers.clone().into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                                        </select>
                                                    </label>
                                                    <button type="submit" class="primary">{t("admin-apps-add-role")}</button>
                                                </ActionForm>
                                            </details>
                                    }
                                });
                                view! {
                                    <article class="panel client-app" data-testid="client-app">
                                        <header>
                                            <h2>{app.name.clone()}</h2>
                                            {match app.revoked_at.clone() {
                                                Some(at) => view! { <span class="pill pill-revoked">{t_with("admin-apps-revoked", &[("when", (&at).into())])}</span> }.into_any(),
                                                None => view! { <span class="pill pill-active">{t("admin-apps-active")}</span> }.into_any(),
                                            }}
                                        </header>
                                        {(!app.description.is_empty()).then(|| view! { <p>{app.description.clone()}</p> })}
                                        <dl class="facts">
                                            <div><dt>{t("admin-apps-client-id")}</dt><dd><code>{app.client_id.clone()}</code></dd></div>
                                            <div><dt>{t("admin-apps-secret")}</dt><dd><code>{app.prefix.clone()} "…"</code></dd></div>
                                            <div><dt>{t("admin-apps-registered")}</dt><dd>{app.created_at.clone()}</dd></div>
                                            <div><dt>{t("admin-apps-last-token")}</dt><dd>{app.last_used_at.clone()}</dd></div>
                                            {app.previous_until.clone().map(|u| view! { <div><dt>{t("admin-apps-old-secret")}</dt><dd>{t_with("admin-apps-works-until", &[("when", (&u).into())])}</dd></div> })}
                                        </dl>
                                        {actions}
                                        <h3>{t("admin-apps-roles")}</h3>
                                        {if app.roles.is_empty() {
                                            view! { <p class="muted">{t("admin-apps-no-roles")}</p> }.into_any()
                                        } else {
                                            view! {
                                                <table class="admin-table">
                                                    <thead><tr><th>{t("admin-apps-col-role")}</th><th>{t("admin-apps-may")}</th><th>{t("admin-apps-col-issuers")}</th><th>{t("admin-apps-col-users")}</th><th></th></tr></thead>
                                                    <tbody>
                                                        {app.roles.clone().into_iter().map(|r| {
                                                            let rid = r.id.clone();
                                                            let rid_assign = rid.clone();
                                                            let rid_delete = rid.clone();
                                                            view! {
                                                                <tr data-testid="client-role">
                                                                    <td>{r.name.clone()}</td>
                                                                    <td>{r.permissions.join(", ")}</td>
                                                                    <td>{r.reach.clone()}</td>
                                                                    <td>
                                                                        {r.users.clone().into_iter().map(move |(uid, uname)| { let role_id = rid.clone(); view! {
                                                                            <ActionForm action=unassign attr:class="inline chip">
                                                                                <input type="hidden" name="role_id" value=role_id />
                                                                                <input type="hidden" name="user_id" value=uid />
                                                                                {uname.clone()}
                                                                                <button type="submit" class="link" aria-label=t_with("admin-apps-remove-user", &[("user", (&uname).into())])>"×"</button>
                                                                            </ActionForm>
                                                                        }}).collect_view()}
                                                                        <ActionForm action=assign attr:class="inline-form">
                                                                            <input type="hidden" name="role_id" value=rid_assign.clone() />
                                                                            <input name="user" required placeholder=t("admin-apps-user-placeholder") aria-label=t("admin-apps-user-label") />
                                                                            <button type="submit" class="small">{t("admin-apps-assign")}</button>
                                                                        </ActionForm>
                                                                    </td>
                                                                    <td>
                                                                        <ActionForm action=drop_role attr:class="inline">
                                                                            <input type="hidden" name="role_id" value=rid_delete.clone() />
                                                                            <button type="submit" class="small">{t("admin-apps-delete-role")}</button>
                                                                        </ActionForm>
                                                                    </td>
                                                                </tr>
                                                            }
                                                        }).collect_view()}
                                                    </tbody>
                                                </table>
                                            }.into_any()
                                        }}
                                        {add_form}
                                    </article>
                                }
                            }).collect_view().into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
