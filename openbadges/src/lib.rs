//! Pure Open Badges 3.0 library for Badge Engine: everything it issues must verify in any
//! conforming verifier, not just ours.
//!
//! - [`credential`]: the OB 3.0 / VC 2.0 data model (serde, round-trips unknown properties),
//!   a [`credential::CredentialBuilder`] and [`credential::validate::validate`] reporting every spec
//!   violation with its JSON path.
//! - [`keys`]: Ed25519 keys, Multikey (`z6Mk…`) encoding, `did:key` identifiers, secret export.
//! - [`proof`] / [`mod@verify`]: `DataIntegrityProof` with `eddsa-rdfc-2022`, and verification
//!   returning a [`verify::VerificationReport`] of named checks.
//! - [`context`]: the JSON-LD contexts (VC 2.0 and 1.1, OB 3.0.0–3.0.3, OB extensions, Data
//!   Integrity v2, Multikey), bundled; nothing is ever fetched.
//! - [`canonical`]: JSON-LD → RDFC-1.0 canonical N-Quads.
//! - [`mod@bake`]: baking into and extracting from PNG and SVG (reads OB 2.0 images too),
//!   reporting each OB 3.0 baking rule an image breaks ([`bake::BakingIssue`]).
//! - [`image`]: preparing uploaded badge images (bounded decoding, square PNG, SVG sanitising).
//! - [`status_list`]: W3C Bitstring Status List entries and list credentials.
//! - [`xml`]: the size, nesting and namespace limits every SVG is read under.
//!
//! The library does no I/O (no files, no network, no clock except where a caller asks for
//! "now" or a fresh key), and no input makes it panic: every parser returns an error.
//!
//! # Crates chosen, and why
//!
//! - `json-ld` 0.21 (expansion, context processing) + `rdf-canon` 0.15 (RDFC-1.0) +
//!   `ed25519-dalek` 2: measured to interoperate with Digital Bazaar's verifier as is, unlike
//!   spruceid `ssi` 0.16 whose boolean-datatype handling breaks every hashed-email credential.
//!   Expansion runs in strict mode (undefined terms and invalid IRIs are errors, as in
//!   jsonld.js "safe mode"). Two `json-ld` shortcomings are worked around in [`canonical`]:
//!   known contexts are inlined (its protected-term check compares base URLs and would reject
//!   the OB extensions context), and a memoised fast path replaces its per-node context
//!   re-processing, which made signing ~8× slower than necessary. Both are proven equal to the
//!   full pipeline and to jsonld.js over hundreds of varied credentials.
//! - `quick-xml` for SVG: a real namespace-aware XML parser for baking, extraction and
//!   sanitising (no regexes over markup). The sanitiser's output is checked in tests with
//!   `roxmltree`, an independent parser, so that both parsers' readings must agree.
//! - `image` 0.25 with only the PNG, JPEG, WebP and GIF codecs, using its `Limits` against
//!   decompression bombs.
//! - `flate2` + `base64` for status lists, `crc32fast` for PNG chunks, `bs58` for multibase,
//!   `sha2` for hashes, `thiserror` for error enums, `pollster` to drive `json-ld`'s async API
//!   (its loader here is in-memory, so nothing ever waits).

pub mod bake;
pub mod canonical;
pub mod context;
pub mod credential;
pub mod image;
pub mod keys;
pub mod proof;
pub mod status_list;
pub mod verify;
pub mod xml;

pub use bake::{Baked, BakingIssue, Extracted, Payload, bake, extract};
pub use credential::{CredentialBuilder, OpenBadgeCredential, Recipient, validate};
pub use keys::{DidKey, KeyPair, PublicKey};
pub use proof::{Eddsa2022, ProofOptions, default_suite};
pub use verify::{VerificationReport, VerifyOptions, verify, verify_json};
