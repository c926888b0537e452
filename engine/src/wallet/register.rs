//! OAuth 2.0 dynamic client registration (RFC 7591) as the OB 3.0 API asks for it: a wallet
//! posts its metadata and gets a client id and secret (shown once, stored hashed).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::{Scope, parse_scopes, scope_string};
use crate::error::{Error, Result};
use crate::secret;

/// A registration request (RFC 7591 §2 and the OB 3.0 API's required members).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Registration {
    /// `client_name`.
    pub client_name: String,
    /// `client_uri`.
    pub client_uri: Option<String>,
    /// `logo_uri`.
    pub logo_uri: Option<String>,
    /// `tos_uri`.
    pub tos_uri: Option<String>,
    /// `policy_uri`.
    pub policy_uri: Option<String>,
    /// `software_id`.
    pub software_id: Option<String>,
    /// `software_version`.
    pub software_version: Option<String>,
    /// `redirect_uris`.
    pub redirect_uris: Vec<String>,
    /// `token_endpoint_auth_method` (`client_secret_basic` or `client_secret_post`).
    pub token_endpoint_auth_method: Option<String>,
    /// `grant_types`.
    pub grant_types: Vec<String>,
    /// `response_types`.
    pub response_types: Vec<String>,
    /// `scope`, space-separated scope URIs.
    pub scope: String,
}

/// A registered wallet client.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WalletClient {
    /// Row id.
    pub id: Uuid,
    /// `client_id`.
    pub client_id: String,
    /// `client_name`.
    pub client_name: String,
    /// `redirect_uris`.
    pub redirect_uris: Vec<String>,
    /// The scopes it may ask for.
    pub scope: String,
    /// The request's other metadata.
    pub metadata: serde_json::Value,
    /// Registered.
    pub created_at: DateTime<Utc>,
}

/// A registration's answer: the client and its secret, once.
#[derive(Debug, Clone)]
pub struct Registered {
    /// The client.
    pub client: WalletClient,
    /// `client_secret`.
    pub secret: String,
}

fn check_uri(field: &str, value: &str, allow_local_http: bool) -> Result<()> {
    let url = url::Url::parse(value)
        .map_err(|_| Error::invalid(field, format!("`{value}` is not an absolute URI")))?;
    let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if allow_local_http && local => Ok(()),
        // Native wallets use private-use schemes (RFC 8252 §7.1), e.g. `com.example.app:/cb`.
        s if field == "redirect_uris" && s.contains('.') => Ok(()),
        _ => Err(Error::invalid(field, format!("`{value}` must use https"))),
    }
}

/// Registers a wallet client.
pub async fn register(pool: &PgPool, r: &Registration) -> Result<Registered> {
    let name = r.client_name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::invalid(
            "client_name",
            "is required (at most 200 characters)",
        ));
    }
    if r.redirect_uris.is_empty() || r.redirect_uris.len() > 10 {
        return Err(Error::invalid(
            "redirect_uris",
            "give 1 to 10 redirect URIs",
        ));
    }
    for uri in &r.redirect_uris {
        if uri.len() > 2000 || uri.contains('#') {
            return Err(Error::invalid(
                "redirect_uris",
                format!("`{uri}` is too long or has a fragment"),
            ));
        }
        check_uri("redirect_uris", uri, true)?;
    }
    for (field, value) in [
        ("client_uri", &r.client_uri),
        ("logo_uri", &r.logo_uri),
        ("tos_uri", &r.tos_uri),
        ("policy_uri", &r.policy_uri),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            check_uri(field, v, true)?;
        }
    }
    if let Some(m) = r.token_endpoint_auth_method.as_deref()
        && !matches!(m, "client_secret_basic" | "client_secret_post")
    {
        return Err(Error::invalid(
            "token_endpoint_auth_method",
            "use client_secret_basic or client_secret_post",
        ));
    }
    if r.grant_types
        .iter()
        .any(|g| !matches!(g.as_str(), "authorization_code" | "refresh_token"))
    {
        return Err(Error::invalid(
            "grant_types",
            "only authorization_code and refresh_token",
        ));
    }
    if r.response_types.iter().any(|t| t != "code") {
        return Err(Error::invalid("response_types", "only code"));
    }
    let scopes: BTreeSet<Scope> = if r.scope.trim().is_empty() {
        Scope::ALL.into_iter().collect()
    } else {
        parse_scopes(&r.scope)?
    };
    let metadata = serde_json::json!({
        "client_uri": r.client_uri, "logo_uri": r.logo_uri, "tos_uri": r.tos_uri,
        "policy_uri": r.policy_uri, "software_id": r.software_id,
        "software_version": r.software_version,
        "token_endpoint_auth_method": r.token_endpoint_auth_method.as_deref().unwrap_or("client_secret_basic"),
    });
    let secret = secret::generate("bew");
    let client_id = Uuid::new_v4().to_string();
    let client = sqlx::query_as!(
        WalletClient,
        r#"insert into ob_clients (client_id, secret_hash, client_name, metadata, redirect_uris, scope)
           values ($1, $2, $3, $4, $5, $6)
           returning id, client_id, client_name, redirect_uris, scope, metadata, created_at"#,
        client_id,
        secret::hash(&secret),
        name,
        metadata,
        &r.redirect_uris,
        scope_string(&scopes)
    )
    .fetch_one(pool)
    .await?;
    Ok(Registered { client, secret })
}

/// A live client by `client_id` (for the consent page; no secret needed).
pub async fn find(pool: &PgPool, client_id: &str) -> Result<WalletClient> {
    sqlx::query_as!(
        WalletClient,
        r#"select id, client_id, client_name, redirect_uris, scope, metadata, created_at
             from ob_clients where client_id = $1 and revoked_at is null"#,
        client_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound { entity: "client" })
}

/// A live client whose secret matches (token requests); `Unauthenticated` otherwise.
pub async fn authenticate(pool: &PgPool, client_id: &str, secret: &str) -> Result<WalletClient> {
    sqlx::query_as!(
        WalletClient,
        r#"select id, client_id, client_name, redirect_uris, scope, metadata, created_at
             from ob_clients where client_id = $1 and secret_hash = $2 and revoked_at is null"#,
        client_id.trim(),
        secret::hash(secret.trim())
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::Unauthenticated {
        reason: "unknown client or wrong secret",
    })
}
