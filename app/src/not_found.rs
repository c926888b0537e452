//! The page shown for any path no route matches; answers HTTP 404.

use leptos::prelude::*;
use leptos_meta::Title;

/// "Not found" page.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="status-page">
            <p class="eyebrow">"404"</p>
            <h1>"We could not find that page"</h1>
            <p>"The link may be old, or the badge may have moved. Check the address, or start again from the home page."</p>
            <p><a class="button" href="/">"Go to the home page"</a></p>
        </section>
    }
}
