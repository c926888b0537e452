//! `/admin/scim-tokens`: bearer tokens Entra's provisioning service presents. A new token is
//! shown exactly once; only its hash is stored.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};
use crate::language::{t, t_with};

/// One token's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    /// Token id.
    pub id: String,
    /// Name.
    pub name: String,
    /// First characters, to recognise it.
    pub prefix: String,
    /// Created.
    pub created_at: String,
    /// Last use.
    pub last_used_at: String,
    /// Revocation time, if revoked.
    pub revoked_at: Option<String>,
}

/// A token just created: the secret, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    /// Name.
    pub name: String,
    /// The bearer token to paste into Entra.
    pub secret: String,
}

/// Every token (needs `manage_scim_tokens`).
#[server(endpoint = "admin_scim_tokens")]
pub async fn scim_tokens() -> Result<Vec<TokenRow>, AppError> {
    use super::when;
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageScimTokens>()?;
    let pool = expect_context::<sqlx::PgPool>();
    let tokens = engine::scim_token::list(&pool, &can)
        .await
        .map_err(engine_error)?;
    Ok(tokens
        .into_iter()
        .map(|token| TokenRow {
            id: token.id.to_string(),
            name: token.name,
            prefix: token.prefix,
            created_at: when(token.created_at),
            last_used_at: token
                .last_used_at
                .map(when)
                .unwrap_or_else(|| t("admin-scim-never")),
            revoked_at: token.revoked_at.map(when),
        })
        .collect())
}

/// Creates a token and returns its secret once (needs `manage_scim_tokens`).
#[server(endpoint = "admin_create_scim_token")]
pub async fn create_scim_token(name: String) -> Result<NewToken, AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageScimTokens>()?;
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(AppError::invalid("name", t("admin-scim-name-invalid")));
    }
    let pool = expect_context::<sqlx::PgPool>();
    let created = engine::scim_token::create(&pool, &can, name, None)
        .await
        .map_err(engine_error)?;
    Ok(NewToken {
        name: created.token.name,
        secret: created.secret,
    })
}

/// Revokes a token (needs `manage_scim_tokens`).
#[server(endpoint = "admin_revoke_scim_token")]
pub async fn revoke_scim_token(token_id: String) -> Result<(), AppError> {
    use crate::auth::server::engine_error;
    use engine::rbac::can;
    let (_viewer, can) = crate::auth::require::<can::ManageScimTokens>()?;
    let pool = expect_context::<sqlx::PgPool>();
    engine::scim_token::revoke(&pool, &can, super::parse_id(&token_id)?)
        .await
        .map_err(engine_error)
}

/// The SCIM tokens page.
#[component]
pub fn AdminScimTokens() -> impl IntoView {
    let create = ServerAction::<CreateScimToken>::new();
    let revoke = ServerAction::<RevokeScimToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| scim_tokens(),
    );
    let created = move || {
        create.value().get().map(|r| match r {
            Ok(token) => view! {
                <div class="notice success" role="status" data-testid="new-scim-token">
                    <p>{t("admin-scim-created-before")} <strong>{token.name}</strong> {t("admin-scim-created-after")}</p>
                    <pre><code>{token.secret}</code></pre>
                </div>
            }
            .into_any(),
            Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <Title text=t("admin-scim-title") />
        <AdminNav />
        <section class="admin" data-testid="admin-scim-tokens">
            <h1>{t("admin-scim-heading")}</h1>
            {created}
            <ActionForm action=create attr:class="stacked">
                <label for="token-name">{t("admin-scim-name")}</label>
                <input id="token-name" name="name" required maxlength="100" placeholder="entra-production" />
                <button type="submit" class="primary">{t("admin-scim-create")}</button>
            </ActionForm>
            <Suspense fallback=|| view! { <p class="muted">{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(rows) => view! {
                            <table class="admin-table">
                                <thead><tr><th>{t("admin-scim-col-name")}</th><th>{t("admin-scim-col-prefix")}</th><th>{t("admin-scim-col-created")}</th><th>{t("admin-scim-col-last-used")}</th><th>{t("admin-scim-col-status")}</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr>
                                            <td>{row.name.clone()}</td>
                                            <td><code>{row.prefix.clone()}</code></td>
                                            <td>{row.created_at.clone()}</td>
                                            <td>{row.last_used_at.clone()}</td>
                                            <td>{match row.revoked_at.clone() {
                                                Some(at) => view! { <span>{t_with("admin-scim-revoked", &[("when", (&at).into())])}</span> }.into_any(),
                                                None => view! {
                                                    <ActionForm action=revoke attr:class="inline">
                                                        <input type="hidden" name="token_id" value=row.id.clone() />
                                                        <button type="submit" class="small">{t("admin-scim-revoke")}</button>
                                                    </ActionForm>
                                                }.into_any(),
                                            }}</td>
                                        </tr>
                                    }.into_any()).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
