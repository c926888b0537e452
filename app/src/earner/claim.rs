//! `/claim/{token}`: the link in the award e-mail. It shows the badge on offer; the earner
//! signs in (with the organisation's account, or by an e-mail link to the award's address)
//! and accepts it. A used, expired, revoked or mistyped link says so plainly.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::auth::{AppError, ErrorNotice};

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
        <Title text="Your badge" />
        <section class="claim-page" data-testid="claim-page">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Opening your badge…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(c) => match c.kind.as_str() {
                            "invalid" => view! {
                                <div class="status-page" data-testid="claim-invalid">
                                    <h1>"This link does not work"</h1>
                                    <p>"It may have been cut off when it was copied. Open it straight from the e-mail, or ask the issuer to send it again."</p>
                                </div>
                            }.into_any(),
                            "expired" => view! {
                                <div class="status-page" data-testid="claim-expired">
                                    <h1>"This link has expired"</h1>
                                    <p>"Claim links work for 90 days. Ask the issuer to send the badge again; it is still yours."</p>
                                </div>
                            }.into_any(),
                            kind => {
                                let t = token();
                                let next = format!("/claim/{t}");
                                view! {
                                    <div class="claim-card card">
                                        {match c.image.clone() { Some(src) => view! { <img src=src alt="" width="160" height="160" class="claim-art" /> }.into_any(), None => view! { <div class="badge-art badge-art-default claim-art" aria-hidden="true"><span>"◆"</span></div> }.into_any() }}
                                        <p class="eyebrow">{c.issuer.clone()}</p>
                                        <h1>{c.achievement.clone()}</h1>
                                        <p>"Awarded to " <strong>{c.recipient.clone()}</strong> {format!(" ({})", c.email)}</p>
                                        {match kind {
                                            "already_claimed" => view! {
                                                <p class="notice" data-testid="claim-used">"This badge was already accepted with this link. If that was you, it is in your badges."</p>
                                                <p><a class="button" href="/me/badges">"My badges"</a></p>
                                            }.into_any(),
                                            "revoked" => view! {
                                                <p class="notice error" data-testid="claim-revoked">"The issuer has revoked this badge, so it can no longer be accepted."</p>
                                            }.into_any(),
                                            _ => match c.signed_in_as.clone() {
                                                Some(who) => view! {
                                                    <p>"Signed in as " <strong>{who}</strong> "."</p>
                                                    <ActionForm action=accept_action>
                                                        <input type="hidden" name="token" value=t.clone() />
                                                        <crate::components::ErrorSummary error=Signal::derive(move || accept_action.value().get().and_then(Result::err)) />
                                                        <button type="submit" class="primary big" data-testid="accept">"Accept the badge"</button>
                                                    </ActionForm>
                                                }.into_any(),
                                                None => view! {
                                                    <h2>"Sign in to accept it"</h2>
                                                    <div class="sign-in-options">
                                                        <div>
                                                            <p><a class="button" rel="external" href=format!("/auth/login?next={}", crate::public::credential::encode(&next)) data-testid="claim-sign-in">"Sign in with your organisation"</a></p>
                                                            <p class="hint">"If you have an account at the issuer's organisation."</p>
                                                        </div>
                                                        <div>
                                                            <ActionForm action=link attr:class="form">
                                                                <input type="hidden" name="next" value=next.clone() />
                                                                <label for="claim-email">"Or get a sign-in link at the address the badge was sent to"</label>
                                                                <input id="claim-email" type="email" name="email" required autocomplete="email" placeholder="you@example.org" />
                                                                <button type="submit" class="secondary" data-testid="claim-email-link">"E-mail me a sign-in link"</button>
                                                            </ActionForm>
                                                            {move || link.value().get().map(|r| match r {
                                                                Ok(()) => view! { <p class="notice success" role="status" data-testid="link-sent">"If that address received a badge, a sign-in link is on its way. It works for 20 minutes."</p> }.into_any(),
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
