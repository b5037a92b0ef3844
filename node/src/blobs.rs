//! `blobs_put` / `blobs_get`: clients hand a record's ciphertext to a consortium node, which
//! keeps it in its off-chain storage (where the pinning off-chain worker finds it) and serves
//! it back by SHA-256. The copy goes when no record references the ciphertext any more: the
//! erasure's block drops it through off-chain indexing (`pallet_pinning`).
//!
//! The node never sees plaintext: clients encrypt before putting. Every bad request gets a
//! JSON-RPC error with its own code and nothing is stored; the node stays up whatever arrives.

use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::ErrorObjectOwned,
};
use medchain_primitives::pinning::blob_key;
use sp_core::{
	offchain::{OffchainStorage, STORAGE_PREFIX},
	Bytes, H256,
};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The largest ciphertext `blobs_put` accepts by default: 4 MiB. Hex in JSON doubles it, which
/// stays under the RPC server's default 15 MiB request limit (`--rpc-max-request-size`).
pub const DEFAULT_MAX_BLOB_BYTES: usize = 4 * 1024 * 1024;

/// JSON-RPC error codes of the blob methods.
pub mod error_code {
	/// The blob is empty.
	pub const EMPTY: i32 = 4000;
	/// The blob is larger than the node's `--blob-max-bytes`.
	pub const TOO_LARGE: i32 = 4001;
	/// The node holds no blob with this SHA-256, and cloud storage does not either.
	pub const UNKNOWN: i32 = 4004;
	/// What the node or cloud storage holds under this SHA-256 does not hash to it.
	pub const CORRUPT: i32 = 4005;
	/// Cloud storage could not be asked.
	pub const STORAGE_UNAVAILABLE: i32 = 4030;
}

/// Where a blob the node no longer holds can be fetched from (the pinned copy in cloud storage).
#[async_trait]
pub trait RemoteBlobs: Send + Sync + 'static {
	/// The object stored for `hash`: `Ok(None)` if the store does not have it.
	async fn fetch(&self, hash: H256) -> Result<Option<Vec<u8>>, String>;
}

/// The ciphertext methods.
#[rpc(client, server)]
pub trait BlobsApi {
	/// Keeps `bytes` (a record's ciphertext) in this node for pinning; returns its SHA-256, the
	/// `content_hash` to register. Putting the same bytes again is harmless.
	#[method(name = "blobs_put")]
	fn put(&self, bytes: Bytes) -> RpcResult<H256>;

	/// The ciphertext whose SHA-256 is `hash`, from this node, or from cloud storage when the
	/// node no longer holds it. The bytes are checked against `hash` before they are returned.
	#[method(name = "blobs_get")]
	async fn get(&self, hash: H256) -> RpcResult<Bytes>;
}

/// The blob methods over the node's off-chain storage.
pub struct Blobs<S> {
	// `OffchainStorage::set` takes `&mut self`; the lock serialises writers of this handle.
	storage: Mutex<S>,
	max_bytes: usize,
	remote: Option<Arc<dyn RemoteBlobs>>,
}

impl<S: OffchainStorage> Blobs<S> {
	/// Blobs kept in `storage`, up to `max_bytes` each, falling back to `remote` for reads.
	pub fn new(storage: S, max_bytes: usize, remote: Option<Arc<dyn RemoteBlobs>>) -> Self {
		Self { storage: Mutex::new(storage), max_bytes, remote }
	}
}

impl<S> Blobs<S> {
	fn storage(&self) -> MutexGuard<'_, S> {
		// A writer that panicked left nothing half-written: `set` is one call.
		self.storage.lock().unwrap_or_else(PoisonError::into_inner)
	}
}

fn error(code: i32, message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(code, message.into(), None::<()>)
}

fn sha256(bytes: &[u8]) -> H256 {
	H256(sp_io::hashing::sha2_256(bytes))
}

