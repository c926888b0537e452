//! Issuer signing keys (Ed25519) and their encryption at rest.
//!
//! The secret half of every key is encrypted with AES-256-GCM under a 32-byte
//! key-encryption key (KEK) from configuration (`KEY_ENCRYPTION_KEY`, base64 or hex). The row
//! id is bound in as associated data, so a ciphertext copied onto another row does not
//! decrypt. Each row records the `kek_id` (a fingerprint of the KEK) that sealed it.
//!
//! **KEK rotation**: generate a new KEK, configure it as `KEY_ENCRYPTION_KEY` and move the old
//! one to the list of previous keys ([`KeyEncryptionKey::with_previous`], e.g. from
//! `KEY_ENCRYPTION_KEY_PREVIOUS`); restart; run [`rewrap_all`] (the server exposes it as a
//! command), which re-encrypts every secret under the current KEK in one transaction; once it
//! reports zero rows left under old ids, drop the previous key from configuration.
//!
//! **Signing-key rotation** ([`rotate`]) retires the issuer's active key and creates a new one;
//! credentials signed with the old did:key stay verifiable because did:key embeds the key.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::audit::{self, Entity};
use crate::error::{Error, Result};
use crate::rbac::{CanManageIssuers, CanViewAdmin};

/// One 32-byte AES-256 key with its fingerprint id.
#[derive(Clone)]
struct Kek {
    id: String,
    key: Zeroizing<[u8; 32]>,
}

impl Kek {
    fn new(key: [u8; 32]) -> Result<Kek> {
        if key == [0u8; 32] {
            return Err(Error::invalid(
                "KEY_ENCRYPTION_KEY",
                "must not be all zeros",
            ));
        }
        // The id is a fingerprint so configuration needs only the key itself.
        let digest = Sha256::new()
            .chain_update(b"badge-engine kek id v1")
            .chain_update(key)
            .finalize();
        let id = format!("kek-{}", crate::secret::hex(&digest[..8]));
        Ok(Kek {
            id,
            key: Zeroizing::new(key),
        })
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new((&*self.key).into())
    }
}

/// The key-encryption key(s): the current one (encrypts) and previous ones (decrypt only,
/// during rotation). Debug output never shows key material.
#[derive(Clone)]
pub struct KeyEncryptionKey {
    current: Kek,
    previous: Vec<Kek>,
    /// KEK ids whose rows must not be opened (the public development key, in production).
    refused: Vec<String>,
}

impl fmt::Debug for KeyEncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyEncryptionKey")
            .field("id", &self.current.id)
            .field(
                "previous",
                &self.previous.iter().map(|k| &k.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

fn decode_key(value: &str, field: &str) -> Result<[u8; 32]> {
    let v = value.trim();
    let bytes = if v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&v[2 * i..2 * i + 2], 16))
            .collect::<std::result::Result<Vec<u8>, _>>()
            .map_err(|_| Error::invalid(field, "is not valid hex"))?
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(v)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(v))
            .map_err(|_| Error::invalid(field, "must be 32 bytes as base64 or 64 hex digits"))?
    };
    let len = bytes.len();
    let bytes = Zeroizing::new(bytes);
    bytes
        .as_slice()
        .try_into()
        .map_err(|_| Error::invalid(field, format!("must decode to 32 bytes, got {len}")))
}

impl KeyEncryptionKey {
    /// Parses `KEY_ENCRYPTION_KEY` (base64 or hex of exactly 32 bytes, not all zeros).
    pub fn parse(value: &str) -> Result<KeyEncryptionKey> {
        Ok(KeyEncryptionKey {
            current: Kek::new(decode_key(value, "KEY_ENCRYPTION_KEY")?)?,
            previous: Vec::new(),
            refused: Vec::new(),
        })
    }

    /// From raw bytes.
    pub fn from_bytes(key: [u8; 32]) -> Result<KeyEncryptionKey> {
        Ok(KeyEncryptionKey {
            current: Kek::new(key)?,
            previous: Vec::new(),
            refused: Vec::new(),
        })
    }

    /// A random KEK (tests, throwaway development databases).
    pub fn generate() -> KeyEncryptionKey {
        loop {
            let mut key = [0u8; 32];
            OsRng.fill_bytes(&mut key);
            if let Ok(k) = KeyEncryptionKey::from_bytes(key) {
                return k;
            }
        }
    }

