//! SVG baking: the root `<svg>` declares `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`
//! and its first child is `<openbadges:credential>` holding the credential JSON in CDATA (or a
//! `verify` attribute with a compact JWS).
//!
//! The document is read with quick-xml's namespace-aware reader; baking copies the original
//! bytes around the edited spots so the drawing itself is untouched.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::NsReader;

use super::{BakeError, Extracted, MAX_CREDENTIAL_BYTES, Payload};

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

/// Which badge element an event opens, if any.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BadgeElement {
    V3,
    V2,
}

fn badge_element(ns: &ResolveResult<'_>, local: &[u8]) -> Option<BadgeElement> {
    match ns {
        ResolveResult::Bound(Namespace(n)) if *n == NS_V3.as_bytes() && local == b"credential" => {
            Some(BadgeElement::V3)
        }
        ResolveResult::Bound(Namespace(n)) if *n == NS_V2.as_bytes() && local == b"assertion" => {
            Some(BadgeElement::V2)
        }
        _ => None,
    }
}

fn reader(image: &[u8]) -> NsReader<&[u8]> {
    let mut reader = NsReader::from_reader(image);
    reader.config_mut().check_end_names = true;
    reader
}

/// Splits off a leading UTF-8 byte-order mark.
fn split_bom(image: &[u8]) -> (&[u8], &[u8]) {
    match image.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (image.get(..3).unwrap_or_default(), rest),
        None => (&[], image),
    }
}

fn pos(reader: &NsReader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// Bakes `payload` into an SVG, replacing any earlier badge element (3.0 or 2.0).
pub fn bake(image: &[u8], payload: &Payload) -> Result<Vec<u8>, BakeError> {
    // quick-xml skips a UTF-8 byte-order mark without counting it in its positions, so the
    // mark is set aside here and put back in front of the output.
    let (bom, image) = split_bom(image);
    let mut reader = reader(image);
    let mut root: Option<(usize, usize, bool, BytesStart<'static>)> = None;
    let mut removed: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    loop {
        let start = pos(&reader);
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| malformed(e.to_string()))?;
        let is_empty = matches!(event, Event::Empty(_));
        let badge = match &event {
            Event::Start(e) | Event::Empty(e) => badge_element(&ns, e.local_name().as_ref()),
            _ => None,
        };
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_none() => {
                if e.local_name().as_ref() != b"svg" {
                    return Err(malformed("the root element is not <svg>"));
                }
                root = Some((start, pos(&reader), is_empty, e.into_owned()));
                if !is_empty {
                    depth += 1;
                }
            }
            Event::Start(e) => {
                if badge.is_some() {
                    let mut skip = Vec::new();
                    reader
                        .read_to_end_into(e.name(), &mut skip)
                        .map_err(|e| malformed(e.to_string()))?;
                    removed.push((start, pos(&reader)));
                } else {
                    depth += 1;
                }
            }
            Event::Empty(_) if badge.is_some() => removed.push((start, pos(&reader))),
            Event::End(_) => depth = depth.saturating_sub(1),
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

/// Extracts the baked credential (3.0 `<openbadges:credential>`, else 2.0 `<openbadges:assertion>`).
pub fn extract(image: &[u8]) -> Result<Extracted, BakeError> {
    let mut reader = reader(split_bom(image).1);
    let mut v2 = None;
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| malformed(e.to_string()))?;
        let (element, empty) = match &event {
            Event::Start(e) => (badge_element(&ns, e.local_name().as_ref()), false),
            Event::Empty(e) => (badge_element(&ns, e.local_name().as_ref()), true),
            Event::Eof => break,
            _ => (None, false),
        };
        let (Some(kind), Event::Start(e) | Event::Empty(e)) = (element, event) else {
            continue;
        };
        if kind == BadgeElement::V2 && v2.is_some() {
            continue;
        }
        let verify = e
            .try_get_attribute("verify")
            .map_err(|e| malformed(e.to_string()))?
            .map(|a| {
                a.unescape_value()
                    .map(Cow::into_owned)
                    .map_err(|e| malformed(e.to_string()))
            })
            .transpose()?;
        let payload = match verify {
            Some(jws) => Payload::from_text(jws.into_bytes())?,
            None if empty => {
                return Err(BakeError::Invalid {
                    reason: "empty badge element without a verify attribute".into(),
                });
            }
            None => Payload::from_text(element_text(&mut reader)?)?,
        };
        match kind {
            BadgeElement::V3 => return Ok(Extracted::V3(payload)),
            BadgeElement::V2 => v2 = Some(Extracted::V2(payload)),
        }
    }
    v2.ok_or(BakeError::NotBaked)
}

/// Concatenated character content up to the element's end tag: CDATA verbatim, text
/// unescaped; whitespace-only text between sections (pretty-printing) is ignored.
fn element_text(reader: &mut NsReader<&[u8]>) -> Result<Vec<u8>, BakeError> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| malformed(e.to_string()))?;
        match event {
            Event::CData(c) => out.extend_from_slice(&c),
            Event::Text(t) => {
                let text = t.xml_content().map_err(|e| malformed(e.to_string()))?;
                if !text.trim().is_empty() {
                    out.extend_from_slice(text.as_bytes());
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
                out.extend_from_slice(resolved.as_bytes());
            }
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            Event::Eof => return Err(malformed("unterminated badge element")),
            _ => {}
        }
        if out.len() > MAX_CREDENTIAL_BYTES {
            return Err(BakeError::TooLarge);
        }
    }
    Ok(out)
}
