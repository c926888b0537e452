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
            since: c.connected_at.format("%-d %B %Y").to_string(),
            last_active: c.last_active_at.format("%-d %B %Y, %H:%M UTC").to_string(),
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
                issued: b.issued_at.format("%-d %B %Y").to_string(),
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
        <Title text="My badges" />
        <section class="me" data-testid="my-badges">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading your badges…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let (cur_issuer, cur_state) = (issuer(), state());
                            view! {
                                <h1>"My badges"</h1>
                                {accepted().then(|| view! { <p class="notice success" role="status">"Badge accepted. It is private until you make it public."</p> })}
                                <form class="search filters" method="get">
                                    <label for="mb-issuer">"Issuer"</label>
                                    <select id="mb-issuer" name="issuer">
                                        <option value="">"All issuers"</option>
                                        {d.issuers.iter().map(|(id, n)| { let sel = *id == cur_issuer; view! { <option value=id.clone() selected=sel>{n.clone()}</option> } }).collect_view()}
                                    </select>
                                    <label for="mb-state">"Status"</label>
                                    <select id="mb-state" name="state">
                                        {[("", "All"), ("claimed", "Accepted"), ("unclaimed", "Not accepted yet"), ("expired", "Expired"), ("revoked", "Revoked")].into_iter().map(|(v, t)| { let sel = cur_state == v; view! { <option value=v selected=sel>{t}</option> } }).collect_view()}
                                    </select>
                                    <button type="submit">"Filter"</button>
                                </form>
                                {if d.badges.is_empty() {
                                    view! {
                                        <div class="empty card">
                                            <h2>"No badges here yet"</h2>
                                            <p>"Badges awarded to your addresses appear here. If you received a badge at another address, add that address below."</p>
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
                                                                <label for=public_id>"Show on my public page"</label>
                                                            </div>
                                                            <div class="checkbox">
                                                                <input type="checkbox" id=hide_id.clone() name="hide_name" checked=b.hide_name />
                                                                <label for=hide_id>"Hide my name there"</label>
                                                            </div>
                                                            <button type="submit" class="small" data-testid="save-visibility">"Save"</button>
                                                        </ActionForm>
                                                        <p class="small muted">{if b.public { "Public: anyone with the link can see it." } else { "Private: only you and the issuer see it." }}</p>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <section class="panel">
                                    <h2>"Your e-mail addresses"</h2>
                                    <p class="hint">"Badges sent to any of these addresses are yours."</p>
                                    <ul>{d.addresses.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
                                    <ActionForm action=add attr:class="form inline-form">
                                        <Field label="Add an address" name="email" kind=FieldKind::Email autocomplete="email" error=add_error />
                                        <button type="submit" class="secondary">"Send a confirmation link"</button>
                                    </ActionForm>
                                    {move || add.value().get().and_then(Result::ok).map(|e| view! { <p class="notice success" role="status">{format!("We sent a link to {e}. Open it while signed in to add the address.")}</p> })}
                                </section>
                                <section class="panel" data-testid="connected-apps">
                                    <h2>"Connected apps"</h2>
                                    <p class="hint">"Wallets and backpacks you allowed to reach your badges through the Open Badges API. Disconnecting one stops its access at once; badges it already copied stay with it."</p>
                                    {move || disconnect.value().get().and_then(Result::ok).map(|()| view! { <p class="notice success" role="status">"Disconnected. That app can no longer reach your badges."</p> })}
                                    {move || disconnect.value().get().and_then(Result::err).map(|e| view! { <p class="notice error" role="alert">{e.to_string()}</p> })}
                                    {if d.connections.is_empty() {
                                        view! { <p class="muted" data-testid="no-connected-apps">"No apps are connected."</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="connections">
                                                {d.connections.into_iter().map(|c| { let label = format!("Disconnect {}", c.name); view! {
                                                    <li class="connection" data-testid="connected-app">
                                                        <div>
                                                            <strong>{match c.site.clone() { Some(href) => view! { <a href=href rel="noopener noreferrer">{c.name.clone()}</a> }.into_any(), None => view! { <span>{c.name.clone()}</span> }.into_any() }}</strong>
                                                            <p class="small muted">"Connected " {c.since.clone()} " · last active " {c.last_active.clone()}</p>
                                                            <ul class="small">{c.allowed.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
                                                        </div>
                                                        <ActionForm action=disconnect attr:class="inline">
                                                            <input type="hidden" name="id" value=c.id.clone() />
                                                            <button type="submit" class="small danger" aria-label=label>"Disconnect"</button>
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
        <Title text="Confirm address" />
        <section class="status-page">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Confirming…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(email) => view! {
                            <h1>"Address confirmed"</h1>
                            <p>{format!("Badges sent to {email} are now in your account.")}</p>
                            <p><a class="button" href="/me/badges">"My badges"</a></p>
                        }.into_any(),
                        Err(AppError::Unauthenticated) => view! {
                            <h1>"Sign in to confirm"</h1>
                            <p>"Sign in to the account that asked for this address, then open the link again."</p>
                            <p><a class="button" rel="external" href=format!("/sign-in?next=/me/addresses/confirm/{}", token())>"Sign in"</a></p>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
