//! `/admin/client-apps`: integrations that call the REST API. An admin registers an app (and
//! owns it), copies its client id and secret (shown once, stored hashed), rotates the secret
//! with an overlap or revokes the app, and gives it client roles: sets of API permissions,
//! on every issuer or on one, with the users assigned to them.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};

/// Permissions a client role may hold, with the words the page shows.
pub const ROLE_PERMISSIONS: [(&str, &str); 6] = [
    ("view_admin", "Read issuers, achievements, awards and jobs"),
    ("manage_achievements", "Create and change achievements"),
    ("award", "Award credentials"),
    ("revoke", "Revoke and suspend credentials"),
    ("manage_issuers", "Change issuers"),
    ("manage_jobs", "Retry and cancel jobs"),
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
                    None => "All issuers".into(),
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
            last_used_at: app.last_used_at.map(when).unwrap_or_else(|| "never".into()),
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
            format!("No user has the username or e-mail `{user}`."),
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
                    <p>"Client app " <strong>{s.name}</strong> ": copy the secret now — it will not be shown again."</p>
                    <dl class="facts">
                        <div><dt>"Client id"</dt><dd><code data-testid="client-id">{s.client_id}</code></dd></div>
                        <div><dt>"Client secret"</dt><dd><code data-testid="client-secret">{s.secret}</code></dd></div>
                    </dl>
                    {s.previous_until.map(|u| view! { <p>"The previous secret keeps working until " {u} "."</p> })}
                    <p>"Get an access token:"</p>
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
        <Title text="Client apps" />
        <AdminNav />
        <section class="admin" data-testid="admin-client-apps">
            <h1>"Client apps"</h1>
            <p class="muted">
                "Systems such as an LMS or an HR tool issue badges through the "
                <a href="/api/docs">"REST API"</a>
                ". Register each one here: it gets a client id and a secret for "
                <code>"POST /oauth/token"</code>
                ", and may do what its roles allow."
            </p>
            {move || secret_notice(create.value().get())}
            {move || secret_notice(rotate.value().get())}
            {move || outcome(revoke.value().get())}
            {move || outcome(add_role.value().get())}
            {move || outcome(drop_role.value().get())}
            {move || outcome(assign.value().get())}
            {move || outcome(unassign.value().get())}
            <details class="panel" open>
                <summary>"Register an app"</summary>
                <ActionForm action=create attr:class="stacked">
                    <label for="app-name">"Name"</label>
                    <input id="app-name" name="name" required maxlength="100" placeholder="Campus LMS" />
                    <label for="app-description">"Description"</label>
                    <input id="app-description" name="description" maxlength="500" placeholder="Awards course badges when a course is passed" />
                    <label for="app-redirects">"Redirect URIs " <span class="muted">"(one per line; only for apps that sign users in)"</span></label>
                    <textarea id="app-redirects" name="redirect_uris" rows="2" placeholder="https://lms.example.org/badges/callback"></textarea>
                    <button type="submit" class="primary">"Register app"</button>
                </ActionForm>
            </details>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(data) if data.apps.is_empty() => view! {
                            <p class="empty" data-testid="no-client-apps">"No client apps yet. Register one above."</p>
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
                                                    <label class="field">"Keep the old secret working for "
                                                        <select name="overlap_days">
                                                            <option value="0">"no time"</option>
                                                            <option value="1" selected>"1 day"</option>
                                                            <option value="7">"7 days"</option>
                                                            <option value="30">"30 days"</option>
                                                        </select>
                                                    </label>
                                                    <button type="submit" class="small">"Rotate secret"</button>
                                                </ActionForm>
                                                <ActionForm action=revoke attr:class="inline">
                                                    <input type="hidden" name="app_id" value=revoke_id />
                                                    <button type="submit" class="small danger">"Revoke app"</button>
                                                </ActionForm>
                                            </div>
                                    }
                                });
                                let add_form = live.then(|| {
                                    let issuers = issuers.clone();
                                    view! {
                                            <details>
                                                <summary>"Add a role"</summary>
                                                <ActionForm action=add_role attr:class="stacked">
                                                    <input type="hidden" name="form[app_id]" value=role_app_id.clone() />
                                                    <label>"Name" <input name="form[name]" required maxlength="100" placeholder="awarder" /></label>
                                                    <fieldset>
                                                        <legend>"May"</legend>
                                                        {ROLE_PERMISSIONS.iter().map(|(name, words)| view! {
                                                            <label class="checkbox"><input type="checkbox" name=format!("form[{name}]") value="on" /> <span>{*words} " " <code>{*name}</code></span></label>
                                                        }).collect_view()}
                                                    </fieldset>
                                                    <label>"On"
                                                        <select name="form[issuer_id]">
                                                            <option value="">"All issuers"</option>
                                                            {issuers.clone().into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                                        </select>
                                                    </label>
                                                    <button type="submit" class="primary">"Add role"</button>
                                                </ActionForm>
                                            </details>
                                    }
                                });
                                view! {
                                    <article class="panel client-app" data-testid="client-app">
                                        <header>
                                            <h2>{app.name.clone()}</h2>
                                            {match app.revoked_at.clone() {
                                                Some(at) => view! { <span class="pill pill-revoked">"revoked " {at}</span> }.into_any(),
                                                None => view! { <span class="pill pill-active">"active"</span> }.into_any(),
                                            }}
                                        </header>
                                        {(!app.description.is_empty()).then(|| view! { <p>{app.description.clone()}</p> })}
                                        <dl class="facts">
                                            <div><dt>"Client id"</dt><dd><code>{app.client_id.clone()}</code></dd></div>
                                            <div><dt>"Secret"</dt><dd><code>{app.prefix.clone()} "…"</code></dd></div>
                                            <div><dt>"Registered"</dt><dd>{app.created_at.clone()}</dd></div>
                                            <div><dt>"Last token"</dt><dd>{app.last_used_at.clone()}</dd></div>
                                            {app.previous_until.clone().map(|u| view! { <div><dt>"Old secret"</dt><dd>"works until " {u}</dd></div> })}
                                        </dl>
                                        {actions}
                                        <h3>"Roles"</h3>
                                        {if app.roles.is_empty() {
                                            view! { <p class="muted">"No roles: the app can get a token but do nothing with it."</p> }.into_any()
                                        } else {
                                            view! {
                                                <table class="admin-table">
                                                    <thead><tr><th>"Role"</th><th>"May"</th><th>"Issuers"</th><th>"Users"</th><th></th></tr></thead>
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
                                                                                <button type="submit" class="link" aria-label=format!("Remove {uname}")>"×"</button>
                                                                            </ActionForm>
                                                                        }}).collect_view()}
                                                                        <ActionForm action=assign attr:class="inline-form">
                                                                            <input type="hidden" name="role_id" value=rid_assign.clone() />
                                                                            <input name="user" required placeholder="username or e-mail" aria-label="User to assign" />
                                                                            <button type="submit" class="small">"Assign"</button>
                                                                        </ActionForm>
                                                                    </td>
                                                                    <td>
                                                                        <ActionForm action=drop_role attr:class="inline">
                                                                            <input type="hidden" name="role_id" value=rid_delete.clone() />
                                                                            <button type="submit" class="small">"Delete"</button>
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
