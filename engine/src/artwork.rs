//! Badge artwork for downloads and e-mails: the achievement's uploaded image when we store it,
//! else a generated default (a medal in a colour derived from the achievement, with its name
//! in the SVG version), and the baked PNG/SVG carrying the signed credential.

use image::{Rgba, RgbaImage};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::achievement::Achievement;
use crate::error::{Error, Result};
use crate::public_url::PublicUrls;

/// Side of generated PNGs, in pixels.
const SIDE: u32 = 512;

fn colour(seed: &[u8]) -> (u8, u8, u8) {
    let h = Sha256::digest(seed);
    // A saturated, not too light hue so white text and rings stay readable.
    let hue = f64::from(u16::from_be_bytes([h[0], h[1]])) / 65535.0 * 360.0;
    let (s, l) = (0.55, 0.42);
    let c = (1.0 - (2.0 * l - 1.0_f64).abs()) * s;
    let x = c * (1.0 - ((hue / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match (hue / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let to = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    (to(r), to(g), to(b))
}

/// A generated medal PNG for `achievement`.
pub fn default_png(achievement: &Achievement) -> Result<Vec<u8>> {
    let (r, g, b) = colour(achievement.id.as_bytes());
    let mut img = RgbaImage::new(SIDE, SIDE);
    let c = SIDE as f64 / 2.0;
    for (x, y, px) in img.enumerate_pixels_mut() {
        let d = ((x as f64 + 0.5 - c).powi(2) + (y as f64 + 0.5 - c).powi(2)).sqrt();
        let outer = c - 8.0;
        *px = if d > outer {
            Rgba([0, 0, 0, 0])
        } else if d > outer - 18.0 {
            Rgba([r / 2, g / 2, b / 2, 255])
        } else if (d - outer * 0.72).abs() < 6.0 {
            Rgba([255, 255, 255, 230])
        } else {
            // A soft radial shade gives the medal some depth.
            let shade = 1.0 - 0.25 * (d / outer);
            let f = |v: u8| (f64::from(v) * shade + 40.0 * (1.0 - shade)).clamp(0.0, 255.0) as u8;
            Rgba([f(r), f(g), f(b), 255])
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(Error::internal)?;
    Ok(out.into_inner())
}

fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&#39;".into(),
            c if c.is_control() => " ".into(),
            c => c.to_string(),
        })
        .collect()
}

/// Splits a name into at most three lines of about 16 characters for the SVG medal.
fn lines(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in name.split_whitespace() {
        match out.last_mut() {
            Some(l) if l.chars().count() + word.chars().count() < 16 => {
                l.push(' ');
                l.push_str(word);
            }
            _ => out.push(word.chars().take(18).collect()),
        }
    }
    if out.len() > 3 {
        out.truncate(3);
        if let Some(l) = out.last_mut() {
            l.push('…');
        }
    }
    out
}

/// A generated medal SVG for `achievement`, with its name and issuer.
pub fn default_svg(achievement: &Achievement, issuer_name: &str) -> Vec<u8> {
    let (r, g, b) = colour(achievement.id.as_bytes());
    let lines = lines(&achievement.fields.name);
    let start = 256.0 - (lines.len() as f64 - 1.0) * 17.0;
    let text: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                r##"<text x="256" y="{:.0}" text-anchor="middle" font-family="sans-serif" font-size="30" font-weight="700" fill="#fff">{}</text>"##,
                start + i as f64 * 34.0,
                escape(l)
            )
        })
        .collect();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512" role="img"><title>{title}</title><circle cx="256" cy="256" r="248" fill="rgb({dr},{dg},{db})"/><circle cx="256" cy="256" r="230" fill="rgb({r},{g},{b})"/><circle cx="256" cy="256" r="176" fill="none" stroke="#fff" stroke-opacity="0.85" stroke-width="8"/>{text}<text x="256" y="420" text-anchor="middle" font-family="sans-serif" font-size="20" fill="#fff" fill-opacity="0.9">{issuer}</text></svg>"##,
        title = escape(&achievement.fields.name),
        dr = r / 2,
        dg = g / 2,
        db = b / 2,
        issuer = escape(&issuer_name.chars().take(32).collect::<String>()),
    )
    .into_bytes()
}

/// [`default_svg`] as a `data:` URL, for previews of drafts (whose artwork is not served).
pub fn default_svg_data_url(achievement: &Achievement, issuer_name: &str) -> String {
    use base64::Engine as _;
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(default_svg(achievement, issuer_name))
    )
}

/// The achievement's artwork as (media type, bytes): its stored image, or a generated one
/// (`want_svg` picks the generated format when there is no stored image of that format).
pub async fn for_achievement(
    pool: &PgPool,
    urls: &PublicUrls,
    achievement: &Achievement,
    issuer_name: &str,
    want_svg: bool,
) -> Result<(String, Vec<u8>)> {
    if let Some(url) = &achievement.fields.image
        && let Some(sha) = crate::image::sha_of_own_url(urls, url)
    {
        let (media, bytes) = crate::image::get(pool, sha).await?;
        if (media == "image/svg+xml") == want_svg {
            return Ok((media, bytes));
        }
    }
    Ok(if want_svg {
        (
            "image/svg+xml".into(),
            default_svg(achievement, issuer_name),
        )
    } else {
        ("image/png".into(), default_png(achievement)?)
    })
}

/// Bakes the signed credential (its exact bytes) into the artwork.
pub fn bake(artwork: &[u8], credential_json: &[u8]) -> Result<Vec<u8>> {
    openbadges::bake(
        artwork,
        &openbadges::Payload::Json(credential_json.to_vec()),
    )
    .map_err(|e| Error::internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_wrap_into_three_lines() {
        let l = lines("Advanced Relational Database Design and Administration for Professionals");
        assert!(l.len() <= 3 && l.last().unwrap().ends_with('…'), "{l:?}");
        assert_eq!(escape("<a&\"b\">"), "&lt;a&amp;&quot;b&quot;&gt;");
    }
}
