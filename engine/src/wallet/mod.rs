//! Wallets and backpacks reaching an earner's badges through the 1EdTech Open Badges 3.0 API.
//! Split by action: [`register`] (OAuth 2.0 dynamic client registration, RFC 7591),
//! [`grant`] (the authorization code flow with PKCE: the earner's consent becomes a one-time
//! code, the code and later refresh tokens become access tokens), [`resources`] (what a token
//! reaches: the earner's credentials and profile), [`connection`] (an earner's view of the
//! wallets they let in, and disconnecting one) and [`client`] (the admins' list of registered
//! wallets, and blocking one).
//!
//! A verified access token becomes a [`WalletAccess`]: the earner, the client and the scopes
//! the earner consented to. Only [`grant::verify`] builds one, and every resource function
//! takes it and checks the scope it needs, as admin functions take an `Authorized`
//! capability.

pub mod client;
pub mod connection;
pub mod grant;
pub mod register;
pub mod resources;

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::error::{Error, Result};

/// The OB 3.0 API scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Read the earner's credentials.
    CredentialReadonly,
    /// Add or replace credentials in the earner's account.
    CredentialUpsert,
    /// Read the earner's profile.
    ProfileReadonly,
    /// Change the earner's profile.
    ProfileUpdate,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 4] = [
        Scope::CredentialReadonly,
        Scope::CredentialUpsert,
        Scope::ProfileReadonly,
        Scope::ProfileUpdate,
    ];

    /// The scope's URI.
    pub fn uri(self) -> &'static str {
        match self {
            Scope::CredentialReadonly => {
                "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"
            }
            Scope::CredentialUpsert => {
                "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert"
            }
            Scope::ProfileReadonly => {
                "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"
            }
            Scope::ProfileUpdate => "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update",
        }
    }

    /// What the consent page says the scope allows.
    pub fn consent_text(self) -> &'static str {
        match self {
            Scope::CredentialReadonly => "See your badges and their signed credentials",
            Scope::CredentialUpsert => "Add badges from elsewhere to your account",
            Scope::ProfileReadonly => "See your name and e-mail address",
            Scope::ProfileUpdate => "Change your name",
        }
    }

    /// Parses a scope URI.
    pub fn parse(uri: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.uri() == uri)
    }
}

/// What a space-separated scope list allows, in the consent page's words (unknown scopes left out).
pub fn scope_words(list: &str) -> Vec<String> {
    list.split_ascii_whitespace()
        .filter_map(Scope::parse)
        .map(|s| s.consent_text().to_owned())
        .collect()
}

/// A space-separated scope list: `Invalid { "scope" }` for an unknown scope.
pub fn parse_scopes(list: &str) -> Result<BTreeSet<Scope>> {
    list.split_ascii_whitespace()
        .map(|s| {
            Scope::parse(s).ok_or_else(|| {
                Error::invalid("scope", format!("`{s}` is not an Open Badges scope"))
            })
        })
        .collect()
}

/// Scopes as the space-separated list OAuth uses.
pub fn scope_string(scopes: &BTreeSet<Scope>) -> String {
    scopes.iter().map(|s| s.uri()).collect::<Vec<_>>().join(" ")
}

/// What a verified access token allows: this earner's data, for this client, in these scopes.
#[derive(Debug, Clone)]
pub struct WalletAccess {
    user_id: Uuid,
    client_id: Uuid,
    scopes: BTreeSet<Scope>,
}

impl WalletAccess {
    /// `Forbidden`-like refusal unless the earner granted `scope`.
    pub(crate) fn require(&self, scope: Scope) -> Result<()> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(Error::InsufficientScope { scope: scope.uri() })
        }
    }
}
