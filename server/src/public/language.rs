//! Which language a request is answered in, and the switcher's route. The choice is made
//! once, in front of everything (the page cache included), and put in the request's
//! extensions, where the pages (`app::language`) and server functions read it.

use axum::extract::{Query, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use engine::i18n::Lang;
use http::{HeaderValue, StatusCode, header};
use serde::Deserialize;

use crate::state::AppState;

/// Picks the language (cookie, then `Accept-Language`) and says in the answer which one it
/// was and what it depended on, so shared caches keep one copy per language.
pub async fn negotiate(mut request: Request, next: Next) -> Response {
    let lang = choose(request.headers());
    request.extensions_mut().insert(lang);
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        let headers = response.headers_mut();
        headers.append(
            header::VARY,
            HeaderValue::from_static("accept-language, cookie"),
        );
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.tag()),
        );
    }
    response
}

/// The language of a request with these headers.
pub fn choose(headers: &http::HeaderMap) -> Lang {
    let cookie = super::cookie(headers, engine::i18n::COOKIE);
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(cookie, accept)
}

/// The switcher's form.
#[derive(Deserialize)]
pub struct Switch {
    to: String,
    next: Option<String>,
}

/// `GET /lang?to=nl&next=/page`: remembers the choice for a year and goes back to the page
/// (a same-origin path only).
pub async fn switch(State(state): State<AppState>, Query(q): Query<Switch>) -> Response {
    let Some(lang) = Lang::parse(&q.to).filter(|l| l.tag() == q.to) else {
        let mut r = crate::status_page::render(
            "Unknown language",
            "Badge Engine is available in English (en) and Dutch (nl).",
        )
        .into_response();
        *r.status_mut() = StatusCode::BAD_REQUEST;
        return r;
    };
    let target = crate::auth::session_data::safe_next(q.next.as_deref());
    let secure = if state.config.cookie_secure {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        engine::i18n::COOKIE,
        lang.tag()
    );
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_overrides_the_browser_language() {
        let mut h = http::HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("nl-NL,nl;q=0.9"),
        );
        assert_eq!(choose(&h), Lang::Nl);
        h.insert(header::COOKIE, HeaderValue::from_static("a=b; lang=en"));
        assert_eq!(choose(&h), Lang::En);
    }
}
