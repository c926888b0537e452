//! Upload preparation (raster decoding under limits, SVG sanitising) must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openbadges::image::{ImageOptions, prepare_image};

fuzz_target!(|data: &[u8]| {
    let options = ImageOptions {
        size: 64,
        max_dimension: 1024,
        max_alloc: 16 << 20,
        ..ImageOptions::default()
    };
    let _ = prepare_image(data, &options);
});
