//! The browser bundle as `scripts/site-assets.mjs` lays it out: pages link the content-hashed
//! files named in `pkg/asset-version`, which are served precompressed and cached for a year;
//! files without a hash in their name are revalidated.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod app_support;

use axum::body::Body;
use http::{Request, StatusCode, header};
use sqlx::PgPool;
use tower::ServiceExt;

const VERSION: &str = "0123456789abcdef";

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn pages_link_hashed_assets_served_immutable_and_precompressed(
    pool: PgPool,
) -> anyhow::Result<()> {
    let site = std::env::temp_dir().join(format!("be-assets-{}", uuid::Uuid::new_v4()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg)?;
    std::fs::write(pkg.join("asset-version"), format!("{VERSION}\n"))?;
    for ext in ["js", "wasm", "css"] {
        let name = format!("badge-engine.{VERSION}.{ext}");
        std::fs::write(pkg.join(&name), format!("/* {ext} */"))?;
        std::fs::write(pkg.join(format!("{name}.br")), b"brotli bytes")?;
    }
    std::fs::write(pkg.join("badge-engine.css"), "/* plain */")?;
    let state = app_support::state(
        &pool,
        app_support::BASE,
        &[("SITE_ROOT", site.to_string_lossy().into_owned())],
    )
    .await;
    let app = server::app(state);

    let home = app
        .clone()
        .oneshot(Request::get("/").body(Body::empty())?)
        .await?;
    let html = String::from_utf8(
        axum::body::to_bytes(home.into_body(), 1 << 20)
            .await?
            .to_vec(),
    )?;
    for file in [
        format!("/pkg/badge-engine.{VERSION}.js"),
        format!("/pkg/badge-engine.{VERSION}.wasm"),
        format!("/pkg/badge-engine.{VERSION}.css"),
    ] {
        assert!(html.contains(&file), "{file} not linked from the page");
    }

    let wasm = app
        .clone()
        .oneshot(
            Request::get(format!("/pkg/badge-engine.{VERSION}.wasm"))
                .header(header::ACCEPT_ENCODING, "gzip, br")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(wasm.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(
        wasm.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        &axum::body::to_bytes(wasm.into_body(), 1 << 20).await?[..],
        b"brotli bytes"
    );

    let plain = app
        .clone()
        .oneshot(Request::get("/pkg/badge-engine.css").body(Body::empty())?)
        .await?;
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(plain.headers()[header::CACHE_CONTROL], "no-cache");

    let missing = app
        .oneshot(Request::get(format!("/pkg/badge-engine.{VERSION}.map")).body(Body::empty())?)
        .await?;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.headers().get(header::CACHE_CONTROL).is_none());
    std::fs::remove_dir_all(&site)?;
    Ok(())
}
