//! The public home page: what Badge Engine is, and a live preview of the badge an earner receives.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use serde::{Deserialize, Serialize};

use crate::language::{number, t};

/// Public counts shown on the home page.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Overview {
    /// Issuers.
    pub issuers: i64,
    /// Achievements.
    pub achievements: i64,
    /// Awarded credentials.
    pub credentials: i64,
}

/// Counts of issuers, achievements and awarded credentials (public information).
#[server]
pub async fn platform_overview() -> Result<Overview, ServerFnError> {
    let pool = expect_context::<sqlx::PgPool>();
    match engine::stats::overview(&pool).await {
        Ok(o) => Ok(Overview {
            issuers: o.issuers,
            achievements: o.achievements,
            credentials: o.credentials,
        }),
        Err(e) => {
            tracing::error!(error = %e, "home page counts failed");
            Err(ServerFnError::new(t("home-unavailable")))
        }
    }
}

/// Landing page.
#[component]
pub fn HomePage() -> impl IntoView {
    let (name, set_name) = signal(String::new());
    let overview = Resource::new(|| (), |_| platform_overview());
    let shown_name = move || {
        let n = name.get();
        let n = n.trim();
        if n.is_empty() {
            t("home-name-placeholder-shown")
        } else {
            n.to_owned()
        }
    };

    view! {
        <Title text="" />
        // Only here: shared pages write their own description, and two would be ambiguous.
        <Meta name="description" content=t("home-description") />
        <section class="hero">
            <div class="hero-text">
                <p class="eyebrow">{t("home-eyebrow")}</p>
                <h1>{t("home-title")}</h1>
                <p class="lead">
                    {t("home-lead-1")}
                    {t("home-lead-2")}
                </p>
            </div>
            <form class="preview card" aria-labelledby="preview-title" on:submit=|ev| ev.prevent_default()>
                <h2 id="preview-title">{t("home-preview-title")}</h2>
                <label for="preview-name">{t("home-preview-name")}</label>
                <input
                    id="preview-name"
                    name="preview-name"
                    type="text"
                    autocomplete="name"
                    placeholder=t("home-preview-placeholder")
                    maxlength="80"
                    prop:value=name
                    on:input=move |ev| set_name.set(event_target_value(&ev))
                />
                <figure class="badge-preview" aria-live="polite">
                    <div class="badge-medal" aria-hidden="true">"◆"</div>
                    <figcaption>
                        <strong class="badge-title">{t("home-demo-achievement")}</strong>
                        <span class="badge-earner" data-testid="preview-earner">{shown_name}</span>
                        <span class="badge-issuer">{t("home-demo-issuer")}</span>
                    </figcaption>
                </figure>
            </form>
        </section>
        <Suspense fallback=|| view! { <p class="stats muted">{t("home-loading")}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <dl class="stats" data-testid="platform-stats">
                            <div><dt>{t("home-issuers")}</dt><dd>{number(o.issuers as f64)}</dd></div>
                            <div><dt>{t("home-achievements")}</dt><dd>{number(o.achievements as f64)}</dd></div>
                            <div><dt>{t("home-awarded")}</dt><dd>{number(o.credentials as f64)}</dd></div>
                        </dl>
                    }.into_any(),
                    Err(_) => view! { <p class="stats muted">{t("home-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
        <section id="how-it-works" class="steps">
            <h2>{t("home-how")}</h2>
            <ol>
                <li><strong>{t("home-define")}</strong>{t("home-define-text")}</li>
                <li><strong>{t("home-award")}</strong>{t("home-award-text")}</li>
                <li><strong>{t("home-share")}</strong>{t("home-share-text")}</li>
            </ol>
        </section>
        <section id="verify" class="verify card">
            <h2>{t("home-verify")}</h2>
            <p>{t("home-verify-text")}</p>
        </section>
    }
}
