//! Previous / next links for paginated lists; plain links, so they work before hydration.

use leptos::prelude::*;

use crate::language::{t, t_with};

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
    let summary = total.map(|n| {
        if n == 0 {
            t("pager-none")
        } else {
            let from = page * per_page + 1;
            let to = ((page + 1) * per_page).min(n);
            t_with(
                "pager-range",
                &[
                    ("from", from.into()),
                    ("to", to.into()),
                    ("total", n.into()),
                ],
            )
        }
    });
    view! {
        <nav class="pager" aria-label=t("pager-label")>
            {(page > 0).then(|| view! { <a rel="prev" href=href(page - 1)>{t("pager-previous")}</a> })}
            <span class="pager-summary">{summary.unwrap_or_else(|| t_with("pager-page", &[("page", (page + 1).into())]))}</span>
            {next.then(|| view! { <a rel="next" href=href(page + 1)>{t("pager-next")}</a> })}
        </nav>
    }
}
