//! Preparing admin-uploaded badge images: raster images (PNG, JPEG, WebP, GIF) are decoded
//! under strict limits, fitted into a square and re-encoded as PNG; SVGs are sanitised with a
//! real XML parser (quick-xml) so nothing active or external survives ([`sanitize_svg`]).

mod css;
mod svg;

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits, RgbaImage};
use thiserror::Error;

pub use svg::{MAX_SVG_BYTES, sanitize_svg};

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
    /// The SVG is beyond a structural limit of [`crate::xml`].
    #[error("SVG too complex: {limit}")]
    SvgTooComplex {
        /// The limit exceeded.
        limit: crate::xml::LimitExceeded,
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
