//! Microsoft Entra ID's extra ID-token claims and how they become a [`LoginIdentity`].

use openidconnect::AdditionalClaims;
use serde::{Deserialize, Serialize};

use engine::user::LoginIdentity;

/// Claims Entra adds to v2.0 ID tokens that the standard set lacks.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct EntraClaims {
    /// Object id of the user in the tenant (stable across applications).
    pub oid: Option<String>,
    /// Tenant id.
    pub tid: Option<String>,
    /// Group object ids (only when the app registration emits group claims).
    pub groups: Option<Vec<String>>,
    /// App-role values assigned to the user.
    pub roles: Option<Vec<String>>,
    /// Present (with `groups` in it) when the user is in too many groups for the token.
    #[serde(rename = "_claim_names")]
    pub claim_names: Option<serde_json::Map<String, serde_json::Value>>,
}

impl AdditionalClaims for EntraClaims {}

/// The verified result of a sign-in.
#[derive(Debug, Clone)]
pub struct VerifiedLogin {
    /// Identity for [`engine::user::upsert_at_login`].
    pub identity: LoginIdentity,
    /// Group object ids from the token (empty on overage).
    pub groups: Vec<String>,
    /// App-role values from the token.
    pub roles: Vec<String>,
    /// Entra signalled group overage: roles come from SCIM-provisioned memberships only.
    pub group_overage: bool,
    /// Tenant id, when present.
    pub tenant_id: Option<String>,
    /// The raw ID token.
    pub id_token: String,
}

impl EntraClaims {
    /// Whether Entra left the groups out because there are too many (`_claim_names.groups`).
    pub fn group_overage(&self) -> bool {
        self.claim_names
            .as_ref()
            .is_some_and(|names| names.contains_key("groups"))
    }
}

/// Standard claims needed to build the identity, already verified.
pub struct StandardClaims<'a> {
    /// `iss`.
    pub issuer: &'a str,
    /// `sub`.
    pub subject: &'a str,
    /// `preferred_username`.
    pub preferred_username: Option<&'a str>,
    /// `email`.
    pub email: Option<&'a str>,
    /// `email_verified`.
    pub email_verified: bool,
    /// `name`.
    pub name: Option<&'a str>,
    /// `given_name`.
    pub given_name: Option<&'a str>,
    /// `family_name`.
    pub family_name: Option<&'a str>,
}

/// Builds the login identity: subject from `sub` (pairwise per application in Entra, so it is
/// stable for us), external id from `oid`, username from `preferred_username`, then `email`,
/// then `sub`. Accounts are linked by (issuer, subject) or Entra object id, never by e-mail alone.
pub fn to_login(std: StandardClaims<'_>, extra: &EntraClaims, id_token: String) -> VerifiedLogin {
    let clean = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let username = clean(std.preferred_username)
        .or_else(|| clean(std.email))
        .unwrap_or_else(|| std.subject.to_owned());
    let overage = extra.group_overage();
    let list = |v: &Option<Vec<String>>| -> Vec<String> {
        v.iter()
            .flatten()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            // A token never legitimately carries thousands of values; bound the work per request.
            .take(500)
            .collect()
    };
    VerifiedLogin {
        identity: LoginIdentity {
            provider: std.issuer.to_owned(),
            subject: std.subject.to_owned(),
            external_id: clean(extra.oid.as_deref()),
            username,
            email: clean(std.email),
            email_verified: std.email_verified,
            display_name: clean(std.name),
            given_name: clean(std.given_name),
            family_name: clean(std.family_name),
        },
        groups: if overage {
            Vec::new()
        } else {
            list(&extra.groups)
        },
        roles: list(&extra.roles),
        group_overage: overage,
        tenant_id: clean(extra.tid.as_deref()).map(|t| t.to_ascii_lowercase()),
        id_token,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn std_claims() -> StandardClaims<'static> {
        StandardClaims {
            issuer: "https://login.microsoftonline.com/t/v2.0",
            subject: "pairwise-sub",
            preferred_username: Some("ada@contoso.example"),
            email: None,
            email_verified: false,
            name: Some("Ada"),
            given_name: None,
            family_name: None,
        }
    }

    #[test]
    fn overage_drops_token_groups() {
        let extra: EntraClaims = serde_json::from_value(serde_json::json!({
            "oid": "o1", "tid": "T1",
            "_claim_names": { "groups": "src1" },
            "roles": ["Badge.Admin"]
        }))
        .unwrap();
        let login = to_login(std_claims(), &extra, "tok".into());
        assert!(login.group_overage);
        assert!(login.groups.is_empty());
        assert_eq!(login.roles, vec!["Badge.Admin"]);
        assert_eq!(login.tenant_id.as_deref(), Some("t1"));
        assert_eq!(login.identity.external_id.as_deref(), Some("o1"));
        assert_eq!(login.identity.username, "ada@contoso.example");
    }

    #[test]
    fn groups_are_taken_when_present() {
        let extra: EntraClaims =
            serde_json::from_value(serde_json::json!({ "groups": ["g1", " ", "g2"] })).unwrap();
        let login = to_login(std_claims(), &extra, "tok".into());
        assert!(!login.group_overage);
        assert_eq!(login.groups, vec!["g1", "g2"]);
    }
}
