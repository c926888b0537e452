//! Step 1: name, description, type, image, tags, field of study, code, credits, language.

use leptos::prelude::*;

use super::AchievementFormValues;
use crate::admin::issuer_form::ImageField;
use crate::components::{Field, FieldKind, SelectField};
use crate::error::AppError;
use crate::language::t;

/// The OB 3.0 achievement types offered (the list shows the `type-…` texts, not these words).
pub const TYPES: [(&str, &str); 19] = [
    ("Badge", "Badge"),
    ("Achievement", "Achievement"),
    ("Certificate", "Certificate"),
    ("CertificateOfCompletion", "Certificate of completion"),
    ("Certification", "Certification"),
    ("Competency", "Competency"),
    ("Course", "Course"),
    ("MicroCredential", "Micro-credential"),
    ("Assessment", "Assessment"),
    ("Assignment", "Assignment"),
    ("Award", "Award"),
    ("CoCurricular", "Co-curricular activity"),
    ("CommunityService", "Community service"),
    ("Fieldwork", "Fieldwork"),
    ("LearningProgram", "Learning programme"),
    ("License", "Licence"),
    ("Membership", "Membership"),
    ("Diploma", "Diploma"),
    ("Degree", "Degree"),
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
            .map(|(k, _)| ((*k).to_owned(), t(&format!("type-{k}")))),
    );
    let get = |o: &Option<String>| o.clone().unwrap_or_default();
    view! {
        <crate::components::ErrorSummary error=error />
        <Field label="Name" name="form[name]" value=get(&v.name) required=true maxlength=200
            hint="Short and specific, e.g. “Data Modelling Practitioner”." error=error />
        <Field label="Description" name="form[description]" value=get(&v.description) kind=FieldKind::TextArea
            hint="What the badge recognises, in a sentence or two. Earners and employers read this first." error=error />
        <SelectField label="Type" name="form[achievement_type]" options=types selected=get(&v.achievement_type)
            hint="The Open Badges 3.0 achievement type." error=error />
        <fieldset>
            <legend>{t("admin-wizard-badge-image")}</legend>
            <ImageField name="form[image]" value=image set_value=set_image error=error
                hint=t("admin-wizard-badge-image-hint") />
            <Field label="Image description (alt text)" name="form[image_caption]" value=get(&v.image_caption)
                hint="What the image shows, for people who cannot see it." error=error />
        </fieldset>
        <Field label="Tags" name="form[tags]" value=get(&v.tags) hint="Comma-separated, e.g. data, sql, modelling." error=error />
        <div class="field-row">
            <Field label="Field of study" name="form[field_of_study]" value=get(&v.field_of_study) placeholder="e.g. Computer science" error=error />
            <Field label="Course code" name="form[human_code]" value=get(&v.human_code) placeholder="e.g. DM-101" error=error />
            <Field label="Credits (ECTS)" name="form[credits_available]" value=get(&v.credits_available) kind=FieldKind::Number
                placeholder="e.g. 2.5" error=error />
            <Field label="Language of the texts" name="form[in_language]" value=get(&v.in_language) placeholder="en" error=error />
        </div>
    }
}
