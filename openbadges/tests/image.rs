//! Upload preparation: resizing, format support, limits, SVG sanitisation.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use openbadges::image::{ImageError, ImageOptions, PreparedImage, prepare_image, sanitize_svg};

fn encode(img: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn photo(w: u32, h: u32) -> image::DynamicImage {
    image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 40, 255])
    }))
}

fn dims(prepared: &PreparedImage) -> (u32, u32) {
    let PreparedImage::Png(bytes) = prepared else {
        panic!("not png")
    };
    let img = image::load_from_memory(bytes).unwrap();
    (img.width(), img.height())
}

#[test]
fn raster_formats_become_square_pngs() {
    let options = ImageOptions::default();
    for format in [
        image::ImageFormat::Png,
        image::ImageFormat::Jpeg,
        image::ImageFormat::Gif,
        image::ImageFormat::WebP,
    ] {
        let src = if format == image::ImageFormat::Jpeg {
            image::DynamicImage::ImageRgb8(photo(1000, 600).to_rgb8())
        } else {
            photo(1000, 600)
        };
        let prepared = prepare_image(&encode(&src, format), &options).unwrap();
        assert_eq!(prepared.media_type(), "image/png");
        assert_eq!(dims(&prepared), (512, 512), "{format:?}");
    }
    // Small images are padded to a square, not upscaled.
    let small = prepare_image(&encode(&photo(100, 50), image::ImageFormat::Png), &options).unwrap();
    assert_eq!(dims(&small), (100, 100));
    let custom = ImageOptions {
        size: 128,
        ..options
    };
    let p = prepare_image(&encode(&photo(300, 300), image::ImageFormat::Png), &custom).unwrap();
    assert_eq!(dims(&p), (128, 128));
}

#[test]
fn oversized_inputs_are_refused() {
    let options = ImageOptions::default();
    let big = encode(&photo(64, 64), image::ImageFormat::Png);
    let tiny = ImageOptions {
        max_bytes: 100,
        ..options
    };
    assert!(matches!(
        prepare_image(&big, &tiny),
        Err(ImageError::TooManyBytes { .. })
    ));

    // A PNG header claiming 100000×100000 pixels (a decompression bomb's calling card).
    let mut png = encode(&photo(1, 1), image::ImageFormat::Png);
    png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    assert!(matches!(
        prepare_image(&png, &options),
        Err(ImageError::TooLarge { .. })
    ));

    let narrow = ImageOptions {
        max_dimension: 32,
        ..options
    };
    assert!(matches!(
        prepare_image(&big, &narrow),
        Err(ImageError::TooLarge { .. })
    ));
}

#[test]
fn garbage_is_refused() {
    let options = ImageOptions::default();
    assert!(matches!(
        prepare_image(b"hello", &options),
        Err(ImageError::UnsupportedFormat)
    ));
    let mut truncated = encode(&photo(64, 64), image::ImageFormat::Png);
    truncated.truncate(100);
    assert!(prepare_image(&truncated, &options).is_err());
    assert!(prepare_image(b"<svg><g></svg>", &options).is_err());
    assert!(prepare_image(b"<?xml version=\"1.0\"?><html/>", &options).is_err());
}

