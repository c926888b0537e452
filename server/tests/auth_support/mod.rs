//! Harness for the auth tests: the real local OpenID provider (`dev/oidc-provider`, Node) on a
//! free port, and the real app in-process on another, with a throwaway database and the shared
//! Redis. A "browser" is a reqwest client with a cookie jar that does not follow redirects, so
//! every hop of the flow can be inspected or tampered with.

#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::redirect::Policy;
use server::AppState;
use server::config::Config;
use sqlx::PgPool;

/// Demo group ids fixed in `dev/oidc-provider/server.mjs`.
pub const ADMIN_GROUP: &str = "0a1d0000-0000-4000-8000-0000000000a1";
/// Awarders.
pub const AWARDER_GROUP: &str = "0a1d0000-0000-4000-8000-0000000000a2";
/// Client of the app in the provider.
pub const CLIENT_ID: &str = "badge-engine";
/// Its secret.
pub const CLIENT_SECRET: &str = "badge-engine-dev-secret";

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running local provider; killed on drop (and it exits by itself when our stdin pipe closes).
pub struct Provider {
    pub issuer: String,
    child: Child,
    _stdin: Option<ChildStdin>,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn start_provider() -> Provider {
    start_provider_on(free_port()).await
}

/// Starts the provider on `port` (a restart there gets a fresh signing key).
pub async fn start_provider_on(port: u16) -> Provider {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../dev/oidc-provider/server.mjs"
    );
    let mut child = Command::new("node")
        .arg(script)
        .env("OIDC_DEV_PORT", port.to_string())
        .env("OIDC_DEV_EXIT_WITH_STDIN", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("node runs dev/oidc-provider (npm ci there first; scripts/test.sh does)");
    let stdin = child.stdin.take();
    let issuer = format!("http://127.0.0.1:{port}");
    let provider = Provider {
        issuer: issuer.clone(),
        child,
        _stdin: stdin,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let url = format!("{issuer}/.well-known/openid-configuration");
    loop {
        if let Ok(r) = reqwest::get(&url).await
            && r.status().is_success()
        {
            return provider;
        }
        assert!(
            Instant::now() < deadline,
            "the local provider did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The app under test.
pub struct App {
    pub base: String,
    pub state: AppState,
    pub db: PgPool,
    db_name: String,
    maintenance_url: String,
}

impl App {
    /// Starts the app against `issuer` with the demo groups mapped to admin and awarder.
    pub async fn start(issuer: &str) -> App {
        App::start_with(issuer, &[]).await
    }

    /// [`App::start`] with more configuration variables.
    pub async fn start_with(issuer: &str, extra: &[(&'static str, String)]) -> App {
        let maintenance_url = std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let mut url = url::Url::parse(&maintenance_url).expect("DATABASE_URL is a URL");
        let db_name = format!("be_auth_{}", uuid::Uuid::new_v4().simple());
        url.set_path(&format!("/{db_name}"));
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut vars = vec![
            ("DATABASE_URL", url.to_string()),
            ("REDIS_URL", "redis://127.0.0.1:6379".to_owned()),
            ("BIND_ADDR", format!("127.0.0.1:{port}")),
            ("PUBLIC_BASE_URL", base.clone()),
            ("OIDC_ISSUER_URL", issuer.to_owned()),
            ("OIDC_CLIENT_ID", CLIENT_ID.to_owned()),
            ("OIDC_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
            (
                "OIDC_TENANT_ID",
                "8b6f1c2e-0000-4000-8000-00000000d001".to_owned(),
            ),
        ];
        vars.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
        vars.extend(extra.iter().cloned());
        let config = Config::from_lookup(|k| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.clone())
        })
        .expect("valid test configuration");
        server::startup::create_database_if_missing(&config)
            .await
            .expect("create the test database");
        let state = server::startup::build_state(config)
            .await
            .expect("app state");
        let db = state.db.clone();
        let system = engine::rbac::Principal::bypass_for_system_task("test");
        let can = system
            .require::<engine::rbac::can::ManageRoles>()
            .expect("system may");
        for (claim, role) in [(ADMIN_GROUP, "admin"), (AWARDER_GROUP, "awarder")] {
            let role = engine::role::find_by_name(&db, role)
                .await
                .unwrap()
                .expect("built-in role");
            engine::role::map(
                &db,
                &can,
                &engine::role::RoleSource::Claim(claim.into()),
                role.id,
            )
            .await
            .unwrap();
        }
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind");
        let router = server::app(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        App {
            base,
            state,
            db,
            db_name,
            maintenance_url,
        }
    }

    /// Drops the throwaway database.
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Ok(pool) = PgPool::connect(&self.maintenance_url).await {
            // The name is ours (be_auth_ + hex), not input.
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "drop database if exists {} with (force)",
                self.db_name
            )))
            .execute(&pool)
            .await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// `GET /auth/login`; returns the provider's authorization URL.
    pub async fn start_login(&self, browser: &reqwest::Client) -> String {
        let r = browser
            .get(self.url("/auth/login?next=/admin"))
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_redirection(),
            "login redirects: {}",
            r.status()
        );
        location(&r)
    }

    /// Completes a whole sign-in as `user`; returns the callback response.
    pub async fn sign_in(&self, browser: &reqwest::Client, user: &str) -> reqwest::Response {
        let authorize = self.start_login(browser).await;
        let callback = provider_login(browser, &authorize, user).await;
        browser.get(callback).send().await.unwrap()
    }

    /// The signed-in user per the app (`None` for visitors).
    pub async fn viewer(&self, browser: &reqwest::Client) -> Option<serde_json::Value> {
        let r = browser
            .post(self.url("/api/current_viewer"))
            .header("origin", &self.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: serde_json::Value = r.json().await.unwrap();
        (!v.is_null()).then_some(v)
    }

    /// Sessions rows of all users (active or not).
    pub async fn session_rows(&self) -> i64 {
        sqlx::query_scalar::<_, i64>("select count(*) from sessions")
            .fetch_one(&self.db)
            .await
            .unwrap()
    }
}

/// A browser: its own cookie jar, redirects not followed.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

pub fn location(r: &reqwest::Response) -> String {
    let raw = r
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap();
    r.url().join(raw).unwrap().to_string()
}

/// At the provider: follow the authorization URL, submit the dev login form as `user`, and
/// return the redirect back to the client (the callback URL with `code` and `state`).
pub async fn provider_login(browser: &reqwest::Client, authorize: &str, user: &str) -> String {
    let r = browser.get(authorize).send().await.unwrap();
    let interaction = location(&r);
    if interaction.contains("code=") {
        // Still signed in at the provider: it answers at once.
        return interaction;
    }
    let r = browser
        .post(&interaction)
        .form(&[("prompt", "login"), ("login", user), ("password", "x")])
        .send()
        .await
        .unwrap();
    let resume = location(&r);
    let r = browser.get(&resume).send().await.unwrap();
    let callback = location(&r);
    assert!(callback.contains("code="), "provider returned {callback}");
    callback
}

/// Replaces (or adds) one query parameter of `url`.
pub fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut u = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| k != name)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    u.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair(name, value);
    u.to_string()
}

/// Gets a real ID token from `issuer` for `client_id` (as that client would, with PKCE).
pub async fn raw_id_token(
    issuer: &str,
    client_id: &str,
    secret: &str,
    user: &str,
    nonce: &str,
) -> String {
    let (challenge, verifier) = openidconnect::PkceCodeChallenge::new_random_sha256();
    let redirect = "http://127.0.0.1:3000/auth/callback";
    let mut authorize = url::Url::parse(&format!("{issuer}/auth")).unwrap();
    authorize
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect)
        .append_pair("scope", "openid email profile")
        .append_pair("state", "s")
        .append_pair("nonce", nonce)
        .append_pair("code_challenge", challenge.as_str())
        .append_pair("code_challenge_method", "S256");
    let b = browser();
    let callback = provider_login(&b, authorize.as_str(), user).await;
    let code = url::Url::parse(&callback)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let r = b
        .post(format!("{issuer}/token"))
        .basic_auth(client_id, Some(secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier.secret()),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "token endpoint: {}", r.status());
    let body: serde_json::Value = r.json().await.unwrap();
    body["id_token"].as_str().unwrap().to_owned()
}
