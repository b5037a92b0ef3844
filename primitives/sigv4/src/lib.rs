//! AWS Signature Version 4 (SigV4) request signing, and a small S3 request builder on top.
//!
//! The crate is `no_std` (with `alloc`) so that off-chain workers, which run inside the
//! runtime's Wasm, can sign uploads made with `sp_runtime::offchain::http`; with the default
//! `std` feature the node uses the same code.
//!
//! - [`sign`] is the generic signer: it builds the canonical request, the string to sign and the
//!   `Authorization` header value exactly as the AWS SigV4 specification describes.
//! - [`S3Config`] builds the signed headers for the handful of S3 operations MedChain needs
//!   (`PutObject`, `GetObject`, `HeadObject`, `DeleteObject`, `CreateBucket`). A `PutObject`
//!   carries the body's SHA-256 both as `x-amz-content-sha256` and as the flexible checksum
//!   `x-amz-checksum-sha256`, so that servers which only verify the latter (SeaweedFS) also
//!   refuse a body that does not match.
//! - [`AmzDateTime`] is the request time, built from calendar fields or from a Unix timestamp
//!   (no dependency on a date library).
//!
//! Secrets never appear in `Debug` output: [`Credentials`] redacts them. A process that must not
//! hold the secret signs with [`DayKeys`] instead: the SigV4 signing keys of a few days,
//! derived elsewhere with [`signing_key`].
//!
//! Paths are taken unencoded and URI-encoded once, as S3 expects (S3 does not double-encode the
//! path, and does not normalise `.`/`..` segments). Services other than S3 expect a second
//! encoding and path normalisation, which this crate does not do.

#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
	not(test),
	deny(
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::panic,
		clippy::indexing_slicing,
		clippy::arithmetic_side_effects
	)
)]

extern crate alloc;

mod credentials;
mod encode;
mod error;
mod s3;
mod signer;
mod time;

pub use credentials::{Credentials, DayKeys};
pub use encode::{canonical_query_string, hex_lower, sha256_hex, uri_encode};
pub use error::Error;
pub use s3::{is_valid_bucket, Addressing, S3Config, S3Operation, S3Request, S3_SERVICE};
pub use signer::{
	sign, signing_key, SignatureParts, SigningRequest, ALGORITHM, EMPTY_PAYLOAD_SHA256,
	UNSIGNED_PAYLOAD,
};
pub use time::AmzDateTime;
