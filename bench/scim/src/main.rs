//! Provisions users and groups into a Badge Engine SCIM endpoint the way Entra's provisioning
//! service does (look up by userName, create, update; look up group by displayName, create,
//! add members in batches), from many concurrent connections, and reports throughput and
//! latency percentiles.
//!
//! Usage: scim-load BASE_URL TOKEN [users=10000] [groups=200] [members=50] [concurrency=32]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::Mutex;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

struct Ctx {
    client: Client,
    base: String,
    auth: String,
    latencies: Mutex<Vec<Duration>>,
    errors: AtomicUsize,
}

impl Ctx {
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        expect: StatusCode,
    ) -> Option<Value> {
        let mut req = self
            .client
            .request(method, format!("{}{}", self.base, path))
            .header("authorization", &self.auth);
        if let Some(b) = body {
            req = req
                .header("content-type", "application/scim+json")
                .body(b.to_string());
        }
        let started = Instant::now();
        let result = req.send().await;
        let (ok, json) = match result {
            Ok(resp) => {
                let status = resp.status();
                let bytes = resp.bytes().await.unwrap_or_default();
                if status != expect {
                    eprintln!("{path}: {status} {}", String::from_utf8_lossy(&bytes));
                }
                (status == expect, serde_json::from_slice(&bytes).ok())
            }
            Err(e) => {
                eprintln!("{path}: {e}");
                (false, None)
            }
        };
        self.latencies.lock().await.push(started.elapsed());
        if !ok {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        json
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn provision_user(ctx: &Ctx, run: &str, i: usize) -> Option<String> {
    let name = format!("{run}.user{i}@contoso.example");
    let filter = enc(&format!("userName eq \"{name}\""));
    ctx.call(
        Method::GET,
        &format!("/Users?filter={filter}"),
        None,
        StatusCode::OK,
    )
    .await;
    let created = ctx
        .call(
            Method::POST,
            "/Users",
            Some(json!({
                "schemas": [USER, ENTERPRISE],
                "externalId": format!("{run}-{i:08}"),
                "userName": name,
                "active": true,
                "displayName": format!("User {i}"),
                "emails": [{ "primary": true, "type": "work", "value": name }],
                "name": { "formatted": format!("Given{i} Family{i}"), "givenName": format!("Given{i}"), "familyName": format!("Family{i}") },
                "title": "Engineer",
                ENTERPRISE: { "department": format!("Dept {}", i % 20), "employeeNumber": i.to_string() },
                "meta": { "resourceType": "User" },
                "roles": []
            })),
            StatusCode::CREATED,
        )
        .await?;
    let id = created["id"].as_str()?.to_owned();
    ctx.call(
        Method::PATCH,
        &format!("/Users/{id}"),
        Some(json!({ "schemas": [PATCH], "Operations": [
            { "op": "Replace", "path": "title", "value": "Senior Engineer" },
            { "op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Research" }
        ] })),
        StatusCode::OK,
    )
    .await;
    Some(id)
}

async fn provision_group(ctx: &Ctx, run: &str, g: usize, members: &[String]) {
    let name = format!("{run} group {g}");
    let filter = enc(&format!("displayName eq \"{name}\""));
    ctx.call(
        Method::GET,
        &format!("/Groups?excludedAttributes=members&filter={filter}"),
        None,
        StatusCode::OK,
    )
    .await;
    let Some(created) = ctx
        .call(
            Method::POST,
            "/Groups",
            Some(json!({
                "schemas": [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                "externalId": format!("{run}-g{g:05}"),
                "displayName": name,
                "meta": { "resourceType": "Group" }
            })),
            StatusCode::CREATED,
        )
        .await
    else {
        return;
    };
    let Some(id) = created["id"].as_str() else {
        return;
    };
    // Entra adds members in batches of up to 10 per PATCH.
    for batch in members.chunks(10) {
        let value: Vec<Value> = batch.iter().map(|m| json!({ "value": m })).collect();
        ctx.call(
            Method::PATCH,
            &format!("/Groups/{id}"),
            Some(json!({ "schemas": [PATCH], "Operations": [{ "op": "Add", "path": "members", "value": value }] })),
            StatusCode::NO_CONTENT,
        )
        .await;
    }
}

fn report(phase: &str, lat: &mut [Duration], elapsed: Duration, errors: usize) {
    lat.sort();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "{phase}: {} requests in {:.2} s = {:.0} req/s; p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; errors {errors}",
        lat.len(),
        elapsed.as_secs_f64(),
        lat.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        lat.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: scim-load BASE_URL TOKEN [users] [groups] [members] [concurrency]");
        std::process::exit(2);
    }
    let num = |i: usize, d: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let (users, groups, members, concurrency) =
        (num(3, 10_000), num(4, 200), num(5, 50), num(6, 32));
    let run = format!("r{}", std::process::id());
    let client = Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let ctx = Arc::new(Ctx {
        client,
        base: args[1].trim_end_matches('/').to_owned(),
        auth: format!("Bearer {}", args[2]),
        latencies: Mutex::new(Vec::with_capacity(users * 3 + groups * 8)),
        errors: AtomicUsize::new(0),
    });

    let all_start = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let ids = Arc::new(Mutex::new(vec![String::new(); users]));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (ctx, next, ids, run) = (ctx.clone(), next.clone(), ids.clone(), run.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= users {
                    break;
                }
                if let Some(id) = provision_user(&ctx, &run, i).await {
                    ids.lock().await[i] = id;
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let user_elapsed = all_start.elapsed();
    let mut user_lat = std::mem::take(&mut *ctx.latencies.lock().await);
    let user_errors = ctx.errors.swap(0, Ordering::Relaxed);
    report(
        "users (lookup, create, patch)",
        &mut user_lat.clone(),
        user_elapsed,
        user_errors,
    );

    let ids: Arc<Vec<String>> = Arc::new(
        ids.lock()
            .await
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect(),
    );
    let group_start = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (ctx, next, ids, run) = (ctx.clone(), next.clone(), ids.clone(), run.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let g = next.fetch_add(1, Ordering::Relaxed);
                if g >= groups {
                    break;
                }
                let start = (g * members) % ids.len().max(1);
                let picked: Vec<String> = (0..members)
                    .filter_map(|k| ids.get((start + k) % ids.len().max(1)).cloned())
                    .collect();
                provision_group(&ctx, &run, g, &picked).await;
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let group_elapsed = group_start.elapsed();
    let mut group_lat = std::mem::take(&mut *ctx.latencies.lock().await);
    let group_errors = ctx.errors.swap(0, Ordering::Relaxed);
    report(
        "groups (lookup, create, add members x5)",
        &mut group_lat.clone(),
        group_elapsed,
        group_errors,
    );
    user_lat.append(&mut group_lat);
    report(
        "all",
        &mut user_lat,
        all_start.elapsed(),
        user_errors + group_errors,
    );
    if user_errors + group_errors > 0 {
        std::process::exit(1);
    }
}
