//! What the product writes into credentials, e-mails and pages, served for machines and
//! downloads: `Profile` / `Achievement` / credential JSON-LD at the same URLs as their HTML
//! pages (by `Accept`), baked PNG/SVG and JSON downloads, signed status lists, DID documents
//! and uploaded images. HTML pages are the Leptos app's.

pub mod assets;
pub mod credentials;
pub mod fetch;
pub mod json_ld;
pub mod language;
pub mod media;
pub mod page_cache;
pub mod verify;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// The verify form's POST; it needs the session layer (the origin check) around it.
pub fn form_routes() -> Router<AppState> {
    Router::new().route(
        "/verify",
        axum::routing::post(verify::submit)
            .layer(axum::extract::DefaultBodyLimit::max(verify::BODY_LIMIT)),
    )
}

/// Routes that are not Leptos pages (status lists, DID documents, images). The documents
/// behind page URLs are answered by [`json_ld::negotiate`] in front of the pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/lang", get(language::switch))
        .route("/status-lists/{id}", get(media::status_list))
        .route("/issuers/{id}/did.json", get(media::did_document))
        .route("/images/{file}", get(media::image))
        .route("/achievements/{id}/artwork.svg", get(media::artwork_svg))
        .route("/achievements/{id}/artwork.png", get(media::artwork_png))
}

/// The value of the request's cookie `name`, if it sent one (any `Cookie` header).
pub fn cookie<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// Whether the `Accept` header asks for JSON(-LD) rather than HTML.
pub fn wants_json(headers: &http::HeaderMap) -> Option<&'static str> {
    let accept = headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(&'static str, f32)> = None;
    let mut html = 0.0_f32;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let media = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        let kind = match media.as_str() {
            "application/vc+ld+json" | "application/vc" => Some("application/vc+ld+json"),
            "application/ld+json" => Some("application/ld+json"),
            "application/json" => Some("application/json"),
            "text/html" | "application/xhtml+xml" => {
                html = html.max(q);
                None
            }
            _ => None,
        };
        if let Some(k) = kind
            && q > 0.0
            && best.is_none_or(|(_, bq)| q > bq)
        {
            best = Some((k, q));
        }
    }
    best.filter(|(_, q)| *q >= html).map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::wants_json;

    fn accept(v: &str) -> Option<&'static str> {
        let mut h = http::HeaderMap::new();
        h.insert(http::header::ACCEPT, v.parse().unwrap());
        wants_json(&h)
    }

    #[test]
    fn browsers_get_html_and_machines_json() {
        assert_eq!(
            accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            None
        );
        assert_eq!(accept("application/ld+json"), Some("application/ld+json"));
        assert_eq!(
            accept("application/vc+ld+json, application/ld+json;q=0.9"),
            Some("application/vc+ld+json")
        );
        assert_eq!(accept("application/json"), Some("application/json"));
        assert_eq!(
            accept("text/html;q=0.5, application/ld+json"),
            Some("application/ld+json")
        );
        assert_eq!(accept("*/*"), None);
    }
}
