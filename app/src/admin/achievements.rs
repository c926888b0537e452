//! `/admin/issuers/{id}/achievements`: an issuer's achievements with search by name or tag,
//! a status filter and pagination; the way into the creation wizard.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::AdminNav;
use super::issuers::urlencode;
use crate::auth::{AppError, ErrorNotice};
use crate::components::{Pager, StatusPill};
use crate::language::{t, t_with};

/// Rows per page.
pub const PER_PAGE: i64 = 20;

/// One achievement in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AchievementRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Type in words.
    pub kind: String,
    /// Image.
    pub image: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// `draft`, `active`, `archived`.
    pub status: String,
    /// Awards.
    pub awards: i64,
    /// Last change.
    pub updated: String,
}

/// A page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AchievementList {
    /// Issuer name.
    pub issuer_name: String,
    /// Rows.
    pub rows: Vec<AchievementRow>,
    /// Matches.
    pub total: i64,
    /// May create and edit.
    pub can_edit: bool,
    /// May award.
    pub can_award: bool,
}

/// The issuer's achievements (needs `view_admin` on the issuer).
#[server(endpoint = "admin_achievements")]
pub async fn list_achievements(
    issuer_id: String,
    search: String,
    status: String,
    page: i64,
) -> Result<AchievementList, AppError> {
    use crate::auth::server::engine_error;
    use crate::components::badge_card::build::type_label;
    use engine::rbac::can;
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let id: uuid::Uuid = issuer_id
        .parse()
        .map_err(|_| AppError::NotFound("Issuer".into()))?;
    let s = crate::services();
    let issuer = engine::issuer::get(&s.pool, &view, id)
        .await
        .map_err(engine_error)?;
    let status = match status.as_str() {
        "draft" => Some(engine::achievement::Status::Draft),
        "active" => Some(engine::achievement::Status::Active),
        "archived" => Some(engine::achievement::Status::Archived),
        _ => None,
    };
    let found = engine::achievement::list(
        &s.pool,
        &view,
        id,
        &engine::achievement::AchievementListQuery {
            search: Some(search).filter(|s| !s.trim().is_empty()),
            status,
            page: engine::page::PageRequest {
                offset: page.max(0) * PER_PAGE,
                limit: PER_PAGE,
            },
        },
    )
    .await
    .map_err(engine_error)?;
    let covers = |ok: bool| ok;
    Ok(AchievementList {
        issuer_name: issuer.name,
        total: found.total,
        can_edit: covers(
            viewer
                .principal
                .require::<can::ManageAchievements>()
                .is_ok_and(|c| c.covers(id)),
        ),
        can_award: viewer
            .principal
            .require::<can::Award>()
            .is_ok_and(|c| c.covers(id)),
        rows: found
            .items
            .into_iter()
            .map(|a| AchievementRow {
                id: a.id.to_string(),
                name: a.name,
                kind: a
                    .achievement_type
                    .as_deref()
                    .map(type_label)
                    .unwrap_or_default(),
                image: match a.status {
                    engine::achievement::Status::Draft => a.image,
                    _ => Some(crate::services().urls().artwork(a.id, a.image.as_deref())),
                },
                tags: a.tags,
                status: a.status.as_str().to_owned(),
                awards: a.awards,
                updated: super::when(a.updated_at),
            })
            .collect(),
    })
}

/// The achievement list page.
#[component]
pub fn AdminAchievements() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let issuer = move || params.with(|p| p.get("id").unwrap_or_default());
    let search = move || query.with(|q| q.get("q").unwrap_or_default());
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0));
    let data = Resource::new(
        move || (issuer(), search(), status(), page()),
        |(i, q, s, p)| list_achievements(i, q, s, p),
    );
    view! {
        <Title text=t("admin-achievements-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-achievements">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("admin-achievements-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let iid = issuer();
                            let (q, st) = (search(), status());
                            view! {
                                <p class="breadcrumb"><a href="/admin/issuers">{t("admin-issuers-title")}</a> " › "
                                    <a href=format!("/admin/issuers/{iid}")>{d.issuer_name.clone()}</a> {t("admin-achievements-breadcrumb")}</p>
                                <div class="page-head">
                                    <h1>{t("admin-achievements-title")}</h1>
                                    {d.can_edit.then(|| view! {
                                        <a class="button" href=format!("/admin/issuers/{iid}/achievements/new") data-testid="new-achievement">{t("admin-achievements-new")}</a>
                                    })}
                                </div>
                                <form class="search" method="get" role="search">
                                    <label for="ach-search" class="visually-hidden">{t("admin-achievements-search-label")}</label>
                                    <input id="ach-search" type="search" name="q" placeholder=t("admin-achievements-search-placeholder") value=q.clone() />
                                    <label for="ach-status" class="visually-hidden">{t("admin-achievements-status")}</label>
                                    <select id="ach-status" name="status">
                                        {[("", "admin-achievements-filter-current"), ("active", "admin-achievements-filter-active"), ("draft", "admin-achievements-filter-drafts"), ("archived", "admin-achievements-filter-archived")].into_iter().map(|(v, key)| {
                                            let sel = st == v;
                                            view! { <option value=v selected=sel>{t(key)}</option> }
                                        }).collect_view()}
                                    </select>
                                    <button type="submit">{t("admin-achievements-filter")}</button>
                                </form>
                                {if d.rows.is_empty() {
                                    view! {
                                        <div class="empty card">
                                            <h2>{if q.is_empty() { t("admin-achievements-none") } else { t("admin-achievements-no-match") }}</h2>
                                            <p>{t("admin-achievements-none-text")}</p>
                                            {d.can_edit.then(|| view! { <p><a class="button" href=format!("/admin/issuers/{iid}/achievements/new")>{t("admin-achievements-create")}</a></p> })}
                                        </div>
                                    }.into_any()
                                } else {
                                    view! {
                                        <ul class="achievement-grid">
                                            {d.rows.into_iter().map(|a| view! {
                                                <li class="achievement-tile" data-achievement=a.name.clone()>
                                                    <a href=format!("/admin/achievements/{}", a.id) class="tile-link">
                                                        {match a.image.clone() {
                                                            Some(src) => view! { <img src=src alt="" width="72" height="72" /> }.into_any(),
                                                            None => view! { <span class="tile-medal" aria-hidden="true">"◆"</span> }.into_any(),
                                                        }}
                                                        <span class="tile-name">{a.name.clone()}</span>
                                                    </a>
                                                    <span class="tile-meta">
                                                        <StatusPill state=a.status.clone() label=super::words("admin-achievement-status", &a.status) />
                                                        {(!a.kind.is_empty()).then(|| view! { <span class="muted">{a.kind.clone()}</span> })}
                                                        <span class="muted">{t_with("admin-achievements-awarded", &[("count", a.awards.into())])}</span>
                                                    </span>
                                                    {(!a.tags.is_empty()).then(|| view! {
                                                        <ul class="tags small">{a.tags.iter().map(|tag| view! { <li>{tag.clone()}</li> }).collect_view()}</ul>
                                                    })}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                        <Pager page=page() per_page=PER_PAGE total=d.total
                                            href=move |p| format!("?q={}&status={}&page={p}", urlencode(&q), urlencode(&st)) />
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
