//! `/admin/outbox`: every e-mail the product sent or is sending, with delivery status and
//! errors (in development the messages are `.eml` files in the outbox folder).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::components::{Pager, StatusPill};

/// One message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRow {
    /// To.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Status.
    pub status: String,
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
                    (Some(t), _) => format!("delivered {}", when(t)),
                    (None, Some(e)) => format!("{} attempt(s): {e}", m.attempts),
                    (None, None) => "waiting".into(),
                },
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
        <Title text="OutboxView" />
        <AdminNav />
        <section class="admin" data-testid="admin-outbox">
            <h1>"OutboxView"</h1>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let st = status();
                            view! {
                                {d.folder.clone().map(|f| view! { <p class="notice">"Development mode: messages are written as .eml files to " <code>{f}</code> " instead of being sent. Set SMTP_URL to send them."</p> })}
                                {if d.rows.is_empty() { view! { <p class="muted">"No e-mail yet."</p> }.into_any() } else { view! {
                                    <table class="admin-table">
                                        <thead><tr><th scope="col">"To"</th><th scope="col">"Subject"</th><th scope="col">"Status"</th><th scope="col">"Queued"</th></tr></thead>
                                        <tbody>
                                            {d.rows.into_iter().map(|m| view! {
                                                <tr>
                                                    <td>{m.to.clone()}</td>
                                                    <td>{match m.credential.clone() { Some(c) => view! { <a href=format!("/admin/credentials/{c}")>{m.subject.clone()}</a> }.into_any(), None => view! { <span>{m.subject.clone()}</span> }.into_any() }}</td>
                                                    <td><StatusPill state=format!("mail-{}", m.status) label=m.status.clone() /><br/><span class="small muted">{m.detail.clone()}</span></td>
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
