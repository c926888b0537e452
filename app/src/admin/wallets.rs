//! `/admin/wallets`: wallets and backpacks that registered themselves through the Open Badges
//! API (RFC 7591 dynamic registration) to reach earners' badges with their consent. An admin
//! sees what each registered as, how many earners it reaches and what it added, and can
//! block one: every earner's connection to it ends at once.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::language::{t, t_with};

/// One registered wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletRow {
    /// Row id.
    pub id: String,
    /// OAuth client id.
    pub client_id: String,
    /// Name it registered with.
    pub name: String,
    /// Its web site.
    pub site: Option<String>,
    /// Where it may send earners back to.
    pub redirect_uris: Vec<String>,
    /// What it may ask earners for, in words.
    pub scopes: Vec<String>,
    /// Registered.
    pub registered: String,
    /// Earners with a live connection.
    pub earners: i64,
    /// Credentials it added to earners' accounts.
    pub added: i64,
    /// Its last token.
    pub last_active: String,
    /// Blocked on.
    pub blocked: Option<String>,
}

/// What the page lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletsPage {
    /// Wallets, newest first.
    pub wallets: Vec<WalletRow>,
    /// Where wallets find the API (the discovery document).
    pub discovery_url: String,
}

/// Registered wallets (needs `manage_client_apps`).
#[server(endpoint = "admin_wallets")]
pub async fn wallets() -> Result<WalletsPage, AppError> {
    use super::when;
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageClientApps>()?;
    let s = crate::services();
    let rows = engine::wallet::client::list(&s.pool, &can)
        .await
        .map_err(engine_error)?;
    Ok(WalletsPage {
        wallets: rows
            .into_iter()
            .map(|w| WalletRow {
                id: w.id.to_string(),
                client_id: w.client_id,
                name: w.client_name,
                site: w.client_uri,
                redirect_uris: w.redirect_uris,
                scopes: engine::wallet::scope_words(&w.scope),
                registered: when(w.created_at),
                earners: w.earners,
                added: w.credentials_added,
                last_active: w
                    .last_active_at
                    .map(when)
                    .unwrap_or_else(|| t("admin-wallets-never")),
                blocked: w.revoked_at.map(when),
            })
            .collect(),
        discovery_url: format!("{}/ims/ob/v3p0/discovery", s.urls().base()),
    })
}

/// Blocks a wallet: its secret and every token it holds stop working at once.
#[server(endpoint = "admin_block_wallet")]
pub async fn block_wallet(id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageClientApps>()?;
    let s = crate::services();
    engine::wallet::client::revoke(&s.pool, &can, super::parse_id(&id)?)
        .await
        .map_err(engine_error)
}

/// The wallets page.
#[component]
pub fn AdminWallets() -> impl IntoView {
    let block = ServerAction::<BlockWallet>::new();
    let page = Resource::new(move || block.version().get(), |_| wallets());
    view! {
        <Title text=t("admin-wallets-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-wallets">
            <h1>{t("admin-wallets-title")}</h1>
            <p class="muted">
                {t("admin-wallets-lead")}
            </p>
            {move || block.value().get().and_then(Result::err).map(|e| view! { <p class="notice error" role="alert">{e.to_string()}</p> })}
            {move || block.value().get().and_then(Result::ok).map(|()| view! { <p class="notice success" role="status">{t("admin-wallets-blocked-notice")}</p> })}
            <Suspense fallback=|| view! { <p class="muted">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(data) if data.wallets.is_empty() => view! {
                            <div class="empty card" data-testid="no-wallets">
                                <h2>{t("admin-wallets-none")}</h2>
                                <p>{t("admin-wallets-none-hint")}</p>
                                <p><code>{data.discovery_url.clone()}</code></p>
                            </div>
                        }.into_any(),
                        Ok(data) => view! {
                            <p class="hint">{t("admin-wallets-discovery")} <code>{data.discovery_url.clone()}</code></p>
                            <table class="admin-table" data-testid="wallets">
                                <thead><tr><th>{t("admin-wallets-col-wallet")}</th><th>{t("admin-wallets-col-scopes")}</th><th>{t("admin-wallets-col-returns-to")}</th><th>{t("admin-wallets-col-earners")}</th><th>{t("admin-wallets-col-added")}</th><th>{t("admin-wallets-col-last-active")}</th><th></th></tr></thead>
                                <tbody>
                                    {data.wallets.into_iter().map(|w| {
                                        let block_label = t_with("admin-wallets-block-label", &[("wallet", (&w.name).into())]);
                                        let action = match w.blocked.clone() {
                                            Some(at) => view! { <span class="pill pill-revoked">{t_with("admin-wallets-blocked", &[("when", (&at).into())])}</span> }.into_any(),
                                            None => view! {
                                                <ActionForm action=block attr:class="inline">
                                                    <input type="hidden" name="id" value=w.id.clone() />
                                                    <button type="submit" class="small danger" aria-label=block_label>{t("admin-wallets-block")}</button>
                                                </ActionForm>
                                            }.into_any(),
                                        };
                                        view! {
                                            <tr data-testid="wallet">
                                                <td>
                                                    <strong>{match w.site.clone() { Some(href) => view! { <a href=href rel="noopener noreferrer">{w.name.clone()}</a> }.into_any(), None => view! { <span>{w.name.clone()}</span> }.into_any() }}</strong>
                                                    <br/><code class="small">{w.client_id.clone()}</code>
                                                    <br/><span class="small muted">{t_with("admin-wallets-registered", &[("when", (&w.registered).into())])}</span>
                                                </td>
                                                <td><ul class="scope-list small">{w.scopes.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view()}</ul></td>
                                                <td><ul class="uri-list small">{w.redirect_uris.iter().map(|u| view! { <li><code>{u.clone()}</code></li> }).collect_view()}</ul></td>
                                                <td data-testid="wallet-earners">{w.earners}</td>
                                                <td>{w.added}</td>
                                                <td class="small">{w.last_active.clone()}</td>
                                                <td>{action}</td>
                                            </tr>
                                        }
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
