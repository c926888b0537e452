//! Request bodies and responses in `application/scim+json`: the JSON body extractor (content
//! type, size limit → 413, malformed JSON → 400 `invalidSyntax`), resource responses with
//! `ETag` / `Location`, `If-Match` parsing and list-request parameters.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use engine::scim::filter::{self};
use engine::scim::schema::{LIST_RESPONSE, ResourceSchema};
use engine::scim::{ListQuery, ListResult, MAX_RESULTS};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::{Value, json};

use super::error::ScimApiError;

/// `SearchRequest` message URN.
const SEARCH_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// The SCIM media type.
pub const SCIM_JSON: &str = "application/scim+json";
/// Largest accepted request body (advertised nowhere else; bulk is off).
pub const MAX_BODY: usize = 1024 * 1024;

/// A JSON request body (`application/scim+json` or `application/json`).
#[derive(Debug)]
pub struct ScimBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for ScimBody {
    type Rejection = ScimApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(ct) = req.headers().get(http::header::CONTENT_TYPE) {
            let ct = ct.to_str().unwrap_or_default().to_ascii_lowercase();
            let essence = ct.split(';').next().unwrap_or_default().trim();
            if essence != SCIM_JSON && essence != "application/json" {
                return Err(ScimApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    None,
                    "send application/scim+json or application/json",
                ));
            }
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ScimApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    None,
                    format!("the request body is larger than {MAX_BODY} bytes"),
                )
            } else {
                ScimApiError::new(
                    StatusCode::BAD_REQUEST,
                    Some("invalidSyntax"),
                    rejection.body_text(),
                )
            }
        })?;
        serde_json::from_slice(&bytes).map(ScimBody).map_err(|e| {
            ScimApiError::new(
                StatusCode::BAD_REQUEST,
                Some("invalidSyntax"),
                format!("the body is not valid JSON: {e}"),
            )
        })
    }
}

/// A JSON response in the SCIM media type.
pub fn scim_json(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(SCIM_JSON),
    );
    response
}

/// A single resource with its `ETag` (and `Location` when created).
pub fn resource(status: StatusCode, body: &Value) -> Response {
    let mut response = scim_json(status, body);
    let meta = &body["meta"];
    if let Some(v) = meta["version"]
        .as_str()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        response.headers_mut().insert(http::header::ETAG, v);
    }
    if status == StatusCode::CREATED
        && let Some(l) = meta["location"]
            .as_str()
            .and_then(|l| HeaderValue::from_str(l).ok())
    {
        response.headers_mut().insert(http::header::LOCATION, l);
    }
    response
}

/// `If-Match: W/"3"` → `Some(3)`; absent or `*` → `None`. An ETag we never issued cannot
/// match, so it fails the precondition.
pub fn if_match(headers: &HeaderMap) -> Result<Option<i32>, ScimApiError> {
    let Some(raw) = headers.get(http::header::IF_MATCH) else {
        return Ok(None);
    };
    let raw = raw.to_str().unwrap_or_default().trim();
    if raw == "*" {
        return Ok(None);
    }
    raw.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i32>()
        .map(Some)
        .map_err(|_| {
            ScimApiError::new(
                StatusCode::PRECONDITION_FAILED,
                None,
                "If-Match does not match the current version",
            )
        })
}

/// Query parameters of a GET (names case-insensitive, as Entra and others vary them).
#[derive(Debug, Default)]
pub struct Params {
    filter: Option<String>,
    start_index: Option<String>,
    count: Option<String>,
    /// `attributes`, split on commas.
    pub attributes: Vec<String>,
    /// `excludedAttributes`, split on commas.
    pub excluded: Vec<String>,
}

fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

impl Params {
    /// Parses a raw query string.
    pub fn parse(query: Option<&str>) -> Params {
        let mut p = Params::default();
        for (k, v) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            match k.to_ascii_lowercase().as_str() {
                "filter" => p.filter = Some(v.into_owned()),
                "startindex" => p.start_index = Some(v.into_owned()),
                "count" => p.count = Some(v.into_owned()),
                "attributes" => p.attributes = split_list(&v),
                "excludedattributes" => p.excluded = split_list(&v),
                _ => {}
            }
        }
        p
    }

    /// Parameters of a `POST …/.search` body (RFC 7644 §3.4.3).
    pub fn from_search(body: &Value) -> Result<Params, ScimApiError> {
        let bad = |m: &str| ScimApiError::new(StatusCode::BAD_REQUEST, Some("invalidSyntax"), m);
        let obj = body
            .as_object()
            .ok_or_else(|| bad("the body must be a JSON object"))?;
        let field = |name: &str| {
            obj.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        };
        if let Some(schemas) = field("schemas").and_then(Value::as_array)
            && !schemas.iter().any(|s| s.as_str() == Some(SEARCH_REQUEST))
        {
            return Err(bad(
                "`schemas` must be [\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"]",
            ));
        }
        let text = |name: &str| match field(name) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let list = |name: &str| match field(name) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(s)) => split_list(s),
            _ => Vec::new(),
        };
        Ok(Params {
            filter: text("filter"),
            start_index: text("startIndex"),
            count: text("count"),
            attributes: list("attributes"),
            excluded: list("excludedAttributes"),
        })
    }

    /// The list request for `schema`.
    pub fn list_query(&self, schema: &ResourceSchema) -> Result<ListQuery, ScimApiError> {
        let number = |name: &str, v: &Option<String>| -> Result<Option<i64>, ScimApiError> {
            v.as_deref()
                .map(|s| {
                    s.trim().parse::<i64>().map_err(|_| {
                        ScimApiError::new(
                            StatusCode::BAD_REQUEST,
                            Some("invalidValue"),
                            format!("{name} must be an integer"),
                        )
                    })
                })
                .transpose()
        };
        let filter = match &self.filter {
            Some(f) if !f.trim().is_empty() => Some(
                filter::parse(f)
                    .and_then(|f| f.resolve(schema))
                    .map_err(ScimApiError::from)?,
            ),
            _ => None,
        };
        Ok(ListQuery {
            filter,
            start_index: number("startIndex", &self.start_index)?.unwrap_or(1).max(1),
            count: number("count", &self.count)?
                .unwrap_or(MAX_RESULTS)
                .clamp(0, MAX_RESULTS),
        })
    }

    /// Whether the response should carry attribute `name`.
    pub fn wants(&self, name: &str) -> bool {
        let listed = |list: &[String]| list.iter().any(|a| a.eq_ignore_ascii_case(name));
        !listed(&self.excluded) && (self.attributes.is_empty() || listed(&self.attributes))
    }
}

/// A `ListResponse` page.
pub fn list_response(result: ListResult, start_index: i64) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_RESPONSE],
            "totalResults": result.total,
            "startIndex": start_index,
            "itemsPerPage": result.resources.len(),
            "Resources": result.resources,
        }),
    )
}
