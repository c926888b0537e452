//! Bounded XML reading for SVG documents (sanitising uploads, baking and extracting
//! credentials): quick-xml's namespace-aware reader with explicit limits, so that what a hostile
//! document costs stays linear in its size.
//!
//! quick-xml streams and never recurses, but without limits three things grow faster than the
//! input: namespace resolution scans every binding in scope for each element and attribute,
//! its duplicate-attribute check compares every pair of attributes of a tag, and its nesting
//! counter is a `u16` that overflows (a panic in debug builds) past 65 535 open elements.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{LocalName, QName, ResolveResult};
use quick_xml::reader::NsReader;
use thiserror::Error;

/// Deepest element nesting accepted. Real badge artwork nests well under 30 levels.
pub const MAX_DEPTH: usize = 256;
/// Most attributes (namespace declarations included) on one element.
pub const MAX_ATTRIBUTES: usize = 256;
/// Most namespace declarations in scope at once. Inkscape and Illustrator files declare about
/// ten on the root.
pub const MAX_NAMESPACE_BINDINGS: usize = 64;

/// A structural limit of an XML document was exceeded.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum LimitExceeded {
    /// Elements nested deeper than [`MAX_DEPTH`].
    #[error("elements are nested deeper than {MAX_DEPTH} levels")]
    Depth,
    /// An element with more than [`MAX_ATTRIBUTES`] attributes.
    #[error("an element has more than {MAX_ATTRIBUTES} attributes")]
    Attributes,
    /// More than [`MAX_NAMESPACE_BINDINGS`] namespace declarations in scope.
    #[error("more than {MAX_NAMESPACE_BINDINGS} namespace declarations are in scope")]
    NamespaceBindings,
}

/// Why reading stopped.
#[derive(Debug)]
pub(crate) enum XmlError {
    /// Not well-formed (quick-xml's message, or ours).
    Syntax(String),
    /// Well-formed so far, but beyond a limit.
    Limit(LimitExceeded),
}

impl XmlError {
    fn syntax(e: impl ToString) -> Self {
        Self::Syntax(e.to_string())
    }
}

/// A namespace-aware reader that enforces [`MAX_DEPTH`], [`MAX_ATTRIBUTES`] and
/// [`MAX_NAMESPACE_BINDINGS`], and refuses a document that ends inside an element.
pub(crate) struct Reader<'a> {
    inner: NsReader<&'a [u8]>,
    /// Namespace declarations of each open element.
    open: Vec<usize>,
    bindings_in_scope: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `bytes` (without a byte-order mark: quick-xml would not count it in
    /// [`Self::position`]).
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        let mut inner = NsReader::from_reader(bytes);
        inner.config_mut().check_end_names = true;
        Self {
            inner,
            open: Vec::new(),
            bindings_in_scope: 0,
        }
    }

    /// The next event, after checking the limits for a start tag.
    pub(crate) fn next(&mut self) -> Result<Event<'a>, XmlError> {
        let event = self.inner.read_event().map_err(XmlError::syntax)?;
        match &event {
            Event::Start(e) => {
                let declared = count_attributes(e)?;
                if self.open.len() >= MAX_DEPTH {
                    return Err(XmlError::Limit(LimitExceeded::Depth));
                }
                self.enter(declared)?;
                self.open.push(declared);
            }
            Event::Empty(e) => {
                let declared = count_attributes(e)?;
                self.enter(declared)?;
                self.bindings_in_scope -= declared;
            }
            Event::End(_) => {
                let declared = self.open.pop().unwrap_or_default();
                self.bindings_in_scope = self.bindings_in_scope.saturating_sub(declared);
            }
            Event::Eof if !self.open.is_empty() => {
                return Err(XmlError::Syntax(format!(
                    "the document ends inside {} open element(s)",
                    self.open.len()
                )));
            }
            _ => {}
        }
        Ok(event)
    }

    fn enter(&mut self, declared: usize) -> Result<(), XmlError> {
        self.bindings_in_scope += declared;
        if self.bindings_in_scope > MAX_NAMESPACE_BINDINGS {
            return Err(XmlError::Limit(LimitExceeded::NamespaceBindings));
        }
        Ok(())
    }

    /// Reads past the end tag of the element whose start tag was just read.
    pub(crate) fn skip_element(&mut self) -> Result<(), XmlError> {
        let depth = self.open.len();
        loop {
            if let Event::End(_) = self.next()?
                && self.open.len() < depth
            {
                return Ok(());
            }
        }
    }

    /// Number of open elements (the root counts as 1 while it is open).
    pub(crate) fn depth(&self) -> usize {
        self.open.len()
    }

    /// Resolves an element name against the bindings in scope.
    pub(crate) fn resolve_element<'n>(
        &self,
        name: QName<'n>,
    ) -> (ResolveResult<'_>, LocalName<'n>) {
        self.inner.resolve_element(name)
    }

    /// Resolves an attribute name (unprefixed attributes are in no namespace).
    pub(crate) fn resolve_attribute<'n>(
        &self,
        name: QName<'n>,
    ) -> (ResolveResult<'_>, LocalName<'n>) {
        self.inner.resolve_attribute(name)
    }

    /// Byte offset just after the last event read.
    pub(crate) fn position(&self) -> usize {
        usize::try_from(self.inner.buffer_position()).unwrap_or(usize::MAX)
    }
}

/// Counts attributes (bounded by [`MAX_ATTRIBUTES`]) and returns how many are namespace
/// declarations. Malformed attributes stop the count; whoever reads them reports the error.
fn count_attributes(e: &BytesStart<'_>) -> Result<usize, XmlError> {
    let mut total = 0usize;
    let mut declarations = 0usize;
    for attr in e.attributes().with_checks(false) {
        let Ok(attr) = attr else { break };
        total += 1;
        if total > MAX_ATTRIBUTES {
            return Err(XmlError::Limit(LimitExceeded::Attributes));
        }
        if attr.key.as_namespace_binding().is_some() {
            declarations += 1;
        }
    }
    Ok(declarations)
}

/// Whether `c` may appear in an XML 1.0 document.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether `name` is a qualified name of XML Namespaces 1.0 (`prefix:local` or `local`, each
/// part an `NCName` of XML 1.0 fifth edition), so that writing it back cannot break the markup
/// or its namespace well-formedness.
pub(crate) fn is_xml_name(name: &[u8]) -> bool {
    let Ok(name) = std::str::from_utf8(name) else {
        return false;
    };
    let mut parts = name.split(':');
    let ncname = |part: &str| {
        let mut chars = part.chars();
        chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
    };
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), None, _) => ncname(local),
        (Some(prefix), Some(local), None) => ncname(prefix) && ncname(local),
        _ => false,
    }
}

fn is_name_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}
