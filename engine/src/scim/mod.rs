//! SCIM 2.0 provisioning (RFC 7643 / 7644) as Entra ID really uses it: the resource schemas,
//! the filter language, PATCH semantics and the User / Group services over the engine's
//! repositories. No HTTP here: `server::scim` maps requests and [`ScimError`]s to responses.

pub mod error;
pub mod filter;
pub mod group;
pub mod patch;
pub mod resource;
pub mod schema;
pub mod store;
pub mod token;
pub mod user;

pub use error::{ScimError, ScimResult};

use filter::Filter;
use serde_json::Value;

/// Largest page a list request gets (advertised as `filter.maxResults`).
pub const MAX_RESULTS: i64 = 200;

/// A list request after parameter parsing.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// Resolved filter, if any.
    pub filter: Option<Filter>,
    /// 1-based index of the first result.
    pub start_index: i64,
    /// Page size (0 = totals only), at most [`MAX_RESULTS`].
    pub count: i64,
}

/// One page of resources and the number of all matches.
#[derive(Debug, Clone)]
pub struct ListResult {
    /// Matches across all pages.
    pub total: i64,
    /// This page.
    pub resources: Vec<Value>,
}

impl ListResult {
    /// Cuts a page out of every match.
    pub(crate) fn page(all: Vec<Value>, offset: i64, count: i64) -> ListResult {
        let total = all.len() as i64;
        let resources = all
            .into_iter()
            .skip(usize::try_from(offset.max(0)).unwrap_or(usize::MAX))
            .take(usize::try_from(count.max(0)).unwrap_or(0))
            .collect();
        ListResult { total, resources }
    }
}
