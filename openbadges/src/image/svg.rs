//! SVG upload sanitising. The document is read with a namespace-aware XML parser (quick-xml,
//! bounded by [`crate::xml`]) and written back from what was decoded, so what is checked is
//! exactly what is written:
//!
//! - Elements: only SVG elements on an allow-list survive, everything else goes with all it
//!   contains: `script` and the SVG Tiny `handler`/`listener`, `foreignObject` and other
//!   embedding, SVG fonts (`font` leaves SVG when the image is inlined into HTML), any element
//!   in another namespace or with an undeclared prefix, and animations (`animate`, `set`, …)
//!   whose `attributeName` is a link or an event handler.
//! - Attributes: no `on*` handler; nothing in another namespace except `xlink:href`,
//!   `xlink:title`, `xml:space` and `xml:lang`; no namespace declaration except for SVG and
//!   XLink; no value (read as CSS, see [`super::css`]) that imports, loads anything but a
//!   same-document `url(#id)`, or runs script; `href` / `xlink:href` only a `#id` fragment, or a
//!   raster `data:` URI (PNG, JPEG, GIF, WebP) on `<image>` and `<feImage>`.
//! - `<style>`: its whole text (text, character references, CDATA, and the text of child
//!   elements, which are dropped) is judged as one CSS string; unsafe CSS drops the element.
//! - Dropped: DOCTYPE (entity expansion, external entities), processing instructions, comments,
//!   and references to entities other than XML's five.
//! - Written: UTF-8 with an `<?xml version="1.0" encoding="UTF-8"?>` declaration when the input
//!   had one; every attribute value and all text escaped; CDATA as escaped text. Comments and
//!   CDATA are markup that HTML parses differently from XML (`<desc><![CDATA[</desc><img …>`
//!   is harmless XML but live HTML when an SVG is inlined into a page), so none is ever written.
//!
//! A document that is not well-formed, not UTF-8, or not rooted in `<svg>` is refused.

use std::collections::HashSet;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use super::{ImageError, css};
use crate::xml::{self, Reader, XmlError};

/// Largest SVG [`sanitize_svg`] accepts: the default upload limit.
pub const MAX_SVG_BYTES: usize = 10 << 20;

const SVG_NS: &[u8] = b"http://www.w3.org/2000/svg";
const XLINK_NS: &[u8] = b"http://www.w3.org/1999/xlink";
const XML_NS: &[u8] = b"http://www.w3.org/XML/1998/namespace";

/// The SVG elements kept (names are case-sensitive in XML, so `Script` or `foreignobject` are
/// simply not on the list).
const ELEMENTS: &[&str] = &[
    "a",
    "animate",
    "animateMotion",
    "animateTransform",
    "circle",
    "clipPath",
    "defs",
    "desc",
    "discard",
    "ellipse",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "filter",
    "g",
    "image",
    "line",
    "linearGradient",
    "marker",
    "mask",
    "metadata",
    "mpath",
    "path",
    "pattern",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "set",
    "stop",
    "style",
    "svg",
    "switch",
    "symbol",
    "text",
    "textPath",
    "title",
    "tspan",
    "use",
    "view",
];

/// Animation elements, whose `attributeName` decides what they may change.
const ANIMATIONS: &[&str] = &["animate", "animateMotion", "animateTransform", "set"];

fn invalid(reason: impl Into<String>) -> ImageError {
    ImageError::InvalidSvg {
        reason: reason.into(),
    }
}

impl From<XmlError> for ImageError {
    fn from(e: XmlError) -> Self {
        match e {
            XmlError::Syntax(reason) => ImageError::InvalidSvg { reason },
            XmlError::Limit(limit) => ImageError::SvgTooComplex { limit },
        }
    }
}

/// Where the reader is relative to the root element.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Root {
    NotYet,
    Open,
    Closed,
}

