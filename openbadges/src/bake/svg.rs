//! SVG baking: the root `<svg>` declares `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`
//! and its first child is `<openbadges:credential>` holding the credential JSON in CDATA (or a
//! `verify` attribute with a compact JWS).
//!
//! The document is read with quick-xml's namespace-aware reader, bounded by [`crate::xml`];
//! baking copies the original bytes around the edited spots so the drawing itself is
//! untouched (the root start tag is rebuilt from its raw attribute bytes, each keeping its
//! original escaping, so no value is ever written unescaped).

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};

use super::{
    BakeError, Baked, BakingIssue, Extracted, MAX_CREDENTIAL_BYTES, MAX_CREDENTIALS_PER_IMAGE,
    Payload,
};
use crate::xml::{Reader, XmlError};

/// Namespace of Open Badges 3.0 baked SVG elements.
pub const NS_V3: &str = "https://purl.imsglobal.org/ob/v3p0";
/// Namespace of Open Badges 2.0 baked SVG elements.
pub const NS_V2: &str = "http://openbadges.org";

fn malformed(reason: impl Into<String>) -> BakeError {
    BakeError::Malformed {
        format: "SVG",
        reason: reason.into(),
    }
}

impl From<XmlError> for BakeError {
    fn from(e: XmlError) -> Self {
        match e {
            XmlError::Syntax(reason) => malformed(reason),
            XmlError::Limit(limit) => BakeError::TooComplex(limit),
        }
    }
}

/// The name the spec bakes the credential element with.
const CREDENTIAL_QNAME: &[u8] = b"openbadges:credential";

/// Which badge element an event opens, if any.
#[derive(Clone, PartialEq, Eq)]
enum BadgeElement {
    /// A 3.0 credential element (in the 3.0 namespace).
    V3,
    /// `<openbadges:credential>` outside the 3.0 namespace (the namespace, if declared).
    MisplacedV3(Option<String>),
    /// A 2.0 assertion element.
    V2,
}

fn badge_element(reader: &Reader<'_>, e: &BytesStart<'_>) -> Option<BadgeElement> {
    let (ns, local) = reader.resolve_element(e.name());
    let local = local.as_ref();
    match ns {
        ResolveResult::Bound(Namespace(n)) if n == NS_V3.as_bytes() && local == b"credential" => {
            Some(BadgeElement::V3)
        }
        ResolveResult::Bound(Namespace(n)) if n == NS_V2.as_bytes() && local == b"assertion" => {
            Some(BadgeElement::V2)
        }
        _ if e.name().as_ref() == CREDENTIAL_QNAME => Some(BadgeElement::MisplacedV3(match ns {
            ResolveResult::Bound(Namespace(n)) => Some(String::from_utf8_lossy(n).into_owned()),
            _ => None,
        })),
        _ => None,
    }
}

/// Splits off a leading UTF-8 byte-order mark.
fn split_bom(image: &[u8]) -> (&[u8], &[u8]) {
    match image.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (image.get(..3).unwrap_or_default(), rest),
        None => (&[], image),
    }
}

