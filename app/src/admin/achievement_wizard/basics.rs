//! Step 1: name, description, type, image, tags, field of study, code, credits, language.

use leptos::prelude::*;

use super::AchievementFormValues;
use crate::admin::issuer_form::ImageField;
use crate::components::{Field, FieldKind, SelectField};
use crate::error::AppError;
use crate::language::t;

/// The OB 3.0 achievement types offered, in this order (the list shows their `type-…` texts).
pub const TYPES: [&str; 19] = [
    "Badge",
    "Achievement",
    "Certificate",
    "CertificateOfCompletion",
    "Certification",
    "Competency",
    "Course",
    "MicroCredential",
    "Assessment",
    "Assignment",
    "Award",
    "CoCurricular",
    "CommunityService",
    "Fieldwork",
    "LearningProgram",
    "License",
    "Membership",
    "Diploma",
    "Degree",
];

/// The basics fields.
#[component]
pub fn BasicsFields(
    /// Values to show.
    values: AchievementFormValues,
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let v = values;
    let (image, set_image) = signal(v.image.clone().unwrap_or_default());
    let mut types: Vec<(String, String)> = vec![(String::new(), t("admin-wizard-type-choose"))];
    types.extend(
        TYPES
            .iter()
            .map(|k| ((*k).to_owned(), t(&format!("type-{k}")))),
    );
    let get = |o: &Option<String>| o.clone().unwrap_or_default();
    view! {
        <crate::components::ErrorSummary error=error />
        <Field label=t("admin-field-achievement-name") name="form[name]" value=get(&v.name) required=true maxlength=200
            hint=t("admin-field-achievement-name-hint") error=error />
        <Field label=t("admin-field-achievement-description") name="form[description]" value=get(&v.description) kind=FieldKind::TextArea
            hint=t("admin-field-achievement-description-hint") error=error />
        <SelectField label=t("admin-field-achievement-type") name="form[achievement_type]" options=types selected=get(&v.achievement_type)
            hint=t("admin-field-achievement-type-hint") error=error />
        <fieldset>
            <legend>{t("admin-wizard-badge-image")}</legend>
            <ImageField name="form[image]" value=image set_value=set_image error=error
                hint=t("admin-wizard-badge-image-hint") />
            <Field label=t("admin-field-achievement-image-caption") name="form[image_caption]" value=get(&v.image_caption)
                hint=t("admin-field-achievement-image-caption-hint") error=error />
        </fieldset>
        <Field label=t("admin-field-achievement-tags") name="form[tags]" value=get(&v.tags) hint=t("admin-field-achievement-tags-hint") error=error />
        <div class="field-row">
            <Field label=t("admin-field-achievement-field-of-study") name="form[field_of_study]" value=get(&v.field_of_study) placeholder=t("admin-field-achievement-field-of-study-placeholder") error=error />
            <Field label=t("admin-field-achievement-code") name="form[human_code]" value=get(&v.human_code) placeholder=t("admin-field-achievement-code-placeholder") error=error />
            <Field label=t("admin-field-achievement-credits") name="form[credits_available]" value=get(&v.credits_available) kind=FieldKind::Number
                placeholder=t("admin-field-achievement-credits-placeholder") error=error />
            <Field label=t("admin-field-achievement-language") name="form[in_language]" value=get(&v.in_language) placeholder="en" error=error />
        </div>
    }
}
