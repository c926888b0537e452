//! A credential's state as a coloured pill with words (colour is never the only signal).

use leptos::prelude::*;

/// `state` is `issued`, `claimed`, `unclaimed`, `suspended`, `revoked`, `expired`, or an
/// achievement's `draft` / `active` / `archived`; `label` is what it says.
#[component]
pub fn StatusPill(
    /// Machine state (class name).
    state: String,
    /// Text.
    label: String,
) -> impl IntoView {
    view! { <span class=format!("pill pill-{state}") data-state=state.clone()>{label}</span> }
}
