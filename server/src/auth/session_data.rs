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
/// Absolute session lifetime, whatever the activity (idle expiry is the cookie's, 8 h).
pub const ABSOLUTE_TTL: chrono::Duration = chrono::Duration::hours(12);

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
}

/// Accepts only a local absolute path as a post-login destination (no open redirects).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.contains(['\r', '\n'])
                && !p.starts_with("/auth/")
                && p.len() <= 512 =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/admin/users?x=1")), "/admin/users?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "/auth/logout",
            "/a\r\nSet-Cookie: x",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
