//! Fast path of JSON-LD → RDF for the documents Badge Engine signs and verifies.
//!
//! The `json-ld` crate re-processes every type- and property-scoped context at every node and
//! deep-clones the (large) active context each time, which is ~90 % of a proof's cost. Here each
//! distinct active context is computed once — by the `json-ld` crate's own context processing,
//! so term definitions are exactly its — and memoised as a [`State`] keyed by how it was
//! reached. The walk over the document then implements the JSON-LD 1.1 expansion and
//! RDF-serialisation rules for the subset real credentials use: node objects, `@id`, `@type`,
//! type-scoped and property-scoped contexts (with non-propagation and reverting), `@set` and
//! `@list` containers, `@id` / `@vocab` / datatype coercion, strings, numbers and booleans.
//! Anything else (value objects, language maps, `@graph`, nested `@context`, `@reverse`, relative
//! IRIs, undefined terms, huge integers…) returns [`Unsupported`] and the caller falls back to the
//! full `json-ld` pipeline, which also produces the precise error for invalid input.
//!
//! Equality with the full pipeline and with jsonld.js is tested over hundreds of varied
//! credentials (`tests/canonical_cache.rs`, `interop/run.sh`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use iref::IriBuf;
use json_ld::context_processing::{Options, Process};
use json_ld::syntax::Keyword;
use json_ld::{Context, Id as LdId, Term, Type};
use rdf_types::{BlankIdBuf, Id};
use serde_json::{Map, Value};

use super::rdfc::{Node, Object, Triple};
use crate::context::ContextStore;

type ActiveContext = Context<IriBuf, BlankIdBuf>;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";
/// Integers beyond this are left to the full pipeline (JSON number precision edge cases).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
/// How many derived contexts one root may accumulate (bounds memory on hostile input).
const MAX_STATES: usize = 4096;

/// The document is outside the fast path's subset; use the full pipeline.
#[derive(Debug)]
pub(crate) struct Unsupported;

type Fast<T> = Result<T, Unsupported>;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Derivation {
    /// A type-scoped context (not propagated to nested nodes).
    Type,
    /// A property-scoped context.
    Property,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// One memoised active context.
pub(crate) struct State {
    id: u64,
    ctx: ActiveContext,
    previous: Option<Arc<State>>,
    /// Derived states, keyed by (id of the state defining the term, term, kind).
    children: RwLock<HashMap<(u64, String, Derivation), Arc<State>>>,
    /// Shared count of states under one root.
    count: Arc<AtomicU64>,
}

impl State {
    /// The state for a processed top-level context.
    pub(crate) fn root(ctx: ActiveContext) -> Arc<Self> {
        Arc::new(Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            ctx,
            previous: None,
            children: RwLock::new(HashMap::new()),
            count: Arc::new(AtomicU64::new(1)),
        })
    }

    /// The state reached by applying the scoped context of `term` (defined in `definer`).
    fn derive(
        self: &Arc<Self>,
        definer: &Arc<State>,
        term: &str,
        kind: Derivation,
        store: &ContextStore,
    ) -> Fast<Arc<State>> {
        let key = (definer.id, term.to_owned(), kind);
        if let Ok(children) = self.children.read()
            && let Some(hit) = children.get(&key)
        {
            return Ok(hit.clone());
        }
        if self.count.load(Ordering::Relaxed) as usize >= MAX_STATES {
            return Err(Unsupported);
        }
        let definition = definer.ctx.get(term).ok_or(Unsupported)?;
        let local = definition.context().ok_or(Unsupported)?;
        let options = match kind {
            Derivation::Type => Options {
                propagate: false,
                ..Options::default()
            },
            Derivation::Property => Options {
                override_protected: true,
                ..Options::default()
            },
        };
        let processed = pollster::block_on(local.process_full(
            &mut (),
            &self.ctx,
            store,
            definition.base_url().cloned(),
            options,
            (),
        ))
        .map_err(|_| Unsupported)?
        .into_processed();
        let previous = match kind {
            // Non-propagated: nested nodes revert to the context before the first such one.
            Derivation::Type => Some(self.previous.clone().unwrap_or_else(|| self.clone())),
            Derivation::Property => self.previous.clone(),
        };
        let state = Arc::new(State {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            ctx: processed,
            previous,
            children: RwLock::new(HashMap::new()),
            count: self.count.clone(),
        });
        self.count.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut children) = self.children.write() {
            children.insert(key, state.clone());
        }
        Ok(state)
    }

    /// The processed `json-ld` context.
    pub(crate) fn context(&self) -> &ActiveContext {
        &self.ctx
    }

    fn has_language_defaults(&self) -> bool {
        self.ctx.default_language().is_some() || self.ctx.default_base_direction().is_some()
    }
}

