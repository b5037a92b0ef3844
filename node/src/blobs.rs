//! `blobs_put` / `blobs_get`: clients hand a record's ciphertext to a consortium node, which
//! keeps it in its off-chain storage (where the pinning off-chain worker finds it) and serves
//! it back by SHA-256. The copy goes when no record references the ciphertext any more: the
//! erasure's block drops it through off-chain indexing (`pallet_pinning`).
//!
//! Every new blob is *staged*: it counts against the node's staging quota
//! (`--blob-staging-quota`) and is deleted if, `--blob-staging-ttl` after it was put, no record
//! references it at the best or the finalized block. It leaves staging, to stay until the
//! record is erased, once a record referencing it is finalized. Whoever can reach the RPC can
//! therefore hold at most the quota of the node's disk, each blob for at most the TTL.
//!
//! The node never sees plaintext: clients encrypt before putting. Every bad request gets a
//! JSON-RPC error with its own code and nothing is stored; the node stays up whatever arrives.

use codec::{Decode, Encode};
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
use std::{
	sync::{Arc, Mutex, MutexGuard, PoisonError},
	time::{Duration, SystemTime, UNIX_EPOCH},
};

/// The largest ciphertext `blobs_put` accepts by default: 4 MiB. Hex in JSON doubles it, which
/// stays under the RPC server's default 15 MiB request limit (`--rpc-max-request-size`).
pub const DEFAULT_MAX_BLOB_BYTES: usize = 4 * 1024 * 1024;
/// How long a put blob may wait for its record by default: one hour.
pub const DEFAULT_STAGING_TTL_SECS: u64 = 60 * 60;
/// How many bytes of staged blobs a node keeps by default: 1 GiB.
pub const DEFAULT_STAGING_QUOTA_BYTES: u64 = 1024 * 1024 * 1024;
/// The most blobs staged at once, whatever their size: the index of staged blobs is one
/// off-chain storage value, rewritten on every put (about 180 KiB at this count).
pub const MAX_STAGED_BLOBS: usize = 4_096;

/// The off-chain storage key of the index of staged blobs.
const STAGED_INDEX_KEY: &[u8] = b"medchain/blobs/staged";

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
	/// The node's staging quota is taken by blobs no record references yet: register the
	/// records of those already put, or try again once unclaimed ones expire.
	pub const STAGING_FULL: i32 = 4029;
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
	///
	/// Register the record within the node's staging TTL (`--blob-staging-ttl`, one hour by
	/// default): a blob no record references by then is deleted. Refused with code 4029 while
	/// blobs waiting for their records fill the node's staging quota.
	#[method(name = "blobs_put")]
	fn put(&self, bytes: Bytes) -> RpcResult<H256>;

	/// The ciphertext whose SHA-256 is `hash`, from this node, or from cloud storage when the
	/// node no longer holds it. The bytes are checked against `hash` before they are returned.
	#[method(name = "blobs_get")]
	async fn get(&self, hash: H256) -> RpcResult<Bytes>;
}

/// Whether live records reference a ciphertext, at the node's best and finalized blocks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Referenced {
	/// At the best block: the record may still be reorganised away.
	pub at_best: bool,
	/// At the finalized block: for good.
	pub at_finalized: bool,
}

/// Asks the chain about ciphertexts.
pub trait References: Send + Sync + 'static {
	/// Where live records reference the ciphertext `hash`; `Err` if that cannot be told now
	/// (the blob is then kept).
	fn is_referenced(&self, hash: H256) -> Result<Referenced, String>;
}

/// How long a blob no record references is kept, and how many bytes such blobs may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StagingLimits {
	/// Deleted this long after being put unless a record references it by then.
	pub ttl: Duration,
	/// The most bytes staged blobs may take together.
	pub quota_bytes: u64,
}

impl Default for StagingLimits {
	fn default() -> Self {
		Self {
			ttl: Duration::from_secs(DEFAULT_STAGING_TTL_SECS),
			quota_bytes: DEFAULT_STAGING_QUOTA_BYTES,
		}
	}
}

