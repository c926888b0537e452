//! Step 3: alignments to frameworks, result descriptions with rubric levels, default
//! validity. A blank row is always offered, so adding one needs no JavaScript.

use leptos::prelude::*;

use super::{AchievementFormValues, AlignmentRow, ResultRow};
use crate::components::form::is_about;
use crate::components::{Field, FieldKind};
use crate::error::AppError;
use crate::language::{t, t_with};

/// Alignment target types, with the keys of their words.
const ALIGNMENT_TYPES: [(&str, &str); 8] = [
    ("", "admin-wizard-alignment-type-none"),
    ("CFItem", "admin-wizard-alignment-type-cfitem"),
    ("CFRubric", "admin-wizard-alignment-type-cfrubric"),
    (
        "CFRubricCriterion",
        "admin-wizard-alignment-type-cfrubric-criterion",
    ),
    (
        "CFRubricCriterionLevel",
        "admin-wizard-alignment-type-cfrubric-level",
    ),
    ("CTDL", "admin-wizard-alignment-type-ctdl"),
    ("ceasn:Competency", "admin-wizard-alignment-type-ctdl-asn"),
    (
        "ceterms:Credential",
        "admin-wizard-alignment-type-ctdl-credential",
    ),
];

const RESULT_TYPES: [(&str, &str); 8] = [
    ("RubricCriterion", "admin-wizard-result-type-rubric"),
    (
        "PerformanceLevel",
        "admin-wizard-result-type-performance-level",
    ),
    ("LetterGrade", "admin-wizard-result-type-letter-grade"),
    ("Percent", "admin-wizard-result-type-percent"),
    ("RawScore", "admin-wizard-result-type-raw-score"),
    ("GradePointAverage", "admin-wizard-result-type-gpa"),
    ("Status", "admin-wizard-result-type-status"),
    ("Result", "admin-wizard-result-type-other"),
];

fn select(
    id: String,
    name: String,
    options: &'static [(&'static str, &'static str)],
    selected: String,
    label: String,
) -> impl IntoView {
    view! {
        <label for=id.clone()>{label}</label>
        <select id=id name=name>
            {options.iter().map(|(v, key)| {
                let sel = *v == selected;
                view! { <option value=*v selected=sel>{t(key)}</option> }
            }).collect_view()}
        </select>
    }
}

/// The extras fields.
#[component]
pub fn ExtrasFields(
    /// Values to show.
    values: AchievementFormValues,
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let v = values;
    let mut alignments = v.alignments.clone().unwrap_or_default();
    alignments.push(AlignmentRow::default());
    let mut results = v.results.clone().unwrap_or_default();
    results.push(ResultRow::default());
    let section_error = move |key: &'static str| {
        move || {
            error
                .get()
                .filter(|e| is_about(e, key))
                .map(|e| view! { <p class="field-error" role="alert">{e.to_string()}</p> })
        }
    };
    view! {
        <crate::components::ErrorSummary error=error />
        <fieldset data-testid="alignments">
            <legend>{t("admin-wizard-alignments")}</legend>
            <p class="hint">{t("admin-wizard-alignments-hint")}</p>
            {section_error("form[alignments]")}
            {alignments.into_iter().enumerate().map(|(i, a)| {
                let n = |f: &str| format!("form[alignments][{i}][{f}]");
                let id = |f: &str| format!("al-{i}-{f}");
                view! {
                    <div class="row-card">
                        <p class="row-title">{t_with("admin-wizard-alignment-n", &[("n", (i + 1).into())])}</p>
                        <div class="field-row">
                            <div class="field"><label for=id("name")>{t("admin-wizard-target-name")}</label>
                                <input id=id("name") name=n("name") value=a.name.clone() placeholder=t("admin-wizard-target-name-placeholder") /></div>
                            <div class="field"><label for=id("url")>{t("admin-wizard-target-url")}</label>
                                <input id=id("url") name=n("url") value=a.url.clone() type="text" inputmode="url" placeholder="https://…" /></div>
                        </div>
                        <div class="field-row">
                            <div class="field"><label for=id("framework")>{t("admin-wizard-framework")}</label>
                                <input id=id("framework") name=n("framework") value=a.framework.clone() placeholder=t("admin-wizard-framework-placeholder") /></div>
                            <div class="field"><label for=id("code")>{t("admin-wizard-code")}</label>
                                <input id=id("code") name=n("code") value=a.code.clone() placeholder=t("admin-wizard-code-placeholder") /></div>
                            <div class="field">{select(id("kind"), n("kind"), &ALIGNMENT_TYPES, a.kind.clone(), t("admin-wizard-alignment-type"))}</div>
                        </div>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <fieldset data-testid="results">
            <legend>{t("admin-wizard-results")}</legend>
            <p class="hint">{t("admin-wizard-results-hint")}</p>
            {section_error("form[result_descriptions]")}
            {results.into_iter().enumerate().map(|(i, r)| {
                let n = |f: &str| format!("form[results][{i}][{f}]");
                let id = |f: &str| format!("rd-{i}-{f}");
                view! {
                    <div class="row-card">
                        <p class="row-title">{t_with("admin-wizard-result-n", &[("n", (i + 1).into())])}</p>
                        <div class="field-row">
                            <div class="field"><label for=id("name")>{t("admin-wizard-result-name")}</label>
                                <input id=id("name") name=n("name") value=r.name.clone() placeholder=t("admin-wizard-result-name-placeholder") /></div>
                            <div class="field">{select(id("kind"), n("kind"), &RESULT_TYPES, r.kind.clone(), t("admin-wizard-result-kind"))}</div>
                        </div>
                        <div class="field-row">
                            <div class="field"><label for=id("levels")>{t("admin-wizard-levels")}</label>
                                <textarea id=id("levels") name=n("levels") rows="4" placeholder=t("admin-wizard-levels-placeholder")>{r.levels.clone()}</textarea></div>
                            <div class="field"><label for=id("required")>{t("admin-wizard-required-level")}</label>
                                <input id=id("required") name=n("required") value=r.required.clone() placeholder=t("admin-wizard-required-level-placeholder") /></div>
                        </div>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <fieldset>
            <legend>{t("admin-wizard-validity")}</legend>
            <p class="hint">{t("admin-wizard-validity-hint")}</p>
            <div class="field-row">
                <Field label=t("admin-field-achievement-valid-for") name="form[valid_for_days]" value=v.valid_for_days.clone().unwrap_or_default()
                    kind=FieldKind::Number placeholder="365" error=error />
                <Field label=t("admin-field-achievement-valid-until") name="form[valid_until]" value=v.valid_until.clone().unwrap_or_default()
                    kind=FieldKind::Date error=error />
            </div>
        </fieldset>
    }
}
