//! `/admin/credentials/{id}`: one award — who, what, when, its state and e-mails — with
//! revoke (with a reason, permanent), suspend / lift suspension, and re-send of the claim
//! e-mail while unclaimed.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::components::{Field, FieldKind, StatusPill};
use crate::language::t;

/// An e-mail of the award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailRow {
    /// Queued.
    pub created: String,
    /// Status.
    pub status: String,
    /// Attempts and error.
    pub detail: String,
}

/// What the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialView {
    /// Id.
    pub id: String,
    /// Achievement id and name.
    pub achievement: (String, String),
    /// Recipient.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Issued.
    pub issued: String,
    /// Expires.
    pub expires: Option<String>,
    /// Claimed.
    pub claimed: Option<String>,
    /// State class and words.
    pub state: (String, String),
    /// Revocation reason.
    pub reason: Option<String>,
    /// Shown publicly.
    pub public: bool,
    /// E-mails.
    pub emails: Vec<EmailRow>,
    /// May revoke and suspend.
    pub can_revoke: bool,
    /// May re-send.
    pub can_award: bool,
    /// Public page.
    pub public_url: String,
}

#[cfg(feature = "ssr")]
fn parse(id: &str) -> Result<uuid::Uuid, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound("Credential".into()))
}

/// The page's data (needs `view_admin` on the issuer).
#[server(endpoint = "admin_credential")]
pub async fn credential_admin(id: String) -> Result<CredentialView, AppError> {
    use super::when;
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (viewer, view) = crate::auth::require::<can::ViewAdmin>()?;
    let s = crate::services();
    let cid = parse(&id)?;
    let c = engine::award::get(&s.pool, &view, cid)
        .await
        .map_err(engine_error)?;
    let a = engine::achievement::get(&s.pool, &view, c.achievement_id)
        .await
        .map_err(engine_error)?;
    let emails = engine::mail::for_credential(&s.pool, &view, cid)
        .await
        .map_err(engine_error)?;
    Ok(CredentialView {
        id: c.id.to_string(),
        achievement: (a.id.to_string(), a.fields.name.clone()),
        name: c.recipient_name.clone(),
        email: c.recipient_email.clone(),
        issued: when(c.issued_at),
        expires: c.valid_until.map(when),
        claimed: c.claimed_at.map(when),
        state: super::awards::state_words(c.state(chrono::Utc::now())),
        reason: c.revocation_reason.clone(),
        public: c.visibility == "public",
        emails: emails
            .into_iter()
            .map(|e| EmailRow {
                created: when(e.created_at),
                status: e.status.clone(),
                detail: match (e.status.as_str(), e.sent_at, e.last_error) {
                    ("sent", Some(at), _) => crate::language::t_with(
                        "admin-credential-email-delivered",
                        &[("when", (&when(at)).into())],
                    ),
                    (_, _, Some(err)) => crate::language::t_with(
                        "admin-credential-email-attempts",
                        &[("count", e.attempts.into()), ("error", (&err).into())],
                    ),
                    _ => crate::language::t_with(
                        "admin-credential-email-next",
                        &[("when", (&when(e.run_after)).into())],
                    ),
                },
            })
            .collect(),
        can_revoke: viewer
            .principal
            .require::<can::Revoke>()
            .is_ok_and(|r| r.covers(c.issuer_id)),
        can_award: viewer
            .principal
            .require::<can::Award>()
            .is_ok_and(|r| r.covers(c.issuer_id)),
        public_url: s.urls().credential(c.id),
    })
}

/// Revokes (permanent; needs `revoke`).
#[server(endpoint = "admin_revoke_credential")]
pub async fn revoke_credential(id: String, reason: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::Revoke>()?;
    let s = crate::services();
    engine::award::revoke(&s.pool, &s.cache, &can, parse(&id)?, &reason)
        .await
        .map(|_| ())
        .map_err(engine_error)
}

/// Suspends or lifts a suspension (needs `revoke`).
#[server(endpoint = "admin_suspend_credential")]
pub async fn suspend_credential(
    id: String,
    lift: Option<String>,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::Revoke>()?;
    let s = crate::services();
    let cid = parse(&id)?;
    if lift.is_some() {
        engine::award::unsuspend(&s.pool, &s.cache, &can, cid)
            .await
            .map(|_| ())
            .map_err(engine_error)
    } else {
        engine::award::suspend(
            &s.pool,
            &s.cache,
            &can,
            cid,
            reason.as_deref().unwrap_or(""),
        )
        .await
        .map(|_| ())
        .map_err(engine_error)
    }
}

/// Queues the claim e-mail again (needs `award`; rate-limited per award).
#[server(endpoint = "admin_resend_credential")]
pub async fn resend_credential(id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::Award>()?;
    let s = crate::services();
    engine::mail::resend(&s.pool, &can, parse(&id)?)
        .await
        .map_err(engine_error)
}

