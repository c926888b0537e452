//! Baking credentials into badge images and extracting them, per the Open Badges 3.0
//! "Baked Badges" section (PNG `iTXt` chunk, SVG `<openbadges:credential>` element).
//!
//! Open Badges 2.0 baked images (`openbadges` iTXt keyword, `<openbadges:assertion>` in the
//! `http://openbadges.org` namespace) are read too and reported as [`Extracted::V2`]: they are
//! 2.0 assertions, not 3.0 credentials, and cannot be verified as such.

pub mod png;
pub mod svg;

use thiserror::Error;

/// Largest credential accepted in or out of an image (1 MiB): far above any real badge, small
/// enough that a hostile image cannot make us allocate much.
pub const MAX_CREDENTIAL_BYTES: usize = 1 << 20;

/// What is baked: the credential as JSON bytes, or a compact JWS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// Credential JSON with an embedded proof; stored and returned byte for byte.
    Json(Vec<u8>),
    /// A compact JWS (`header.payload.signature`).
    Jws(String),
}

impl Payload {
    /// Classifies text found in an image: JSON objects start with `{`, anything else is a JWS.
    pub fn from_text(bytes: Vec<u8>) -> Result<Self, BakeError> {
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Ok(Self::Json(bytes)),
            _ => String::from_utf8(bytes)
                .map(|s| Self::Jws(s.trim().to_owned()))
                .map_err(|_| BakeError::Invalid {
                    reason: "baked credential is neither JSON nor UTF-8 text".into(),
                }),
        }
    }

    /// The payload bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Json(b) => b,
            Self::Jws(s) => s.as_bytes(),
        }
    }
}

/// What was found in a baked image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extracted {
    /// An Open Badges 3.0 credential.
    V3(Payload),
    /// An Open Badges 2.0 assertion (JSON, a JWS, or a hosted assertion URL). Not a 3.0 credential.
    V2(Payload),
}

/// Image formats that can carry a credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// SVG (XML).
    Svg,
}

impl ImageFormat {
    /// Detects the format from the first bytes: PNG signature, else XML/SVG text.
    pub fn detect(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&png::SIGNATURE) {
            return Some(Self::Png);
        }
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
        let head = text.get(start..start.saturating_add(1024).min(text.len()))?;
        let head = String::from_utf8_lossy(head);
        (head.starts_with('<') && (head.contains("<svg") || head.starts_with("<?xml")))
            .then_some(Self::Svg)
    }
}

/// Why baking or extraction failed.
#[derive(Debug, Error)]
pub enum BakeError {
    /// Neither PNG nor SVG.
    #[error("not a PNG or SVG image")]
    UnsupportedFormat,
    /// The image is malformed.
    #[error("malformed {format} image: {reason}")]
    Malformed {
        /// `PNG` or `SVG`.
        format: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The image carries no credential.
    #[error("the image contains no baked Open Badges credential")]
    NotBaked,
    /// The baked content is unusable.
    #[error("invalid baked credential: {reason}")]
    Invalid {
        /// What is wrong.
        reason: String,
    },
    /// The credential is larger than [`MAX_CREDENTIAL_BYTES`].
    #[error("baked credential exceeds {MAX_CREDENTIAL_BYTES} bytes")]
    TooLarge,
}

/// Bakes `payload` into a PNG or SVG image (format detected from the bytes).
pub fn bake(image: &[u8], payload: &Payload) -> Result<Vec<u8>, BakeError> {
    if payload.as_bytes().len() > MAX_CREDENTIAL_BYTES {
        return Err(BakeError::TooLarge);
    }
    match ImageFormat::detect(image) {
        Some(ImageFormat::Png) => png::bake(image, payload),
        Some(ImageFormat::Svg) => svg::bake(image, payload),
        None => Err(BakeError::UnsupportedFormat),
    }
}

/// Extracts the credential baked into a PNG or SVG image.
pub fn extract(image: &[u8]) -> Result<Extracted, BakeError> {
    match ImageFormat::detect(image) {
        Some(ImageFormat::Png) => png::extract(image),
        Some(ImageFormat::Svg) => svg::extract(image),
        None => Err(BakeError::UnsupportedFormat),
    }
}
