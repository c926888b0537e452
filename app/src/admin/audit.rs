//! `/admin/audit`: every administrative change, award and revocation, filtered by actor,
//! entity, action and time, with before/after shown as a readable list of changes. Admins
//! see everything; issuer owners see what concerns their issuers.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use super::issuers::urlencode;
use crate::auth::{AppError, ErrorNotice};
use crate::components::Pager;
use crate::language::t;

/// One change of a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Field.
    pub field: String,
    /// Value before ("—" when absent).
    pub before: String,
    /// Value after.
    pub after: String,
}

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// About what: kind and id.
    pub entity: String,
    /// Link to the entity's admin page, when it has one.
    pub href: Option<String>,
    /// Field changes.
    pub changes: Vec<Change>,
}

/// A page of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    /// Rows.
    pub rows: Vec<AuditRow>,
    /// More follow.
    pub has_more: bool,
}

/// Renders a JSON value short enough for a table cell.
#[cfg(feature = "ssr")]
fn show(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "—".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => {
            let s = other.to_string();
            if s.chars().count() > 160 {
                format!("{}…", s.chars().take(160).collect::<String>())
            } else {
                s
            }
        }
    }
}

/// The changed top-level fields between `before` and `after`.
#[cfg(feature = "ssr")]
pub fn diff(before: Option<&serde_json::Value>, after: Option<&serde_json::Value>) -> Vec<Change> {
    let empty = serde_json::Map::new();
    let b = before.and_then(|v| v.as_object()).unwrap_or(&empty);
    let a = after.and_then(|v| v.as_object()).unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !matches!(k.as_str(), "updated_at" | "version" | "created_at"))
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| Change {
            field: k.replace('_', " "),
            before: show(b.get(k)),
            after: show(a.get(k)),
        })
        .collect()
}

/// The audit log (admins: `view_admin` on every issuer; issuer owners: their issuers).
#[server(endpoint = "admin_audit")]
pub async fn audit_log(
    actor: String,
    entity: String,
    action: String,
    from: String,
    to: String,
    page: i64,
) -> Result<AuditPage, AppError> {
    use super::when;
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let s = crate::services();
    let day = |v: &str, end: bool| {
        chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .ok()
            .and_then(|d| {
                if end {
                    d.and_hms_opt(23, 59, 59)
                } else {
                    d.and_hms_opt(0, 0, 0)
                }
            })
            .map(|t| t.and_utc())
    };
    let q = engine::audit::AuditQuery {
        actor: Some(actor),
        entity_type: Some(entity),
        entity_id: None,
        action: Some(action),
        from: day(&from, false),
        to: day(&to, true),
        page: engine::page::PageRequest {
            offset: page.max(0) * 50,
            limit: 50,
        },
    };
    let (rows, has_more) = if matches!(view.scope(), engine::rbac::Scope::All) {
        engine::audit::search(&s.pool, &view, &q).await
    } else {
        // Staff below admin: issuer owners see their issuers' log; awarders and editors none.
        let owner = viewer
            .principal
            .require::<can::ManageIssuers>()
            .map_err(engine_error)?;
        engine::audit::search(&s.pool, &owner, &q).await
    }
    .map_err(engine_error)?;
    Ok(AuditPage {
        has_more,
        rows: rows
            .into_iter()
            .map(|e| AuditRow {
                at: when(e.at),
                actor: e.actor_label.clone(),
                action: e.action.clone(),
                href: e.entity_id.and_then(|id| match e.entity_type.as_str() {
                    "issuer" => Some(format!("/admin/issuers/{id}")),
                    "achievement" => Some(format!("/admin/achievements/{id}")),
                    "credential" => Some(format!("/admin/credentials/{id}")),
                    "bulk_award" => Some(format!("/admin/bulk-awards/{id}")),
                    _ => None,
                }),
                entity: crate::language::t_with(
                    "admin-audit-entity",
                    &[
                        (
                            "kind",
                            (&super::words("admin-audit-kind", &e.entity_type)).into(),
                        ),
                        (
                            "id",
                            (&e.entity_id.map(|i| i.to_string()).unwrap_or_default()).into(),
                        ),
                    ],
                ),
                changes: diff(e.before.as_ref(), e.after.as_ref()),
            })
            .collect(),
    })
}

