//! `/achievements/{id}`: an achievement as the public sees it — the URL every credential of
//! it names (the same URL answers `Achievement` JSON-LD to machines).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::auth::{AppError, ErrorNotice};
use crate::components::{BadgeCard, BadgeView, SharePreview};
use crate::language::{t, t_with};

/// The achievement page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AchievementPageView {
    /// Id.
    pub id: String,
    /// The badge.
    pub badge: BadgeView,
    /// No longer awarded.
    pub archived: bool,
    /// Awards so far.
    pub awards: i64,
    /// A PNG for link previews (social sites do not show SVG).
    pub preview_image: String,
    /// The page's absolute URL (also the achievement's OB `id`).
    pub page_url: String,
}

/// The achievement (public; drafts are not found).
#[server(endpoint = "public_achievement")]
pub async fn achievement_page(id: String) -> Result<AchievementPageView, AppError> {
    use crate::auth::server::engine_error;
    let s = crate::services();
    let aid: uuid::Uuid = id
        .parse()
        .map_err(|_| AppError::NotFound("Achievement".into()))?;
    let a = engine::achievement::public(&s.pool, &s.cache, aid)
        .await
        .map_err(engine_error)?;
    let issuer = engine::issuer::public_profile(&s.pool, &s.cache, a.issuer_id)
        .await
        .map_err(engine_error)?;
    let awards = engine::achievement::list::award_count(&s.pool, aid)
        .await
        .map_err(engine_error)?;
    Ok(AchievementPageView {
        id: a.id.to_string(),
        archived: a.status == engine::achievement::Status::Archived,
        badge: crate::components::badge_card::build::achievement(&a, &issuer, s.urls()),
        awards,
        preview_image: match &a.fields.image {
            Some(url) if url.ends_with(".png") || !s.urls().is_own(url) => url.clone(),
            _ => format!("{}/artwork.png", s.urls().achievement(a.id)),
        },
        page_url: s.urls().achievement(a.id),
    })
}

/// The public achievement page.
#[component]
pub fn PublicAchievement() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(id, achievement_page);
    view! {
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(d) => view! {
                        <SharePreview title=d.badge.name.clone() description=d.badge.description.clone() page_url=d.page_url.clone() image=Some(d.preview_image.clone()) />
                        <div class="achievement-page" data-testid="achievement-page">
                            {d.archived.then(|| view! { <p class="notice">{t("ach-archived")}</p> })}
                            <BadgeCard badge=d.badge.clone() />
                            {(d.awards > 0).then(|| view! { <p class="muted">{t_with("ach-awarded-times", &[("count", d.awards.into())])}</p> })}
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