/// Removes everything active or external from an SVG document (see the module docs for the
/// rules), or refuses it.
pub fn sanitize_svg(bytes: &[u8]) -> Result<Vec<u8>, ImageError> {
    if bytes.len() > MAX_SVG_BYTES {
        return Err(ImageError::TooManyBytes {
            size: bytes.len(),
            limit: MAX_SVG_BYTES,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| invalid(format!("not UTF-8: {e}")))?;
    let mut reader = Reader::new(bytes);
    let mut out = Vec::with_capacity(bytes.len());
    let mut root = Root::NotYet;
    let mut first_event = true;
    loop {
        let event = reader.next()?;
        let first = std::mem::replace(&mut first_event, false);
        match event {
            Event::Eof => break,
            Event::Decl(_) if first => {
                out.extend_from_slice(br#"<?xml version="1.0" encoding="UTF-8"?>"#);
            }
            Event::Decl(_) => return Err(invalid("XML declaration after the start")),
            Event::DocType(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Text(t) => {
                let text = t.xml10_content().map_err(|e| invalid(e.to_string()))?;
                if root != Root::Open && !text.trim().is_empty() {
                    return Err(invalid("text outside the root element"));
                }
                escape_text(&text, &mut out)?;
            }
            Event::CData(c) => {
                if root != Root::Open {
                    return Err(invalid("CDATA outside the root element"));
                }
                let text = c.xml10_content().map_err(|e| invalid(e.to_string()))?;
                escape_text(&text, &mut out)?;
            }
            Event::GeneralRef(r) => {
                if root != Root::Open {
                    return Err(invalid("a reference outside the root element"));
                }
                if let Some(c) = resolve_reference(&r)? {
                    escape_text(c.encode_utf8(&mut [0; 4]), &mut out)?;
                }
            }
            Event::Start(e) => element(&mut reader, &e, true, &mut root, &mut out)?,
            Event::Empty(e) => element(&mut reader, &e, false, &mut root, &mut out)?,
            Event::End(e) => {
                out.extend_from_slice(b"</");
                out.extend_from_slice(e.name().as_ref());
                out.push(b'>');
                if reader.depth() == 0 {
                    root = Root::Closed;
                }
            }
        }
    }
    if root == Root::NotYet {
        return Err(invalid("no <svg> element"));
    }
    Ok(out)
}

/// Writes a kept element's start tag (or the whole `<style>`), or skips a dropped element.
fn element(
    reader: &mut Reader<'_>,
    e: &BytesStart<'_>,
    opened: bool,
    root: &mut Root,
    out: &mut Vec<u8>,
) -> Result<(), ImageError> {
    match *root {
        Root::Closed => return Err(invalid("content after the root element")),
        Root::NotYet => {
            let (ns, local) = reader.resolve_element(e.name());
            if !is_svg(&ns) || local.as_ref() != b"svg" {
                return Err(invalid("the root element is not an SVG <svg>"));
            }
            *root = if opened { Root::Open } else { Root::Closed };
        }
        Root::Open => {}
    }
    if !xml::is_xml_name(e.name().as_ref()) {
        return Err(invalid(format!(
            "invalid element name {}",
            String::from_utf8_lossy(e.name().as_ref())
        )));
    }
    let Some(local) = kept_element(reader, e)? else {
        if opened {
            reader.skip_element()?;
        }
        return Ok(());
    };
    let attributes = clean_attributes(reader, e, local)?;
    if local == "style" && opened {
        return write_style(reader, e, &attributes, out);
    }
    out.push(b'<');
    out.extend_from_slice(e.name().as_ref());
    out.extend_from_slice(&attributes);
    out.extend_from_slice(if opened { b">" } else { b"/>" });
    Ok(())
}

/// SVG namespace, or no namespace at all (a document without `xmlns`).
fn is_svg(ns: &ResolveResult<'_>) -> bool {
    match ns {
        ResolveResult::Unbound => true,
        ResolveResult::Bound(n) => n.as_ref() == SVG_NS,
        ResolveResult::Unknown(_) => false,
    }
}

/// The element's allow-listed local name, or `None` when it is dropped.
fn kept_element(
    reader: &Reader<'_>,
    e: &BytesStart<'_>,
) -> Result<Option<&'static str>, ImageError> {
    let (ns, local) = reader.resolve_element(e.name());
    if !is_svg(&ns) {
        return Ok(None);
    }
    let Some(name) = ELEMENTS
        .iter()
        .copied()
        .find(|n| n.as_bytes() == local.as_ref())
    else {
        return Ok(None);
    };
    if ANIMATIONS.contains(&name) {
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|err| invalid(err.to_string()))?;
            if attr.key.as_ref() != b"attributeName" {
                continue;
            }
            let target = attribute_value(&attr)?;
            let target = target.trim();
            // `xlink:href` and `href` alike: the prefix is not resolved by SMIL consumers.
            let local = target
                .rsplit(':')
                .next()
                .unwrap_or(target)
                .to_ascii_lowercase();
            if local == "href" || local.starts_with("on") {
                return Ok(None);
            }
        }
    }
    Ok(Some(name))
}

/// Writes `<style>` with its whole text as one escaped text node, or nothing when the CSS is
/// unsafe. Child elements are dropped, their text kept: what is written is what was judged.
fn write_style(
    reader: &mut Reader<'_>,
    e: &BytesStart<'_>,
    attributes: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), ImageError> {
    let depth = reader.depth();
    let mut css = String::new();
    loop {
        match reader.next()? {
            Event::Text(t) => css.push_str(&t.xml10_content().map_err(|e| invalid(e.to_string()))?),
            Event::CData(c) => {
                css.push_str(&c.xml10_content().map_err(|e| invalid(e.to_string()))?)
            }
            Event::GeneralRef(r) => {
                if let Some(c) = resolve_reference(&r)? {
                    css.push(c);
                }
            }
            Event::End(_) if reader.depth() < depth => break,
            _ => {}
        }
    }
    if css::is_unsafe(&css) {
        return Ok(());
    }
    out.push(b'<');
    out.extend_from_slice(e.name().as_ref());
    out.extend_from_slice(attributes);
    out.push(b'>');
    escape_text(&css, out)?;
    out.extend_from_slice(b"</");
    out.extend_from_slice(e.name().as_ref());
    out.push(b'>');
    Ok(())
}

/// The kept attributes, each written ` name="escaped value"`.
fn clean_attributes(
    reader: &Reader<'_>,
    e: &BytesStart<'_>,
    element: &str,
) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    // Duplicates by expanded name (namespace, local name), as XML Namespaces requires.
    let mut seen: HashSet<(Vec<u8>, Vec<u8>)> = HashSet::new();
    for attr in e.attributes().with_checks(false) {
        let attr = attr.map_err(|err| invalid(err.to_string()))?;
        let key = attr.key.as_ref();
        if !xml::is_xml_name(key) {
            return Err(invalid(format!(
                "invalid attribute name {}",
                String::from_utf8_lossy(key)
            )));
        }
        let value = attribute_value(&attr)?;
        let keep = if attr.key.as_namespace_binding().is_some() {
            if !seen.insert((b"xmlns:".to_vec(), key.to_vec())) {
                return Err(invalid(format!(
                    "duplicate {}",
                    String::from_utf8_lossy(key)
                )));
            }
            // Only SVG and XLink are ever used by what is kept; `xmlns=""` (no namespace)
            // keeps its meaning for the elements under it.
            // The reserved `xml` and `xmlns` prefixes are never redeclared.
            let v = value.as_bytes();
            let reserved = key == b"xmlns:xml" || key == b"xmlns:xmlns";
            !reserved && (v == SVG_NS || v == XLINK_NS || (key == b"xmlns" && v.is_empty()))
        } else {
            let (ns, local) = reader.resolve_attribute(attr.key);
            let ns: Option<Vec<u8>> = match ns {
                ResolveResult::Unbound => None,
                ResolveResult::Bound(n) => Some(n.as_ref().to_vec()),
                // An undeclared prefix: not namespace-well-formed, so it cannot be written.
                ResolveResult::Unknown(_) => continue,
            };
            if !seen.insert((ns.clone().unwrap_or_default(), local.as_ref().to_vec())) {
                return Err(invalid(format!(
                    "duplicate attribute {}",
                    String::from_utf8_lossy(key)
                )));
            }
            keep_attribute(ns.as_deref(), local.as_ref(), &value, element)
        };
        if keep {
            out.push(b' ');
            out.extend_from_slice(key);
            out.extend_from_slice(b"=\"");
            escape_attribute(&value, &mut out)?;
            out.push(b'"');
        }
    }
    Ok(out)
}

