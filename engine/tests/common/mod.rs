//! Helpers shared by the integration tests: principals, users, and a small world of one
//! issuer and one achievement with everything awarding needs (the real signer).
#![allow(dead_code)]

use engine::achievement::{self, AchievementInput, Alignment, ResultDescription, RubricLevel};
use engine::award::{Issuance, NewAward};
use engine::cache::Cache;
use engine::issuer::{self, DidMethod, IssuerInput};
use engine::public_url::PublicUrls;
use engine::rbac::Principal;
use engine::signer::OpenBadgesSigner;
use engine::signing_key::KeyEncryptionKey;
use engine::user::{self, UserInput};
use sqlx::PgPool;

/// Everything allowed, acting as `test`.
pub fn admin() -> Principal {
    Principal::bypass_for_system_task("test")
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

/// An issuer input called `name`.
pub fn issuer_input(name: &str) -> IssuerInput {
    IssuerInput {
        name: name.into(),
        url: Some("https://example.org".into()),
        email: Some("badges@example.org".into()),
        address: Some(serde_json::json!({ "addressCountry": "NL" })),
        ..IssuerInput::default()
    }
}

/// An awardable achievement input called `name`, with an alignment and a rubric.
pub fn achievement_input(name: &str) -> AchievementInput {
    AchievementInput {
        name: name.into(),
        description: "Designs relational schemas".into(),
        achievement_type: Some("Certificate".into()),
        criteria_narrative: Some("Pass the **exam**.".into()),
        tags: vec!["rust".into(), "db".into()],
        valid_for_days: Some(365),
        credits_available: Some(2.5),
        alignments: vec![Alignment {
            target_name: "SQL".into(),
            target_url: "https://example.org/sql".into(),
            target_type: Some("CFItem".into()),
            ..Alignment::default()
        }],
        result_descriptions: vec![ResultDescription {
            name: "Grade".into(),
            result_type: "RubricCriterion".into(),
            required_level: Some(1),
            levels: vec![
                RubricLevel {
                    name: "Novice".into(),
                    ..RubricLevel::default()
                },
                RubricLevel {
                    name: "Expert".into(),
                    points: Some("10".into()),
                    ..RubricLevel::default()
                },
            ],
            ..ResultDescription::default()
        }],
        ..AchievementInput::default()
    }
}

/// The public base URL the tests' signer writes.
pub const BASE: &str = "http://127.0.0.1:3000";

/// One issuer, one active achievement, and what awarding needs.
pub struct World {
    pub kek: KeyEncryptionKey,
    pub signer: OpenBadgesSigner,
    pub cache: Cache,
    pub issuer: issuer::Issuer,
    pub achievement: achievement::Achievement,
}

impl World {
    /// What `award::issue` needs.
    pub fn ctx(&self) -> Issuance<'_> {
        Issuance {
            kek: &self.kek,
            signer: &self.signer,
            cache: &self.cache,
        }
    }

    /// An award of the world's achievement to `name` at `<name>@example.org`.
    pub fn award(&self, name: &str) -> NewAward {
        NewAward {
            achievement_id: self.achievement.id,
            recipient_name: name.into(),
            recipient_email: format!("{}@example.org", name.to_lowercase().replace(' ', ".")),
            ..NewAward::default()
        }
    }

    /// The URL map.
    pub fn urls(&self) -> &PublicUrls {
        self.signer.urls()
    }
}

/// Builds the world (did:key issuer "Acme", achievement "SQL Pro").
pub async fn world(pool: &PgPool) -> anyhow::Result<World> {
    world_with(pool, DidMethod::Key).await
}

/// Builds the world with an issuer of the given DID method.
pub async fn world_with(pool: &PgPool, method: DidMethod) -> anyhow::Result<World> {
    let kek = KeyEncryptionKey::generate();
    let signer = OpenBadgesSigner::new(PublicUrls::new(BASE, true)?);
    let issuer = issuer::create(
        pool,
        &admin().require()?,
        &kek,
        signer.urls(),
        &issuer_input("Acme"),
        method,
    )
    .await?;
    let achievement = achievement::create(
        pool,
        &admin().require()?,
        issuer.id,
        &achievement_input("SQL Pro"),
        achievement::Status::Active,
    )
    .await?;
    Ok(World {
        kek,
        signer,
        cache: Cache::disabled(),
        issuer,
        achievement,
    })
}
