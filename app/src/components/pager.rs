//! Previous / next links for paginated lists; plain links, so they work before hydration.

use leptos::prelude::*;

/// Page links: `href(page)` builds the URL of a page (0-based).
#[component]
pub fn Pager(
    /// Current page (0-based).
    page: i64,
    /// Rows per page.
    per_page: i64,
    /// Total rows, when known.
    #[prop(optional)]
    total: Option<i64>,
    /// Whether a next page exists (when the total is not counted).
    #[prop(optional)]
    has_more: bool,
    /// URL of a page.
    href: impl Fn(i64) -> String + 'static,
) -> impl IntoView {
    let last = total.map(|t| ((t.max(1) - 1) / per_page.max(1)).max(0));
    let next = match last {
        Some(l) => page < l,
        None => has_more,
    };
    let summary = total.map(|t| {
        if t == 0 {
            "No results".to_owned()
        } else {
            let from = page * per_page + 1;
            let to = ((page + 1) * per_page).min(t);
            format!("{from}–{to} of {t}")
        }
    });
    view! {
        <nav class="pager" aria-label="Pages">
            {(page > 0).then(|| view! { <a rel="prev" href=href(page - 1)>"← Previous"</a> })}
            <span class="pager-summary">{summary.unwrap_or_else(|| format!("Page {}", page + 1))}</span>
            {next.then(|| view! { <a rel="next" href=href(page + 1)>"Next →"</a> })}
        </nav>
    }
}
