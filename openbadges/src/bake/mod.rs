//! Baking credentials into badge images and extracting them, per the Open Badges 3.0
//! "Baked Badge" section (PNG `iTXt` chunk, SVG `<openbadges:credential>` element).
//!
//! Baking always writes a conformant image. Extraction is liberal, so that a verifier can
//! report on badges made elsewhere: it also reads a compressed `iTXt`, a `tEXt` or `zTXt`
//! chunk, an SVG credential without CDATA, in the wrong namespace or in the wrong place, and
//! images holding several credentials. What it read is returned together with the
//! [`BakingIssue`]s: each baking rule of the spec the image breaks.
//!
//! **Several credentials in one image** are read the way the spec's extraction rule says
//! ("the first `iTXt` chunk … with the keyword `openbadgecredential`", "the first
//! `<openbadges:credential>` tag"), so that this library agrees with every conformant verifier
//! about which credential an image carries; refusing the image would make us the odd one out.
//! The issue says how many there are, which one was read and whether the others differ: two
//! different credentials in one image is what a verify page must show loudly, since a
//! non-conformant reader may pick another one.
//!
//! Open Badges 2.0 baked images (`openbadges` iTXt keyword, `<openbadges:assertion>` in the
//! `http://openbadges.org` namespace) are read too and reported as [`Baked::V2`]: they are
//! 2.0 assertions, not 3.0 credentials, cannot be verified as such, and are not judged against
//! the 3.0 baking rules.

pub mod png;
pub mod svg;

use serde::Serialize;
use thiserror::Error;

use crate::xml::LimitExceeded;

/// Largest credential accepted in or out of an image (1 MiB): far above any real badge, small
/// enough that a hostile image cannot make us allocate much.
pub const MAX_CREDENTIAL_BYTES: usize = 1 << 20;

/// Largest image accepted for baking or extraction (16 MiB): an upload (at most 10 MiB by
/// default) plus a credential, with room to spare. SVGs are also bounded in nesting and
/// namespaces by [`crate::xml`].
pub const MAX_IMAGE_BYTES: usize = 16 << 20;

/// Most credentials (PNG chunks with the keyword, SVG credential elements) one image may hold
/// for extraction; each is decoded to compare it with the one read.
pub const MAX_CREDENTIALS_PER_IMAGE: usize = 16;

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

/// What is baked into an image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Baked {
    /// An Open Badges 3.0 credential.
    V3(Payload),
    /// An Open Badges 2.0 assertion (JSON, a JWS, or a hosted assertion URL). Not a 3.0 credential.
    V2(Payload),
}

/// What was found in a baked image, and which baking rules the image breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    /// The credential (or 2.0 assertion) read.
    pub baked: Baked,
    /// The OB 3.0 baking rules the image breaks; empty for a conformant image (and for 2.0
    /// images, which are not judged).
    pub issues: Vec<BakingIssue>,
}

impl Extracted {
    fn conformant(baked: Baked) -> Self {
        Self {
            baked,
            issues: Vec::new(),
        }
    }
}

/// A rule of the OB 3.0 "Baked Badge" section that an image breaks. Serialised with a `rule`
/// tag (`{"rule": "png_compressed"}`) for reports; `Display` gives the sentence for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum BakingIssue {
    /// PNG: the credential is in a `tEXt` or `zTXt` chunk; the spec uses an `iTXt` chunk.
    PngNotItxt {
        /// The chunk type read (`tEXt` or `zTXt`).
        chunk: &'static str,
    },
    /// PNG: the credential text is compressed (a compressed `iTXt`, or a `zTXt`); the spec
    /// says "Compression MUST NOT be used".
    PngCompressed,
    /// SVG: an `<openbadges:credential>` element outside the OB 3.0 namespace
    /// (`https://purl.imsglobal.org/ob/v3p0`); read anyway.
    SvgNamespace {
        /// The namespace the element is in, if its prefix is declared at all.
        namespace: Option<String>,
    },
    /// SVG: the element is in the OB 3.0 namespace, but not as `<openbadges:credential>` with
    /// `xmlns:openbadges` declared on the `<svg>` tag, as the spec bakes it (readers that do
    /// not resolve namespaces look for exactly that).
    SvgDeclaration,
    /// SVG: the element is not "directly after the `<svg>` tag".
    SvgPosition,
    /// SVG: a JSON credential that is not "wrapped in `<![CDATA[...]]>`".
    SvgNotCdata,
    /// SVG: a compact JWS in the element's body; the spec puts it in the `verify` attribute.
    SvgJwsInBody,
    /// SVG: JSON in the `verify` attribute, which the spec reserves for a compact JWS.
    SvgJsonInVerify,
    /// SVG: both a `verify` attribute and a body; the attribute was read, the body ignored.
    SvgVerifyAndBody,
    /// More than one credential in the image ("MUST NOT appear in a PNG more than once",
    /// "There MUST be only one `<openbadges:credential>` tag").
    MultipleCredentials {
        /// How many chunks or elements carry a credential.
        count: usize,
        /// Which of them was read (1 = the first in the file).
        read: usize,
        /// Whether all of them hold the same credential as the one read.
        identical: bool,
    },
}