impl StagingLimits {
	/// How often staged blobs are looked at: a quarter of the TTL, between 1 s and 1 min, so
	/// that an unclaimed blob outlives its TTL by at most a quarter of it (or a minute).
	pub fn sweep_period(&self) -> Duration {
		(self.ttl / 4).clamp(Duration::from_secs(1), Duration::from_secs(60))
	}
}

/// A blob put but not yet referenced by a record.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
struct Staged {
	hash: H256,
	size: u64,
	put_at_ms: u64,
}

/// What one sweep of the staged blobs did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
	/// Blobs a finalized record now references: no longer staged, kept.
	pub claimed: usize,
	/// Blobs nobody referenced within the TTL: deleted.
	pub expired: usize,
	/// Blobs still waiting for their record.
	pub waiting: usize,
}

/// The blob methods over the node's off-chain storage. Clones share the storage handle, so
/// the RPC server and the staging sweeper serialise their writes.
pub struct Blobs<S> {
	inner: Arc<Inner<S>>,
}

impl<S> Clone for Blobs<S> {
	fn clone(&self) -> Self {
		Self { inner: self.inner.clone() }
	}
}

struct Inner<S> {
	// `OffchainStorage::set` takes `&mut self`; the lock serialises writers of this handle.
	storage: Mutex<S>,
	max_bytes: usize,
	remote: Option<Arc<dyn RemoteBlobs>>,
	references: Arc<dyn References>,
	staging: StagingLimits,
}

impl<S: OffchainStorage> Blobs<S> {
	/// Blobs kept in `storage`, up to `max_bytes` each, falling back to `remote` for reads;
	/// those `references` does not know are staged within `staging`.
	pub fn new(
		storage: S,
		max_bytes: usize,
		remote: Option<Arc<dyn RemoteBlobs>>,
		references: Arc<dyn References>,
		staging: StagingLimits,
	) -> Self {
		Self {
			inner: Arc::new(Inner {
				storage: Mutex::new(storage),
				max_bytes,
				remote,
				references,
				staging,
			}),
		}
	}

	/// Keeps `bytes` as of `now_ms`, staged if the node did not hold them yet.
	fn put_at(&self, bytes: &[u8], now_ms: u64) -> RpcResult<H256> {
		if bytes.is_empty() {
			return Err(error(error_code::EMPTY, "the blob is empty"));
		}
		if bytes.len() > self.inner.max_bytes {
			return Err(error(
				error_code::TOO_LARGE,
				format!(
					"the blob is {} bytes, more than this node's limit of {} (--blob-max-bytes)",
					bytes.len(),
					self.inner.max_bytes
				),
			));
		}
		let hash = sha256(bytes);
		let key = blob_key(&hash);
		let mut storage = self.storage();
		let held = storage.get(STORAGE_PREFIX, &key);
		if held.as_deref() == Some(bytes) {
			// Put again: nothing changes, the TTL included (else re-putting would hold a
			// blob for ever).
			return Ok(hash);
		}
		// Staged even if a record references it now: the erasure that drops it could be
		// imported between that check and this write, and leave it for good. A copy that does
		// not match is corrupt: replaced, and staged as it was or was not.
		if held.is_none() {
			let mut staged = staged_index(&*storage);
			let staged_bytes: u64 = staged.iter().map(|blob| blob.size).sum();
			let size = bytes.len() as u64;
			if staged.len() >= MAX_STAGED_BLOBS
				|| staged_bytes.saturating_add(size) > self.inner.staging.quota_bytes
			{
				return Err(error(
					error_code::STAGING_FULL,
					format!(
						"{} blobs ({staged_bytes} bytes) wait for their records on this node, \
						 the most it keeps (--blob-staging-quota {} bytes, {MAX_STAGED_BLOBS} \
						 blobs); try again later",
						staged.len(),
						self.inner.staging.quota_bytes
					),
				));
			}
			staged.push(Staged { hash, size, put_at_ms: now_ms });
			// The index first: a crash between the two writes leaves an entry the sweep
			// clears, never a blob that no sweep would find.
			storage.set(STORAGE_PREFIX, STAGED_INDEX_KEY, &staged.encode());
		}
		storage.set(STORAGE_PREFIX, &key, bytes);
		log::debug!(target: "blobs", "kept blob {hash:?} of {} bytes", bytes.len());
		Ok(hash)
	}

