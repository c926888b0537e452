//! The issuer page's panel for credentials imported from the MongoDB version in the shape
//! strict verifiers refuse: how many there are, one button that re-issues all of them under
//! the issuer's DID (the old ones revoked as "superseded"), and the job's live progress.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::AppError;
use crate::components::ProgressBar;
use crate::language::{t, t_with};

/// The panel's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReissueView {
    /// Credentials still in the old shape.
    pub pending: i64,
    /// The latest job's status.
    pub status: Option<String>,
    /// Its progress.
    pub done: i64,
    /// Its total.
    pub total: i64,
    /// Re-issued by it.
    pub reissued: i64,
    /// Failed: (credential, why), the first few.
    pub failed: Vec<(String, String)>,
    /// Failed in all.
    pub failed_total: usize,
    /// The viewer may award and revoke on this issuer.
    pub can_start: bool,
}

/// The panel's data (needs `view_admin` on the issuer); `None` when there is nothing to show.
#[server(endpoint = "admin_reissue_state")]
pub async fn reissue_state(issuer_id: String) -> Result<Option<ReissueView>, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let id: uuid::Uuid = issuer_id
        .parse()
        .map_err(|_| AppError::NotFound("Issuer".into()))?;
    let s = crate::services();
    let pending = engine::award::reissue::pending(&s.pool, &view, id)
        .await
        .map_err(engine_error)?;
    let job = engine::award::reissue::latest(&s.pool, &view, id)
        .await
        .map_err(engine_error)?;
    if pending == 0 && job.is_none() {
        return Ok(None);
    }
    let payload: engine::award::reissue::Payload = job
        .as_ref()
        .and_then(|j| serde_json::from_value(j.payload.clone()).ok())
        .unwrap_or_default();
    let p = &viewer.principal;
    Ok(Some(ReissueView {
        pending,
        status: job.as_ref().map(|j| j.status.clone()),
        done: job.as_ref().map_or(0, |j| i64::from(j.progress_done)),
        total: job
            .as_ref()
            .and_then(|j| j.progress_total)
            .map_or(0, i64::from),
        reissued: payload.reissued,
        failed_total: payload.failed.len(),
        failed: payload
            .failed
            .iter()
            .take(20)
            .map(|(c, why)| (c.to_string(), why.clone()))
            .collect(),
        can_start: p.require::<can::Award>().is_ok_and(|c| c.covers(id))
            && p.require::<can::Revoke>().is_ok_and(|c| c.covers(id)),
    }))
}

/// Starts the re-issue (needs `award` and `revoke` on the issuer).
#[server(endpoint = "admin_reissue_start")]
pub async fn start_reissue(issuer_id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, award) = crate::auth::require::<can::Award>()?;
    let revoke = viewer
        .principal
        .require::<can::Revoke>()
        .map_err(engine_error)?;
    let id: uuid::Uuid = issuer_id
        .parse()
        .map_err(|_| AppError::NotFound("Issuer".into()))?;
    let s = crate::services();
    engine::award::reissue::start(&s.pool, &award, &revoke, id)
        .await
        .map(|_| ())
        .map_err(engine_error)
}

/// The panel.
#[component]
pub fn ReissuePanel(
    /// The issuer.
    issuer_id: String,
) -> impl IntoView {
    let start = ServerAction::<StartReissue>::new();
    let (tick, set_tick) = signal(0u32);
    let id = issuer_id.clone();
    let data = Resource::new(
        move || (id.clone(), start.version().get(), tick.get()),
        |(id, ..)| reissue_state(id),
    );
    Effect::new(move |_| {
        let running = data
            .get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|d| matches!(d.status.as_deref(), Some("queued" | "running")));
        if running {
            set_timeout(
                move || set_tick.update(|t| *t += 1),
                std::time::Duration::from_millis(1000),
            );
        }
    });
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    view! {
        <Transition fallback=|| ()>
            {move || {
                let issuer_id = issuer_id.clone();
                Suspend::new(async move {
                    let Ok(Some(d)) = data.await else { return ().into_any() };
                    let running = matches!(d.status.as_deref(), Some("queued" | "running"));
                    view! {
                        <section class="panel" data-testid="reissue">
                            <h2>{t("admin-reissue-heading")}</h2>
                            {(d.pending > 0).then(|| view! {
                                <p data-testid="reissue-pending">{t_with("admin-reissue-pending", &[("count", d.pending.into())])}</p>
                            })}
                            {match d.status.as_deref() {
                                Some("queued" | "running") => view! {
                                    <p class="status-line" role="status" aria-live="polite" data-testid="reissue-status" data-status="running">{t("admin-reissue-running")}</p>
                                    <ProgressBar done=d.done total=d.total unit="credentials" />
                                }.into_any(),
                                Some(status) => view! {
                                    <p class=if status == "succeeded" { "notice success" } else { "notice error" } role="status" data-testid="reissue-status" data-status=status.to_owned()>
                                        {if d.failed_total > 0 {
                                            t_with("admin-reissue-last-with-failures", &[("count", d.reissued.into()), ("failed", d.failed_total.into())])
                                        } else {
                                            t_with("admin-reissue-last", &[("count", d.reissued.into())])
                                        }}
                                    </p>
                                    {(!d.failed.is_empty()).then(|| view! {
                                        <table class="admin-table compact">
                                            <caption>{t("admin-reissue-not-reissued")}</caption>
                                            <thead><tr><th scope="col">{t("admin-reissue-col-credential")}</th><th scope="col">{t("admin-reissue-col-why")}</th></tr></thead>
                                            <tbody>{d.failed.iter().map(|(c, why)| view! {
                                                <tr><td><a href=format!("/admin/credentials/{c}")>{c.chars().take(8).collect::<String>()}</a></td><td>{why.clone()}</td></tr>
                                            }).collect_view()}</tbody>
                                        </table>
                                    })}
                                }.into_any(),
                                None => ().into_any(),
                            }}
                            {(d.pending > 0 && d.can_start && !running).then(|| view! {
                                <ActionForm action=start attr:class="form">
                                    <input type="hidden" name="issuer_id" value=issuer_id.clone() />
                                    <p class="hint">{t("admin-reissue-hint")}</p>
                                    <crate::components::ErrorSummary error=error />
                                    <button type="submit" class="secondary" data-testid="reissue-start">{t_with("admin-reissue-start", &[("count", d.pending.into())])}</button>
                                </ActionForm>
                            })}
                        </section>
                    }.into_any()
                })
            }}
        </Transition>
    }
}
