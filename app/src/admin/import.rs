//! The import from the MongoDB version for admins who cannot run the CLI: `/admin/import`
//! uploads the `mongoexport` files (a plain multipart form to `server::admin::import`) and
//! lists recent imports; `/admin/import/{id}` shows one import's live progress (it survives
//! reloads) and, when it is done, the same summary the CLI prints, the foreign-key check and
//! the first rejected records — and for a dry run, a button that imports the same files.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::components::{ProgressBar, StatusPill};
use crate::language::{t, t_with};

/// The largest upload the server accepts, provided by the server as context.
#[derive(Debug, Clone, Copy)]
pub struct ImportUploadLimit(pub u64);

/// One import in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// Job id.
    pub id: String,
    /// Queued at.
    pub created: String,
    /// Job status.
    pub status: String,
    /// Dry run or strict.
    pub mode: String,
    /// File names.
    pub files: String,
}

/// The Import page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportHomeView {
    /// Upload limit in MiB.
    pub limit_mib: u64,
    /// Latest imports.
    pub recent: Vec<ImportRow>,
    /// The file names the import reads.
    pub expected: Vec<String>,
}

#[cfg(feature = "ssr")]
fn mode(s: engine::import::job::Settings) -> String {
    t(match (s.dry_run, s.strict) {
        (true, true) => "admin-import-mode-dry-run-strict",
        (true, false) => "admin-import-mode-dry-run",
        (false, true) => "admin-import-mode-import-strict",
        (false, false) => "admin-import-mode-import",
    })
}

