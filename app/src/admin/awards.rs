//! `/admin/awards`: the award history — newest first, search by part of a name or e-mail,
//! filters by issuer, achievement and state (notably "unclaimed"), pagination and CSV export
//! of the filtered list.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use super::issuers::urlencode;
use crate::auth::{AppError, ErrorNotice};
use crate::components::{Pager, StatusPill};
use crate::language::t;

/// Rows per page.
pub const PER_PAGE: i64 = 25;

/// One award in a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardRow {
    /// Credential id.
    pub id: String,
    /// Achievement.
    pub achievement: String,
    /// Recipient's name.
    pub name: String,
    /// Recipient's e-mail.
    pub email: String,
    /// Issued.
    pub issued: String,
    /// State class.
    pub state: String,
    /// State in words.
    pub state_label: String,
    /// Latest e-mail: status and error.
    pub email_status: Option<String>,
    /// The latest e-mail failed or is being retried.
    pub email_failing: bool,
}

/// A summary row as the table shows it.
#[cfg(feature = "ssr")]
pub fn row(c: &engine::award::history::CredentialSummary) -> AwardRow {
    let (state, label) = state_words(c.state);
    AwardRow {
        id: c.id.to_string(),
        achievement: c.achievement_name.clone(),
        name: c.recipient_name.clone(),
        email: c.recipient_email.clone(),
        issued: super::when(c.issued_at),
        state,
        state_label: label,
        email_failing: matches!(
            (c.email_status.as_deref(), &c.email_error),
            (Some("failed"), _) | (Some("queued"), Some(_))
        ),
        email_status: c.email_status.clone().map(|s| {
            use crate::language::t_with;
            match (&*s, &c.email_error) {
                ("failed", Some(e)) => t_with("admin-awards-email-failed", &[("error", e.into())]),
                ("queued", Some(e)) => {
                    t_with("admin-awards-email-retrying", &[("error", e.into())])
                }
                (s, _) => t_with(
                    "admin-awards-email-status",
                    &[("status", (&super::words("admin-outbox-status", s)).into())],
                ),
            }
        }),
    }
}

/// (class, words) for a credential state.
#[cfg(feature = "ssr")]
pub fn state_words(s: engine::award::State) -> (String, String) {
    use crate::language::{t, t_with};
    use engine::award::State;
    match s {
        State::Revoked => ("revoked".into(), t("state-revoked")),
        State::Suspended => ("suspended".into(), t("state-suspended")),
        State::Expired => ("expired".into(), t("state-expired")),
        State::Claimed => ("claimed".into(), t("state-claimed")),
        State::Unclaimed { days: 0 } => ("issued".into(), t("state-issued-today")),
        State::Unclaimed { days } => (
            "unclaimed".into(),
            t_with("state-unclaimed", &[("days", days.into())]),
        ),
    }
}

