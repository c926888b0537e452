//! Offset pagination shared by list functions (SCIM uses startIndex/count, the UI pages of 10–50).

use serde::{Deserialize, Serialize};

/// One page of results plus the total number of matches.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Page<T> {
    /// Items on this page.
    pub items: Vec<T>,
    /// Matches across all pages.
    pub total: i64,
}

/// Which page to fetch.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct PageRequest {
    /// Rows to skip (SCIM `startIndex - 1`).
    pub offset: i64,
    /// Rows to return; clamped to 1..=500.
    pub limit: i64,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            offset: 0,
            limit: 50,
        }
    }
}

impl PageRequest {
    /// Offset and limit made safe for SQL.
    pub(crate) fn bounds(self) -> (i64, i64) {
        (self.offset.max(0), self.limit.clamp(1, 500))
    }
}

/// `%term%` for `LIKE`, lower-cased, with `%`, `_` and `\` in the term matched literally.
pub(crate) fn contains_pattern(term: &str) -> String {
    let mut p = String::with_capacity(term.len() + 2);
    p.push('%');
    for c in term.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(super::contains_pattern(" A_b%c\\ "), "%a\\_b\\%c\\\\%");
    }
}
