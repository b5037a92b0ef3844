//! What the node and the pinning off-chain worker share: where ciphertext and the cloud-storage
//! settings live in the node's own off-chain storage (the `PERSISTENT` kind). None of it is
//! chain state, and none of it is ever logged.

use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_core::H256;

/// Prefix of the keys under which the node keeps ciphertext put over RPC, by SHA-256.
pub const BLOB_KEY_PREFIX: &[u8] = b"medchain/blob/";

/// The off-chain storage key of the ciphertext whose SHA-256 is `hash`.
pub fn blob_key(hash: &H256) -> Vec<u8> {
	let mut key = Vec::with_capacity(BLOB_KEY_PREFIX.len().saturating_add(32));
	key.extend_from_slice(BLOB_KEY_PREFIX);
	key.extend_from_slice(hash.as_bytes());
	key
}

/// What a client's ciphertext starts with: `"medchain"`, then the format's version (1), then
/// the patient's 32-byte account id (the whole header is the AEAD's associated data, so it
/// cannot be changed without the data key).
pub const CIPHERTEXT_MAGIC: &[u8] = b"medchain\x01";

/// The 32-byte account id of the patient the ciphertext `bytes` was sealed for, read from its
/// header; `None` if it has none. The node serves a record's ciphertext only if it was sealed
/// for the record's patient, and sealers never pin one sealed for another patient than the one
/// whose records name it (bytes without a header they pin for anyone).
pub fn sealed_for(bytes: &[u8]) -> Option<[u8; 32]> {
	let account = bytes.strip_prefix(CIPHERTEXT_MAGIC)?.get(..32)?;
	<[u8; 32]>::try_from(account).ok()
}

/// The off-chain storage key of the node's [`StorageSettings`], written by the node at start-up
/// from its command line and environment, and again as its signing keys are renewed.
pub const STORAGE_SETTINGS_KEY: &[u8] = b"medchain/s3-settings-day-keys";

/// Where nodes before day keys kept their storage settings, the secret access key included.
/// The node removes it at start; no worker reads it.
pub const SECRET_BEARING_SETTINGS_KEY: &[u8] = b"medchain/s3-settings";

/// How many days' signing keys the node gives the worker: today's and tomorrow's (UTC), so the
/// worker signs across midnight before the node renews them.
pub const SIGNING_KEY_DAYS: u64 = 2;

/// The off-chain storage key the node sets, to the [`StorageSettings::bucket_identity`] of the
/// bucket, while its last check found S3 versioning enabled on it, and removes once a check
/// finds it off or suspended. While it names the bucket in the settings the pinning worker
/// uploads nothing: in such a bucket a `DELETE` only hides the object behind a delete marker,
/// so an erased record's ciphertext would stay. Naming the bucket keeps a node moved to a new
/// bucket from going by what it found of the old one.
pub const BUCKET_KEEPS_VERSIONS_KEY: &[u8] = b"medchain/s3-bucket-keeps-versions";

/// The AWS Signature V4 signing key of one day: it signs that day's requests to the bucket's
/// region (service `s3`) and nothing else, and the secret access key cannot be recovered from
/// it.
#[derive(Clone, PartialEq, Eq, Encode, Decode)]
pub struct DaySigningKey {
	/// The day, `YYYYMMDD` (UTC).
	pub date_stamp: [u8; 8],
	/// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), "s3"), "aws4_request")`.
	pub key: [u8; 32],
}

/// The off-chain storage key of how many requests to the bucket this node's pinning worker
/// could not make or saw fail (a SCALE `u64`, never reset): uploads and deletions that were
/// refused or unanswered, and ones it could not sign. The node exports it to Prometheus, the
/// one per-node signal of a sealer that cannot write to its bucket while others can.
pub const FAILED_REQUESTS_KEY: &[u8] = b"medchain/pinning/failed-requests";

/// Where a sealer node pins ciphertext: an S3-compatible bucket and what signs writes to it.
///
/// It holds no secret access key: the node keeps that in memory and gives the worker only the
/// signing keys of today and tomorrow, renewed as days pass. Off-chain storage is the node's
/// database on disk (and in its backups) and is readable over the node's unsafe RPC methods;
/// what leaks from it signs only requests dated on its two days (presigned URLs among them,
/// which S3 honours for at most 7 days more).
#[derive(Clone, PartialEq, Eq, Encode, Decode)]
pub struct StorageSettings {
	/// The endpoint's base URL, e.g. `https://s3.eu-central-1.amazonaws.com` or
	/// `http://127.0.0.1:8333`, without a trailing slash.
	pub endpoint: Vec<u8>,
	/// The bucket (path-style addressing).
	pub bucket: Vec<u8>,
	/// The signing region, e.g. `us-east-1`.
	pub region: Vec<u8>,
	/// The access key id.
	pub access_key_id: Vec<u8>,
	/// The signing keys of the days the worker may sign for ([`SIGNING_KEY_DAYS`]): never
	/// printed.
	pub signing_keys: Vec<DaySigningKey>,
	/// The wait after a failed upload or deletion, in milliseconds, doubled after each further
	/// failure (up to five minutes).
	pub retry_base_ms: u64,
	/// How deep a block must be for the node to treat it as final (its `--finality-depth`):
	/// the worker waits this long before acting on what a reorganisation could still undo.
	pub finality_depth: u32,
}

impl StorageSettings {
	/// What tells this bucket from any other: its endpoint and name, SCALE-encoded.
	pub fn bucket_identity(&self) -> Vec<u8> {
		(&self.endpoint, &self.bucket).encode()
	}
}

impl core::fmt::Debug for StorageSettings {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("StorageSettings")
			.field("endpoint", &core::str::from_utf8(&self.endpoint))
			.field("bucket", &core::str::from_utf8(&self.bucket))
			.field("region", &core::str::from_utf8(&self.region))
			.field("access_key_id", &core::str::from_utf8(&self.access_key_id))
			.field(
				"signing_keys",
				&self
					.signing_keys
					.iter()
					.map(|day| core::str::from_utf8(&day.date_stamp).unwrap_or("?"))
					.collect::<Vec<_>>(),
			)
			.field("retry_base_ms", &self.retry_base_ms)
			.field("finality_depth", &self.finality_depth)
			.finish()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn settings_name_the_key_days_never_the_keys() {
		let settings = StorageSettings {
			endpoint: b"http://127.0.0.1:8333".to_vec(),
			bucket: b"medchain".to_vec(),
			region: b"us-east-1".to_vec(),
			access_key_id: b"AKIDEXAMPLE".to_vec(),
			signing_keys: vec![DaySigningKey { date_stamp: *b"20261129", key: [0xab; 32] }],
			retry_base_ms: 2_000,
			finality_depth: 10,
		};
		let printed = format!("{settings:?}");
		assert!(printed.contains("AKIDEXAMPLE"));
		assert!(printed.contains("20261129"), "{printed}");
		assert!(!printed.contains("171") && !printed.contains("ab, ab"), "{printed}");
	}

	#[test]
	fn blob_keys_are_prefixed_hashes() {
		let hash = H256::repeat_byte(7);
		let key = blob_key(&hash);
		assert!(key.starts_with(BLOB_KEY_PREFIX));
		assert_eq!(&key[BLOB_KEY_PREFIX.len()..], hash.as_bytes());
	}
}
