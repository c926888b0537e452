//! Labelled form fields whose errors come from the server's own validation: a refused field
//! is marked `aria-invalid`, its message sits next to it (announced by screen readers), and a
//! summary at the top of the form says what went wrong.

use leptos::prelude::*;

use crate::error::AppError;

/// The input to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldKind {
    /// One line of text.
    #[default]
    Text,
    /// An e-mail address.
    Email,
    /// A web address.
    Url,
    /// A telephone number.
    Tel,
    /// A number.
    Number,
    /// A calendar date (`YYYY-MM-DD`).
    Date,
    /// Several lines.
    TextArea,
}

impl FieldKind {
    fn input_type(self) -> &'static str {
        match self {
            FieldKind::Text | FieldKind::TextArea => "text",
            FieldKind::Email => "email",
            FieldKind::Url => "url",
            FieldKind::Tel => "tel",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
        }
    }
}

/// The engine field a form input stands for: `form[url]` → `url`,
/// `form[alignments][0][target_url]` → `alignments`, `email` → `email`.
pub fn field_key(name: &str) -> &str {
    match name.strip_prefix("form[") {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => name.split('[').next().unwrap_or(name),
    }
}

/// Whether `error` is about the form input `name`.
pub fn is_about(error: &AppError, name: &str) -> bool {
    error
        .field()
        .is_some_and(|f| f == field_key(name) || f == name)
}

/// A labelled input (or textarea) with hint and inline error.
#[component]
pub fn Field(
    /// Visible label.
    #[prop(into)]
    label: String,
    /// Form field name (`form[url]`, …; see [`field_key`]).
    #[prop(into)]
    name: String,
    /// Current value.
    #[prop(into, optional)]
    value: String,
    /// Input kind.
    #[prop(optional)]
    kind: FieldKind,
    /// Required.
    #[prop(optional)]
    required: bool,
    /// Help text under the label.
    #[prop(optional, into)]
    hint: Option<String>,
    /// Placeholder.
    #[prop(optional, into)]
    placeholder: Option<String>,
    /// `autocomplete` attribute.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// Id prefix when a page has the same field twice.
    #[prop(optional)]
    id_prefix: Option<&'static str>,
    /// Largest length.
    #[prop(optional)]
    maxlength: Option<u32>,
) -> impl IntoView {
    let id = format!(
        "{}{}",
        id_prefix.unwrap_or("f-"),
        name.replace("form[", "")
            .replace(['[', ']'], "-")
            .trim_end_matches('-')
    );
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let key = name.clone();
    let mine = Signal::derive(move || error.get().filter(|e| is_about(e, &key)));
    let mine = move || mine.get();
    let has_hint = hint.is_some();
    let describedby = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if mine().is_some() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || mine().is_some().then_some("true");
    let input = match kind {
        FieldKind::TextArea => view! {
            <textarea id=id.clone() name=name.clone() rows="6" required=required placeholder=placeholder
                aria-invalid=invalid aria-describedby=describedby.clone()
                maxlength=maxlength.map(|m| m.to_string())>{value.clone()}</textarea>
        }
        .into_any(),
        other => view! {
            <input id=id.clone() name=name.clone() type=other.input_type() value=value.clone() required=required
                placeholder=placeholder autocomplete=autocomplete aria-invalid=invalid
                aria-describedby=describedby.clone() maxlength=maxlength.map(|m| m.to_string())
                step=(other == FieldKind::Number).then_some("any") />
        }
        .into_any(),
    };
    view! {
        <div class="field" class:has-error=move || mine().is_some()>
            <label for=id.clone()>
                {label}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {input}
            <p class="field-error" id=err_id.clone() aria-live="polite">
                {move || mine().map(|e| e.to_string())}
            </p>
        </div>
    }
}

/// A labelled select.
#[component]
pub fn SelectField(
    /// Visible label.
    #[prop(into)]
    label: String,
    /// Form field name.
    #[prop(into)]
    name: String,
    /// (value, text) options.
    options: Vec<(String, String)>,
    /// Selected value.
    #[prop(into, optional)]
    selected: String,
    /// Help text.
    #[prop(optional, into)]
    hint: Option<String>,
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!(
        "f-{}",
        name.replace("form[", "")
            .replace(['[', ']'], "-")
            .trim_end_matches('-')
    );
    let err_id = format!("{id}-error");
    let key = name.clone();
    let mine = Signal::derive(move || error.get().filter(|e| is_about(e, &key)));
    let mine = move || mine.get();
    view! {
        <div class="field" class:has-error=move || mine().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <select id=id.clone() name=name.clone() aria-invalid=move || mine().is_some().then_some("true")
                aria-describedby=err_id.clone()>
                {options.into_iter().map(|(v, t)| {
                    let sel = v == selected;
                    view! { <option value=v selected=sel>{t}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" id=err_id.clone() aria-live="polite">{move || mine().map(|e| e.to_string())}</p>
        </div>
    }
}

/// The form-level message: what went wrong (errors not about one field show only here).
#[component]
pub fn ErrorSummary(
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let lead = if e.field().is_some() {
                crate::language::t("form-correct-field")
            } else {
                crate::language::t("form-failed")
            };
            view! {
                <div class="notice error" role="alert" data-testid="form-error">
                    <strong>{lead}</strong> " " {e.to_string()}
                </div>
            }
        })
    }
}
