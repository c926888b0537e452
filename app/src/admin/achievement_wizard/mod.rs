//! The achievement wizard: basics → criteria → extras → preview. The first step saves a
//! draft, later steps edit it, so nothing is lost on a reload and every step works without
//! JavaScript; the preview renders the public page's own badge component. Editing an active
//! achievement walks the same steps. One file per step; this one holds the shared form
//! values, the server functions and the page frame.

mod basics;
mod criteria;
mod extras;
mod preview;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::components::BadgeView;
use crate::language::{t, t_with};

/// The steps, in order: (query value, title).
pub const STEPS: [(&str, &str); 4] = [
    ("basics", "admin-wizard-step-basics"),
    ("criteria", "admin-wizard-step-criteria"),
    ("extras", "admin-wizard-step-extras"),
    ("preview", "admin-wizard-step-preview"),
];

/// One alignment row of the extras step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlignmentRow {
    /// Target name.
    #[serde(default)]
    pub name: String,
    /// Target URL.
    #[serde(default)]
    pub url: String,
    /// Framework.
    #[serde(default)]
    pub framework: String,
    /// Code in the framework.
    #[serde(default)]
    pub code: String,
    /// OB target type, or empty.
    #[serde(default)]
    pub kind: String,
}

/// One result description of the extras step; its rubric levels one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRow {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// OB result type.
    #[serde(default)]
    pub kind: String,
    /// Rubric levels, lowest first, one per line.
    #[serde(default)]
    pub levels: String,
    /// The level needed to earn the badge (its name), or empty.
    #[serde(default)]
    pub required: String,
}

/// Everything the wizard's forms send; each step sends its own fields only, absent ones
/// keep their stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AchievementFormValues {
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// OB achievement type.
    pub achievement_type: Option<String>,
    /// Tags, comma-separated.
    pub tags: Option<String>,
    /// Image URL.
    pub image: Option<String>,
    /// Image caption.
    pub image_caption: Option<String>,
    /// Field of study.
    pub field_of_study: Option<String>,
    /// Human code.
    pub human_code: Option<String>,
    /// Credits available.
    pub credits_available: Option<String>,
    /// Language tag.
    pub in_language: Option<String>,
    /// Criteria narrative (Markdown).
    pub criteria_narrative: Option<String>,
    /// Criteria URL.
    pub criteria_url: Option<String>,
    /// Alignments.
    pub alignments: Option<Vec<AlignmentRow>>,
    /// Result descriptions.
    pub results: Option<Vec<ResultRow>>,
    /// Awards valid for this many days.
    pub valid_for_days: Option<String>,
    /// Awards valid until this date.
    pub valid_until: Option<String>,
}

