//! Rendered-HTML cache for the public pages many people open: the home page and the public
//! credential, issuer and achievement pages, as anonymous visitors see them.
//!
//! - **Who gets a cached page:** only requests without a session cookie, without a query
//!   string and asking for HTML. A signed-in viewer is always rendered afresh, so nobody is
//!   ever served a page rendered for someone else.
//! - **Where:** Redis (shared by every instance) with an in-process LRU in front; a local copy
//!   is served for at most [`LOCAL_FRESH`] before Redis is asked again, which bounds how long
//!   another instance's write can go unseen here. Writes in this process are seen at once.
//! - **Invalidation:** each page depends on [`PageTag`]s whose generations the engine bumps
//!   after the writes that change them (award, revoke, suspend, claim, privacy, issuer and
//!   achievement edits). An entry is served only while its recorded generations are current.
//! - **Redis down:** nothing is read or stored (invalidations could not be seen); pages render
//!   as usual, slower, never stale.
//! - **Script policy:** a cached page is served to many requests, so it cannot carry a
//!   per-request CSP nonce; its inline scripts are allowed by their SHA-256 hashes instead.
//! - **Transfer:** stored with brotli and gzip bodies made once, and an `ETag`, so a hit costs
//!   no compression and a revalidation is a 304.
//!
//! `quick_cache` is the in-process LRU (weighted by bytes, lock-striped, no background
//! threads); `rmp-serde` packs an entry for Redis far smaller than JSON with base64 would.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use engine::cache::{self, PageTag};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::state::AppState;

/// How long an in-process copy is served without asking Redis whether it is still current.
pub const LOCAL_FRESH: Duration = Duration::from_secs(1);
/// How long Redis keeps an entry at most (bounds staleness should an invalidation be lost).
const TTL: Duration = Duration::from_secs(300);
/// Larger pages are served but not stored.
const MAX_PAGE: usize = 1 << 20;
/// Bytes of rendered pages the in-process cache holds.
const LOCAL_CAPACITY: u64 = 64 << 20;
/// Brotli quality for stored pages: near gzip's speed, smaller output; made once per entry.
const BROTLI_QUALITY: u32 = 6;

/// Response header saying whether a page came from the cache (`hit`) or was rendered (`miss`).
pub const CACHE_STATUS: &str = "x-page-cache";

/// The in-process part of the cache and the deployment's key prefix; cheap to clone.
#[derive(Clone)]
pub struct PageCache {
    local: Arc<quick_cache::sync::Cache<String, Local, PageWeight>>,
    namespace: Arc<str>,
}

impl PageCache {
    /// A cache for the deployment that serves `public_base_url` from `database_url` with the
    /// browser bundle `bundle` (its hashed name): pages hold absolute URLs, that database's rows
    /// and links to that bundle, so deployments (and test databases) sharing one Redis never see
    /// each other's pages, and a new release never serves pages linking the old bundle's files.
    pub fn new(public_base_url: &str, database_url: &str, bundle: &str) -> PageCache {
        let mut h = Sha256::new();
        for part in [public_base_url, database_url, bundle] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        let namespace = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&h.finalize()[..9]);
        PageCache {
            local: Arc::new(quick_cache::sync::Cache::with_weighter(
                4_096,
                LOCAL_CAPACITY,
                PageWeight,
            )),
            namespace: namespace.into(),
        }
    }
}

#[derive(Clone)]
struct Local {
    page: Arc<Page>,
    stored_at: Instant,
    epoch: u64,
}

#[derive(Clone)]
struct PageWeight;

impl quick_cache::Weighter<String, Local> for PageWeight {
    fn weight(&self, key: &String, value: &Local) -> u64 {
        let p = &value.page;
        (key.len() + p.html.len() + p.br.len() + p.gzip.len() + 256) as u64
    }
}

/// A rendered page ready to send in any encoding.
struct Page {
    generations: Vec<u64>,
    etag: HeaderValue,
    csp: HeaderValue,
    html: Bytes,
    br: Bytes,
    gzip: Bytes,
}

/// [`Page`] as stored in Redis.
#[derive(Serialize, Deserialize)]
struct Stored {
    generations: Vec<u64>,
    etag: String,
    csp: String,
    #[serde(with = "serde_bytes")]
    html: Vec<u8>,
    #[serde(with = "serde_bytes")]
    br: Vec<u8>,
    #[serde(with = "serde_bytes")]
    gzip: Vec<u8>,
}

impl Stored {
    fn into_page(self) -> Option<Page> {
        Some(Page {
            generations: self.generations,
            etag: HeaderValue::from_str(&self.etag).ok()?,
            csp: HeaderValue::from_str(&self.csp).ok()?,
            html: self.html.into(),
            br: self.br.into(),
            gzip: self.gzip.into(),
        })
    }
}

/// Which cached page a request is for, and what it depends on.
struct Target {
    key: String,
    tags: Vec<PageTag>,
}

