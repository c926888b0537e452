//! JSON request bodies whose refusals are problem documents naming what is wrong: malformed
//! JSON (400), a wrong or missing content type (415), too large (413), or a field of the
//! wrong shape (422, with the field's path).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::response::Response;
use http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::problem;

/// `axum::Json` with problem-document refusals.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(refusal(rejection)),
        }
    }
}

fn refusal(rejection: JsonRejection) -> Response {
    match rejection {
        JsonRejection::JsonDataError(e) => {
            // serde's message names the field path (`awards[3].email: missing field …`).
            let text = e.body_text();
            let detail = text
                .strip_prefix("Failed to deserialize the JSON body into the target type: ")
                .unwrap_or(&text);
            let field = detail
                .split_once(':')
                .map(|(f, _)| f.trim())
                .filter(|f| !f.is_empty() && !f.contains(' '));
            problem(StatusCode::UNPROCESSABLE_ENTITY, detail, field)
        }
        JsonRejection::JsonSyntaxError(e) => problem(
            StatusCode::BAD_REQUEST,
            &format!("The body is not valid JSON ({}).", e.body_text()),
            None,
        ),
        JsonRejection::MissingJsonContentType(_) => problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the body as JSON with `Content-Type: application/json`.",
            None,
        ),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The body is too large for this endpoint.",
            None,
        ),
        other => problem(other.status(), &other.body_text(), None),
    }
}

/// `axum::extract::Query` with a problem-document refusal naming the parameter.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(e) => {
                let text = e.body_text();
                let detail = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text);
                Err(problem(
                    StatusCode::BAD_REQUEST,
                    &format!("The query string could not be read: {detail}"),
                    None,
                ))
            }
        }
    }
}

/// `page` (from 1) and `per_page` (1–100, default 20), as the old API paginated.
#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    pub per_page: Option<u32>,
}

impl Paging {
    /// Page (from 1) and size, clamped.
    pub fn clamped(self) -> (u32, u32) {
        (
            self.page.unwrap_or(1).max(1),
            self.per_page.unwrap_or(20).clamp(1, 100),
        )
    }

    /// The engine's page request.
    pub fn request(self) -> engine::page::PageRequest {
        let (page, size) = self.clamped();
        engine::page::PageRequest {
            offset: i64::from(page - 1) * i64::from(size),
            limit: i64::from(size),
        }
    }
}

/// `X-Total-Count` and an RFC 8288 `Link` header (first, prev, next, last) for a list at
/// `path` whose other query parameters are `query` (already encoded, may be empty).
pub fn paging_headers(
    base: &str,
    path: &str,
    query: &str,
    paging: Paging,
    total: i64,
) -> http::HeaderMap {
    let (page, size) = paging.clamped();
    let last = u32::try_from(((total.max(0) + i64::from(size) - 1) / i64::from(size)).max(1))
        .unwrap_or(u32::MAX);
    let link = |p: u32, rel: &str| {
        let sep = if query.is_empty() { "" } else { "&" };
        format!("<{base}{path}?{query}{sep}page={p}&per_page={size}>; rel=\"{rel}\"")
    };
    let mut links = vec![link(1, "first")];
    if page > 1 {
        links.push(link(page - 1, "prev"));
    }
    if page < last {
        links.push(link(page + 1, "next"));
    }
    links.push(link(last, "last"));
    let mut headers = http::HeaderMap::new();
    headers.insert("x-total-count", http::HeaderValue::from(total.max(0)));
    if let Ok(v) = http::HeaderValue::from_str(&links.join(", ")) {
        headers.insert(http::header::LINK, v);
    }
    headers
}

/// `axum::extract::Path` with a problem-document refusal (`404` for an id that is not a
/// UUID: nothing can live there).
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> axum::extract::FromRequestParts<S> for ApiPath<T> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(problem(
                StatusCode::NOT_FOUND,
                "Nothing has this id: ids are UUIDs.",
                None,
            )),
        }
    }
}