/// What a key or value expands to.
enum Expanded {
    Keyword(Keyword),
    Iri(String),
}

/// Expands `value` as an IRI (JSON-LD IRI Expansion, no base IRI).
fn expand_iri(state: &State, value: &str, vocab: bool) -> Fast<Expanded> {
    if let Ok(k) = Keyword::try_from(value) {
        return Ok(Expanded::Keyword(k));
    }
    if value.starts_with('@') {
        return Err(Unsupported);
    }
    if vocab && let Some(def) = state.ctx.get(value) {
        return match def.value() {
            Some(Term::Keyword(k)) => Ok(Expanded::Keyword(*k)),
            Some(Term::Id(LdId::Valid(Id::Iri(iri)))) => Ok(Expanded::Iri(iri.as_str().to_owned())),
            _ => Err(Unsupported),
        };
    }
    if let Some((prefix, suffix)) = value.split_once(':') {
        if prefix == "_" {
            return Err(Unsupported);
        }
        if suffix.starts_with("//") {
            return Ok(Expanded::Iri(value.to_owned()));
        }
        if let Some(def) = state.ctx.get(prefix)
            && def.prefix()
        {
            return match def.value() {
                Some(Term::Id(LdId::Valid(Id::Iri(iri)))) => {
                    Ok(Expanded::Iri(format!("{}{suffix}", iri.as_str())))
                }
                _ => Err(Unsupported),
            };
        }
        return if iref::Iri::new(value).is_ok() {
            Ok(Expanded::Iri(value.to_owned()))
        } else {
            Err(Unsupported)
        };
    }
    if vocab && let Some(Term::Id(LdId::Valid(Id::Iri(v)))) = state.ctx.vocabulary() {
        return Ok(Expanded::Iri(format!("{}{value}", v.as_str())));
    }
    // A relative IRI: needs a base, which signed documents do not have.
    Err(Unsupported)
}

fn iri_only(state: &State, value: &str, vocab: bool) -> Fast<String> {
    match expand_iri(state, value, vocab)? {
        Expanded::Iri(iri) => Ok(iri),
        Expanded::Keyword(_) => Err(Unsupported),
    }
}

/// Collects triples with fresh blank nodes.
pub(crate) struct Walker<'a> {
    store: &'a ContextStore,
    triples: Vec<Triple>,
    next_blank: u32,
}

fn named(iri: &str) -> Fast<Node> {
    // Same validity rule as the full pipeline (which rejects invalid IRIs in strict mode).
    iref::Iri::new(iri).map_err(|_| Unsupported)?;
    Ok(Node::Iri(iri.to_owned()))
}

impl<'a> Walker<'a> {
    pub(crate) fn new(store: &'a ContextStore) -> Self {
        Self {
            store,
            triples: Vec::new(),
            next_blank: 0,
        }
    }

    pub(crate) fn into_triples(self) -> Vec<Triple> {
        self.triples
    }

    fn blank(&mut self) -> Node {
        let b = Node::Blank(self.next_blank);
        self.next_blank += 1;
        b
    }

    fn emit(&mut self, s: &Node, p: &str, o: Object) -> Fast<()> {
        iref::Iri::new(p).map_err(|_| Unsupported)?;
        self.triples.push(Triple {
            subject: s.clone(),
            predicate: p.to_owned(),
            object: o,
        });
        Ok(())
    }

    /// Walks the root node object (its `@context` already applied to `state`).
    pub(crate) fn root(&mut self, state: &Arc<State>, root: &Map<String, Value>) -> Fast<()> {
        self.node(state, None, root, true).map(|_| ())
    }

