//! Step 4: the badge exactly as earners will see it (the public page's component), and
//! publishing a draft.

use leptos::prelude::*;

use super::{Publish, WizardView};
use crate::components::BadgeCard;
use crate::language::t;

/// The preview and the publish button.
#[component]
pub fn Preview(d: WizardView, publish: ServerAction<Publish>) -> impl IntoView {
    let mut badge = d.badge.clone();
    badge.recipient_name = Some(t("admin-wizard-preview-earner"));
    let error = Signal::derive(move || publish.value().get().and_then(Result::err));
    view! {
        <p class="muted">{t("admin-wizard-preview-lead")}</p>
        <div class="preview-frame" data-testid="badge-preview">
            <BadgeCard badge=badge heading_level=2 />
        </div>
        <crate::components::ErrorSummary error=error />
        {if d.status == "draft" {
            view! {
                <ActionForm action=publish attr:class="form actions">
                    <input type="hidden" name="id" value=d.id.clone() />
                    <input type="hidden" name="version" value=d.version />
                    <button type="submit" class="primary" data-testid="publish">{t("admin-wizard-publish")}</button>
                    <a href=format!("/admin/achievements/{}/edit?step=basics", d.id)>{t("admin-wizard-back-to-basics")}</a>
                </ActionForm>
            }.into_any()
        } else {
            view! {
                <p class="actions"><a class="button" href=format!("/admin/achievements/{}", d.id)>{t("admin-wizard-done")}</a></p>
            }.into_any()
        }}
    }
}
