//! Awards signed by the real `openbadges` signer verify with `openbadges`' verifier, carry the
//! stored identity hash and status entry, and revocation is visible in the status list bits.

mod common;

use common::admin;
use engine::achievement::{self, AchievementInput, Alignment, ResultDescription, RubricLevel};
use engine::award::{self, NewAward};
use engine::issuer::{self, IssuerInput};
use engine::signer::{OpenBadgesSigner, signed_status_list};
use engine::signing_key::KeyEncryptionKey;
use openbadges::verify::{VerifyOptions, verify};
use sqlx::PgPool;

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn real_credentials_verify(pool: PgPool) -> anyhow::Result<()> {
    let kek = KeyEncryptionKey::generate();
    let iss = issuer::create(
        &pool,
        &admin().require()?,
        &kek,
        &IssuerInput {
            name: "Example University".into(),
            url: Some("https://uni.example".into()),
            email: Some("badges@uni.example".into()),
            description: Some("Issues badges".into()),
            address: Some(serde_json::json!({ "addressCountry": "NL", "addressLocality": "Delft", "bogus": 1 })),
            ..IssuerInput::default()
        },
    )
    .await?;
    let ach = achievement::create(
        &pool,
        &admin().require()?,
        iss.id,
        &AchievementInput {
            name: "Data Modelling".into(),
            description: "Designs relational schemas".into(),
            achievement_type: Some("Competency".into()),
            criteria_narrative: Some("Pass the **exam**.".into()),
            image: Some("https://uni.example/badge.png".into()),
            image_caption: Some("A badge".into()),
            tags: vec!["sql".into()],
            valid_for_days: Some(30),
            credits_available: Some(2.5),
            human_code: Some("DM-101".into()),
            alignments: vec![Alignment {
                target_name: "Databases".into(),
                target_url: "https://example.org/frameworks/db".into(),
                target_type: Some("CFItem".into()),
                ..Alignment::default()
            }],
            result_descriptions: vec![ResultDescription {
                name: "Grade".into(),
                result_type: "RubricCriterion".into(),
                required_level: Some(0),
                levels: vec![RubricLevel {
                    name: "Pass".into(),
                    points: Some("1".into()),
                    ..RubricLevel::default()
                }],
                ..ResultDescription::default()
            }],
            ..AchievementInput::default()
        },
    )
    .await?;
    let signer = OpenBadgesSigner::new("https://badges.example/")?;
    let c = award::award(
        &pool,
        &admin().require()?,
        &kek,
        &signer,
        &NewAward {
            achievement_id: ach.id,
            recipient_name: "Ann Example".into(),
            recipient_email: "Ann@Example.org".into(),
            ..NewAward::default()
        },
    )
    .await?;
    let report = verify(&c.credential, &VerifyOptions::at(chrono::Utc::now()));
    assert!(report.is_valid(), "{report:#?}\n{:#}", c.credential);
    let subject = &c.credential["credentialSubject"];
    assert_eq!(
        subject["identifier"][0]["identityHash"],
        c.identity_hash.as_str()
    );
    assert_eq!(
        c.credential["issuer"]["id"],
        iss.did.clone().unwrap_or_default().as_str()
    );
    assert_eq!(
        c.credential["credentialStatus"]["statusListCredential"],
        signer
            .status_list_url(c.status_list_id.expect("list"))
            .as_str()
    );
    assert_eq!(
        subject["achievement"]["id"],
        signer.achievement_url(ach.id).as_str()
    );
    assert!(c.credential["issuer"]["address"].get("bogus").is_none());
    assert!(matches!(
        OpenBadgesSigner::new("ftp://x"),
        Err(engine::Error::Invalid { .. })
    ));

    // The status list is served signed by the credential's key; revocation flips the bit.
    let cache = engine::cache::Cache::disabled();
    let list_id = c.status_list_id.expect("list");
    let options = VerifyOptions {
        validate_structure: false,
        ..VerifyOptions::at(chrono::Utc::now())
    };
    let vc = signed_status_list(&pool, &cache, &kek, &signer, list_id).await?;
    assert!(verify(&vc, &options).is_valid(), "{vc:#}");
    assert_eq!(vc["issuer"], c.credential["issuer"]["id"]);
    assert!(!openbadges::status_list::is_set(&c.credential, &vc)?);
    award::revoke(&pool, &cache, &admin().require()?, c.id, "test").await?;
    let vc = signed_status_list(&pool, &cache, &kek, &signer, list_id).await?;
    assert!(openbadges::status_list::is_set(&c.credential, &vc)?);
    // After a key rotation the old list keeps the old key; new awards go to a new list.
    engine::signing_key::rotate(&pool, &admin().require()?, &kek, iss.id).await?;
    let vc = signed_status_list(&pool, &cache, &kek, &signer, list_id).await?;
    assert_eq!(vc["issuer"], c.credential["issuer"]["id"]);
    let d = award::award(
        &pool,
        &admin().require()?,
        &kek,
        &signer,
        &NewAward {
            achievement_id: ach.id,
            recipient_name: "Bo".into(),
            recipient_email: "bo@example.org".into(),
            ..NewAward::default()
        },
    )
    .await?;
    assert_ne!(d.status_list_id, Some(list_id));
    assert_ne!(d.credential["issuer"]["id"], c.credential["issuer"]["id"]);
    let vc2 = signed_status_list(
        &pool,
        &cache,
        &kek,
        &signer,
        d.status_list_id.expect("list"),
    )
    .await?;
    assert_eq!(vc2["issuer"], d.credential["issuer"]["id"]);
    assert!(verify(&d.credential, &VerifyOptions::at(chrono::Utc::now())).is_valid());
    Ok(())
}
