//! RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, the "transformation" step
//! of the eddsa-rdfc-2022 cryptosuite.
//!
//! Pipeline: serde JSON → `json-ld` strict expansion with the bundled contexts → RDF quads →
//! `oxrdf` dataset → `rdf-canon` → canonical N-Quads.
//!
//! Processing a document's top-level `@context` is most of the cost of a proof, and every
//! credential we issue carries the same one, so the processed context is cached by its JSON
//! text and the document is expanded from that cached active context. Expanding a node object
//! whose own `@context` has already been applied to the initial active context is what the
//! JSON-LD 1.1 expansion algorithm does itself (step 9: process the local context, then go on
//! with the result), so the output is the same; `tests/canonical_cache.rs` and the interop
//! suite compare the N-Quads with the npm `jsonld` processor to prove it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use iref::IriBuf;
use json_ld::context_processing::{Process, Processed};
use json_ld::expansion::{Expand, Policy};
use json_ld::rdf::RdfDirection;
use json_ld::{Context, RdfQuads};
use rdf_types::{BlankIdBuf, Id, LiteralType, Term};
use thiserror::Error;

use crate::context::{ContextError, ContextStore, check_known};

mod compiled;
mod rdfc;
use compiled::{State, Walker};

/// Upper bound on Hash N-Degree Quads calls: a tiny document with many symmetric blank nodes
/// must fail fast instead of making canonicalisation exponential (a known RDFC-1.0 DoS).
const HNDQ_CALL_LIMIT: usize = 4_000;
/// Bound on how many distinct `@context` values are cached, so hostile input cannot grow memory.
const CONTEXT_CACHE_LIMIT: usize = 64;

/// Why a document could not be canonicalised.
#[derive(Debug, Error)]
pub enum CanonError {
    /// A context is neither bundled nor registered.
    #[error(transparent)]
    Context(#[from] ContextError),
    /// The document is not a JSON object.
    #[error("a JSON-LD document to sign or verify must be a JSON object")]
    NotAnObject,
    /// JSON-LD context processing failed (e.g. an invalid or protected-term redefinition).
    #[error("JSON-LD context processing failed: {reason}")]
    ContextProcessing {
        /// The processor's message.
        reason: String,
    },
    /// JSON-LD expansion failed; strict mode rejects undefined terms and invalid IRIs here.
    #[error("JSON-LD expansion failed: {reason}")]
    Expansion {
        /// The processor's message.
        reason: String,
    },
    /// RDFC-1.0 failed (e.g. the blank-node complexity limit was hit).
    #[error("RDF canonicalisation failed: {reason}")]
    Canonicalization {
        /// The canonicaliser's message.
        reason: String,
    },
}

type ActiveContext = Context<IriBuf, BlankIdBuf>;

/// Turns JSON-LD documents into canonical N-Quads using only the bundled/registered contexts.
pub struct Canonicalizer {
    store: ContextStore,
    cache: Option<Mutex<HashMap<String, Arc<State>>>>,
}

impl Default for Canonicalizer {
    fn default() -> Self {
        Self::new(ContextStore::bundled())
    }
}

impl std::fmt::Debug for Canonicalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Canonicalizer")
            .field("contexts", &self.store)
            .field("cache", &self.cache.is_some())
            .finish()
    }
}

impl Canonicalizer {
    /// A canonicaliser over `store` that caches processed top-level contexts.
    pub fn new(store: ContextStore) -> Self {
        Self {
            store,
            cache: Some(Mutex::new(HashMap::new())),
        }
    }

    /// A canonicaliser that processes every context from scratch (the reference path the
    /// cache is tested against).
    pub fn uncached(store: ContextStore) -> Self {
        Self { store, cache: None }
    }

    /// The contexts this canonicaliser resolves.
    pub fn store(&self) -> &ContextStore {
        &self.store
    }