fn keep_attribute(ns: Option<&[u8]>, local: &[u8], value: &str, element: &str) -> bool {
    let name = String::from_utf8_lossy(local).to_ascii_lowercase();
    let allowed_namespace = match ns {
        None => true,
        Some(XLINK_NS) => name == "href" || name == "title",
        Some(XML_NS) => name == "space" || name == "lang",
        Some(_) => false,
    };
    if !allowed_namespace || name.starts_with("on") || css::is_unsafe(value) {
        return false;
    }
    name != "href" || css::is_internal_link(value, matches!(element, "image" | "feImage"))
}

/// An attribute's value as an XML processor reports it: literal tabs and line breaks become
/// spaces (XML 1.0 §3.3.3), then references are expanded.
fn attribute_value(
    attr: &quick_xml::events::attributes::Attribute<'_>,
) -> Result<String, ImageError> {
    let raw = std::str::from_utf8(&attr.value).map_err(|e| invalid(e.to_string()))?;
    let normalised = raw.replace("\r\n", " ").replace(['\t', '\n', '\r'], " ");
    let value = quick_xml::escape::unescape(&normalised)
        .map_err(|e| {
            invalid(format!(
                "attribute {}: {e}",
                String::from_utf8_lossy(attr.key.as_ref())
            ))
        })?
        .into_owned();
    Ok(value)
}

/// A character reference or one of XML's five entities; other entities (their DOCTYPE is
/// dropped) resolve to nothing.
fn resolve_reference(r: &quick_xml::events::BytesRef<'_>) -> Result<Option<char>, ImageError> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| invalid(e.to_string()))? {
        return Ok(Some(c));
    }
    let name = r.decode().map_err(|e| invalid(e.to_string()))?;
    Ok(quick_xml::escape::resolve_predefined_entity(&name).and_then(|s| s.chars().next()))
}

fn escape_text(text: &str, out: &mut Vec<u8>) -> Result<(), ImageError> {
    for c in text.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '\r' => out.extend_from_slice(b"&#13;"),
            c if xml::is_xml_char(c) => {
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes())
            }
            c => {
                return Err(invalid(format!(
                    "character U+{:04X} is not allowed in XML",
                    c as u32
                )));
            }
        }
    }
    Ok(())
}

/// Escapes for a double-quoted value; tabs and line breaks as references so that they survive
/// attribute-value normalisation.
fn escape_attribute(value: &str, out: &mut Vec<u8>) -> Result<(), ImageError> {
    for c in value.chars() {
        match c {
            '"' => out.extend_from_slice(b"&quot;"),
            '\t' => out.extend_from_slice(b"&#9;"),
            '\n' => out.extend_from_slice(b"&#10;"),
            c => escape_text(c.encode_utf8(&mut [0; 4]), out)?,
        }
    }
    Ok(())
}
