//! Ed25519 keys, their Multikey encoding and `did:key` identifiers.
//!
//! A public key is published as `publicKeyMultibase` = `z` + base58btc(0xed 0x01 ‖ key), which
//! always starts `z6Mk`; its `did:key` is `did:key:z6Mk…` and the verification method used in
//! proofs is `did:key:z6Mk…#z6Mk…`. Secret keys are exported as the 32-byte Ed25519 seed so
//! the engine can encrypt them at rest.

use ed25519_dalek::Signer as _;
use thiserror::Error;
use zeroize::Zeroizing;

/// Multicodec prefix of an Ed25519 public key (`ed25519-pub`, varint 0xed).
const ED25519_PUB_PREFIX: [u8; 2] = [0xed, 0x01];
/// Multicodec prefix of an Ed25519 secret key (`ed25519-priv`, varint 0x1300).
const ED25519_PRIV_PREFIX: [u8; 2] = [0x80, 0x26];

/// Why a key or identifier could not be decoded.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum KeyError {
    /// Secret key material has the wrong length.
    #[error("an Ed25519 secret key is 32 bytes (seed) or 64 bytes (seed ‖ public key), got {len}")]
    SecretKeyLength {
        /// The length received.
        len: usize,
    },
    /// A 64-byte secret key whose second half is not the seed's public key.
    #[error("the public half of the 64-byte secret key does not match its seed")]
    SecretKeyMismatch,
    /// A multibase string does not use base58btc (`z…`).
    #[error("multibase value {value:?} is not base58btc (must start with 'z')")]
    NotBase58Btc {
        /// The offending value.
        value: String,
    },
    /// Base58 decoding failed.
    #[error("multibase value {value:?} is not valid base58btc")]
    InvalidBase58 {
        /// The offending value.
        value: String,
    },
    /// The multicodec header is not that of an Ed25519 key.
    #[error("multikey {value:?} is not an Ed25519 key (wrong multicodec header or length)")]
    NotEd25519 {
        /// The offending value.
        value: String,
    },
    /// The bytes are not a valid Ed25519 public key (not a curve point).
    #[error("multikey {value:?} is not a valid Ed25519 public key")]
    InvalidPublicKey {
        /// The offending value.
        value: String,
    },
    /// A `did:key` identifier or verification method is malformed.
    #[error("{value:?} is not a did:key Ed25519 identifier: {reason}")]
    InvalidDidKey {
        /// The offending value.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// An Ed25519 key pair used to sign credentials.
#[derive(Clone)]
pub struct KeyPair {
    signing: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print secret material.
        f.debug_struct("KeyPair")
            .field("public", &self.public_key().multibase())
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    /// Generates a fresh key pair from the operating system's CSPRNG.
    pub fn generate() -> Self {
        Self {
            signing: ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng),
        }
    }

    /// Imports a secret key: the 32-byte seed, or 64 bytes seed ‖ public key.
    pub fn from_secret_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let len = bytes.len();
        let (seed, public) = match bytes.split_first_chunk::<32>() {
            Some((seed, rest)) if len == 32 || len == 64 => (Zeroizing::new(*seed), rest),
            _ => return Err(KeyError::SecretKeyLength { len }),
        };
        let pair = Self {
            signing: ed25519_dalek::SigningKey::from_bytes(&seed),
        };
        if !public.is_empty() && public != pair.public_key().to_bytes() {
            return Err(KeyError::SecretKeyMismatch);
        }
        Ok(pair)
    }

    /// Exports the 32-byte secret seed (wiped from memory when dropped).
    pub fn secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.signing.to_bytes())
    }

    /// The secret key as Multikey `secretKeyMultibase` (`z3u2…`), for interop tooling.
    pub fn secret_multibase(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(34));
        bytes.extend_from_slice(&ED25519_PRIV_PREFIX);
        bytes.extend_from_slice(self.signing.as_bytes());
        Zeroizing::new(format!("z{}", bs58::encode(bytes.as_slice()).into_string()))
    }

    /// Imports a Multikey `secretKeyMultibase` (`z3u2…`).
    pub fn from_secret_multibase(value: &str) -> Result<Self, KeyError> {
        let bytes = Zeroizing::new(decode_multibase(value)?);
        match bytes.strip_prefix(&ED25519_PRIV_PREFIX) {
            Some(seed) if seed.len() == 32 => Self::from_secret_bytes(seed),
            _ => Err(KeyError::NotEd25519 {
                value: value.to_owned(),
            }),
        }
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.signing.verifying_key())
    }

    /// The issuer DID for this key (`did:key:z6Mk…`).
    pub fn did(&self) -> String {
        self.public_key().did()
    }

    /// The verification method id used in proofs (`did:key:z6Mk…#z6Mk…`).
    pub fn verification_method(&self) -> String {
        self.public_key().verification_method()
    }

    /// Signs raw bytes (Ed25519, RFC 8032).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }
}