impl BakingIssue {
    /// The stable machine name of the rule (the `rule` tag when serialised).
    pub fn rule(&self) -> &'static str {
        match self {
            Self::PngNotItxt { .. } => "png_not_itxt",
            Self::PngCompressed => "png_compressed",
            Self::SvgNamespace { .. } => "svg_namespace",
            Self::SvgDeclaration => "svg_declaration",
            Self::SvgPosition => "svg_position",
            Self::SvgNotCdata => "svg_not_cdata",
            Self::SvgJwsInBody => "svg_jws_in_body",
            Self::SvgJsonInVerify => "svg_json_in_verify",
            Self::SvgVerifyAndBody => "svg_verify_and_body",
            Self::MultipleCredentials { .. } => "multiple_credentials",
        }
    }
}

impl std::fmt::Display for BakingIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PngNotItxt { chunk } => write!(
                f,
                "the credential is in a {chunk} chunk; Open Badges 3.0 bakes it into an iTXt chunk"
            ),
            Self::PngCompressed => f.write_str(
                "the credential chunk is compressed; Open Badges 3.0 says compression MUST NOT be used",
            ),
            Self::SvgNamespace { namespace: Some(ns) } => write!(
                f,
                "<openbadges:credential> is in the namespace {ns}, not https://purl.imsglobal.org/ob/v3p0"
            ),
            Self::SvgNamespace { namespace: None } => f.write_str(
                "<openbadges:credential> is used without declaring xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\"",
            ),
            Self::SvgDeclaration => f.write_str(
                "the credential element is not written as <openbadges:credential> with xmlns:openbadges declared on the <svg> tag",
            ),
            Self::SvgPosition => f.write_str(
                "<openbadges:credential> is not directly after the <svg> tag",
            ),
            Self::SvgNotCdata => f.write_str(
                "the credential JSON in <openbadges:credential> is not wrapped in CDATA",
            ),
            Self::SvgJwsInBody => f.write_str(
                "a compact JWS is in the body of <openbadges:credential>; it belongs in the verify attribute",
            ),
            Self::SvgJsonInVerify => f.write_str(
                "the verify attribute holds JSON; it is only for a compact JWS (JSON goes into the body, in CDATA)",
            ),
            Self::SvgVerifyAndBody => f.write_str(
                "<openbadges:credential> has both a verify attribute and a body; the verify attribute was read",
            ),
            Self::MultipleCredentials {
                count,
                read,
                identical,
            } => write!(
                f,
                "the image holds {count} credentials (only one is allowed); credential {read} was read, {}",
                if *identical {
                    "the others are identical copies"
                } else {
                    "and the others DIFFER from it"
                }
            ),
        }
    }
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
    /// The image is larger than [`MAX_IMAGE_BYTES`].
    #[error("the image is {size} bytes; the limit is {MAX_IMAGE_BYTES}")]
    ImageTooLarge {
        /// The image's size.
        size: usize,
    },
    /// The SVG is beyond a structural limit of [`crate::xml`].
    #[error("SVG too complex: {0}")]
    TooComplex(#[from] LimitExceeded),
    /// More than [`MAX_CREDENTIALS_PER_IMAGE`] credentials in one image.
    #[error("the image holds more than {MAX_CREDENTIALS_PER_IMAGE} credentials")]
    TooManyCredentials,
}

/// Bakes `payload` into a PNG or SVG image (format detected from the bytes).
pub fn bake(image: &[u8], payload: &Payload) -> Result<Vec<u8>, BakeError> {
    check_size(image)?;
    if payload.as_bytes().len() > MAX_CREDENTIAL_BYTES {
        return Err(BakeError::TooLarge);
    }
    match ImageFormat::detect(image) {
        Some(ImageFormat::Png) => png::bake(image, payload),
        Some(ImageFormat::Svg) => svg::bake(image, payload),
        None => Err(BakeError::UnsupportedFormat),
    }
}

/// Extracts the credential baked into a PNG or SVG image, with the baking rules it breaks.
pub fn extract(image: &[u8]) -> Result<Extracted, BakeError> {
    check_size(image)?;
    match ImageFormat::detect(image) {
        Some(ImageFormat::Png) => png::extract(image),
        Some(ImageFormat::Svg) => svg::extract(image),
        None => Err(BakeError::UnsupportedFormat),
    }
}

fn check_size(image: &[u8]) -> Result<(), BakeError> {
    if image.len() > MAX_IMAGE_BYTES {
        return Err(BakeError::ImageTooLarge { size: image.len() });
    }
    Ok(())
}