/// What every step page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WizardView {
    /// Achievement id (empty before the draft exists).
    pub id: String,
    /// Issuer.
    pub issuer_id: String,
    /// Issuer name.
    pub issuer_name: String,
    /// `draft`, `active`, `archived`.
    pub status: String,
    /// Version edited.
    pub version: i32,
    /// Stored values, as the forms show them.
    pub values: AchievementFormValues,
    /// The badge as earners will see it.
    pub badge: BadgeView,
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;
    use engine::achievement::{AchievementInput, Alignment, ResultDescription, RubricLevel};

    fn text(v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }

    /// The stored achievement as form values.
    pub fn values(f: &AchievementInput) -> AchievementFormValues {
        AchievementFormValues {
            name: Some(f.name.clone()),
            description: Some(f.description.clone()),
            achievement_type: Some(text(&f.achievement_type)),
            tags: Some(f.tags.join(", ")),
            image: Some(text(&f.image)),
            image_caption: Some(text(&f.image_caption)),
            field_of_study: Some(text(&f.field_of_study)),
            human_code: Some(text(&f.human_code)),
            credits_available: Some(
                f.credits_available
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            ),
            in_language: Some(text(&f.in_language)),
            criteria_narrative: Some(text(&f.criteria_narrative)),
            criteria_url: Some(text(&f.criteria_url)),
            alignments: Some(
                f.alignments
                    .iter()
                    .map(|a| AlignmentRow {
                        name: a.target_name.clone(),
                        url: a.target_url.clone(),
                        framework: text(&a.target_framework),
                        code: text(&a.target_code),
                        kind: text(&a.target_type),
                    })
                    .collect(),
            ),
            results: Some(
                f.result_descriptions
                    .iter()
                    .map(|r| ResultRow {
                        name: r.name.clone(),
                        kind: r.result_type.clone(),
                        levels: r
                            .levels
                            .iter()
                            .map(|l| l.name.clone())
                            .collect::<Vec<_>>()
                            .join("\n"),
                        required: r
                            .required_level
                            .and_then(|i| r.levels.get(i))
                            .map(|l| l.name.clone())
                            .unwrap_or_default(),
                    })
                    .collect(),
            ),
            valid_for_days: Some(f.valid_for_days.map(|d| d.to_string()).unwrap_or_default()),
            valid_until: Some(
                f.valid_until
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            ),
        }
    }

    fn opt(v: &str) -> Option<String> {
        Some(v.trim().to_owned()).filter(|s| !s.is_empty())
    }

    /// Applies the submitted fields onto `current`; unparsable numbers and dates are
    /// field errors.
    pub fn apply(
        current: &AchievementInput,
        v: &AchievementFormValues,
    ) -> Result<AchievementInput, AppError> {
        let mut f = current.clone();
        if let Some(x) = &v.name {
            f.name = x.clone();
        }
        if let Some(x) = &v.description {
            f.description = x.clone();
        }
        if let Some(x) = &v.achievement_type {
            f.achievement_type = opt(x);
        }
        if let Some(x) = &v.tags {
            f.tags = x
                .split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect();
        }
        if let Some(x) = &v.image {
            f.image = opt(x);
        }
        if let Some(x) = &v.image_caption {
            f.image_caption = opt(x);
        }
        if let Some(x) = &v.field_of_study {
            f.field_of_study = opt(x);
        }
        if let Some(x) = &v.human_code {
            f.human_code = opt(x);
        }
        if let Some(x) = &v.in_language {
            f.in_language = opt(x);
        }
        if let Some(x) = &v.credits_available {
            f.credits_available = match x.trim() {
                "" => None,
                n => Some(n.replace(',', ".").parse::<f64>().map_err(|_| {
                    AppError::invalid("credits_available", t("admin-wizard-credits-invalid"))
                })?),
            };
        }
        if let Some(x) = &v.criteria_narrative {
            f.criteria_narrative = opt(x);
        }
        if let Some(x) = &v.criteria_url {
            f.criteria_url = opt(x);
        }
        if let Some(rows) = &v.alignments {
            f.alignments = rows
                .iter()
                .map(|r| Alignment {
                    target_name: r.name.clone(),
                    target_url: r.url.clone(),
                    target_description: None,
                    target_framework: opt(&r.framework),
                    target_code: opt(&r.code),
                    target_type: opt(&r.kind),
                })
                .collect();
        }
        if let Some(rows) = &v.results {
            f.result_descriptions = rows
                .iter()
                .map(|r| {
                    let levels: Vec<RubricLevel> = r
                        .levels
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(|l| RubricLevel {
                            name: l.to_owned(),
                            ..RubricLevel::default()
                        })
                        .collect();
                    let required = levels
                        .iter()
                        .position(|l| l.name.eq_ignore_ascii_case(r.required.trim()));
                    ResultDescription {
                        name: r.name.clone(),
                        result_type: if r.kind.is_empty() {
                            if levels.is_empty() {
                                "Result".into()
                            } else {
                                "RubricCriterion".into()
                            }
                        } else {
                            r.kind.clone()
                        },
                        required_level: required,
                        levels,
                        ..ResultDescription::default()
                    }
                })
                .collect();
        }
        if let Some(x) = &v.valid_for_days {
            f.valid_for_days = match x.trim() {
                "" => None,
                n => Some(n.parse::<i32>().map_err(|_| {
                    AppError::invalid("valid_for_days", t("admin-wizard-days-invalid"))
                })?),
            };
        }
        if let Some(x) = &v.valid_until {
            f.valid_until = match x.trim() {
                "" => None,
                d => Some(
                    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                        .ok()
                        .and_then(|d| d.and_hms_opt(23, 59, 59))
                        .map(|t| t.and_utc())
                        .ok_or_else(|| {
                            AppError::invalid("valid_until", t("admin-wizard-date-invalid"))
                        })?,
                ),
            };
        }
        Ok(f)
    }
}

#[cfg(feature = "ssr")]
fn parse(id: &str) -> Result<uuid::Uuid, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound("Achievement".into()))
}

