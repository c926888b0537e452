//! Security headers on every response, and the per-request nonce that lets the hydrated app's
//! own inline scripts run under a strict Content-Security-Policy (no `unsafe-inline`).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};

use crate::state::AppState;

/// The nonce of this request's inline scripts (Leptos' hydration and resource scripts).
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// 122 random bits from the OS (a v4 UUID), as hex: unguessable, and valid in a header.
fn nonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The policy: our own origin for everything; inline scripts only those `scripts` names (this
/// request's nonce, or the hashes of a cached page's scripts); images also from https (issuer
/// logos hosted elsewhere) and data URIs; WebAssembly compilation allowed; forms may only post
/// here and to the sign-in provider (logout ends the provider session too).
pub fn policy(scripts: &str, form_targets: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' {scripts} 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: https:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'{form_targets}; frame-ancestors 'none'"
    )
}

/// Where forms may post besides this origin: the sign-in provider, when there is one.
pub fn form_targets(state: &AppState) -> String {
    state
        .config
        .oidc
        .as_ref()
        .map(|o| format!(" {}", o.issuer_url.origin().ascii_serialization()))
        .unwrap_or_default()
}

/// Adds the headers; generates the nonce before the page renders.
pub async fn headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let n = nonce();
    request.extensions_mut().insert(CspNonce(n.clone()));
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        // The page cache sets its own policy (script hashes instead of a nonce).
        if !h.contains_key(header::CONTENT_SECURITY_POLICY)
            && let Ok(v) =
                HeaderValue::from_str(&policy(&format!("'nonce-{n}'"), &form_targets(&state)))
        {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        // Pages show what the viewer may see: browsers revalidate them on every use.
        if !h.contains_key(header::CACHE_CONTROL) {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        }
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if state.config.public_base_url.scheme() == "https" {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_policy_allows_only_our_scripts() {
        let p = super::policy("'nonce-abc'", " https://login.example");
        assert!(p.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(!p.contains("unsafe-inline"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(p.contains("form-action 'self' https://login.example"));
    }
}
