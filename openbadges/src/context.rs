//! The JSON-LD contexts Badge Engine signs and verifies with, bundled so that no proof
//! operation ever touches the network.
//!
//! Every document here is the published text of its URL (VC 2.0 and 1.1 from
//! `@digitalbazaar/credentials-context`, Data Integrity v2 and Multikey from Digital
//! Bazaar's context packages, Open Badges 3.0.x from 1EdTech's specification repository).
//! An unknown URL is an error naming it, never a fetch.

use std::collections::HashMap;

use iref::IriBuf;
use json_ld::RemoteDocument;
use thiserror::Error;

/// W3C Verifiable Credentials Data Model 2.0 context.
pub const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// W3C Verifiable Credentials Data Model 1.1 context (older OB 3.0.0/3.0.1 credentials).
pub const CREDENTIALS_V1: &str = "https://www.w3.org/2018/credentials/v1";
/// W3C Data Integrity v2 context (needed only with the VC 1.1 context).
pub const DATA_INTEGRITY_V2: &str = "https://w3id.org/security/data-integrity/v2";
/// W3C Multikey context (controller documents, e.g. resolved did:key).
pub const MULTIKEY_V1: &str = "https://w3id.org/security/multikey/v1";
/// Open Badges 3.0.0 context (published at the unversioned URL).
pub const OB_V3_0_0: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context.json";
/// Open Badges 3.0.1 context.
pub const OB_V3_0_1: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json";
/// Open Badges 3.0.2 context.
pub const OB_V3_0_2: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json";
/// Open Badges 3.0.3 context: the one Badge Engine issues with.
pub const OB_V3_0_3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// Open Badges extensions context (defines `1EdTechJsonSchemaValidator2019` and friends).
pub const OB_EXTENSIONS: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";

/// The `@context` Badge Engine puts on credentials it issues.
pub const ISSUE_CONTEXT: [&str; 2] = [CREDENTIALS_V2, OB_V3_0_3];

/// Every bundled context: (URL, published document text).
pub const BUNDLED: &[(&str, &str)] = &[
    (
        CREDENTIALS_V2,
        include_str!("../contexts/credentials-v2.jsonld"),
    ),
    (
        CREDENTIALS_V1,
        include_str!("../contexts/credentials-v1.jsonld"),
    ),
    (
        DATA_INTEGRITY_V2,
        include_str!("../contexts/data-integrity-v2.jsonld"),
    ),
    (MULTIKEY_V1, include_str!("../contexts/multikey-v1.jsonld")),
    (OB_V3_0_0, include_str!("../contexts/ob-context-3.0.0.json")),
    (OB_V3_0_1, include_str!("../contexts/ob-context-3.0.1.json")),
    (OB_V3_0_2, include_str!("../contexts/ob-context-3.0.2.json")),
    (OB_V3_0_3, include_str!("../contexts/ob-context-3.0.3.json")),
    (
        OB_EXTENSIONS,
        include_str!("../contexts/ob-extensions.json"),
    ),
];

/// Why a context could not be registered or found.
#[derive(Debug, Error)]
pub enum ContextError {
    /// The document refers to a context that is neither bundled nor registered.
    #[error(
        "unknown JSON-LD context {url} (only bundled or registered contexts are used; nothing is fetched)"
    )]
    UnknownContext {
        /// The context URL as written in the document.
        url: String,
    },
    /// A context URL is not an absolute IRI.
    #[error("context URL {url} is not an absolute IRI")]
    InvalidUrl {
        /// The offending URL.
        url: String,
    },
    /// A registered context document is not valid JSON.
    #[error("context document for {url} is not valid JSON: {reason}")]
    InvalidDocument {
        /// The context URL.
        url: String,
        /// The parser's message.
        reason: String,
    },
}

/// An offline document loader: URL → parsed context document.
#[derive(Clone, Debug, Default)]
pub struct ContextStore {
    documents: HashMap<IriBuf, RemoteDocument>,
    /// The `@context` value of each document, for inlining (see [`ContextStore::inline`]).
    inline: HashMap<String, json_syntax::Value>,
}

impl ContextStore {
    /// A store holding every bundled context.
    pub fn bundled() -> Self {
        let mut store = Self::default();
        for (url, text) in BUNDLED {
            // Bundled texts are fixed at compile time and covered by tests; a failure here
            // would be a packaging bug, so it is skipped rather than panicking.
            let _ = store.insert(url, text);
        }
        store
    }

    /// Registers (or replaces) the document served for `url`.
    pub fn insert(&mut self, url: &str, text: &str) -> Result<(), ContextError> {
        let iri = IriBuf::new(url.to_owned()).map_err(|_| ContextError::InvalidUrl {
            url: url.to_owned(),
        })?;
        let (value, _) =
            <json_syntax::Value as json_syntax::Parse>::parse_str(text).map_err(|e| {
                ContextError::InvalidDocument {
                    url: url.to_owned(),
                    reason: e.to_string(),
                }
            })?;
        if let Some(inner) = value
            .as_object()
            .and_then(|o| o.get_unique("@context").ok().flatten())
        {
            self.inline.insert(url.to_owned(), inner.clone());
        }
        self.documents
            .insert(iri.clone(), RemoteDocument::new(Some(iri), None, value));
        Ok(())
    }

    /// Whether `url` is served by this store.
    pub fn contains(&self, url: &str) -> bool {
        iref::Iri::new(url).is_ok_and(|iri| self.documents.contains_key(iri))
    }

    /// The `@context` value of the document at `url`, to be used in place of the URL.
    ///
    /// Canonicalisation inlines known contexts instead of letting `json-ld` 0.21 load them:
    /// that crate compares term definitions' base URLs when checking protected-term
    /// redefinitions, so the identical `"id": "@id"` of VC 2.0 and the OB extensions context
    /// would be refused (jsonld.js and the JSON-LD 1.1 spec accept it). Inlining gives every
    /// definition the same (absent) base; the bundled contexts hold no relative IRIs, so
    /// nothing else changes — the interop suite compares the result with jsonld.js.
    pub fn inline(&self, url: &str) -> Option<&json_syntax::Value> {
        self.inline.get(url)
    }

    /// The URLs this store serves.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.documents.keys().map(|k| k.as_str())
    }
}

impl json_ld::Loader for ContextStore {
    async fn load(&self, url: &iref::Iri) -> json_ld::LoadingResult<IriBuf> {
        match self.documents.get(url) {
            Some(doc) => Ok(doc.clone()),
            None => Err(json_ld::LoadError::new(
                url.to_owned(),
                ContextError::UnknownContext {
                    url: url.as_str().to_owned(),
                },
            )),
        }
    }
}

/// Checks that every context URL referenced by a document's top-level `@context` is known,
/// so the error names the URL instead of surfacing as a generic loading failure.
pub fn check_known(store: &ContextStore, context: &serde_json::Value) -> Result<(), ContextError> {
    let check = |v: &serde_json::Value| match v {
        serde_json::Value::String(url) if !store.contains(url) => {
            Err(ContextError::UnknownContext { url: url.clone() })
        }
        _ => Ok(()),
    };
    match context {
        serde_json::Value::Array(items) => items.iter().try_for_each(check),
        other => check(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_context_parses() {
        let store = ContextStore::bundled();
        for (url, _) in BUNDLED {
            assert!(store.contains(url), "{url} missing");
        }
    }

    #[test]
    fn unknown_context_names_url() {
        let store = ContextStore::bundled();
        let err = check_known(
            &store,
            &serde_json::json!([CREDENTIALS_V2, "https://example.org/nope"]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("https://example.org/nope"));
    }
}
