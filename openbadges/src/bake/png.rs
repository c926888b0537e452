//! PNG baking: an uncompressed `iTXt` chunk with keyword `openbadgecredential` holding the
//! credential, inserted just before `IEND`, replacing any earlier badge chunk.
//!
//! The chunk layout is parsed by hand (length, type, data, CRC-32) rather than decoding the
//! image: baking must not touch pixels, and it is ~100× faster.

use std::io::Read;

use super::{
    BakeError, Baked, BakingIssue, Extracted, MAX_CREDENTIAL_BYTES, MAX_CREDENTIALS_PER_IMAGE,
    Payload,
};

/// The 8-byte PNG file signature.
pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
/// `iTXt` keyword of an Open Badges 3.0 credential.
pub const KEYWORD_V3: &str = "openbadgecredential";
/// `iTXt` keyword of an Open Badges 2.0 assertion.
pub const KEYWORD_V2: &str = "openbadges";

/// One chunk, borrowed from the image.
#[derive(Clone, Copy, Debug)]
pub struct Chunk<'a> {
    /// Four-letter type.
    pub kind: [u8; 4],
    /// Payload.
    pub data: &'a [u8],
    /// The whole chunk including length, type and CRC.
    pub raw: &'a [u8],
}

fn malformed(reason: impl Into<String>) -> BakeError {
    BakeError::Malformed {
        format: "PNG",
        reason: reason.into(),
    }
}

/// Splits a PNG into chunks, checking the signature, lengths and that it ends with `IEND`.
pub fn chunks(image: &[u8]) -> Result<Vec<Chunk<'_>>, BakeError> {
    let mut rest = image
        .strip_prefix(&SIGNATURE)
        .ok_or_else(|| malformed("missing PNG signature"))?;
    let mut out = Vec::new();
    loop {
        let (len_bytes, after) = rest
            .split_first_chunk::<4>()
            .ok_or_else(|| malformed("truncated chunk header"))?;
        let len = u32::from_be_bytes(*len_bytes) as usize;
        let (kind, after) = after
            .split_first_chunk::<4>()
            .ok_or_else(|| malformed("truncated chunk header"))?;
        if after.len() < len.saturating_add(4) {
            return Err(malformed(format!(
                "chunk {} claims {len} bytes but the file ends first",
                String::from_utf8_lossy(kind)
            )));
        }
        let (data, after) = after.split_at(len);
        let (_crc, after) = after
            .split_first_chunk::<4>()
            .ok_or_else(|| malformed("truncated chunk CRC"))?;
        let total = 12 + len;
        let raw = rest
            .get(..total)
            .ok_or_else(|| malformed("truncated chunk"))?;
        out.push(Chunk {
            kind: *kind,
            data,
            raw,
        });
        rest = after;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
}

/// The keyword of a text chunk (`tEXt`, `zTXt`, `iTXt`), if any.
fn keyword<'a>(chunk: &Chunk<'a>) -> Option<&'a [u8]> {
    match &chunk.kind {
        b"iTXt" | b"tEXt" | b"zTXt" => chunk.data.split(|b| *b == 0).next(),
        _ => None,
    }
}

fn is_badge_chunk(chunk: &Chunk<'_>) -> bool {
    keyword(chunk).is_some_and(|k| k == KEYWORD_V3.as_bytes() || k == KEYWORD_V2.as_bytes())
}

