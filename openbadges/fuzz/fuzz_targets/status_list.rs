//! Status list decoding must never panic (and is bounded against GZIP bombs).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml
#![no_main]

use libfuzzer_sys::fuzz_target;
use openbadges::status_list::StatusList;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(list) = StatusList::decode(text) {
            let _ = list.get(list.len().saturating_sub(1));
        }
    }
});
