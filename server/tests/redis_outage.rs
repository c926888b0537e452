//! Redis going away while serving: pages that need a session answer a clear 503, public pages
//! keep working (rendered afresh), probes keep working, the process stays up, and everything
//! recovers when Redis returns. Uses a private
//! real `redis-server` on a free port so the shared one is untouched.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::PgPool;

struct Guard(Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_redis(port: u16) -> Guard {
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server is installed (scripts/test.sh makes sure)");
    Guard(child)
}

async fn wait_until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn status(client: &reqwest::Client, url: &str) -> Option<u16> {
    client
        .get(url)
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

#[sqlx::test(migrations = false)]
async fn redis_outage_gives_503_and_recovers(pool: PgPool) {
    let redis_port = free_port();
    let mut redis = start_redis(redis_port);
    let client = reqwest::Client::new();
    let redis_url = format!("redis://127.0.0.1:{redis_port}");
    wait_until("redis", async || {
        Command::new("redis-cli")
            .args(["-p", &redis_port.to_string(), "ping"])
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"PONG"))
    })
    .await;

    let http_port = free_port();
    let db = pool
        .connect_options()
        .get_database()
        .unwrap_or("postgres")
        .to_owned();
    let server = Command::new(env!("CARGO_BIN_EXE_badge-engine"))
        .arg("serve")
        .current_dir(std::env::temp_dir())
        .env(
            "DATABASE_URL",
            format!("postgres://postgres@127.0.0.1:5432/{db}"),
        )
        .env("REDIS_URL", &redis_url)
        .env("BIND_ADDR", format!("127.0.0.1:{http_port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    let mut server = Guard(server);
    let base = format!("http://127.0.0.1:{http_port}");

    wait_until("server up", async || {
        status(&client, &format!("{base}/healthz")).await == Some(200)
    })
    .await;
    assert_eq!(status(&client, &format!("{base}/")).await, Some(200));
    assert_eq!(status(&client, &format!("{base}/admin")).await, Some(401));

    // Redis goes away.
    drop(redis);
    wait_until("503 while redis is down", async || {
        status(&client, &format!("{base}/admin")).await == Some(503)
    })
    .await;
    for public in ["/", "/verify"] {
        let page = client
            .get(format!("{base}{public}"))
            .send()
            .await
            .expect("answer");
        assert_eq!(page.status().as_u16(), 200, "{public} needs no session");
    }
    let page = client
        .get(format!("{base}/admin"))
        .send()
        .await
        .expect("answer");
    assert_eq!(
        page.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"10"[..])
    );
    assert!(
        page.text()
            .await
            .expect("body")
            .contains("Temporarily unavailable")
    );
    assert_eq!(
        status(&client, &format!("{base}/healthz")).await,
        Some(200),
        "liveness is unaffected"
    );
    assert_eq!(
        status(&client, &format!("{base}/readyz")).await,
        Some(503),
        "readiness reports it"
    );
    assert!(
        server.0.try_wait().expect("status").is_none(),
        "the process stays up"
    );

    // Redis comes back on the same port: the app recovers by itself.
    redis = start_redis(redis_port);
    wait_until("recovery", async || {
        status(&client, &format!("{base}/admin")).await == Some(401)
    })
    .await;
    assert_eq!(status(&client, &format!("{base}/readyz")).await, Some(200));
    drop(redis);
}
