//! Entra app tokens for the REST API (`API_ENTRA_AUDIENCE`): the real local OpenID provider
//! issues app-only tokens by client credentials exactly as Entra does for a daemon app (RS256
//! JWT, `aud` the API, `roles` the app roles assigned to the app, `azp`, `tid`, `idtyp: app`);
//! the app over TCP accepts them once an admin maps the app role to a role, refuses tokens for
//! another audience, from another tenant, tampered with or without roles, and picks up the
//! provider's new key after a restart. Without `API_ENTRA_AUDIENCE` such tokens are refused.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod app_support;
mod auth_support;

use auth_support::{App, start_provider, start_provider_on};
use engine::issuer::DidMethod;
use engine::rbac::{Principal, can};
use serde_json::{Value, json};

const AUDIENCE: &str = "api://badge-engine";

/// A token from the provider's token endpoint by client credentials.
async fn app_token(issuer: &str, client: &str, secret: &str, resource: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{issuer}/token"))
        .basic_auth(client, Some(secret))
        .form(&[("grant_type", "client_credentials"), ("resource", resource)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    let v: Value = r.json().await.unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

async fn api(
    app: &App,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn map_app_role(app: &App, claim: &str, role: &str) {
    let can = Principal::bypass_for_system_task("test")
        .require::<can::ManageRoles>()
        .unwrap();
    let role = engine::role::find_by_name(&app.db, role)
        .await
        .unwrap()
        .unwrap();
    engine::role::map(
        &app.db,
        &can,
        &engine::role::RoleSource::AppRole(claim.into()),
        role.id,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn entra_app_tokens_are_accepted_for_their_audience_with_mapped_roles() {
    let port = auth_support::free_port();
    let provider = start_provider_on(port).await;
    let app = App::start_with(
        &provider.issuer,
        &[("API_ENTRA_AUDIENCE", AUDIENCE.to_owned())],
    )
    .await;
    let (_, achievement) = app_support::issuer_with_achievement(
        &app.state,
        "Contoso Academy",
        DidMethod::Key,
        None,
        "Safety Training",
    )
    .await;
    let award = json!({ "achievement_id": achievement.id, "recipient_name": "Ada Lovelace",
                        "recipient_email": "ada@example.org", "notify": false });
    let token = app_token(
        &provider.issuer,
        "lms-daemon",
        "lms-daemon-dev-secret",
        AUDIENCE,
    )
    .await;

    // Before an admin maps the app role, the app may do nothing.
    let (status, body) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/awards",
        &token,
        Some(award.clone()),
    )
    .await;
    assert_eq!(status, 403, "{body}");

    map_app_role(&app, "Badges.Award", "awarder").await;
    let (status, body) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/awards",
        &token,
        Some(award.clone()),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let (status, body) = api(
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/awards/{id}"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // The audit log names the app.
    let actor: String = sqlx::query_scalar(
        "select actor_label from audit_log where action = 'credential.award' and entity_id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(actor, "entra-app:lms-daemon");
    // SCIM takes only SCIM tokens.
    let (status, _) = api(&app, reqwest::Method::GET, "/scim/v2/Users", &token, None).await;
    assert_eq!(status, 401, "SCIM does not take API tokens");

    // An app with no roles assigned.
    let bare = app_token(
        &provider.issuer,
        "report-daemon",
        "report-daemon-dev-secret",
        AUDIENCE,
    )
    .await;
    let (status, body) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/awards",
        &bare,
        Some(award.clone()),
    )
    .await;
    assert_eq!(status, 403, "{body}");

    // Tampered: the payload changed under the signature.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut payload: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &parts[1])
            .unwrap(),
    )
    .unwrap();
    payload["roles"] = json!(["Badges.Award", "Badges.Everything"]);
    parts[1] = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        serde_json::to_vec(&payload).unwrap(),
    );
    let (status, body) = api(
        &app,
        reqwest::Method::GET,
        "/api/v1/issuers",
        &parts.join("."),
        None,
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert!(body.to_string().contains("signature"), "{body}");

    // A token of the same provider for another API.
    let other = App::start_with(
        &provider.issuer,
        &[("API_ENTRA_AUDIENCE", "api://another-api".to_owned())],
    )
    .await;
    let (status, body) = api(
        &other,
        reqwest::Method::GET,
        "/api/v1/issuers",
        &token,
        None,
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert!(body.to_string().contains("another audience"), "{body}");
    other.cleanup().await;

    // The provider restarts with a new signing key: its new tokens verify once the app may
    // fetch the keys again (unknown key ids refetch at most every 10 s).
    drop(provider);
    tokio::time::sleep(std::time::Duration::from_secs(10)).await;
    let provider = start_provider_on(port).await;
    let fresh = app_token(
        &provider.issuer,
        "lms-daemon",
        "lms-daemon-dev-secret",
        AUDIENCE,
    )
    .await;
    let (status, body) = api(
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/awards/{id}"),
        &fresh,
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    app.cleanup().await;
}

#[tokio::test]
async fn without_the_setting_and_for_another_tenant_entra_tokens_are_refused() {
    let provider = start_provider().await;
    let token = app_token(
        &provider.issuer,
        "lms-daemon",
        "lms-daemon-dev-secret",
        AUDIENCE,
    )
    .await;

    let plain = App::start(&provider.issuer).await;
    let (status, body) = api(
        &plain,
        reqwest::Method::GET,
        "/api/v1/issuers",
        &token,
        None,
    )
    .await;
    assert_eq!(status, 401, "{body}");
    plain.cleanup().await;

    let elsewhere = App::start_with(
        &provider.issuer,
        &[
            ("API_ENTRA_AUDIENCE", AUDIENCE.to_owned()),
            (
                "OIDC_TENANT_ID",
                "00000000-0000-4000-8000-000000000000".to_owned(),
            ),
        ],
    )
    .await;
    let (status, body) = api(
        &elsewhere,
        reqwest::Method::GET,
        "/api/v1/issuers",
        &token,
        None,
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert!(body.to_string().contains("another tenant"), "{body}");
    elsewhere.cleanup().await;
}
