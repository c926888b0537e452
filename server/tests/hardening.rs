//! Request hardening through the whole in-process app: body limits on pages and server
//! functions (413, not 500), the permission check before argument parsing (401 for a signed-out
//! caller of an admin function), unreadable arguments of a public function (400 with a plain
//! message), and the security headers on every HTML page (CSP with a nonce, no framing,
//! nosniff, referrer policy, HSTS only behind an https base URL).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod app_support;

use axum::body::Body;
use http::{Request, StatusCode, header};
use sqlx::PgPool;
use tower::ServiceExt;

async fn app(pool: &PgPool, base: &str) -> axum::Router {
    server::app(app_support::state(pool, base, &[]).await)
}

async fn send(app: &axum::Router, request: Request<Body>) -> (StatusCode, http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    (status, headers, body)
}

/// A form POST with its `Content-Length`, as browsers and HTTP clients send it.
fn post(path: &str, body: impl Into<Vec<u8>>) -> Request<Body> {
    let body: Vec<u8> = body.into();
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .body(Body::from(body))
        .expect("request")
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn bodies_arguments_and_headers(pool: PgPool) {
    let app = app(&pool, app_support::BASE).await;

    // 20 MB to a server function and to a page: refused by size, not a 500.
    let big = vec![b'a'; 20 << 20];
    let (status, _, _) = send(&app, post("/api/public_issuer", big.clone())).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let mut upload = post("/verify", vec![b'a'; 50 << 20]);
    upload.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("multipart/form-data; boundary=x"),
    );
    // Uploads have their own, larger limit (24 MB on the verify page): 50 MB is not read,
    // and the page says so (a form post, so the answer is the report page, not a bare 413).
    let (status, h, _) = send(&app, upload).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let report = h
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(report.starts_with("/verify?report="), "{report}");
    let (status, _, page) = send(
        &app,
        Request::get(report.as_str())
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("larger than 24 MB"), "{page}");
    drop(big);

    // An admin function, signed out, with no arguments: the permission check answers first.
    let (status, _, body) = send(&app, post("/api/admin_list_users", "")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(!body.contains("deserializ"), "{body}");
    // A public function with arguments it cannot read: 400, not 500.
    let (status, _, body) = send(&app, post("/api/public_issuer", "nonsense=%ZZ")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // Security headers on a page; no HSTS over http.
    // With a query string, so the page cache is bypassed: the cached `/` of an earlier run in
    // the same Redis (the test database, hence the cache namespace, has a fixed name) carries
    // hash sources instead of a nonce.
    let (status, h, _) = send(
        &app,
        Request::get("/?fresh=1")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let csp = h
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'nonce-"), "{csp}");
    assert_eq!(
        h.get(header::X_CONTENT_TYPE_OPTIONS).map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
    assert!(h.contains_key(header::REFERRER_POLICY));
    assert!(!h.contains_key(header::STRICT_TRANSPORT_SECURITY));
    // A fresh nonce per response (rendered again, not served from the page cache).
    let (_, h2, _) = send(
        &app,
        Request::get("/?fresh=2")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_ne!(
        h2.get(header::CONTENT_SECURITY_POLICY),
        Some(&http::HeaderValue::from_str(&csp).expect("header"))
    );

    // Behind an https base URL: HSTS.
    let secure = server::app(app_support::state(&pool, "https://badges.example.org", &[]).await);
    let (_, h, _) = send(
        &secure,
        Request::get("/healthz")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert!(h.contains_key(header::STRICT_TRANSPORT_SECURITY));
}

/// A 1×1 PNG (signature, IHDR, IDAT, IEND).
const PNG_1X1: [u8; 67] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn the_verify_page_names_broken_baking_rules(pool: PgPool) {
    let app = app(&pool, app_support::BASE).await;
    // The credential in a tEXt chunk instead of an uncompressed iTXt.
    let mut data = b"tEXtopenbadgecredential\0".to_vec();
    data.extend_from_slice(br#"{"type":["VerifiableCredential"]}"#);
    let mut png = PNG_1X1[..PNG_1X1.len() - 12].to_vec();
    png.extend_from_slice(&((data.len() - 4) as u32).to_be_bytes());
    png.extend_from_slice(&data);
    png.extend_from_slice(&crc32fast::hash(&data).to_be_bytes());
    png.extend_from_slice(&PNG_1X1[PNG_1X1.len() - 12..]);
    let mut body =
        b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"badge.png\"\r\n\
Content-Type: image/png\r\n\r\n"
            .to_vec();
    body.extend_from_slice(&png);
    body.extend_from_slice(b"\r\n--x--\r\n");
    let mut upload = post("/verify", body);
    upload.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("multipart/form-data; boundary=x"),
    );
    // An address of its own: the verify page limits uploads per address.
    let b = uuid::Uuid::new_v4().into_bytes();
    upload
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [198, 18, b[0], b[1]],
            40000,
        ))));
    let (status, h, _) = send(&app, upload).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let report = h
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(report.starts_with("/verify?report="), "{report}");
    let (status, _, page) = send(
        &app,
        Request::get(report.as_str())
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("does not follow the Open Badges baking rules"),
        "{page}"
    );
    assert!(page.contains("the credential is in a tEXt chunk"), "{page}");
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn server_functions_answer_engine_conflicts_with_409(pool: PgPool) {
    let outbox = std::env::temp_dir().join(format!("be-hardening-{}", uuid::Uuid::new_v4()));
    let state = app_support::state(
        &pool,
        app_support::BASE,
        &[("OUTBOX_DIR", outbox.to_string_lossy().into_owned())],
    )
    .await;
    let app = server::app(state.clone());
    let (_, achievement) = app_support::issuer_with_achievement(
        &state,
        "Stale Academy",
        engine::issuer::DidMethod::Key,
        None,
        "Stale",
    )
    .await;
    // An admin who signs in with a mailed link (an address with a badge gets one).
    let ada = app_support::earner(&state, "ada@example.net", "Ada Admin").await;
    let admin_role = engine::role::find_by_name(&pool, "admin")
        .await
        .expect("roles")
        .expect("the built-in admin role");
    engine::role::grant(
        &pool,
        &app_support::admin().require().expect("capability"),
        ada.id,
        admin_role.id,
    )
    .await
    .expect("grant");
    app_support::award(&state, achievement.id, "Ada Admin", "ada@example.net").await;
    let signed_in =
        app_support::sign_in_with_mailed_link(&state, &app, &outbox, "ada@example.net", "/admin")
            .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let cookie = signed_in
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();

    // Publishing with a version that moved on: the engine says Stale, the function says 409
    // (the one table in `app::error::from_engine`), as the REST API and SCIM do.
    let mut publish = post(
        "/api/admin_publish_achievement",
        format!("id={}&version=999", achievement.id),
    );
    publish
        .headers_mut()
        .insert(header::COOKIE, cookie.parse().expect("header"));
    let (status, _, body) = send(&app, publish).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let _ = std::fs::remove_dir_all(&outbox);
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn production_refuses_keys_sealed_under_the_development_key(pool: PgPool) {
    // Without KEY_ENCRYPTION_KEY (development), issuers' keys are sealed under the public
    // development key.
    let state = app_support::state(&pool, app_support::BASE, &[]).await;
    let (issuer, _) = app_support::issuer_with_achievement(
        &state,
        "Development Academy",
        engine::issuer::DidMethod::Key,
        None,
        "Sealed",
    )
    .await;
    let mut conn = pool.acquire().await.expect("connection");
    assert!(
        engine::signing_key::load_active(&mut conn, &state.config.key_encryption_key, issuer.id)
            .await
            .is_ok()
    );
    // Production, even with the development key listed as a previous key, refuses those rows:
    // anyone can read that key in the source code.
    let url = app_support::database_url(&pool);
    let production = server::config::Config::from_lookup(|name| {
        match name {
            "DATABASE_URL" => Some(url.as_str()),
            "APP_ENV" => Some("production"),
            "PUBLIC_BASE_URL" => Some("https://badges.example.org"),
            "REDIS_URL" => Some("redis://127.0.0.1:6379"),
            "KEY_ENCRYPTION_KEY" => Some("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="),
            // b"badge-engine-development-kek-32b", hex-encoded.
            "KEY_ENCRYPTION_KEY_PREVIOUS" => {
                Some("62616467652d656e67696e652d646576656c6f706d656e742d6b656b2d333262")
            }
            "SMTP_URL" => Some("smtp://mail.example.org:587?tls=required"),
            _ => None,
        }
        .map(str::to_owned)
    })
    .expect("production configuration");
    let refused =
        engine::signing_key::load_active(&mut conn, &production.key_encryption_key, issuer.id)
            .await;
    assert!(
        matches!(refused, Err(engine::Error::Unavailable { .. })),
        "{:?}",
        refused.err()
    );
}