/// Bakes `payload` into an SVG, replacing any earlier badge element (3.0 or 2.0).
pub fn bake(image: &[u8], payload: &Payload) -> Result<Vec<u8>, BakeError> {
    // quick-xml skips a UTF-8 byte-order mark without counting it in its positions, so the
    // mark is set aside here and put back in front of the output.
    let (bom, image) = split_bom(image);
    let mut reader = Reader::new(image);
    let mut root: Option<(usize, usize, bool, BytesStart<'static>)> = None;
    let mut removed: Vec<(usize, usize)> = Vec::new();
    loop {
        let start = reader.position();
        let event = reader.next()?;
        let is_empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_none() => {
                if e.local_name().as_ref() != b"svg" {
                    return Err(malformed("the root element is not <svg>"));
                }
                root = Some((start, reader.position(), is_empty, e.into_owned()));
            }
            Event::Start(e) if badge_element(&reader, &e).is_some() => {
                reader.skip_element()?;
                removed.push((start, reader.position()));
            }
            Event::Empty(e) if badge_element(&reader, &e).is_some() => {
                removed.push((start, reader.position()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let (root_start, root_end, root_empty, root_tag) =
        root.ok_or_else(|| malformed("no root element"))?;

    let mut out = Vec::with_capacity(image.len() + payload.as_bytes().len() + 128);
    out.extend_from_slice(bom);
    out.extend_from_slice(image.get(..root_start).unwrap_or_default());
    out.extend_from_slice(&root_with_namespace(&root_tag)?);
    write_badge(&mut out, payload)?;
    if root_empty {
        out.extend_from_slice(b"</");
        out.extend_from_slice(root_tag.name().as_ref());
        out.extend_from_slice(b">");
        out.extend_from_slice(image.get(root_end..).unwrap_or_default());
        return Ok(out);
    }
    let mut cursor = root_end;
    for (s, e) in removed {
        out.extend_from_slice(image.get(cursor..s).unwrap_or_default());
        cursor = e;
    }
    out.extend_from_slice(image.get(cursor..).unwrap_or_default());
    Ok(out)
}

/// The root start tag with `xmlns:openbadges` bound to the 3.0 namespace (a 2.0 binding of the
/// same prefix is replaced, since its elements are removed).
///
/// Written by hand from the raw name and attribute bytes: each value keeps its original
/// escaping and gets the quote character it was written with (a raw value containing `"` can
/// only have been single-quoted), so nothing about the original tag changes but the binding.
fn root_with_namespace(root: &BytesStart<'_>) -> Result<Vec<u8>, BakeError> {
    let mut out = Vec::with_capacity(root.len() + 64);
    out.push(b'<');
    out.extend_from_slice(root.name().as_ref());
    for attr in root.attributes() {
        let attr = attr.map_err(|e| malformed(e.to_string()))?;
        if attr.key.as_ref() == b"xmlns:openbadges" {
            continue;
        }
        let quote = if attr.value.contains(&b'"') {
            b'\''
        } else {
            b'"'
        };
        out.push(b' ');
        out.extend_from_slice(attr.key.as_ref());
        out.push(b'=');
        out.push(quote);
        out.extend_from_slice(&attr.value);
        out.push(quote);
    }
    out.extend_from_slice(b" xmlns:openbadges=\"");
    out.extend_from_slice(NS_V3.as_bytes());
    out.extend_from_slice(b"\">");
    Ok(out)
}

fn write_badge(out: &mut Vec<u8>, payload: &Payload) -> Result<(), BakeError> {
    match payload {
        Payload::Json(bytes) => {
            let text = std::str::from_utf8(bytes).map_err(|_| BakeError::Invalid {
                reason: "credential JSON is not UTF-8".into(),
            })?;
            out.extend_from_slice(b"<openbadges:credential><![CDATA[");
            // `]]>` cannot appear inside CDATA: end the section between `]]` and `>` and
            // start a new one; extraction concatenates sections, restoring the exact bytes.
            out.extend_from_slice(text.replace("]]>", "]]]]><![CDATA[>").as_bytes());
            out.extend_from_slice(b"]]></openbadges:credential>");
        }
        Payload::Jws(jws) => {
            out.extend_from_slice(b"<openbadges:credential verify=\"");
            out.extend_from_slice(quick_xml::escape::escape(jws.as_str()).as_bytes());
            out.extend_from_slice(b"\"/>");
        }
    }
    Ok(())
}

/// A credential element found while extracting.
struct Found {
    payload: Result<Payload, BakeError>,
    /// In the 3.0 namespace (not a misplaced `<openbadges:credential>`).
    in_namespace: bool,
    issues: Vec<BakingIssue>,
}

/// Extracts the baked credential (3.0 `<openbadges:credential>`, else 2.0
/// `<openbadges:assertion>`), with the baking rules the image breaks.
///
/// Of several credential elements, the first in the 3.0 namespace is read, as the spec's
/// extraction rule says; without any, the first misplaced `<openbadges:credential>`.
pub fn extract(image: &[u8]) -> Result<Extracted, BakeError> {
    let mut reader = Reader::new(split_bom(image).1);
    let mut root_declares_v3: Option<bool> = None;
    // Nothing but whitespace (or comments) yet after the `<svg>` start tag.
    let mut nothing_after_root = true;
    let mut found: Vec<Found> = Vec::new();
    let mut v2: Option<Payload> = None;
    loop {
        let event = reader.next()?;
        let (e, empty) = match event {
            Event::Eof => break,
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::Text(t) if reader.depth() == 1 => {
                nothing_after_root &= t.iter().all(u8::is_ascii_whitespace);
                continue;
            }
            Event::CData(_) | Event::GeneralRef(_) if reader.depth() == 1 => {
                nothing_after_root = false;
                continue;
            }
            _ => continue,
        };
        // The element's own depth: the root is 1.
        let depth = reader.depth() + usize::from(empty);
        let Some(declares) = root_declares_v3 else {
            root_declares_v3 = Some(declares_v3(&e)?);
            continue;
        };
        let directly_after_root = depth == 2 && nothing_after_root;
        if depth == 2 {
            nothing_after_root = false;
        }
        let misplaced = match badge_element(&reader, &e) {
            None => continue,
            Some(BadgeElement::V2) => {
                if v2.is_none() && found.is_empty() {
                    v2 = Some(read_element(&mut reader, &e, empty)?.payload?);
                }
                continue;
            }
            Some(BadgeElement::V3) => None,
            Some(BadgeElement::MisplacedV3(namespace)) => Some(namespace),
        };
        if found.len() == MAX_CREDENTIALS_PER_IMAGE {
            return Err(BakeError::TooManyCredentials);
        }
        let in_namespace = misplaced.is_none();
        let mut issues = Vec::new();
        match misplaced {
            Some(namespace) => issues.push(BakingIssue::SvgNamespace { namespace }),
            None if e.name().as_ref() != CREDENTIAL_QNAME || !declares => {
                issues.push(BakingIssue::SvgDeclaration);
            }
            None => {}
        }
        if !directly_after_root {
            issues.push(BakingIssue::SvgPosition);
        }
        let mut element = read_element(&mut reader, &e, empty)?;
        issues.append(&mut element.issues);
        found.push(Found {
            payload: element.payload,
            in_namespace,
            issues,
        });
    }
    if found.is_empty() {
        return v2
            .map(|p| Extracted::conformant(Baked::V2(p)))
            .ok_or(BakeError::NotBaked);
    }
    let read = found.iter().position(|f| f.in_namespace).unwrap_or(0);
    let count = found.len();
    let chosen = found.remove(read);
    let payload = chosen.payload?;
    let mut issues = chosen.issues;
    if count > 1 {
        let identical = found
            .iter()
            .all(|f| f.payload.as_ref().is_ok_and(|p| *p == payload));
        issues.push(BakingIssue::MultipleCredentials {
            count,
            read: read + 1,
            identical,
        });
    }
    Ok(Extracted {
        baked: Baked::V3(payload),
        issues,
    })
}

/// Whether the root start tag declares `xmlns:openbadges` as the 3.0 namespace.
fn declares_v3(root: &BytesStart<'_>) -> Result<bool, BakeError> {
    let Some(attr) = root
        .try_get_attribute("xmlns:openbadges")
        .map_err(|e| malformed(e.to_string()))?
    else {
        return Ok(false);
    };
    let value = attr
        .unescape_value()
        .map_err(|e| malformed(e.to_string()))?;
    Ok(value == NS_V3)
}

/// One badge element's payload (an error stays with the element: only the one read must be
/// usable) and the rules its content breaks.
struct Element {
    payload: Result<Payload, BakeError>,
    issues: Vec<BakingIssue>,
}

/// Reads a badge element whose start tag was just read: the `verify` attribute, else the body.
fn read_element(
    reader: &mut Reader<'_>,
    e: &BytesStart<'_>,
    empty: bool,
) -> Result<Element, BakeError> {
    let verify = e
        .try_get_attribute("verify")
        .map_err(|e| malformed(e.to_string()))?
        .map(|a| {
            a.unescape_value()
                .map(Cow::into_owned)
                .map_err(|e| malformed(e.to_string()))
        })
        .transpose()?;
    let body = if empty {
        Body::default()
    } else {
        element_text(reader)?
    };
    let mut issues = Vec::new();
    let from_verify = verify.is_some();
    let payload = match verify {
        Some(jws) => {
            if !body.text.is_empty() || body.children {
                issues.push(BakingIssue::SvgVerifyAndBody);
            }
            Payload::from_text(jws.into_bytes())
        }
        None if body.text.is_empty() => Err(BakeError::Invalid {
            reason: "badge element with neither a verify attribute nor content".into(),
        }),
        None => Payload::from_text(body.text),
    };
    match (&payload, from_verify) {
        (Ok(Payload::Json(_)), true) => issues.push(BakingIssue::SvgJsonInVerify),
        (Ok(Payload::Json(_)), false) if body.outside_cdata || body.children => {
            issues.push(BakingIssue::SvgNotCdata);
        }
        (Ok(Payload::Jws(_)), false) => issues.push(BakingIssue::SvgJwsInBody),
        _ => {}
    }
    Ok(Element { payload, issues })
}

/// The character content of a badge element.
#[derive(Default)]
struct Body {
    /// CDATA verbatim, text unescaped; whitespace-only text between sections
    /// (pretty-printing) is left out.
    text: Vec<u8>,
    /// Non-whitespace text or references outside CDATA.
    outside_cdata: bool,
    /// Child elements (their text is part of [`Self::text`]).
    children: bool,
}

/// Reads up to the end tag of the element whose start tag was just read.
fn element_text(reader: &mut Reader<'_>) -> Result<Body, BakeError> {
    let mut body = Body::default();
    let depth = reader.depth();
    loop {
        match reader.next()? {
            Event::CData(c) => body.text.extend_from_slice(&c),
            Event::Text(t) => {
                let text = t.xml_content().map_err(|e| malformed(e.to_string()))?;
                if !text.trim().is_empty() {
                    body.outside_cdata = true;
                    body.text.extend_from_slice(text.as_bytes());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| malformed(e.to_string()))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| malformed(e.to_string()))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| malformed(format!("unknown entity &{name};")))?
                            .to_owned()
                    }
                };
                body.outside_cdata = true;
                body.text.extend_from_slice(resolved.as_bytes());
            }
            Event::Start(_) | Event::Empty(_) => body.children = true,
            Event::End(_) if reader.depth() < depth => break,
            Event::Eof => return Err(malformed("unterminated badge element")),
            _ => {}
        }
        if body.text.len() > MAX_CREDENTIAL_BYTES {
            return Err(BakeError::TooLarge);
        }
    }
    Ok(body)
}
