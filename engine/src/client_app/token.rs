//! API access tokens (OAuth 2.0 `client_credentials`, RFC 6749 §4.4): short-lived JWTs
//! ([`crate::access_token`]) naming the app and the permissions it
//! asked for. Verifying one reloads the app's roles, so revoking the app or changing a role
//! takes effect on the next call, not when the token expires.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::ClientApp;
use super::role::API_PERMISSIONS;
use crate::error::{Error, Result};
use crate::rbac::{Permission, Principal};
use crate::signing_key::KeyEncryptionKey;

/// How long an access token is valid.
pub const TOKEN_LIFETIME_SECONDS: i64 = 900;
const AUDIENCE: &str = "badge-engine-api";
const KEY_LABEL: &str = "api-access-token v1";

/// A token answer (RFC 6749 §5.1).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccessToken {
    /// The bearer token.
    pub access_token: String,
    /// Seconds until it expires.
    pub expires_in: i64,
    /// Granted permissions, space-separated.
    pub scope: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    aud: String,
    iat: i64,
    exp: i64,
    jti: String,
    /// The app's row id (`sub` is its OAuth `client_id`, which imported apps keep).
    app: Uuid,
    scope: String,
}

/// What a client's roles grant: permissions on every issuer, and per issuer.
#[derive(Debug, Default)]
struct Grants {
    everywhere: BTreeSet<Permission>,
    per_issuer: BTreeMap<Uuid, BTreeSet<Permission>>,
}

impl Grants {
    fn all(&self) -> BTreeSet<Permission> {
        let mut all = self.everywhere.clone();
        for p in self.per_issuer.values() {
            all.extend(p.iter().copied());
        }
        all
    }

    fn restricted_to(mut self, scope: &BTreeSet<Permission>) -> Grants {
        self.everywhere.retain(|p| scope.contains(p));
        for perms in self.per_issuer.values_mut() {
            perms.retain(|p| scope.contains(p));
        }
        self.per_issuer.retain(|_, p| !p.is_empty());
        self
    }
}

/// The live app (not revoked) and its roles' grants; issuer-limited roles reach the
/// departments below their issuers too.
async fn grants(pool: &PgPool, app_id: Uuid) -> Result<(String, Grants)> {
    let rows = sqlx::query!(
        r#"select a.name, (a.revoked_at is null) as "live!", r.permissions as "permissions?",
                  r.issuer_ids as "issuer_ids?"
             from oauth_client_apps a left join client_roles r on r.client_id = a.id
            where a.id = $1"#,
        app_id
    )
    .fetch_all(pool)
    .await?;
    let revoked = Error::Unauthenticated {
        reason: "the client app was revoked",
    };
    let first = rows.first().ok_or(Error::Unauthenticated {
        reason: "the client app no longer exists",
    })?;
    if !first.live {
        return Err(revoked);
    }
    let name = first.name.clone();
    let mut out = Grants::default();
    let mut limited: Vec<(Vec<Uuid>, BTreeSet<Permission>)> = Vec::new();
    for row in rows {
        let perms: BTreeSet<Permission> = row
            .permissions
            .unwrap_or_default()
            .iter()
            .filter_map(|p| Permission::parse(p))
            .filter(|p| API_PERMISSIONS.contains(p))
            .collect();
        match row.issuer_ids {
            None => out.everywhere.extend(perms),
            Some(ids) => limited.push((ids, perms)),
        }
    }
    for (roots, perms) in limited {
        let reached = sqlx::query_scalar!(
            r#"with recursive tree (id, depth) as (
                   select id, 0 from issuers where id = any($1)
                   union
                   select i.id, t.depth + 1 from issuers i join tree t on i.parent_id = t.id
                    where t.depth < 32
               )
               select distinct id as "id!" from tree"#,
            &roots
        )
        .fetch_all(pool)
        .await?;
        for id in reached {
            out.per_issuer
                .entry(id)
                .or_default()
                .extend(perms.iter().copied());
        }
    }
    Ok((name, out))
}

fn parse_scope(scope: &str) -> Result<BTreeSet<Permission>> {
    scope
        .split_ascii_whitespace()
        .map(|s| {
            Permission::parse(s)
                .filter(|p| API_PERMISSIONS.contains(p))
                .ok_or_else(|| Error::invalid("scope", format!("`{s}` is not an API permission")))
        })
        .collect()
}

/// Issues an access token for an authenticated app (see [`super::authenticate`]); `requested`
/// narrows it to some of the app's permissions (`Invalid { "scope" }` for one it lacks).
pub async fn issue(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    issuer: &str,
    app: &ClientApp,
    requested: Option<&str>,
) -> Result<AccessToken> {
    let (_, grants) = grants(pool, app.id).await?;
    let held = grants.all();
    let scope = match requested.map(str::trim).filter(|s| !s.is_empty()) {
        None => held,
        Some(asked) => {
            let asked = parse_scope(asked)?;
            if let Some(missing) = asked.iter().find(|p| !held.contains(p)) {
                return Err(Error::invalid(
                    "scope",
                    format!("the app's roles do not grant `{missing}`"),
                ));
            }
            asked
        }
    };
    let scope = scope
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let now = Utc::now().timestamp();
    let claims = Claims {
        iss: issuer.to_owned(),
        sub: app.client_id.clone(),
        aud: AUDIENCE.to_owned(),
        iat: now,
        exp: now + TOKEN_LIFETIME_SECONDS,
        jti: Uuid::new_v4().to_string(),
        app: app.id,
        scope: scope.clone(),
    };
    let token = crate::access_token::sign(kek, KEY_LABEL, &claims)?;
    Ok(AccessToken {
        access_token: token,
        expires_in: TOKEN_LIFETIME_SECONDS,
        scope,
    })
}

/// The app a presented bearer token belongs to, and its principal: the permissions the token
/// names that the app's roles still grant. Forged, expired and foreign tokens, and tokens of
/// revoked apps, are `Unauthenticated`.
pub async fn verify(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    issuer: &str,
    token: &str,
) -> Result<(Uuid, Principal)> {
    let claims: Claims = crate::access_token::verify(
        kek,
        KEY_LABEL,
        issuer,
        AUDIENCE,
        token,
        "the access token has expired; request a new one",
    )?;
    let scope = parse_scope(&claims.scope).map_err(|_| Error::Unauthenticated {
        reason: "the access token is not valid",
    })?;
    let (name, grants) = grants(pool, claims.app).await?;
    let grants = grants.restricted_to(&scope);
    let principal = Principal::for_client_app(
        format!("client:{name}"),
        grants.everywhere,
        grants.per_issuer,
    );
    Ok((claims.app, principal))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_name_only_api_permissions() {
        assert!(parse_scope("award view_admin").is_ok());
        assert!(parse_scope("manage_users").is_err());
        assert!(parse_scope("nonsense").is_err());
        assert!(parse_scope("").is_ok_and(|s| s.is_empty()));
    }

    #[test]
    fn restricting_drops_what_the_token_did_not_ask_for() {
        let issuer = Uuid::now_v7();
        let grants = Grants {
            everywhere: BTreeSet::from([Permission::Award, Permission::ViewAdmin]),
            per_issuer: BTreeMap::from([(issuer, BTreeSet::from([Permission::Revoke]))]),
        };
        let only = grants.restricted_to(&BTreeSet::from([Permission::ViewAdmin]));
        assert_eq!(only.everywhere, BTreeSet::from([Permission::ViewAdmin]));
        assert!(only.per_issuer.is_empty());
    }
}
