//! `GET /oauth/authorize` and its consent form: a wallet sends the earner here (authorization
//! code flow with PKCE, for the OB 3.0 API); the earner signs in as usual if needed, sees
//! which app asks for what, and allows or denies. The answer goes back to the app's
//! registered redirect URI (`code` and `state`, or `error`). Requests naming an unknown
//! client or redirect URI are answered here, never redirected (RFC 6749 §4.1.2.1).

use axum::Form;
use axum::extract::{Extension, OriginalUri, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use engine::wallet::grant::{self, Refusal, Request};
use http::StatusCode;
use serde::Deserialize;

use crate::state::AppState;
use crate::status_page::{self, escape};

fn answer_url(redirect_uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut url = match url::Url::parse(redirect_uri) {
        Ok(u) => u,
        Err(_) => return redirect_uri.to_owned(),
    };
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
    }
    url.to_string()
}

fn refusal(r: Refusal) -> Response {
    match r {
        Refusal::NoRedirect(why) => (
            StatusCode::BAD_REQUEST,
            status_page::render("This request cannot be answered", &why),
        )
            .into_response(),
        Refusal::Redirect {
            redirect_uri,
            error,
            description,
            state,
        } => {
            let mut pairs = vec![
                ("error", error),
                ("error_description", description.as_str()),
            ];
            if let Some(s) = state.as_deref() {
                pairs.push(("state", s));
            }
            Redirect::to(&answer_url(&redirect_uri, &pairs)).into_response()
        }
    }
}

fn consent_page(r: &Request, q: &grant::Query) -> Html<String> {
    let name = escape(&r.client.client_name);
    let site = r
        .client
        .metadata
        .get("client_uri")
        .and_then(|v| v.as_str())
        .map(|u| format!("<p class=\"muted\">{}</p>", escape(u)))
        .unwrap_or_default();
    let scopes: String = r
        .scopes
        .iter()
        .map(|s| format!("<li>{}</li>", escape(s.consent_text())))
        .collect();
    let hidden: String = [
        ("response_type", q.response_type.as_deref()),
        ("client_id", q.client_id.as_deref()),
        ("redirect_uri", Some(r.redirect_uri.as_str())),
        ("scope", q.scope.as_deref()),
        ("state", q.state.as_deref()),
        ("code_challenge", q.code_challenge.as_deref()),
        ("code_challenge_method", q.code_challenge_method.as_deref()),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.map(|v| {
            format!(
                "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
                escape(v)
            )
        })
    })
    .collect();
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Allow {name}? · Badge Engine</title><link rel=\"stylesheet\" href=\"/pkg/badge-engine.css\"></head>\
         <body><main class=\"status-page consent\" data-testid=\"consent\"><h1>Allow <strong>{name}</strong> to use your badges?</h1>{site}\
         <p>It asks to:</p><ul class=\"consent-scopes\">{scopes}</ul>\
         <p class=\"muted\">Only allow apps you trust. The app never sees your password.</p>\
         <form method=\"post\" action=\"/oauth/authorize\" class=\"actions consent-actions\">{hidden}\
         <button type=\"submit\" name=\"decision\" value=\"allow\" class=\"primary\">Allow</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form></main></body></html>"
    ))
}

/// The authorization request: sign in first, then the consent page.
pub async fn show(
    State(state): State<AppState>,
    viewer: Option<Extension<app::auth::Viewer>>,
    OriginalUri(uri): OriginalUri,
    query: Result<Query<grant::Query>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = query else {
        return refusal(Refusal::NoRedirect(
            "The request's parameters could not be read.".into(),
        ));
    };
    let request = match grant::check(&state.db, &q).await {
        Ok(Ok(r)) => r,
        Ok(Err(r)) => return refusal(r),
        Err(e) => return crate::error::ApiError(e).into_response(),
    };
    if viewer.is_none() {
        let here = uri
            .path_and_query()
            .map_or("/oauth/authorize", |p| p.as_str());
        let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
        return Redirect::to(&format!("/auth/login?next={next}")).into_response();
    }
    // Chromium applies `form-action` to the redirect after the form is posted, so the policy
    // names the app's origin too.
    let mut response = consent_page(&request, &q).into_response();
    let origin = url::Url::parse(&request.redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .ok()
        .filter(|o| o != "null")
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    if let Ok(v) = http::HeaderValue::from_str(&crate::security::policy("", &origin)) {
        response
            .headers_mut()
            .insert(http::header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

/// The consent form's answer.
#[derive(Debug, Deserialize)]
pub struct Decision {
    decision: String,
    #[serde(flatten)]
    query: grant::Query,
}

/// Allow or deny: back to the app with a code or `access_denied`.
pub async fn decide(
    State(state): State<AppState>,
    viewer: Option<Extension<app::auth::Viewer>>,
    form: Result<Form<Decision>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return refusal(Refusal::NoRedirect("The form could not be read.".into()));
    };
    let Some(Extension(viewer)) = viewer else {
        return (
            StatusCode::UNAUTHORIZED,
            status_page::render(
                "Please sign in",
                "Sign in first, then allow or deny the app.",
            ),
        )
            .into_response();
    };
    let request = match grant::check(&state.db, &form.query).await {
        Ok(Ok(r)) => r,
        Ok(Err(r)) => return refusal(r),
        Err(e) => return crate::error::ApiError(e).into_response(),
    };
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if form.decision == "allow" {
        match grant::consent(&state.db, viewer.user_id, &request).await {
            Ok(code) => pairs.push(("code", code)),
            Err(e) => return crate::error::ApiError(e).into_response(),
        }
    } else {
        pairs.push(("error", "access_denied".into()));
    }
    if let Some(s) = &request.state {
        pairs.push(("state", s.clone()));
    }
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Redirect::to(&answer_url(&request.redirect_uri, &pairs)).into_response()
}