/// A table of awards.
#[component]
pub fn AwardTable(rows: Vec<AwardRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">{t("admin-awards-none")}</p> }.into_any();
    }
    view! {
        <table class="admin-table awards" data-testid="award-table">
            <thead><tr>
                <th scope="col">{t("admin-awards-col-earner")}</th><th scope="col">{t("admin-awards-col-achievement")}</th><th scope="col">{t("admin-awards-col-issued")}</th><th scope="col">{t("admin-awards-col-status")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr data-email=r.email.clone()>
                        <td><a href=format!("/admin/credentials/{}", r.id)><strong>{r.name.clone()}</strong></a><br/><span class="muted">{r.email.clone()}</span></td>
                        <td>{r.achievement.clone()}</td>
                        <td>{r.issued.clone()}</td>
                        <td>
                            <StatusPill state=r.state.clone() label=r.state_label.clone() />
                            {r.email_status.clone().map(|e| {
                                let failing = r.email_failing;
                                view! { <br/><span class=if failing { "small error-text" } else { "small muted" }>{e}</span> }
                            })}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A page of history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardPage {
    /// Rows.
    pub rows: Vec<AwardRow>,
    /// More follow.
    pub has_more: bool,
    /// Title of the filter (issuer or achievement name).
    pub scope: String,
}

/// Award history (needs `view_admin`; staff see their issuers' awards).
#[server(endpoint = "admin_awards")]
pub async fn list_awards(
    search: String,
    state: String,
    issuer: String,
    achievement: String,
    page: i64,
) -> Result<AwardPage, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let s = crate::services();
    let issuer_id = issuer.parse().ok();
    let achievement_id = achievement.parse().ok();
    let q = engine::award::HistoryQuery {
        text: Some(search).filter(|t| !t.trim().is_empty()),
        issuer_id,
        achievement_id,
        state: engine::award::StateFilter::parse(&state),
        page: engine::page::PageRequest {
            offset: page.max(0) * PER_PAGE,
            limit: PER_PAGE,
        },
    };
    let found = engine::award::search_history(&s.pool, &view, &q)
        .await
        .map_err(engine_error)?;
    let scope = match (achievement_id, issuer_id) {
        (Some(a), _) => engine::achievement::get(&s.pool, &view, a)
            .await
            .map(|a| a.fields.name)
            .unwrap_or_default(),
        (None, Some(i)) => engine::issuer::get(&s.pool, &view, i)
            .await
            .map(|i| i.name)
            .unwrap_or_default(),
        _ => String::new(),
    };
    Ok(AwardPage {
        rows: found.items.iter().map(row).collect(),
        has_more: found.has_more,
        scope,
    })
}

/// The award history page.
#[component]
pub fn AdminAwards() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| move || query.with(|q| q.get(k).unwrap_or_default());
    let (search, state, issuer, achievement) =
        (get("q"), get("state"), get("issuer"), get("achievement"));
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0));
    let data = Resource::new(
        move || (search(), state(), issuer(), achievement(), page()),
        |(q, s, i, a, p)| list_awards(q, s, i, a, p),
    );
    let qs = move || {
        format!(
            "q={}&state={}&issuer={}&achievement={}",
            urlencode(&search()),
            urlencode(&state()),
            urlencode(&issuer()),
            urlencode(&achievement())
        )
    };
    view! {
        <Title text=t("admin-awards-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-awards">
            <div class="page-head">
                <h1>{t("admin-awards-title")}</h1>
                <a class="button secondary" href=move || format!("/admin/awards/export.csv?{}", qs()) download data-testid="export-csv">{t("admin-awards-export")}</a>
            </div>
            <form class="search filters" method="get" role="search">
                <input type="hidden" name="issuer" value=issuer />
                <input type="hidden" name="achievement" value=achievement />
                <label for="award-search">{t("admin-awards-search")}</label>
                <input id="award-search" type="search" name="q" value=search placeholder=t("admin-awards-search-placeholder") data-testid="award-search" />
                <label for="award-state">{t("admin-awards-status")}</label>
                <select id="award-state" name="state">
                    {move || {
                        let cur = state();
                        [("", "admin-awards-filter-all"), ("unclaimed", "admin-awards-filter-unclaimed"), ("claimed", "admin-awards-filter-claimed"), ("suspended", "admin-awards-filter-suspended"), ("revoked", "admin-awards-filter-revoked"), ("expired", "admin-awards-filter-expired")]
                            .into_iter()
                            .map(|(v, key)| {
                                let sel = cur == v;
                                view! { <option value=v selected=sel>{t(key)}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <button type="submit">{t("admin-awards-filter")}</button>
            </form>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("admin-awards-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let q = qs();
                            view! {
                                {(!d.scope.is_empty()).then(|| view! { <p class="muted">{t("admin-awards-showing")} <strong>{d.scope.clone()}</strong> ". " <a href="/admin/awards">{t("admin-awards-show-all")}</a></p> })}
                                <AwardTable rows=d.rows.clone() />
                                <Pager page=page() per_page=PER_PAGE has_more=d.has_more href=move |p| format!("/admin/awards?{q}&page={p}") />
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
