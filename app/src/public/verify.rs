//! `/verify`: anyone uploads a baked PNG/SVG or pastes credential JSON and gets the full
//! verification report check by check. The form posts to the server (`POST /verify`), which
//! keeps the report for an hour and shows it at `/verify?report={id}` — no JavaScript needed.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{Checks, ReportView};
use crate::auth::AppError;
use crate::language::t;

/// A kept report as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyView {
    /// `json`, `png`, `svg`, `unknown`.
    pub kind: String,
    /// Uploaded file name.
    pub file_name: Option<String>,
    /// The verification.
    pub report: Option<ReportView>,
    /// Why nothing was verified.
    pub problem: Option<String>,
}

/// A kept report (reports live for an hour).
#[server(endpoint = "public_verification_report")]
pub async fn verification_report(id: String) -> Result<VerifyView, AppError> {
    use crate::auth::server::engine_error;
    let s = crate::services();
    let rid: uuid::Uuid = id
        .parse()
        .map_err(|_| AppError::NotFound("Verification report".into()))?;
    let r = engine::verification::stored_report(&s.pool, rid)
        .await
        .map_err(engine_error)?;
    Ok(VerifyView {
        kind: r.kind,
        file_name: r.file_name,
        report: r.report.map(|rep| {
            let mut v = ReportView::from(rep);
            v.baking = r.baking.clone();
            v
        }),
        problem: r.problem,
    })
}

/// The verify page.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let query = use_query_map();
    let report_id = move || query.with(|q| q.get("report").unwrap_or_default());
    let data = Resource::new(report_id, |id| async move {
        if id.is_empty() {
            None
        } else {
            Some(verification_report(id).await)
        }
    });
    view! {
        <Title text=t("verify-title") />
        <Meta name="description" content=t("verify-description") />
        <section class="verify-page" data-testid="verify-page">
            <h1>{t("verify-title")}</h1>
            <p class="lead">{t("verify-lead")}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        None => ().into_any(),
                        Some(Err(_)) => view! { <p class="notice">{t("verify-expired")}</p> }.into_any(),
                        Some(Ok(v)) => view! {
                            <div class="verify-result" data-testid="verify-result" data-kind=v.kind.clone()>
                                {v.file_name.clone().map(|n| view! { <p class="muted">{t("verify-file-label-inline")} <strong>{n}</strong></p> })}
                                {v.problem.clone().map(|p| view! { <div class="notice error" role="alert" data-testid="verify-problem">{p}</div> })}
                                {v.report.clone().map(|r| view! {
                                    {(r.achievement_name.is_some() || r.issuer_name.is_some()).then(|| view! {
                                        <p class="verify-what">
                                            <strong>{r.achievement_name.clone().unwrap_or_else(|| t("verify-a-credential"))}</strong>
                                            {r.issuer_name.clone().map(|n| view! { {t("verify-issued-by")} <strong>{n}</strong> })}
                                        </p>
                                    })}
                                    <Checks report=r />
                                })}
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <div class="verify-forms">
                <form class="card form" method="post" action="/verify" enctype="multipart/form-data" data-testid="verify-file-form">
                    <h2>{t("verify-upload-title")}</h2>
                    <p class="hint">{t("verify-upload-hint")}</p>
                    <label for="verify-file">{t("verify-file")}</label>
                    <input id="verify-file" type="file" name="file" accept="image/png,image/svg+xml,.json,application/json,application/ld+json" required />
                    <div class="actions"><button type="submit" class="primary">{t("verify-file-submit")}</button></div>
                </form>
                <form class="card form" method="post" action="/verify" enctype="multipart/form-data" data-testid="verify-json-form">
                    <h2>{t("verify-paste-title")}</h2>
                    <label for="verify-json">{t("verify-json")}</label>
                    <textarea id="verify-json" name="json" rows="8" required placeholder="{ \"@context\": [ … ], \"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"], … }"></textarea>
                    <div class="actions"><button type="submit" class="primary">{t("verify-json-submit")}</button></div>
                </form>
            </div>
            <p class="hint">{t("verify-kept")}</p>
        </section>
    }
}
