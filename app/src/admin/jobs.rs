//! `/admin/jobs`: background jobs (bulk awards, imports) with progress, attempts and errors;
//! failed ones (dead letters) can be retried, queued or running ones cancelled.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::components::{Pager, ProgressBar, StatusPill};
use crate::language::{t, t_with};

/// One job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    /// Id.
    pub id: String,
    /// Kind, in words.
    pub kind: String,
    /// Status.
    pub status: String,
    /// Status, in words.
    pub status_label: String,
    /// Done.
    pub done: i64,
    /// Total.
    pub total: Option<i64>,
    /// Attempts: "2 of 3".
    pub attempts: String,
    /// Last error.
    pub error: Option<String>,
    /// Queued.
    pub created: String,
    /// Worker.
    pub worker: Option<String>,
    /// Next attempt, when waiting to retry.
    pub next: Option<String>,
}

/// A page of jobs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobList {
    /// Rows.
    pub rows: Vec<JobRow>,
    /// Total.
    pub total: i64,
    /// May retry and cancel.
    pub can_manage: bool,
}

/// Jobs (needs `view_admin` on every issuer).
#[server(endpoint = "admin_jobs")]
pub async fn list_jobs(status: String, page: i64) -> Result<JobList, AppError> {
    use super::when;
    use crate::auth::server::engine_error;
    use engine::rbac::{Permission, can};
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let s = crate::services();
    let status = Some(status).filter(|s| !s.is_empty());
    let found = engine::job::list(
        &s.pool,
        &view,
        status.as_deref(),
        engine::page::PageRequest {
            offset: page.max(0) * 25,
            limit: 25,
        },
    )
    .await
    .map_err(engine_error)?;
    let now = chrono::Utc::now();
    Ok(JobList {
        total: found.total,
        can_manage: viewer.principal.has_global(Permission::ManageJobs),
        rows: found
            .items
            .into_iter()
            .map(|j| JobRow {
                id: j.id.to_string(),
                kind: super::words("admin-jobs-kind", &j.kind),
                status_label: super::words("admin-jobs-status", &j.status),
                next: (j.status == "queued" && j.run_after > now && j.attempts > 0)
                    .then(|| when(j.run_after)),
                status: j.status,
                done: i64::from(j.progress_done),
                total: j.progress_total.map(i64::from),
                attempts: t_with(
                    "admin-jobs-attempts-of",
                    &[
                        ("attempts", j.attempts.into()),
                        ("max", j.max_attempts.into()),
                    ],
                ),
                error: j.error,
                created: when(j.created_at),
                worker: j.locked_by,
            })
            .collect(),
    })
}

/// Retries or cancels a job (needs `manage_jobs`).
#[server(endpoint = "admin_job_action")]
pub async fn job_action(id: String, action: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageJobs>()?;
    let s = crate::services();
    let id = id.parse().map_err(|_| AppError::NotFound("Job".into()))?;
    match action.as_str() {
        "retry" => engine::job::retry(&s.pool, &can, id).await.map(|_| ()),
        "cancel" => engine::job::cancel(&s.pool, &can, id).await.map(|_| ()),
        _ => return Err(AppError::BadRequest(t("admin-jobs-unknown-action"))),
    }
    .map_err(engine_error)
}

/// The Jobs page.
#[component]
pub fn AdminJobs() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0));
    let act = ServerAction::<JobAction>::new();
    let data = Resource::new(
        move || (status(), page(), act.version().get()),
        |(s, p, _)| list_jobs(s, p),
    );
    let error = Signal::derive(move || act.value().get().and_then(Result::err));
    view! {
        <Title text=t("admin-jobs-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-jobs">
            <h1>{t("admin-jobs-heading")}</h1>
            <p class="muted">{t("admin-jobs-lead")}</p>
            <form class="search" method="get">
                <label for="job-status">{t("admin-jobs-status")}</label>
                <select id="job-status" name="status">
                    {move || {
                        let cur = status();
                        [("", "admin-jobs-filter-all"), ("queued", "admin-jobs-filter-queued"), ("running", "admin-jobs-filter-running"), ("failed", "admin-jobs-filter-failed"), ("succeeded", "admin-jobs-filter-succeeded"), ("cancelled", "admin-jobs-filter-cancelled")]
                            .into_iter()
                            .map(|(v, key)| { let sel = cur == v; view! { <option value=v selected=sel>{t(key)}</option> } })
                            .collect_view()
                    }}
                </select>
                <button type="submit">{t("admin-jobs-filter")}</button>
            </form>
            <crate::components::ErrorSummary error=error />
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("admin-jobs-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) if d.rows.is_empty() => view! { <p class="muted">{t("admin-jobs-none")}</p> }.into_any(),
                        Ok(d) => {
                            let st = status();
                            view! {
                                <table class="admin-table">
                                    <thead><tr><th scope="col">{t("admin-jobs-col-job")}</th><th scope="col">{t("admin-jobs-col-status")}</th><th scope="col">{t("admin-jobs-col-progress")}</th><th scope="col">{t("admin-jobs-col-attempts")}</th><th scope="col"></th></tr></thead>
                                    <tbody>
                                        {d.rows.into_iter().map(|j| {
                                            let can_retry = d.can_manage && matches!(j.status.as_str(), "failed" | "cancelled");
                                            let can_cancel = d.can_manage && matches!(j.status.as_str(), "queued" | "running");
                                            let (retry_id, cancel_id) = (j.id.clone(), j.id.clone());
                                            view! {
                                                <tr data-job=j.id.clone()>
                                                    <td><strong>{j.kind.clone()}</strong><br/><span class="muted small">{j.created.clone()}</span>
                                                        {j.worker.clone().map(|w| view! { <br/><span class="muted small">{t_with("admin-jobs-worker", &[("worker", (&w).into())])}</span> })}</td>
                                                    <td><StatusPill state=format!("job-{}", j.status) label=j.status_label.clone() />
                                                        {j.error.clone().map(|e| view! { <br/><span class="small error-text">{e}</span> })}
                                                        {j.next.clone().map(|n| view! { <br/><span class="small muted">{t_with("admin-jobs-next-attempt", &[("when", (&n).into())])}</span> })}</td>
                                                    <td>{match j.total { Some(t) => view! { <ProgressBar done=j.done total=t /> }.into_any(), None => view! { {j.done} }.into_any() }}</td>
                                                    <td>{j.attempts.clone()}</td>
                                                    <td>
                                                        {can_retry.then(|| view! { <ActionForm action=act attr:class="inline"><input type="hidden" name="id" value=retry_id.clone() /><input type="hidden" name="action" value="retry" /><button type="submit" class="small">{t("admin-jobs-retry")}</button></ActionForm> })}
                                                        {can_cancel.then(|| view! { <ActionForm action=act attr:class="inline"><input type="hidden" name="id" value=cancel_id.clone() /><input type="hidden" name="action" value="cancel" /><button type="submit" class="small">{t("admin-jobs-cancel")}</button></ActionForm> })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <Pager page=page() per_page=25 total=d.total href=move |p| format!("/admin/jobs?status={st}&page={p}") />
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