#[async_trait]
impl<S: OffchainStorage + 'static> BlobsApiServer for Blobs<S> {
	fn put(&self, bytes: Bytes) -> RpcResult<H256> {
		if bytes.is_empty() {
			return Err(error(error_code::EMPTY, "the blob is empty"));
		}
		if bytes.len() > self.max_bytes {
			return Err(error(
				error_code::TOO_LARGE,
				format!(
					"the blob is {} bytes, more than this node's limit of {} (--blob-max-bytes)",
					bytes.len(),
					self.max_bytes
				),
			));
		}
		let hash = sha256(&bytes);
		self.storage().set(STORAGE_PREFIX, &blob_key(&hash), &bytes);
		log::debug!(target: "blobs", "kept blob {hash:?} of {} bytes", bytes.len());
		Ok(hash)
	}

	async fn get(&self, hash: H256) -> RpcResult<Bytes> {
		let local = self.storage().get(STORAGE_PREFIX, &blob_key(&hash));
		if let Some(bytes) = local {
			if sha256(&bytes) == hash {
				return Ok(bytes.into());
			}
			log::warn!(target: "blobs", "local copy of blob {hash:?} is corrupt; asking cloud storage");
		}
		let Some(remote) = &self.remote else {
			return Err(error(error_code::UNKNOWN, format!("no blob {hash:?} on this node")));
		};
		match remote.fetch(hash).await {
			Ok(Some(bytes)) if sha256(&bytes) == hash => Ok(bytes.into()),
			Ok(Some(_)) => Err(error(
				error_code::CORRUPT,
				format!("cloud storage's copy of {hash:?} does not match its hash"),
			)),
			Ok(None) => Err(error(
				error_code::UNKNOWN,
				format!("no blob {hash:?} on this node or in cloud storage"),
			)),
			Err(reason) => Err(error(
				error_code::STORAGE_UNAVAILABLE,
				format!("cloud storage could not be asked for {hash:?}: {reason}"),
			)),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::offchain::storage::InMemOffchainStorage;

	struct FixedRemote(Result<Option<Vec<u8>>, String>);

	#[async_trait]
	impl RemoteBlobs for FixedRemote {
		async fn fetch(&self, _hash: H256) -> Result<Option<Vec<u8>>, String> {
			self.0.clone()
		}
	}

	fn blobs(remote: Option<FixedRemote>) -> Blobs<InMemOffchainStorage> {
		Blobs::new(
			InMemOffchainStorage::default(),
			16,
			remote.map(|r| Arc::new(r) as Arc<dyn RemoteBlobs>),
		)
	}

	fn code<T: std::fmt::Debug>(result: RpcResult<T>) -> i32 {
		result.expect_err("an error").code()
	}

	#[test]
	fn put_keeps_the_bytes_under_their_sha256() {
		let blobs = blobs(None);
		let hash = blobs.put(Bytes(b"ciphertext".to_vec())).unwrap();
		assert_eq!(hash, sha256(b"ciphertext"));
		assert_eq!(
			blobs.storage().get(STORAGE_PREFIX, &blob_key(&hash)),
			Some(b"ciphertext".to_vec())
		);
		// Again: same hash, nothing else changes.
		assert_eq!(blobs.put(Bytes(b"ciphertext".to_vec())).unwrap(), hash);
	}

	#[test]
	fn empty_and_oversized_blobs_are_refused_and_not_kept() {
		let blobs = blobs(None);
		assert_eq!(code(blobs.put(Bytes(Vec::new()))), error_code::EMPTY);
		let too_big = vec![7u8; 17];
		assert_eq!(code(blobs.put(Bytes(too_big.clone()))), error_code::TOO_LARGE);
		assert_eq!(blobs.storage().get(STORAGE_PREFIX, &blob_key(&sha256(&too_big))), None);
		// Exactly the limit is fine.
		assert!(blobs.put(Bytes(vec![7u8; 16])).is_ok());
	}

	#[tokio::test]
	async fn get_serves_local_blobs_and_names_unknown_ones() {
		let blobs = blobs(None);
		let hash = blobs.put(Bytes(b"sealed".to_vec())).unwrap();
		assert_eq!(blobs.get(hash).await.unwrap().0, b"sealed".to_vec());
		assert_eq!(code(blobs.get(H256::repeat_byte(1)).await), error_code::UNKNOWN);
	}

	#[tokio::test]
	async fn get_falls_back_to_cloud_storage_and_checks_what_comes_back() {
		let hash = sha256(b"pinned elsewhere");
		let found = blobs(Some(FixedRemote(Ok(Some(b"pinned elsewhere".to_vec())))));
		assert_eq!(found.get(hash).await.unwrap().0, b"pinned elsewhere".to_vec());
		let tampered = blobs(Some(FixedRemote(Ok(Some(b"tampered".to_vec())))));
		assert_eq!(code(tampered.get(hash).await), error_code::CORRUPT);
		let missing = blobs(Some(FixedRemote(Ok(None))));
		assert_eq!(code(missing.get(hash).await), error_code::UNKNOWN);
		let down = blobs(Some(FixedRemote(Err("connection refused".into()))));
		assert_eq!(code(down.get(hash).await), error_code::STORAGE_UNAVAILABLE);
	}

	#[tokio::test]
	async fn a_corrupt_local_copy_is_never_served() {
		let blobs = blobs(None);
		let hash = sha256(b"original");
		blobs.storage().set(STORAGE_PREFIX, &blob_key(&hash), b"bit-flipped");
		assert_eq!(code(blobs.get(hash).await), error_code::UNKNOWN);
	}
}
