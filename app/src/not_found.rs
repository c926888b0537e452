//! The page shown for any path no route matches; answers HTTP 404.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::language::t;

/// "Not found" page.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t("nf-title") />
        <section class="status-page">
            <p class="eyebrow">"404"</p>
            <h1>{t("nf-heading")}</h1>
            <p>{t("nf-text")}</p>
            <p><a class="button" href="/">{t("nf-home")}</a></p>
        </section>
    }
}