/// The wizard's data for an existing achievement (needs `manage_achievements` on its issuer).
#[server(endpoint = "admin_wizard_data")]
pub async fn wizard_data(id: String) -> Result<WizardView, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let s = crate::services();
    let a = engine::achievement::get(&s.pool, &view, parse(&id)?)
        .await
        .map_err(engine_error)?;
    if !viewer
        .principal
        .require::<can::ManageAchievements>()
        .is_ok_and(|c| c.covers(a.issuer_id))
    {
        crate::auth::server::set_status(http::StatusCode::FORBIDDEN);
        return Err(AppError::Forbidden);
    }
    let issuer = engine::issuer::get(&s.pool, &view, a.issuer_id)
        .await
        .map_err(engine_error)?;
    Ok(WizardView {
        id: a.id.to_string(),
        issuer_id: issuer.id.to_string(),
        issuer_name: issuer.name.clone(),
        status: a.status.as_str().to_owned(),
        version: a.version,
        values: convert::values(&a.fields),
        badge: crate::components::badge_card::build::achievement(&a, &issuer, s.urls()),
    })
}

/// The first step: saves a draft of `issuer_id` and goes on to the criteria.
#[server(endpoint = "admin_create_achievement")]
pub async fn create_achievement(
    issuer_id: String,
    form: AchievementFormValues,
) -> Result<String, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageAchievements>()?;
    let issuer: uuid::Uuid = issuer_id
        .parse()
        .map_err(|_| AppError::NotFound("Issuer".into()))?;
    let s = crate::services();
    let input = convert::apply(&Default::default(), &form)?;
    let created = engine::achievement::create_draft(&s.pool, &can, issuer, &input)
        .await
        .map_err(engine_error)?;
    leptos_axum::redirect(&format!(
        "/admin/achievements/{}/edit?step=criteria",
        created.id
    ));
    Ok(created.id.to_string())
}

/// Saves one step and goes on to the next (needs `manage_achievements`).
#[server(endpoint = "admin_save_achievement_step")]
pub async fn save_step(
    id: String,
    version: i32,
    step: String,
    form: AchievementFormValues,
) -> Result<i32, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, can) = crate::auth::require::<can::ManageAchievements>()?;
    let view = viewer
        .principal
        .require::<can::ViewAdmin>()
        .map_err(engine_error)?;
    let s = crate::services();
    let aid = parse(&id)?;
    let current = engine::achievement::get(&s.pool, &view, aid)
        .await
        .map_err(engine_error)?;
    let input = convert::apply(&current.fields, &form)?;
    let saved = engine::achievement::update(&s.pool, &s.cache, &can, aid, version, &input)
        .await
        .map_err(engine_error)?;
    let next = STEPS
        .iter()
        .position(|(k, _)| *k == step)
        .and_then(|i| STEPS.get(i + 1))
        .map_or("preview", |(k, _)| *k);
    leptos_axum::redirect(&format!(
        "/admin/achievements/{id}/edit?step={next}&saved=1"
    ));
    Ok(saved.version)
}

/// Publishes a draft (needs `manage_achievements`).
#[server(endpoint = "admin_publish_achievement")]
pub async fn publish(id: String, version: i32) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageAchievements>()?;
    let s = crate::services();
    engine::achievement::publish(&s.pool, &s.cache, &can, parse(&id)?, version)
        .await
        .map_err(engine_error)?;
    leptos_axum::redirect(&format!("/admin/achievements/{id}?published=1"));
    Ok(())
}

