//! `/admin/issuers`: the issuers the viewer may see, as a tree of organisations and their
//! departments, with search and pagination; `/admin/issuers/new` creates one.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use super::issuer_form::{IssuerForm, IssuerFormValues};
use crate::auth::{AppError, ErrorNotice};
use crate::language::t;

/// Rows per page.
pub const PER_PAGE: i64 = 25;

/// One issuer in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerListRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// 0 = organisation, 1 = department, …
    pub depth: i32,
    /// "University › Science", for search results.
    pub ancestors: String,
    /// Logo.
    pub image: Option<String>,
    /// `did:key` or `did:web`.
    pub identity: String,
    /// Achievements (not archived).
    pub achievements: i64,
}

/// A page of the issuer list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerList {
    /// Rows in tree order.
    pub rows: Vec<IssuerListRow>,
    /// Matches in all.
    pub total: i64,
    /// May create top-level issuers.
    pub can_create: bool,
}

/// Issuers matching `search`, page `page` (needs `view_admin`; staff see their issuers).
#[server(endpoint = "admin_issuers")]
pub async fn list_issuers(search: String, page: i64) -> Result<IssuerList, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::{Permission, can};
    let (viewer, can) = crate::auth::require::<can::ViewAdmin>()?;
    let s = crate::services();
    let q = engine::issuer::IssuerListQuery {
        search: Some(search).filter(|s| !s.trim().is_empty()),
        page: engine::page::PageRequest {
            offset: page.max(0) * PER_PAGE,
            limit: PER_PAGE,
        },
    };
    let found = engine::issuer::list(&s.pool, &can, &q)
        .await
        .map_err(engine_error)?;
    Ok(IssuerList {
        total: found.total,
        can_create: viewer.principal.has_global(Permission::ManageIssuers),
        rows: found
            .items
            .into_iter()
            .map(|r| IssuerListRow {
                id: r.id.to_string(),
                name: r.name,
                depth: r.depth,
                ancestors: r.ancestors.join(" › "),
                image: r.image,
                identity: format!("did:{}", r.did_method),
                achievements: r.achievements,
            })
            .collect(),
    })
}

