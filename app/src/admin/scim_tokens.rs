//! `/admin/scim-tokens`: bearer tokens Entra's provisioning service presents. A new token is
//! shown exactly once; only its hash is stored.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::AdminNav;
use crate::auth::{AppError, ErrorNotice};

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
        .map(|t| TokenRow {
            id: t.id.to_string(),
            name: t.name,
            prefix: t.prefix,
            created_at: when(t.created_at),
            last_used_at: t.last_used_at.map(when).unwrap_or_else(|| "never".into()),
            revoked_at: t.revoked_at.map(when),
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
        return Err(AppError::invalid(
            "name",
            "Give the token a name (at most 100 characters).",
        ));
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
            Ok(t) => view! {
                <div class="notice success" role="status" data-testid="new-scim-token">
                    <p>"Token " <strong>{t.name}</strong> " created. Copy it now — it will not be shown again:"</p>
                    <pre><code>{t.secret}</code></pre>
                </div>
            }
            .into_any(),
            Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <Title text="SCIM tokens" />
        <AdminNav />
        <section class="admin" data-testid="admin-scim-tokens">
            <h1>"SCIM provisioning tokens"</h1>
            {created}
            <ActionForm action=create attr:class="stacked">
                <label for="token-name">"Name"</label>
                <input id="token-name" name="name" required maxlength="100" placeholder="entra-production" />
                <button type="submit" class="primary">"Create token"</button>
            </ActionForm>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(rows) => view! {
                            <table class="admin-table">
                                <thead><tr><th>"Name"</th><th>"Prefix"</th><th>"Created"</th><th>"Last used"</th><th>"Status"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|t| view! {
                                        <tr>
                                            <td>{t.name.clone()}</td>
                                            <td><code>{t.prefix.clone()}</code></td>
                                            <td>{t.created_at.clone()}</td>
                                            <td>{t.last_used_at.clone()}</td>
                                            <td>{match t.revoked_at.clone() {
                                                Some(at) => view! { <span>"revoked " {at}</span> }.into_any(),
                                                None => view! {
                                                    <ActionForm action=revoke attr:class="inline">
                                                        <input type="hidden" name="token_id" value=t.id.clone() />
                                                        <button type="submit" class="small">"Revoke"</button>
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