/// The step navigation.
#[component]
fn Stepper(id: String, current: String) -> impl IntoView {
    let at = STEPS.iter().position(|(k, _)| *k == current).unwrap_or(0);
    view! {
        <nav class="stepper" aria-label=t("admin-wizard-steps")>
            <ol>
                {STEPS.iter().enumerate().map(|(i, (key, title))| {
                    let state = if i == at { "current" } else if i < at { "done" } else { "todo" };
                    let label = t_with("admin-wizard-step-label", &[("n", (i + 1).into()), ("title", (&t(title)).into())]);
                    view! {
                        <li class=format!("step step-{state}")>
                            {if id.is_empty() || i == at {
                                view! { <span aria-current=(i == at).then_some("step")>{label}</span> }.into_any()
                            } else {
                                view! { <a href=format!("/admin/achievements/{id}/edit?step={key}")>{label}</a> }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}

/// Data for the first step before a draft exists.
#[server(endpoint = "admin_new_achievement_data")]
pub async fn new_achievement_data(issuer_id: String) -> Result<String, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let id: uuid::Uuid = issuer_id
        .parse()
        .map_err(|_| AppError::NotFound("Issuer".into()))?;
    if !viewer
        .principal
        .require::<can::ManageAchievements>()
        .is_ok_and(|c| c.covers(id))
    {
        crate::auth::server::set_status(http::StatusCode::FORBIDDEN);
        return Err(AppError::Forbidden);
    }
    let s = crate::services();
    Ok(engine::issuer::get(&s.pool, &view, id)
        .await
        .map_err(engine_error)?
        .name)
}

/// `/admin/issuers/{id}/achievements/new`: the first step, before a draft exists.
#[component]
pub fn AdminAchievementNew() -> impl IntoView {
    let params = use_params_map();
    let issuer = move || params.with(|p| p.get("id").unwrap_or_default());
    let create = ServerAction::<CreateAchievement>::new();
    let data = Resource::new(issuer, new_achievement_data);
    view! {
        <Title text=t("admin-wizard-new-title") />
        <AdminNav />
        <section class="admin narrow" data-testid="achievement-wizard">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(name) => view! {
                            <p class="breadcrumb"><a href=format!("/admin/issuers/{}/achievements", issuer())>{name}</a> {t("admin-wizard-new-breadcrumb")}</p>
                            <h1>{t("admin-wizard-new-title")}</h1>
                            <Stepper id=String::new() current="basics".into() />
                            <ActionForm action=create attr:class="form" attr:data-testid="step-basics">
                                <input type="hidden" name="issuer_id" value=issuer() />
                                <basics::BasicsFields values=AchievementFormValues::default()
                                    error=Signal::derive(move || create.value().get().and_then(Result::err)) />
                                <div class="actions">
                                    <button type="submit" class="primary">{t("admin-wizard-save-continue")}</button>
                                    <span class="muted">{t("admin-wizard-saved-as-draft")}</span>
                                </div>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/admin/achievements/{id}/edit?step=…`: every step of an existing achievement.
#[component]
pub fn AdminAchievementEdit() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let step = move || query.with(|q| q.get("step").unwrap_or_else(|| "basics".into()));
    let saved = move || query.with(|q| q.get("saved").is_some());
    let save = ServerAction::<SaveStep>::new();
    let publish = ServerAction::<Publish>::new();
    let data = Resource::new(
        move || (id(), save.version().get()),
        |(id, _)| wizard_data(id),
    );
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <Title text=t("admin-wizard-edit-title") />
        <AdminNav />
        <section class="admin narrow" data-testid="achievement-wizard">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let current = step();
                            let title = t(STEPS.iter().find(|(k, _)| *k == current).map_or("admin-wizard-step-basics", |(_, key)| *key));
                            let body = match current.as_str() {
                                "preview" => view! { <preview::Preview d=d.clone() publish=publish /> }.into_any(),
                                other => {
                                    let other = other.to_owned();
                                    let (step_name, test_id) = (other.clone(), format!("step-{other}"));
                                    let did = d.id.clone();
                                    let fields = match other.as_str() {
                                        "criteria" => view! { <criteria::CriteriaFields values=d.values.clone() error=error /> }.into_any(),
                                        "extras" => view! { <extras::ExtrasFields values=d.values.clone() error=error /> }.into_any(),
                                        _ => view! { <basics::BasicsFields values=d.values.clone() error=error /> }.into_any(),
                                    };
                                    view! {
                                        <ActionForm action=save attr:class="form" attr:data-testid=test_id.clone()>
                                            <input type="hidden" name="id" value=did.clone() />
                                            <input type="hidden" name="version" value=d.version />
                                            <input type="hidden" name="step" value=step_name.clone() />
                                            {fields}
                                            <div class="actions">
                                                <button type="submit" class="primary" disabled=move || save.pending().get()>
                                                    {move || if save.pending().get() { t("admin-wizard-saving") } else { t("admin-wizard-save-continue") }}
                                                </button>
                                                <a href=format!("/admin/achievements/{did}")>{t("admin-wizard-leave")}</a>
                                            </div>
                                        </ActionForm>
                                    }.into_any()
                                }
                            };
                            view! {
                                <p class="breadcrumb"><a href=format!("/admin/issuers/{}/achievements", d.issuer_id)>{d.issuer_name.clone()}</a>
                                    " › " <a href=format!("/admin/achievements/{}", d.id)>{d.badge.name.clone()}</a> {t("admin-wizard-edit-breadcrumb")}</p>
                                <h1>{t_with("admin-wizard-edit-heading", &[("name", (&d.badge.name).into()), ("step", (&title).into())])}</h1>
                                {(d.status == "draft").then(|| view! { <p class="pill pill-draft">{t("admin-wizard-draft")}</p> })}
                                <Stepper id=d.id.clone() current=current.clone() />
                                {move || (saved() && error.get().is_none()).then(|| view! { <p class="notice success" role="status">{t("admin-wizard-saved")}</p> })}
                                {body}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
