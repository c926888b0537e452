//! Property test of the SVG sanitiser: hostile SVG documents built from fragments (event
//! handlers with entity-encoded values, script/foreignObject/iframe in several namespaces and
//! cases, CSS split by character references, CDATA, comments and child elements, CSS escapes,
//! `url()` with external targets, `javascript:` links disguised with whitespace and
//! references, DOCTYPE entities, processing instructions) are sanitised, and the output,
//! re-read by roxmltree, must hold nothing active or external (`support/svg_inert.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

#[path = "support/svg_inert.rs"]
mod svg_inert;

use openbadges::image::sanitize_svg;
use proptest::prelude::*;

/// Link and URL targets, written as XML source (references intended, no raw `<`, `"`, `&`).
const TARGETS: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \tjavascript:alert(1)",
    "java&#x09;script:alert(1)",
    "java&#10;script:alert(1)",
    "&#106;avascript&#58;alert(1)",
    "&#x6A;&#x61;vascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;",
    "data:image/svg+xml,&lt;svg onload=alert(1)&gt;",
    "data:image/png;base64,iVBORw0KGgo=",
    "data:image/pngx,x",
    "https://evil.example/x.png",
    "//evil.example/x",
    "evil.svg#a",
    "#ok",
    " #ok",
    "&#x23;ok",
];

/// CSS fragments, as XML source.
const CSS: &[&str] = &[
    "@import url(https://evil.example/a.css);",
    "@import 'https://evil.example/a.css';",
    "@&#105;mport 'a.css';",
    "@\\69mport 'a.css';",
    "@IMPORT 'a.css';",
    ".a{fill:url(https://evil.example/p)}",
    ".a{fill:u&#114;l(https://evil.example/p)}",
    ".a{fill:\\75 rl(https://evil.example/p)}",
    ".a{fill:\\000075rl(//evil.example/p)}",
    ".a{fill:u\\rl(evil.svg#p)}",
    ".a{fill:url( '#ok' )}",
    ".a{fill:url(#ok)}",
    ".a{fill:URL(&quot;https://evil.example&quot;)}",
    ".a{background:image-set('x.png' 1x)}",
    ".a{width:expression(alert(1))}",
    ".a{-moz-binding:url(x.xml#b)}",
    ".a{background:url(\\6a avascript:alert(1))}",
    ".a{fill:red}",
    ".a &gt; .b{stroke:blue}",
    "/* c */",
];

const ELEMENTS: &[&str] = &[
    "script",
    "SCRIPT",
    "Script",
    "s:script",
    "h:script",
    "foreignObject",
    "foreignobject",
    "iframe",
    "h:iframe",
    "handler",
    "listener",
    "img",
    "font",
    "x:g",
    "a",
    "g",
    "rect",
    "image",
    "use",
    "feImage",
    "text",
    "title",
    "desc",
    "style",
    "animate",
    "set",
    "metadata",
    "s:g",
];

const ATTRIBUTES: &[&str] = &[
    "onload",
    "ONLOAD",
    "onClick",
    "onmouseover",
    "href",
    "xlink:href",
    "style",
    "fill",
    "filter",
    "mask",
    "cursor",
    "clip-path",
    "marker-start",
    "id",
    "class",
    "attributeName",
    "values",
    "to",
    "xml:base",
    "x:onload",
    "x:href",
];

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(list)
}

/// An attribute value: a link target, CSS, a handler body, or an animation target.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        pick(TARGETS).prop_map(str::to_owned),
        pick(CSS).prop_map(str::to_owned),
        pick(TARGETS).prop_map(|t| format!("url({t})")),
        Just("alert(1)".to_owned()),
        Just("a&quot; onload=&quot;alert(1)".to_owned()),
        Just("&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;".to_owned()),
        Just("href".to_owned()),
        Just("xlink:href".to_owned()),
        Just("onclick".to_owned()),
    ]
}

fn attributes() -> impl Strategy<Value = String> {
    proptest::collection::btree_map(pick(ATTRIBUTES), value(), 0..4).prop_map(|attrs| {
        attrs
            .into_iter()
            .map(|(k, v)| format!(" {k}=\"{v}\""))
            .collect()
    })
}