/// Paths of the public pages: served without a session, and (for anonymous visitors) cached.
fn public_page(path: &str) -> Option<Vec<PageTag>> {
    if path == "/" {
        return Some(vec![PageTag::Home, PageTag::Profiles]);
    }
    let (kind, id) = path.strip_prefix('/')?.split_once('/')?;
    let id = Uuid::parse_str(id).ok()?;
    let own = match kind {
        "credentials" => PageTag::Credential(id),
        "issuers" => PageTag::Issuer(id),
        "achievements" => PageTag::Achievement(id),
        _ => return None,
    };
    Some(vec![own, PageTag::Profiles])
}

/// Whether `path` is a page anyone may read without a session (the cached pages and the
/// verify form), so it keeps working while the session store is away.
pub fn needs_no_session(method: &Method, path: &str) -> bool {
    (method == Method::GET || method == Method::HEAD)
        && (path == "/verify" || public_page(path).is_some())
}

fn has_session_cookie(headers: &HeaderMap) -> bool {
    super::cookie(headers, crate::session::COOKIE_NAME).is_some()
        || super::cookie(headers, crate::session::SECURE_COOKIE_NAME).is_some()
}

fn target(request: &Request, namespace: &str) -> Option<Target> {
    if request.method() != Method::GET
        || request.uri().query().is_some()
        || has_session_cookie(request.headers())
        || super::wants_json(request.headers()).is_some()
    {
        return None;
    }
    let path = request.uri().path();
    let tags = public_page(path)?;
    // Set by `language::negotiate`, which runs first: one entry per language.
    let lang = request
        .extensions()
        .get::<engine::i18n::Lang>()
        .copied()
        .unwrap_or_default();
    Some(Target {
        key: cache::page_key(&format!("{namespace}:{}:{path}", lang.tag())),
        tags,
    })
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// The best encoding the client accepts (`q=0` refuses one).
fn encoding(headers: &HeaderMap) -> Encoding {
    let mut br = false;
    let mut gzip = false;
    for part in headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
    {
        let mut pieces = part.split(';');
        let name = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = pieces.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        match name.as_str() {
            "br" => br = !refused,
            "gzip" => gzip = !refused,
            _ => {}
        }
    }
    if br {
        Encoding::Brotli
    } else if gzip {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Serves public pages from the cache, or renders them and stores the result.
pub async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(target) = target(&request, &state.pages.namespace) else {
        return next.run(request).await;
    };
    let wanted = encoding(request.headers());
    let revalidating = request.headers().get(header::IF_NONE_MATCH).cloned();
    let epoch = state.cache.local_epoch();
    if let Some(local) = state.pages.local.get(&target.key)
        && local.epoch == epoch
        && local.stored_at.elapsed() < LOCAL_FRESH
        && state.cache.is_connected()
    {
        return respond(&local.page, wanted, revalidating.as_ref());
    }
    let (generations, stored) = tokio::join!(
        state.cache.page_generations(&target.tags),
        state.cache.get_bytes(&target.key)
    );
    let Some(generations) = generations else {
        // Redis is away: no invalidation could be seen, so neither read nor store.
        return next.run(request).await;
    };
    if let Some(page) = stored
        .and_then(|bytes| rmp_serde::from_slice::<Stored>(&bytes).ok())
        .and_then(Stored::into_page)
        .filter(|p| p.generations == generations)
    {
        let page = Arc::new(page);
        let response = respond(&page, wanted, revalidating.as_ref());
        remember(&state, target.key, page, epoch);
        return response;
    }

    let response = next.run(request).await;
    let storable = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && !response.headers().contains_key(header::CONTENT_ENCODING)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    if !storable {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let html = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "page body failed while rendering");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    parts
        .headers
        .insert(CACHE_STATUS, HeaderValue::from_static("miss"));
    if html.len() <= MAX_PAGE {
        // This response keeps its own nonce; the stored copy gets hashes, made off the path.
        let state = state.clone();
        let html = html.clone();
        tokio::spawn(async move {
            let form_targets = crate::security::form_targets(&state);
            let page =
                tokio::task::spawn_blocking(move || build(html, generations, &form_targets)).await;
            if let Ok(Some(page)) = page {
                let stored = Stored {
                    generations: page.generations.clone(),
                    etag: page.etag.to_str().unwrap_or_default().to_owned(),
                    csp: page.csp.to_str().unwrap_or_default().to_owned(),
                    html: page.html.to_vec(),
                    br: page.br.to_vec(),
                    gzip: page.gzip.to_vec(),
                };
                if let Ok(bytes) = rmp_serde::to_vec(&stored) {
                    state.cache.put_bytes(&target.key, bytes, TTL).await;
                }
                remember(&state, target.key, Arc::new(page), epoch);
            }
        });
    }
    Response::from_parts(parts, Body::from(html))
}

fn remember(state: &AppState, key: String, page: Arc<Page>, epoch: u64) {
    state.pages.local.insert(
        key,
        Local {
            page,
            stored_at: Instant::now(),
            epoch,
        },
    );
}

/// Compresses the page and works out its script policy and `ETag`.
fn build(html: Bytes, generations: Vec<u64>, form_targets: &str) -> Option<Page> {
    let digest = Sha256::digest(&html);
    let etag = format!(
        "\"{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..12])
    );
    let scripts: Vec<String> = inline_scripts(&html)
        .map(|s| {
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s))
            )
        })
        .collect();
    let csp = crate::security::policy(&scripts.join(" "), form_targets);
    let mut br = Vec::with_capacity(html.len() / 4);
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY as i32,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &html[..], &mut br, &params).ok()?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &html).ok()?;
    let gzip = gz.finish().ok()?;
    Some(Page {
        generations,
        etag: HeaderValue::from_str(&etag).ok()?,
        csp: HeaderValue::from_str(&csp).ok()?,
        html,
        br: br.into(),
        gzip: gzip.into(),
    })
}

