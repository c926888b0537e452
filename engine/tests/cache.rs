//! The Redis cache: hits, explicit invalidation on writes, and correctness without Redis.

mod common;

use common::{FakeSigner, admin};
use engine::award::{self, NewAward};
use engine::cache::{self, Cache};
use engine::issuer::{self, IssuerInput};
use engine::rbac::can;
use engine::signing_key::KeyEncryptionKey;
use engine::{achievement, status_list};
use sqlx::PgPool;

const REDIS: &str = "redis://127.0.0.1:6379";

async fn scenario(pool: &PgPool, cache: &Cache) -> anyhow::Result<()> {
    let kek = KeyEncryptionKey::generate();
    let iss = issuer::create(
        pool,
        &admin().require()?,
        &kek,
        &IssuerInput {
            name: "Cached".into(),
            ..IssuerInput::default()
        },
    )
    .await?;
    let ach = achievement::create(
        pool,
        &admin().require()?,
        iss.id,
        &achievement::AchievementInput {
            name: "A".into(),
            criteria_narrative: Some("n".into()),
            ..Default::default()
        },
    )
    .await?;
    let c = award::award(
        pool,
        &admin().require()?,
        &kek,
        &FakeSigner,
        &NewAward {
            achievement_id: ach.id,
            recipient_name: "R".into(),
            recipient_email: "r@example.org".into(),
            ..NewAward::default()
        },
    )
    .await?;
    // Warm the cache, then read again (served from Redis when connected).
    let v1 = award::public_view(pool, cache, c.id).await?;
    assert_eq!(award::public_view(pool, cache, c.id).await?, v1);
    let list_id = c.status_list_id.expect("list");
    let l1 = status_list::get_cached(pool, cache, list_id).await?;
    assert!(!l1.is_set(0));
    let i1 = issuer::get_cached(pool, cache, iss.id).await?;
    // Writes invalidate: the next reads see the change.
    award::revoke(
        pool,
        cache,
        &admin().require::<can::Revoke>()?,
        c.id,
        "oops",
    )
    .await?;
    assert!(
        award::public_view(pool, cache, c.id)
            .await?
            .revoked_at
            .is_some()
    );
    assert!(
        status_list::get_cached(pool, cache, list_id)
            .await?
            .is_set(0)
    );
    let input = IssuerInput {
        name: "Renamed".into(),
        ..IssuerInput::default()
    };
    issuer::update(pool, cache, &admin().require()?, iss.id, i1.version, &input).await?;
    assert_eq!(
        issuer::get_cached(pool, cache, iss.id).await?.name,
        "Renamed"
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn reads_are_cached_and_invalidated_with_redis(pool: PgPool) -> anyhow::Result<()> {
    let cache = Cache::connect(REDIS).await?;
    if !cache.is_connected() {
        eprintln!("redis not running at {REDIS}; skipping the connected half");
        return Ok(());
    }
    scenario(&pool, &cache).await?;
    // A value really is served from Redis: plant one and read it back.
    let id = uuid::Uuid::now_v7();
    let planted = issuer::Issuer {
        id,
        name: "From Redis".into(),
        url: None,
        email: None,
        description: None,
        phone: None,
        address: None,
        image: None,
        parent_id: None,
        did: None,
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
        version: 1,
    };
    cache
        .put_json(
            &cache::issuer_key(id),
            &planted,
            std::time::Duration::from_secs(5),
        )
        .await;
    assert_eq!(
        issuer::get_cached(&pool, &cache, id).await?.name,
        "From Redis"
    );
    cache.invalidate(&[cache::issuer_key(id)]).await;
    assert!(issuer::get_cached(&pool, &cache, id).await.is_err());
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn everything_works_without_redis(pool: PgPool) -> anyhow::Result<()> {
    scenario(&pool, &Cache::disabled()).await?;
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn a_dead_redis_is_slow_at_most_briefly_and_never_wrong(pool: PgPool) -> anyhow::Result<()> {
    // Nothing listens on port 1.
    let started = std::time::Instant::now();
    let cache = Cache::connect("redis://127.0.0.1:1").await?;
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    assert!(!cache.is_connected());
    let started = std::time::Instant::now();
    scenario(&pool, &cache).await?;
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(matches!(
        Cache::connect("not a url").await,
        Err(engine::Error::Invalid { .. })
    ));
    Ok(())
}
