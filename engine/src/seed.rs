//! Demo data for a fresh installation: one issuer with a signing key and one achievement.
//! Fixed ids make it idempotent — running it on every start-up changes nothing the second time.

use sqlx::PgPool;
use uuid::{Uuid, uuid};

use crate::achievement::{self, AchievementInput};
use crate::audit::{self, Actor, Entity};
use crate::error::Result;
use crate::issuer::{self, IssuerInput};
use crate::signing_key::{self, KeyEncryptionKey};

/// Id of the demo issuer.
pub const DEMO_ISSUER_ID: Uuid = uuid!("0192f000-0000-7000-8000-000000000001");
/// Id of the demo achievement.
pub const DEMO_ACHIEVEMENT_ID: Uuid = uuid!("0192f000-0000-7000-8000-000000000002");

/// What [`demo`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    /// The issuer was created now.
    pub issuer_created: bool,
    /// A signing key was created now.
    pub key_created: bool,
    /// The achievement was created now.
    pub achievement_created: bool,
}

/// Creates the demo issuer (with an active signing key) and achievement when missing.
/// Safe to run concurrently from several instances: inserts are `on conflict do nothing`
/// and the issuer row is locked while its key is checked.
pub async fn demo(pool: &PgPool, kek: &KeyEncryptionKey) -> Result<SeedReport> {
    let actor = Actor::system("system:seed");
    let mut report = SeedReport::default();
    let mut tx = pool.begin().await?;
    let issuer_input = IssuerInput {
        name: "Badge Engine Demo Issuer".into(),
        url: Some("https://example.org/".into()),
        email: Some("badges@example.org".into()),
        description: Some("An example issuer created on first start; edit or replace it.".into()),
        ..IssuerInput::default()
    };
    let inserted = sqlx::query_scalar!(
        r#"insert into issuers (id, name, url, email, description) values ($1, $2, $3, $4, $5)
           on conflict (id) do nothing returning id"#,
        DEMO_ISSUER_ID,
        issuer_input.name,
        issuer_input.url,
        issuer_input.email,
        issuer_input.description
    )
    .fetch_optional(&mut *tx)
    .await?;
    if inserted.is_some() {
        report.issuer_created = true;
        let created = issuer::get_conn(&mut tx, DEMO_ISSUER_ID).await?;
        audit::record(
            &mut tx,
            &actor,
            "issuer.create",
            Entity::new("issuer", DEMO_ISSUER_ID),
            None,
            audit::snapshot(&created),
        )
        .await?;
    }
    sqlx::query_scalar!(
        "select id from issuers where id = $1 for update",
        DEMO_ISSUER_ID
    )
    .fetch_one(&mut *tx)
    .await?;
    let has_key = sqlx::query_scalar!(
        r#"select exists (select 1 from signing_keys where issuer_id = $1 and retired_at is null) as "e!""#,
        DEMO_ISSUER_ID
    )
    .fetch_one(&mut *tx)
    .await?;
    if !has_key {
        let info = signing_key::generate_conn(&mut tx, kek, DEMO_ISSUER_ID).await?;
        report.key_created = true;
        audit::record(
            &mut tx,
            &actor,
            "issuer.rotate_key",
            Entity::new("issuer", DEMO_ISSUER_ID),
            None,
            audit::snapshot(&info),
        )
        .await?;
    }
    let exists = sqlx::query_scalar!(
        r#"select exists (select 1 from achievements where id = $1) as "e!""#,
        DEMO_ACHIEVEMENT_ID
    )
    .fetch_one(&mut *tx)
    .await?;
    if !exists {
        let input = AchievementInput {
            name: "Badge Engine Explorer".into(),
            description: "Awarded for exploring Badge Engine, the Open Badges 3.0 issuer.".into(),
            achievement_type: Some("Badge".into()),
            criteria_narrative: Some("Sign in to Badge Engine and look around.".into()),
            tags: vec!["demo".into()],
            ..AchievementInput::default()
        };
        achievement::edit::insert_conn(
            &mut tx,
            DEMO_ACHIEVEMENT_ID,
            DEMO_ISSUER_ID,
            &input,
            None,
            achievement::Status::Active,
        )
        .await?;
        report.achievement_created = true;
        let created = achievement::get_conn(&mut tx, DEMO_ACHIEVEMENT_ID).await?;
        audit::record(
            &mut tx,
            &actor,
            "achievement.create",
            Entity::new("achievement", DEMO_ACHIEVEMENT_ID),
            None,
            audit::snapshot(&created),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(report)
}