/// The admin credential page.
#[component]
pub fn AdminCredential() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let revoke = ServerAction::<RevokeCredential>::new();
    let suspend = ServerAction::<SuspendCredential>::new();
    let resend = ServerAction::<ResendCredential>::new();
    let data = Resource::new(
        move || {
            (
                id(),
                revoke.version().get(),
                suspend.version().get(),
                resend.version().get(),
            )
        },
        |(id, ..)| credential_admin(id),
    );
    let error = Signal::derive(move || {
        revoke
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| suspend.value().get().and_then(Result::err))
            .or_else(|| resend.value().get().and_then(Result::err))
    });
    view! {
        <Title text=t("admin-credential-title") />
        <AdminNav />
        <section class="admin narrow" data-testid="admin-credential">
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let revoked = d.state.0 == "revoked";
                            let suspended = d.state.0 == "suspended";
                            let unclaimed = d.claimed.is_none() && !revoked;
                            let (id_resend, id_suspend, id_revoke) = (d.id.clone(), d.id.clone(), d.id.clone());
                            view! {
                                <p class="breadcrumb"><a href="/admin/awards">{t("admin-awards-title")}</a> " › "
                                    <a href=format!("/admin/achievements/{}", d.achievement.0)>{d.achievement.1.clone()}</a></p>
                                <h1>{d.name.clone()}</h1>
                                <p><StatusPill state=d.state.0.clone() label=d.state.1.clone() /></p>
                                <crate::components::ErrorSummary error=error />
                                <dl class="facts wide">
                                    <div><dt>{t("admin-credential-email")}</dt><dd>{d.email.clone()}</dd></div>
                                    <div><dt>{t("admin-credential-issued")}</dt><dd>{d.issued.clone()}</dd></div>
                                    <div><dt>{t("admin-credential-expires")}</dt><dd>{d.expires.clone().unwrap_or_else(|| t("admin-credential-never"))}</dd></div>
                                    <div><dt>{t("admin-credential-accepted")}</dt><dd>{d.claimed.clone().unwrap_or_else(|| t("admin-credential-not-yet"))}</dd></div>
                                    <div><dt>{t("admin-credential-public-page")}</dt><dd>{if d.public { t("admin-credential-public") } else { t("admin-credential-private") }}</dd></div>
                                    {d.reason.clone().map(|r| view! { <div><dt>{t("admin-credential-revoked-because")}</dt><dd>{r}</dd></div> })}
                                </dl>
                                <p><a href=d.public_url.clone()>{t("admin-credential-open-page")}</a></p>
                                <section class="panel">
                                    <h2>{t("admin-credential-emails")}</h2>
                                    {if d.emails.is_empty() {
                                        view! { <p class="muted">{t("admin-credential-no-emails")}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="email-log" data-testid="email-log">
                                                {d.emails.iter().map(|e| view! {
                                                    <li><StatusPill state=format!("mail-{}", e.status) label=super::words("admin-outbox-status", &e.status) /> " " {e.created.clone()} " — " <span class="muted">{e.detail.clone()}</span></li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                    {(d.can_award && unclaimed).then(|| view! {
                                        <ActionForm action=resend attr:class="inline">
                                            <input type="hidden" name="id" value=id_resend.clone() />
                                            <button type="submit" class="secondary" data-testid="resend">{t("admin-credential-resend")}</button>
                                        </ActionForm>
                                        {move || resend.value().get().and_then(Result::ok).map(|_| view! { <p class="notice success" role="status">{t("admin-credential-resend-queued")}</p> })}
                                    })}
                                </section>
                                {(d.can_revoke && !revoked).then(|| view! {
                                    <section class="panel danger-zone">
                                        <h2>{t("admin-credential-suspend-or-revoke")}</h2>
                                        <ActionForm action=suspend attr:class="form">
                                            <input type="hidden" name="id" value=id_suspend.clone() />
                                            {if suspended {
                                                view! {
                                                    <input type="hidden" name="lift" value="1" />
                                                    <p>{t("admin-credential-suspended")}</p>
                                                    <button type="submit" class="secondary" data-testid="unsuspend">{t("admin-credential-unsuspend")}</button>
                                                }.into_any()
                                            } else {
                                                view! {
                                                    <Field label=t("admin-field-suspend-reason") name="reason" id_prefix="s-" error=error />
                                                    <button type="submit" class="secondary" data-testid="suspend">{t("admin-credential-suspend")}</button>
                                                }.into_any()
                                            }}
                                        </ActionForm>
                                        <ActionForm action=revoke attr:class="form">
                                            <input type="hidden" name="id" value=id_revoke.clone() />
                                            <Field label=t("admin-field-revoke-reason") name="reason" kind=FieldKind::Text required=true
                                                hint=t("admin-field-revoke-reason-hint") error=error id_prefix="r-" />
                                            <button type="submit" class="danger" data-testid="revoke">{t("admin-credential-revoke")}</button>
                                        </ActionForm>
                                    </section>
                                })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