/// An Ed25519 public key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl PublicKey {
    /// Decodes 32 raw public-key bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let arr: [u8; 32] = bytes.try_into().map_err(|_| KeyError::NotEd25519 {
            value: format!("{} raw bytes", bytes.len()),
        })?;
        ed25519_dalek::VerifyingKey::from_bytes(&arr)
            .map(Self)
            .map_err(|_| KeyError::InvalidPublicKey {
                value: bs58::encode(arr).into_string(),
            })
    }

    /// The raw 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Multikey `publicKeyMultibase` (`z6Mk…`).
    pub fn multibase(&self) -> String {
        let mut bytes = Vec::with_capacity(34);
        bytes.extend_from_slice(&ED25519_PUB_PREFIX);
        bytes.extend_from_slice(self.0.as_bytes());
        format!("z{}", bs58::encode(bytes).into_string())
    }

    /// Decodes a Multikey `publicKeyMultibase` (`z6Mk…`).
    pub fn from_multibase(value: &str) -> Result<Self, KeyError> {
        let bytes = decode_multibase(value)?;
        match bytes.strip_prefix(&ED25519_PUB_PREFIX) {
            Some(key) if key.len() == 32 => {
                Self::from_bytes(key).map_err(|_| KeyError::InvalidPublicKey {
                    value: value.to_owned(),
                })
            }
            _ => Err(KeyError::NotEd25519 {
                value: value.to_owned(),
            }),
        }
    }

    /// `did:key:z6Mk…`.
    pub fn did(&self) -> String {
        format!("did:key:{}", self.multibase())
    }

    /// `did:key:z6Mk…#z6Mk…`.
    pub fn verification_method(&self) -> String {
        let mb = self.multibase();
        format!("did:key:{mb}#{mb}")
    }

    /// Checks an Ed25519 signature (strict: rejects non-canonical and small-order encodings).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
            return false;
        };
        self.0.verify_strict(message, &sig).is_ok()
    }
}

/// A resolved `did:key` verification method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DidKey {
    /// The DID (`did:key:z6Mk…`), i.e. the controller.
    pub did: String,
    /// The key.
    pub public_key: PublicKey,
}

impl DidKey {
    /// Resolves `did:key:z6Mk…` or `did:key:z6Mk…#z6Mk…` locally (no network).
    ///
    /// The fragment, when present, must equal the key's multibase as the did:key method requires.
    pub fn resolve(value: &str) -> Result<Self, KeyError> {
        let invalid = |reason| KeyError::InvalidDidKey {
            value: value.to_owned(),
            reason,
        };
        let rest = value
            .strip_prefix("did:key:")
            .ok_or_else(|| invalid("does not start with did:key:"))?;
        let (mb, fragment) = match rest.split_once('#') {
            Some((mb, frag)) => (mb, Some(frag)),
            None => (rest, None),
        };
        if fragment.is_some_and(|f| f != mb) {
            return Err(invalid("fragment differs from the key"));
        }
        let public_key =
            PublicKey::from_multibase(mb).map_err(|_| invalid("not an Ed25519 multikey"))?;
        Ok(Self {
            did: format!("did:key:{mb}"),
            public_key,
        })
    }
}

/// Decodes a base58btc multibase string (`z…`).
pub(crate) fn decode_multibase(value: &str) -> Result<Vec<u8>, KeyError> {
    let body = value
        .strip_prefix('z')
        .ok_or_else(|| KeyError::NotBase58Btc {
            value: value.to_owned(),
        })?;
    bs58::decode(body)
        .into_vec()
        .map_err(|_| KeyError::InvalidBase58 {
            value: value.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w3c_vector_key_round_trips() {
        let pair =
            KeyPair::from_secret_multibase("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
                .unwrap();
        assert_eq!(
            pair.public_key().multibase(),
            "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        );
        assert_eq!(
            pair.secret_multibase().as_str(),
            "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
        );
    }

    #[test]
    fn generated_key_exports_and_imports() {
        let pair = KeyPair::generate();
        let again = KeyPair::from_secret_bytes(pair.secret_bytes().as_slice()).unwrap();
        assert_eq!(pair.public_key(), again.public_key());
        assert!(pair.did().starts_with("did:key:z6Mk"));
        let resolved = DidKey::resolve(&pair.verification_method()).unwrap();
        assert_eq!(resolved.did, pair.did());
        assert_eq!(resolved.public_key, pair.public_key());
        let sig = pair.sign(b"hello");
        assert!(pair.public_key().verify(b"hello", &sig));
        assert!(!pair.public_key().verify(b"hellO", &sig));
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(
            KeyPair::from_secret_bytes(&[0; 5]).unwrap_err(),
            KeyError::SecretKeyLength { len: 5 }
        );
        assert!(DidKey::resolve("did:web:example.com").is_err());
        assert!(DidKey::resolve("did:key:z6Mk").is_err());
        assert!(DidKey::resolve("did:key:").is_err());
        assert!(PublicKey::from_multibase("u123").is_err());
        let pair = KeyPair::generate();
        let other = KeyPair::generate();
        assert!(
            DidKey::resolve(&format!(
                "{}#{}",
                pair.did(),
                other.public_key().multibase()
            ))
            .is_err()
        );
    }
}
