//! `/admin/achievements/{id}`: one achievement — the badge as earners see it, its state and
//! actions (edit, duplicate, archive / restore, delete when never awarded), awarding it to
//! one earner, bulk awards in progress and the latest awards.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::AdminNav;
use super::awards::{AwardRow, AwardTable};
use crate::auth::{AppError, ErrorNotice};
use crate::components::{BadgeCard, BadgeView, Field, FieldKind, ProgressBar, StatusPill};
use crate::language::{t, t_with};

/// A choice for the result of an award: (value, text) where value is `rd:level` or `rd:`.
pub type ResultChoice = (String, String);

/// A bulk award shown on the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkRow {
    /// Id.
    pub id: String,
    /// File.
    pub file_name: String,
    /// Status.
    pub status: String,
    /// Done.
    pub done: i64,
    /// Total.
    pub total: i64,
    /// Failed.
    pub failed: i64,
    /// Who.
    pub by: String,
}

/// Everything the achievement page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementView {
    /// Id.
    pub id: String,
    /// Issuer.
    pub issuer_id: String,
    /// Issuer name.
    pub issuer_name: String,
    /// The badge.
    pub badge: BadgeView,
    /// `draft`, `active`, `archived`.
    pub status: String,
    /// Awards.
    pub awards: i64,
    /// Result choices for the award form.
    pub results: Vec<ResultChoice>,
    /// Latest awards.
    pub latest: Vec<AwardRow>,
    /// Bulk awards.
    pub bulk: Vec<BulkRow>,
    /// May edit.
    pub can_edit: bool,
    /// May award.
    pub can_award: bool,
    /// The public page.
    pub public_url: String,
}

#[cfg(feature = "ssr")]
fn parse(id: &str) -> Result<uuid::Uuid, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound("Achievement".into()))
}

/// The page's data (needs `view_admin` on the issuer).
#[server(endpoint = "admin_achievement_page")]
pub async fn achievement_page(id: String) -> Result<AchievementView, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let s = crate::services();
    let aid = parse(&id)?;
    let a = engine::achievement::get(&s.pool, &view, aid)
        .await
        .map_err(engine_error)?;
    let issuer = engine::issuer::get(&s.pool, &view, a.issuer_id)
        .await
        .map_err(engine_error)?;
    let history = engine::award::search_history(
        &s.pool,
        &view,
        &engine::award::HistoryQuery {
            achievement_id: Some(aid),
            page: engine::page::PageRequest {
                offset: 0,
                limit: 10,
            },
            ..Default::default()
        },
    )
    .await
    .map_err(engine_error)?;
    let bulk = engine::award::bulk::list_for_achievement(&s.pool, &view, aid)
        .await
        .map_err(engine_error)?;
    let mut results = vec![(String::new(), t("admin-achievement-result-none"))];
    for (i, rd) in a.fields.result_descriptions.iter().enumerate() {
        if rd.levels.is_empty() {
            results.push((
                format!("{i}:"),
                t_with(
                    "admin-achievement-result-value",
                    &[("result", (&rd.name).into())],
                ),
            ));
        } else {
            for (j, l) in rd.levels.iter().enumerate() {
                results.push((
                    format!("{i}:{j}"),
                    t_with(
                        "admin-achievement-result-level",
                        &[("result", (&rd.name).into()), ("level", (&l.name).into())],
                    ),
                ));
            }
        }
    }
    let covers = |ok: bool| ok;
    Ok(AchievementView {
        id: a.id.to_string(),
        issuer_id: issuer.id.to_string(),
        issuer_name: issuer.name.clone(),
        badge: crate::components::badge_card::build::achievement(&a, &issuer, s.urls()),
        status: a.status.as_str().to_owned(),
        awards: history.items.len() as i64,
        results,
        latest: history.items.iter().map(super::awards::row).collect(),
        bulk: bulk
            .iter()
            .map(|b| BulkRow {
                id: b.id.to_string(),
                file_name: b.file_name.clone(),
                status: b.status.clone(),
                done: i64::from(b.done()),
                total: i64::from(b.total_rows),
                failed: i64::from(b.failed),
                by: b.created_by_label.clone(),
            })
            .collect(),
        can_edit: covers(
            viewer
                .principal
                .require::<can::ManageAchievements>()
                .is_ok_and(|c| c.covers(a.issuer_id)),
        ),
        can_award: viewer
            .principal
            .require::<can::Award>()
            .is_ok_and(|c| c.covers(a.issuer_id)),
        public_url: s.urls().achievement(a.id),
    })
}

