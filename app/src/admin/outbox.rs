//! `/admin/outbox`: every e-mail the product sent or is sending, with delivery status and
//! errors (in development the messages are `.eml` files in the outbox folder).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::components::{Pager, StatusPill};
use crate::language::t;

/// One message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRow {
    /// To.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Status.
    pub status: String,
    /// Status, in words.
    pub status_label: String,
    /// Queued.
    pub created: String,
    /// Sent, or the last error.
    pub detail: String,
    /// The award, for a link.
    pub credential: Option<String>,
}

/// A page of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxView {
    /// Rows.
    pub rows: Vec<MailRow>,
    /// Total.
    pub total: i64,
    /// Where `.eml` files go, in development.
    pub folder: Option<String>,
}

/// The outbox (needs `view_admin` on every issuer).
#[server(endpoint = "admin_outbox")]
pub async fn outbox(status: String, page: i64) -> Result<OutboxView, AppError> {
    use super::when;
    use crate::auth::server::engine_error;
    use crate::language::t_with;
    use engine::rbac::can;
    let (_viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let s = crate::services();
    let status = Some(status).filter(|s| !s.is_empty());
    let found = engine::mail::outbox(
        &s.pool,
        &view,
        status.as_deref(),
        engine::page::PageRequest {
            offset: page.max(0) * 50,
            limit: 50,
        },
    )
    .await
    .map_err(engine_error)?;
    Ok(OutboxView {
        total: found.total,
        folder: s.mailer.folder_path().map(|p| p.display().to_string()),
        rows: found
            .items
            .into_iter()
            .map(|m| MailRow {
                to: m.recipient,
                subject: m.subject,
                detail: match (m.sent_at, m.last_error) {
                    (Some(at), _) => {
                        t_with("admin-outbox-delivered", &[("when", (&when(at)).into())])
                    }
                    (None, Some(e)) => t_with(
                        "admin-outbox-attempts",
                        &[("count", m.attempts.into()), ("error", (&e).into())],
                    ),
                    (None, None) => t("admin-outbox-waiting"),
                },
                status_label: super::words("admin-outbox-status", &m.status),
                status: m.status,
                created: when(m.created_at),
                credential: m.credential_id.map(|c| c.to_string()),
            })
            .collect(),
    })
}

/// The outbox page.
#[component]
pub fn AdminOutbox() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0));
    let data = Resource::new(move || (status(), page()), |(s, p)| outbox(s, p));
    view! {
        <Title text=t("admin-outbox-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-outbox">
            <h1>{t("admin-outbox-heading")}</h1>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let st = status();
                            view! {
                                {d.folder.clone().map(|f| view! { <p class="notice">{t("admin-outbox-dev-before")} <code>{f}</code> {t("admin-outbox-dev-after")}</p> })}
                                {if d.rows.is_empty() { view! { <p class="muted">{t("admin-outbox-none")}</p> }.into_any() } else { view! {
                                    <table class="admin-table">
                                        <thead><tr><th scope="col">{t("admin-outbox-col-to")}</th><th scope="col">{t("admin-outbox-col-subject")}</th><th scope="col">{t("admin-outbox-col-status")}</th><th scope="col">{t("admin-outbox-col-queued")}</th></tr></thead>
                                        <tbody>
                                            {d.rows.into_iter().map(|m| view! {
                                                <tr>
                                                    <td>{m.to.clone()}</td>
                                                    <td>{match m.credential.clone() { Some(c) => view! { <a href=format!("/admin/credentials/{c}")>{m.subject.clone()}</a> }.into_any(), None => view! { <span>{m.subject.clone()}</span> }.into_any() }}</td>
                                                    <td><StatusPill state=format!("mail-{}", m.status) label=m.status_label.clone() /><br/><span class="small muted">{m.detail.clone()}</span></td>
                                                    <td>{m.created.clone()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any() }}
                                <Pager page=page() per_page=50 total=d.total href=move |p| format!("/admin/outbox?status={st}&page={p}") />
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
