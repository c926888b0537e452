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
    let (status, h, _) = send(
        &app,
        Request::get("/").body(Body::empty()).expect("request"),
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
    // A fresh nonce per response.
    let (_, h2, _) = send(
        &app,
        Request::get("/").body(Body::empty()).expect("request"),
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
