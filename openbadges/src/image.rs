//! Preparing admin-uploaded badge images: raster images (PNG, JPEG, WebP, GIF) are decoded
//! under strict limits, fitted into a square and re-encoded as PNG; SVGs are sanitised with a
//! real XML parser (quick-xml) so nothing active or external survives.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits, RgbaImage};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use quick_xml::writer::Writer;
use thiserror::Error;

const SVG_NS: &[u8] = b"http://www.w3.org/2000/svg";
const XLINK_NS: &[u8] = b"http://www.w3.org/1999/xlink";

/// Limits and output size for image preparation.
#[derive(Clone, Copy, Debug)]
pub struct ImageOptions {
    /// Side of the square output in pixels (raster images are never upscaled beyond this).
    pub size: u32,
    /// Largest accepted upload in bytes.
    pub max_bytes: usize,
    /// Largest accepted width or height in pixels (checked before decoding).
    pub max_dimension: u32,
    /// Most memory the decoder may allocate (decompression-bomb guard).
    pub max_alloc: u64,
}

impl Default for ImageOptions {
    fn default() -> Self {
        Self {
            size: 512,
            max_bytes: 10 << 20,
            max_dimension: 8192,
            max_alloc: 256 << 20,
        }
    }
}

/// A prepared image ready to store and bake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreparedImage {
    /// A square PNG.
    Png(Vec<u8>),
    /// A sanitised SVG document.
    Svg(Vec<u8>),
}

impl PreparedImage {
    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Self::Png(b) | Self::Svg(b) => b,
        }
    }

    /// The media type.
    pub fn media_type(&self) -> &'static str {
        match self {
            Self::Png(_) => "image/png",
            Self::Svg(_) => "image/svg+xml",
        }
    }
}

/// Why an upload was refused.
#[derive(Debug, Error)]
pub enum ImageError {
    /// More bytes than allowed.
    #[error("image is {size} bytes; the limit is {limit}")]
    TooManyBytes {
        /// Upload size.
        size: usize,
        /// Limit.
        limit: usize,
    },
    /// Width or height beyond the limit (or a decoder memory limit hit).
    #[error("image dimensions {width}×{height} exceed the limit of {limit} pixels per side")]
    TooLarge {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Limit.
        limit: u32,
    },
    /// Not PNG, JPEG, WebP, GIF or SVG.
    #[error("unsupported image format (use PNG, JPEG, WebP, GIF or SVG)")]
    UnsupportedFormat,
    /// The decoder refused the data.
    #[error("cannot decode image: {reason}")]
    Decode {
        /// The decoder's message.
        reason: String,
    },
    /// The SVG is not well-formed or not an SVG.
    #[error("invalid SVG: {reason}")]
    InvalidSvg {
        /// What is wrong.
        reason: String,
    },
}

/// Validates and normalises an uploaded badge image.
pub fn prepare_image(bytes: &[u8], options: &ImageOptions) -> Result<PreparedImage, ImageError> {
    if bytes.len() > options.max_bytes {
        return Err(ImageError::TooManyBytes {
            size: bytes.len(),
            limit: options.max_bytes,
        });
    }
    match image::guess_format(bytes) {
        Ok(
            format @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif),
        ) => prepare_raster(bytes, format, options).map(PreparedImage::Png),
        _ if crate::bake::ImageFormat::detect(bytes) == Some(crate::bake::ImageFormat::Svg) => {
            sanitize_svg(bytes).map(PreparedImage::Svg)
        }
        _ => Err(ImageError::UnsupportedFormat),
    }
}

fn prepare_raster(
    bytes: &[u8],
    format: ImageFormat,
    options: &ImageOptions,
) -> Result<Vec<u8>, ImageError> {
    let decode_err = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => ImageError::TooLarge {
            width: 0,
            height: 0,
            limit: options.max_dimension,
        },
        other => ImageError::Decode {
            reason: other.to_string(),
        },
    };
    // Dimensions first: refuse before any pixel buffer is allocated.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(decode_err)?;
    if width > options.max_dimension || height > options.max_dimension {
        return Err(ImageError::TooLarge {
            width,
            height,
            limit: options.max_dimension,
        });
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(options.max_dimension);
    limits.max_image_height = Some(options.max_dimension);
    limits.max_alloc = Some(options.max_alloc);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let decoded = reader.decode().map_err(decode_err)?;
    let square = fit_square(&decoded, options.size.max(1));
    let mut out = Cursor::new(Vec::new());
    square
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|e| ImageError::Decode {
            reason: e.to_string(),
        })?;
    Ok(out.into_inner())
}

/// Scales down to fit within `size`×`size` (keeping the aspect ratio) and centres the result on
/// a transparent square canvas.
fn fit_square(img: &DynamicImage, size: u32) -> RgbaImage {
    let (w, h) = (img.width().max(1), img.height().max(1));
    let longest = w.max(h);
    let side = longest.min(size);
    let scaled = if longest > size {
        img.resize(size, size, image::imageops::FilterType::Lanczos3)
            .into_rgba8()
    } else {
        img.to_rgba8()
    };
    let mut canvas = RgbaImage::new(side, side);
    let x = i64::from((side - scaled.width().min(side)) / 2);
    let y = i64::from((side - scaled.height().min(side)) / 2);
    image::imageops::overlay(&mut canvas, &scaled, x, y);
    canvas
}

/// Elements dropped with everything inside them.
const DROPPED_ELEMENTS: &[&[u8]] = &[
    b"script",
    b"foreignObject",
    b"iframe",
    b"object",
    b"embed",
    b"audio",
    b"video",
    b"canvas",
    b"handler",
    b"listener",
];

