//! Bulk awards: `/admin/achievements/{id}/bulk` uploads a CSV (a plain multipart form the
//! server checks; every problem comes back with its row and column), and
//! `/admin/bulk-awards/{id}` previews a checked file, starts it, and shows its live progress
//! (it survives reloads, and every staff member of the issuer sees the same).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::components::ProgressBar;
use crate::language::{t, t_with};

/// A problem in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemRow {
    /// Line.
    pub row: usize,
    /// Column number and name.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// The upload page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadView {
    /// Achievement name.
    pub achievement: String,
    /// Problems of the last check, if `check` named one.
    pub problems: Vec<ProblemRow>,
    /// How many problems in all.
    pub problem_count: usize,
    /// The checked file's name.
    pub file_name: String,
    /// Largest number of rows.
    pub max_rows: usize,
    /// Result levels the `result` column accepts.
    pub levels: Vec<String>,
}

#[cfg(feature = "ssr")]
fn parse(id: &str, what: &str) -> Result<uuid::Uuid, AppError> {
    id.parse().map_err(|_| AppError::NotFound(what.into()))
}

/// The upload page's data (needs `award` on the issuer).
#[server(endpoint = "admin_bulk_upload_page")]
pub async fn upload_page(achievement_id: String, check: String) -> Result<UploadView, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let s = crate::services();
    let a = engine::achievement::get(&s.pool, &view, parse(&achievement_id, "Achievement")?)
        .await
        .map_err(engine_error)?;
    if !viewer
        .principal
        .require::<can::Award>()
        .is_ok_and(|c| c.covers(a.issuer_id))
    {
        crate::auth::server::set_status(http::StatusCode::FORBIDDEN);
        return Err(AppError::Forbidden);
    }
    let (problems, problem_count, file_name) = match check.parse::<uuid::Uuid>() {
        Ok(cid) => {
            let b = engine::award::bulk::get(&s.pool, &view, cid)
                .await
                .map_err(engine_error)?;
            let (errors, count) = engine::award::bulk::check_report(&s.pool, &view, cid)
                .await
                .map_err(engine_error)?;
            (
                errors
                    .into_iter()
                    .map(|e| ProblemRow {
                        row: e.row,
                        column: match (e.column, e.column_name) {
                            (Some(c), Some(n)) => format!("{c} ({n})"),
                            (None, Some(n)) => n,
                            (Some(c), None) => c.to_string(),
                            (None, None) => "—".into(),
                        },
                        message: e.message,
                    })
                    .collect(),
                count,
                b.file_name,
            )
        }
        Err(_) => (Vec::new(), 0, String::new()),
    };
    Ok(UploadView {
        achievement: a.fields.name.clone(),
        problems,
        problem_count,
        file_name,
        max_rows: engine::award::bulk::MAX_ROWS,
        levels: a
            .fields
            .result_descriptions
            .first()
            .map(|rd| rd.levels.iter().map(|l| l.name.clone()).collect())
            .unwrap_or_default(),
    })
}