    /// Adds a previous KEK (same encoding) that may still decrypt rows during rotation.
    pub fn with_previous(mut self, value: &str) -> Result<KeyEncryptionKey> {
        let kek = Kek::new(decode_key(value, "KEY_ENCRYPTION_KEY_PREVIOUS")?)?;
        if kek.id != self.current.id {
            self.previous.push(kek);
        }
        Ok(self)
    }

    /// A 32-byte key for another purpose (e.g. signing claim links), derived from the current
    /// KEK with HMAC-SHA256 so the KEK itself is never used for two jobs.
    pub fn derive(&self, label: &str) -> Zeroizing<[u8; 32]> {
        use hmac::Mac;
        let mut mac = <hmac::Hmac<Sha256> as Mac>::new_from_slice(&*self.current.key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(b"badge-engine derive v1\0");
        mac.update(label.as_bytes());
        Zeroizing::new(mac.finalize().into_bytes().into())
    }

    /// Refuses to open rows sealed under the KEK with fingerprint id `id` (production refuses
    /// the public development key, whose bytes are in the source code).
    pub fn refusing(mut self, id: &str) -> KeyEncryptionKey {
        self.refused.push(id.to_owned());
        self
    }

    /// The fingerprint id a KEK of these bytes has.
    pub fn id_of(key: [u8; 32]) -> Result<String> {
        Ok(Kek::new(key)?.id)
    }

    /// Fingerprint id of the current KEK, stored with each encrypted secret.
    pub fn id(&self) -> &str {
        &self.current.id
    }

    fn find(&self, id: &str) -> Option<&Kek> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.id == id)
    }

    /// Encrypts `secret` for row `row_id`; returns (ciphertext, nonce).
    fn seal(&self, row_id: Uuid, secret: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
        let mut nonce = [0u8; 12];
        OsRng.fill_bytes(&mut nonce);
        let ct = self
            .current
            .cipher()
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret,
                    aad: row_id.as_bytes(),
                },
            )
            .map_err(|_| Error::internal("key encryption failed"))?;
        Ok((ct, nonce.to_vec()))
    }

    /// Decrypts a secret sealed under `kek_id` for row `row_id`.
    fn open(
        &self,
        kek_id: &str,
        row_id: Uuid,
        ct: &[u8],
        nonce: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        if self.refused.iter().any(|r| r == kek_id) {
            tracing::error!(
                kek_id,
                %row_id,
                "signing key sealed under the public development key; refusing it in production"
            );
            return Err(Error::Unavailable {
                service: "key-encryption key",
            });
        }
        let kek = self.find(kek_id).ok_or_else(|| {
            tracing::error!(
                kek_id,
                "signing key sealed under an unconfigured key-encryption key"
            );
            Error::Unavailable {
                service: "key-encryption key",
            }
        })?;
        if nonce.len() != 12 {
            return Err(Error::internal("stored nonce has the wrong length"));
        }
        kek.cipher()
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad: row_id.as_bytes() })
            .map(Zeroizing::new)
            .map_err(|_| {
                tracing::error!(%row_id, kek_id, "signing key does not decrypt (wrong KEK or tampered row)");
                Error::internal("signing key does not decrypt")
            })
    }
}

/// An Ed25519 secret key (32 bytes); zeroed on drop, never printed.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; 32]>);

impl SecretKey {
    /// The raw 32 secret bytes (for `openbadges` / `ed25519-dalek`).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// As an `ed25519-dalek` signing key.
    pub fn to_dalek(&self) -> SigningKey {
        SigningKey::from_bytes(&self.0)
    }

    /// As the `openbadges` key pair that signs credentials and status lists.
    pub fn to_openbadges(&self) -> Result<openbadges::keys::KeyPair> {
        openbadges::keys::KeyPair::from_secret_bytes(self.as_bytes()).map_err(Error::internal)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

/// Public metadata of a signing key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SigningKeyInfo {
    /// Id.
    pub id: Uuid,
    /// Owning issuer.
    pub issuer_id: Uuid,
    /// Always `Ed25519` for now.
    pub algorithm: String,
    /// Multikey public key (`z6Mk…`).
    pub public_key_multibase: String,
    /// KEK fingerprint that sealed the secret.
    pub kek_id: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Retirement time; `None` for the active key.
    pub retired_at: Option<DateTime<Utc>>,
}

impl SigningKeyInfo {
    /// `did:key:z6Mk…`
    pub fn did(&self) -> String {
        format!("did:key:{}", self.public_key_multibase)
    }

