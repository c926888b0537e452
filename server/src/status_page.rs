//! Minimal stand-alone HTML pages for answers given outside the Leptos app (503, 429, …),
//! styled by the same stylesheet so they look like the rest of the site.

use axum::response::Html;

/// Renders a small page with a heading and one explanatory sentence.
pub fn render(title: &str, message: &str) -> Html<String> {
    let title = escape(title);
    let message = escape(message);
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Badge Engine</title><link rel=\"stylesheet\" href=\"/pkg/badge-engine.css\"></head>\
         <body><main class=\"status-page\"><h1>{title}</h1><p>{message}</p><p><a href=\"/\">Back to the home page</a></p></main></body></html>"
    ))
}

/// Escapes text for HTML content and double- or single-quoted attribute values.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