/// The text of every inline `<script>` (one without `src`), as the browser hashes it: the
/// bytes between the start tag and `</script>`.
fn inline_scripts(html: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let start = find(rest, b"<script")?;
            let after = &rest[start + 7..];
            let tag_end = find(after, b">")?;
            let tag = &after[..tag_end];
            let body = &after[tag_end + 1..];
            let close = find(body, b"</script>")?;
            rest = &body[close + 9..];
            let has_src = tag
                .split(|b| b.is_ascii_whitespace())
                .any(|a| a.starts_with(b"src="));
            if !has_src {
                return Some(&body[..close]);
            }
        }
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn respond(page: &Page, wanted: Encoding, revalidating: Option<&HeaderValue>) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, page.etag.clone());
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(CACHE_STATUS, HeaderValue::from_static("hit"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CONTENT_SECURITY_POLICY, page.csp.clone());
    let etag = page.etag.to_str().unwrap_or_default();
    let matches = revalidating
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let body = match wanted {
        Encoding::Brotli => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            page.br.clone()
        }
        Encoding::Gzip => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            page.gzip.clone()
        }
        Encoding::Identity => page.html.clone(),
    };
    (StatusCode::OK, headers, body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_anonymous_html_requests_for_public_pages_are_cached() {
        let id = Uuid::now_v7();
        let req = |uri: &str, headers: &[(&str, &str)]| {
            let mut r = Request::builder().uri(uri);
            for (k, v) in headers {
                r = r.header(*k, *v);
            }
            r.body(Body::empty()).expect("request")
        };
        let target_of = |r: &Request| target(r, "ns");
        assert!(target_of(&req("/", &[])).is_some());
        assert!(target_of(&req(&format!("/credentials/{id}"), &[])).is_some());
        assert!(target_of(&req(&format!("/issuers/{id}"), &[("cookie", "theme=dark")])).is_some());
        assert!(target_of(&req(&format!("/credentials/{id}?x=1"), &[])).is_none());
        assert!(target_of(&req("/credentials/not-a-uuid", &[])).is_none());
        assert!(target_of(&req("/admin", &[])).is_none());
        assert!(
            target_of(&req(
                &format!("/achievements/{id}"),
                &[("cookie", "a=b; badge_engine_session=xyz")]
            ))
            .is_none()
        );
        assert!(
            target_of(&req(
                &format!("/credentials/{id}"),
                &[("accept", "application/ld+json")]
            ))
            .is_none()
        );
    }

    #[test]
    fn a_new_bundle_database_or_address_gets_its_own_pages() {
        let ns = |base, db, bundle| PageCache::new(base, db, bundle).namespace;
        let first = ns(
            "https://a.example/",
            "postgres://db/a",
            "badge-engine.0123456789abcdef",
        );
        assert_eq!(
            first,
            ns(
                "https://a.example/",
                "postgres://db/a",
                "badge-engine.0123456789abcdef"
            )
        );
        assert_ne!(
            first,
            ns(
                "https://a.example/",
                "postgres://db/a",
                "badge-engine.fedcba9876543210"
            )
        );
        assert_ne!(
            first,
            ns(
                "https://a.example/",
                "postgres://db/b",
                "badge-engine.0123456789abcdef"
            )
        );
        assert_ne!(
            first,
            ns(
                "https://b.example/",
                "postgres://db/a",
                "badge-engine.0123456789abcdef"
            )
        );
    }

    #[test]
    fn accept_encoding_prefers_brotli_and_honours_refusals() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(v).expect("value"),
            );
            m
        };
        assert_eq!(encoding(&h("gzip, deflate, br")), Encoding::Brotli);
        assert_eq!(encoding(&h("gzip, br;q=0")), Encoding::Gzip);
        assert_eq!(encoding(&h("identity")), Encoding::Identity);
        assert_eq!(encoding(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = b"<p>x</p><script nonce=\"n\">a()</script><script src=\"/pkg/x.js\"></script>\
                     <script type=\"module\">b()</script>";
        let found: Vec<&[u8]> = inline_scripts(html).collect();
        assert_eq!(found, vec![&b"a()"[..], &b"b()"[..]]);
    }
}
