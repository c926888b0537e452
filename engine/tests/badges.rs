//! Issuers, signing keys, achievements, awards, revocation, status lists, history search,
//! seed, stats and jobs.

mod common;

use common::{BrokenSigner, FakeSigner, admin, make_user};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use engine::Error;
use engine::achievement::{self, AchievementInput, Alignment, ResultDescription, RubricLevel};
use engine::audit::{self, Actor, Entity};
use engine::award::{self, HistoryQuery, NewAward};
use engine::cache::Cache;
use engine::issuer::{self, IssuerInput};
use engine::page::PageRequest;
use engine::rbac::can;
use engine::signing_key::{self, KeyEncryptionKey};
use engine::{job, seed, stats, status_list};
use sqlx::PgPool;
use uuid::Uuid;

fn issuer_input(name: &str) -> IssuerInput {
    IssuerInput {
        name: name.into(),
        url: Some("https://example.org".into()),
        email: Some("badges@example.org".into()),
        address: Some(serde_json::json!({ "addressCountry": "NL" })),
        ..IssuerInput::default()
    }
}

fn achievement_input(name: &str) -> AchievementInput {
    AchievementInput {
        name: name.into(),
        description: "d".into(),
        achievement_type: Some("Certificate".into()),
        criteria_narrative: Some("Pass the exam".into()),
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

struct World {
    kek: KeyEncryptionKey,
    issuer: issuer::Issuer,
    achievement: achievement::Achievement,
}

async fn world(pool: &PgPool) -> anyhow::Result<World> {
    let kek = KeyEncryptionKey::generate();
    let issuer = issuer::create(pool, &admin().require()?, &kek, &issuer_input("Acme")).await?;
    let achievement = achievement::create(
        pool,
        &admin().require()?,
        issuer.id,
        &achievement_input("SQL Pro"),
    )
    .await?;
    Ok(World {
        kek,
        issuer,
        achievement,
    })
}

fn new_award(w: &World, name: &str) -> NewAward {
    NewAward {
        achievement_id: w.achievement.id,
        recipient_name: name.into(),
        recipient_email: format!("{}@example.org", name.to_lowercase()),
        ..NewAward::default()
    }
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn issuer_gets_an_encrypted_key_that_signs(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let key = signing_key::active(&pool, w.issuer.id)
        .await?
        .expect("active key");
    assert_eq!(w.issuer.did.as_deref(), Some(key.did().as_str()));
    assert!(key.public_key_multibase.starts_with("z6Mk"));
    assert_eq!(key.kek_id, w.kek.id());
    // The secret at rest is not the plain key.
    let mut conn = pool.acquire().await?;
    let loaded = signing_key::load_active(&mut conn, &w.kek, w.issuer.id).await?;
    let stored = sqlx::query_scalar!(
        "select encrypted_secret from signing_keys where id = $1",
        key.id
    )
    .fetch_one(&pool)
    .await?;
    assert!(
        !stored
            .windows(32)
            .any(|win| win == loaded.secret.as_bytes())
    );
    // A different KEK cannot open it: refuse rather than sign with garbage.
    let other = KeyEncryptionKey::generate();
    assert!(matches!(
        signing_key::load_active(&mut conn, &other, w.issuer.id).await,
        Err(Error::Unavailable { .. })
    ));
    // Rotation retires the old key, keeps one active, updates the DID.
    let auth = admin().require::<can::ManageIssuers>()?;
    let new = signing_key::rotate(&pool, &auth, &w.kek, w.issuer.id).await?;
    assert_ne!(new.id, key.id);
    let keys = signing_key::list(&pool, w.issuer.id).await?;
    assert_eq!(keys.iter().filter(|k| k.retired_at.is_none()).count(), 1);
    assert_eq!(issuer::get(&pool, w.issuer.id).await?.did, Some(new.did()));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn kek_rotation_rewraps_every_secret(pool: PgPool) -> anyhow::Result<()> {
    let old_hex = "11".repeat(32);
    let old = KeyEncryptionKey::parse(&old_hex)?;
    let auth = admin().require::<can::ManageIssuers>()?;
    let a = issuer::create(&pool, &auth, &old, &issuer_input("A")).await?;
    issuer::create(&pool, &auth, &old, &issuer_input("B")).await?;
    let new = KeyEncryptionKey::parse(&"22".repeat(32))?.with_previous(&old_hex)?;
    assert_eq!(signing_key::rewrap_all(&pool, &new).await?, 2);
    assert_eq!(signing_key::rewrap_all(&pool, &new).await?, 0);
    let only_new = KeyEncryptionKey::parse(&"22".repeat(32))?;
    let mut conn = pool.acquire().await?;
    signing_key::load_active(&mut conn, &only_new, a.id).await?;
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn issuer_updates_are_versioned_and_cycles_refused(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::ManageIssuers>()?;
    let cache = Cache::disabled();
    let parent = issuer::create(&pool, &auth, &w.kek, &issuer_input("Parent")).await?;
    let mut input = issuer_input("Acme Renamed");
    input.parent_id = Some(parent.id);
    let v = w.issuer.version;
    let updated = issuer::update(&pool, &cache, &auth, w.issuer.id, v, &input).await?;
    assert_eq!(
        (updated.name.as_str(), updated.parent_id),
        ("Acme Renamed", Some(parent.id))
    );
    assert!(matches!(
        issuer::update(&pool, &cache, &auth, w.issuer.id, v, &input).await,
        Err(Error::Stale)
    ));
    let mut cyc = issuer_input("Parent");
    cyc.parent_id = Some(w.issuer.id);
    let e = issuer::update(&pool, &cache, &auth, parent.id, parent.version, &cyc)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "parent_id"),
        "{e:?}"
    );
    let e = issuer::create(
        &pool,
        &auth,
        &w.kek,
        &IssuerInput {
            name: " ".into(),
            ..IssuerInput::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "name"));
    // An issuer with achievements cannot be deleted; a bare one can (its keys go with it).
    let e = issuer::delete(&pool, &cache, &auth, w.issuer.id)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "issuer_id"),
        "{e:?}"
    );
    let lonely = issuer::create(&pool, &auth, &w.kek, &issuer_input("Lonely")).await?;
    issuer::delete(&pool, &cache, &auth, lonely.id).await?;
    assert!(signing_key::list(&pool, lonely.id).await?.is_empty());
    assert_eq!(issuer::list(&pool).await?.len(), 2);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn achievements_round_trip_with_children(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::ManageAchievements>()?;
    let got = achievement::get(&pool, w.achievement.id).await?;
    assert_eq!(got.fields.result_descriptions[0].required_level, Some(1));
    assert_eq!(got.fields.result_descriptions[0].levels[1].name, "Expert");
    assert_eq!(got.fields.credits_available, Some(2.5));
    assert_eq!(got.fields.valid_for_days, Some(365));
    let mut input = got.fields.clone();
    input.alignments.clear();
    input.name = "SQL Master".into();
    input.achievement_type = Some("ext:Mastery".into());
    let updated = achievement::update(&pool, &auth, got.id, got.version, &input).await?;
    assert!(updated.fields.alignments.is_empty());
    assert_eq!(updated.fields.result_descriptions.len(), 1);
    assert!(matches!(
        achievement::update(&pool, &auth, got.id, got.version, &input).await,
        Err(Error::Stale)
    ));
    let mut bad = achievement_input("x");
    bad.achievement_type = Some("Trophy".into());
    let e = achievement::create(&pool, &auth, w.issuer.id, &bad)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "achievement_type"),
        "{e:?}"
    );
    let mut bad = achievement_input("x");
    bad.criteria_narrative = None;
    let e = achievement::create(&pool, &auth, w.issuer.id, &bad)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "criteria"),
        "{e:?}"
    );
    let e = achievement::create(&pool, &auth, Uuid::now_v7(), &achievement_input("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "issuer_id"),
        "{e:?}"
    );
    let second =
        achievement::create(&pool, &auth, w.issuer.id, &achievement_input("Alpha")).await?;
    let list = achievement::list_for_issuer(&pool, w.issuer.id).await?;
    assert_eq!(
        list.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        ["Alpha", "SQL Master"]
    );
    achievement::delete(&pool, &auth, second.id).await?;
    assert!(matches!(
        achievement::get(&pool, second.id).await,
        Err(Error::NotFound { .. })
    ));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn award_signs_stores_and_audits(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let ann = make_user(&pool, "ann").await?;
    let auth = admin().require::<can::Award>()?;
    let c = award::award(&pool, &auth, &w.kek, &FakeSigner, &new_award(&w, "Ann")).await?;
    // Linked to the user with that e-mail; identity hash reproducible from e-mail + salt.
    assert_eq!(c.recipient_user_id, Some(ann.id));
    assert_eq!(
        c.identity_hash,
        award::identity_hash("ann@example.org", &c.identity_salt)
    );
    assert_eq!((c.status_list_index, c.issuer_id), (Some(0), w.issuer.id));
    assert!(
        c.valid_until
            .is_some_and(|v| (v - c.issued_at).num_days() == 365)
    );
    // The signature verifies against the issuer's public key: the right key was decrypted.
    let key = signing_key::active(&pool, w.issuer.id).await?.expect("key");
    let raw = openbadges::keys::PublicKey::from_multibase(&key.public_key_multibase)?.to_bytes();
    let vk = VerifyingKey::from_bytes(&raw)?;
    let sig: Vec<u8> = serde_json::from_value(c.credential["proof"]["signature"].clone())?;
    vk.verify(c.id.as_bytes(), &Signature::from_slice(&sig)?)?;
    let log = audit::list(
        &pool,
        &admin().require()?,
        Some(Entity::new("credential", c.id)),
        5,
        0,
    )
    .await?;
    assert_eq!(log[0].action, "credential.award");
    // Next award takes the next index.
    let d = award::award(&pool, &auth, &w.kek, &FakeSigner, &new_award(&w, "Dan")).await?;
    assert_eq!(d.status_list_index, Some(1));
    assert_eq!(d.recipient_user_id, None);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn failed_awards_leave_nothing_behind(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::Award>()?;
    let audit_before = audit::list(&pool, &admin().require()?, None, 500, 0)
        .await?
        .len();
    let many = vec![new_award(&w, "Ann"), new_award(&w, "Bea")];
    assert!(matches!(
        award::award_many(&pool, &auth, &w.kek, &BrokenSigner, &many).await,
        Err(Error::Internal(_))
    ));
    let mut bad = many.clone();
    bad[1].recipient_email = "nope".into();
    assert!(matches!(
        award::award_many(&pool, &auth, &w.kek, &FakeSigner, &bad).await,
        Err(Error::Invalid { .. })
    ));
    let mut unknown = many.clone();
    unknown[1].achievement_id = Uuid::now_v7();
    assert!(matches!(
        award::award_many(&pool, &auth, &w.kek, &FakeSigner, &unknown).await,
        Err(Error::NotFound {
            entity: "achievement"
        })
    ));
    assert_eq!(stats::overview(&pool).await?.credentials, 0);
    assert_eq!(
        audit::list(&pool, &admin().require()?, None, 500, 0)
            .await?
            .len(),
        audit_before
    );
    let ok = award::award_many(&pool, &auth, &w.kek, &FakeSigner, &many).await?;
    assert_eq!(ok.len(), 2);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn revoke_sets_the_status_bit_once(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let cache = Cache::disabled();
    let a = admin();
    let awarded = award::award_many(
        &pool,
        &a.require()?,
        &w.kek,
        &FakeSigner,
        &[
            new_award(&w, "A"),
            new_award(&w, "B"),
            new_award(&w, "C"),
            new_award(&w, "D"),
            new_award(&w, "E"),
            new_award(&w, "F"),
            new_award(&w, "G"),
            new_award(&w, "H"),
            new_award(&w, "I"),
            new_award(&w, "J"),
        ],
    )
    .await?;
    let target = &awarded[9];
    let revoked = award::revoke(&pool, &cache, &a.require()?, target.id, "issued in error").await?;
    assert_eq!(
        revoked.revocation_reason.as_deref(),
        Some("issued in error")
    );
    let list = status_list::get(&pool, target.status_list_id.expect("list")).await?;
    assert_eq!(list.size, status_list::LIST_SIZE);
    assert!(list.is_set(9));
    assert!((0..9).all(|i| !list.is_set(i)));
    // Bit 9 = second byte, second-most-significant bit (spec order).
    assert_eq!(list.bitstring[1], 0b0100_0000);
    let e = award::revoke(&pool, &cache, &a.require()?, target.id, "again")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict { ref field } if field == "revoked_at"));
    assert!(matches!(
        award::revoke(&pool, &cache, &a.require()?, Uuid::now_v7(), "x").await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        award::revoke(&pool, &cache, &a.require()?, awarded[0].id, " ").await,
        Err(Error::Invalid { .. })
    ));
    let view = award::public_view(&pool, &cache, target.id).await?;
    assert!(view.revoked_at.is_some());
    assert_eq!(view.issuer_name, "Acme");
    // Awarded achievements cannot be deleted.
    let e = achievement::delete(&pool, &a.require()?, w.achievement.id)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "achievement_id"),
        "{e:?}"
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn history_search_claim_and_resend(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let a = admin();
    let mut awards = Vec::new();
    for (i, name) in ["Ann Smith", "Bob Smithers", "Cy Jones", "Dee 100%_off"]
        .iter()
        .enumerate()
    {
        let mut n = new_award(&w, name);
        n.recipient_email = format!("user{i}@example.org");
        n.issued_at = Some(chrono::Utc::now() - chrono::Duration::minutes(10 - i as i64));
        awards.push(n);
    }
    award::award_many(&pool, &a.require()?, &w.kek, &FakeSigner, &awards).await?;
    let search = |text: &str| HistoryQuery {
        text: Some(text.into()),
        page: PageRequest {
            offset: 0,
            limit: 10,
        },
        ..HistoryQuery::default()
    };
    let names = |p: &award::HistoryPage| {
        p.items
            .iter()
            .map(|c| c.recipient_name.clone())
            .collect::<Vec<_>>()
    };
    // Case-insensitive substring of name, newest first.
    assert_eq!(
        names(&award::search_history(&pool, &search("SMITH")).await?),
        ["Bob Smithers", "Ann Smith"]
    );
    // Substring of e-mail.
    assert_eq!(
        names(&award::search_history(&pool, &search("USER2@")).await?),
        ["Cy Jones"]
    );
    // Wildcards are literal.
    assert_eq!(
        names(&award::search_history(&pool, &search("100%_")).await?),
        ["Dee 100%_off"]
    );
    assert_eq!(
        award::search_history(&pool, &search("%_o"))
            .await?
            .items
            .len(),
        1
    );
    // Too short for the trigram index: refused instead of scanning every award.
    let e = award::search_history(&pool, &search("ab"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "text"));
    // Paging without a query.
    let page = award::search_history(
        &pool,
        &HistoryQuery {
            page: PageRequest {
                offset: 0,
                limit: 3,
            },
            issuer_id: Some(w.issuer.id),
            ..HistoryQuery::default()
        },
    )
    .await?;
    assert_eq!((page.items.len(), page.has_more), (3, true));
    assert_eq!(page.items[0].recipient_name, "Dee 100%_off");
    // The earner claims theirs; someone else cannot.
    let mut ann_input = common::user_input("ann");
    ann_input.email = Some("USER0@example.org".into());
    let ann = engine::user::create(&pool, &a.require()?, &ann_input).await?;
    let mine = award::list_for_user(&pool, &ann).await?;
    assert_eq!(mine.len(), 1);
    let cache = Cache::disabled();
    let claimed = award::claim(&pool, &cache, mine[0].id, &ann).await?;
    assert!(claimed.claimed_at.is_some() && claimed.recipient_user_id == Some(ann.id));
    let bob = make_user(&pool, "bob").await?;
    assert!(matches!(
        award::claim(&pool, &cache, mine[0].id, &bob).await,
        Err(Error::NotFound { .. })
    ));
    award::record_resend(&pool, &a.require()?, mine[0].id).await?;
    let log = audit::list(
        &pool,
        &a.require()?,
        Some(Entity::new("credential", mine[0].id)),
        10,
        0,
    )
    .await?;
    assert_eq!(
        log.iter().map(|l| l.action.as_str()).collect::<Vec<_>>(),
        ["credential.resend", "credential.claim", "credential.award"]
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn status_lists_roll_over_when_full(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let first = award::award(
        &pool,
        &admin().require()?,
        &w.kek,
        &FakeSigner,
        &new_award(&w, "A"),
    )
    .await?;
    let list = first.status_list_id.expect("list");
    sqlx::query!(
        "update status_lists set next_index = size where id = $1",
        list
    )
    .execute(&pool)
    .await?;
    let second = award::award(
        &pool,
        &admin().require()?,
        &w.kek,
        &FakeSigner,
        &new_award(&w, "B"),
    )
    .await?;
    assert_ne!(second.status_list_id, Some(list));
    assert_eq!(second.status_list_index, Some(0));
    assert_eq!(
        status_list::list_for_issuer(&pool, w.issuer.id)
            .await?
            .len(),
        2
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn import_keeps_bytes_and_is_rerunnable(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let item = award::ImportedCredential {
        id: Uuid::now_v7(),
        achievement_id: w.achievement.id,
        recipient_name: "Old".into(),
        recipient_email: "old@example.org".into(),
        identity_hash: award::identity_hash("old@example.org", "s"),
        identity_salt: "s".into(),
        credential: serde_json::json!({ "id": "https://old.example/1", "proof": { "proofValue": "z1" } }),
        issued_at: chrono::Utc::now(),
        claimed_at: None,
        revoked_at: None,
        revocation_reason: None,
    };
    let auth = admin().require::<can::Award>()?;
    assert_eq!(
        award::import(&pool, &auth, std::slice::from_ref(&item)).await?,
        1
    );
    assert_eq!(
        award::import(&pool, &auth, std::slice::from_ref(&item)).await?,
        0
    );
    assert_eq!(
        award::get(&pool, item.id).await?.credential,
        item.credential
    );
    let mut bad = item.clone();
    bad.id = Uuid::now_v7();
    bad.achievement_id = Uuid::now_v7();
    assert!(matches!(
        award::import(&pool, &auth, &[bad]).await,
        Err(Error::Invalid { .. })
    ));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn seed_is_idempotent_and_stats_count(pool: PgPool) -> anyhow::Result<()> {
    let kek = KeyEncryptionKey::generate();
    let first = seed::demo(&pool, &kek).await?;
    assert!(first.issuer_created && first.key_created && first.achievement_created);
    let again = seed::demo(&pool, &kek).await?;
    assert_eq!(again, seed::SeedReport::default());
    // Concurrent seeding from two instances is harmless too.
    let (a, b) = tokio::join!(seed::demo(&pool, &kek), seed::demo(&pool, &kek));
    a?;
    b?;
    let s = stats::overview(&pool).await?;
    assert_eq!((s.issuers, s.achievements, s.credentials), (1, 1, 0));
    assert_eq!(
        signing_key::list(&pool, seed::DEMO_ISSUER_ID).await?.len(),
        1
    );
    let c = award::award(
        &pool,
        &admin().require()?,
        &kek,
        &FakeSigner,
        &NewAward {
            achievement_id: seed::DEMO_ACHIEVEMENT_ID,
            recipient_name: "Demo".into(),
            recipient_email: "demo@example.org".into(),
            ..NewAward::default()
        },
    )
    .await?;
    assert_eq!(c.issuer_id, seed::DEMO_ISSUER_ID);
    assert_eq!(stats::overview(&pool).await?.credentials, 1);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn jobs_claim_progress_and_retry(pool: PgPool) -> anyhow::Result<()> {
    let actor = Actor::system("test");
    let j = job::enqueue(
        &pool,
        &actor,
        "bulk_award",
        &serde_json::json!({ "n": 3 }),
        Some(3),
    )
    .await?;
    assert_eq!(j.status, "queued");
    let claimed = job::claim_next(&pool, "w1", 60).await?.expect("job");
    assert_eq!((claimed.id, claimed.attempts), (j.id, 1));
    assert!(job::claim_next(&pool, "w2", 60).await?.is_none());
    job::progress(&pool, j.id, "w1", 2, 60).await?;
    assert!(matches!(
        job::progress(&pool, j.id, "w2", 3, 60).await,
        Err(Error::Stale)
    ));
    assert!(matches!(
        job::progress(&pool, j.id, "w1", 4, 60).await,
        Err(Error::Invalid { .. })
    ));
    let failed = job::finish(&pool, j.id, "w1", Err("smtp down".into())).await?;
    assert_eq!(
        (failed.status.as_str(), failed.error.as_deref()),
        ("queued", Some("smtp down"))
    );
    sqlx::query!("update jobs set run_after = now() where id = $1", j.id)
        .execute(&pool)
        .await?;
    job::claim_next(&pool, "w2", 60).await?.expect("retry");
    let done = job::finish(&pool, j.id, "w2", Ok(())).await?;
    assert_eq!(done.status, "succeeded");
    assert!(done.finished_at.is_some());
    assert_eq!(job::get(&pool, j.id).await?.progress_done, 2);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn migrations_are_rerunnable(pool: PgPool) -> anyhow::Result<()> {
    engine::MIGRATOR.run(&pool).await?;
    engine::MIGRATOR.run(&pool).await?;
    assert_eq!(engine::role::list(&pool).await?.len(), 4);
    Ok(())
}
