//! The browser bundle under `/pkg`: content-hashed files (named by `scripts/site-assets.mjs`)
//! are cached by browsers for a year without revalidation; anything else under `/pkg` is
//! revalidated on every use, since its name does not change when its bytes do.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};

/// Whether `v` is a bundle version as `site-assets.mjs` writes it (16 lowercase hex digits).
pub fn is_version(v: &str) -> bool {
    v.len() == 16 && v.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether the file name under `/pkg` carries a content hash: `badge-engine.<version>.<ext>`.
fn is_hashed(file: &str) -> bool {
    file.strip_prefix("badge-engine.")
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(version, ext)| is_version(version) && !ext.is_empty())
}

/// Sets `Cache-Control` on successful `/pkg` responses.
pub async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .is_some_and(is_hashed);
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == http::StatusCode::NOT_MODIFIED {
        let value = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_bundle_files_are_immutable() {
        assert!(is_hashed("badge-engine.0123456789abcdef.wasm"));
        assert!(is_hashed("badge-engine.0123456789abcdef.js"));
        assert!(!is_hashed("badge-engine.css"));
        assert!(!is_hashed("badge-engine.wasm"));
        assert!(!is_hashed("badge-engine.0123456789ABCDEF.js"));
        assert!(!is_hashed("badge-engine.0123.js"));
        assert!(!is_hashed("other.0123456789abcdef.js"));
    }
}