/// The award form's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardFormValues {
    /// Recipient's name.
    #[serde(default)]
    pub name: String,
    /// Recipient's e-mail.
    #[serde(default)]
    pub email: String,
    /// `rd:level`, `rd:` or empty.
    #[serde(default)]
    pub result: String,
    /// A value for a result without levels.
    #[serde(default)]
    pub result_value: String,
    /// Evidence URL.
    #[serde(default)]
    pub evidence_url: String,
    /// Evidence narrative.
    #[serde(default)]
    pub narrative: String,
    /// Activity start (`YYYY-MM-DD`).
    #[serde(default)]
    pub activity_start: String,
    /// Activity end.
    #[serde(default)]
    pub activity_end: String,
    /// Custom expiry.
    #[serde(default)]
    pub expiry: String,
    /// `on` to send the e-mail.
    #[serde(default)]
    pub notify: Option<String>,
}

/// The credential just awarded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Awarded {
    /// Credential id.
    pub id: String,
    /// Recipient.
    pub name: String,
    /// Its public page.
    pub public_url: String,
    /// Whether an e-mail was queued.
    pub notified: bool,
}

#[cfg(feature = "ssr")]
fn date(
    field: &str,
    value: &str,
    end_of_day: bool,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    match value.trim() {
        "" => Ok(None),
        v => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .ok()
            .and_then(|d| {
                if end_of_day {
                    d.and_hms_opt(23, 59, 59)
                } else {
                    d.and_hms_opt(0, 0, 0)
                }
            })
            .map(|t| Some(t.and_utc()))
            .ok_or_else(|| AppError::invalid(field, t("admin-achievement-date-invalid"))),
    }
}

/// Awards the achievement to one earner (needs `award` on the issuer).
#[server(endpoint = "admin_award_one")]
pub async fn award_one(achievement_id: String, form: AwardFormValues) -> Result<Awarded, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    use engine::signer::{AwardDetails, AwardResult, EvidenceInput};
    let (_viewer, can) = crate::auth::require::<can::Award>()?;
    let s = crate::services();
    let aid = parse(&achievement_id)?;
    let mut details = AwardDetails::default();
    if let Some((rd, level)) = form.result.split_once(':') {
        let rd: usize = rd
            .parse()
            .map_err(|_| AppError::invalid("result", t("admin-achievement-result-invalid")))?;
        details.results.push(AwardResult {
            result_description: rd,
            achieved_level: level.parse().ok(),
            value: (!form.result_value.trim().is_empty())
                .then(|| form.result_value.trim().to_owned()),
        });
    }
    if !form.evidence_url.trim().is_empty() || !form.narrative.trim().is_empty() {
        details.evidence.push(EvidenceInput {
            url: Some(form.evidence_url.trim().to_owned()).filter(|u| !u.is_empty()),
            narrative: Some(form.narrative.trim().to_owned()).filter(|n| !n.is_empty()),
            name: None,
        });
    }
    details.activity_start = date("activity_start", &form.activity_start, false)?;
    details.activity_end = date("activity_end", &form.activity_end, true)?;
    let notify = form.notify.as_deref() == Some("on");
    let new = engine::award::NewAward {
        achievement_id: aid,
        recipient_name: form.name.clone(),
        recipient_email: form.email.clone(),
        valid_until: date("expiry", &form.expiry, true)?,
        details,
        notify,
        ..Default::default()
    };
    let (_, cred) = engine::award::issue(&s.pool, &can, s.issuance(), &new)
        .await
        .map_err(engine_error)?;
    Ok(Awarded {
        id: cred.id.to_string(),
        name: cred.recipient_name,
        public_url: s.urls().credential(cred.id),
        notified: notify,
    })
}

