//! `/credentials/{id}`: the page an earner shares — the badge, the name as awarded (unless
//! hidden), dates, results and evidence, a live verification panel, LinkedIn "Add to
//! profile", share links and downloads (baked PNG, baked SVG, JSON). A private credential is
//! a 404 to everyone but its earner and the issuer's staff; a revoked one says so.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::{Checks, ReportView};
use crate::auth::{AppError, ErrorNotice};
use crate::components::{BadgeCard, BadgeView, SharePreview};
use crate::language::{t, t_with};

/// Everything the credential page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialPageView {
    /// Id.
    pub id: String,
    /// The badge with the award's details.
    pub badge: BadgeView,
    /// State class and words.
    pub state: (String, String),
    /// Why it was revoked.
    pub revocation_reason: Option<String>,
    /// The credential that replaced it, if it was re-issued.
    pub superseded_by: Option<String>,
    /// The verification panel.
    pub report: ReportView,
    /// This page's URL.
    pub page_url: String,
    /// LinkedIn "Add to profile" link.
    pub linkedin_url: String,
    /// Image for link previews.
    pub preview_image: String,
    /// The viewer is the earner (shows the privacy controls).
    pub is_earner: bool,
    /// Shown to everyone.
    pub public: bool,
}

/// Percent-encodes a URL query value (RFC 3986 unreserved characters kept).
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The LinkedIn "Add to profile" URL for a certification.
pub fn linkedin_url(
    name: &str,
    organization: &str,
    issued: (i32, u32),
    expires: Option<(i32, u32)>,
    url: &str,
    id: &str,
) -> String {
    let mut s = format!(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&organizationName={}&issueYear={}&issueMonth={}",
        encode(name),
        encode(organization),
        issued.0,
        issued.1
    );
    if let Some((y, m)) = expires {
        s.push_str(&format!("&expirationYear={y}&expirationMonth={m}"));
    }
    s.push_str(&format!("&certUrl={}&certId={}", encode(url), encode(id)));
    s
}

/// The credential page's data; a private credential is "not found" unless the viewer is its
/// earner or staff of its issuer.
#[server(endpoint = "public_credential")]
pub async fn credential_page(id: String) -> Result<CredentialPageView, AppError> {
    use crate::auth::server::engine_error;
    use chrono::Datelike;
    use engine::rbac::can;
    let s = crate::services();
    let cid: uuid::Uuid = id.parse().map_err(|_| not_found())?;
    let view = engine::award::public::view(&s.pool, &s.cache, cid)
        .await
        .map_err(engine_error)?;
    let viewer = crate::auth::viewer();
    let staff = viewer
        .as_ref()
        .and_then(|v| v.principal.require::<can::ViewAdmin>().ok());
    let user = viewer.as_ref().map(|v| v.user_id);
    if !engine::award::public::visible_to(&s.pool, &view, user, staff.as_ref())
        .await
        .map_err(engine_error)?
    {
        return Err(not_found());
    }
    let is_earner = match user {
        Some(u) => engine::award::public::is_earner(&s.pool, u, &view)
            .await
            .map_err(engine_error)?,
        None => false,
    };
    let badge = crate::components::badge_card::build::credential(
        &view,
        s.urls(),
        &view.details,
        crate::language::date,
    );
    let report = engine::verification::verify(
        &s.pool,
        &s.cache,
        s.urls(),
        &engine::verification::Offline,
        &view.credential,
        chrono::Utc::now(),
    )
    .await;
    let page_url = s.urls().credential(cid);
    let preview_image = match &view.achievement.fields.image {
        Some(url) if url.ends_with(".png") || !s.urls().is_own(url) => url.clone(),
        _ => format!("{page_url}.png"),
    };
    Ok(CredentialPageView {
        id: cid.to_string(),
        linkedin_url: linkedin_url(
            &view.achievement.fields.name,
            &view.issuer.name,
            (view.issued_at.year(), view.issued_at.month()),
            view.valid_until.map(|u| (u.year(), u.month())),
            &page_url,
            &cid.to_string(),
        ),
        state: crate::admin::awards::state_words(view.state(chrono::Utc::now())),
        revocation_reason: view.revocation_reason.clone(),
        superseded_by: view.superseded_by.map(|s| s.to_string()),
        report: {
            let mut report: ReportView = report.into();
            // Its successor is already issued: the re-issue advice has been acted on.
            if view.superseded_by.is_some() {
                report.advice = None;
            }
            report
        },
        page_url,
        preview_image,
        badge,
        is_earner,
        public: view.public,
    })
}

#[cfg(feature = "ssr")]
fn not_found() -> AppError {
    crate::auth::server::set_status(http::StatusCode::NOT_FOUND);
    AppError::NotFound("Credential".into())
}

