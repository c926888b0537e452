//! Cross-site request forgery defence for forms and server functions: session cookies are
//! `SameSite=Lax` (not sent on cross-site POSTs by browsers), and in addition every
//! state-changing request (anything but GET/HEAD/OPTIONS) must carry an `Origin` — or, failing
//! that, a `Referer` — equal to `PUBLIC_BASE_URL`'s origin. Browsers always send one of them on
//! POST, so no per-form token is needed; requests with neither are refused.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode};

use crate::state::AppState;
use crate::status_page;

/// Whether `value` (an `Origin` or `Referer` header) has the same origin as `base`.
pub fn same_origin(value: &str, base: &url::Url) -> bool {
    match url::Url::parse(value) {
        Ok(u) => u.origin() == base.origin(),
        Err(_) => false,
    }
}

/// Refuses state-changing requests from other origins with 403.
pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let claimed = headers
        .get(http::header::ORIGIN)
        .or_else(|| headers.get(http::header::REFERER))
        .and_then(|v| v.to_str().ok());
    let base = &state.config.public_base_url;
    match claimed {
        Some(value) if same_origin(value, base) => next.run(request).await,
        other => {
            tracing::warn!(
                event = "auth.csrf_refused",
                origin = other.unwrap_or("<none>"),
                path = %request.uri().path(),
                "cross-origin state-changing request refused"
            );
            (
                StatusCode::FORBIDDEN,
                status_page::render(
                    "Request refused",
                    "This request did not come from a Badge Engine page, so it was refused to protect your account.",
                ),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn origins_must_match_exactly() {
        let base = url::Url::parse("https://badges.example.org").unwrap();
        assert!(same_origin("https://badges.example.org", &base));
        assert!(same_origin("https://badges.example.org/admin/users", &base));
        assert!(!same_origin("http://badges.example.org", &base));
        assert!(!same_origin("https://badges.example.org.evil.test", &base));
        assert!(!same_origin("https://badges.example.org:8443", &base));
        assert!(!same_origin("null", &base));
    }
}
