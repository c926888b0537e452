//! `/admin/issuers/{id}`: one issuer — its profile (edited with optimistic concurrency), its
//! identity (DID, signing keys with fingerprints, key rotation), its staff (per-issuer roles
//! granted to users or groups) and its departments.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::AdminNav;
use super::issuer_form::{IssuerForm, IssuerFormValues};
use crate::auth::{AppError, ErrorNotice};
use crate::language::{t, t_with};

/// A signing key as the identity section lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRow {
    /// Multikey (`z6Mk…`).
    pub multikey: String,
    /// SHA-256 fingerprint in groups.
    pub fingerprint: String,
    /// Created.
    pub created: String,
    /// Retired, if no longer signing.
    pub retired: Option<String>,
}

/// A staff grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    /// Grant id.
    pub id: String,
    /// `owner`, `editor`, `awarder`.
    pub role: String,
    /// User or group name.
    pub name: String,
    /// E-mail, or "group".
    pub detail: String,
}

/// A user or group the staff picker found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GranteeRow {
    /// `user:<id>` or `group:<id>`.
    pub key: String,
    /// Name.
    pub label: String,
    /// E-mail or "group".
    pub detail: String,
}

/// Everything the issuer page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerPageData {
    /// Id.
    pub id: String,
    /// The form's values.
    pub form: IssuerFormValues,
    /// Version the form edits.
    pub version: i32,
    /// The credential `issuer.id`.
    pub did: String,
    /// `key` or `web`.
    pub did_method: String,
    /// Keys, newest first.
    pub keys: Vec<KeyRow>,
    /// Staff grants.
    pub staff: Vec<StaffRow>,
    /// (id, name) parent choices.
    pub parents: Vec<(String, String)>,
    /// Outer organisations, outermost first: (id, name).
    pub ancestors: Vec<(String, String)>,
    /// Departments: (id, name).
    pub children: Vec<(String, String)>,
    /// May edit the profile, keys and staff.
    pub can_edit: bool,
    /// Public page.
    pub public_url: String,
    /// DID document URL, for did:web.
    pub did_document: Option<String>,
    /// Grantees found by the staff search, if one was made.
    pub found: Vec<GranteeRow>,
    /// The staff search term.
    pub staff_search: String,
}

#[cfg(feature = "ssr")]
fn parse(id: &str) -> Result<uuid::Uuid, AppError> {
    id.parse().map_err(|_| AppError::NotFound("Issuer".into()))
}

