//! Upload preparation (raster decoding under limits, SVG sanitising) must never panic, and
//! whatever `sanitize_svg` returns must, re-read by roxmltree, hold nothing active or external
//! (the property of `tests/svg_sanitize_property.rs`, checked by the same code).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml
#![no_main]

#[path = "../../tests/support/svg_inert.rs"]
mod svg_inert;

use libfuzzer_sys::fuzz_target;
use openbadges::image::{ImageOptions, prepare_image, sanitize_svg};

fuzz_target!(|data: &[u8]| {
    let options = ImageOptions {
        size: 64,
        max_dimension: 1024,
        max_alloc: 16 << 20,
        ..ImageOptions::default()
    };
    let _ = prepare_image(data, &options);
    if let Ok(clean) = sanitize_svg(data) {
        svg_inert::assert_inert(&clean);
    }
});
