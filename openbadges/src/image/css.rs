//! What the SVG sanitiser refuses in CSS (a `<style>` element, a `style` attribute, any
//! presentation attribute) and in links. Text is judged in two forms: as written, and with CSS
//! escapes decoded (`\75 rl(` is `url(`), each without whitespace and ASCII-lowercased, so
//! neither an escape nor a space or line break hides a keyword. XML character references are
//! already decoded by the caller (`u&#114;l(` arrives as `url(`).

/// Substrings that load something or run script: imports, `image-set()` and `src()` (their
/// strings are URLs), old IE/Firefox script hooks, and script URLs.
const FORBIDDEN: &[&str] = &[
    "@import",
    "image-set(",
    "src(",
    "expression(",
    "-moz-binding",
    "behavior:",
    "javascript:",
    "vbscript:",
];

/// Whether CSS (or any attribute value, read as CSS) imports, loads anything but a same-document
/// `url(#id)` reference, or runs script.
pub(super) fn is_unsafe(text: &str) -> bool {
    [normalise(text), normalise(&unescape(text))]
        .iter()
        .any(|s| loads_or_runs(s))
}

fn loads_or_runs(s: &str) -> bool {
    FORBIDDEN.iter().any(|f| s.contains(f))
        || s.match_indices("url(").any(|(i, _)| {
            let target = s.get(i + 4..).unwrap_or_default();
            !target.trim_start_matches(['\'', '"']).starts_with('#')
        })
}

/// Without whitespace or control characters, ASCII-lowercased (CSS keywords and URL schemes
/// are ASCII case-insensitive; browsers drop tabs and line breaks inside URLs).
fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Decodes CSS escapes as CSS Syntax Level 3 §4.3.7 does: `\` + up to six hex digits (and one
/// following whitespace) is that code point (U+FFFD for zero, surrogates and beyond U+10FFFF),
/// `\` + newline is dropped (a line continuation in strings), `\` + anything else is that
/// character.
pub(super) fn unescape(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            None => out.push('\\'),
            Some('\n' | '\u{c}') => {
                chars.next();
            }
            Some('\r') => {
                chars.next();
                chars.next_if_eq(&'\n');
            }
            Some(h) if h.is_ascii_hexdigit() => {
                let mut code = 0u32;
                for _ in 0..6 {
                    match chars.peek().and_then(|d| d.to_digit(16)) {
                        Some(d) => {
                            code = code * 16 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                match chars.peek() {
                    Some(' ' | '\t' | '\n' | '\u{c}') => {
                        chars.next();
                    }
                    Some('\r') => {
                        chars.next();
                        chars.next_if_eq(&'\n');
                    }
                    _ => {}
                }
                out.push(
                    char::from_u32(code)
                        .filter(|_| code != 0)
                        .unwrap_or('\u{FFFD}'),
                );
            }
            Some(other) => {
                chars.next();
                out.push(other);
            }
        }
    }
    out
}

/// Whether a link (`href`, `xlink:href`) stays inside the document: a `#id` fragment, or, where
/// `raster_data` (on `<image>` and `<feImage>`), a PNG, JPEG, GIF or WebP `data:` URI.
/// Everything else goes: other documents, `javascript:`, and `data:` SVG or HTML, which could
/// carry markup of their own.
pub(super) fn is_internal_link(value: &str, raster_data: bool) -> bool {
    let link = normalise(value);
    if link.starts_with('#') {
        return true;
    }
    raster_data
        && link.strip_prefix("data:image/").is_some_and(|rest| {
            ["png", "jpeg", "gif", "webp"].iter().any(|t| {
                rest.strip_prefix(t)
                    .is_some_and(|r| r.starts_with(';') || r.starts_with(','))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_as_css_does() {
        assert_eq!(unescape(r"\75 rl("), "url(");
        assert_eq!(unescape(r"\000075rl("), "url(");
        assert_eq!(unescape(r"u\rl("), "url(");
        assert_eq!(unescape("a\\\nb"), "ab");
        assert_eq!(unescape(r"\0 x\110000 "), "\u{FFFD}x\u{FFFD}");
        assert_eq!(unescape(r"\D800 "), "\u{FFFD}");
        assert_eq!(unescape("end\\"), "end\\");
    }

    #[test]
    fn only_fragment_urls_pass() {
        assert!(!is_unsafe("fill: url(#a); stroke: url( '#b' )"));
        assert!(is_unsafe("fill: url(#a), url(https://x)"));
        assert!(is_unsafe("fill: URL ( https://x )"));
        assert!(is_unsafe("fill: url(data:image/png;base64,AA)"));
        assert!(is_unsafe("background: image-set('x.png' 1x)"));
        assert!(is_unsafe("@IMPORT 'x.css'"));
    }
}
