//! Harness for the SCIM tests: the real application in-process (`server::app`) on the test's
//! own database, driven with `oneshot`, and a fresh SCIM bearer token.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use http::{HeaderMap, Method, Request, StatusCode};
use serde_json::Value;
use server::AppState;
use server::config::Config;
use sqlx::PgPool;
use tower::ServiceExt;

/// The app plus a valid token.
pub struct Scim {
    pub app: Router,
    pub state: AppState,
    pub token: String,
}

/// An answer: status, headers, JSON body (`Null` when empty).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn content_type(&self) -> &str {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

pub fn database_url(pool: &PgPool) -> String {
    let db = pool
        .connect_options()
        .get_database()
        .unwrap_or("postgres")
        .to_owned();
    format!("postgres://postgres@127.0.0.1:5432/{db}")
}

impl Scim {
    pub async fn new(pool: &PgPool) -> Scim {
        Scim::with(pool, &[]).await
    }

    /// [`Scim::new`] with extra configuration variables (e.g. `SCIM_RATE_LIMIT_PER_MINUTE`).
    pub async fn with(pool: &PgPool, extra: &[(&str, &str)]) -> Scim {
        let url = database_url(pool);
        let config = Config::from_lookup(|name| {
            if let Some((_, value)) = extra.iter().find(|(k, _)| *k == name) {
                return Some((*value).to_owned());
            }
            match name {
                "DATABASE_URL" => Some(url.clone()),
                "REDIS_URL" => Some("redis://127.0.0.1:6379".into()),
                "PUBLIC_BASE_URL" => Some("https://badges.example.org".into()),
                "APP_ENV" => Some("development".into()),
                _ => None,
            }
        })
        .expect("config");
        let state = server::startup::build_state(config).await.expect("state");
        let auth = engine::rbac::Principal::bypass_for_system_task("test")
            .require()
            .expect("capability");
        let token = engine::scim_token::create(&state.db, &auth, "entra-test", None)
            .await
            .expect("token")
            .secret;
        Scim {
            app: server::app(state.clone()),
            state,
            token,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.app.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    pub fn request(&self, method: Method, path: &str, body: Option<&Value>) -> Request<Body> {
        let builder = Request::builder()
            .method(method)
            .uri(format!("/scim/v2{path}"))
            .header(
                http::header::AUTHORIZATION,
                format!("Bearer {}", self.token),
            );
        match body {
            Some(b) => builder
                .header(http::header::CONTENT_TYPE, "application/scim+json")
                .body(Body::from(b.to_string())),
            None => builder.body(Body::empty()),
        }
        .expect("request")
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Answer {
        self.send(self.request(method, path, body)).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call(Method::GET, path, None).await
    }
}

/// `?filter=` value, URL-encoded.
pub fn q(filter: &str) -> String {
    url::form_urlencoded::byte_serialize(filter.as_bytes()).collect()
}