/// The issuer page's data (needs `view_admin` on the issuer).
#[server(endpoint = "admin_issuer_page")]
pub async fn issuer_page(id: String, staff_search: String) -> Result<IssuerPageData, AppError> {
    use super::when;
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let id = parse(&id)?;
    let s = crate::services();
    let issuer = engine::issuer::get(&s.pool, &view, id)
        .await
        .map_err(engine_error)?;
    let keys = engine::signing_key::list(&s.pool, &view, id)
        .await
        .map_err(engine_error)?;
    let staff = engine::issuer::staff::list(&s.pool, &view, id)
        .await
        .map_err(engine_error)?;
    let manage = viewer
        .principal
        .require::<can::ManageIssuers>()
        .ok()
        .filter(|m| m.covers(id));
    let parents = engine::issuer::list::choices(&s.pool, &view)
        .await
        .map_err(engine_error)?
        .into_iter()
        .filter(|(p, _)| *p != id)
        .map(|(p, n)| (p.to_string(), n))
        .collect();
    let ancestors = engine::issuer::ancestors(&s.pool, id)
        .await
        .map_err(engine_error)?
        .into_iter()
        .map(|(a, n)| (a.to_string(), n))
        .collect();
    let children = engine::issuer::list(
        &s.pool,
        &view,
        &engine::issuer::IssuerListQuery {
            page: engine::page::PageRequest {
                offset: 0,
                limit: 500,
            },
            ..Default::default()
        },
    )
    .await
    .map_err(engine_error)?
    .items
    .into_iter()
    .filter(|r| r.parent_id == Some(id))
    .map(|r| (r.id.to_string(), r.name))
    .collect();
    let found = match (&manage, staff_search.trim()) {
        (Some(m), term) if term.chars().count() >= 2 => {
            engine::issuer::staff::search_grantees(&s.pool, m, id, term)
                .await
                .map_err(engine_error)?
                .into_iter()
                .map(|g| GranteeRow {
                    key: match g.grantee {
                        engine::issuer::staff::GranteeRef::User(u) => format!("user:{u}"),
                        engine::issuer::staff::GranteeRef::Group(g) => format!("group:{g}"),
                    },
                    label: g.label,
                    detail: g.detail,
                })
                .collect()
        }
        _ => Vec::new(),
    };
    Ok(IssuerPageData {
        id: id.to_string(),
        form: IssuerFormValues::from_issuer(&issuer),
        version: issuer.version,
        did: issuer.did.clone().unwrap_or_default(),
        did_method: issuer.did_method.as_str().to_owned(),
        keys: keys
            .iter()
            .map(|k| KeyRow {
                multikey: k.public_key_multibase.clone(),
                fingerprint: k.fingerprint(),
                created: when(k.created_at),
                retired: k.retired_at.map(when),
            })
            .collect(),
        staff: staff
            .into_iter()
            .map(|g| {
                let (name, detail) = match g.grantee {
                    engine::issuer::staff::Grantee::User { name, email, .. } => {
                        (name, email.unwrap_or_default())
                    }
                    engine::issuer::staff::Grantee::Group { name, .. } => {
                        (name, t("admin-issuer-staff-group"))
                    }
                };
                StaffRow {
                    id: g.id.to_string(),
                    role: g.role.as_str().to_owned(),
                    name,
                    detail,
                }
            })
            .collect(),
        parents,
        ancestors,
        children,
        can_edit: manage.is_some(),
        public_url: s.urls().issuer(id),
        did_document: (issuer.did_method == engine::issuer::DidMethod::Web)
            .then(|| s.urls().did_document(id)),
        found,
        staff_search,
    })
}

/// Saves the profile if nobody else changed it since `version` (needs `manage_issuers`).
#[server(endpoint = "admin_update_issuer")]
pub async fn update_issuer(
    id: String,
    version: i32,
    form: IssuerFormValues,
) -> Result<i32, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageIssuers>()?;
    let s = crate::services();
    let (input, _) = form.to_input()?;
    let updated = engine::issuer::update(&s.pool, &s.cache, &can, parse(&id)?, version, &input)
        .await
        .map_err(engine_error)?;
    Ok(updated.version)
}

/// Retires the signing key and creates a new one (needs `manage_issuers`).
#[server(endpoint = "admin_rotate_issuer_key")]
pub async fn rotate_key(id: String, confirm: Option<String>) -> Result<String, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageIssuers>()?;
    if confirm.as_deref() != Some("on") {
        return Err(AppError::invalid(
            "confirm",
            t("admin-issuer-rotate-confirm-missing"),
        ));
    }
    let s = crate::services();
    let key = engine::issuer::rotate_key(&s.pool, &s.cache, &can, &s.kek, parse(&id)?)
        .await
        .map_err(engine_error)?;
    Ok(key.fingerprint())
}

/// Grants a staff role on the issuer (needs `manage_issuers` on it).
#[server(endpoint = "admin_grant_staff")]
pub async fn grant_staff(id: String, grantee: String, role: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::issuer::staff::{self, GranteeRef};
    use engine::rbac::{StaffRole, can};
    let (_viewer, can) = crate::auth::require::<can::ManageIssuers>()?;
    let role = StaffRole::parse(&role)
        .ok_or_else(|| AppError::invalid("role", t("admin-issuer-staff-role-invalid")))?;
    let bad = || AppError::invalid("grantee", t("admin-issuer-staff-grantee-invalid"));
    let grantee = match grantee.split_once(':') {
        Some(("user", u)) => GranteeRef::User(u.parse().map_err(|_| bad())?),
        Some(("group", g)) => GranteeRef::Group(g.parse().map_err(|_| bad())?),
        _ => return Err(bad()),
    };
    let s = crate::services();
    staff::grant(&s.pool, &can, parse(&id)?, role, grantee)
        .await
        .map(|_| ())
        .map_err(engine_error)
}

