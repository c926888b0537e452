//! A progress bar with the figures in words, for bulk awards and imports.

use leptos::prelude::*;

/// `done` of `total` with a rate and error count; an accessible `progressbar`.
#[component]
pub fn ProgressBar(
    /// Items done.
    done: i64,
    /// Items in all.
    total: i64,
    /// Items per second, when known.
    #[prop(optional)]
    rate: Option<f64>,
    /// Items that failed.
    #[prop(optional)]
    errors: i64,
    /// What is counted ("rows").
    #[prop(optional)]
    unit: Option<&'static str>,
) -> impl IntoView {
    let pct = if total > 0 {
        (done as f64 * 100.0 / total as f64).clamp(0.0, 100.0)
    } else {
        0.0
    };
    let unit = unit.unwrap_or("items");
    let text = format!(
        "{done} of {total} {unit} ({pct:.0} %){}{}",
        rate.map(|r| format!(" · {r:.0} per second"))
            .unwrap_or_default(),
        if errors > 0 {
            format!(" · {errors} failed")
        } else {
            String::new()
        }
    );
    view! {
        // The native element: accessible as it is, and styled without inline styles (CSP).
        <div class="progress" data-testid="progress" data-done=done data-total=total>
            <progress max=total.max(1) value=done aria-valuetext=text.clone() aria-label="Progress"></progress>
            <p class="progress-text">{text}</p>
        </div>
    }
}
