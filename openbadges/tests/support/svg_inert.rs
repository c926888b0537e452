//! The SVG sanitiser's safety property, checked on its output with `roxmltree` (an XML parser
//! independent of the quick-xml the sanitiser uses) and a CSS unescaper of its own. Shared by
//! the property test `tests/svg_sanitize_property.rs` and the cargo-fuzz target `svg_sanitize`.

use roxmltree::{Document, Node, NodeType, ParsingOptions};

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Element names that run script, embed other documents, or leave SVG when the image is
/// inlined into HTML (compared ignoring ASCII case, as an HTML parser would).
const ACTIVE_ELEMENTS: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "object",
    "embed",
    "handler",
    "listener",
    "img",
    "font",
    "audio",
    "video",
];

/// Checks that `clean` (output of `sanitize_svg`) is well-formed UTF-8 XML holding no script
/// element, no `on*` attribute, no `javascript:`, and no reference to anything outside the
/// document in any attribute or style text, after XML references and CSS escapes are decoded.
pub fn check(clean: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(clean).map_err(|e| format!("not UTF-8: {e}"))?;
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options)
        .map_err(|e| format!("roxmltree cannot parse it: {e}"))?;
    for node in doc.descendants() {
        match node.node_type() {
            NodeType::Root => {}
            NodeType::Element => check_element(node)?,
            NodeType::PI => return Err("a processing instruction survived".into()),
            NodeType::Comment => return Err("a comment survived".into()),
            NodeType::Text => {
                let in_style = node
                    .parent()
                    .is_some_and(|p| p.tag_name().name().eq_ignore_ascii_case("style"));
                if in_style {
                    check_css(node.text().unwrap_or_default())
                        .map_err(|e| format!("<style>: {e}"))?;
                }
            }
        }
    }
    Ok(())
}

/// Panics with the reason and the document unless [`check`] passes.
pub fn assert_inert(clean: &[u8]) {
    if let Err(why) = check(clean) {
        panic!(
            "{why}\n--- sanitised output ---\n{}",
            String::from_utf8_lossy(clean)
        );
    }
}

fn check_element(node: Node<'_, '_>) -> Result<(), String> {
    let tag = node.tag_name();
    let name = tag.name().to_ascii_lowercase();
    if ACTIVE_ELEMENTS.contains(&name.as_str()) {
        return Err(format!("element <{}> survived", tag.name()));
    }
    // `xmlns=""` puts an element in no namespace, as if there were no declaration at all.
    if let Some(ns) = tag.namespace().filter(|ns| !ns.is_empty() && *ns != SVG_NS) {
        return Err(format!(
            "element <{}> in namespace {ns} survived",
            tag.name()
        ));
    }
    for attr in node.attributes() {
        let local = attr.name().to_ascii_lowercase();
        let value = attr.value();
        let what = format!("<{} {}={value:?}>", tag.name(), attr.name());
        if let Some(ns) = attr
            .namespace()
            .filter(|ns| ![XLINK_NS, XML_NS].contains(ns))
        {
            return Err(format!("{what}: attribute in namespace {ns}"));
        }
        if local.starts_with("on") {
            return Err(format!("{what}: event handler"));
        }
        if local == "base" {
            return Err(format!("{what}: base URL"));
        }
        check_css(value).map_err(|e| format!("{what}: {e}"))?;
        if local == "href" && !internal_link(value) {
            return Err(format!("{what}: external link"));
        }
        let animation = [
            "animate",
            "set",
            "animatemotion",
            "animatetransform",
            "animatecolor",
        ]
        .contains(&name.as_str());
        if animation && local == "attributename" {
            let target = value.trim().rsplit(':').next().unwrap_or_default();
            let target = target.to_ascii_lowercase();
            if target == "href" || target.starts_with("on") {
                return Err(format!("{what}: an animation of {target}"));
            }
        }
    }
    Ok(())
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn internal_link(value: &str) -> bool {
    let v = squeeze(value);
    v.starts_with('#')
        || ["png", "jpeg", "gif", "webp"].iter().any(|t| {
            v.starts_with(&format!("data:image/{t};")) || v.starts_with(&format!("data:image/{t},"))
        })
}

/// Text as written and with CSS escapes decoded: no script URL, no import, and every `url(`
/// a same-document `#` reference.
fn check_css(text: &str) -> Result<(), String> {
    for form in [squeeze(text), squeeze(&css_unescape(text))] {
        for bad in [
            "javascript:",
            "vbscript:",
            "@import",
            "expression(",
            "image-set(",
        ] {
            if form.contains(bad) {
                return Err(format!("contains {bad}"));
            }
        }
        let mut rest = form.as_str();
        while let Some(i) = rest.find("url(") {
            rest = &rest[i + 4..];
            if !rest.trim_start_matches(['"', '\'']).starts_with('#') {
                return Err(format!("external url({rest}"));
            }
        }
    }
    Ok(())
}

/// CSS Syntax 3 escapes: `\` + 1–6 hex digits (+ one optional space) or `\` + a character.
fn css_unescape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\\' || i + 1 == chars.len() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let hex: String = chars[i + 1..]
            .iter()
            .take(6)
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        if hex.is_empty() {
            if chars[i + 1] != '\n' {
                out.push(chars[i + 1]);
            }
            i += 2;
            continue;
        }
        i += 1 + hex.len();
        if chars.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        let code = u32::from_str_radix(&hex, 16).unwrap_or(0);
        out.push(
            char::from_u32(code)
                .filter(|_| code != 0)
                .unwrap_or('\u{FFFD}'),
        );
    }
    out
}