/// Hostile CSS as plain text, to be split into text, CDATA and character-reference runs.
const PLAIN_CSS: &[&str] = &[
    "@import url(https://evil.example/a.css);",
    ".a{fill:url(https://evil.example/p)}",
    ".a{fill:url( \"//evil.example/p\" )}",
    ".a{fill:\\75 rl(https://evil.example/p)}",
    "@\\69mport 'a.css';",
    ".a{background:url(javascript:alert(1))}",
    ".a > .b{fill:url(#ok)}",
];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Character data as XML source: text, CSS split into text/CDATA/reference runs, comments,
/// processing instructions, and DOCTYPE-defined entities.
fn character_data() -> impl Strategy<Value = String> {
    let split =
        (pick(PLAIN_CSS), any::<proptest::sample::Index>(), 0u8..3).prop_map(|(css, at, how)| {
            let chars: Vec<char> = css.chars().collect();
            let i = at.index(chars.len());
            let (a, c, b): (String, char, String) = (
                chars[..i].iter().collect(),
                chars[i],
                chars[i + 1..].iter().collect(),
            );
            match how {
                0 => format!("{}&#{};{}", escape(&a), c as u32, escape(&b)),
                1 => format!("<![CDATA[{a}{c}]]>{}", escape(&b)),
                _ => format!("{}<![CDATA[{c}]]><!-- x -->{}", escape(&a), escape(&b)),
            }
        });
    prop_oneof![
        pick(CSS).prop_map(str::to_owned),
        split,
        Just("<!-- <script>alert(1)</script> -->".to_owned()),
        Just("<?xml-stylesheet href=\"https://evil.example/a.css\"?>".to_owned()),
        Just("&e;&x;".to_owned()),
        Just("&lt;img src=x onerror=alert(1)&gt;".to_owned()),
        Just("<![CDATA[</desc><img src=x onerror=alert(1)>]]>".to_owned()),
        Just("plain &amp; text".to_owned()),
    ]
}

fn content() -> impl Strategy<Value = String> {
    let leaf = character_data();
    leaf.prop_recursive(4, 48, 4, |inner| {
        prop_oneof![
            (
                pick(ELEMENTS),
                attributes(),
                proptest::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(name, attrs, children)| {
                    if children.is_empty() {
                        format!("<{name}{attrs}/>")
                    } else {
                        format!("<{name}{attrs}>{}</{name}>", children.concat())
                    }
                }),
            proptest::collection::vec(inner, 1..4).prop_map(|parts| parts.concat()),
        ]
    })
}

fn document() -> impl Strategy<Value = String> {
    (any::<bool>(), attributes(), proptest::collection::vec(content(), 0..6)).prop_map(
        |(doctype, attrs, children)| {
            let doctype = if doctype {
                "<!DOCTYPE svg [<!ENTITY e \"javascript:alert(1)\"><!ENTITY x SYSTEM \"https://evil.example/x\">]>"
            } else {
                ""
            };
            format!(
                "<?xml version=\"1.0\"?>{doctype}<svg xmlns=\"http://www.w3.org/2000/svg\" \
                 xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:s=\"http://www.w3.org/2000/svg\" \
                 xmlns:h=\"http://www.w3.org/1999/xhtml\" xmlns:x=\"urn:x\"{attrs}>{}</svg>",
                children.concat()
            )
        },
    )
}

proptest! {
    // ~1 s in a debug build; cargo-fuzz (`svg_sanitize`) explores much further.
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn sanitised_svg_is_inert(doc in document()) {
        let clean = sanitize_svg(doc.as_bytes());
        prop_assert!(clean.is_ok(), "refused a well-formed document: {:?}\n{doc}", clean.err());
        let clean = clean.unwrap_or_default();
        if let Err(why) = svg_inert::check(&clean) {
            prop_assert!(
                false,
                "{why}\n--- input ---\n{doc}\n--- output ---\n{}",
                String::from_utf8_lossy(&clean)
            );
        }
    }
}

/// The checker itself must catch what the sanitiser is meant to remove, or the property
/// proves nothing.
#[test]
fn the_checker_catches_active_content() {
    let open =
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">"#;
    for bad in [
        "<script>alert(1)</script>",
        "<SCRIPT/>",
        r#"<rect onload="x()"/>"#,
        r#"<a xlink:href="java&#x09;script:alert(1)"/>"#,
        r#"<image href="https://evil.example/x.png"/>"#,
        r#"<rect fill="\75 rl(https://evil.example/p)"/>"#,
        "<style>@&#105;mport 'x.css';</style>",
        "<!-- c -->",
        r#"<foreignObject xmlns="http://www.w3.org/1999/xhtml"/>"#,
        r#"<set attributeName="xlink:href" to="x"/>"#,
    ] {
        let doc = format!("{open}{bad}</svg>");
        assert!(svg_inert::check(doc.as_bytes()).is_err(), "missed {bad}");
    }
    let fine = format!(r##"{open}<use xlink:href="#a"/><rect style="fill:url(#g)"/></svg>"##);
    svg_inert::assert_inert(fine.as_bytes());
}