/// Archive, restore, duplicate or delete (needs `manage_achievements`).
#[server(endpoint = "admin_achievement_action")]
pub async fn achievement_action(id: String, action: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageAchievements>()?;
    let s = crate::services();
    let aid = parse(&id)?;
    match action.as_str() {
        "archive" => {
            engine::achievement::archive(&s.pool, &s.cache, &can, aid)
                .await
                .map_err(engine_error)?;
        }
        "restore" => {
            engine::achievement::restore(&s.pool, &s.cache, &can, aid)
                .await
                .map_err(engine_error)?;
        }
        "duplicate" => {
            let copy = engine::achievement::duplicate(&s.pool, &can, aid)
                .await
                .map_err(engine_error)?;
            leptos_axum::redirect(&format!("/admin/achievements/{}/edit?step=basics", copy.id));
        }
        "delete" => {
            let view = _viewer
                .principal
                .require::<can::ViewAdmin>()
                .map_err(engine_error)?;
            let a = engine::achievement::get(&s.pool, &view, aid)
                .await
                .map_err(engine_error)?;
            engine::achievement::delete(&s.pool, &s.cache, &can, aid)
                .await
                .map_err(engine_error)?;
            leptos_axum::redirect(&format!("/admin/issuers/{}/achievements", a.issuer_id));
        }
        _ => return Err(AppError::BadRequest(t("admin-achievement-unknown-action"))),
    }
    Ok(())
}

