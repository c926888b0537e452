//! The handles every engine caller needs, built once at start-up: the pool, the cache, the
//! key-encryption key, the signer (with the public URL map) and the mailer. Pages, server
//! functions, the API, the CLI and the worker pass it around instead of six arguments.

use sqlx::PgPool;

use crate::award::Issuance;
use crate::cache::Cache;
use crate::mail::Mailer;
use crate::public_url::PublicUrls;
use crate::signer::OpenBadgesSigner;
use crate::signing_key::KeyEncryptionKey;

/// Shared engine handles; cheap to clone.
#[derive(Clone, Debug)]
pub struct Services {
    /// PostgreSQL.
    pub pool: PgPool,
    /// Cache of hot public reads (disabled without Redis).
    pub cache: Cache,
    /// Opens issuers' signing keys; derives link-signing keys.
    pub kek: KeyEncryptionKey,
    /// Builds and signs credentials; knows the public URLs.
    pub signer: OpenBadgesSigner,
    /// Sends e-mail.
    pub mailer: Mailer,
}

impl Services {
    /// What awarding needs.
    pub fn issuance(&self) -> Issuance<'_> {
        Issuance {
            kek: &self.kek,
            signer: &self.signer,
            cache: &self.cache,
        }
    }

    /// The public URL map.
    pub fn urls(&self) -> &PublicUrls {
        self.signer.urls()
    }
}