/// The Import page (needs `import_data`).
#[server(endpoint = "admin_import_home")]
pub async fn import_home() -> Result<ImportHomeView, AppError> {
    use super::when;
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, auth) = crate::auth::require::<can::ImportData>()?;
    let s = crate::services();
    let recent = engine::import::job::recent(&s.pool, &auth, 10)
        .await
        .map_err(engine_error)?;
    Ok(ImportHomeView {
        limit_mib: use_context::<ImportUploadLimit>().map_or(1024, |l| l.0 >> 20),
        expected: engine::import::Collection::ALL
            .iter()
            .map(|c| format!("{}.json", c.name()))
            .collect(),
        recent: recent
            .into_iter()
            .map(|i| ImportRow {
                id: i.job.id.to_string(),
                created: when(i.job.created_at),
                status: i.job.status.clone(),
                mode: mode(i.settings),
                files: i
                    .files
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
    })
}

/// The upload page.
#[component]
pub fn AdminImport() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.with(|q| q.get("error")).filter(|e| !e.is_empty());
    let data = Resource::new(|| (), |_| import_home());
    view! {
        <Title text=t("admin-import-title") />
        <AdminNav />
        <section class="admin narrow" data-testid="import-home">
            <h1>{t("admin-import-heading")}</h1>
            {move || error().map(|e| view! {
                <div class="notice error" role="alert" data-testid="import-error">
                    <strong>{t("admin-import-nothing-imported")}</strong>{e}
                </div>
            })}
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => view! {
                            <div class="card">
                                <h2>{t("admin-import-export")}</h2>
                                <p>{t("admin-import-export-run")} <code>"mongoexport"</code> {t("admin-import-export-writing")}
                                    <code>"<collection>.json"</code> {t("admin-import-export-lines")} <code>"--jsonArray"</code>
                                    {t("admin-import-export-reads")}</p>
                                <p class="file-list">{d.expected.iter().map(|f| view! { <code>{f.clone()}</code> " " }).collect_view()}</p>
                                <p class="muted">{t("admin-import-missing")}</p>
                            </div>
                            <div class="card">
                                <h2>{t("admin-import-upload")}</h2>
                                <form method="post" enctype="multipart/form-data" action="/admin/import" class="form" data-testid="import-form">
                                    <div class="field">
                                        <label for="import-files">{t("admin-import-files")}</label>
                                        <input id="import-files" type="file" name="files" multiple accept=".json,application/json" required aria-describedby="import-files-hint" />
                                        <p class="hint" id="import-files-hint">{t_with("admin-import-files-hint", &[("limit", (&d.limit_mib.to_string()).into())])}</p>
                                    </div>
                                    <div class="checkbox">
                                        <input type="checkbox" id="import-dry-run" name="dry_run" value="1" checked />
                                        <label for="import-dry-run">{t("admin-import-dry-run")}</label>
                                    </div>
                                    <div class="checkbox">
                                        <input type="checkbox" id="import-strict" name="strict" value="1" />
                                        <label for="import-strict">{t("admin-import-strict")}</label>
                                    </div>
                                    <div class="actions"><button type="submit" class="primary" data-testid="import-submit">{t("admin-import-submit")}</button></div>
                                </form>
                            </div>
                            {(!d.recent.is_empty()).then(|| view! {
                                <table class="admin-table compact">
                                    <caption>{t("admin-import-recent")}</caption>
                                    <thead><tr><th scope="col">{t("admin-import-col-started")}</th><th scope="col">{t("admin-import-col-mode")}</th><th scope="col">{t("admin-import-col-files")}</th><th scope="col">{t("admin-import-col-status")}</th></tr></thead>
                                    <tbody>
                                        {d.recent.iter().map(|r| view! {
                                            <tr>
                                                <td><a href=format!("/admin/import/{}", r.id)>{r.created.clone()}</a></td>
                                                <td>{r.mode.clone()}</td>
                                                <td class="wrap">{r.files.clone()}</td>
                                                <td><StatusPill state=format!("job-{}", r.status) label=super::words("admin-jobs-status", &r.status) /></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One row of the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRow {
    /// Collection.
    pub collection: String,
    /// Table.
    pub table: String,
    /// Documents read.
    pub documents: u64,
    /// Rejected.
    pub rejected: u64,
    /// Inserted now.
    pub inserted: i64,
    /// Present after.
    pub present: i64,
    /// `None` when it matches, else the expected count.
    pub mismatch: Option<i64>,
}

/// One rejected record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectRow {
    /// File and line.
    pub at: String,
    /// Why.
    pub reason: String,
}

/// One import for its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportView {
    /// Job id.
    pub id: String,
    /// Job status.
    pub status: String,
    /// Mode text.
    pub mode: String,
    /// Dry run.
    pub dry_run: bool,
    /// Strict.
    pub strict: bool,
    /// Files and sizes.
    pub files: Vec<(String, String)>,
    /// Done and total, in `unit`.
    pub done: i64,
    /// Total.
    pub total: i64,
    /// `KiB` or `MiB`.
    pub unit: String,
    /// Per second, in `unit`.
    pub rate: Option<f64>,
    /// Why it failed.
    pub error: Option<String>,
    /// The summary, once done.
    pub summary: Vec<SummaryRow>,
    /// Foreign keys checked and the broken ones.
    pub foreign_keys: Option<(usize, Vec<String>)>,
    /// First rejects.
    pub rejects: Vec<RejectRow>,
    /// Rejects in all.
    pub rejects_total: u64,
    /// The files are still stored (a dry run can be imported).
    pub upload_kept: bool,
}

#[cfg(feature = "ssr")]
fn size(bytes: u64) -> String {
    if bytes >= 10 << 20 {
        format!("{:.0} MiB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

#[cfg(feature = "ssr")]
fn summary_of(report: &serde_json::Value) -> (Vec<SummaryRow>, Option<(usize, Vec<String>)>) {
    use serde_json::Value;
    let collections = report.get("collections");
    let num = |v: Option<&Value>| v.and_then(Value::as_i64).unwrap_or(0);
    let rows = report
        .get("tables")
        .and_then(Value::as_array)
        .map(|tables| {
            tables
                .iter()
                .map(|t| {
                    let collection = t
                        .get("collection")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned();
                    let c = collections.and_then(|c| c.get(&collection));
                    let expected = num(t.get("expected"));
                    let present = num(t.get("present"));
                    SummaryRow {
                        table: t
                            .get("table")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        documents: c
                            .and_then(|c| c.get("documents"))
                            .and_then(Value::as_u64)
                            .unwrap_or(0),
                        rejected: c
                            .and_then(|c| c.get("rejected"))
                            .and_then(Value::as_u64)
                            .unwrap_or(0),
                        inserted: num(t.get("inserted")),
                        present,
                        mismatch: (present != expected).then_some(expected),
                        collection,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let fks = report
        .get("foreign_keys")
        .and_then(Value::as_array)
        .map(|f| {
            (
                f.len(),
                f.iter()
                    .filter(|k| num(k.get("orphans")) > 0)
                    .map(|k| {
                        t_with(
                            "admin-import-orphans",
                            &[
                                (
                                    "name",
                                    k.get("name")
                                        .and_then(Value::as_str)
                                        .unwrap_or_default()
                                        .into(),
                                ),
                                ("count", num(k.get("orphans")).into()),
                            ],
                        )
                    })
                    .collect(),
            )
        });
    (rows, fks)
}

/// One import's state (needs `import_data`).
#[server(endpoint = "admin_import_state")]
pub async fn import_state(id: String) -> Result<ImportView, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, auth) = crate::auth::require::<can::ImportData>()?;
    let s = crate::services();
    let id = id
        .parse()
        .map_err(|_| AppError::NotFound("Import".into()))?;
    let i = engine::import::job::get(&s.pool, &auth, id)
        .await
        .map_err(engine_error)?;
    let total_bytes: u64 = i.files.iter().map(|f| f.bytes).sum();
    let mib = total_bytes >= 10 << 20;
    let scale = |kib: i32| {
        if mib {
            i64::from(kib) / 1024
        } else {
            i64::from(kib)
        }
    };
    let done_kib = i.job.progress_done;
    let rate = i.job.started_at.and_then(|start| {
        let end = i
            .job
            .finished_at
            .unwrap_or_else(sqlx::types::chrono::Utc::now);
        let secs = (end - start).num_milliseconds() as f64 / 1000.0;
        (secs > 0.5 && done_kib > 0)
            .then(|| f64::from(done_kib) / secs / if mib { 1024.0 } else { 1.0 })
    });
    let (summary, foreign_keys) = i.report.as_ref().map(summary_of).unwrap_or_default();
    Ok(ImportView {
        id: i.job.id.to_string(),
        status: i.job.status.clone(),
        mode: mode(i.settings),
        dry_run: i.settings.dry_run,
        strict: i.settings.strict,
        files: i
            .files
            .iter()
            .map(|f| (f.name.clone(), size(f.bytes)))
            .collect(),
        done: scale(done_kib),
        total: scale(i.job.progress_total.unwrap_or(0)),
        unit: if mib { "MiB" } else { "KiB" }.to_owned(),
        rate,
        error: i.job.error.clone(),
        summary,
        foreign_keys,
        rejects: i
            .rejects
            .iter()
            .map(|r| RejectRow {
                at: format!("{}:{}", r.file, r.line),
                reason: r.reason.clone(),
            })
            .collect(),
        rejects_total: i.rejects_total,
        upload_kept: i.upload_kept,
    })
}

/// One import: live progress, then the summary.
#[component]
pub fn AdminImportJob() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let (tick, set_tick) = signal(0u32);
    let data = Resource::new(move || (id(), tick.get()), |(id, _)| import_state(id));
    // In the browser, refresh every second while the import runs.
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
    view! {
        <Title text=t("admin-import-job-title") />
        <AdminNav />
        <section class="admin narrow" data-testid="import-job">
            <p class="breadcrumb"><a href="/admin/import">{t("admin-import-job-title")}</a> {t("admin-import-job-breadcrumb")}</p>
            <Transition fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => view! { <ImportDetail d=d /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ImportDetail(d: ImportView) -> impl IntoView {
    let finished = d.status == "succeeded" || (d.status == "failed" && !d.summary.is_empty());
    let headline = match d.status.as_str() {
        "queued" => t("admin-import-queued"),
        "running" => t("admin-import-running"),
        "succeeded" if d.dry_run && d.rejects_total > 0 => t_with(
            "admin-import-dry-run-skipped",
            &[("count", d.rejects_total.into())],
        ),
        "succeeded" if d.dry_run => t("admin-import-dry-run-done"),
        "succeeded" if d.rejects_total > 0 => t_with(
            "admin-import-done-skipped",
            &[("count", d.rejects_total.into())],
        ),
        "succeeded" => t("admin-import-done"),
        "cancelled" => t("admin-import-cancelled"),
        "failed" => t_with(
            "admin-import-failed",
            &[(
                "error",
                (&d.error
                    .clone()
                    .unwrap_or_else(|| t("admin-import-see-jobs")))
                    .into(),
            )],
        ),
        other => other.to_owned(),
    };
    let notice = match d.status.as_str() {
        "succeeded" => "notice success",
        "failed" => "notice error",
        _ => "status-line",
    };
    let id = d.id.clone();
    view! {
        <h1>{t(match (d.dry_run, d.strict) {
            (true, false) => "admin-import-job-heading-dry-run",
            (true, true) => "admin-import-job-heading-dry-run-strict",
            (false, false) => "admin-import-job-heading",
            (false, true) => "admin-import-job-heading-strict",
        })}</h1>
        <p class=notice role="status" aria-live="polite" data-testid="import-status" data-status=d.status.clone()>{headline}</p>
        {(!finished).then(|| view! {
            <ProgressBar done=d.done total=d.total rate=d.rate.unwrap_or(0.0) unit=if d.unit == "MiB" { "MiB" } else { "KiB" } />
            <p class="muted">{t("admin-import-leave")}</p>
            <noscript><p><a href="">{t("admin-import-refresh")}</a></p></noscript>
        })}
        <p class="muted">{t("admin-import-files-list")} {d.files.iter().map(|(n, s)| format!("{n} ({s})")).collect::<Vec<_>>().join(", ")}</p>
        {(!d.summary.is_empty()).then(|| view! {
            <table class="admin-table compact" data-testid="import-summary">
                <caption>{t("admin-import-summary")}</caption>
                <thead><tr>
                    <th scope="col">{t("admin-import-col-collection")}</th><th scope="col">{t("admin-import-col-table")}</th>
                    <th scope="col" class="num">{t("admin-import-col-documents")}</th><th scope="col" class="num">{t("admin-import-col-rejected")}</th>
                    <th scope="col" class="num">{t("admin-import-col-inserted")}</th><th scope="col" class="num">{t("admin-import-col-present")}</th>
                    <th scope="col">{t("admin-import-col-check")}</th>
                </tr></thead>
                <tbody>
                    {d.summary.iter().map(|r| view! {
                        <tr data-table=r.table.clone()>
                            <td>{r.collection.clone()}</td><td><code>{r.table.clone()}</code></td>
                            <td class="num">{r.documents}</td><td class="num">{r.rejected}</td>
                            <td class="num">{r.inserted}</td><td class="num">{r.present}</td>
                            <td>{match r.mismatch {
                                None => view! { <span class="pill pill-active">{t("admin-import-ok")}</span> }.into_any(),
                                Some(e) => view! { <span class="pill pill-revoked">{t_with("admin-import-expected", &[("count", e.into())])}</span> }.into_any(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {d.foreign_keys.clone().map(|(n, broken)| view! {
            <p data-testid="import-foreign-keys">{if broken.is_empty() {
                t_with("admin-import-fk-ok", &[("count", n.into())])
            } else {
                t_with("admin-import-fk-broken", &[("count", n.into()), ("broken", broken.join("; ").as_str().into())])
            }}</p>
        })}
        {(d.rejects_total > 0).then(|| view! {
            <h2>{t_with("admin-import-skipped", &[("count", d.rejects_total.into())])}</h2>
            <table class="admin-table compact" data-testid="import-rejects">
                <thead><tr><th scope="col">{t("admin-import-col-file-line")}</th><th scope="col">{t("admin-import-col-why")}</th></tr></thead>
                <tbody>{d.rejects.iter().map(|r| view! { <tr><td><code>{r.at.clone()}</code></td><td>{r.reason.clone()}</td></tr> }).collect_view()}</tbody>
            </table>
            {(d.rejects_total > d.rejects.len() as u64).then(|| view! {
                <p class="muted">{t_with("admin-import-more-rejects", &[("count", (d.rejects_total - d.rejects.len() as u64).into())])}</p>
            })}
        })}
        {(d.dry_run && d.status == "succeeded" && d.upload_kept).then(|| view! {
            <form method="post" action=format!("/admin/import/{id}/again") class="actions">
                {d.strict.then(|| view! { <input type="hidden" name="strict" value="1" /> })}
                <button type="submit" class="primary" data-testid="import-for-real">{t("admin-import-for-real")}</button>
                <a href="/admin/import">{t("admin-import-upload-other")}</a>
            </form>
        })}
    }
}
