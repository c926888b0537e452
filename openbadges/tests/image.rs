//! Upload preparation: resizing, format support, limits, SVG sanitisation.

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
