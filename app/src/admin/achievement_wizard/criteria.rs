//! Step 2: the criteria — a Markdown narrative (shown safely) and/or a URL.

use leptos::prelude::*;

use super::AchievementFormValues;
use crate::components::{Field, FieldKind};
use crate::error::AppError;
use crate::language::t;

/// The criteria fields.
#[component]
pub fn CriteriaFields(
    /// Values to show.
    values: AchievementFormValues,
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let v = values;
    view! {
        <crate::components::ErrorSummary error=error />
        <p class="muted">{t("admin-wizard-criteria-lead")}</p>
        <Field label=t("admin-field-achievement-criteria") name="form[criteria_narrative]" value=v.criteria_narrative.clone().unwrap_or_default()
            kind=FieldKind::TextArea maxlength=20000
            hint=t("admin-field-achievement-criteria-hint")
            error=error />
        <Field label=t("admin-field-achievement-criteria-url") name="form[criteria_url]" value=v.criteria_url.clone().unwrap_or_default()
            kind=FieldKind::Url placeholder="https://example.org/courses/data-modelling" error=error />
    }
}