	/// Looks at the staged blobs as of `now_ms`: those a finalized record references leave
	/// staging, those past the TTL that no record references at the best or the finalized
	/// block are deleted.
	pub fn sweep(&self, now_ms: u64) -> SweepReport {
		let staged = staged_index(&*self.storage());
		if staged.is_empty() {
			return SweepReport::default();
		}
		// The runtime is asked without holding the lock, so puts go on meanwhile.
		let ttl_ms = u64::try_from(self.inner.staging.ttl.as_millis()).unwrap_or(u64::MAX);
		let mut claimed = Vec::new();
		let mut expired = Vec::new();
		for blob in &staged {
			match self.inner.references.is_referenced(blob.hash) {
				Ok(Referenced { at_finalized: true, .. }) => claimed.push(blob.clone()),
				Ok(Referenced { at_best: false, .. })
					if now_ms >= blob.put_at_ms.saturating_add(ttl_ms) =>
				{
					expired.push(blob.clone())
				},
				Ok(_) => {},
				Err(reason) => log::debug!(
					target: "blobs",
					"cannot tell whether blob {:?} is referenced, kept: {reason}",
					blob.hash
				),
			}
		}
		let mut storage = self.storage();
		// Only entries unchanged since the index was read are acted on: one put or put again
		// meanwhile waits for the next sweep.
		let mut report = SweepReport::default();
		let mut remaining = Vec::new();
		for blob in staged_index(&*storage) {
			if claimed.contains(&blob) {
				report.claimed += 1;
			} else if expired.contains(&blob) {
				storage.remove(STORAGE_PREFIX, &blob_key(&blob.hash));
				report.expired += 1;
				log::info!(
					target: "blobs",
					"deleted blob {:?} ({} bytes): no record referenced it within the staging TTL",
					blob.hash,
					blob.size
				);
			} else {
				remaining.push(blob);
			}
		}
		if remaining.is_empty() {
			storage.remove(STORAGE_PREFIX, STAGED_INDEX_KEY);
		} else {
			storage.set(STORAGE_PREFIX, STAGED_INDEX_KEY, &remaining.encode());
		}
		report.waiting = remaining.len();
		report
	}
}

impl<S> Blobs<S> {
	fn storage(&self) -> MutexGuard<'_, S> {
		// A writer that panicked left nothing half-written: `set` is one call.
		self.inner.storage.lock().unwrap_or_else(PoisonError::into_inner)
	}
}

/// The staged blobs, oldest first; an unreadable index counts as empty (its blobs then stay
/// until their records are erased, as before staging existed).
fn staged_index<S: OffchainStorage>(storage: &S) -> Vec<Staged> {
	storage
		.get(STORAGE_PREFIX, STAGED_INDEX_KEY)
		.and_then(|encoded| Vec::<Staged>::decode(&mut &encoded[..]).ok())
		.unwrap_or_default()
}

/// Sweeps `blobs`' staged blobs every [`StagingLimits::sweep_period`], for ever. Runs on a
/// thread of its own: a sweep calls the runtime once per staged blob.
pub async fn sweep_staged_blobs<S: OffchainStorage>(blobs: Blobs<S>) {
	let period = blobs.inner.staging.sweep_period();
	loop {
		tokio::time::sleep(period).await;
		let report = blobs.sweep(unix_time_ms());
		if report.claimed > 0 || report.expired > 0 {
			log::debug!(target: "blobs", "staged blobs: {report:?}");
		}
	}
}

