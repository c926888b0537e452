//! The 1EdTech Open Badges 3.0 API against the in-process app: discovery, dynamic client
//! registration (RFC 7591), the authorization endpoint's refusals, the code exchange with PKCE
//! (a code made by the engine's consent step, as the consent page makes it), scopes, and
//! getCredentials / upsertCredential / getProfile / putProfile. The browser consent itself is
//! in end2end/tests/api.test.mjs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod app_support;

use axum::body::Body;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use http::{Request, StatusCode, header};
use serde_json::{Value, json};
use sha2::Digest;
use sqlx::PgPool;
use tower::ServiceExt;

const BASE: &str = "https://badges.example.org";
const CALLBACK: &str = "https://wallet.example/callback";
const READ: &str = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly";
const PROFILE: &str = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly";

async fn send(app: &axum::Router, r: Request<Body>) -> (StatusCode, http::HeaderMap, Value) {
    let response = app.clone().oneshot(r).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 8 << 20)
        .await
        .unwrap();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn token_form(client: &Value, body: &str) -> Request<Body> {
    let basic = STANDARD.encode(format!(
        "{}:{}",
        client["client_id"].as_str().unwrap(),
        client["client_secret"].as_str().unwrap()
    ));
    Request::post("/oauth/token")
        .header(header::AUTHORIZATION, format!("Basic {basic}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn bearer(path: &str, token: &str) -> Request<Body> {
    Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn wallets_register_get_consented_tokens_and_read_the_earners_badges(
    pool: PgPool,
) -> anyhow::Result<()> {
    let state = app_support::state(&pool, BASE, &[]).await;
    let app = server::app(state.clone());
    let (_, achievement) = app_support::issuer_with_achievement(
        &state,
        "Acme",
        engine::issuer::DidMethod::Key,
        None,
        "Wallet badge",
    )
    .await;
    let earner = app_support::earner(&state, "grace@example.org", "Grace").await;
    // A verified address, as a sign-in with it would record.
    sqlx::query("insert into user_emails (user_id, email) values ($1, 'grace@example.org')")
        .bind(earner.id)
        .execute(&pool)
        .await?;
    let mine = app_support::award(&state, achievement.id, "Grace", "grace@example.org").await;
    app_support::award(&state, achievement.id, "Bob", "bob@example.org").await;

    // Discovery names the endpoints.
    let (status, _, doc) = send(
        &app,
        Request::get("/ims/ob/v3p0/discovery").body(Body::empty())?,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let scheme = &doc["components"]["securitySchemes"]["OAuth2ACG"];
    assert_eq!(
        scheme["x-imssf-registrationUrl"],
        format!("{BASE}/oauth/register")
    );
    assert!(scheme["flows"]["authorizationCode"]["scopes"][READ].is_string());

    // Registration: refused without redirect URIs, then accepted.
    let register = |body: Value| {
        Request::post("/oauth/register")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let (status, _, e) = send(&app, register(json!({ "client_name": "W" }))).await;
    assert_eq!(
        (status, e["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_redirect_uri"))
    );
    let (status, _, e) = send(
        &app,
        register(json!({ "client_name": "W", "redirect_uris": ["http://evil.example/cb"] })),
    )
    .await;
    assert_eq!(
        (status, e["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_redirect_uri"))
    );
    let (status, _, client) = send(
        &app,
        register(
            json!({ "client_name": "Demo Wallet", "redirect_uris": [CALLBACK],
                          "scope": format!("{READ} {PROFILE}") }),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(client["client_secret_expires_at"], 0);

    // The authorization endpoint: sign in first; unknown clients and missing PKCE refused.
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-longer-than-43";
    let challenge = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    let cid = client["client_id"].as_str().unwrap();
    let authorize = |extra: &str| {
        Request::get(format!(
            "/oauth/authorize?response_type=code&client_id={cid}&redirect_uri={CALLBACK}&state=s1{extra}"
        ))
        .body(Body::empty())
        .unwrap()
    };
    let (status, headers, _) = send(
        &app,
        authorize(&format!(
            "&code_challenge={challenge}&code_challenge_method=S256"
        )),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers[header::LOCATION]
            .to_str()?
            .starts_with("/auth/login?next=%2Foauth%2Fauthorize")
    );
    let (status, headers, _) = send(&app, authorize("")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let to = headers[header::LOCATION].to_str()?;
    assert!(
        to.starts_with(CALLBACK) && to.contains("error=invalid_request") && to.contains("state=s1"),
        "{to}"
    );
    let (status, _, _) = send(
        &app,
        Request::get(format!(
            "/oauth/authorize?response_type=code&client_id=nobody&redirect_uri={CALLBACK}"
        ))
        .body(Body::empty())?,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The earner consents to reading credentials only (as the consent page does).
    let q = engine::wallet::grant::Query {
        response_type: Some("code".into()),
        client_id: Some(cid.into()),
        redirect_uri: Some(CALLBACK.into()),
        scope: Some(READ.into()),
        state: None,
        code_challenge: Some(challenge.clone()),
        code_challenge_method: Some("S256".into()),
    };
    let request = engine::wallet::grant::check(&pool, &q).await?.unwrap();
    let code = engine::wallet::grant::consent(&pool, earner.id, &request).await?;
    let (status, _, e) = send(
        &app,
        token_form(
            &client,
            &format!("grant_type=authorization_code&code={code}&code_verifier=wrong-{verifier}"),
        ),
    )
    .await;
    assert_eq!(
        (status, e["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    // A refused verifier used the code up: a new consent.
    let code = engine::wallet::grant::consent(&pool, earner.id, &request).await?;
    let (status, _, tokens) = send(&app, token_form(&client, &format!("grant_type=authorization_code&code={code}&code_verifier={verifier}&redirect_uri={CALLBACK}"))).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();

    let (status, headers, list) =
        send(&app, bearer("/ims/ob/v3p0/credentials?limit=5", access)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-total-count"], "1", "only the earner's own badge");
    assert_eq!(
        list["credential"][0]["id"],
        format!("{BASE}/credentials/{}", mine.id)
    );
    // Not consented: profile. No token, a bad one: 401 in the spec's shape.
    let (status, _, e) = send(&app, bearer("/ims/ob/v3p0/profile", access)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(e["imsx_codeMajor"], "failure");
    let (status, _, _) = send(&app, bearer("/ims/ob/v3p0/credentials", "nonsense")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, e) = send(&app, bearer("/ims/ob/v3p0/credentials?limit=-1", access)).await;
    assert_eq!(
        (
            status,
            e["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"].as_str()
        ),
        (StatusCode::BAD_REQUEST, Some("invalid_selection_field"))
    );
    let upsert = Request::post("/ims/ob/v3p0/credentials")
        .header(header::AUTHORIZATION, format!("Bearer {access}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({ "id": "urn:x", "type": ["VerifiableCredential"] }).to_string(),
        ))?;
    assert_eq!(
        send(&app, upsert).await.0,
        StatusCode::FORBIDDEN,
        "upsert was not consented"
    );
    Ok(())
}

/// A consented wallet's tokens, straight from the engine's consent step.
async fn connect(app: &axum::Router, pool: &PgPool, client: &Value, user: uuid::Uuid) -> Value {
    let verifier = "a-pkce-verifier-that-is-long-enough-for-rfc-7636-0123456789";
    let challenge = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    let q = engine::wallet::grant::Query {
        response_type: Some("code".into()),
        client_id: Some(client["client_id"].as_str().unwrap().into()),
        redirect_uri: Some(CALLBACK.into()),
        scope: Some(READ.into()),
        state: None,
        code_challenge: Some(challenge),
        code_challenge_method: Some("S256".into()),
    };
    let request = engine::wallet::grant::check(pool, &q)
        .await
        .unwrap()
        .unwrap();
    let code = engine::wallet::grant::consent(pool, user, &request)
        .await
        .unwrap();
    let (status, _, tokens) = send(
        app,
        token_form(
            client,
            &format!("grant_type=authorization_code&code={code}&code_verifier={verifier}"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    tokens
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn earners_disconnect_wallets_and_admins_block_them(pool: PgPool) -> anyhow::Result<()> {
    let state = app_support::state(&pool, BASE, &[]).await;
    let app = server::app(state.clone());
    let grace = app_support::earner(&state, "grace@example.org", "Grace").await;
    let bob = app_support::earner(&state, "bob@example.org", "Bob").await;
    let register = |name: &str| {
        Request::post("/oauth/register")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({ "client_name": name, "client_uri": "https://wallet.example/",
                        "redirect_uris": [CALLBACK], "scope": READ })
                .to_string(),
            ))
            .unwrap()
    };
    let (_, _, wallet) = send(&app, register("Pocket Wallet")).await;
    let (_, _, other) = send(&app, register("Other Backpack")).await;

    // Grace connects both; her connections list them with what she allowed.
    let tokens = connect(&app, &pool, &wallet, grace.id).await;
    let access = tokens["access_token"].as_str().unwrap();
    connect(&app, &pool, &other, grace.id).await;
    let mine = engine::wallet::connection::list(&pool, &grace).await?;
    let mut names: Vec<&str> = mine.iter().map(|c| c.client_name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Other Backpack", "Pocket Wallet"]);
    assert_eq!(
        mine[0].allowed,
        ["See your badges and their signed credentials"]
    );
    assert!(
        engine::wallet::connection::list(&pool, &bob)
            .await?
            .is_empty()
    );
    assert_eq!(
        send(&app, bearer("/ims/ob/v3p0/credentials", access))
            .await
            .0,
        StatusCode::OK
    );

    // She disconnects the first: its access token and refresh token stop working at once.
    let pocket = mine
        .iter()
        .find(|c| c.client_name == "Pocket Wallet")
        .unwrap()
        .client;
    engine::wallet::connection::disconnect(&pool, &grace, pocket).await?;
    assert_eq!(
        send(&app, bearer("/ims/ob/v3p0/credentials", access))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, _, e) = send(
        &app,
        token_form(
            &wallet,
            &format!("grant_type=refresh_token&refresh_token={refresh}"),
        ),
    )
    .await;
    assert_eq!(
        (status, e["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    assert!(matches!(
        engine::wallet::connection::disconnect(&pool, &grace, pocket).await,
        Err(engine::Error::NotFound { .. })
    ));
    // Bob cannot end Grace's connection to the other wallet.
    let backpack = engine::wallet::connection::list(&pool, &grace).await?[0].client;
    assert!(
        engine::wallet::connection::disconnect(&pool, &bob, backpack)
            .await
            .is_err()
    );

    // The admin list counts earners per wallet; blocking one ends its tokens for everyone.
    let bob_tokens = connect(&app, &pool, &other, bob.id).await;
    let can = app_support::admin().require::<engine::rbac::can::ManageClientApps>()?;
    let listed = engine::wallet::client::list(&pool, &can).await?;
    let row = listed
        .iter()
        .find(|w| w.client_name == "Other Backpack")
        .unwrap();
    assert_eq!(row.earners, 2);
    assert_eq!(row.client_uri.as_deref(), Some("https://wallet.example/"));
    assert_eq!(
        listed
            .iter()
            .find(|w| w.client_name == "Pocket Wallet")
            .unwrap()
            .earners,
        0
    );
    engine::wallet::client::revoke(&pool, &can, row.id).await?;
    let bob_access = bob_tokens["access_token"].as_str().unwrap();
    assert_eq!(
        send(&app, bearer("/ims/ob/v3p0/credentials", bob_access))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        engine::wallet::connection::list(&pool, &grace)
            .await?
            .is_empty()
    );
    let (status, _, e) = send(
        &app,
        token_form(&other, "grant_type=refresh_token&refresh_token=x"),
    )
    .await;
    assert_eq!(
        (status, e["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client")),
        "a blocked wallet's secret no longer works"
    );
    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where action like 'wallet%' order by id")
            .fetch_all(&pool)
            .await?;
    assert_eq!(actions, ["wallet.disconnect", "wallet_client.revoke"]);
    Ok(())
}
