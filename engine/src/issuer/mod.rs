//! Issuers (OB 3.0 `Profile`): an organisation and its departments (`parent_id` tree), each
//! with its own Ed25519 signing key created with it and a DID as the credential `issuer.id`
//! ([`identity`]). Split by action: [`edit`] (create, update, delete), [`list`] (the admin
//! list as a tree), [`identity`] (DIDs, DID documents, key rotation), [`staff`] (per-issuer
//! roles). Public profile reads are cached; every change invalidates the cache entry.

pub mod edit;
pub mod identity;
pub mod list;
pub mod staff;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::cache::{self, Cache};
use crate::error::{Error, Result};
use crate::rbac::CanViewAdmin;

pub use edit::{create, delete, update};
pub use identity::{did_document, rotate_key};
pub use list::{IssuerListQuery, IssuerRow, list};

/// How an issuer's DID is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DidMethod {
    /// `did:key` of the active signing key: self-contained, changes when the key rotates.
    #[default]
    Key,
    /// `did:web:<host>:issuers:<id>`: stable, resolved through this deployment.
    Web,
}

impl DidMethod {
    /// Stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            DidMethod::Key => "key",
            DidMethod::Web => "web",
        }
    }

    fn parse(s: &str) -> DidMethod {
        if s == "web" {
            DidMethod::Web
        } else {
            DidMethod::Key
        }
    }
}

/// OB 3.0 `IdentifierEntry` (e.g. a national registry number of the organisation).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct IdentifierEntry {
    /// The identifier.
    pub identifier: String,
    /// OB `identifierType` (`name`, `sourcedId`, `systemId`, `productId`, `userName`,
    /// `accountId`, `emailAddress`, `nationalIdentityNumber`, `isbn`, `issn`, `lisSourcedId`,
    /// `oneRosterSourcedId`, `sisSourcedId`, `ltiContextId`, `ltiDeploymentId`,
    /// `ltiToolId`, `ltiPlatformId`, `ltiUserId`, `identifier`, or `ext:…`).
    pub identifier_type: String,
}

/// The OB 3.0 `identifierType` vocabulary.
pub const IDENTIFIER_TYPES: [&str; 19] = [
    "name",
    "sourcedId",
    "systemId",
    "productId",
    "userName",
    "accountId",
    "emailAddress",
    "nationalIdentityNumber",
    "isbn",
    "issn",
    "lisSourcedId",
    "oneRosterSourcedId",
    "sisSourcedId",
    "ltiContextId",
    "ltiDeploymentId",
    "ltiToolId",
    "ltiPlatformId",
    "ltiUserId",
    "identifier",
];

/// An issuer row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Issuer {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Human-facing home page.
    pub url: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// OB 3.0 `Address` object.
    pub address: Option<serde_json::Value>,
    /// Image URL.
    pub image: Option<String>,
    /// Parent organisation.
    pub parent_id: Option<Uuid>,
    /// The credential `issuer.id`: did:key of the active key, or the issuer's did:web.
    pub did: Option<String>,
    /// How [`Issuer::did`] is formed.
    pub did_method: DidMethod,
    /// OB `otherIdentifier`.
    pub other_identifiers: Vec<IdentifierEntry>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// Editable issuer fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct IssuerInput {
    /// Name (required).
    pub name: String,
    /// Home page (http/https).
    pub url: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// OB 3.0 `Address` as a JSON object (`streetAddress`, `addressLocality`, …).
    pub address: Option<serde_json::Value>,
    /// Image URL (an uploaded image's stable URL, or any https URL).
    pub image: Option<String>,
    /// Parent organisation.
    pub parent_id: Option<Uuid>,
    /// OB `otherIdentifier`.
    pub other_identifiers: Vec<IdentifierEntry>,
}

/// Longest accepted text field (name, URL, e-mail, phone) in characters.
pub const MAX_FIELD_CHARS: usize = 500;
/// Longest accepted description in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;

