//! Signs the same realistic credential in a loop, for `perf record` (see docs/benchmarks.md).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

#[path = "../interop/fixtures.rs"]
mod fixtures;

use chrono::Utc;
use openbadges::keys::KeyPair;
use openbadges::proof::{ProofOptions, default_suite};

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let key = KeyPair::from_secret_bytes(&[1u8; 32]).unwrap_or_else(|_| KeyPair::generate());
    let doc = fixtures::credential(4, &key.did());
    let options = ProofOptions::at(Utc::now());
    let start = std::time::Instant::now();
    for _ in 0..n {
        if default_suite().sign(&doc, &key, &options).is_err() {
            eprintln!("sign failed");
            return;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{n} signatures in {secs:.3} s: {:.0}/s",
        f64::from(n) / secs
    );
}