    /// Expands one node object. `property` is the active property's term and the state it is
    /// defined in (for its property-scoped context).
    fn node(
        &mut self,
        active: &Arc<State>,
        property: Option<(&Arc<State>, &str)>,
        object: &Map<String, Value>,
        is_root: bool,
    ) -> Fast<Node> {
        // Classify keys in the incoming context to decide whether to revert (expansion step 7).
        let mut only_id = object.len() == 1;
        for key in object.keys() {
            match expand_iri(active, key, true) {
                Ok(Expanded::Keyword(Keyword::Id)) => {}
                Ok(Expanded::Keyword(Keyword::Context)) if is_root => only_id = false,
                Ok(Expanded::Keyword(Keyword::Type)) => only_id = false,
                Ok(Expanded::Keyword(_)) => return Err(Unsupported),
                _ => only_id = false,
            }
        }
        let mut state = active.clone();
        if let Some(previous) = &active.previous
            && !only_id
        {
            state = previous.clone();
        }
        if let Some((definer, term)) = property
            && definer.ctx.get(term).and_then(|d| d.context()).is_some()
        {
            state = state.derive(definer, term, Derivation::Property, self.store)?;
        }
        // Type-scoped contexts, in lexicographic order of type keys, then of values.
        let type_scoped = state.clone();
        let mut type_keys: Vec<&String> = object
            .keys()
            .filter(|k| {
                matches!(
                    expand_iri(&type_scoped, k, true),
                    Ok(Expanded::Keyword(Keyword::Type))
                )
            })
            .collect();
        type_keys.sort();
        let mut types: Vec<String> = Vec::new();
        for key in &type_keys {
            let mut values: Vec<&str> = match object.get(key.as_str()) {
                Some(Value::String(s)) => vec![s.as_str()],
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|v| v.as_str().ok_or(Unsupported))
                    .collect::<Fast<_>>()?,
                _ => return Err(Unsupported),
            };
            values.sort_unstable();
            for value in &values {
                if type_scoped
                    .ctx
                    .get(*value)
                    .and_then(|d| d.context())
                    .is_some()
                {
                    state = state.derive(&type_scoped, value, Derivation::Type, self.store)?;
                }
            }
            for value in values {
                types.push(iri_only(&type_scoped, value, true)?);
            }
        }
        if state.has_language_defaults() {
            return Err(Unsupported);
        }

        // Subject.
        let mut subject = None;
        for (key, value) in object {
            if let Expanded::Keyword(Keyword::Id) = expand_iri(&state, key, true)? {
                let id = value.as_str().ok_or(Unsupported)?;
                subject = Some(named(&iri_only(&state, id, false)?)?);
            }
        }
        let subject = match subject {
            Some(s) => s,
            None => self.blank(),
        };
        for t in &types {
            self.emit(&subject, RDF_TYPE, Object::Node(named(t)?))?;
        }