#[test]
fn svg_is_sanitised() {
    let dirty = r##"<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)" viewBox="0 0 10 10">
  <script>alert(2)</script>
  <style>@import url(https://evil.example/x.css); .a { fill: red }</style>
  <style>.b { fill: url(#grad) }</style>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
  <a href="javascript:alert(3)"><circle r="1" onclick="x()"/></a>
  <image href="https://evil.example/track.png" width="1" height="1"/>
  <image xlink:href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
  <use xlink:href="#c"/>
  <text>&lol2; &amp; fine</text>
  <rect style="fill: url('https://evil.example/p')" width="1" height="1"/>
</svg>"##;
    let clean = String::from_utf8(sanitize_svg(dirty.as_bytes()).unwrap()).unwrap();
    for bad in [
        "onload",
        "alert",
        "script",
        "evil.example",
        "foreignObject",
        "javascript",
        "ENTITY",
        "onclick",
        "lol",
    ] {
        assert!(!clean.contains(bad), "{bad} survived in {clean}");
    }
    for good in [
        "<circle",
        "data:image/png",
        "href=\"#c\"",
        "url(#grad)",
        "&amp; fine",
        "viewBox",
    ] {
        assert!(clean.contains(good), "{good} lost in {clean}");
    }
    // The result is still parseable and stays an SVG upload.
    let prepared = prepare_image(dirty.as_bytes(), &ImageOptions::default()).unwrap();
    assert_eq!(prepared.media_type(), "image/svg+xml");
}

/// Re-reads sanitiser output with an XML parser independent of quick-xml.
fn reparse(clean: &[u8]) -> roxmltree::Document<'_> {
    let text = std::str::from_utf8(clean).expect("sanitised SVG is UTF-8");
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not well-formed: {e}\n{text}"))
}

const SVG_OPEN: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">"#;

fn sanitise(body: &str) -> String {
    let svg = format!("{SVG_OPEN}{body}</svg>");
    String::from_utf8(sanitize_svg(svg.as_bytes()).unwrap()).unwrap()
}

#[test]
fn attribute_values_are_written_escaped() {
    let clean = sanitise(
        r#"<rect id="a&quot; onload=&quot;alert(1)" class="&lt;/svg&gt;&lt;script&gt;x()&lt;/script&gt;" width="1" height="1"/>"#,
    );
    let doc = reparse(clean.as_bytes());
    let rect = doc
        .descendants()
        .find(|n| n.has_tag_name("rect"))
        .expect("rect kept");
    assert_eq!(rect.attribute("id"), Some(r#"a" onload="alert(1)"#));
    assert_eq!(rect.attribute("class"), Some("</svg><script>x()</script>"));
    assert!(rect.attributes().all(|a| a.name() != "onload"), "{clean}");
    assert!(
        !doc.descendants().any(|n| n.has_tag_name("script")),
        "{clean}"
    );
    assert!(!clean.contains("<script"), "{clean}");
}

#[test]
fn css_split_by_character_references_is_checked() {
    for style in [
        "@&#105;mport url(https://evil.example/a.css);",
        ".a { fill: u&#114;l(https://evil.example/p) }",
        ".a { fill: u&#x72;l( 'https://evil.example/p' ) }",
        "<![CDATA[.a { fill: u]]>rl(https://evil.example/p) }",
    ] {
        let clean = sanitise(&format!("<style>{style}</style>"));
        assert!(!clean.contains("evil.example"), "{style} → {clean}");
    }
}

#[test]
fn style_with_child_elements_is_checked_as_a_whole() {
    for style in [
        "<g></g>@import url(https://evil.example/a.css);",
        "@im<g/>port url(https://evil.example/a.css);",
        ".a{fill:red}<desc>x</desc>.b{fill:url(https://evil.example/p)}",
    ] {
        let clean = sanitise(&format!("<style>{style}</style>"));
        assert!(!clean.contains("evil.example"), "{style} → {clean}");
        reparse(clean.as_bytes());
    }
    // Safe CSS survives, as one escaped text node (child elements dropped).
    let clean = sanitise("<style>.a &gt; .b { fill: url(#g) }<g/></style>");
    let doc = reparse(clean.as_bytes());
    let style = doc.descendants().find(|n| n.has_tag_name("style")).unwrap();
    assert_eq!(style.text(), Some(".a > .b { fill: url(#g) }"));
    assert_eq!(style.children().count(), 1);
}

#[test]
fn css_escapes_are_decoded_before_checking() {
    for css in [
        r"fill: \75 rl(https://evil.example/p)",
        r"fill: \000075rl(https://evil.example/p)",
        r"fill: u\72 l(https://evil.example/p)",
        r"fill: u\rl(https://evil.example/p)",
        r"background: url(\68ttps://evil.example/p)",
    ] {
        let clean = sanitise(&format!(r#"<rect style="{css}" width="1" height="1"/>"#));
        assert!(!clean.contains("evil.example"), "{css} → {clean}");
        let clean = sanitise(&format!("<style>.a {{ {css} }}</style>"));
        assert!(!clean.contains("evil.example"), "{css} → {clean}");
    }
    let clean = sanitise(r"<style>@\69mport 'https://evil.example/a.css';</style>");
    assert!(!clean.contains("evil.example"), "{clean}");
}

#[test]
fn external_references_in_any_attribute_are_dropped() {
    let clean = sanitise(
        r##"<rect width="1" height="1" fill="url(https://evil.example/f#p)" filter="url( 'http://evil.example/x#f' )"
             mask="url(//evil.example/m)" cursor="url(https://evil.example/c.cur), auto"
             clip-path="url(evil.svg#c)" marker-start="url(https://evil.example/m#a)" stroke="url(#ok)"/>
           <path d="M0 0" marker-end="url(data:image/svg+xml,x)" marker-mid="url(#m)"/>
           <text xml:space="preserve" xml:base="https://evil.example/">t</text>"##,
    );
    assert!(clean.contains(r#"<text xml:space="preserve">"#), "{clean}");
    assert!(!clean.contains("evil"), "{clean}");
    assert!(!clean.contains("data:"), "{clean}");
    assert!(clean.contains(r##"stroke="url(#ok)""##), "{clean}");
    assert!(clean.contains(r##"marker-mid="url(#m)""##), "{clean}");
}

#[test]
fn hrefs_are_fragments_or_raster_data_on_images() {
    let png = "data:image/png;base64,iVBORw0KGgo=";
    let clean = sanitise(&format!(
        r##"<image href="{png}" width="1" height="1"/>
           <image xlink:href="data:image/svg+xml;base64,PHN2Zz4=" width="1" height="1"/>
           <image href="data:image/pngx,x" width="1" height="1"/>
           <a href="{png}"><text>link</text></a>
           <use href="{png}"/>
           <use xlink:href="#c"/>
           <a xlink:href=" &#x23;top"><text>top</text></a>
           <image href="  java&#x09;script:alert(1)" width="1" height="1"/>"##
    ));
    let doc = reparse(clean.as_bytes());
    let hrefs: Vec<(&str, &str)> = doc
        .descendants()
        .flat_map(|n| {
            n.attributes()
                .filter(|a| a.name() == "href")
                .map(move |a| (n.tag_name().name(), a.value()))
        })
        .collect();
    assert_eq!(
        hrefs,
        vec![("image", png), ("use", "#c"), ("a", " #top")],
        "{clean}"
    );
}

#[test]
fn animations_cannot_set_links_or_handlers() {
    let clean = sanitise(
        r##"<image width="1" height="1"><animate attributeName="href" values="https://evil.example/a.png"/></image>
           <a><set attributeName="xlink:href" to="https://evil.example/"/><text>x</text></a>
           <rect width="1" height="1"><set attributeName="onclick" to="alert(1)"/></rect>
           <rect width="1" height="1"><animate attributeName="fill" values="url(https://evil.example/p);red"/></rect>
           <rect width="1" height="1"><animate attributeName="opacity" values="0;1" dur="1s"/></rect>"##,
    );
    assert!(!clean.contains("evil"), "{clean}");
    assert!(!clean.contains("alert"), "{clean}");
    assert!(clean.contains(r#"values="0;1""#), "{clean}");
}

#[test]
fn only_svg_elements_survive_and_markup_is_never_raw() {
    // Names HTML parsers treat specially when SVG is inlined into a page: HTML breakout tags
    // (`img`, `font`), case variants of `script` and `foreignObject`, CDATA and comments.
    let clean = sanitise(
        r#"<img src="https://evil.example/t.png"/><font color="red"><text>f</text></font>
           <SCRIPT>alert(1)</SCRIPT><Script>alert(2)</Script><foreignobject><text>x</text></foreignobject>
           <desc><![CDATA[</desc><img src=x onerror=alert(3)>]]></desc>
           <title><!--</title><img src=x onerror=alert(4)>--></title>
           <text>&lt;b&gt; &amp; <![CDATA[<i>]]></text>"#,
    );
    for bad in [
        "evil",
        "alert(1)",
        "alert(2)",
        "alert(4)",
        "<font",
        "<img",
        "CDATA",
        "<!--",
        "oreignobject",
    ] {
        assert!(!clean.contains(bad), "{bad} survived in {clean}");
    }
    let doc = reparse(clean.as_bytes());
    let text_of = |tag: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
    };
    // CDATA becomes (escaped) text with the same content.
    assert_eq!(text_of("desc"), Some("</desc><img src=x onerror=alert(3)>"));
    assert_eq!(text_of("text"), Some("<b> & <i>"));
}

#[test]
fn sanitiser_output_is_well_formed_or_refused() {
    for bad in [
        format!("{SVG_OPEN}<g>"),
        format!("{SVG_OPEN}</svg><svg/>"),
        format!(
            r##"{SVG_OPEN}<use xlink:href="#a" xl:href="#b" xmlns:xl="http://www.w3.org/1999/xlink"/></svg>"##
        ),
        format!("{SVG_OPEN}<text>&#1;</text></svg>"),
        "text<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_owned(),
    ] {
        assert!(sanitize_svg(bad.as_bytes()).is_err(), "accepted {bad}");
    }
    // A declared legacy encoding is not passed on: the output is always UTF-8.
    let clean = sanitize_svg(
        format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>{SVG_OPEN}<text>é</text></svg>")
            .as_bytes(),
    )
    .unwrap();
    let text = String::from_utf8(clean).unwrap();
    assert!(
        text.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#),
        "{text}"
    );
    reparse(text.as_bytes());
}

#[test]
fn sanitiser_limits_are_errors_not_panics() {
    use openbadges::xml::{MAX_ATTRIBUTES, MAX_DEPTH, MAX_NAMESPACE_BINDINGS};
    // 70 000 levels: beyond quick-xml's u16 nesting counter, which panics in debug builds.
    for levels in [MAX_DEPTH + 1, 70_000] {
        let deep = format!(
            "{SVG_OPEN}{}{}</svg>",
            "<g>".repeat(levels),
            "</g>".repeat(levels)
        );
        assert!(
            matches!(
                sanitize_svg(deep.as_bytes()),
                Err(ImageError::SvgTooComplex { .. })
            ),
            "{levels} levels"
        );
    }
    let ok = format!(
        "{SVG_OPEN}{}{}</svg>",
        "<g>".repeat(MAX_DEPTH - 1),
        "</g>".repeat(MAX_DEPTH - 1)
    );
    reparse(&sanitize_svg(ok.as_bytes()).unwrap());

    let attrs: String = (0..=MAX_ATTRIBUTES)
        .map(|i| format!(" data-a{i}=\"1\""))
        .collect();
    let wide = format!("{SVG_OPEN}<rect{attrs}/></svg>");
    assert!(matches!(
        sanitize_svg(wide.as_bytes()),
        Err(ImageError::SvgTooComplex { .. })
    ));
    let decls: String = (0..=MAX_NAMESPACE_BINDINGS)
        .map(|i| format!(" xmlns:p{i}=\"urn:x:{i}\""))
        .collect();
    let many = format!("{SVG_OPEN}<g{decls}/></svg>");
    assert!(matches!(
        sanitize_svg(many.as_bytes()),
        Err(ImageError::SvgTooComplex { .. })
    ));

    let big = format!(
        "{SVG_OPEN}{}</svg>",
        "<g/>".repeat(openbadges::image::MAX_SVG_BYTES / 4)
    );
    assert!(matches!(
        sanitize_svg(big.as_bytes()),
        Err(ImageError::TooManyBytes { .. })
    ));
}
