//! The REST API against the whole in-process app and a real database and Redis: the token
//! endpoint (RFC 6749), every `/api/v1` endpoint authorised, unauthorised, with the wrong role,
//! on another issuer and with bad input, Idempotency-Key replays, rate limits, the served
//! OpenAPI document against the live routes, the legacy routes' old shapes, and the curl
//! example script end to end over TCP with the baked badge verified by the CLI.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod app_support;

use app_support::admin;
use axum::body::Body;
use base64::Engine as _;
use engine::client_app::{self, ClientRoleInput};
use engine::rbac::{Permission, can};
use http::{Request, StatusCode, header};
use serde_json::{Value, json};
use sqlx::PgPool;
use tower::ServiceExt;
use uuid::Uuid;

const BASE: &str = "https://badges.example.org";

struct Answer {
    status: StatusCode,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn call(app: &axum::Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), 32 << 20)
        .await
        .expect("body")
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

fn get(path: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::get(path);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::empty()).unwrap()
}

fn post(path: &str, token: Option<&str>, body: &Value, key: Option<&str>) -> Request<Body> {
    let mut r = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(k) = key {
        r = r.header("idempotency-key", k);
    }
    r.body(Body::from(body.to_string())).unwrap()
}

fn form(body: &str, basic: Option<(&str, &str)>) -> Request<Body> {
    let mut r = Request::post("/oauth/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some((id, secret)) = basic {
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
        r = r.header(header::AUTHORIZATION, format!("Basic {encoded}"));
    }
    r.body(Body::from(body.to_owned())).unwrap()
}