        for (key, value) in object {
            let predicate = match expand_iri(&state, key, true)? {
                Expanded::Keyword(Keyword::Id | Keyword::Type) => continue,
                Expanded::Keyword(Keyword::Context) if is_root => continue,
                Expanded::Keyword(_) => return Err(Unsupported),
                Expanded::Iri(iri) => iri,
            };
            let definition = state.ctx.get(key.as_str());
            let (container_list, container_ok) = match &definition {
                Some(d) => {
                    let c = d.container();
                    if d.reverse_property() || d.nest().is_some() || d.index().is_some() {
                        return Err(Unsupported);
                    }
                    if d.language().is_some() || d.direction().is_some() {
                        return Err(Unsupported);
                    }
                    use json_ld::ContainerKind as K;
                    let list = c.contains(K::List);
                    let other = c.contains(K::Graph)
                        || c.contains(K::Id)
                        || c.contains(K::Index)
                        || c.contains(K::Language)
                        || c.contains(K::Type);
                    (list, !other)
                }
                None => (false, true),
            };
            if !container_ok {
                return Err(Unsupported);
            }
            let items: Vec<&Value> = match value {
                Value::Array(items) => items.iter().collect(),
                Value::Null => continue,
                other => vec![other],
            };
            if container_list {
                let mut objects = Vec::with_capacity(items.len());
                for item in items {
                    if item.is_array() {
                        return Err(Unsupported);
                    }
                    if let Some(o) = self.value(&state, key, item)? {
                        objects.push(o);
                    }
                }
                let head = self.list(objects)?;
                self.emit(&subject, &predicate, head)?;
            } else {
                for item in items {
                    if item.is_array() {
                        return Err(Unsupported);
                    }
                    if let Some(o) = self.value(&state, key, item)? {
                        self.emit(&subject, &predicate, o)?;
                    }
                }
            }
        }
        Ok(subject)
    }

    fn list(&mut self, items: Vec<Object>) -> Fast<Object> {
        if items.is_empty() {
            return Ok(Object::Node(named(RDF_NIL)?));
        }
        let nodes: Vec<Node> = (0..items.len()).map(|_| self.blank()).collect();
        for (i, item) in items.into_iter().enumerate() {
            let node = nodes.get(i).ok_or(Unsupported)?.clone();
            self.emit(&node, RDF_FIRST, item)?;
            let rest = match nodes.get(i + 1) {
                Some(next) => next.clone(),
                None => named(RDF_NIL)?,
            };
            self.emit(&node, RDF_REST, Object::Node(rest))?;
        }
        Ok(Object::Node(nodes.first().ok_or(Unsupported)?.clone()))
    }

    /// Expands one value of property `key` (defined in `state`) into an RDF term.
    fn value(&mut self, state: &Arc<State>, key: &str, value: &Value) -> Fast<Option<Object>> {
        match value {
            Value::Null => Ok(None),
            Value::Object(o) => Ok(Some(Object::Node(self.node(
                state,
                Some((state, key)),
                o,
                false,
            )?))),
            Value::Array(_) => Err(Unsupported),
            scalar => {
                // Scalars are expanded in the property-scoped context, when there is one.
                let scoped;
                let state = if state.ctx.get(key).and_then(|d| d.context()).is_some() {
                    scoped = state.derive(state, key, Derivation::Property, self.store)?;
                    &scoped
                } else {
                    state
                };
                if state.has_language_defaults() {
                    return Err(Unsupported);
                }
                let typ = state.ctx.get(key).and_then(|d| d.typ().cloned());
                literal(state, typ, scalar).map(Some)
            }
        }
    }
}

/// JSON-LD value expansion + RDF conversion of a scalar.
fn literal(state: &State, typ: Option<Type<IriBuf>>, value: &Value) -> Fast<Object> {
    let typed = |lexical: String, datatype: &str| -> Fast<Object> {
        iref::Iri::new(datatype).map_err(|_| Unsupported)?;
        Ok(Object::Literal {
            value: lexical,
            datatype: datatype.to_owned(),
        })
    };
    match (typ, value) {
        (Some(Type::Id), Value::String(s)) => Ok(Object::Node(named(&iri_only(state, s, false)?)?)),
        (Some(Type::Vocab), Value::String(s)) => {
            Ok(Object::Node(named(&iri_only(state, s, true)?)?))
        }
        (Some(Type::Json | Type::None), _) => Err(Unsupported),
        (Some(Type::Iri(dt)), Value::String(s)) => typed(s.clone(), dt.as_str()),
        (Some(Type::Iri(dt)), Value::Bool(b)) => typed(b.to_string(), dt.as_str()),
        (Some(Type::Iri(dt)), Value::Number(n)) => {
            let double = dt.as_str() == XSD_DOUBLE;
            typed(number(n, double)?.0, dt.as_str())
        }
        (_, Value::String(s)) => typed(s.clone(), XSD_STRING),
        (_, Value::Bool(b)) => typed(b.to_string(), XSD_BOOLEAN),
        (_, Value::Number(n)) => {
            let (lexical, is_double) = number(n, false)?;
            typed(lexical, if is_double { XSD_DOUBLE } else { XSD_INTEGER })
        }
        _ => Err(Unsupported),
    }
}

/// Lexical form of a JSON number as the full pipeline writes it (after the crate's
/// integral-float normalisation): integers as digits, others as canonical `xsd:double`.
fn number(n: &serde_json::Number, force_double: bool) -> Fast<(String, bool)> {
    let f = n.as_f64().ok_or(Unsupported)?;
    if !f.is_finite() || f.abs() > MAX_SAFE_INTEGER && f.fract() == 0.0 {
        return Err(Unsupported);
    }
    if f.fract() == 0.0 && !force_double {
        return Ok((format!("{f:.0}"), false));
    }
    let config = pretty_dtoa::FmtFloatConfig::default()
        .force_e_notation()
        .capitalize_e(true);
    Ok((pretty_dtoa::dtoa(f, config), true))
}