/// The issuer list page.
#[component]
pub fn AdminIssuers() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.with(|q| q.get("q").unwrap_or_default());
    let page = move || {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(0)
        })
    };
    let data = Resource::new(move || (search(), page()), |(s, p)| list_issuers(s, p));
    view! {
        <Title text=t("admin-issuers-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-issuers">
            <div class="page-head">
                <h1>{t("admin-issuers-title")}</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        data.await.ok().filter(|d| d.can_create).map(|_| view! {
                            <a class="button" href="/admin/issuers/new" data-testid="new-issuer">{t("admin-issuers-new")}</a>
                        })
                    })}
                </Suspense>
            </div>
            <p class="muted">{t("admin-issuers-lead")}</p>
            <form class="search" method="get" action="/admin/issuers" role="search">
                <label for="issuer-search" class="visually-hidden">{t("admin-issuers-search-label")}</label>
                <input id="issuer-search" type="search" name="q" placeholder=t("admin-issuers-search-placeholder") value=search />
                <button type="submit">{t("admin-issuers-search")}</button>
            </form>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("admin-issuers-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) if d.rows.is_empty() => view! {
                            <div class="empty card">
                                <h2>{t("admin-issuers-none")}</h2>
                                <p>{t("admin-issuers-none-text")}</p>
                                {d.can_create.then(|| view! { <p><a class="button" href="/admin/issuers/new">{t("admin-issuers-create-first")}</a></p> })}
                            </div>
                        }.into_any(),
                        Ok(d) => {
                            let searching = !search().trim().is_empty();
                            let s = search();
                            view! {
                                <table class="admin-table issuer-tree">
                                    <thead><tr><th scope="col">{t("admin-issuers-col-issuer")}</th><th scope="col">{t("admin-issuers-col-identity")}</th><th scope="col">{t("admin-issuers-col-achievements")}</th></tr></thead>
                                    <tbody>
                                        {d.rows.into_iter().map(|r| {
                                            let indent = if searching { 0 } else { r.depth.min(6) };
                                            view! {
                                                <tr data-issuer=r.name.clone()>
                                                    <td>
                                                        <div class=format!("tree-cell depth-{indent}")>
                                                            {(indent > 0).then(|| view! { <span class="tree-branch" aria-hidden="true">"└"</span> })}
                                                            {match r.image.clone() {
                                                                Some(src) => view! { <img class="logo" src=src alt="" width="32" height="32" /> }.into_any(),
                                                                None => view! { <span class="logo logo-empty" aria-hidden="true"></span> }.into_any(),
                                                            }}
                                                            <div>
                                                                <a href=format!("/admin/issuers/{}", r.id)><strong>{r.name.clone()}</strong></a>
                                                                {(searching && !r.ancestors.is_empty()).then(|| view! { <br/><span class="muted small">{r.ancestors.clone()}</span> })}
                                                                {(!searching && r.depth > 0).then(|| view! { <span class="visually-hidden">{t("admin-issuers-department")}</span> })}
                                                            </div>
                                                        </div>
                                                    </td>
                                                    <td><code>{r.identity.clone()}</code></td>
                                                    <td><a href=format!("/admin/issuers/{}/achievements", r.id)>{r.achievements}</a></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <crate::components::Pager page=page() per_page=PER_PAGE total=d.total
                                    href=move |p| format!("/admin/issuers?q={}&page={p}", urlencode(&s)) />
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// What the new-issuer form needs: parent choices and whether did:web is offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewIssuerView {
    /// (id, name) of possible parents.
    pub parents: Vec<(String, String)>,
    /// did:web may be chosen.
    pub did_web: bool,
    /// May create top-level issuers (else a parent is required).
    pub top_level: bool,
}

/// Data for the new-issuer form (needs `manage_issuers`).
#[server(endpoint = "admin_new_issuer_data")]
pub async fn new_issuer_data() -> Result<NewIssuerView, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::{Permission, can};
    let (viewer, _) = crate::auth::require::<can::ManageIssuers>()?;
    let view = viewer
        .principal
        .require::<can::ViewAdmin>()
        .map_err(engine_error)?;
    let s = crate::services();
    let parents = engine::issuer::list::choices(&s.pool, &view)
        .await
        .map_err(engine_error)?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    Ok(NewIssuerView {
        parents,
        did_web: s.urls().did_web_enabled(),
        top_level: viewer.principal.has_global(Permission::ManageIssuers),
    })
}

/// Creates an issuer with its signing key, then opens its page (needs `manage_issuers`).
#[server(endpoint = "admin_create_issuer")]
pub async fn create_issuer(form: IssuerFormValues) -> Result<String, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageIssuers>()?;
    let s = crate::services();
    let (input, method) = form.to_input()?;
    let created = engine::issuer::create(&s.pool, &can, &s.kek, s.urls(), &input, method)
        .await
        .map_err(engine_error)?;
    let id = created.id.to_string();
    leptos_axum::redirect(&format!("/admin/issuers/{id}?created=1"));
    Ok(id)
}

/// The new-issuer page.
#[component]
pub fn AdminIssuerNew() -> impl IntoView {
    let create = ServerAction::<CreateIssuer>::new();
    let data = Resource::new(|| (), |_| new_issuer_data());
    view! {
        <Title text=t("admin-issuer-new-title") />
        <AdminNav />
        <section class="admin narrow" data-testid="admin-issuer-new">
            <p class="breadcrumb"><a href="/admin/issuers">{t("admin-issuers-title")}</a> {t("admin-issuer-new-breadcrumb")}</p>
            <h1>{t("admin-issuer-new-title")}</h1>
            <p class="muted">{t("admin-issuer-new-lead")}</p>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => view! {
                            <ActionForm action=create attr:class="form" attr:data-testid="issuer-form">
                                <IssuerForm values=IssuerFormValues::default() parents=d.parents.clone()
                                    did_web=d.did_web creating=true require_parent=!d.top_level
                                    error=Signal::derive(move || create.value().get().and_then(Result::err)) />
                                <div class="actions">
                                    <button type="submit" class="primary" disabled=move || create.pending().get()>
                                        {move || if create.pending().get() { t("admin-issuer-new-creating") } else { t("admin-issuer-new-create") }}
                                    </button>
                                    <a href="/admin/issuers">{t("admin-issuer-new-cancel")}</a>
                                </div>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