/// The achievement page.
#[component]
pub fn AdminAchievement() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let published = move || query.with(|q| q.get("published").is_some());
    let award = ServerAction::<AwardOne>::new();
    let act = ServerAction::<AchievementAction>::new();
    let data = Resource::new(
        move || (id(), award.version().get(), act.version().get()),
        |(id, ..)| achievement_page(id),
    );
    view! {
        <Title text=t("admin-achievement-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-achievement">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => view! {
                            <Title text=d.badge.name.clone() />
                            <p class="breadcrumb"><a href="/admin/issuers">{t("admin-issuers-title")}</a> " › "
                                <a href=format!("/admin/issuers/{}", d.issuer_id)>{d.issuer_name.clone()}</a> " › "
                                <a href=format!("/admin/issuers/{}/achievements", d.issuer_id)>{t("admin-achievements-title")}</a></p>
                            {published().then(|| view! { <p class="notice success" role="status">{t("admin-achievement-published")}</p> })}
                            <div class="page-head">
                                <div>
                                    <StatusPill state=d.status.clone() label=super::words("admin-achievement-status", &d.status) />
                                </div>
                                <div class="head-actions">
                                    {d.can_edit.then(|| view! { <a class="button secondary" href=format!("/admin/achievements/{}/edit?step=basics", d.id) data-testid="edit-achievement">{t("admin-achievement-edit")}</a> })}
                                    {(d.can_award && d.status == "active").then(|| view! { <a class="button" href=format!("/admin/achievements/{}/bulk", d.id) data-testid="bulk-award">{t("admin-achievement-bulk-award")}</a> })}
                                    {(d.status != "draft").then(|| view! { <a class="button secondary" href=d.public_url.clone()>{t("admin-achievement-public-page")}</a> })}
                                </div>
                            </div>
                            <div class="two-col">
                                <BadgeCard badge=d.badge.clone() />
                                <div>
                                    {if d.can_award && d.status == "active" {
                                        view! { <AwardForm d=d.clone() award=award /> }.into_any()
                                    } else if d.status == "draft" {
                                        view! { <p class="notice">{t("admin-achievement-draft-before")} <a href=format!("/admin/achievements/{}/edit?step=preview", d.id)>{t("admin-achievement-draft-link")}</a> {t("admin-achievement-draft-after")}</p> }.into_any()
                                    } else if d.status == "archived" {
                                        view! { <p class="notice">{t("admin-achievement-archived")}</p> }.into_any()
                                    } else {
                                        ().into_any()
                                    }}
                                    {d.can_edit.then(|| view! { <Actions d=d.clone() act=act /> })}
                                </div>
                            </div>
                            {(!d.bulk.is_empty()).then(|| view! {
                                <section class="panel">
                                    <h2>{t("admin-achievement-bulk-awards")}</h2>
                                    <ul class="bulk-list">
                                        {d.bulk.iter().map(|b| view! {
                                            <li>
                                                <a href=format!("/admin/bulk-awards/{}", b.id)>{b.file_name.clone()}</a>
                                                <span class="muted">{t_with("admin-achievement-bulk-by", &[("by", (&b.by).into()), ("status", (&super::words("admin-bulk-status", &b.status)).into())])}</span>
                                                <ProgressBar done=b.done total=b.total errors=b.failed unit="rows" />
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            <section class="panel">
                                <div class="page-head">
                                    <h2>{t("admin-achievement-latest")}</h2>
                                    <a href=format!("/admin/awards?achievement={}", d.id)>{t("admin-achievement-all-awards")}</a>
                                </div>
                                <AwardTable rows=d.latest.clone() />
                            </section>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AwardForm(d: AchievementView, award: ServerAction<AwardOne>) -> impl IntoView {
    let error = Signal::derive(move || award.value().get().and_then(Result::err));
    let has_results = d.results.len() > 1;
    // Cleared after each award, so the next earner is not awarded the same badge by a second click.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(f)) = (award.value().get(), form.get()) {
            f.reset();
        }
    });
    view! {
        <section class="panel" data-testid="award-form">
            <h2>{t("admin-achievement-award-heading")}</h2>
            <ActionForm action=award node_ref=form attr:class="form">
                <input type="hidden" name="achievement_id" value=d.id.clone() />
                <crate::components::ErrorSummary error=error />
                {move || award.value().get().and_then(Result::ok).map(|a| view! {
                    <div class="notice success" role="status" data-testid="awarded">
                        {t("admin-achievement-awarded-to")} <strong>{a.name.clone()}</strong> ". "
                        {if a.notified { t("admin-achievement-email-on-its-way") } else { String::new() }}
                        <a href=a.public_url.clone()>{t("admin-achievement-view-credential")}</a>
                    </div>
                })}
                <div class="field-row">
                    <Field label=t("admin-field-award-name") name="form[name]" required=true autocomplete="off" error=error />
                    <Field label=t("admin-field-award-email") name="form[email]" kind=FieldKind::Email required=true autocomplete="off" error=error />
                </div>
                {has_results.then(|| view! {
                    <div class="field-row">
                        <div class="field">
                            <label for="award-result">{t("admin-achievement-result")}</label>
                            <select id="award-result" name="form[result]">
                                {d.results.iter().map(|(v, text)| view! { <option value=v.clone()>{text.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                        <Field label=t("admin-field-award-result-value") name="form[result_value]" hint=t("admin-field-award-result-value-hint") error=error />
                    </div>
                })}
                <details>
                    <summary>{t("admin-achievement-evidence-summary")}</summary>
                    <Field label=t("admin-field-award-evidence-url") name="form[evidence_url]" kind=FieldKind::Url placeholder="https://…" error=error />
                    <Field label=t("admin-field-award-narrative") name="form[narrative]" kind=FieldKind::TextArea hint=t("admin-field-award-narrative-hint") error=error />
                    <div class="field-row">
                        <Field label=t("admin-field-award-activity-start") name="form[activity_start]" kind=FieldKind::Date error=error />
                        <Field label=t("admin-field-award-activity-end") name="form[activity_end]" kind=FieldKind::Date error=error />
                        <Field label=t("admin-field-award-expiry") name="form[expiry]" kind=FieldKind::Date hint=t("admin-field-award-expiry-hint") error=error />
                    </div>
                </details>
                <div class="checkbox">
                    <input type="checkbox" id="award-notify" name="form[notify]" checked=true />
                    <label for="award-notify">{t("admin-achievement-notify")}</label>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="award-submit" disabled=move || award.pending().get()>
                        {move || if award.pending().get() { t("admin-achievement-signing") } else { t("admin-achievement-award") }}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn Actions(d: AchievementView, act: ServerAction<AchievementAction>) -> impl IntoView {
    let error = Signal::derive(move || act.value().get().and_then(Result::err));
    let button = move |action: &'static str, label: String, class: &'static str| {
        let id = d.id.clone();
        view! {
            <ActionForm action=act attr:class="inline">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="action" value=action />
                <button type="submit" class=class data-testid=format!("achievement-{action}")>{label}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="panel">
            <h2>{t("admin-achievement-manage")}</h2>
            <crate::components::ErrorSummary error=error />
            <div class="button-row">
                {button("duplicate", t("admin-achievement-duplicate"), "secondary")}
                {match d.status.as_str() {
                    "archived" => button("restore", t("admin-achievement-restore"), "secondary").into_any(),
                    "active" => button("archive", t("admin-achievement-archive"), "secondary").into_any(),
                    _ => ().into_any(),
                }}
                {button("delete", t("admin-achievement-delete"), "danger")}
            </div>
            <p class="hint">{t("admin-achievement-manage-hint")}</p>
        </section>
    }
}
