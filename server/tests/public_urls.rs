//! Every URL the product writes into a credential or an e-mail is served: an award is issued
//! by a did:web issuer with an uploaded logo, every URL (and did:web DID) found anywhere in the
//! signed credential is fetched from the in-process app, then the award e-mail is delivered to
//! an outbox folder, parsed with a real MIME parser, and every link in it is fetched too.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use std::collections::BTreeSet;

mod app_support;

use app_support::admin;
use axum::body::Body;
use http::{Request, StatusCode, header};
use serde_json::Value;
use sqlx::PgPool;
use tower::ServiceExt;

const BASE: &str = "https://badges.example.org";

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#0a5"/></svg>"##;

/// Every string in `v` (keys excluded).
fn strings<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

/// The path on our server a URL or did:web DID names, without its fragment.
fn own_path(s: &str) -> Option<String> {
    let s = s.split('#').next().unwrap_or(s);
    if let Some(path) = s.strip_prefix(BASE) {
        return Some(if path.is_empty() {
            "/".into()
        } else {
            path.into()
        });
    }
    // did:web:badges.example.org:issuers:<id> resolves to /issuers/<id>/did.json.
    let rest = s.strip_prefix("did:web:badges.example.org")?;
    Some(format!("{}/did.json", rest.replace(':', "/")))
}

async fn get(app: &axum::Router, path: &str, accept: &str) -> (StatusCode, String) {
    let response = app
        .clone()
        .oneshot(
            Request::get(path)
                .header(header::ACCEPT, accept)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    let status = response.status();
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let _ = axum::body::to_bytes(response.into_body(), 16 << 20).await;
    (status, kind)
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn every_url_in_a_credential_and_its_email_is_served(pool: PgPool) -> anyhow::Result<()> {
    let outbox = std::env::temp_dir().join(format!("be-public-urls-{}", uuid::Uuid::new_v4()));
    let state = app_support::state(
        &pool,
        BASE,
        &[
            ("DID_WEB", "true".into()),
            ("OUTBOX_DIR", outbox.to_string_lossy().into_owned()),
        ],
    )
    .await;
    let app = server::app(state.clone());
    let s = &state.services;
    let admin = admin();
    let logo = engine::image::store(
        &pool,
        &admin.require::<engine::rbac::can::ViewAdmin>()?,
        s.signer.urls(),
        LOGO.into(),
    )
    .await?;
    let (issuer, achievement) = app_support::issuer_with_achievement(
        &state,
        "Acme Academy",
        engine::issuer::DidMethod::Web,
        Some(logo.url.clone()),
        "Schema Design",
    )
    .await;
    let (_, credential) = engine::award::issue(
        &pool,
        &admin.require()?,
        s.issuance(),
        &engine::award::NewAward {
            achievement_id: achievement.id,
            recipient_name: "Grace Hopper".into(),
            recipient_email: "grace@example.org".into(),
            notify: true,
            ..Default::default()
        },
    )
    .await?;

    let mut found = Vec::new();
    strings(&credential.credential, &mut found);
    let paths: BTreeSet<String> = found.into_iter().filter_map(own_path).collect();
    for expected in [
        format!("/credentials/{}", credential.id),
        format!("/achievements/{}", achievement.id),
        format!("/issuers/{}/did.json", issuer.id),
        format!("/images/{}.svg", logo.sha256),
    ] {
        assert!(paths.contains(&expected), "{expected} not in {paths:?}");
    }
    assert!(
        paths.iter().any(|p| p.starts_with("/status-lists/")),
        "{paths:?}"
    );
    // Private until the earner says otherwise: its page is not found for strangers.
    let (status, _) = get(
        &app,
        &format!("/credentials/{}", credential.id),
        "text/html",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The award e-mail, delivered to the outbox as the worker would.
    let sent = engine::mail::deliver_due(&pool, &s.mailer, &s.kek, s.signer.urls(), 10).await?;
    assert_eq!(sent, 1);
    let eml = std::fs::read_dir(&outbox)?
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .map(|e| e.path())
        .expect("an .eml in the outbox");
    let raw = std::fs::read(&eml)?;
    let message = mail_parser::MessageParser::default()
        .parse(&raw)
        .expect("a MIME message");
    let mut bodies = String::new();
    for i in 0..message.text_body_count() {
        bodies.push_str(&message.body_text(i).unwrap_or_default());
    }
    for i in 0..message.html_body_count() {
        bodies.push_str(&message.body_html(i).unwrap_or_default());
    }
    let links: BTreeSet<String> = bodies
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\'' | '(' | ')'))
        .filter(|w| w.starts_with(BASE))
        .map(|w| w.trim_end_matches(['.', ',']).replace("&amp;", "&"))
        .collect();
    assert!(
        links.iter().any(|l| l.contains("/claim/")),
        "no claim link in the e-mail: {links:?}"
    );
    for link in &links {
        let path = own_path(link).expect("own URL");
        let (status, _) = get(&app, &path, "text/html").await;
        assert_eq!(
            status,
            StatusCode::OK,
            "e-mail link {link} answered {status}"
        );
    }

    // The earner accepts through the e-mail's claim link and makes the badge public: now every
    // URL in the credential answers, as JSON-LD and as a page.
    let claim = links
        .iter()
        .find_map(|l| l.split("/claim/").nth(1))
        .expect("claim token");
    let grace = app_support::earner(&state, "grace@example.org", "Grace Hopper").await;
    let accepted = engine::award::claim::accept(&pool, &s.cache, &s.kek, claim, &grace).await?;
    assert_eq!(accepted, credential.id);
    engine::award::claim::set_visibility(&pool, &s.cache, &grace, credential.id, true, false)
        .await?;
    for path in &paths {
        let (status, kind) = get(&app, path, "application/ld+json, application/json").await;
        assert_eq!(
            status,
            StatusCode::OK,
            "GET {path} (JSON) answered {status}"
        );
        assert!(!kind.is_empty(), "GET {path} has no content type");
        let (status, _) = get(&app, path, "text/html").await;
        assert_eq!(
            status,
            StatusCode::OK,
            "GET {path} (HTML) answered {status}"
        );
    }
    let _ = std::fs::remove_dir_all(&outbox);
    Ok(())
}
