//! RDFC-1.0 for the common case, without the general machinery.
//!
//! RDFC-1.0 first hashes each blank node's "first-degree" quads; when every hash is unique
//! (true for credentials, whose blank nodes all carry distinct content), canonical labels are
//! simply issued in hash order and the N-Degree step never runs (spec §4.4.3 steps 3–5).
//! Only then is this path used; any hash collision hands the dataset to the `rdf-canon` crate.
//! The serialisation follows canonical N-Quads exactly as `rdf-canonize` (jsonld.js) writes it,
//! and equality with `rdf-canon` is tested over hundreds of documents.

use std::collections::HashMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// A node in subject or object position.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Node {
    /// An IRI.
    Iri(String),
    /// A blank node, numbered by the producer.
    Blank(u32),
}

/// An object.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Object {
    /// An IRI or blank node.
    Node(Node),
    /// A typed literal (`xsd:string` for plain strings).
    Literal {
        /// Lexical form.
        value: String,
        /// Datatype IRI.
        datatype: String,
    },
}

/// A triple in the default graph (all the fast path produces).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Triple {
    pub(crate) subject: Node,
    pub(crate) predicate: String,
    pub(crate) object: Object,
}

/// How blank nodes are written in a serialisation.
trait Labels {
    fn write(&self, out: &mut String, blank: u32);
}

/// First-degree hashing: the reference node is `_:a`, every other blank node `_:z`.
struct FirstDegree(u32);

impl Labels for FirstDegree {
    fn write(&self, out: &mut String, blank: u32) {
        out.push_str(if blank == self.0 { "_:a" } else { "_:z" });
    }
}

/// Canonical labels `_:c14nN`.
struct Canonical<'a>(&'a HashMap<u32, usize>);

impl Labels for Canonical<'_> {
    fn write(&self, out: &mut String, blank: u32) {
        let n = self.0.get(&blank).copied().unwrap_or(usize::MAX);
        let _ = write!(out, "_:c14n{n}");
    }
}

fn escape_iri(out: &mut String, iri: &str) {
    for c in iri.chars() {
        match c {
            '\u{0}'..='\u{20}' | '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
}

fn escape_literal(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
}

fn write_node(out: &mut String, node: &Node, labels: &dyn Labels) {
    match node {
        Node::Iri(iri) => {
            out.push('<');
            escape_iri(out, iri);
            out.push('>');
        }
        Node::Blank(b) => labels.write(out, *b),
    }
}

fn write_triple(out: &mut String, t: &Triple, labels: &dyn Labels) {
    write_node(out, &t.subject, labels);
    out.push_str(" <");
    escape_iri(out, &t.predicate);
    out.push_str("> ");
    match &t.object {
        Object::Node(n) => write_node(out, n, labels),
        Object::Literal { value, datatype } => {
            out.push('"');
            escape_literal(out, value);
            out.push('"');
            if datatype != XSD_STRING {
                out.push_str("^^<");
                escape_iri(out, datatype);
                out.push('>');
            }
        }
    }
    out.push_str(" .\n");
}

fn blanks_of(t: &Triple) -> impl Iterator<Item = u32> + '_ {
    let s = match &t.subject {
        Node::Blank(b) => Some(*b),
        Node::Iri(_) => None,
    };
    let o = match &t.object {
        Object::Node(Node::Blank(b)) => Some(*b),
        _ => None,
    };
    s.into_iter().chain(o.filter(|o| Some(*o) != s))
}

/// Canonical N-Quads when every blank node's first-degree hash is unique; `None` otherwise
/// (the caller then runs the general algorithm). `triples` must be free of duplicates.
pub(crate) fn canonicalize_simple(triples: &[Triple]) -> Option<String> {
    // Blank node → indices of the triples that mention it.
    let mut mentions: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, t) in triples.iter().enumerate() {
        for b in blanks_of(t) {
            mentions.entry(b).or_default().push(i);
        }
    }
    let mut hashed: Vec<([u8; 32], u32)> = Vec::with_capacity(mentions.len());
    let mut line = String::new();
    for (&blank, indices) in &mentions {
        let mut lines: Vec<String> = indices
            .iter()
            .filter_map(|i| triples.get(*i))
            .map(|t| {
                line.clear();
                write_triple(&mut line, t, &FirstDegree(blank));
                line.clone()
            })
            .collect();
        lines.sort_unstable();
        let mut hasher = Sha256::new();
        for l in &lines {
            hasher.update(l.as_bytes());
        }
        hashed.push((hasher.finalize().into(), blank));
    }
    hashed.sort_unstable();
    if hashed.windows(2).any(|w| matches!(w, [a, b] if a.0 == b.0)) {
        return None;
    }
    let labels: HashMap<u32, usize> = hashed
        .iter()
        .enumerate()
        .map(|(i, (_, b))| (*b, i))
        .collect();
    let canonical = Canonical(&labels);
    let mut lines: Vec<String> = triples
        .iter()
        .map(|t| {
            let mut l = String::with_capacity(128);
            write_triple(&mut l, t, &canonical);
            l
        })
        .collect();
    lines.sort_unstable();
    lines.dedup();
    Some(lines.concat())
}

/// Converts to `oxrdf` quads for the general algorithm.
pub(crate) fn to_oxrdf(triples: &[Triple]) -> Vec<oxrdf::Quad> {
    let node = |n: &Node| -> oxrdf::Term {
        match n {
            Node::Iri(i) => oxrdf::NamedNode::new_unchecked(i.clone()).into(),
            Node::Blank(b) => oxrdf::BlankNode::new_unchecked(format!("f{b}")).into(),
        }
    };
    triples
        .iter()
        .map(|t| {
            let subject: oxrdf::Subject = match &t.subject {
                Node::Iri(i) => oxrdf::NamedNode::new_unchecked(i.clone()).into(),
                Node::Blank(b) => oxrdf::BlankNode::new_unchecked(format!("f{b}")).into(),
            };
            let object = match &t.object {
                Object::Node(n) => node(n),
                Object::Literal { value, datatype } => oxrdf::Literal::new_typed_literal(
                    value.clone(),
                    oxrdf::NamedNode::new_unchecked(datatype.clone()),
                )
                .into(),
            };
            oxrdf::Quad::new(
                subject,
                oxrdf::NamedNode::new_unchecked(t.predicate.clone()),
                object,
                oxrdf::GraphName::DefaultGraph,
            )
        })
        .collect()
}
