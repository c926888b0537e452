//! Pages in the visitor's language through the whole app: `Accept-Language` picks Dutch, the
//! switcher's cookie overrides it, the page cache keeps one copy per language, and the
//! switcher goes back to the page it was used on (never to another site).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod app_support;

use app_support::Answer;
use http::{StatusCode, header};
use sqlx::PgPool;

/// A page's status, headers and text.
async fn get(
    app: &axum::Router,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, http::HeaderMap, String) {
    let Answer {
        status,
        headers,
        html,
    } = app_support::get(app, path, headers).await;
    (status, headers, html)
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn pages_follow_accept_language_and_the_switcher_cookie(pool: PgPool) -> anyhow::Result<()> {
    let state = app_support::state(&pool, app_support::BASE, &[]).await;
    let app = server::app(state.clone());
    let (_, achievement) = app_support::issuer_with_achievement(
        &state,
        "Taal Academie",
        engine::issuer::DidMethod::Key,
        None,
        "Vertalen",
    )
    .await;
    let page = format!("/achievements/{}", achievement.id);

    // Twice each, so the second answer of each language can come from the page cache.
    for _ in 0..2 {
        let (status, headers, html) = get(
            &app,
            &page,
            &[("accept-language", "nl-NL,nl;q=0.9,en;q=0.5")],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains(r#"<html lang="nl""#),
            "{}",
            &html[..200.min(html.len())]
        );
        assert!(html.contains("Uitgegeven door"), "Dutch badge card");
        assert!(html.contains("Badge controleren"), "Dutch navigation");
        assert_eq!(headers[header::CONTENT_LANGUAGE], "nl");
        let vary: Vec<_> = headers
            .get_all(header::VARY)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert!(
            vary.iter().any(|v| v.contains("accept-language")),
            "{vary:?}"
        );

        let (_, headers, html) = get(&app, &page, &[("accept-language", "en-GB")]).await;
        assert!(html.contains(r#"<html lang="en""#));
        assert!(html.contains("Issued by"), "English badge card");
        assert!(
            !html.contains("Uitgegeven door"),
            "no Dutch in the English copy"
        );
        assert_eq!(headers[header::CONTENT_LANGUAGE], "en");
    }

    // The visitor's own choice wins over the browser's.
    let (_, _, html) = get(
        &app,
        &page,
        &[("accept-language", "nl"), ("cookie", "lang=en")],
    )
    .await;
    assert!(html.contains("Issued by"));
    let (_, _, html) = get(&app, &page, &[("cookie", "lang=nl")]).await;
    assert!(html.contains("Uitgegeven door"));
    let (_, _, html) = get(&app, "/", &[("cookie", "lang=nl")]).await;
    assert!(html.contains("Hoe het werkt"), "home page in Dutch");

    // The switcher remembers the choice and returns to the page, and only to this site.
    let (status, headers, _) = get(&app, &format!("/lang?to=nl&next={page}"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], page.as_str());
    let cookie = headers[header::SET_COOKIE].to_str()?;
    assert!(
        cookie.starts_with("lang=nl;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let (_, headers, _) = get(&app, "/lang?to=en&next=//evil.example/x", &[]).await;
    assert_eq!(headers[header::LOCATION], "/");
    let (status, _, html) = get(&app, "/lang?to=fr&next=/", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("English (en) and Dutch (nl)"));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn earner_pages_and_error_messages_speak_the_visitors_language(
    pool: PgPool,
) -> anyhow::Result<()> {
    let state = app_support::state(&pool, app_support::BASE, &[]).await;
    let app = server::app(state);
    let dutch = [("accept-language", "nl")];

    let (_, _, html) = get(&app, "/sign-in", &dutch).await;
    assert!(
        html.contains("Aanmelden met je organisatie"),
        "sign-in page"
    );
    assert!(html.contains("Stuur me een aanmeldlink"));
    let (_, _, html) = get(&app, "/claim/not-a-real-token", &dutch).await;
    assert!(html.contains("Deze link werkt niet"), "claim page");
    let (_, _, html) = get(&app, "/me/badges", &dutch).await;
    assert!(
        html.contains("Meld je aan om deze pagina te zien"),
        "signed-out notice"
    );
    // An error's words (here "… was not found" with the entity's name) follow the page too.
    let (_, _, html) = get(&app, "/issuers/not-an-id", &dutch).await;
    assert!(html.contains("Uitgever is niet gevonden."), "error message");
    let (_, _, html) = get(&app, "/issuers/not-an-id", &[]).await;
    assert!(html.contains("Issuer was not found."), "English by default");
    Ok(())
}
