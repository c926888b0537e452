//! `/me/badges`: every credential awarded to the signed-in earner's verified addresses,
//! newest first, filtered by issuer and state; each can be shown publicly or kept private,
//! with or without the earner's name. Also the earner's addresses, and adding one, and the
//! wallets the earner connected through the Open Badges API, and disconnecting one.
//!
//! Private by default (an admin can change the deployment default): the page shows the
//! earner's name and achievements, so sharing is the earner's decision — the first "make
//! public" click is theirs, as data-protection law expects; sharing is one click away.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::auth::{AppError, ErrorNotice};
use crate::components::{Field, FieldKind, StatusPill};
use crate::language::{t, t_with};

/// One badge of the earner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyBadge {
    /// Credential id.
    pub id: String,
    /// Achievement.
    pub name: String,
    /// Image.
    pub image: Option<String>,
    /// Issuer.
    pub issuer: String,
    /// Issued, in words.
    pub issued: String,
    /// State class and words.
    pub state: (String, String),
    /// Public.
    pub public: bool,
    /// Name hidden.
    pub hide_name: bool,
    /// Sent to.
    pub email: String,
}

/// The page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyBadgesView {
    /// Greeting.
    pub name: String,
    /// Badges.
    pub badges: Vec<MyBadge>,
    /// Issuers to filter by: (id, name).
    pub issuers: Vec<(String, String)>,
    /// Verified addresses.
    pub addresses: Vec<String>,
    /// Wallets the earner let in.
    pub connections: Vec<ConnectedApp>,
}

/// A wallet the earner connected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectedApp {
    /// The wallet's row id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its web site.
    pub site: Option<String>,
    /// What it may do, in words.
    pub allowed: Vec<String>,
    /// Connected on, in words.
    pub since: String,
    /// Last active, in words.
    pub last_active: String,
}

/// The earner's badges (any signed-in user).
#[server(endpoint = "me_badges")]
pub async fn my_badges(issuer: String, state: String) -> Result<MyBadgesView, AppError> {
    use crate::auth::server::engine_error;
    let me = super::me().await?;
    let s = crate::services();
    let all = engine::award::claim::my_badges(&s.pool, &me, None, Default::default())
        .await
        .map_err(engine_error)?;
    let mut issuers: Vec<(String, String)> = all
        .iter()
        .map(|b| (b.issuer_id.to_string(), b.issuer_name.clone()))
        .collect();
    issuers.sort_by(|a, b| a.1.cmp(&b.1));
    issuers.dedup();
    let filter = engine::award::StateFilter::parse(&state);
    let shown = engine::award::claim::my_badges(&s.pool, &me, issuer.parse().ok(), filter)
        .await
        .map_err(engine_error)?;
    let addresses = engine::earner::addresses(&s.pool, &me)
        .await
        .map_err(engine_error)?;
    let connections = engine::wallet::connection::list(&s.pool, &me)
        .await
        .map_err(engine_error)?
        .into_iter()
        .map(|c| ConnectedApp {
            id: c.client.to_string(),
            name: c.client_name,
            site: c.client_uri,
            allowed: c.allowed,
            since: crate::language::date(c.connected_at),
            last_active: crate::language::date_time(c.last_active_at),
        })
        .collect();
    Ok(MyBadgesView {
        connections,
        name: me
            .display_name
            .clone()
            .unwrap_or_else(|| me.username.clone()),
        issuers,
        addresses,
        badges: shown
            .into_iter()
            .map(|b| MyBadge {
                id: b.id.to_string(),
                name: b.achievement_name,
                image: Some(s.urls().artwork(b.achievement_id, b.image.as_deref())),
                issuer: b.issuer_name,
                issued: crate::language::date(b.issued_at),
                state: crate::admin::awards::state_words(b.state),
                public: b.public,
                hide_name: b.hide_name,
                email: b.recipient_email,
            })
            .collect(),
    })
}

/// Shows a badge publicly or not, with or without the earner's name.
#[server(endpoint = "me_set_visibility")]
pub async fn set_visibility(
    id: String,
    public: Option<String>,
    hide_name: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    let me = super::me().await?;
    let s = crate::services();
    let cid = id
        .parse()
        .map_err(|_| AppError::NotFound("Credential".into()))?;
    engine::award::claim::set_visibility(
        &s.pool,
        &s.cache,
        &me,
        cid,
        public.is_some(),
        hide_name.is_some(),
    )
    .await
    .map_err(engine_error)
}

