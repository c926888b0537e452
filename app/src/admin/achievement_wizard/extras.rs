//! Step 3: alignments to frameworks, result descriptions with rubric levels, default
//! validity. A blank row is always offered, so adding one needs no JavaScript.

use leptos::prelude::*;

use super::{AchievementFormValues, AlignmentRow, ResultRow};
use crate::components::form::is_about;
use crate::components::{Field, FieldKind};
use crate::error::AppError;

const ALIGNMENT_TYPES: [(&str, &str); 8] = [
    ("", "—"),
    ("CFItem", "CASE item (CFItem)"),
    ("CFRubric", "CASE rubric"),
    ("CFRubricCriterion", "CASE rubric criterion"),
    ("CFRubricCriterionLevel", "CASE rubric level"),
    ("CTDL", "Credential Engine (CTDL)"),
    ("ceasn:Competency", "CTDL-ASN competency"),
    ("ceterms:Credential", "CTDL credential"),
];

const RESULT_TYPES: [(&str, &str); 8] = [
    ("RubricCriterion", "Rubric"),
    ("PerformanceLevel", "Performance level"),
    ("LetterGrade", "Letter grade"),
    ("Percent", "Percentage"),
    ("RawScore", "Score"),
    ("GradePointAverage", "Grade point average"),
    ("Status", "Status"),
    ("Result", "Other result"),
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
            {options.iter().map(|(v, t)| {
                let sel = *v == selected;
                view! { <option value=*v selected=sel>{*t}</option> }
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
            <legend>"Alignments"</legend>
            <p class="hint">"Frameworks, standards or competencies this achievement maps to. Leave the last row empty if you need no more."</p>
            {section_error("form[alignments]")}
            {alignments.into_iter().enumerate().map(|(i, a)| {
                let n = |f: &str| format!("form[alignments][{i}][{f}]");
                let id = |f: &str| format!("al-{i}-{f}");
                view! {
                    <div class="row-card">
                        <p class="row-title">{format!("Alignment {}", i + 1)}</p>
                        <div class="field-row">
                            <div class="field"><label for=id("name")>"Target name"</label>
                                <input id=id("name") name=n("name") value=a.name.clone() placeholder="e.g. Relational data modelling" /></div>
                            <div class="field"><label for=id("url")>"Target URL"</label>
                                <input id=id("url") name=n("url") value=a.url.clone() type="text" inputmode="url" placeholder="https://…" /></div>
                        </div>
                        <div class="field-row">
                            <div class="field"><label for=id("framework")>"Framework"</label>
                                <input id=id("framework") name=n("framework") value=a.framework.clone() placeholder="e.g. e-CF" /></div>
                            <div class="field"><label for=id("code")>"Code"</label>
                                <input id=id("code") name=n("code") value=a.code.clone() placeholder="e.g. B.1" /></div>
                            <div class="field">{select(id("kind"), n("kind"), &ALIGNMENT_TYPES, a.kind.clone(), "Type".into())}</div>
                        </div>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <fieldset data-testid="results">
            <legend>"Results and rubrics"</legend>
            <p class="hint">"What an awarder records for each earner, e.g. a rubric from “Novice” to “Expert”. Levels one per line, lowest first."</p>
            {section_error("form[result_descriptions]")}
            {results.into_iter().enumerate().map(|(i, r)| {
                let n = |f: &str| format!("form[results][{i}][{f}]");
                let id = |f: &str| format!("rd-{i}-{f}");
                view! {
                    <div class="row-card">
                        <p class="row-title">{format!("Result {}", i + 1)}</p>
                        <div class="field-row">
                            <div class="field"><label for=id("name")>"Name"</label>
                                <input id=id("name") name=n("name") value=r.name.clone() placeholder="e.g. Mastery" /></div>
                            <div class="field">{select(id("kind"), n("kind"), &RESULT_TYPES, r.kind.clone(), "Kind".into())}</div>
                        </div>
                        <div class="field-row">
                            <div class="field"><label for=id("levels")>"Rubric levels (one per line)"</label>
                                <textarea id=id("levels") name=n("levels") rows="4" placeholder="Novice\nCompetent\nExpert">{r.levels.clone()}</textarea></div>
                            <div class="field"><label for=id("required")>"Level needed to earn the badge"</label>
                                <input id=id("required") name=n("required") value=r.required.clone() placeholder="e.g. Competent" /></div>
                        </div>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <fieldset>
            <legend>"Validity"</legend>
            <p class="hint">"How long an award stays valid, unless the awarder sets another expiry. Leave both empty for no expiry."</p>
            <div class="field-row">
                <Field label="Valid for (days)" name="form[valid_for_days]" value=v.valid_for_days.clone().unwrap_or_default()
                    kind=FieldKind::Number placeholder="365" error=error />
                <Field label="…or valid until" name="form[valid_until]" value=v.valid_until.clone().unwrap_or_default()
                    kind=FieldKind::Date error=error />
            </div>
        </fieldset>
    }
}
