//! `/claim/{token}`: the link in the award e-mail. It shows the badge on offer; the earner
//! signs in (with the organisation's account, or by an e-mail link to the award's address)
//! and accepts it. A used, expired, revoked or mistyped link says so plainly.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::auth::{AppError, ErrorNotice};
use crate::language::t;

/// What the link offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimView {
    /// `open`, `already_claimed`, `revoked`, `expired`, `invalid`.
    pub kind: String,
    /// Achievement name.
    pub achievement: String,
    /// Image.
    pub image: Option<String>,
    /// Issuer.
    pub issuer: String,
    /// Name as awarded.
    pub recipient: String,
    /// Masked address.
    pub email: String,
    /// The credential (for "view it").
    pub credential_id: String,
    /// Whoever is signed in, if anyone.
    pub signed_in_as: Option<String>,
}

/// What the claim link offers (public: the token is the secret).
#[server(endpoint = "claim_offer")]
pub async fn claim_offer(token: String) -> Result<ClaimView, AppError> {
    use crate::auth::server::engine_error;
    use engine::award::claim::ClaimLink;
    let s = crate::services();
    let link = engine::award::claim::open(&s.pool, &s.kek, &token)
        .await
        .map_err(engine_error)?;
    let signed_in_as = crate::auth::viewer().map(|v| v.display_name);
    let (kind, offer) = match link {
        ClaimLink::Open(o) => ("open", Some(o)),
        ClaimLink::AlreadyClaimed(o) => ("already_claimed", Some(o)),
        ClaimLink::Revoked(o) => ("revoked", Some(o)),
        ClaimLink::Expired => ("expired", None),
        ClaimLink::Invalid => ("invalid", None),
    };
    Ok(match offer {
        Some(o) => ClaimView {
            kind: kind.into(),
            achievement: o.achievement_name,
            image: Some(s.urls().artwork(o.achievement_id, o.image.as_deref())),
            issuer: o.issuer_name,
            recipient: o.recipient_name,
            email: o.masked_email,
            credential_id: o.credential_id.to_string(),
            signed_in_as,
        },
        None => ClaimView {
            kind: kind.into(),
            achievement: String::new(),
            image: None,
            issuer: String::new(),
            recipient: String::new(),
            email: String::new(),
            credential_id: String::new(),
            signed_in_as,
        },
    })
}

/// Accepts the badge for the signed-in earner.
#[server(endpoint = "claim_accept")]
pub async fn accept(token: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    let me = super::me().await?;
    let s = crate::services();
    let id = engine::award::claim::accept(&s.pool, &s.cache, &s.kek, &token, &me)
        .await
        .map_err(engine_error)?;
    leptos_axum::redirect(&format!("/me/badges?accepted={id}"));
    Ok(())
}

/// Sends a sign-in link to the award's address.
#[server(endpoint = "claim_email_link")]
pub async fn email_link(email: String, next: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    let s = crate::services();
    engine::earner::request_sign_in_link(
        &s.pool,
        &s.kek,
        s.urls(),
        &email,
        &next,
        crate::language::lang(),
    )
    .await
    .map_err(engine_error)
}

/// The claim page.
#[component]
pub fn ClaimPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let accept_action = ServerAction::<Accept>::new();
    let link = ServerAction::<EmailLink>::new();
    let data = Resource::new(token, claim_offer);
    view! {
        <Title text=t("claim-title") />
        <section class="claim-page" data-testid="claim-page">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("claim-opening")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(c) => match c.kind.as_str() {
                            "invalid" => view! {
                                <div class="status-page" data-testid="claim-invalid">
                                    <h1>{t("claim-invalid-title")}</h1>
                                    <p>{t("claim-invalid-text")}</p>
                                </div>
                            }.into_any(),
                            "expired" => view! {
                                <div class="status-page" data-testid="claim-expired">
                                    <h1>{t("claim-expired-title")}</h1>
                                    <p>{t("claim-expired-text")}</p>
                                </div>
                            }.into_any(),
                            kind => {
                                let tok = token();
                                let next = format!("/claim/{tok}");
                                view! {
                                    <div class="claim-card card">
                                        {match c.image.clone() { Some(src) => view! { <img src=src alt="" width="160" height="160" class="claim-art" /> }.into_any(), None => view! { <div class="badge-art badge-art-default claim-art" aria-hidden="true"><span>"◆"</span></div> }.into_any() }}
                                        <p class="eyebrow">{c.issuer.clone()}</p>
                                        <h1>{c.achievement.clone()}</h1>
                                        <p>{t("claim-awarded-to")} " " <strong>{c.recipient.clone()}</strong> {format!(" ({})", c.email)}</p>
                                        {match kind {
                                            "already_claimed" => view! {
                                                <p class="notice" data-testid="claim-used">{t("claim-used")}</p>
                                                <p><a class="button" href="/me/badges">{t("nav-my-badges")}</a></p>
                                            }.into_any(),
                                            "revoked" => view! {
                                                <p class="notice error" data-testid="claim-revoked">{t("claim-revoked")}</p>
                                            }.into_any(),
                                            _ => match c.signed_in_as.clone() {
                                                Some(who) => view! {
                                                    <p>{t("claim-signed-in-as")} " " <strong>{who}</strong> "."</p>
                                                    <ActionForm action=accept_action>
                                                        <input type="hidden" name="token" value=tok.clone() />
                                                        <crate::components::ErrorSummary error=Signal::derive(move || accept_action.value().get().and_then(Result::err)) />
                                                        <button type="submit" class="primary big" data-testid="accept">{t("claim-accept")}</button>
                                                    </ActionForm>
                                                }.into_any(),
                                                None => view! {
                                                    <h2>{t("claim-sign-in-to-accept")}</h2>
                                                    <div class="sign-in-options">
                                                        <div>
                                                            <p><a class="button" rel="external" href=format!("/auth/login?next={}", crate::public::credential::encode(&next)) data-testid="claim-sign-in">{t("sign-in-with-organisation")}</a></p>
                                                            <p class="hint">{t("claim-sign-in-hint")}</p>
                                                        </div>
                                                        <div>
                                                            <ActionForm action=link attr:class="form">
                                                                <input type="hidden" name="next" value=next.clone() />
                                                                <label for="claim-email">{t("claim-email-label")}</label>
                                                                <input id="claim-email" type="email" name="email" required autocomplete="email" placeholder="you@example.org" />
                                                                <button type="submit" class="secondary" data-testid="claim-email-link">{t("sign-in-email-me-link")}</button>
                                                            </ActionForm>
                                                            {move || link.value().get().map(|r| match r {
                                                                Ok(()) => view! { <p class="notice success" role="status" data-testid="link-sent">{t("sign-in-link-sent")}</p> }.into_any(),
                                                                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                                                            })}
                                                        </div>
                                                    </div>
                                                }.into_any(),
                                            },
                                        }}
                                    </div>
                                }.into_any()
                            }
                        },
                    }
                })}
            </Suspense>
        </section>
    }
}