/// Builds a complete `iTXt` chunk (uncompressed, no language tag or translated keyword).
fn itxt(keyword: &str, text: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(4 + keyword.len() + 5 + text.len());
    body.extend_from_slice(b"iTXt");
    body.extend_from_slice(keyword.as_bytes());
    // NUL, compression flag 0, compression method 0, empty language tag NUL, empty
    // translated keyword NUL.
    body.extend_from_slice(&[0, 0, 0, 0, 0]);
    body.extend_from_slice(text);
    let crc = crc32fast::hash(&body);
    let mut out = Vec::with_capacity(body.len() + 8);
    // The data length excludes the 4-byte type; text is capped far below u32::MAX.
    out.extend_from_slice(
        &u32::try_from(body.len() - 4)
            .unwrap_or(u32::MAX)
            .to_be_bytes(),
    );
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// Bakes `payload` into a PNG, replacing any earlier Open Badges chunk (3.0 or 2.0).
pub fn bake(image: &[u8], payload: &Payload) -> Result<Vec<u8>, BakeError> {
    let chunks = chunks(image)?;
    let badge = itxt(KEYWORD_V3, payload.as_bytes());
    let mut out = Vec::with_capacity(image.len() + badge.len());
    out.extend_from_slice(&SIGNATURE);
    for chunk in &chunks {
        if chunk.kind == *b"IEND" {
            out.extend_from_slice(&badge);
        }
        if !is_badge_chunk(chunk) {
            out.extend_from_slice(chunk.raw);
        }
    }
    Ok(out)
}

/// Extracts a baked credential (3.0 `openbadgecredential`, else 2.0 `openbadges`).
///
/// Of several 3.0 chunks, the first `iTXt` one is read, as the spec's extraction rule says;
/// without any `iTXt`, the first `tEXt`/`zTXt` one. Each rule the image breaks is reported.
pub fn extract(image: &[u8]) -> Result<Extracted, BakeError> {
    let chunks = chunks(image)?;
    let candidates: Vec<&Chunk<'_>> = chunks
        .iter()
        .filter(|c| keyword(c) == Some(KEYWORD_V3.as_bytes()))
        .collect();
    if candidates.is_empty() {
        let v2 = chunks
            .iter()
            .find(|c| keyword(c) == Some(KEYWORD_V2.as_bytes()))
            .ok_or(BakeError::NotBaked)?;
        check_crc(v2)?;
        let (text, _) = text_of(v2)?;
        return Ok(Extracted::conformant(Baked::V2(Payload::from_text(text)?)));
    }
    if candidates.len() > MAX_CREDENTIALS_PER_IMAGE {
        return Err(BakeError::TooManyCredentials);
    }
    let read = candidates
        .iter()
        .position(|c| c.kind == *b"iTXt")
        .unwrap_or(0);
    let chunk = candidates.get(read).ok_or(BakeError::NotBaked)?;
    check_crc(chunk)?;
    let (text, compressed) = text_of(chunk)?;
    let payload = Payload::from_text(text)?;
    let mut issues = Vec::new();
    match &chunk.kind {
        b"tEXt" => issues.push(BakingIssue::PngNotItxt { chunk: "tEXt" }),
        b"zTXt" => issues.push(BakingIssue::PngNotItxt { chunk: "zTXt" }),
        _ => {}
    }
    if compressed {
        issues.push(BakingIssue::PngCompressed);
    }
    if candidates.len() > 1 {
        let same = |c: &Chunk<'_>| {
            check_crc(c).is_ok()
                && text_of(c)
                    .and_then(|(text, _)| Payload::from_text(text))
                    .is_ok_and(|p| p == payload)
        };
        let identical = candidates
            .iter()
            .enumerate()
            .all(|(i, c)| i == read || same(c));
        issues.push(BakingIssue::MultipleCredentials {
            count: candidates.len(),
            read: read + 1,
            identical,
        });
    }
    Ok(Extracted {
        baked: Baked::V3(payload),
        issues,
    })
}

fn check_crc(chunk: &Chunk<'_>) -> Result<(), BakeError> {
    let n = chunk.raw.len();
    let body = chunk.raw.get(4..n.saturating_sub(4)).unwrap_or_default();
    let stored = chunk
        .raw
        .last_chunk::<4>()
        .map(|b| u32::from_be_bytes(*b))
        .unwrap_or_default();
    if crc32fast::hash(body) == stored {
        Ok(())
    } else {
        Err(malformed("badge chunk CRC mismatch (corrupted file)"))
    }
}

/// The text of a `tEXt`/`iTXt`/`zTXt` chunk, decompressing if needed (bounded), and whether
/// it was compressed.
fn text_of(chunk: &Chunk<'_>) -> Result<(Vec<u8>, bool), BakeError> {
    let data = chunk.data;
    let nul = data
        .iter()
        .position(|b| *b == 0)
        .ok_or_else(|| malformed("text chunk without keyword terminator"))?;
    let rest = data.get(nul + 1..).unwrap_or_default();
    let (text, compressed) = match &chunk.kind {
        b"tEXt" => (rest.to_vec(), false),
        b"zTXt" => (inflate(rest.get(1..).unwrap_or_default())?, true),
        _ => {
            let (&flag, rest) = rest
                .split_first()
                .ok_or_else(|| malformed("truncated iTXt chunk"))?;
            let rest = rest
                .get(1..)
                .ok_or_else(|| malformed("truncated iTXt chunk"))?;
            let mut parts = rest.splitn(3, |b| *b == 0);
            let (_lang, _translated, text) = (parts.next(), parts.next(), parts.next());
            let text = text.ok_or_else(|| malformed("truncated iTXt chunk"))?;
            if flag == 1 {
                (inflate(text)?, true)
            } else {
                (text.to_vec(), false)
            }
        }
    };
    if text.len() > MAX_CREDENTIAL_BYTES {
        return Err(BakeError::TooLarge);
    }
    Ok((text, compressed))
}

fn inflate(data: &[u8]) -> Result<Vec<u8>, BakeError> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .take(MAX_CREDENTIAL_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| malformed(format!("compressed text chunk: {e}")))?;
    if out.len() > MAX_CREDENTIAL_BYTES {
        return Err(BakeError::TooLarge);
    }
    Ok(out)
}