    /// `did:key:z6Mk…#z6Mk…`, the proof's `verificationMethod` for a did:key issuer.
    pub fn verification_method(&self) -> String {
        format!("did:key:{0}#{0}", self.public_key_multibase)
    }

    /// SHA-256 of the raw public key, as upper-case hex in groups of four (what an admin
    /// compares when checking a key out of band).
    pub fn fingerprint(&self) -> String {
        let raw = openbadges::keys::PublicKey::from_multibase(&self.public_key_multibase)
            .map(|k| k.to_bytes().to_vec())
            .unwrap_or_default();
        let digest = Sha256::digest(&raw);
        crate::secret::hex(&digest)
            .to_ascii_uppercase()
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// An active key with its decrypted secret, ready to sign.
#[derive(Debug, Clone)]
pub struct ActiveKey {
    /// Public metadata.
    pub info: SigningKeyInfo,
    /// Secret half.
    pub secret: SecretKey,
}

/// Generates a key for `issuer_id`, retires the previous active key, seals the secret, and
/// points `issuers.did` at the new did:key — all on the caller's transaction.
pub(crate) async fn generate_conn(
    conn: &mut PgConnection,
    kek: &KeyEncryptionKey,
    issuer_id: Uuid,
) -> Result<SigningKeyInfo> {
    // Key generation is `openbadges`' job; the engine only stores and protects the result.
    let pair = openbadges::keys::KeyPair::generate();
    let public = pair.public_key().to_bytes();
    store_conn(conn, kek, issuer_id, &pair.secret_bytes(), &public).await
}

/// Stores an existing Ed25519 key pair (e.g. imported) as the issuer's active key.
pub(crate) async fn store_conn(
    conn: &mut PgConnection,
    kek: &KeyEncryptionKey,
    issuer_id: Uuid,
    secret: &[u8; 32],
    public: &[u8; 32],
) -> Result<SigningKeyInfo> {
    let id = Uuid::now_v7();
    let (ct, nonce) = kek.seal(id, secret)?;
    let multibase = openbadges::keys::PublicKey::from_bytes(public)
        .map_err(|e| Error::invalid("public_key", e.to_string()))?
        .multibase();
    sqlx::query!(
        "update signing_keys set retired_at = now() where issuer_id = $1 and retired_at is null",
        issuer_id
    )
    .execute(&mut *conn)
    .await?;
    let info = sqlx::query_as!(
        SigningKeyInfo,
        r#"insert into signing_keys (id, issuer_id, public_key_multibase, encrypted_secret, nonce, kek_id)
           values ($1, $2, $3, $4, $5, $6)
           returning id, issuer_id, algorithm, public_key_multibase, kek_id, created_at, retired_at"#,
        id,
        issuer_id,
        multibase,
        ct,
        nonce,
        kek.id()
    )
    .fetch_one(&mut *conn)
    .await?;
    // A did:key issuer's DID is its active key; a did:web issuer keeps its DID and lists the
    // new key in its DID document.
    sqlx::query!(
        r#"update issuers set did = case when did_method = 'key' then $2 else did end,
                  version = version + 1
            where id = $1"#,
        issuer_id,
        info.did()
    )
    .execute(&mut *conn)
    .await?;
    // Close the issuer's open status lists: every entry of a list then belongs to credentials
    // of one DID, and the list is signed by that same key (`load_for_time`).
    sqlx::query!(
        "update status_lists set next_index = size where issuer_id = $1 and next_index < size",
        issuer_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(info)
}

/// The issuer's active key metadata, if any.
pub async fn active(
    pool: &PgPool,
    auth: &CanViewAdmin,
    issuer_id: Uuid,
) -> Result<Option<SigningKeyInfo>> {
    auth.check_issuer(issuer_id)?;
    Ok(sqlx::query_as!(
        SigningKeyInfo,
        r#"select id, issuer_id, algorithm, public_key_multibase, kek_id, created_at, retired_at
             from signing_keys where issuer_id = $1 and retired_at is null"#,
        issuer_id
    )
    .fetch_optional(pool)
    .await?)
}

/// All keys of an issuer, newest first.
pub async fn list(
    pool: &PgPool,
    auth: &CanViewAdmin,
    issuer_id: Uuid,
) -> Result<Vec<SigningKeyInfo>> {
    auth.check_issuer(issuer_id)?;
    list_conn(pool, issuer_id).await
}

/// All keys of an issuer, newest first (public halves only: the DID document lists them).
pub(crate) async fn list_conn(pool: &PgPool, issuer_id: Uuid) -> Result<Vec<SigningKeyInfo>> {
    Ok(sqlx::query_as!(
        SigningKeyInfo,
        r#"select id, issuer_id, algorithm, public_key_multibase, kek_id, created_at, retired_at
             from signing_keys where issuer_id = $1 order by created_at desc"#,
        issuer_id
    )
    .fetch_all(pool)
    .await?)
}

/// A `signing_keys` row as stored: metadata plus the sealed secret.
struct StoredKey {
    id: Uuid,
    issuer_id: Uuid,
    algorithm: String,
    public_key_multibase: String,
    kek_id: String,
    created_at: DateTime<Utc>,
    retired_at: Option<DateTime<Utc>>,
    encrypted_secret: Vec<u8>,
    nonce: Vec<u8>,
}

/// Loads and decrypts the issuer's active key. `NotFound { entity: "signing key" }` if the
/// issuer has none.
pub async fn load_active(
    conn: &mut PgConnection,
    kek: &KeyEncryptionKey,
    issuer_id: Uuid,
) -> Result<ActiveKey> {
    let row = sqlx::query_as!(
        StoredKey,
        r#"select id, issuer_id, algorithm, public_key_multibase, kek_id, created_at, retired_at,
                  encrypted_secret, nonce
             from signing_keys where issuer_id = $1 and retired_at is null"#,
        issuer_id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound {
        entity: "signing key",
    })?;
    decrypt_row(kek, row)
}

/// Loads and decrypts the key that was the issuer's active key at `at` (the newest created
/// no later than `at`, retired or not); used to sign a status list with the key of the
/// credentials it covers.
pub async fn load_for_time(
    conn: &mut PgConnection,
    kek: &KeyEncryptionKey,
    issuer_id: Uuid,
    at: DateTime<Utc>,
) -> Result<ActiveKey> {
    let row = sqlx::query_as!(
        StoredKey,
        r#"select id, issuer_id, algorithm, public_key_multibase, kek_id, created_at, retired_at,
                  encrypted_secret, nonce
             from signing_keys where issuer_id = $1 and created_at <= $2
            order by created_at desc limit 1"#,
        issuer_id,
        at
    )
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => decrypt_row(kek, row),
        None => load_active(conn, kek, issuer_id).await,
    }
}

fn decrypt_row(kek: &KeyEncryptionKey, row: StoredKey) -> Result<ActiveKey> {
    let info = SigningKeyInfo {
        id: row.id,
        issuer_id: row.issuer_id,
        algorithm: row.algorithm,
        public_key_multibase: row.public_key_multibase,
        kek_id: row.kek_id,
        created_at: row.created_at,
        retired_at: row.retired_at,
    };
    let (ct, nonce) = (row.encrypted_secret, row.nonce);
    let plain = kek.open(&info.kek_id, info.id, &ct, &nonce)?;
    let bytes: [u8; 32] = plain
        .as_slice()
        .try_into()
        .map_err(|_| Error::internal("stored secret key has the wrong length"))?;
    let secret = SecretKey(Zeroizing::new(bytes));
    // Guard against a row whose public half does not match its secret.
    if secret.to_openbadges()?.public_key().multibase() != info.public_key_multibase {
        return Err(Error::internal("stored key pair does not match"));
    }
    Ok(ActiveKey { info, secret })
}

/// Replaces the issuer's active key with a new one (audited).
pub async fn rotate(
    pool: &PgPool,
    auth: &CanManageIssuers,
    kek: &KeyEncryptionKey,
    issuer_id: Uuid,
) -> Result<SigningKeyInfo> {
    auth.check_issuer(issuer_id)?;
    let mut tx = pool.begin().await?;
    // Lock the issuer so two rotations cannot race on the one-active-key index.
    sqlx::query_scalar!("select id from issuers where id = $1 for update", issuer_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound { entity: "issuer" })?;
    let info = generate_conn(&mut tx, kek, issuer_id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "issuer.rotate_key",
        Entity::new("issuer", issuer_id),
        None,
        audit::snapshot(&info),
    )
    .await?;
    tx.commit().await?;
    Ok(info)
}

/// Re-encrypts every secret not sealed under the current KEK (KEK rotation, see module doc).
/// Returns how many rows were rewrapped; fails without changes if any row's KEK is missing.
pub async fn rewrap_all(pool: &PgPool, kek: &KeyEncryptionKey) -> Result<u64> {
    let mut tx = pool.begin().await?;
    let rows = sqlx::query!(
        r#"select id, encrypted_secret, nonce, kek_id from signing_keys where kek_id <> $1 for update"#,
        kek.id()
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut n = 0;
    for row in rows {
        let plain = kek.open(&row.kek_id, row.id, &row.encrypted_secret, &row.nonce)?;
        let (ct, nonce) = kek.seal(row.id, &plain)?;
        sqlx::query!(
            "update signing_keys set encrypted_secret = $2, nonce = $3, kek_id = $4 where id = $1",
            row.id,
            ct,
            nonce,
            kek.id()
        )
        .execute(&mut *tx)
        .await?;
        n += 1;
    }
    tx.commit().await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kek_parsing_validates() {
        assert!(KeyEncryptionKey::parse(&"ab".repeat(32)).is_ok());
        let b64 = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        assert!(KeyEncryptionKey::parse(&b64).is_ok());
        assert!(matches!(
            KeyEncryptionKey::parse("short"),
            Err(Error::Invalid { .. })
        ));
        assert!(matches!(
            KeyEncryptionKey::parse(&"00".repeat(32)),
            Err(Error::Invalid { .. })
        ));
        let k = KeyEncryptionKey::parse(&"ab".repeat(32)).unwrap();
        assert!(!format!("{k:?}").contains("abab"));
    }

    #[test]
    fn seal_binds_row_id() {
        let k = KeyEncryptionKey::generate();
        let row = Uuid::now_v7();
        let (ct, nonce) = k.seal(row, b"secret").unwrap();
        assert_eq!(&*k.open(k.id(), row, &ct, &nonce).unwrap(), b"secret");
        assert!(k.open(k.id(), Uuid::now_v7(), &ct, &nonce).is_err());
    }

    #[test]
    fn previous_keys_decrypt() {
        let old = KeyEncryptionKey::parse(&"11".repeat(32)).unwrap();
        let row = Uuid::now_v7();
        let (ct, nonce) = old.seal(row, b"s").unwrap();
        let new = KeyEncryptionKey::parse(&"22".repeat(32))
            .unwrap()
            .with_previous(&"11".repeat(32))
            .unwrap();
        assert_eq!(&*new.open(old.id(), row, &ct, &nonce).unwrap(), b"s");
    }

    #[test]
    fn refused_keys_do_not_open_rows() {
        // Production refuses rows sealed under the public development key, even when that key
        // is configured as a previous one.
        let development = KeyEncryptionKey::parse(&"11".repeat(32)).unwrap();
        let row = Uuid::now_v7();
        let (ct, nonce) = development.seal(row, b"s").unwrap();
        let production = KeyEncryptionKey::parse(&"22".repeat(32))
            .unwrap()
            .with_previous(&"11".repeat(32))
            .unwrap();
        assert_eq!(
            &*production.open(development.id(), row, &ct, &nonce).unwrap(),
            b"s"
        );
        let production = production.refusing(development.id());
        assert!(matches!(
            production.open(development.id(), row, &ct, &nonce),
            Err(Error::Unavailable { .. })
        ));
        let (ct, nonce) = production.seal(row, b"t").unwrap();
        assert_eq!(
            &*production.open(production.id(), row, &ct, &nonce).unwrap(),
            b"t"
        );
    }

    #[test]
    fn secret_round_trips_to_openbadges() {
        let pair = openbadges::keys::KeyPair::generate();
        let secret = SecretKey(pair.secret_bytes());
        assert_eq!(secret.to_openbadges().unwrap().did(), pair.did());
    }
}