/// The upload page.
#[component]
pub fn AdminBulkUpload() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let check = move || query.with(|q| q.get("check").unwrap_or_default());
    let data = Resource::new(move || (id(), check()), |(id, c)| upload_page(id, c));
    view! {
        <Title text=t("admin-bulk-title") />
        <AdminNav />
        <section class="admin narrow" data-testid="bulk-upload">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let aid = id();
                            view! {
                                <p class="breadcrumb"><a href=format!("/admin/achievements/{aid}")>{d.achievement.clone()}</a> {t("admin-bulk-breadcrumb")}</p>
                                <h1>{t_with("admin-bulk-heading", &[("name", (&d.achievement).into())])}</h1>
                                {(!d.problems.is_empty()).then(|| view! {
                                    <div class="notice error" role="alert" data-testid="bulk-errors">
                                        <h2>{t_with("admin-bulk-problems", &[("count", d.problem_count.into()), ("file", (&d.file_name).into())])}</h2>
                                        <p>{t("admin-bulk-problems-hint")}</p>
                                        <table class="admin-table compact">
                                            <thead><tr><th scope="col">{t("admin-bulk-col-row")}</th><th scope="col">{t("admin-bulk-col-column")}</th><th scope="col">{t("admin-bulk-col-problem")}</th></tr></thead>
                                            <tbody>
                                                {d.problems.iter().map(|p| view! {
                                                    <tr data-row=p.row><td>{p.row}</td><td>{p.column.clone()}</td><td>{p.message.clone()}</td></tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        {(d.problem_count > d.problems.len()).then(|| view! { <p>{t_with("admin-bulk-more-problems", &[("count", (d.problem_count - d.problems.len()).into())])}</p> })}
                                    </div>
                                })}
                                <div class="card">
                                    <h2>{t("admin-bulk-prepare")}</h2>
                                    <p>{t("admin-bulk-prepare-required")}
                                        <code>"name"</code>", "<code>"email"</code>{t("admin-bulk-prepare-optional")}<code>"narrative"</code>", "
                                        <code>"evidence_url"</code>", "<code>"result"</code>", "<code>"expiry"</code>{t("admin-bulk-prepare-date")}</p>
                                    {(!d.levels.is_empty()).then(|| view! { <p>{t("admin-bulk-levels-before")} <code>"result"</code> {t_with("admin-bulk-levels-after", &[("levels", d.levels.join(", ").as_str().into())])}</p> })}
                                    <p>{t_with("admin-bulk-format", &[("max", (&d.max_rows.to_string()).into())])}</p>
                                    <p><a class="button secondary" href="/admin/bulk-award-template.csv" download>{t("admin-bulk-template")}</a></p>
                                </div>
                                <div class="card">
                                    <h2>{t("admin-bulk-upload")}</h2>
                                    <form method="post" enctype="multipart/form-data" action=format!("/admin/achievements/{aid}/bulk") class="form" data-testid="bulk-form">
                                        <div class="field">
                                            <label for="bulk-file">{t("admin-bulk-file")}</label>
                                            <input id="bulk-file" type="file" name="file" accept=".csv,text/csv" required />
                                        </div>
                                        <div class="checkbox">
                                            <input type="checkbox" id="award-again" name="award_again" value="1" />
                                            <label for="award-again">{t("admin-bulk-award-again")}</label>
                                        </div>
                                        <div class="actions"><button type="submit" class="primary">{t("admin-bulk-check")}</button></div>
                                    </form>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A bulk award's state for its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkView {
    /// Id.
    pub id: String,
    /// Achievement id and name.
    pub achievement: (String, String),
    /// File.
    pub file_name: String,
    /// Status.
    pub status: String,
    /// Rows.
    pub total: i64,
    /// Issued.
    pub issued: i64,
    /// Skipped (awarded before).
    pub skipped: i64,
    /// Failed.
    pub failed: i64,
    /// Rows per second.
    pub rate: Option<f64>,
    /// Who started it.
    pub by: String,
    /// Preview rows: (row, name, e-mail).
    pub preview: Vec<(usize, String, String)>,
    /// Rows that will be skipped as awarded before.
    pub already: i64,
    /// Failed rows: (row, error).
    pub failures: Vec<(usize, String)>,
    /// May start it.
    pub can_award: bool,
}

/// A bulk award's state (any staff of the issuer).
#[server(endpoint = "admin_bulk_state")]
pub async fn bulk_state(id: String) -> Result<BulkView, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let s = crate::services();
    let bid = parse(&id, "Bulk award")?;
    let b = engine::award::bulk::get(&s.pool, &view, bid)
        .await
        .map_err(engine_error)?;
    let a = engine::achievement::get(&s.pool, &view, b.achievement_id)
        .await
        .map_err(engine_error)?;
    let (preview, already) = if b.status == "validated" {
        let (p, n) = engine::award::bulk::preview(&s.pool, &view, bid)
            .await
            .map_err(engine_error)?;
        (p.into_iter().map(|r| (r.row, r.name, r.email)).collect(), n)
    } else {
        (Vec::new(), 0)
    };
    let failures = if b.failed > 0 {
        engine::award::bulk::failures(&s.pool, &view, bid)
            .await
            .map_err(engine_error)?
            .into_iter()
            .map(|e| (e.row, e.message))
            .collect()
    } else {
        Vec::new()
    };
    Ok(BulkView {
        id: b.id.to_string(),
        achievement: (a.id.to_string(), a.fields.name.clone()),
        file_name: b.file_name.clone(),
        status: b.status.clone(),
        total: i64::from(b.total_rows),
        issued: i64::from(b.issued),
        skipped: i64::from(b.skipped),
        failed: i64::from(b.failed),
        rate: b.rate(chrono::Utc::now()),
        by: b.created_by_label.clone(),
        preview,
        already,
        failures,
        can_award: viewer
            .principal
            .require::<can::Award>()
            .is_ok_and(|c| c.covers(b.issuer_id)),
    })
}

/// Starts a checked bulk award (needs `award`).
#[server(endpoint = "admin_bulk_confirm")]
pub async fn confirm_bulk(id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::Award>()?;
    let s = crate::services();
    engine::award::bulk::confirm(&s.pool, &can, parse(&id, "Bulk award")?)
        .await
        .map(|_| ())
        .map_err(engine_error)
}

/// The bulk award page: preview and confirm, then live progress.
#[component]
pub fn AdminBulkAward() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let confirm = ServerAction::<ConfirmBulk>::new();
    let (tick, set_tick) = signal(0u32);
    let data = Resource::new(
        move || (id(), confirm.version().get(), tick.get()),
        |(id, ..)| bulk_state(id),
    );
    // In the browser, refresh the figures every second while the job runs.
    Effect::new(move |_| {
        let running = data
            .get()
            .and_then(Result::ok)
            .is_some_and(|d| matches!(d.status.as_str(), "queued" | "running"));
        if running {
            set_timeout(
                move || set_tick.update(|t| *t += 1),
                std::time::Duration::from_millis(1000),
            );
        }
    });
    let error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    view! {
        <Title text=t("admin-bulk-title") />
        <AdminNav />
        <section class="admin narrow" data-testid="bulk-award">
            <Transition fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let done = d.issued + d.skipped + d.failed;
                            view! {
                                <p class="breadcrumb"><a href=format!("/admin/achievements/{}", d.achievement.0)>{d.achievement.1.clone()}</a> {t("admin-bulk-breadcrumb")}</p>
                                <h1>{t_with("admin-bulk-heading", &[("name", (&d.file_name).into())])}</h1>
                                <crate::components::ErrorSummary error=error />
                                {match d.status.as_str() {
                                    "validated" => view! {
                                        <div class="notice success" role="status">
                                            <strong>{t_with("admin-bulk-all-correct", &[("count", d.total.into())])}</strong>
                                            {(d.already > 0).then(|| t_with("admin-bulk-already", &[("count", d.already.into())]))}
                                        </div>
                                        <table class="admin-table compact">
                                            <caption>{t("admin-bulk-first-rows")}</caption>
                                            <thead><tr><th scope="col">{t("admin-bulk-col-row")}</th><th scope="col">{t("admin-bulk-col-name")}</th><th scope="col">{t("admin-bulk-col-email")}</th></tr></thead>
                                            <tbody>{d.preview.iter().map(|(r, n, e)| view! { <tr><td>{*r}</td><td>{n.clone()}</td><td>{e.clone()}</td></tr> }).collect_view()}</tbody>
                                        </table>
                                        {d.can_award.then(|| view! {
                                            <ActionForm action=confirm attr:class="actions">
                                                <input type="hidden" name="id" value=d.id.clone() />
                                                <button type="submit" class="primary" data-testid="bulk-confirm">
                                                    {t_with("admin-bulk-confirm", &[("count", (d.total - d.already).into())])}
                                                </button>
                                                <a href=format!("/admin/achievements/{}/bulk", d.achievement.0)>{t("admin-bulk-upload-another")}</a>
                                            </ActionForm>
                                        })}
                                    }.into_any(),
                                    status => view! {
                                        <p class="status-line" aria-live="polite" data-testid="bulk-status" data-status=status.to_owned()>
                                            {match status {
                                                "queued" => t("admin-bulk-queued"),
                                                "running" => t("admin-bulk-running"),
                                                "succeeded" => t_with("admin-bulk-succeeded", &[("issued", d.issued.into()), ("skipped", d.skipped.into())]),
                                                "cancelled" => t("admin-bulk-cancelled"),
                                                "failed" => t("admin-bulk-failed"),
                                                other => other.to_owned(),
                                            }}
                                        </p>
                                        <ProgressBar done=done total=d.total rate=d.rate.unwrap_or(0.0) errors=d.failed unit="rows" />
                                        <p class="muted">{t_with("admin-bulk-started-by", &[("by", (&d.by).into())])}</p>
                                        <noscript><p><a href="">{t("admin-bulk-refresh")}</a></p></noscript>
                                        {(!d.failures.is_empty()).then(|| view! {
                                            <h2>{t("admin-bulk-failures")}</h2>
                                            <table class="admin-table compact">
                                                <thead><tr><th scope="col">{t("admin-bulk-col-row")}</th><th scope="col">{t("admin-bulk-col-problem")}</th></tr></thead>
                                                <tbody>{d.failures.iter().map(|(r, e)| view! { <tr><td>{*r}</td><td>{e.clone()}</td></tr> }).collect_view()}</tbody>
                                            </table>
                                        })}
                                        {(status == "succeeded").then(|| view! {
                                            <p><a class="button" href=format!("/admin/awards?achievement={}", d.achievement.0)>{t("admin-bulk-see-awards")}</a></p>
                                        })}
                                    }.into_any(),
                                }}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