    /// Canonical N-Quads (RDFC-1.0) of a JSON-LD document.
    pub fn canonical_nquads(&self, document: &serde_json::Value) -> Result<String, CanonError> {
        check_percent_encoding(document)?;
        // Last line of defence: a dependency panic on hostile input (e.g. an input-defined
        // context that trips `json-ld`) becomes an error. The known case, percent-encoded
        // non-UTF-8 IRIs, is refused above.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if self.cache.is_some()
                && let Some(nquads) = self.fast_path_unguarded(document)?
            {
                return Ok(nquads);
            }
            let quads = self.to_quads(document)?;
            canonicalize_general(&quads)
        }))
        .map_err(|_| CanonError::Expansion {
            reason: "the JSON-LD processor failed on this document".into(),
        })?
    }

    /// Canonical N-Quads from the memoised fast path only (`None` when the document is outside
    /// its subset). For tests and benchmarks that must prove the fast path was taken.
    pub fn fast_path_nquads(
        &self,
        document: &serde_json::Value,
    ) -> Result<Option<String>, CanonError> {
        check_percent_encoding(document)?;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.fast_path_unguarded(document)
        }))
        .map_err(|_| CanonError::Expansion {
            reason: "the JSON-LD processor failed on this document".into(),
        })?
    }

    fn fast_path_unguarded(
        &self,
        document: &serde_json::Value,
    ) -> Result<Option<String>, CanonError> {
        let Some(object) = document.as_object() else {
            return Ok(None);
        };
        let Some(ctx) = object.get("@context") else {
            return Ok(None);
        };
        check_known(&self.store, ctx)?;
        let root = self.cached_context(ctx)?;
        let mut walker = Walker::new(&self.store);
        if walker.root(&root, object).is_err() {
            return Ok(None);
        }
        let mut triples = walker.into_triples();
        let mut seen = std::collections::HashSet::with_capacity(triples.len());
        triples.retain(|t| seen.insert(t.clone()));
        match rdfc::canonicalize_simple(&triples) {
            Some(nquads) => Ok(Some(nquads)),
            None => canonicalize_general(&rdfc::to_oxrdf(&triples)).map(Some),
        }
    }

    /// The RDF quads of a JSON-LD document, in deterministic but non-canonical order.
    fn to_quads(&self, document: &serde_json::Value) -> Result<Vec<oxrdf::Quad>, CanonError> {
        let object = document.as_object().ok_or(CanonError::NotAnObject)?;
        let local_context = object.get("@context");
        if let Some(ctx) = local_context {
            check_known(&self.store, ctx)?;
        }
        let (active, body) = match (local_context, &self.cache) {
            (Some(ctx), Some(_)) => {
                let root = self.cached_context(ctx)?;
                let mut body = serde_json::Map::with_capacity(object.len());
                for (k, v) in object {
                    if k != "@context" {
                        body.insert(k.clone(), v.clone());
                    }
                }
                (root.context().clone(), serde_json::Value::Object(body))
            }
            _ => (ActiveContext::new(None), document.clone()),
        };
        let json = to_json_syntax(&body, Some(&self.store));
        let expanded = pollster::block_on(Expand::expand_full(
            &json,
            &mut (),
            active,
            None,
            &self.store,
            json_ld::expansion::Options {
                policy: strict_policy(),
                ..Default::default()
            },
            (),
        ))
        .map_err(|e| CanonError::Expansion {
            reason: e.to_string(),
        })?;

        let mut generator = rdf_types::generator::Blank::new_with_prefix("b".to_owned());
        let mut expanded = expanded;
        // Nodes without `@id` (criteria, results, the proof options…) only get blank node
        // identifiers here; without this step they would silently vanish from the RDF.
        expanded.relabel_and_canonicalize(&mut generator);
        let mut quads = Vec::new();
        for quad in expanded.rdf_quads(&mut generator, Some(RdfDirection::I18nDatatype)) {
            let rdf_types::Quad(s, p, o, g) = quad;
            let subject = match s.as_ref() {
                Id::Iri(i) => oxrdf::Subject::NamedNode(named(i)),
                Id::Blank(b) => oxrdf::Subject::BlankNode(blank(b)),
            };
            let predicate = match p.as_ref() {
                Id::Iri(i) => named(i),
                // Generalised RDF is off, so predicates are IRIs; skip anything else.
                Id::Blank(_) => continue,
            };
            let object = match o {
                Term::Id(Id::Iri(i)) => oxrdf::Term::NamedNode(named(&i)),
                Term::Id(Id::Blank(b)) => oxrdf::Term::BlankNode(blank(&b)),
                Term::Literal(lit) => oxrdf::Term::Literal(match lit.type_ {
                    LiteralType::Any(ty) => {
                        oxrdf::Literal::new_typed_literal(lit.value, named(&ty))
                    }
                    LiteralType::LangString(tag) => {
                        oxrdf::Literal::new_language_tagged_literal_unchecked(
                            lit.value,
                            tag.as_str().to_ascii_lowercase(),
                        )
                    }
                }),
            };
            let graph = match g {
                None => oxrdf::GraphName::DefaultGraph,
                Some(Id::Iri(i)) => oxrdf::GraphName::NamedNode(named(i)),
                Some(Id::Blank(b)) => oxrdf::GraphName::BlankNode(blank(b)),
            };
            quads.push(oxrdf::Quad::new(subject, predicate, object, graph));
        }
        dedup(&mut quads);
        Ok(quads)
    }

    /// The memoised state for a top-level `@context`, processed on an empty context once.
    fn cached_context(&self, ctx: &serde_json::Value) -> Result<Arc<State>, CanonError> {
        let key = ctx.to_string();
        if let Some(cache) = &self.cache
            && let Ok(map) = cache.lock()
            && let Some(hit) = map.get(&key)
        {
            return Ok(hit.clone());
        }
        let processed = State::root(self.process_context(ctx)?);
        if let Some(cache) = &self.cache
            && let Ok(mut map) = cache.lock()
        {
            if map.len() >= CONTEXT_CACHE_LIMIT {
                map.clear();
            }
            map.insert(key, processed.clone());
        }
        Ok(processed)
    }

    fn process_context(&self, ctx: &serde_json::Value) -> Result<ActiveContext, CanonError> {
        let json = inline_context(ctx, &self.store);
        let syntax =
            <json_ld::syntax::context::Context as json_ld::syntax::TryFromJson>::try_from_json(
                json,
            )
            .map_err(|e| CanonError::ContextProcessing {
                reason: e.to_string(),
            })?;
        let empty = ActiveContext::new(None);
        let processed: Processed<'_, IriBuf, BlankIdBuf> = pollster::block_on(syntax.process_full(
            &mut (),
            &empty,
            &self.store,
            None,
            json_ld::context_processing::Options::default(),
            (),
        ))
        .map_err(|e| CanonError::ContextProcessing {
            reason: e.to_string(),
        })?;
        Ok(processed.into_processed())
    }
}