fn blank_to_none(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl IssuerInput {
    /// Trims text and drops empty optional values, so "" and absent mean the same.
    pub(crate) fn normalised(&self) -> IssuerInput {
        IssuerInput {
            name: self.name.trim().to_owned(),
            url: blank_to_none(&self.url),
            email: blank_to_none(&self.email),
            description: blank_to_none(&self.description),
            phone: blank_to_none(&self.phone),
            // An address form left empty arrives as an object of empty strings.
            address: self.address.as_ref().and_then(|a| match a.as_object() {
                Some(o) => {
                    let kept: serde_json::Map<String, serde_json::Value> = o
                        .iter()
                        .filter(|(_, v)| v.as_str().is_none_or(|s| !s.trim().is_empty()))
                        .map(|(k, v)| {
                            let v = v.as_str().map_or_else(|| v.clone(), |s| s.trim().into());
                            (k.clone(), v)
                        })
                        .collect();
                    (!kept.is_empty()).then_some(serde_json::Value::Object(kept))
                }
                None => Some(a.clone()),
            }),
            image: blank_to_none(&self.image),
            parent_id: self.parent_id,
            other_identifiers: self
                .other_identifiers
                .iter()
                .filter(|e| !e.identifier.trim().is_empty())
                .map(|e| IdentifierEntry {
                    identifier: e.identifier.trim().to_owned(),
                    identifier_type: e.identifier_type.trim().to_owned(),
                })
                .collect(),
        }
    }

    /// Checks every field and names the first that is wrong.
    pub(crate) fn validate(&self) -> Result<()> {
        if self.name.is_empty() {
            return Err(Error::invalid("name", "must not be blank"));
        }
        for (field, value) in [
            ("name", Some(&self.name)),
            ("url", self.url.as_ref()),
            ("email", self.email.as_ref()),
            ("phone", self.phone.as_ref()),
            ("image", self.image.as_ref()),
        ] {
            if value.is_some_and(|v| v.chars().count() > MAX_FIELD_CHARS) {
                return Err(Error::invalid(
                    field,
                    format!("is longer than {MAX_FIELD_CHARS} characters"),
                ));
            }
        }
        if self
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS)
        {
            return Err(Error::invalid(
                "description",
                format!("is longer than {MAX_DESCRIPTION_CHARS} characters"),
            ));
        }
        if let Some(u) = &self.url {
            check_http_url("url", u)?;
        }
        if let Some(u) = &self.image {
            check_http_url("image", u)?;
        }
        if let Some(e) = &self.email
            && !crate::user::looks_like_email(e)
        {
            return Err(Error::invalid("email", "is not an e-mail address"));
        }
        if let Some(a) = &self.address {
            let Some(o) = a.as_object() else {
                return Err(Error::invalid("address", "must be an object"));
            };
            if o.values().any(|v| !v.is_string()) {
                return Err(Error::invalid("address", "every part must be text"));
            }
        }
        if self.other_identifiers.len() > 20 {
            return Err(Error::invalid(
                "other_identifiers",
                "at most 20 identifiers",
            ));
        }
        for e in &self.other_identifiers {
            if !(IDENTIFIER_TYPES.contains(&e.identifier_type.as_str())
                || crate::achievement::is_extension_term(&e.identifier_type))
            {
                return Err(Error::invalid(
                    "other_identifiers",
                    format!(
                        "`{}` is not an Open Badges identifier type",
                        e.identifier_type
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// `Invalid` unless `value` is an absolute http(s) URL.
pub(crate) fn check_http_url(field: &str, value: &str) -> Result<()> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(r)
            if !r.is_empty() && !r.starts_with('/') && !value.chars().any(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(Error::invalid(
            field,
            "must be a web address starting with https:// (or http://)",
        )),
    }
}

struct IssuerRecord {
    id: Uuid,
    name: String,
    url: Option<String>,
    email: Option<String>,
    description: Option<String>,
    phone: Option<String>,
    address: Option<serde_json::Value>,
    image: Option<String>,
    parent_id: Option<Uuid>,
    did: Option<String>,
    did_method: String,
    other_identifiers: serde_json::Value,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    version: i32,
}

impl From<IssuerRecord> for Issuer {
    fn from(r: IssuerRecord) -> Issuer {
        Issuer {
            id: r.id,
            name: r.name,
            url: r.url,
            email: r.email,
            description: r.description,
            phone: r.phone,
            address: r.address,
            image: r.image,
            parent_id: r.parent_id,
            did: r.did,
            did_method: DidMethod::parse(&r.did_method),
            other_identifiers: serde_json::from_value(r.other_identifiers).unwrap_or_default(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
        }
    }
}

/// One issuer for the admin pages; `Forbidden` outside the capability's scope.
pub async fn get(pool: &PgPool, auth: &CanViewAdmin, id: Uuid) -> Result<Issuer> {
    auth.check_issuer(id)?;
    let mut conn = pool.acquire().await?;
    get_conn(&mut conn, id).await
}

pub(crate) async fn get_conn(conn: &mut PgConnection, id: Uuid) -> Result<Issuer> {
    sqlx::query_as!(
        IssuerRecord,
        r#"select id, name, url, email, description, phone, address, image, parent_id, did,
                  did_method, other_identifiers, created_at, updated_at, version
             from issuers where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .map(Issuer::from)
    .ok_or(Error::NotFound { entity: "issuer" })
}

/// One issuer through the cache: the public profile (page and `Profile` JSON-LD), which is
/// public information by design.
pub async fn public_profile(pool: &PgPool, cache: &Cache, id: Uuid) -> Result<Issuer> {
    let key = cache::issuer_key(id);
    if let Some(hit) = cache.get_json::<Issuer>(&key).await {
        return Ok(hit);
    }
    let mut conn = pool.acquire().await?;
    let issuer = get_conn(&mut conn, id).await?;
    drop(conn);
    cache.put_json(&key, &issuer, cache::DEFAULT_TTL).await;
    Ok(issuer)
}

/// The chain of parent organisations of an issuer, outermost first (for breadcrumbs and
/// the public profile's `parentOrg`), public like the profile itself.
pub async fn ancestors(pool: &PgPool, id: Uuid) -> Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!(
        r#"with recursive up (id, name, parent_id, depth) as (
               select p.id, p.name, p.parent_id, 1 from issuers c join issuers p on p.id = c.parent_id
                where c.id = $1
               union all
               select p.id, p.name, p.parent_id, u.depth + 1 from issuers p join up u on p.id = u.parent_id
                where u.depth < 32
           )
           select id as "id!", name as "name!" from up order by depth desc"#,
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// An issuer's departments, by name (public, like the profile).
pub async fn departments(pool: &PgPool, id: Uuid) -> Result<Vec<(Uuid, String)>> {
    Ok(sqlx::query!(
        "select id, name from issuers where parent_id = $1 order by lower(name), id limit 500",
        id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.id, r.name))
    .collect())
}
