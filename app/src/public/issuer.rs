//! `/issuers/{id}`: an issuer's public profile — who they are, how to reach them, their
//! identity (DID), their departments and the badges they award.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::auth::{AppError, ErrorNotice};
use crate::components::SharePreview;
use crate::language::{t, t_with};

/// The profile page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerProfileView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Logo.
    pub image: Option<String>,
    /// Website.
    pub url: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Address, one line.
    pub address: Option<String>,
    /// DID.
    pub did: String,
    /// DID document, for did:web.
    pub did_document: Option<String>,
    /// Parent organisations, outermost first.
    pub parents: Vec<(String, String)>,
    /// Departments.
    pub departments: Vec<(String, String)>,
    /// The page's absolute URL.
    pub page_url: String,
    /// Achievements: (id, name, image, type).
    pub achievements: Vec<(String, String, Option<String>, String)>,
}

/// The profile (public).
#[server(endpoint = "public_issuer")]
pub async fn issuer_profile(id: String) -> Result<IssuerProfileView, AppError> {
    use crate::auth::server::engine_error;
    use crate::components::badge_card::build::type_label;
    let s = crate::services();
    let iid: uuid::Uuid = id
        .parse()
        .map_err(|_| AppError::NotFound("Issuer".into()))?;
    let i = engine::issuer::public_profile(&s.pool, &s.cache, iid)
        .await
        .map_err(engine_error)?;
    let parents = engine::issuer::ancestors(&s.pool, iid)
        .await
        .map_err(engine_error)?;
    let departments = engine::issuer::departments(&s.pool, iid)
        .await
        .map_err(engine_error)?;
    let achievements = engine::achievement::list::public_for_issuer(&s.pool, iid)
        .await
        .map_err(engine_error)?;
    let address = i
        .address
        .as_ref()
        .and_then(|a| a.as_object())
        .map(|o| {
            [
                "streetAddress",
                "postalCode",
                "addressLocality",
                "addressRegion",
                "addressCountry",
            ]
            .iter()
            .filter_map(|k| o.get(*k).and_then(|v| v.as_str()).filter(|v| !v.is_empty()))
            .collect::<Vec<_>>()
            .join(", ")
        })
        .filter(|a| !a.is_empty());
    Ok(IssuerProfileView {
        id: i.id.to_string(),
        name: i.name.clone(),
        description: i.description.clone().unwrap_or_default(),
        image: i.image.clone(),
        url: i.url.clone(),
        email: i.email.clone(),
        phone: i.phone.clone(),
        address,
        did: i.did.clone().unwrap_or_default(),
        did_document: (i.did_method == engine::issuer::DidMethod::Web)
            .then(|| s.urls().did_document(i.id)),
        page_url: s.urls().issuer(i.id),
        parents: parents
            .into_iter()
            .map(|(p, n)| (p.to_string(), n))
            .collect(),
        departments: departments
            .into_iter()
            .map(|(p, n)| (p.to_string(), n))
            .collect(),
        achievements: achievements
            .into_iter()
            .map(|a| {
                (
                    a.id.to_string(),
                    a.name,
                    Some(s.urls().artwork(a.id, a.image.as_deref())),
                    a.achievement_type
                        .as_deref()
                        .map(type_label)
                        .unwrap_or_default(),
                )
            })
            .collect(),
    })
}

/// The public issuer page.
#[component]
pub fn PublicIssuer() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(id, issuer_profile);
    view! {
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(d) => view! {
                        <SharePreview title=d.name.clone() description=t_with("iss-share-description", &[("issuer", (&d.name).into())]) page_url=d.page_url.clone() image=d.image.clone().filter(|i| !i.ends_with(".svg")) />
                        <article class="issuer-page" data-testid="issuer-page">
                            {(!d.parents.is_empty()).then(|| view! {
                                <p class="breadcrumb">{d.parents.iter().map(|(pid, n)| view! { <a href=format!("/issuers/{pid}")>{n.clone()}</a> " › " }).collect_view()}</p>
                            })}
                            <header class="issuer-head">
                                {d.image.clone().map(|src| view! { <img class="logo-xl" src=src alt=t_with("iss-logo-alt", &[("issuer", (&d.name).into())]) width="96" height="96" /> })}
                                <div>
                                    <p class="eyebrow">{t("iss-eyebrow")}</p>
                                    <h1>{d.name.clone()}</h1>
                                    {(!d.description.is_empty()).then(|| view! { <p class="lead">{d.description.clone()}</p> })}
                                </div>
                            </header>
                            <dl class="facts wide">
                                {d.url.clone().map(|u| view! { <div><dt>{t("iss-website")}</dt><dd><a href=u.clone() rel="noopener">{u.clone()}</a></dd></div> })}
                                {d.email.clone().map(|e| view! { <div><dt>{t("iss-email")}</dt><dd><a href=format!("mailto:{e}")>{e.clone()}</a></dd></div> })}
                                {d.phone.clone().map(|p| view! { <div><dt>{t("iss-phone")}</dt><dd>{p}</dd></div> })}
                                {d.address.clone().map(|a| view! { <div><dt>{t("iss-address")}</dt><dd>{a}</dd></div> })}
                                <div><dt>{t("iss-identity")}</dt><dd><code class="did">{d.did.clone()}</code>
                                    {d.did_document.clone().map(|u| view! { <br/><a href=u>{t("iss-did-document")}</a> })}</dd></div>
                            </dl>
                            {(!d.departments.is_empty()).then(|| view! {
                                <section><h2>{t("iss-departments")}</h2>
                                    <ul>{d.departments.iter().map(|(did, n)| view! { <li><a href=format!("/issuers/{did}")>{n.clone()}</a></li> }).collect_view()}</ul>
                                </section>
                            })}
                            <section>
                                <h2>{t("iss-badges")}</h2>
                                {if d.achievements.is_empty() {
                                    view! { <p class="muted">{t("iss-no-badges")}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="achievement-grid">
                                            {d.achievements.iter().map(|(aid, n, img, kind)| view! {
                                                <li class="achievement-tile">
                                                    <a href=format!("/achievements/{aid}") class="tile-link">
                                                        {match img.clone() { Some(src) => view! { <img src=src alt="" width="72" height="72" /> }.into_any(), None => view! { <span class="tile-medal" aria-hidden="true">"◆"</span> }.into_any() }}
                                                        <span class="tile-name">{n.clone()}</span>
                                                    </a>
                                                    {(!kind.is_empty()).then(|| view! { <span class="tile-meta muted">{kind.clone()}</span> })}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                        </article>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
