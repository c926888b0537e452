//! Helpers shared by the integration tests.
#![allow(dead_code)]

use ed25519_dalek::Signer as _;
use engine::award::{AwardDraft, CredentialSigner};
use engine::rbac::Principal;
use engine::user::{self, UserInput};
use sqlx::PgPool;

/// Everything allowed, acting as `test`.
pub fn admin() -> Principal {
    Principal::system("test")
}

/// Input for a user called `name`.
pub fn user_input(name: &str) -> UserInput {
    UserInput {
        username: name.to_owned(),
        email: Some(format!("{name}@example.org")),
        display_name: Some(name.to_uppercase()),
        active: true,
        ..UserInput::default()
    }
}

/// Creates a user.
pub async fn make_user(pool: &PgPool, name: &str) -> anyhow::Result<user::User> {
    Ok(user::create(pool, &admin().require()?, &user_input(name)).await?)
}

/// A stand-in for the `openbadges` signer: a small JSON document whose `proof` is a real
/// Ed25519 signature over the credential id, so tests prove the decrypted key is the right one.
pub struct FakeSigner;

impl CredentialSigner for FakeSigner {
    fn sign(
        &self,
        d: &AwardDraft<'_>,
    ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        let sig = d.key.secret.to_dalek().sign(d.credential_id.as_bytes());
        Ok(serde_json::json!({
            "id": format!("urn:uuid:{}", d.credential_id),
            "issuer": { "id": d.issuer.did },
            "credentialSubject": {
                "identifier": [{ "identityHash": d.identity_hash, "salt": d.identity_salt }],
                "achievement": { "name": d.achievement.fields.name },
            },
            "credentialStatus": { "statusListIndex": d.status.index.to_string(), "list": d.status.list_id },
            "proof": {
                "verificationMethod": d.key.info.verification_method(),
                "signature": sig.to_bytes().to_vec(),
            },
        }))
    }
}

/// A signer that always fails.
pub struct BrokenSigner;

impl CredentialSigner for BrokenSigner {
    fn sign(
        &self,
        _: &AwardDraft<'_>,
    ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        Err("signer exploded".into())
    }
}