/// The public credential page.
#[component]
pub fn PublicCredentialPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(id, credential_page);
    view! {
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("cred-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! {
                        <Title text=t("cred-not-found-title") />
                        <section class="status-page">
                            <p class="eyebrow">"404"</p>
                            <h1>{t("cred-unavailable")}</h1>
                            <p>{t("cred-unavailable-text")}</p>
                            <ErrorNotice error=match e { AppError::NotFound(_) => AppError::Invalid { field: None, message: String::new() }, other => other } />
                        </section>
                    }.into_any(),
                    Ok(d) => {
                        let title = match &d.badge.recipient_name {
                            Some(n) => format!("{} — {}", d.badge.name, n),
                            None => d.badge.name.clone(),
                        };
                        let description = t_with("cred-share-description", &[("achievement", (&d.badge.name).into()), ("issuer", (&d.badge.issuer_name).into()), ("description", (&d.badge.description).into())]);
                        let revoked = d.state.0 == "revoked";
                        let suspended = d.state.0 == "suspended";
                        view! {
                            <SharePreview title=title description=description page_url=d.page_url.clone() image=Some(d.preview_image.clone()) og_type="article" />
                            <article class="credential-page" data-testid="credential-page" data-state=d.state.0.clone()>
                                {match (revoked, d.superseded_by.clone()) {
                                    (true, Some(new)) => view! {
                                        <div class="notice banner" role="status" data-testid="superseded-notice">
                                            <strong>{t("cred-replaced")}</strong>
                                            {t("cred-replaced-text")}
                                            <a href=format!("/credentials/{new}") data-testid="superseded-by">{t("cred-see-new")}</a>
                                        </div>
                                    }.into_any(),
                                    (true, None) => view! {
                                        <div class="notice error banner" role="alert" data-testid="revoked-notice">
                                            <strong>{t("cred-revoked")}</strong>
                                            {d.revocation_reason.clone().map(|r| view! { {t("cred-reason")} {r} })}
                                        </div>
                                    }.into_any(),
                                    _ => ().into_any(),
                                }}
                                {suspended.then(|| view! {
                                    <div class="notice banner" role="alert">{t("cred-suspended")}</div>
                                })}
                                <div class="credential-layout">
                                    {view! { <BadgeCard badge=d.badge.clone() /> }.into_any()}
                                    <aside class="credential-side">
                                        {view! { <Checks report=d.report.clone() /> }.into_any()}
                                        {(!revoked).then(|| view! { <ShareAndDownload d=d.clone() /> })}
                                        {d.is_earner.then(|| view! {
                                            <p class="notice">{if d.public { t("cred-public") } else { t("cred-private") }}
                                                " " <a href="/me/badges">{t("cred-change-in-my-badges")}</a></p>
                                        })}
                                    </aside>
                                </div>
                            </article>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Share links, the LinkedIn "add to profile" button and the three downloads.
#[component]
fn ShareAndDownload(d: CredentialPageView) -> impl IntoView {
    view! {
        <section class="share" aria-labelledby="share-title">
            <h2 id="share-title">{t("cred-share-title")}</h2>
            <p><a class="button linkedin" href=d.linkedin_url.clone() rel="noopener" target="_blank" data-testid="linkedin">{t("cred-linkedin-add")}</a></p>
            <ul class="share-links">
                <li><a href=format!("https://www.linkedin.com/sharing/share-offsite/?url={}", encode(&d.page_url)) rel="noopener" target="_blank">{t("cred-share-linkedin")}</a></li>
                <li><a href=format!("https://twitter.com/intent/tweet?url={}&text={}", encode(&d.page_url), encode(&d.badge.name)) rel="noopener" target="_blank">{t("cred-share-x")}</a></li>
                <li><a href=format!("mailto:?subject={}&body={}", encode(&d.badge.name), encode(&d.page_url))>{t("cred-share-email")}</a></li>
            </ul>
            <label for="share-url">{t("cred-link")}</label>
            <input id="share-url" readonly value=d.page_url.clone() class="copy-field" />
            <h3>{t("cred-download")}</h3>
            <ul class="downloads">
                <li><a href=format!("/credentials/{}.png", d.id) download data-testid="download-png">{t("cred-download-png")}</a></li>
                <li><a href=format!("/credentials/{}.svg", d.id) download data-testid="download-svg">{t("cred-download-svg")}</a></li>
                <li><a href=format!("/credentials/{}.json", d.id) download data-testid="download-json">{t("cred-download-json")}</a></li>
            </ul>
            <p class="hint">{t("cred-check-before")} <a href="/verify">{t("cred-check-link")}</a> {t("cred-check-after")}</p>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    #[test]
    fn linkedin_links_are_well_formed() {
        let u = super::linkedin_url(
            "SQL & Data",
            "Acme Inc.",
            (2026, 12),
            Some((2027, 12)),
            "https://b.example/credentials/1",
            "1",
        );
        assert!(u.starts_with("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=SQL%20%26%20Data&organizationName=Acme%20Inc."));
        assert!(u.contains("&issueYear=2026&issueMonth=12&expirationYear=2027&expirationMonth=12"));
        assert!(u.ends_with("&certUrl=https%3A%2F%2Fb.example%2Fcredentials%2F1&certId=1"));
    }
}