/// A registered app with one role of `permissions` (on `issuer`, or everywhere).
async fn app_with_role(
    pool: &PgPool,
    name: &str,
    permissions: &[Permission],
    issuer: Option<Uuid>,
) -> (client_app::CreatedClientApp, Uuid) {
    let owner = app_support::earner_in(pool, &format!("{name}-owner@example.org")).await;
    let auth = admin().require::<can::ManageClientApps>().unwrap();
    let created = client_app::create(pool, &auth, owner, name, "", &[])
        .await
        .unwrap();
    let role = client_app::role::create(
        pool,
        &auth,
        created.app.id,
        &ClientRoleInput {
            name: "integration".into(),
            permissions: permissions.to_vec(),
            issuer_ids: issuer.map(|i| vec![i]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    (created, role.id)
}

async fn token(app: &axum::Router, created: &client_app::CreatedClientApp) -> String {
    let a = call(
        app,
        form(
            "grant_type=client_credentials",
            Some((&created.app.client_id, &created.secret)),
        ),
    )
    .await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    a.json()["access_token"].as_str().unwrap().to_owned()
}

const EVERYTHING: [Permission; 4] = [
    Permission::ViewAdmin,
    Permission::ManageAchievements,
    Permission::Award,
    Permission::Revoke,
];

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn token_endpoint_follows_rfc_6749(pool: PgPool) -> anyhow::Result<()> {
    let state = app_support::state(&pool, BASE, &[]).await;
    let app = server::app(state);
    let (created, _) = app_with_role(&pool, "lms", &[Permission::ViewAdmin], None).await;
    let id = created.app.client_id.clone();

    // client_secret_basic and client_secret_post both work.
    let a = call(
        &app,
        form(
            "grant_type=client_credentials",
            Some((&id, &created.secret)),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("cache-control"), "no-store");
    let body = a.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["scope"], "view_admin");
    let a = call(
        &app,
        form(
            &format!(
                "grant_type=client_credentials&client_id={id}&client_secret={}",
                created.secret
            ),
            None,
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);

    // Wrong secret, unknown client: invalid_client, 401, with a Basic challenge for Basic.
    let a = call(
        &app,
        form("grant_type=client_credentials", Some((&id, "wrong"))),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json()["error"], "invalid_client");
    assert!(a.header("www-authenticate").starts_with("Basic"));
    let a = call(&app, form("grant_type=client_credentials", None)).await;
    assert_eq!(a.json()["error"], "invalid_client");
    // Grant and scope problems.
    let a = call(
        &app,
        form("grant_type=password", Some((&id, &created.secret))),
    )
    .await;
    assert_eq!(
        (a.status, a.json()["error"].clone()),
        (StatusCode::BAD_REQUEST, json!("unsupported_grant_type"))
    );
    let a = call(&app, form("", Some((&id, &created.secret)))).await;
    assert_eq!(a.json()["error"], "invalid_request");
    let a = call(
        &app,
        form(
            "grant_type=client_credentials&scope=award",
            Some((&id, &created.secret)),
        ),
    )
    .await;
    assert_eq!(a.json()["error"], "invalid_scope");
    let a = call(
        &app,
        form(
            "grant_type=client_credentials&scope=manage_users",
            Some((&id, &created.secret)),
        ),
    )
    .await;
    assert_eq!(a.json()["error"], "invalid_scope");
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn integrations_create_award_revoke_and_download(pool: PgPool) -> anyhow::Result<()> {
    let state = app_support::state(&pool, BASE, &[]).await;
    let app = server::app(state.clone());
    let (issuer, _) = app_support::issuer_with_achievement(
        &state,
        "Acme Academy",
        engine::issuer::DidMethod::Key,
        None,
        "Existing",
    )
    .await;
    let (created, _) = app_with_role(&pool, "lms", &EVERYTHING, None).await;
    let bearer = token(&app, &created).await;
    let t = Some(bearer.as_str());

    let a = call(&app, get("/api/v1/issuers", t)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("x-total-count"), "1");
    assert_eq!(a.json()["items"][0]["name"], "Acme Academy");
    let a = call(&app, get(&format!("/api/v1/issuers/{}", issuer.id), t)).await;
    assert_eq!(a.json()["id"], issuer.id.to_string());

    // Create an achievement; a missing name is refused naming the field.
    let bad = json!({ "issuer_id": issuer.id, "description": "x", "criteria_narrative": "y" });
    let a = call(&app, post("/api/v1/achievements", t, &bad, None)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.header("content-type"), "application/problem+json");
    assert_eq!(a.json()["field"], "name");
    let new = json!({ "issuer_id": issuer.id, "name": "API badge", "description": "Made by the API.",
                      "criteria_narrative": "Call the API.", "tags": ["api"] });
    let a = call(&app, post("/api/v1/achievements", t, &new, Some("ach-1"))).await;
    assert_eq!(
        a.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    let achievement = a.json();
    let achievement_id = achievement["id"].as_str().unwrap().to_owned();
    assert_eq!(
        a.header("location"),
        format!("/api/v1/achievements/{achievement_id}")
    );
    assert_eq!(achievement["status"], "active");
    // The same key and body: the same answer, replayed; a different body: refused.
    let a = call(&app, post("/api/v1/achievements", t, &new, Some("ach-1"))).await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(a.header("idempotent-replayed"), "true");
    assert_eq!(
        a.header("location"),
        format!("/api/v1/achievements/{achievement_id}"),
        "the replay links to what the first request made"
    );
    assert_eq!(a.json()["id"], achievement_id);
    let other = json!({ "issuer_id": issuer.id, "name": "Another", "description": "d", "criteria_narrative": "c" });
    let a = call(&app, post("/api/v1/achievements", t, &other, Some("ach-1"))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["field"], "Idempotency-Key");

    // Update with the version read; a stale version is a conflict.
    let change = json!({ "version": achievement["version"], "name": "API badge (v2)",
                         "description": "Made by the API.", "criteria_narrative": "Call the API." });
    let r = Request::put(format!("/api/v1/achievements/{achievement_id}"))
        .header(header::AUTHORIZATION, format!("Bearer {bearer}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(change.to_string()))?;
    let a = call(&app, r).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    assert_eq!(a.json()["name"], "API badge (v2)");
    let r = Request::put(format!("/api/v1/achievements/{achievement_id}"))
        .header(header::AUTHORIZATION, format!("Bearer {bearer}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(change.to_string()))?;
    assert_eq!(call(&app, r).await.status, StatusCode::CONFLICT);

    let a = call(
        &app,
        get(
            &format!("/api/v1/achievements?issuer_id={}&per_page=1", issuer.id),
            t,
        ),
    )
    .await;
    assert_eq!(a.header("x-total-count"), "2");
    assert!(
        a.header("link").contains("rel=\"next\""),
        "{}",
        a.header("link")
    );
    assert_eq!(a.json()["items"].as_array().unwrap().len(), 1);

    // Award: a bad e-mail names the field; then one award, retried with its key.
    let award = json!({ "achievement_id": achievement_id, "recipient_name": "Ada Lovelace",
                        "recipient_email": "not an address", "notify": false });
    let a = call(&app, post("/api/v1/awards", t, &award, None)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["field"], "email");
    let award = json!({ "achievement_id": achievement_id, "recipient_name": "Ada Lovelace",
                        "recipient_email": "ada@example.org", "notify": false,
                        "evidence": [{ "url": "https://example.org/work", "narrative": "Wrote it." }] });
    let a = call(&app, post("/api/v1/awards", t, &award, Some("award-1"))).await;
    assert_eq!(
        a.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    let first = a.json();
    let award_id = first["id"].as_str().unwrap().to_owned();
    assert_eq!(
        first["credential_url"],
        format!("{BASE}/credentials/{award_id}")
    );
    let a = call(&app, post("/api/v1/awards", t, &award, Some("award-1"))).await;
    assert_eq!(a.json()["id"], award_id);
    let count: i64 =
        sqlx::query_scalar("select count(*) from credentials where achievement_id = $1::uuid")
            .bind(&achievement_id)
            .fetch_one(&pool)
            .await?;
    assert_eq!(count, 1, "a retried award must not award twice");

    let a = call(&app, get(&format!("/api/v1/awards/{award_id}"), t)).await;
    assert_eq!(a.json()["recipient_email"], "ada@example.org");
    let a = call(
        &app,
        get(
            &format!("/api/v1/awards?achievement_id={achievement_id}"),
            t,
        ),
    )
    .await;
    assert_eq!(a.json()["items"].as_array().unwrap().len(), 1);

    // The signed credential and the baked images carry the same proof.
    let a = call(&app, get(&format!("/api/v1/credentials/{award_id}"), t)).await;
    assert_eq!(a.header("content-type"), "application/vc+ld+json");
    let signed = a.json();
    assert!(
        signed["proof"].to_string().contains("eddsa-rdfc-2022"),
        "{signed}"
    );
    let report = openbadges::verify::verify_json(
        &a.body,
        &openbadges::verify::VerifyOptions::at(chrono::Utc::now()),
    );
    assert!(report.is_valid(), "{report:?}");
    let a = call(
        &app,
        get(&format!("/api/v1/credentials/{award_id}/image.png"), t),
    )
    .await;
    assert_eq!(a.header("content-type"), "image/png");
    assert_eq!(&a.body[..8], b"\x89PNG\r\n\x1a\n");
    let a = call(
        &app,
        get(&format!("/api/v1/credentials/{award_id}/image.svg"), t),
    )
    .await;
    assert!(String::from_utf8_lossy(&a.body).contains("openbadges:credential"));

    // Suspend, lift, revoke; revoking without a reason is refused.
    let a = call(
        &app,
        post(
            &format!("/api/v1/awards/{award_id}/suspend"),
            t,
            &json!({}),
            None,
        ),
    )
    .await;
    assert_eq!(a.json()["state"]["state"], "suspended");
    let a = call(
        &app,
        post(
            &format!("/api/v1/awards/{award_id}/unsuspend"),
            t,
            &json!({}),
            None,
        ),
    )
    .await;
    assert!(a.json()["suspended_at"].is_null());
    let a = call(
        &app,
        post(
            &format!("/api/v1/awards/{award_id}/revoke"),
            t,
            &json!({}),
            None,
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = call(
        &app,
        post(
            &format!("/api/v1/awards/{award_id}/revoke"),
            t,
            &json!({ "reason": "issued in error" }),
            None,
        ),
    )
    .await;
    assert_eq!(a.json()["state"]["state"], "revoked");

    // Many awards: checked first (a bad row is reported by row), then a job.
    let rows = json!({ "achievement_id": achievement_id, "awards": [
        { "name": "Grace Hopper", "email": "grace@example.org" },
        { "name": "", "email": "nobody@example.org" } ] });
    let a = call(&app, post("/api/v1/awards/bulk", t, &rows, None)).await;
    assert_eq!(
        a.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    assert_eq!(
        a.json()["errors"][0]["row"],
        3,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    let rows = json!({ "achievement_id": achievement_id, "awards": [
        { "name": "Grace Hopper", "email": "grace@example.org" },
        { "name": "Alan Turing", "email": "alan@example.org", "expiry": "2031-01-31" } ] });
    let a = call(&app, post("/api/v1/awards/bulk", t, &rows, Some("bulk-1"))).await;
    assert_eq!(
        a.status,
        StatusCode::ACCEPTED,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    let job_id = a.json()["job_id"].as_str().unwrap().to_owned();
    let a = call(&app, get(&format!("/api/v1/jobs/{job_id}"), t)).await;
    assert_eq!(a.json()["status"], "queued");
    assert_eq!(a.json()["progress_total"], 2);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn refusals_are_problem_documents(pool: PgPool) -> anyhow::Result<()> {
    let state =
        app_support::state(&pool, BASE, &[("API_RATE_LIMIT_PER_MINUTE", "40".into())]).await;
    let app = server::app(state.clone());
    let (issuer, achievement) = app_support::issuer_with_achievement(
        &state,
        "Acme",
        engine::issuer::DidMethod::Key,
        None,
        "Badge",
    )
    .await;
    let (other, other_achievement) = app_support::issuer_with_achievement(
        &state,
        "Other",
        engine::issuer::DidMethod::Key,
        None,
        "Other badge",
    )
    .await;
    let award = |a: Uuid| json!({ "achievement_id": a, "recipient_name": "Ada", "recipient_email": "ada@example.org", "notify": false });

    // No token, a forged token: 401 with a Bearer challenge.
    let a = call(&app, get("/api/v1/issuers", None)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.header("content-type"), "application/problem+json");
    assert!(a.header("www-authenticate").starts_with("Bearer"));
    let a = call(
        &app,
        get("/api/v1/issuers", Some("eyJhbGciOiJIUzI1NiJ9.e30.x")),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.header("www-authenticate").contains("invalid_token"));

    // A reader may read but not award.
    let (reader, _) = app_with_role(&pool, "reader", &[Permission::ViewAdmin], None).await;
    let rt = token(&app, &reader).await;
    let a = call(
        &app,
        post("/api/v1/awards", Some(&rt), &award(achievement.id), None),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.json()["status"], 403);

    // An app limited to one issuer sees and awards only there.
    let (local, _) = app_with_role(&pool, "local", &EVERYTHING, Some(issuer.id)).await;
    let local_bearer = token(&app, &local).await;
    let lt = Some(local_bearer.as_str());
    let a = call(&app, get("/api/v1/issuers", lt)).await;
    assert_eq!(a.header("x-total-count"), "1");
    assert_eq!(
        call(&app, get(&format!("/api/v1/issuers/{}", other.id), lt))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(
            &app,
            post("/api/v1/awards", lt, &award(other_achievement.id), None)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let a = call(
        &app,
        post("/api/v1/awards", lt, &award(achievement.id), None),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED);
    // Its bulk award's job is its own to poll.
    let rows = json!({ "achievement_id": achievement.id, "awards": [{ "name": "Cy", "email": "cy@example.org" }] });
    let a = call(&app, post("/api/v1/awards/bulk", lt, &rows, None)).await;
    assert_eq!(
        a.status,
        StatusCode::ACCEPTED,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    let job = a.json()["job_id"].as_str().unwrap().to_owned();
    assert_eq!(
        call(&app, get(&format!("/api/v1/jobs/{job}"), lt))
            .await
            .status,
        StatusCode::OK
    );
    let elsewhere =
        app_support::award(&state, other_achievement.id, "Bob", "bob@example.org").await;
    assert_eq!(
        call(&app, get(&format!("/api/v1/awards/{}", elsewhere.id), lt))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(
            &app,
            get(
                &format!("/api/v1/credentials/{}/image.png", elsewhere.id),
                lt
            )
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // Bad input: unreadable JSON, not JSON, a wrong type (named), a non-UUID id, no route.
    let r = Request::post("/api/v1/awards")
        .header(header::AUTHORIZATION, format!("Bearer {local_bearer}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"achievement_id\":"))?;
    assert_eq!(call(&app, r).await.status, StatusCode::BAD_REQUEST);
    let r = Request::post("/api/v1/awards")
        .header(header::AUTHORIZATION, format!("Bearer {local_bearer}"))
        .body(Body::from("achievement_id=1"))?;
    assert_eq!(
        call(&app, r).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let a = call(&app, post("/api/v1/awards", lt, &json!({ "achievement_id": 7, "recipient_name": "A", "recipient_email": "a@example.org" }), None)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["field"], "achievement_id");
    let a = call(&app, get("/api/v1/awards/not-a-uuid", lt)).await;
    assert_eq!(
        (a.status, a.header("content-type")),
        (StatusCode::NOT_FOUND, "application/problem+json")
    );
    let a = call(&app, get("/api/v1/nothing-here", lt)).await;
    assert_eq!(
        (a.status, a.header("content-type")),
        (StatusCode::NOT_FOUND, "application/problem+json")
    );
    let huge = json!({ "achievement_id": achievement.id, "recipient_name": "x".repeat(2 << 20), "recipient_email": "a@example.org" });
    assert_eq!(
        call(&app, post("/api/v1/awards", lt, &huge, None))
            .await
            .status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let a = call(
        &app,
        post(
            "/api/v1/awards",
            lt,
            &award(achievement.id),
            Some(&"k".repeat(300)),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Revoking the app ends its token at once.
    client_app::revoke(&pool, &admin().require()?, reader.app.id).await?;
    assert_eq!(
        call(&app, get("/api/v1/issuers", Some(&rt))).await.status,
        StatusCode::UNAUTHORIZED
    );

    // The per-client rate limit answers 429 with Retry-After.
    let mut limited = None;
    for _ in 0..60 {
        let a = call(&app, get("/api/v1/issuers", lt)).await;
        if a.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(a);
            break;
        }
    }
    let a = limited.expect("the limit of 40 a minute was never reached");
    assert!(a.header("retry-after").parse::<u64>().is_ok());
    assert_eq!(a.json()["status"], 429);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn the_served_document_matches_the_routes(pool: PgPool) -> anyhow::Result<()> {
    let state = app_support::state(&pool, BASE, &[]).await;
    let app = server::app(state);
    let a = call(&app, get("/api/openapi.json", None)).await;
    assert_eq!(a.status, StatusCode::OK);
    let doc = a.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for method in item.as_object().unwrap().keys() {
            let concrete = path.replace("{id}", &Uuid::now_v7().to_string());
            let request = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&concrete)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))?;
            // Every documented operation exists: without a token it is refused, not missing.
            let answer = call(&app, request).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            operations += 1;
        }
    }
    // And every route the API serves is documented (the list the router is built from).
    let (_, generated) = server::api::v1::routes();
    assert_eq!(serde_json::to_value(&generated)?["paths"], doc["paths"]);
    assert_eq!(operations, 17);
    let a = call(&app, get("/api/docs/", None)).await;
    assert_eq!(a.status, StatusCode::OK);
    let html = String::from_utf8_lossy(&a.body);
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("https://"),
        "the docs page must not load anything from elsewhere"
    );
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
    ] {
        let a = call(&app, get(&format!("/api/docs/{asset}"), None)).await;
        assert_eq!(a.status, StatusCode::OK, "{asset}");
    }
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn legacy_routes_answer_in_the_old_shapes(pool: PgPool) -> anyhow::Result<()> {
    let state = app_support::state(&pool, BASE, &[]).await;
    let app = server::app(state.clone());
    let (_, achievement) = app_support::issuer_with_achievement(
        &state,
        "Acme",
        engine::issuer::DidMethod::Key,
        None,
        "Old badge",
    )
    .await;
    let (created, _) = app_with_role(&pool, "old", &EVERYTHING, None).await;
    let t = token(&app, &created).await;
    let t = Some(t.as_str());

    let a = call(&app, get("/api/issuers", None)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json(), json!({ "error": "Unauthorized" }));

    let a = call(&app, get("/api/issuers", t)).await;
    let profiles = a.json();
    assert!(profiles.is_array());
    assert!(
        profiles[0]["type"].to_string().contains("Profile"),
        "{profiles}"
    );

    let a = call(&app, get("/api/achievements?page=1", t)).await;
    assert_eq!(a.header("x-total-count"), "1");
    assert!(a.header("link").contains("rel=\"first\""));
    let list = a.json();
    assert_eq!(list[0]["name"], "Old badge");
    assert!(list[0]["type"].to_string().contains("Achievement"));

    let a = call(
        &app,
        post(
            &format!("/api/award/{}", achievement.id),
            t,
            &json!({ "name": "Ada", "email": "ada@example.org" }),
            None,
        ),
    )
    .await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    let credential = a.json();
    assert!(!credential["proof"].is_null(), "{credential}");
    let id = credential["id"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let a = call(&app, post(&format!("/api/sign/{id}"), t, &json!({}), None)).await;
    assert_eq!(a.json()["proof"], credential["proof"]);
    let a = call(
        &app,
        post(
            &format!("/api/award/{}", achievement.id),
            t,
            &json!({ "name": "Ada" }),
            None,
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.json()["error"].as_str().unwrap().contains("email"));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn the_curl_example_issues_a_badge_that_verifies(pool: PgPool) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = app_support::state(&pool, &base, &[]).await;
    let (issuer, _) = app_support::issuer_with_achievement(
        &state,
        "Acme",
        engine::issuer::DidMethod::Key,
        None,
        "Existing",
    )
    .await;
    let (created, _) = app_with_role(&pool, "script", &EVERYTHING, None).await;
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            server::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    let dir = std::env::temp_dir().join(format!("be-api-example-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let png = dir.join("badge.png");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api-example.sh");
    let (id, secret, issuer_id, target) = (
        created.app.client_id.clone(),
        created.secret.clone(),
        issuer.id.to_string(),
        png.clone(),
    );
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("bash")
            .arg(script)
            .arg(&target)
            .env("BADGE_ENGINE_URL", &base)
            .env("CLIENT_ID", id)
            .env("CLIENT_SECRET", secret)
            .env("ISSUER_ID", issuer_id)
            .output()
    })
    .await??;
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_badge-engine"))
        .args(["credential", "verify"])
        .arg(&png)
        .output()?;
    let report = String::from_utf8_lossy(&verify.stdout);
    assert!(
        verify.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
