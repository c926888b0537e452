//! `/admin/users`: users with their active sessions; revoke one session or all of a user's.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::language::t;

/// One session in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    /// Session id.
    pub id: String,
    /// Client address at sign-in.
    pub ip: String,
    /// Browser at sign-in.
    pub user_agent: String,
    /// Sign-in time.
    pub created_at: String,
    /// Absolute expiry.
    pub expires_at: String,
    /// The session making this request.
    pub current: bool,
}

/// One user in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    /// User id.
    pub id: String,
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// E-mail.
    pub email: String,
    /// May sign in.
    pub active: bool,
    /// Last sign-in.
    pub last_login: String,
    /// Active sessions.
    pub sessions: Vec<SessionRow>,
}

/// Users matching `search` (all when empty) with their active sessions (needs `manage_users`).
#[server(endpoint = "admin_list_users")]
pub async fn list_users(search: String) -> Result<Vec<UserRow>, AppError> {
    use super::when;
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, can) = crate::auth::require::<can::ManageUsers>()?;
    let pool = expect_context::<sqlx::PgPool>();
    let filter = match search.trim() {
        "" => engine::user::UserFilter::All,
        s => engine::user::UserFilter::Search(s.to_owned()),
    };
    let page = engine::user::list(&pool, &can, &filter, engine::page::PageRequest::default())
        .await
        .map_err(engine_error)?;
    let mut rows = Vec::with_capacity(page.items.len());
    for user in page.items {
        let sessions = engine::session::list_for_user(&pool, &can, user.id, true)
            .await
            .map_err(engine_error)?;
        rows.push(UserRow {
            id: user.id.to_string(),
            display_name: user.display_name.clone().unwrap_or_default(),
            email: user.email.clone().unwrap_or_default(),
            active: user.active,
            last_login: user
                .last_login
                .map(when)
                .unwrap_or_else(|| t("admin-users-never")),
            username: user.username,
            sessions: sessions
                .into_iter()
                .map(|s| SessionRow {
                    id: s.id.to_string(),
                    ip: s.ip.map(|ip| ip.to_string()).unwrap_or_default(),
                    user_agent: s.user_agent.unwrap_or_default(),
                    created_at: when(s.created_at),
                    expires_at: when(s.expires_at),
                    current: s.id == viewer.session_id,
                })
                .collect(),
        });
    }
    Ok(rows)
}

/// Ends one session of a user at once (needs `manage_users`).
#[server(endpoint = "admin_revoke_user_session")]
pub async fn revoke_user_session(user_id: String, session_id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageUsers>()?;
    let pool = expect_context::<sqlx::PgPool>();
    let (user_id, session_id) = (super::parse_id(&user_id)?, super::parse_id(&session_id)?);
    engine::session::revoke_by_admin(&pool, &can, user_id, session_id)
        .await
        .map_err(engine_error)
}

/// Ends every session of a user at once (needs `manage_users`).
#[server(endpoint = "admin_revoke_user_sessions")]
pub async fn revoke_user_sessions(user_id: String) -> Result<u64, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageUsers>()?;
    let pool = expect_context::<sqlx::PgPool>();
    let user_id = super::parse_id(&user_id)?;
    engine::session::revoke_all_by_admin(&pool, &can, user_id)
        .await
        .map_err(engine_error)
}

/// The users page.
#[component]
pub fn AdminUsers() -> impl IntoView {
    let (search, set_search) = signal(String::new());
    let revoke_one = ServerAction::<RevokeUserSession>::new();
    let revoke_all = ServerAction::<RevokeUserSessions>::new();
    let users = Resource::new(
        move || {
            (
                search.get(),
                revoke_one.version().get(),
                revoke_all.version().get(),
            )
        },
        |(s, _, _)| list_users(s),
    );
    let failure = move || {
        revoke_one
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| revoke_all.value().get().and_then(Result::err))
            .map(|e| view! { <p class="notice error" role="alert">{e.to_string()}</p> })
    };
    view! {
        <Title text=t("admin-users-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-users">
            <h1>{t("admin-users-heading")}</h1>
            <label for="user-search">{t("admin-users-search")}</label>
            <input id="user-search" type="search" placeholder=t("admin-users-search-placeholder")
                on:change=move |ev| set_search.set(event_target_value(&ev)) />
            {failure}
            <Suspense fallback=|| view! { <p class="muted">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(rows) => view! {
                            <table class="admin-table">
                                <thead><tr><th>{t("admin-users-col-user")}</th><th>{t("admin-users-col-status")}</th><th>{t("admin-users-col-last-sign-in")}</th><th>{t("admin-users-col-sessions")}</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|u| {
                                        let user_id = u.id.clone();
                                        let has_sessions = !u.sessions.is_empty();
                                        view! {
                                            <tr data-username=u.username.clone()>
                                                <td><strong>{u.display_name.clone()}</strong><br/><span class="muted">{u.username.clone()}</span></td>
                                                <td>{if u.active { t("admin-users-active") } else { t("admin-users-deactivated") }}</td>
                                                <td>{u.last_login.clone()}</td>
                                                <td>
                                                    <ul class="sessions">
                                                        {u.sessions.into_iter().map(|s| {
                                                            let user_id = user_id.clone();
                                                            view! {
                                                            <li>
                                                                {s.created_at.clone()} " · " {s.ip.clone()} " · " <span class="muted">{s.user_agent.clone()}</span>
                                                                {s.current.then(|| view! { " " <em>{t("admin-users-this-session")}</em> })}
                                                                <ActionForm action=revoke_one attr:class="inline">
                                                                    <input type="hidden" name="user_id" value=user_id.clone() />
                                                                    <input type="hidden" name="session_id" value=s.id.clone() />
                                                                    <button type="submit" class="small">{t("admin-users-revoke")}</button>
                                                                </ActionForm>
                                                            </li>
                                                        }.into_any()}).collect_view()}
                                                    </ul>
                                                    {has_sessions.then(move || view! {
                                                        <ActionForm action=revoke_all attr:class="inline">
                                                            <input type="hidden" name="user_id" value=user_id.clone() />
                                                            <button type="submit" class="small">{t("admin-users-revoke-all")}</button>
                                                        </ActionForm>
                                                    }.into_any())}
                                                </td>
                                            </tr>
                                        }.into_any()
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
