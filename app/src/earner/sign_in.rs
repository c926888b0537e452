//! `/sign-in`: the two ways in — the organisation's account (OpenID Connect with Entra), or,
//! for earners outside the organisation, a one-time link by e-mail.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::claim::EmailLink;

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_else(|| "/me/badges".into()));
    let error = move || query.with(|q| q.get("error"));
    let link = ServerAction::<EmailLink>::new();
    view! {
        <Title text="Sign in" />
        <section class="sign-in-page narrow" data-testid="sign-in-page">
            <h1>"Sign in"</h1>
            {move || error().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            <div class="sign-in-options">
                <div class="card">
                    <h2>"Staff and members"</h2>
                    <p>"Sign in with your organisation's account (Microsoft Entra ID)."</p>
                    <p><a class="button" rel="external" href=move || format!("/auth/login?next={}", crate::public::credential::encode(&next()))>"Sign in with your organisation"</a></p>
                </div>
                <div class="card">
                    <h2>"Earners"</h2>
                    <p>"Received a badge at an address outside the organisation? Get a one-time sign-in link by e-mail."</p>
                    <ActionForm action=link attr:class="form">
                        <input type="hidden" name="next" value=next />
                        <label for="sign-in-email">"Your e-mail address"</label>
                        <input id="sign-in-email" type="email" name="email" required autocomplete="email" />
                        <button type="submit" class="secondary">"E-mail me a sign-in link"</button>
                    </ActionForm>
                    {move || link.value().get().map(|r| match r {
                        Ok(()) => view! { <p class="notice success" role="status">"If that address received a badge, a sign-in link is on its way. It works for 20 minutes."</p> }.into_any(),
                        Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                    })}
                </div>
            </div>
        </section>
    }
}
