//! E-mail sign-in links for earners outside the tenant, through the whole app: the link is
//! only sent to an address with badges (the answer is the same either way), the mailed link
//! signs in once — a session row and an audit row saying how — and a second use is refused.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod app_support;

use axum::body::Body;
use http::{Request, StatusCode, header};
use sqlx::PgPool;
use tower::ServiceExt;

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn a_mailed_link_signs_in_once(pool: PgPool) -> anyhow::Result<()> {
    let outbox = std::env::temp_dir().join(format!("be-email-sign-in-{}", uuid::Uuid::new_v4()));
    let state = app_support::state(
        &pool,
        app_support::BASE,
        &[("OUTBOX_DIR", outbox.to_string_lossy().into_owned())],
    )
    .await;
    let app = server::app(state.clone());
    let s = &state.services;
    let (_, achievement) = app_support::issuer_with_achievement(
        &state,
        "Link Academy",
        engine::issuer::DidMethod::Key,
        None,
        "Outsider",
    )
    .await;
    app_support::award(&state, achievement.id, "Olga Outsider", "olga@example.net").await;

    // An address without badges gets the same answer and no mail.
    engine::earner::request_sign_in_link(
        &pool,
        &s.kek,
        s.signer.urls(),
        "nobody@example.net",
        "/me/badges",
        Default::default(),
    )
    .await?;
    assert!(
        app_support::mailed_sign_in_links(&state, &outbox)
            .await
            .is_empty()
    );

    // The awarded address, typed with other case and spaces.
    engine::earner::request_sign_in_link(
        &pool,
        &s.kek,
        s.signer.urls(),
        " Olga@Example.NET ",
        "/me/badges",
        Default::default(),
    )
    .await?;
    let links = app_support::mailed_sign_in_links(&state, &outbox).await;
    assert_eq!(links.len(), 1, "{links:?}");
    let path = links[0]
        .strip_prefix(app_support::BASE)
        .expect("an own URL")
        .to_owned();

    let get = |path: String| {
        let app = app.clone();
        async move {
            app.oneshot(Request::get(path).body(Body::empty()).expect("request"))
                .await
                .expect("response")
        }
    };
    let first = get(path.clone()).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        first
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/me/badges")
    );
    assert!(first.headers().contains_key(header::SET_COOKIE));
    let (sessions, method): (i64, Option<String>) = sqlx::query_as(
        r#"select (select count(*) from sessions s join users u on u.id = s.user_id
                    where lower(u.username) = 'olga@example.net' and s.revoked_at is null),
                  (select after ->> 'method' from audit_log where action = 'user.login')"#,
    )
    .fetch_one(&pool)
    .await?;
    assert_eq!((sessions, method.as_deref()), (1, Some("email_link")));

    let again = get(path).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(!again.headers().contains_key(header::SET_COOKIE));
    let _ = std::fs::remove_dir_all(&outbox);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn over_https_the_session_cookie_is_host_only_and_secure(pool: PgPool) -> anyhow::Result<()> {
    const HTTPS_BASE: &str = "https://badges.example.org";
    let outbox = std::env::temp_dir().join(format!("be-email-sign-in-{}", uuid::Uuid::new_v4()));
    let state = app_support::state(
        &pool,
        HTTPS_BASE,
        &[("OUTBOX_DIR", outbox.to_string_lossy().into_owned())],
    )
    .await;
    assert!(
        state.config.cookie_secure,
        "an https base means secure cookies"
    );
    let app = server::app(state.clone());
    let (_, achievement) = app_support::issuer_with_achievement(
        &state,
        "Cookie Academy",
        engine::issuer::DidMethod::Key,
        None,
        "Secure",
    )
    .await;
    app_support::award(&state, achievement.id, "Sam Secure", "sam@example.net").await;
    let signed_in = app_support::sign_in_with_mailed_link(
        &state,
        &app,
        &outbox,
        "sam@example.net",
        "/me/badges",
    )
    .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let cookie = signed_in
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    // `__Host-`: the browser keeps it only when Secure, Path=/ and without Domain, so no
    // sibling subdomain or plain-http page can plant or overwrite it.
    assert!(
        cookie.starts_with("__Host-badge_engine_session="),
        "{cookie}"
    );
    let attributes: Vec<String> = cookie
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    assert!(attributes.iter().any(|a| a == "secure"), "{cookie}");
    assert!(attributes.iter().any(|a| a == "path=/"), "{cookie}");
    assert!(
        !attributes.iter().any(|a| a.starts_with("domain=")),
        "{cookie}"
    );
    let _ = std::fs::remove_dir_all(&outbox);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn activity_renews_the_idle_expiry(pool: PgPool) -> anyhow::Result<()> {
    let outbox = std::env::temp_dir().join(format!("be-email-sign-in-{}", uuid::Uuid::new_v4()));
    // One idle minute: a request after a quarter of it (15 s) renews the session.
    let state = app_support::state(
        &pool,
        app_support::BASE,
        &[
            ("OUTBOX_DIR", outbox.to_string_lossy().into_owned()),
            ("SESSION_IDLE_MINUTES", "1".to_owned()),
        ],
    )
    .await;
    let app = server::app(state.clone());
    let (_, achievement) = app_support::issuer_with_achievement(
        &state,
        "Idle Academy",
        engine::issuer::DidMethod::Key,
        None,
        "Active",
    )
    .await;
    app_support::award(&state, achievement.id, "Ida Idle", "ida@example.net").await;
    let signed_in = app_support::sign_in_with_mailed_link(
        &state,
        &app,
        &outbox,
        "ida@example.net",
        "/me/badges",
    )
    .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let cookie = signed_in
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();

    tokio::time::sleep(std::time::Duration::from_secs(16)).await;
    let later = app
        .oneshot(
            Request::get("/me/badges")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(later.status(), StatusCode::OK);
    let renewed = later
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("activity renews the session (a new expiry in a new cookie)")
        .to_owned();
    assert!(
        renewed.starts_with(cookie.as_str()) && renewed.contains("Max-Age=60"),
        "{renewed}"
    );
    let _ = std::fs::remove_dir_all(&outbox);
    Ok(())
}
