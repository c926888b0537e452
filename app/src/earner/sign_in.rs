//! `/sign-in`: the two ways in — the organisation's account (OpenID Connect with Entra), or,
//! for earners outside the organisation, a one-time link by e-mail.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::claim::EmailLink;
use crate::language::t;

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_else(|| "/me/badges".into()));
    let error = move || query.with(|q| q.get("error"));
    let link = ServerAction::<EmailLink>::new();
    view! {
        <Title text=t("sign-in-title") />
        <section class="sign-in-page narrow" data-testid="sign-in-page">
            <h1>{t("sign-in-title")}</h1>
            {move || error().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            <div class="sign-in-options">
                <div class="card">
                    <h2>{t("sign-in-staff")}</h2>
                    <p>{t("sign-in-staff-text")}</p>
                    <p><a class="button" rel="external" href=move || format!("/auth/login?next={}", crate::public::credential::encode(&next()))>{t("sign-in-with-organisation")}</a></p>
                </div>
                <div class="card">
                    <h2>{t("sign-in-earners")}</h2>
                    <p>{t("sign-in-earners-text")}</p>
                    <ActionForm action=link attr:class="form">
                        <input type="hidden" name="next" value=next />
                        <label for="sign-in-email">{t("sign-in-your-email")}</label>
                        <input id="sign-in-email" type="email" name="email" required autocomplete="email" />
                        <button type="submit" class="secondary">{t("sign-in-email-me-link")}</button>
                    </ActionForm>
                    {move || link.value().get().map(|r| match r {
                        Ok(()) => view! { <p class="notice success" role="status">{t("sign-in-link-sent")}</p> }.into_any(),
                        Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                    })}
                </div>
            </div>
        </section>
    }
}