fn unix_time_ms() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|since| u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
		.unwrap_or(0)
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
		self.put_at(&bytes, unix_time_ms())
	}

	async fn get(&self, hash: H256) -> RpcResult<Bytes> {
		let local = self.storage().get(STORAGE_PREFIX, &blob_key(&hash));
		if let Some(bytes) = local {
			if sha256(&bytes) == hash {
				return Ok(bytes.into());
			}
			log::warn!(target: "blobs", "local copy of blob {hash:?} is corrupt; asking cloud storage");
		}
		let Some(remote) = &self.inner.remote else {
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

	/// The chain as the tests set it: which ciphertexts live records reference at the best
	/// and the finalized block, or that the runtime cannot be asked.
	#[derive(Default)]
	struct Chain {
		referenced: Mutex<std::collections::BTreeMap<H256, Referenced>>,
		unreachable: std::sync::atomic::AtomicBool,
	}

	impl Chain {
		fn set(&self, bytes: &[u8], at_best: bool, at_finalized: bool) {
			self.referenced
				.lock()
				.unwrap()
				.insert(sha256(bytes), Referenced { at_best, at_finalized });
		}

		/// A record referencing `bytes` is in the best block, not yet finalized.
		fn include(&self, bytes: &[u8]) {
			self.set(bytes, true, false);
		}

		/// A record referencing `bytes` is finalized.
		fn finalize(&self, bytes: &[u8]) {
			self.set(bytes, true, true);
		}
	}

	impl References for Chain {
		fn is_referenced(&self, hash: H256) -> Result<Referenced, String> {
			if self.unreachable.load(std::sync::atomic::Ordering::SeqCst) {
				return Err("no runtime".into());
			}
			Ok(self.referenced.lock().unwrap().get(&hash).copied().unwrap_or_default())
		}
	}

	const TTL_MS: u64 = 60_000;
	const QUOTA: u64 = 40;

	fn staged_blobs(chain: Arc<Chain>) -> Blobs<InMemOffchainStorage> {
		let staging = StagingLimits { ttl: Duration::from_millis(TTL_MS), quota_bytes: QUOTA };
		Blobs::new(InMemOffchainStorage::default(), 16, None, chain, staging)
	}

	fn blobs(remote: Option<FixedRemote>) -> Blobs<InMemOffchainStorage> {
		Blobs::new(
			InMemOffchainStorage::default(),
			16,
			remote.map(|r| Arc::new(r) as Arc<dyn RemoteBlobs>),
			Arc::new(Chain::default()),
			StagingLimits::default(),
		)
	}

	fn held(blobs: &Blobs<InMemOffchainStorage>, bytes: &[u8]) -> bool {
		blobs.storage().get(STORAGE_PREFIX, &blob_key(&sha256(bytes))).is_some()
	}

	fn staged_hashes(blobs: &Blobs<InMemOffchainStorage>) -> Vec<H256> {
		staged_index(&*blobs.storage()).into_iter().map(|blob| blob.hash).collect()
	}

	#[test]
	fn a_blob_no_record_claims_within_the_ttl_is_deleted() {
		let chain = Arc::new(Chain::default());
		let blobs = staged_blobs(chain.clone());
		blobs.put_at(b"orphan", 1_000).unwrap();
		blobs.put_at(b"claimed", 1_000).unwrap();
		assert_eq!(staged_hashes(&blobs), vec![sha256(b"orphan"), sha256(b"claimed")]);
		chain.finalize(b"claimed");

		// Before the TTL: the claimed one leaves staging, the other waits.
		let report = blobs.sweep(1_000 + TTL_MS - 1);
		assert_eq!(report, SweepReport { claimed: 1, expired: 0, waiting: 1 });
		assert_eq!(staged_hashes(&blobs), vec![sha256(b"orphan")]);

		let report = blobs.sweep(1_000 + TTL_MS);
		assert_eq!(report, SweepReport { claimed: 0, expired: 1, waiting: 0 });
		assert!(!held(&blobs, b"orphan"));
		assert!(held(&blobs, b"claimed"));
		assert!(staged_hashes(&blobs).is_empty());
		// The claimed blob stays however late it is: only its erasure drops it.
		assert_eq!(blobs.sweep(u64::MAX), SweepReport::default());
		assert!(held(&blobs, b"claimed"));
	}

	#[test]
	fn the_staging_quota_bounds_what_unclaimed_blobs_take() {
		let chain = Arc::new(Chain::default());
		let blobs = staged_blobs(chain.clone());
		blobs.put_at(&[1u8; 16], 0).unwrap();
		blobs.put_at(&[2u8; 16], 0).unwrap();
		// 32 of 40 bytes staged: 9 more do not fit, and nothing is kept of them.
		assert_eq!(code(blobs.put_at(&[3u8; 9], 0)), error_code::STAGING_FULL);
		assert!(!held(&blobs, &[3u8; 9]));
		blobs.put_at(&[4u8; 8], 0).unwrap();
		// A record only in the best block does not free the room yet; a finalized one does.
		chain.include(&[1u8; 16]);
		blobs.sweep(1);
		assert_eq!(code(blobs.put_at(&[3u8; 9], 1)), error_code::STAGING_FULL);
		chain.finalize(&[1u8; 16]);
		blobs.sweep(1);
		blobs.put_at(&[3u8; 9], 1).unwrap();
	}

	#[test]
	fn at_most_max_staged_blobs_wait_whatever_their_size() {
		let blobs = Blobs::new(
			InMemOffchainStorage::default(),
			16,
			None,
			Arc::new(Chain::default()),
			StagingLimits { ttl: Duration::from_secs(60), quota_bytes: u64::MAX },
		);
		for n in 0..MAX_STAGED_BLOBS as u32 {
			blobs.put_at(&n.to_le_bytes(), 0).unwrap();
		}
		assert_eq!(code(blobs.put_at(b"one more", 0)), error_code::STAGING_FULL);
	}

	#[test]
	fn putting_again_counts_once_and_keeps_the_deadline() {
		let blobs = staged_blobs(Arc::new(Chain::default()));
		blobs.put_at(&[1u8; 16], 0).unwrap();
		blobs.put_at(&[1u8; 16], TTL_MS / 2).unwrap();
		assert_eq!(staged_hashes(&blobs).len(), 1);
		assert_eq!(blobs.sweep(TTL_MS).expired, 1);
		assert!(!held(&blobs, &[1u8; 16]));
	}

	#[test]
	fn a_record_not_yet_final_keeps_its_blob_and_a_reorganised_one_does_not() {
		let chain = Arc::new(Chain::default());
		let blobs = staged_blobs(chain.clone());
		blobs.put_at(b"pending", 0).unwrap();
		blobs.put_at(b"reorganised", 0).unwrap();
		chain.include(b"pending");
		chain.include(b"reorganised");
		// Past the TTL, both records are in the best block: kept, still staged.
		assert_eq!(blobs.sweep(TTL_MS), SweepReport { claimed: 0, expired: 0, waiting: 2 });
		// One record is finalized; the other's block is reorganised away.
		chain.finalize(b"pending");
		chain.set(b"reorganised", false, false);
		assert_eq!(blobs.sweep(TTL_MS + 1), SweepReport { claimed: 1, expired: 1, waiting: 0 });
		assert!(held(&blobs, b"pending"));
		assert!(!held(&blobs, b"reorganised"));
	}

	#[test]
	fn a_blob_put_while_its_record_is_live_is_staged_all_the_same() {
		// Its erasure could be imported between the check and the write: only staging makes
		// sure such a copy does not stay for good.
		let chain = Arc::new(Chain::default());
		chain.finalize(b"registered");
		let blobs = staged_blobs(chain.clone());
		blobs.put_at(b"registered", 0).unwrap();
		assert_eq!(staged_hashes(&blobs), vec![sha256(b"registered")]);
		chain.set(b"registered", false, false);
		assert_eq!(blobs.sweep(TTL_MS).expired, 1);
		assert!(!held(&blobs, b"registered"));
	}

	#[test]
	fn nothing_is_deleted_while_the_chain_cannot_be_asked() {
		let chain = Arc::new(Chain::default());
		let blobs = staged_blobs(chain.clone());
		blobs.put_at(b"waiting", 0).unwrap();
		chain.unreachable.store(true, std::sync::atomic::Ordering::SeqCst);
		assert_eq!(blobs.sweep(10 * TTL_MS), SweepReport { claimed: 0, expired: 0, waiting: 1 });
		assert!(held(&blobs, b"waiting"));
		chain.unreachable.store(false, std::sync::atomic::Ordering::SeqCst);
		assert_eq!(blobs.sweep(10 * TTL_MS).expired, 1);
	}

	#[test]
	fn the_sweep_period_follows_the_ttl_within_bounds() {
		let limits = |secs| StagingLimits { ttl: Duration::from_secs(secs), quota_bytes: 1 };
		assert_eq!(limits(2).sweep_period(), Duration::from_secs(1));
		assert_eq!(limits(20).sweep_period(), Duration::from_secs(5));
		assert_eq!(limits(3_600).sweep_period(), Duration::from_secs(60));
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