/// Ends the earner's connection to a wallet: its tokens stop working at once.
#[server(endpoint = "me_disconnect_wallet")]
pub async fn disconnect_wallet(id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    let me = super::me().await?;
    let s = crate::services();
    let client = id
        .parse()
        .map_err(|_| AppError::NotFound("Connection".into()))?;
    engine::wallet::connection::disconnect(&s.pool, &me, client)
        .await
        .map_err(engine_error)
}

/// Sends a confirmation link to another address of the earner.
#[server(endpoint = "me_add_address")]
pub async fn add_address(email: String) -> Result<String, AppError> {
    use crate::auth::server::engine_error;
    let me = super::me().await?;
    let s = crate::services();
    engine::earner::add_address(
        &s.pool,
        &s.kek,
        s.urls(),
        &me,
        &email,
        crate::language::lang(),
    )
    .await
    .map_err(engine_error)?;
    Ok(email.trim().to_lowercase())
}

/// The My badges page.
#[component]
pub fn MyBadges() -> impl IntoView {
    let query = use_query_map();
    let issuer = move || query.with(|q| q.get("issuer").unwrap_or_default());
    let state = move || query.with(|q| q.get("state").unwrap_or_default());
    let accepted = move || query.with(|q| q.get("accepted").is_some());
    let visibility = ServerAction::<SetVisibility>::new();
    let add = ServerAction::<AddAddress>::new();
    let disconnect = ServerAction::<DisconnectWallet>::new();
    let data = Resource::new(
        move || {
            (
                issuer(),
                state(),
                visibility.version().get(),
                disconnect.version().get(),
            )
        },
        |(i, s, _, _)| my_badges(i, s),
    );
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    view! {
        <Title text=t("nav-my-badges") />
        <section class="me" data-testid="my-badges">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("me-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let (cur_issuer, cur_state) = (issuer(), state());
                            view! {
                                <h1>{t("nav-my-badges")}</h1>
                                {accepted().then(|| view! { <p class="notice success" role="status">{t("me-accepted")}</p> })}
                                <form class="search filters" method="get">
                                    <label for="mb-issuer">{t("me-filter-issuer")}</label>
                                    <select id="mb-issuer" name="issuer">
                                        <option value="">{t("me-filter-all-issuers")}</option>
                                        {d.issuers.iter().map(|(id, n)| { let sel = *id == cur_issuer; view! { <option value=id.clone() selected=sel>{n.clone()}</option> } }).collect_view()}
                                    </select>
                                    <label for="mb-state">{t("me-filter-status")}</label>
                                    <select id="mb-state" name="state">
                                        {[("", t("me-filter-all")), ("claimed", t("me-filter-claimed")), ("unclaimed", t("me-filter-unclaimed")), ("expired", t("me-filter-expired")), ("revoked", t("me-filter-revoked"))].into_iter().map(|(v, t)| { let sel = cur_state == v; view! { <option value=v selected=sel>{t}</option> } }).collect_view()}
                                    </select>
                                    <button type="submit">{t("me-filter")}</button>
                                </form>
                                {if d.badges.is_empty() {
                                    view! {
                                        <div class="empty card">
                                            <h2>{t("me-empty-title")}</h2>
                                            <p>{t("me-empty-text")}</p>
                                        </div>
                                    }.into_any()
                                } else {
                                    view! {
                                        <ul class="my-badges">
                                            {d.badges.into_iter().map(|b| {
                                                let (vid, public_id, hide_id) = (b.id.clone(), format!("pub-{}", b.id), format!("hide-{}", b.id));
                                                view! {
                                                    <li class="my-badge card" data-badge=b.name.clone()>
                                                        <a href=format!("/credentials/{}", b.id) class="my-badge-link">
                                                            {match b.image.clone() { Some(src) => view! { <img src=src alt="" width="80" height="80" /> }.into_any(), None => view! { <span class="tile-medal" aria-hidden="true">"◆"</span> }.into_any() }}
                                                            <span><strong>{b.name.clone()}</strong><br/><span class="muted">{b.issuer.clone()} " · " {b.issued.clone()}</span></span>
                                                        </a>
                                                        <StatusPill state=b.state.0.clone() label=b.state.1.clone() />
                                                        <ActionForm action=visibility attr:class="visibility">
                                                            <input type="hidden" name="id" value=vid />
                                                            <div class="checkbox">
                                                                <input type="checkbox" id=public_id.clone() name="public" checked=b.public data-testid="make-public" />
                                                                <label for=public_id>{t("me-show-public")}</label>
                                                            </div>
                                                            <div class="checkbox">
                                                                <input type="checkbox" id=hide_id.clone() name="hide_name" checked=b.hide_name />
                                                                <label for=hide_id>{t("me-hide-name")}</label>
                                                            </div>
                                                            <button type="submit" class="small" data-testid="save-visibility">{t("me-save")}</button>
                                                        </ActionForm>
                                                        <p class="small muted">{if b.public { {t("me-public-note")} } else { {t("me-private-note")} }}</p>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <section class="panel">
                                    <h2>{t("me-addresses-title")}</h2>
                                    <p class="hint">{t("me-addresses-hint")}</p>
                                    <ul>{d.addresses.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
                                    <ActionForm action=add attr:class="form inline-form">
                                        <Field label=t("me-add-address") name="email" kind=FieldKind::Email autocomplete="email" error=add_error />
                                        <button type="submit" class="secondary">{t("me-send-confirmation")}</button>
                                    </ActionForm>
                                    {move || add.value().get().and_then(Result::ok).map(|e| view! { <p class="notice success" role="status">{t_with("me-address-sent", &[("email", e.as_str().into())])}</p> })}
                                </section>
                                <section class="panel" data-testid="connected-apps">
                                    <h2>{t("me-apps-title")}</h2>
                                    <p class="hint">{t("me-apps-hint")}</p>
                                    {move || disconnect.value().get().and_then(Result::ok).map(|()| view! { <p class="notice success" role="status">{t("me-apps-disconnected")}</p> })}
                                    {move || disconnect.value().get().and_then(Result::err).map(|e| view! { <p class="notice error" role="alert">{e.to_string()}</p> })}
                                    {if d.connections.is_empty() {
                                        view! { <p class="muted" data-testid="no-connected-apps">{t("me-apps-none")}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="connections">
                                                {d.connections.into_iter().map(|c| { let label = t_with("me-disconnect-label", &[("name", c.name.as_str().into())]); view! {
                                                    <li class="connection" data-testid="connected-app">
                                                        <div>
                                                            <strong>{match c.site.clone() { Some(href) => view! { <a href=href rel="noopener noreferrer">{c.name.clone()}</a> }.into_any(), None => view! { <span>{c.name.clone()}</span> }.into_any() }}</strong>
                                                            <p class="small muted">{t_with("me-connected-since", &[("since", c.since.as_str().into()), ("active", c.last_active.as_str().into())])}</p>
                                                            <ul class="small">{c.allowed.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
                                                        </div>
                                                        <ActionForm action=disconnect attr:class="inline">
                                                            <input type="hidden" name="id" value=c.id.clone() />
                                                            <button type="submit" class="small danger" aria-label=label>{t("me-disconnect")}</button>
                                                        </ActionForm>
                                                    </li>
                                                }}).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Confirms an address from its link (the earner must be signed in).
#[server(endpoint = "me_confirm_address")]
pub async fn confirm_address(token: String) -> Result<String, AppError> {
    use crate::auth::server::engine_error;
    let me = super::me().await?;
    let s = crate::services();
    engine::earner::confirm_address(&s.pool, &s.kek, &me, &token)
        .await
        .map_err(engine_error)
}

/// `/me/addresses/confirm/{token}`.
#[component]
pub fn ConfirmAddressPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let data = Resource::new(token, confirm_address);
    view! {
        <Title text=t("confirm-title") />
        <section class="status-page">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("confirm-busy")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(email) => view! {
                            <h1>{t("confirm-done")}</h1>
                            <p>{t_with("confirm-done-text", &[("email", email.as_str().into())])}</p>
                            <p><a class="button" href="/me/badges">{t("nav-my-badges")}</a></p>
                        }.into_any(),
                        Err(AppError::Unauthenticated) => view! {
                            <h1>{t("confirm-sign-in-title")}</h1>
                            <p>{t("confirm-sign-in-text")}</p>
                            <p><a class="button" rel="external" href=format!("/sign-in?next=/me/addresses/confirm/{}", token())>{t("sign-in-title")}</a></p>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
