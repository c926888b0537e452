//! What the auth code keeps in the server-side session (Redis), and for how long.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Session key of a sign-in in progress.
pub const PENDING: &str = "auth.pending";
/// Session key of the signed-in user.
pub const SIGNED_IN: &str = "auth.user";

/// A sign-in must finish within this time of being started.
pub const PENDING_TTL: chrono::Duration = chrono::Duration::minutes(10);
/// Absolute session lifetime, whatever the activity (idle expiry is `SESSION_IDLE_MINUTES`).
pub const ABSOLUTE_TTL: chrono::Duration = chrono::Duration::hours(12);
/// How long the `groups` / `roles` claims of a sign-in count. After that only memberships
/// kept up to date by SCIM apply, so a role removed in Entra takes effect within this time
/// even for groups that are not provisioned (Entra's own tokens live an hour).
pub const CLAIMS_TTL: chrono::Duration = chrono::Duration::minutes(60);
/// Session key of the last time activity renewed the idle expiry.
pub const TOUCHED: &str = "auth.touched";

/// A sign-in in progress: one-shot values that bind the callback to this browser.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    /// OAuth `state` (CSRF protection of the callback).
    pub state: String,
    /// OpenID `nonce` (binds the ID token to this sign-in).
    pub nonce: String,
    /// PKCE code verifier.
    pub pkce_verifier: String,
    /// Local path to return to afterwards.
    pub next: String,
    /// When the sign-in started.
    pub started_at: DateTime<Utc>,
}

/// The signed-in user of a session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignedIn {
    /// User id.
    pub user_id: Uuid,
    /// Random key whose hash identifies the `sessions` row (revocation check on every request).
    pub session_key: String,
    /// `groups` claim values at sign-in (empty on group overage: SCIM memberships apply).
    pub claim_groups: Vec<String>,
    /// `roles` claim values (app roles) at sign-in.
    pub claim_roles: Vec<String>,
    /// The raw ID token, sent back as `id_token_hint` at logout.
    pub id_token: String,
    /// Display name.
    pub display_name: String,
    /// When the claims were read (sessions from before this field count as stale).
    #[serde(default)]
    pub claims_at: DateTime<Utc>,
}

impl SignedIn {
    /// The `roles` and `groups` claims that still count at `now`: none once [`CLAIMS_TTL`]
    /// has passed since sign-in.
    pub fn live_claims(&self, now: DateTime<Utc>) -> (&[String], &[String]) {
        if now - self.claims_at < CLAIMS_TTL {
            (&self.claim_roles, &self.claim_groups)
        } else {
            (&[], &[])
        }
    }
}

/// Accepts only a local absolute path as a post-login destination (no open redirects): the
/// value must parse, against an origin of our own, to a URL of that same origin, and contain
/// no control characters or backslashes (browsers treat `/\\x` and `/\tx` like `//x`). Up to
/// 2,048 bytes: a wallet's authorization request (four scope URIs, a PKCE challenge, a
/// redirect URI) comes back through here after sign-in.
pub fn safe_next(next: Option<&str>) -> String {
    const BASE: &str = "https://badge-engine.invalid";
    let Some(p) = next else { return "/".to_owned() };
    if !p.starts_with('/')
        || p.len() > 2048
        || p.chars().any(|c| c.is_control() || c == '\\')
        || p.starts_with("//")
        || p.starts_with("/auth/")
    {
        return "/".to_owned();
    }
    let (Ok(base), Ok(joined)) = (
        url::Url::parse(BASE),
        url::Url::parse(BASE).and_then(|b| b.join(p)),
    ) else {
        return "/".to_owned();
    };
    if joined.origin() != base.origin() {
        return "/".to_owned();
    }
    let mut out = joined.path().to_owned();
    if let Some(q) = joined.query() {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = joined.fragment() {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{CLAIMS_TTL, SignedIn, safe_next};

    #[test]
    fn claim_roles_and_groups_stop_counting_after_an_hour() {
        let signed_in_at = chrono::Utc::now();
        let user = SignedIn {
            user_id: uuid::Uuid::nil(),
            session_key: "k".into(),
            claim_groups: vec!["admins".into()],
            claim_roles: vec!["Badges.Admin".into()],
            id_token: String::new(),
            display_name: "Ada".into(),
            claims_at: signed_in_at,
        };
        let fresh = user.live_claims(signed_in_at + CLAIMS_TTL - chrono::Duration::seconds(1));
        assert_eq!(fresh.0, ["Badges.Admin"]);
        assert_eq!(fresh.1, ["admins"]);
        let aged = user.live_claims(signed_in_at + CLAIMS_TTL);
        assert!(aged.0.is_empty() && aged.1.is_empty(), "{aged:?}");
        // Sessions written before `claims_at` existed read as the epoch: stale at once.
        let old: SignedIn = serde_json::from_value(serde_json::json!({
            "user_id": uuid::Uuid::nil(), "session_key": "k", "claim_groups": ["admins"],
            "claim_roles": [], "id_token": "", "display_name": "Ada",
        }))
        .expect("an old session payload still reads");
        assert!(old.live_claims(signed_in_at).1.is_empty());
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/admin/users?x=1")), "/admin/users?x=1");
        let wallet = format!("/oauth/authorize?scope={}", "s".repeat(1500));
        assert_eq!(safe_next(Some(&wallet)), wallet);
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "/auth/logout",
            "/a\r\nSet-Cookie: x",
            "/\t/evil.example",
            "/\u{0b}/evil.example",
            "/a\\b",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
        // Path tricks stay on this site.
        assert_eq!(safe_next(Some("/me/../admin")), "/admin");
    }
}
