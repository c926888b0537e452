//! A progress bar with the figures in words, for bulk awards and imports.

use leptos::prelude::*;

use crate::language::{t, t_or, t_with};

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
    let unit = t_or(&format!("progress-unit-{unit}"), unit);
    let mut parts = vec![t_with(
        "progress-done",
        &[
            ("done", done.into()),
            ("total", total.into()),
            ("unit", unit.as_str().into()),
            ("pct", pct.round().into()),
        ],
    )];
    if let Some(rate) = rate {
        parts.push(t_with("progress-rate", &[("rate", rate.round().into())]));
    }
    if errors > 0 {
        parts.push(t_with("progress-failed", &[("errors", errors.into())]));
    }
    let text = parts.join(" · ");
    view! {
        // The native element: accessible as it is, and styled without inline styles (CSP).
        <div class="progress" data-testid="progress" data-done=done data-total=total>
            <progress max=total.max(1) value=done aria-valuetext=text.clone() aria-label=t("progress-label")></progress>
            <p class="progress-text">{text}</p>
        </div>
    }
}