/// Refuses IRIs whose percent-encoded bytes are not UTF-8: the `iref` / `pct-str` crates under
/// `json-ld` accept them as IRIs but panic when hashing them (found by fuzzing).
fn check_percent_encoding(value: &serde_json::Value) -> Result<(), CanonError> {
    let check = |s: &str| -> Result<(), CanonError> {
        if !s.contains('%') || !crate::credential::validate::looks_like_iri(s) {
            return Ok(());
        }
        let bytes = s.as_bytes();
        let mut decoded = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
            match (b, hex(i + 1), hex(i + 2)) {
                (b'%', Some(h), Some(l)) => {
                    decoded.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => {
                    decoded.push(b);
                    i += 1;
                }
            }
        }
        match std::str::from_utf8(&decoded) {
            Ok(_) => Ok(()),
            Err(_) => Err(CanonError::Expansion {
                reason: format!("IRI {s:?} percent-encodes bytes that are not UTF-8"),
            }),
        }
    };
    match value {
        serde_json::Value::String(s) => check(s),
        serde_json::Value::Array(items) => items.iter().try_for_each(check_percent_encoding),
        serde_json::Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            check(k)?;
            check_percent_encoding(v)
        }),
        _ => Ok(()),
    }
}

/// The general RDFC-1.0 algorithm (`rdf-canon`), with a bound on blank-node work.
fn canonicalize_general(quads: &[oxrdf::Quad]) -> Result<String, CanonError> {
    let options = rdf_canon::CanonicalizationOptions {
        hndq_call_limit: Some(HNDQ_CALL_LIMIT),
    };
    rdf_canon::canonicalize_quads_with::<sha2::Sha256>(quads, &options).map_err(|e| {
        CanonError::Canonicalization {
            reason: e.to_string(),
        }
    })
}