/// The audit log page.
#[component]
pub fn AdminAudit() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| move || query.with(|q| q.get(k).unwrap_or_default());
    let (actor, entity, action, from, to) = (
        get("actor"),
        get("entity"),
        get("action"),
        get("from"),
        get("to"),
    );
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0));
    let data = Resource::new(
        move || (actor(), entity(), action(), from(), to(), page()),
        |(a, e, c, f, t, p)| audit_log(a, e, c, f, t, p),
    );
    view! {
        <Title text=t("admin-audit-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-audit">
            <h1>{t("admin-audit-title")}</h1>
            <form class="search filters" method="get">
                <label for="a-actor">{t("admin-audit-who")}</label><input id="a-actor" name="actor" value=actor placeholder=t("admin-audit-who-placeholder") />
                <label for="a-entity">{t("admin-audit-about")}</label>
                <select id="a-entity" name="entity">
                    {move || {
                        let cur = entity();
                        [("", "admin-audit-about-anything"), ("issuer", "admin-audit-about-issuers"), ("achievement", "admin-audit-about-achievements"), ("credential", "admin-audit-about-awards"), ("bulk_award", "admin-audit-about-bulk-awards"), ("user", "admin-audit-about-users"), ("role", "admin-audit-about-roles"), ("group", "admin-audit-about-groups"), ("job", "admin-audit-about-jobs")]
                            .into_iter()
                            .map(|(v, key)| { let sel = cur == v; view! { <option value=v selected=sel>{t(key)}</option> } })
                            .collect_view()
                    }}
                </select>
                <label for="a-action">{t("admin-audit-action")}</label><input id="a-action" name="action" value=action placeholder=t("admin-audit-action-placeholder") />
                <label for="a-from">{t("admin-audit-from")}</label><input id="a-from" type="date" name="from" value=from />
                <label for="a-to">{t("admin-audit-to")}</label><input id="a-to" type="date" name="to" value=to />
                <button type="submit">{t("admin-audit-filter")}</button>
            </form>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let qs = format!("actor={}&entity={}&action={}&from={}&to={}", urlencode(&actor()), urlencode(&entity()), urlencode(&action()), urlencode(&from()), urlencode(&to()));
                            view! {
                                {if d.rows.is_empty() { view! { <p class="muted">{t("admin-audit-none")}</p> }.into_any() } else { view! {
                                    <ol class="audit-list">
                                        {d.rows.into_iter().map(|r| view! {
                                            <li>
                                                <p><strong>{r.actor.clone()}</strong> " · " <code>{r.action.clone()}</code> " · "
                                                    {match r.href.clone() { Some(h) => view! { <a href=h>{r.entity.clone()}</a> }.into_any(), None => view! { <span>{r.entity.clone()}</span> }.into_any() }}
                                                    <span class="muted">" · " {r.at.clone()}</span></p>
                                                {(!r.changes.is_empty()).then(|| view! {
                                                    <table class="diff">
                                                        <thead><tr><th scope="col">{t("admin-audit-col-field")}</th><th scope="col">{t("admin-audit-col-before")}</th><th scope="col">{t("admin-audit-col-after")}</th></tr></thead>
                                                        <tbody>{r.changes.iter().map(|c| view! { <tr><td>{c.field.clone()}</td><td class="del">{c.before.clone()}</td><td class="ins">{c.after.clone()}</td></tr> }).collect_view()}</tbody>
                                                    </table>
                                                })}
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                }.into_any() }}
                                <Pager page=page() per_page=50 has_more=d.has_more href=move |p| format!("/admin/audit?{qs}&page={p}") />
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
