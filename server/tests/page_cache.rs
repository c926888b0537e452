//! The public page cache through the whole app: a visitor's second request for a public page
//! is served from the cache (brotli, a hash-based script policy that matches the page's inline
//! scripts, an ETag that revalidates to 304); signed-in viewers are never served from it; and
//! every write that changes what the page shows (privacy, issuer rename, revoke, another
//! award) is seen on the next request — in the same process at once, in another instance
//! sharing the Redis within the in-process freshness window.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod app_support;

use std::time::{Duration, Instant};

use app_support::{Answer, admin, get};
use base64::Engine as _;
use http::{StatusCode, header};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

trait CacheHeaders {
    fn cache(&self) -> &str;
    fn csp(&self) -> &str;
}

impl CacheHeaders for Answer {
    fn cache(&self) -> &str {
        self.headers
            .get("x-page-cache")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    fn csp(&self) -> &str {
        self.headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// Asks until the page comes from the cache (the first render stores it in the background).
async fn cached(app: &axum::Router, path: &str) -> Answer {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let a = get(app, path, &[("accept-encoding", "gzip, br")]).await;
        if a.cache() == "hit" || Instant::now() > deadline {
            return a;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The text of each inline script, as the browser hashes it.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let open_end = after.find('>').expect("tag end");
        let tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let close = body.find("</script>").expect("closed");
        if !tag.contains(" src=") {
            out.push(&body[..close]);
        }
        rest = &body[close..];
    }
    out
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn public_pages_are_cached_for_visitors_and_fresh_after_writes(
    pool: PgPool,
) -> anyhow::Result<()> {
    let state = app_support::state(&pool, app_support::BASE, &[]).await;
    let app = server::app(state.clone());
    let s = &state.services;
    let admin = admin();
    let (issuer, achievement) = app_support::issuer_with_achievement(
        &state,
        "Cache Academy",
        engine::issuer::DidMethod::Key,
        None,
        "Caching",
    )
    .await;
    let credential =
        app_support::award(&state, achievement.id, "Ada Lovelace", "ada@example.org").await;
    let ada = app_support::earner(&state, "ada@example.org", "Ada Lovelace").await;
    sqlx::query("insert into user_emails (user_id, email) values ($1, $2) on conflict do nothing")
        .bind(ada.id)
        .bind("ada@example.org")
        .execute(&pool)
        .await?;
    engine::award::claim::set_visibility(&pool, &s.cache, &ada, credential.id, true, false).await?;
    let page = format!("/credentials/{}", credential.id);

    // First visit renders, with this request's nonce.
    let first = get(&app, &page, &[]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.cache(), "miss");
    assert!(first.csp().contains("'nonce-"), "{}", first.csp());
    assert!(first.html.contains("Ada Lovelace"));

    // Then from the cache: compressed, no nonce, every inline script allowed by its hash.
    let hit = cached(&app, &page).await;
    assert_eq!(hit.cache(), "hit");
    assert_eq!(hit.status, StatusCode::OK);
    assert_eq!(hit.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(hit.headers[header::CACHE_CONTROL], "no-cache");
    assert_eq!(hit.headers[header::X_FRAME_OPTIONS], "DENY");
    assert!(hit.html.contains("Ada Lovelace"));
    assert!(!hit.csp().contains("'nonce-"), "{}", hit.csp());
    let scripts = inline_scripts(&hit.html);
    assert!(
        !scripts.is_empty(),
        "the page hydrates through inline scripts"
    );
    for script in scripts {
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
        assert!(
            hit.csp().contains(&format!("'sha256-{hash}'")),
            "script not allowed by {}: {script}",
            hit.csp()
        );
    }
    let gz = get(&app, &page, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(gz.html, hit.html);
    let plain = get(&app, &page, &[]).await;
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(plain.html, hit.html);

    // Revalidation answers 304 without a body.
    let etag = hit.headers[header::ETAG].to_str()?.to_owned();
    let again = get(&app, &page, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.html.is_empty());

    // A viewer with a session is rendered afresh, never served the visitors' copy.
    let signed_in = get(&app, &page, &[("cookie", "badge_engine_session=someone")]).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert_eq!(signed_in.cache(), "", "bypassed");

    // The earner hides the badge: strangers get the 404 at once, not the cached page.
    engine::award::claim::set_visibility(&pool, &s.cache, &ada, credential.id, false, false)
        .await?;
    assert_eq!(get(&app, &page, &[]).await.status, StatusCode::NOT_FOUND);
    // Public again, without the name.
    engine::award::claim::set_visibility(&pool, &s.cache, &ada, credential.id, true, true).await?;
    let hidden = get(&app, &page, &[]).await;
    assert_eq!(hidden.status, StatusCode::OK);
    assert!(!hidden.html.contains("Ada Lovelace"));
    assert!(cached(&app, &page).await.cache() == "hit");

    // The issuer is renamed: the credential page shows the new name (the signed credential
    // it embeds keeps the name it was issued under).
    engine::issuer::update(
        &pool,
        &s.cache,
        &admin.require()?,
        issuer.id,
        issuer.version,
        &engine::issuer::IssuerInput {
            name: "Renamed Academy".into(),
            url: Some("https://example.org".into()),
            ..Default::default()
        },
    )
    .await?;
    let renamed = get(&app, &page, &[]).await;
    assert!(renamed.html.contains("Renamed Academy"));

    // Revoked: the page says so.
    cached(&app, &page).await;
    engine::award::revoke(
        &pool,
        &s.cache,
        &admin.require()?,
        credential.id,
        "issued in error",
    )
    .await?;
    assert!(
        get(&app, &page, &[])
            .await
            .html
            .contains("This credential was revoked")
    );

    // Another instance sharing Redis and the database: its write reaches this one's
    // in-process copy within the freshness window.
    let achievement_page = format!("/achievements/{}", achievement.id);
    let before = cached(&app, &achievement_page).await;
    assert_eq!(before.cache(), "hit");
    let other = app_support::state(&pool, app_support::BASE, &[]).await;
    app_support::award(&other, achievement.id, "Alan Turing", "alan@example.org").await;
    tokio::time::sleep(server::public::page_cache::LOCAL_FRESH + Duration::from_millis(100)).await;
    let after = get(&app, &achievement_page, &[]).await;
    assert_eq!(after.cache(), "miss", "the other instance's award was seen");
    assert_ne!(after.html, before.html);
    Ok(())
}
