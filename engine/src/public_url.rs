//! The public URL map (see DESIGN.md, "Public URLs"): every URL the product writes into a
//! credential, an e-mail or a page is built here, from `PUBLIC_BASE_URL`, so the server's
//! routes and what the signer writes cannot drift apart. The server has a test that fetches
//! each of them.

use uuid::Uuid;

use crate::error::{Error, Result};

/// URLs under the deployment's public origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrls {
    base: String,
    did_web_host: Option<String>,
}

impl PublicUrls {
    /// `base` is `PUBLIC_BASE_URL` (e.g. `https://badges.example.org`); `did_web` allows
    /// issuers to use `did:web:<host>:issuers:<id>` identities.
    pub fn new(base: &str, did_web: bool) -> Result<PublicUrls> {
        let base = base.trim().trim_end_matches('/');
        let rest = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))
            .ok_or_else(|| Error::invalid("PUBLIC_BASE_URL", "must be an http(s) URL"))?;
        if rest.is_empty() || rest.contains('/') || rest.contains(['?', '#', '@']) {
            return Err(Error::invalid(
                "PUBLIC_BASE_URL",
                "must be an origin without path, query or credentials",
            ));
        }
        // did:web encodes the port's colon as %3A (did:web method spec, section 3.1).
        let did_web_host = did_web.then(|| rest.to_ascii_lowercase().replace(':', "%3A"));
        Ok(PublicUrls {
            base: base.to_owned(),
            did_web_host,
        })
    }

    /// The origin, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Whether issuers may use did:web identities here.
    pub fn did_web_enabled(&self) -> bool {
        self.did_web_host.is_some()
    }

    /// `did:web:<host>:issuers:<id>`, when did:web is enabled.
    pub fn did_web(&self, issuer_id: Uuid) -> Option<String> {
        self.did_web_host
            .as_ref()
            .map(|host| format!("did:web:{host}:issuers:{issuer_id}"))
    }

    /// Where a did:web DID document is served (`/issuers/{id}/did.json`).
    pub fn did_document(&self, issuer_id: Uuid) -> String {
        format!("{}/issuers/{issuer_id}/did.json", self.base)
    }

    /// The issuer's public profile page (HTML / `Profile` JSON-LD).
    pub fn issuer(&self, id: Uuid) -> String {
        format!("{}/issuers/{id}", self.base)
    }

    /// The achievement's public page and OB `id` (HTML / `Achievement` JSON-LD).
    pub fn achievement(&self, id: Uuid) -> String {
        format!("{}/achievements/{id}", self.base)
    }

    /// The achievement's artwork: its own image when it has one, else the generated medal.
    pub fn artwork(&self, achievement: Uuid, own_image: Option<&str>) -> String {
        match own_image {
            Some(url) => url.to_owned(),
            None => format!("{}/achievements/{achievement}/artwork.svg", self.base),
        }
    }

    /// The public credential page (HTML / the signed credential by `Accept`).
    pub fn credential(&self, id: Uuid) -> String {
        format!("{}/credentials/{id}", self.base)
    }

    /// A signed `BitstringStatusListCredential`.
    pub fn status_list(&self, id: Uuid) -> String {
        format!("{}/status-lists/{id}", self.base)
    }

    /// A stored image, by content hash and extension (`png` or `svg`).
    pub fn image(&self, sha256: &str, extension: &str) -> String {
        format!("{}/images/{sha256}.{extension}", self.base)
    }

    /// A claim link as sent in the award e-mail.
    pub fn claim(&self, token: &str) -> String {
        format!("{}/claim/{token}", self.base)
    }

    /// A sign-in link for earners outside the tenant.
    pub fn magic_link(&self, token: &str) -> String {
        format!("{}/auth/email/{token}", self.base)
    }

    /// The verify page.
    pub fn verify(&self) -> String {
        format!("{}/verify", self.base)
    }

    /// The earner's badges.
    pub fn my_badges(&self) -> String {
        format!("{}/me/badges", self.base)
    }

    /// An admin page path (for links in e-mails to staff).
    pub fn admin(&self, path: &str) -> String {
        format!("{}/admin{}", self.base, path)
    }

    /// Whether `url` is under this deployment's origin (an image or page we serve).
    pub fn is_own(&self, url: &str) -> bool {
        url.strip_prefix(self.base.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_web_encodes_the_port() {
        let u = PublicUrls::new("http://127.0.0.1:3000/", true).unwrap();
        let id = Uuid::nil();
        assert_eq!(
            u.did_web(id).unwrap(),
            format!("did:web:127.0.0.1%3A3000:issuers:{id}")
        );
        assert_eq!(
            u.achievement(id),
            format!("http://127.0.0.1:3000/achievements/{id}")
        );
        assert!(u.is_own("http://127.0.0.1:3000/images/x.png"));
        assert!(!u.is_own("http://127.0.0.1:30001/images/x.png"));
        assert_eq!(
            PublicUrls::new("https://b.example", false)
                .unwrap()
                .did_web(id),
            None
        );
        assert!(PublicUrls::new("ftp://x", false).is_err());
        assert!(PublicUrls::new("https://x/path", false).is_err());
    }
}