/// Removes scripts, event handlers, external references, foreign objects, DOCTYPEs (entity
/// bombs, XXE), processing instructions and non-SVG elements from an SVG document.
pub fn sanitize_svg(bytes: &[u8]) -> Result<Vec<u8>, ImageError> {
    let invalid = |reason: String| ImageError::InvalidSvg { reason };
    // quick-xml does not count a byte-order mark in its positions (used below); drop it.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = NsReader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut writer = Writer::new(Vec::with_capacity(bytes.len()));
    let mut skip_depth = 0usize;
    let mut in_style = false;
    let mut seen_root = false;
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| invalid(e.to_string()))?;
        let is_svg_ns = matches!(ns, ResolveResult::Unbound)
            || matches!(ns, ResolveResult::Bound(n) if n.as_ref() == SVG_NS);
        let is_start = matches!(event, Event::Start(_));
        let out = match event {
            Event::Eof => break,
            _ if skip_depth > 0 => {
                match event {
                    Event::Start(_) => skip_depth += 1,
                    Event::End(_) => skip_depth -= 1,
                    _ => {}
                }
                continue;
            }
            Event::Start(e) | Event::Empty(e)
                if !is_svg_ns || DROPPED_ELEMENTS.contains(&e.local_name().as_ref()) =>
            {
                if !seen_root {
                    return Err(invalid("the root element is not an SVG <svg>".into()));
                }
                if is_start {
                    skip_depth = 1;
                }
                continue;
            }
            Event::Start(e) => {
                if !seen_root && e.local_name().as_ref() != b"svg" {
                    return Err(invalid("the root element is not <svg>".into()));
                }
                seen_root = true;
                in_style = e.local_name().as_ref() == b"style";
                Event::Start(clean_element(&reader, &e)?)
            }
            Event::Empty(e) => {
                if !seen_root && e.local_name().as_ref() != b"svg" {
                    return Err(invalid("the root element is not <svg>".into()));
                }
                seen_root = true;
                Event::Empty(clean_element(&reader, &e)?)
            }
            Event::End(e) => {
                in_style = false;
                Event::End(e)
            }
            Event::Text(t) => {
                if in_style && unsafe_css(&String::from_utf8_lossy(&t)) {
                    continue;
                }
                Event::Text(t)
            }
            Event::CData(c) => {
                if in_style && unsafe_css(&String::from_utf8_lossy(&c)) {
                    continue;
                }
                Event::CData(c)
            }
            Event::GeneralRef(r) => {
                // Only character references and XML's predefined entities; the DOCTYPE that
                // could define others is dropped.
                let name = r.decode().map_err(|e| invalid(e.to_string()))?;
                if r.is_char_ref() || quick_xml::escape::resolve_predefined_entity(&name).is_some()
                {
                    Event::GeneralRef(r)
                } else {
                    continue;
                }
            }
            Event::Decl(d) => Event::Decl(d),
            Event::DocType(_) | Event::PI(_) | Event::Comment(_) => continue,
        };
        writer
            .write_event(out)
            .map_err(|e| invalid(e.to_string()))?;
    }
    if !seen_root {
        return Err(invalid("no <svg> element".into()));
    }
    Ok(writer.into_inner())
}

/// Copies an element keeping only safe attributes.
fn clean_element(
    reader: &NsReader<&[u8]>,
    e: &BytesStart<'_>,
) -> Result<BytesStart<'static>, ImageError> {
    let mut clean = BytesStart::new(String::from_utf8_lossy(e.name().as_ref()).into_owned());
    for attr in e.attributes() {
        let attr = attr.map_err(|err| ImageError::InvalidSvg {
            reason: err.to_string(),
        })?;
        let (ns, local) = reader.resolve_attribute(attr.key);
        let local = local.as_ref().to_ascii_lowercase();
        let value = attr
            .unescape_value()
            .map_err(|err| ImageError::InvalidSvg {
                reason: err.to_string(),
            })?
            .into_owned();
        let lowered: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect::<String>()
            .to_ascii_lowercase();
        let is_href = local == b"href"
            && match ns {
                ResolveResult::Unbound => true,
                ResolveResult::Bound(n) => n.as_ref() == XLINK_NS,
                ResolveResult::Unknown(_) => false,
            };
        // Attributes in foreign namespaces (other than xlink and namespace declarations) go.
        let foreign = matches!(ns, ResolveResult::Bound(n) if n.as_ref() != XLINK_NS)
            && !attr.key.as_ref().starts_with(b"xmlns");
        let script = local.starts_with(b"on")
            || lowered.contains("javascript:")
            || lowered.contains("vbscript:");
        let external = is_href && !safe_reference(&lowered);
        let bad_style = local == b"style" && unsafe_css(&lowered);
        let keep = !(script || external || bad_style || foreign);
        if keep {
            clean.push_attribute((attr.key.as_ref(), value.as_bytes()));
        }
    }
    Ok(clean)
}

/// Internal fragment references and raster data URIs only.
fn safe_reference(lowered: &str) -> bool {
    lowered.starts_with('#')
        || [
            "data:image/png",
            "data:image/jpeg",
            "data:image/gif",
            "data:image/webp",
        ]
        .iter()
        .any(|p| lowered.starts_with(p))
}

/// CSS that imports, loads external resources or runs script.
fn unsafe_css(css: &str) -> bool {
    let lowered: String = css
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if lowered.contains("@import")
        || lowered.contains("expression(")
        || lowered.contains("javascript:")
    {
        return true;
    }
    lowered.match_indices("url(").any(|(i, _)| {
        let rest = lowered.get(i + 4..).unwrap_or_default();
        let rest = rest.trim_start_matches(['\'', '"']);
        !safe_reference(rest)
    })
}
