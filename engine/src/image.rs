//! Uploaded images (issuer logos, badge artwork): prepared by `openbadges` (raster images
//! decoded under limits, fitted into a square PNG; SVGs sanitised), stored once by content
//! hash and served from a stable URL with a long cache lifetime.

use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::error::{Error, Result};
use crate::public_url::PublicUrls;
use crate::rbac::{Authorized, PermissionMarker};

/// Largest upload accepted, in bytes (the server's upload body limit is a little larger).
pub const MAX_UPLOAD_BYTES: usize = 5 << 20;
/// Side of the square PNG that raster uploads become.
pub const SIDE: u32 = 512;

/// A stored image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    /// Content hash (hex), the stable name.
    pub sha256: String,
    /// `image/png` or `image/svg+xml`.
    pub media_type: &'static str,
    /// Where it is served.
    pub url: String,
}

/// `png` or `svg` for a stored media type.
pub fn extension(media_type: &str) -> &'static str {
    if media_type == "image/svg+xml" {
        "svg"
    } else {
        "png"
    }
}

/// Prepares and stores an upload; the same picture uploaded twice is stored once. Any staff
/// capability may upload (the image only becomes visible once a profile or achievement that
/// the capability may edit points at it).
pub async fn store<P: PermissionMarker>(
    pool: &PgPool,
    auth: &Authorized<P>,
    urls: &PublicUrls,
    bytes: Vec<u8>,
) -> Result<StoredImage> {
    if bytes.is_empty() {
        return Err(Error::invalid("image", "the file is empty"));
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(Error::invalid(
            "image",
            format!(
                "the file is {:.1} MB; images may be at most {} MB",
                bytes.len() as f64 / 1_048_576.0,
                MAX_UPLOAD_BYTES >> 20
            ),
        ));
    }
    // Decoding and re-encoding is CPU work: keep it off the async workers.
    let prepared = tokio::task::spawn_blocking(move || {
        let options = openbadges::image::ImageOptions {
            size: SIDE,
            max_bytes: MAX_UPLOAD_BYTES,
            ..Default::default()
        };
        openbadges::image::prepare_image(&bytes, &options)
    })
    .await
    .map_err(Error::internal)?
    .map_err(|e| Error::invalid("image", e.to_string()))?;
    let media_type = prepared.media_type();
    let bytes = prepared.bytes();
    let sha256 = crate::secret::hex(&Sha256::digest(bytes));
    sqlx::query!(
        r#"insert into images (sha256, media_type, bytes, created_by) values ($1, $2, $3, $4)
           on conflict (sha256) do nothing"#,
        sha256,
        media_type,
        bytes,
        auth.actor().user_id
    )
    .execute(pool)
    .await?;
    let url = urls.image(&sha256, extension(media_type));
    Ok(StoredImage {
        sha256,
        media_type,
        url,
    })
}

/// A stored image's media type and bytes (public: images are shown on public pages).
pub async fn get(pool: &PgPool, sha256: &str) -> Result<(String, Vec<u8>)> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::NotFound { entity: "image" });
    }
    let row = sqlx::query!(
        "select media_type, bytes from images where sha256 = $1",
        sha256.to_ascii_lowercase()
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound { entity: "image" })?;
    Ok((row.media_type, row.bytes))
}

/// The stored image an own URL (`{base}/images/{sha}.{ext}`) points at, if it is one.
pub fn sha_of_own_url<'a>(urls: &PublicUrls, url: &'a str) -> Option<&'a str> {
    let rest = url.strip_prefix(urls.base())?.strip_prefix("/images/")?;
    let (sha, ext) = rest.split_once('.')?;
    (sha.len() == 64 && matches!(ext, "png" | "svg")).then_some(sha)
}
