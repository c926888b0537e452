//! The public home page: what Badge Engine is, and a live preview of the badge an earner receives.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use serde::{Deserialize, Serialize};

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
            Err(ServerFnError::new("The figures are unavailable right now."))
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
            "Your name here".to_owned()
        } else {
            n.to_owned()
        }
    };

    view! {
        <Title text="" />
        // Only here: shared pages write their own description, and two would be ambiguous.
        <Meta name="description" content="Badge Engine issues verifiable Open Badges 3.0 credentials." />
        <section class="hero">
            <div class="hero-text">
                <p class="eyebrow">"Open Badges 3.0 issuer"</p>
                <h1>"Recognise what people achieve — in a form anyone can verify."</h1>
                <p class="lead">
                    "Badge Engine lets your organisation define achievements, award them to people, and hand each earner a "
                    "signed credential they can share, download as an image, and verify anywhere."
                </p>
            </div>
            <form class="preview card" aria-labelledby="preview-title" on:submit=|ev| ev.prevent_default()>
                <h2 id="preview-title">"Preview a badge"</h2>
                <label for="preview-name">"Earner's name"</label>
                <input
                    id="preview-name"
                    name="preview-name"
                    type="text"
                    autocomplete="name"
                    placeholder="e.g. Ada Lovelace"
                    maxlength="80"
                    prop:value=name
                    on:input=move |ev| set_name.set(event_target_value(&ev))
                />
                <figure class="badge-preview" aria-live="polite">
                    <div class="badge-medal" aria-hidden="true">"◆"</div>
                    <figcaption>
                        <strong class="badge-title">"Demo Achievement"</strong>
                        <span class="badge-earner" data-testid="preview-earner">{shown_name}</span>
                        <span class="badge-issuer">"Issued by Badge Engine Demo"</span>
                    </figcaption>
                </figure>
            </form>
        </section>
        <Suspense fallback=|| view! { <p class="stats muted">"Loading figures…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <dl class="stats" data-testid="platform-stats">
                            <div><dt>"Issuers"</dt><dd>{o.issuers}</dd></div>
                            <div><dt>"Achievements"</dt><dd>{o.achievements}</dd></div>
                            <div><dt>"Badges awarded"</dt><dd>{o.credentials}</dd></div>
                        </dl>
                    }.into_any(),
                    Err(_) => view! { <p class="stats muted">"Figures are unavailable right now."</p> }.into_any(),
                }
            })}
        </Suspense>
        <section id="how-it-works" class="steps">
            <h2>"How it works"</h2>
            <ol>
                <li><strong>"Define"</strong>" issuers and achievements with criteria, alignments and images."</li>
                <li><strong>"Award"</strong>" them to people one by one or in bulk; each award is a signed Open Badges 3.0 credential."</li>
                <li><strong>"Share and verify"</strong>" — earners download baked PNG or SVG badges, and anyone can check the signature."</li>
            </ol>
        </section>
        <section id="verify" class="verify card">
            <h2>"Verify a badge"</h2>
            <p>"Every credential carries an eddsa-rdfc-2022 proof from its issuer's did:key, so any conforming Open Badges 3.0 verifier can check it without asking us."</p>
        </section>
    }
}
