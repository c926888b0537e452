//! The Redis cache: hits, explicit invalidation on writes, and correctness without Redis.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod common;

use common::admin;
use engine::award;
use engine::cache::{self, Cache};
use engine::issuer::{self, IssuerInput};
use engine::rbac::can;
use engine::{achievement, status_list};
use sqlx::PgPool;

const REDIS: &str = "redis://127.0.0.1:6379";

async fn scenario(pool: &PgPool, cache: &Cache) -> anyhow::Result<()> {
    let mut w = common::world(pool).await?;
    w.cache = cache.clone();
    let (_, c) = award::issue(pool, &admin().require()?, w.ctx(), &w.award("R")).await?;
    // Warm the cache, then read again (served from Redis when connected).
    let v1 = award::public::view(pool, cache, c.id).await?;
    assert_eq!(award::public::view(pool, cache, c.id).await?, v1);
    let list_id = c.status_list_id.expect("list");
    let l1 = status_list::get_cached(pool, cache, list_id).await?;
    assert!(!l1.is_set(0));
    let i1 = issuer::public_profile(pool, cache, w.issuer.id).await?;
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
        award::public::view(pool, cache, c.id)
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
    issuer::update(
        pool,
        cache,
        &admin().require()?,
        w.issuer.id,
        i1.version,
        &input,
    )
    .await?;
    assert_eq!(
        issuer::public_profile(pool, cache, w.issuer.id).await?.name,
        "Renamed"
    );
    let a1 = achievement::public(pool, cache, w.achievement.id).await?;
    let mut changed = a1.fields.clone();
    changed.name = "Renamed achievement".into();
    achievement::update(
        pool,
        cache,
        &admin().require()?,
        a1.id,
        a1.version,
        &changed,
    )
    .await?;
    assert_eq!(
        achievement::public(pool, cache, a1.id).await?.fields.name,
        "Renamed achievement"
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
        did_method: issuer::DidMethod::Key,
        other_identifiers: Vec::new(),
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
        issuer::public_profile(&pool, &cache, id).await?.name,
        "From Redis"
    );
    cache.invalidate(&[cache::issuer_key(id)]).await;
    assert!(issuer::public_profile(&pool, &cache, id).await.is_err());
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