/// Removes a staff grant (needs `manage_issuers` on its issuer).
#[server(endpoint = "admin_revoke_staff")]
pub async fn revoke_staff(grant_id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageIssuers>()?;
    let s = crate::services();
    let id = grant_id
        .parse()
        .map_err(|_| AppError::NotFound("Staff grant".into()))?;
    engine::issuer::staff::revoke(&s.pool, &can, id)
        .await
        .map_err(engine_error)
}

/// What each staff role may do, in words.
pub fn role_help(role: &str) -> String {
    match role {
        "owner" => t("admin-issuer-role-help-owner"),
        "editor" => t("admin-issuer-role-help-editor"),
        _ => t("admin-issuer-role-help-awarder"),
    }
}

/// A staff role's name, in words.
fn role_name(role: &str) -> String {
    match role {
        "owner" => t("admin-issuer-role-owner"),
        "editor" => t("admin-issuer-role-editor"),
        "awarder" => t("admin-issuer-role-awarder"),
        other => other.to_owned(),
    }
}

/// The issuer page.
#[component]
pub fn AdminIssuer() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let staff_q = move || query.with(|q| q.get("staff_q").unwrap_or_default());
    let created = move || query.with(|q| q.get("created").is_some());
    let update = ServerAction::<UpdateIssuer>::new();
    let rotate = ServerAction::<RotateKey>::new();
    let grant = ServerAction::<GrantStaff>::new();
    let revoke = ServerAction::<RevokeStaff>::new();
    let data = Resource::new(
        move || {
            (
                id(),
                staff_q(),
                update.version().get(),
                rotate.version().get(),
                grant.version().get(),
                revoke.version().get(),
            )
        },
        |(id, q, ..)| issuer_page(id, q),
    );
    let update_error = Signal::derive(move || update.value().get().and_then(Result::err));
    view! {
        <Title text=t("admin-issuer-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-issuer">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("admin-issuer-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let id = d.id.clone();
                            let (form_id, dept_id) = (d.id.clone(), d.id.clone());
                            let (form_values, parents, version) = (d.form.clone(), d.parents.clone(), d.version);
                            view! {
                                <Title text=d.form.name.clone() />
                                <p class="breadcrumb">
                                    <a href="/admin/issuers">{t("admin-issuers-title")}</a>
                                    {d.ancestors.iter().map(|(aid, n)| view! { " › " <a href=format!("/admin/issuers/{aid}")>{n.clone()}</a> }).collect_view()}
                                </p>
                                <div class="page-head">
                                    <div class="title-with-logo">
                                        {(!d.form.image.is_empty()).then(|| view! { <img class="logo-lg" src=d.form.image.clone() alt="" width="56" height="56" /> })}
                                        <h1>{d.form.name.clone()}</h1>
                                    </div>
                                    <div class="head-actions">
                                        <a class="button" href=format!("/admin/issuers/{id}/achievements") data-testid="issuer-achievements">{t("admin-issuer-achievements")}</a>
                                        <a class="button secondary" href=format!("/admin/awards?issuer={id}")>{t("admin-issuer-awards")}</a>
                                        <a class="button secondary" href=d.public_url.clone()>{t("admin-issuer-public-page")}</a>
                                    </div>
                                </div>
                                {created().then(|| view! { <p class="notice success" role="status">{t("admin-issuer-created")}</p> })}
                                <div class="two-col">
                                    <div>
                                        <h2 class="visually-hidden">{t("admin-issuer-profile")}</h2>
                                        {if d.can_edit {
                                            view! {
                                                <ActionForm action=update attr:class="form" attr:data-testid="issuer-form">
                                                    <input type="hidden" name="id" value=form_id.clone() />
                                                    <input type="hidden" name="version" value=version />
                                                    <IssuerForm values=form_values.clone() parents=parents.clone() did_web=false creating=false error=update_error />
                                                    {move || update.value().get().and_then(Result::ok).map(|_| view! { <p class="notice success" role="status">{t("admin-issuer-saved")}</p> })}
                                                    <div class="actions">
                                                        <button type="submit" class="primary" disabled=move || update.pending().get()>
                                                            {move || if update.pending().get() { t("admin-issuer-saving") } else { t("admin-issuer-save") }}
                                                        </button>
                                                    </div>
                                                </ActionForm>
                                            }.into_any()
                                        } else {
                                            view! { <p class="muted">{t("admin-issuer-view-only")}</p> }.into_any()
                                        }}
                                    </div>
                                    <div>
                                        <Identity d=d.clone() rotate=rotate />
                                        <super::reissue::ReissuePanel issuer_id=d.id.clone() />
                                        <Staff d=d.clone() grant=grant revoke=revoke />
                                        <section class="panel">
                                            <h2>{t("admin-issuer-departments")}</h2>
                                            {if d.children.is_empty() {
                                                view! { <p class="muted">{t("admin-issuer-no-departments")}</p> }.into_any()
                                            } else {
                                                view! { <ul>{d.children.iter().map(|(cid, n)| view! { <li><a href=format!("/admin/issuers/{cid}")>{n.clone()}</a></li> }).collect_view()}</ul> }.into_any()
                                            }}
                                            {d.can_edit.then(|| view! { <p><a href=format!("/admin/issuers/new?parent={dept_id}")>{t("admin-issuer-add-department")}</a></p> })}
                                        </section>
                                    </div>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The identity section: DID, keys, rotation.
#[component]
fn Identity(d: IssuerPageData, rotate: ServerAction<RotateKey>) -> impl IntoView {
    let rotate_error = Signal::derive(move || rotate.value().get().and_then(Result::err));
    view! {
        <section class="panel" data-testid="issuer-identity">
            <h2>{t("admin-issuer-identity")}</h2>
            <p>{t("admin-issuer-named-as")}</p>
            <p><code class="did" data-testid="issuer-did">{d.did.clone()}</code></p>
            {d.did_document.clone().map(|u| view! { <p class="small">{t("admin-issuer-did-document")} <a href=u.clone()>{u.clone()}</a></p> })}
            <table class="admin-table compact">
                <caption class="visually-hidden">{t("admin-issuer-keys")}</caption>
                <thead><tr><th scope="col">{t("admin-issuer-col-key")}</th><th scope="col">{t("admin-issuer-col-created")}</th><th scope="col">{t("admin-issuer-col-status")}</th></tr></thead>
                <tbody>
                    {d.keys.iter().map(|k| view! {
                        <tr>
                            <td><code class="fingerprint" title=k.multikey.clone()>{k.fingerprint.clone()}</code></td>
                            <td>{k.created.clone()}</td>
                            <td>{match k.retired.clone() {
                                None => view! { <span class="pill pill-active">{t("admin-issuer-key-signing")}</span> }.into_any(),
                                Some(r) => view! { <span class="pill pill-archived">{t_with("admin-issuer-key-retired", &[("when", (&r).into())])}</span> }.into_any(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="hint">{t("admin-issuer-keys-hint")}</p>
            {d.can_edit.then(|| view! {
                <ActionForm action=rotate attr:class="form rotate">
                    <input type="hidden" name="id" value=d.id.clone() />
                    <div class="checkbox">
                        <input type="checkbox" id="rotate-confirm" name="confirm" required />
                        <label for="rotate-confirm">{t("admin-issuer-rotate-confirm")}</label>
                    </div>
                    <crate::components::ErrorSummary error=rotate_error />
                    {move || rotate.value().get().and_then(Result::ok).map(|fp| view! { <p class="notice success" role="status">{t("admin-issuer-new-key")} <code>{fp}</code></p> })}
                    <button type="submit" class="secondary" data-testid="rotate-key">{t("admin-issuer-rotate")}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// The staff section: grants and the picker.
#[component]
fn Staff(
    d: IssuerPageData,
    grant: ServerAction<GrantStaff>,
    revoke: ServerAction<RevokeStaff>,
) -> impl IntoView {
    let can_edit = d.can_edit;
    let staff = d.staff.clone();
    let found = d.found.clone();
    let staff_search = d.staff_search.clone();
    let error = Signal::derive(move || {
        grant
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| revoke.value().get().and_then(Result::err))
    });
    let id = d.id.clone();
    view! {
        <section class="panel" data-testid="issuer-staff">
            <h2>{t("admin-issuer-staff")}</h2>
            <p class="hint">{t("admin-issuer-staff-hint")}</p>
            <crate::components::ErrorSummary error=error />
            {if staff.is_empty() {
                view! { <p class="muted">{t("admin-issuer-staff-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="staff-list">
                        {staff.into_iter().map(|g| {
                            let gid = g.id.clone();
                            let remove_label = t_with("admin-issuer-staff-remove-label", &[("name", (&g.name).into()), ("role", (&role_name(&g.role)).into())]);
                            view! {
                            <li data-staff=g.name.clone()>
                                <span><strong>{g.name.clone()}</strong> " " <span class="muted">{g.detail.clone()}</span></span>
                                <span class=format!("pill pill-role-{}", g.role) title=role_help(&g.role)>{role_name(&g.role)}</span>
                                {can_edit.then(|| view! {
                                    <ActionForm action=revoke attr:class="inline">
                                        <input type="hidden" name="grant_id" value=gid.clone() />
                                        <button type="submit" class="small" aria-label=remove_label.clone()>{t("admin-issuer-staff-remove")}</button>
                                    </ActionForm>
                                })}
                            </li>
                        }}).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_edit.then(move || view! {
                <form method="get" action=format!("/admin/issuers/{id}") class="search" role="search">
                    <label for="staff-search">{t("admin-issuer-staff-search-label")}</label>
                    <input id="staff-search" type="search" name="staff_q" value=staff_search.clone() placeholder=t("admin-issuer-staff-search-placeholder") />
                    <button type="submit">{t("admin-issuer-staff-search")}</button>
                </form>
                {(!staff_search.trim().is_empty() && found.is_empty()).then(|| view! { <p class="muted">{t("admin-issuer-staff-nobody-found")}</p> })}
                <ul class="grantee-results">
                    {found.clone().into_iter().map(|f| {
                        let id = id.clone();
                        let (key, key2) = (f.key.clone(), f.key.clone());
                        view! {
                        <li>
                            <span><strong>{f.label.clone()}</strong> " " <span class="muted">{f.detail.clone()}</span></span>
                            <ActionForm action=grant attr:class="inline grant">
                                <input type="hidden" name="id" value=id.clone() />
                                <input type="hidden" name="grantee" value=key.clone() />
                                <label class="visually-hidden" for=format!("role-{key2}")>{t("admin-issuer-staff-role")}</label>
                                <select id=format!("role-{key2}") name="role">
                                    <option value="awarder">{t("admin-issuer-staff-option-awarder")}</option>
                                    <option value="editor">{t("admin-issuer-staff-option-editor")}</option>
                                    <option value="owner">{t("admin-issuer-staff-option-owner")}</option>
                                </select>
                                <button type="submit" class="small" data-testid="grant-role">{t("admin-issuer-staff-grant")}</button>
                            </ActionForm>
                        </li>
                    }}).collect_view()}
                </ul>
                <p class="hint">{t("admin-issuer-staff-roles-hint")}</p>
            })}
        </section>
    }
}