/// RDF datasets are sets: JSON-LD may yield the same triple twice (e.g. a repeated tag),
/// which jsonld.js merges in its node map, so duplicates are removed before canonicalising.
fn dedup(quads: &mut Vec<oxrdf::Quad>) {
    let mut seen = std::collections::HashSet::with_capacity(quads.len());
    quads.retain(|q| seen.insert(q.clone()));
}

/// Expansion that refuses what conformant verifiers refuse: undefined terms and invalid IRIs
/// are errors instead of being silently dropped (the `json-ld` crate's default).
fn strict_policy() -> Policy {
    Policy {
        invalid: json_ld::expansion::Action::Reject,
        vocab: json_ld::expansion::Action::Keep,
        allow_undefined: false,
    }
}

fn named(iri: &IriBuf) -> oxrdf::NamedNode {
    oxrdf::NamedNode::new_unchecked(iri.as_str())
}

fn blank(id: &BlankIdBuf) -> oxrdf::BlankNode {
    // json-ld blank ids are written `_:suffix`; oxrdf wants the suffix only.
    let s = id.as_str();
    oxrdf::BlankNode::new_unchecked(s.strip_prefix("_:").unwrap_or(s))
}

/// Converts serde JSON to `json-syntax`, writing integral floats (`1.0`) as integers and
/// inlining known contexts in every `@context` (see [`ContextStore::inline`]).
///
/// JSON has one number type: JavaScript processors see `1.0` as the integer 1 and emit
/// `"1"^^type`, while `json-ld` would keep the lexical form and emit a double. Normalising
/// here keeps signatures identical across implementations.
pub(crate) fn to_json_syntax(
    value: &serde_json::Value,
    store: Option<&ContextStore>,
) -> json_syntax::Value {
    use json_syntax::Value as J;
    match value {
        serde_json::Value::Null => J::Null,
        serde_json::Value::Bool(b) => J::Boolean(*b),
        serde_json::Value::Number(n) => J::Number(number(n)),
        serde_json::Value::String(s) => J::String(s.as_str().into()),
        serde_json::Value::Array(items) => {
            J::Array(items.iter().map(|v| to_json_syntax(v, store)).collect())
        }
        serde_json::Value::Object(map) => {
            let mut object = json_syntax::Object::new();
            for (k, v) in map {
                let converted = match store {
                    Some(store) if k == "@context" => inline_context(v, store),
                    _ => to_json_syntax(v, store),
                };
                object.push(k.as_str().into(), converted);
            }
            J::Object(object)
        }
    }
}

/// A `@context` value with every known context URL replaced by that context's content.
fn inline_context(ctx: &serde_json::Value, store: &ContextStore) -> json_syntax::Value {
    let one = |v: &serde_json::Value| match v {
        serde_json::Value::String(url) => store
            .inline(url)
            .cloned()
            .unwrap_or_else(|| json_syntax::Value::String(url.as_str().into())),
        other => to_json_syntax(other, Some(store)),
    };
    match ctx {
        serde_json::Value::Array(items) => {
            json_syntax::Value::Array(items.iter().map(one).collect())
        }
        other => one(other),
    }
}

fn number(n: &serde_json::Number) -> json_syntax::NumberBuf {
    let text = match n.as_f64() {
        Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 1e21 => {
            format!("{f:.0}")
        }
        _ => n.to_string(),
    };
    text.parse()
        .or_else(|_| "0".parse())
        .unwrap_or_else(|_| json_syntax::NumberBuf::from(0u8))
}
