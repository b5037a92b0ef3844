//! Prometheus gauges of the consortium's pinning backlog at the best block, so that a sealer's
//! operators can alert on uploads that do not happen (expired cloud credentials, a full
//! bucket, sealers offline) without reading chain state by hand:
//!
//! - `medchain_pinning_pending_requests`: records whose ciphertext fewer sealers than the
//!   replication target have confirmed storing, and that may still reach it;
//! - `medchain_pinning_failed_requests`: records whose ciphertext cannot reach the target for
//!   now (too many sealers reported failing; confirmations that withdraw reports reopen them);
//! - `medchain_pinning_oldest_pending_blocks`: how many blocks the oldest pending request has
//!   waited (0 when none waits);
//! - `medchain_pinning_unpin_requests`: erased ciphertexts some sealer has yet to delete;
//! - `medchain_pinning_oldest_unpin_blocks`: how many blocks the oldest of those has waited
//!   (0 when none waits). A holder that left the consortium with its copy keeps its request
//!   open for good, so the count alone cannot tell a stuck deletion from a busy day;
//! - `medchain_pinning_unreadable_requests`: pin and unpin requests this node could not
//!   decode (a runtime upgrade changed their layout before the node was upgraded), which the
//!   other gauges leave out;
//! - `medchain_pinning_backlog_block`: the best block the gauges were read at, so that gauges
//!   that stopped following the chain can be told from a quiet chain.
//!
//! They are chain-wide: one sealer that cannot upload while others reach the replication
//! target moves none of them. For that, a counter of this node alone:
//!
//! - `medchain_pinning_bucket_request_failures_total`: requests this node's pinning worker
//!   made to its bucket (uploads, deletions) that were refused or unanswered, or that it could
//!   not sign, since its database was created. It follows the worker's count in off-chain
//!   storage, so it may lag the worker by a block.
//!
//! The backlog gauges are read from the pinning pallet's
//! storage after new best blocks, in a blocking task of their own: the `Pending` index holds
//! only requests that are not pinned, so the work follows the backlog, never the number of
//! records.

use crate::service::FullClient;
use codec::{Decode, DecodeAll};
use frame_support::storage::StoragePrefixedMap;
use medchain_primitives::{health::RecordId, pinning::FAILED_REQUESTS_KEY};
use medchain_runtime::{opaque::Block, BlockNumber, Runtime};
use pallet_pinning::{Pending, PinRequestOf, PinStatus, Pins, UnpinRequestOf, Unpins};
use sc_client_api::{BlockchainEvents, StorageProvider};
use sp_blockchain::HeaderBackend;
use sp_core::{
	offchain::{OffchainStorage, STORAGE_PREFIX},
	storage::StorageKey,
};
use std::sync::Arc;
use substrate_prometheus_endpoint::{register, Counter, Gauge, PrometheusError, Registry, U64};

/// The pinning backlog at one block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backlog {
	/// Requests still pending.
	pub pending: u64,
	/// Requests that failed.
	pub failed: u64,
	/// Blocks since the oldest pending request was made; 0 when none is pending.
	pub oldest_pending_blocks: u64,
	/// Erased ciphertexts not yet deleted by every sealer that stored them.
	pub unpins: u64,
	/// Blocks since the oldest of those was erased; 0 when none is waiting.
	pub oldest_unpin_blocks: u64,
	/// Requests that could not be decoded, left out of the counts above.
	pub unreadable: u64,
}

impl Backlog {
	/// The backlog at block `best`, from the status and request block of each request that is
	/// not pinned, and the request block of each unpin request (`None`: a request that could
	/// not be decoded).
	pub fn at(
		best: BlockNumber,
		unpinned: impl IntoIterator<Item = Option<(PinStatus, BlockNumber)>>,
		unpins: impl IntoIterator<Item = Option<BlockNumber>>,
	) -> Self {
		let mut backlog = Backlog::default();
		let mut oldest: Option<BlockNumber> = None;
		let mut oldest_unpin: Option<BlockNumber> = None;
		for request in unpinned {
			let Some((status, requested_at)) = request else {
				backlog.unreadable = backlog.unreadable.saturating_add(1);
				continue;
			};
			match status {
				PinStatus::Pending => {
					backlog.pending = backlog.pending.saturating_add(1);
					oldest = Some(oldest.map_or(requested_at, |block| block.min(requested_at)));
				},
				PinStatus::Failed => backlog.failed = backlog.failed.saturating_add(1),
				// `Pending` never lists a pinned request; nothing is owed for one anyway.
				PinStatus::Pinned => {},
			}
		}
		for unpin in unpins {
			let Some(requested_at) = unpin else {
				backlog.unreadable = backlog.unreadable.saturating_add(1);
				continue;
			};
			backlog.unpins = backlog.unpins.saturating_add(1);
			oldest_unpin = Some(oldest_unpin.map_or(requested_at, |block| block.min(requested_at)));
		}
		let waited = |since: Option<BlockNumber>| {
			since.map_or(0, |block| u64::from(best.saturating_sub(block)))
		};
		backlog.oldest_pending_blocks = waited(oldest);
		backlog.oldest_unpin_blocks = waited(oldest_unpin);
		backlog
	}
}

/// The gauges, registered once.
#[derive(Clone)]
pub struct PinningGauges {
	pending: Gauge<U64>,
	failed: Gauge<U64>,
	oldest_pending_blocks: Gauge<U64>,
	unpins: Gauge<U64>,
	oldest_unpin_blocks: Gauge<U64>,
	unreadable: Gauge<U64>,
	read_at: Gauge<U64>,
	bucket_request_failures: Counter<U64>,
}

impl PinningGauges {
	/// Registers the gauges in `registry`.
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		let gauge = |name: &str, help: &str| register(Gauge::<U64>::new(name, help)?, registry);
		Ok(Self {
			pending: gauge(
				"medchain_pinning_pending_requests",
				"Records whose ciphertext is not yet stored by enough sealers, at the best block",
			)?,
			failed: gauge(
				"medchain_pinning_failed_requests",
				"Records whose ciphertext cannot be stored by enough sealers for now, at the best \
				 block",
			)?,
			oldest_pending_blocks: gauge(
				"medchain_pinning_oldest_pending_blocks",
				"Blocks the oldest pending pin request has waited (0 if none), at the best block",
			)?,
			unpins: gauge(
				"medchain_pinning_unpin_requests",
				"Erased ciphertexts some sealer has yet to delete, at the best block",
			)?,
			oldest_unpin_blocks: gauge(
				"medchain_pinning_oldest_unpin_blocks",
				"Blocks the oldest unpin request has waited for its deletions (0 if none), at the \
				 best block",
			)?,
			unreadable: gauge(
				"medchain_pinning_unreadable_requests",
				"Pin and unpin requests this node cannot decode, left out of the other pinning \
				 gauges",
			)?,
			read_at: gauge(
				"medchain_pinning_backlog_block",
				"The best block the pinning gauges were last read at",
			)?,
			bucket_request_failures: register(
				Counter::<U64>::new(
					"medchain_pinning_bucket_request_failures_total",
					"Requests this node's pinning worker made to its bucket that failed or could \
					 not be signed",
				)?,
				registry,
			)?,
		})
	}

	fn set(&self, backlog: &Backlog, read_at: BlockNumber) {
		if backlog.unreadable > 0 && self.unreadable.get() == 0 {
			log::warn!(
				target: "pinning",
				"{} pin or unpin requests cannot be decoded by this node (upgrade it to the runtime's \
				 release): the pinning gauges leave them out",
				backlog.unreadable,
			);
		}
		self.pending.set(backlog.pending);
		self.failed.set(backlog.failed);
		self.oldest_pending_blocks.set(backlog.oldest_pending_blocks);
		self.unpins.set(backlog.unpins);
		self.oldest_unpin_blocks.set(backlog.oldest_unpin_blocks);
		self.unreadable.set(backlog.unreadable);
		self.read_at.set(u64::from(read_at));
	}

	/// Brings the failure counter up to `counted`, the worker's count.
	fn follow_failures(&self, counted: u64) {
		let behind = counted.saturating_sub(self.bucket_request_failures.get());
		if behind > 0 {
			self.bucket_request_failures.inc_by(behind);
		}
	}
}

/// The worker's count of failed requests to the bucket, in `storage` (0 until one fails).
fn failed_bucket_requests(storage: &impl OffchainStorage) -> u64 {
	storage
		.get(STORAGE_PREFIX, FAILED_REQUESTS_KEY)
		.and_then(|count| u64::decode_all(&mut &count[..]).ok())
		.unwrap_or(0)
}

/// The backlog at the block `at` (numbered `number`), read from storage; `None` if its state
/// cannot be read.
fn backlog_at(
	client: &FullClient,
	at: <Block as sp_runtime::traits::Block>::Hash,
	number: BlockNumber,
) -> Option<Backlog> {
	let keys_under =
		|prefix: [u8; 32]| client.storage_keys(at, Some(&StorageKey(prefix.to_vec())), None).ok();
	let mut unpinned = Vec::new();
	for key in keys_under(Pending::<Runtime>::final_prefix())? {
		// `Twox64Concat`: 32 bytes of prefix, 8 of hash, then the record id itself.
		let Some(record) = key.0.get(40..).and_then(|mut id| RecordId::decode_all(&mut id).ok())
		else {
			unpinned.push(None);
			continue;
		};
		let pin_key = StorageKey(Pins::<Runtime>::hashed_key_for(record));
		let Some(data) = client.storage(at, &pin_key).ok()? else {
			// The index and the requests change in the same block; a key without its request
			// would be a bug elsewhere, not a backlog entry.
			continue;
		};
		let request = PinRequestOf::<Runtime>::decode(&mut &data.0[..]).ok();
		unpinned.push(request.map(|request| (request.status, request.requested_at)));
	}
	let mut unpins = Vec::new();
	for key in keys_under(Unpins::<Runtime>::final_prefix())? {
		let Some(data) = client.storage(at, &key).ok()? else { continue };
		let request = UnpinRequestOf::<Runtime>::decode(&mut &data.0[..]).ok();
		unpins.push(request.map(|request| request.requested_at));
	}
	Some(Backlog::at(number, unpinned, unpins))
}

/// Keeps the gauges at the best block's backlog, updating them after new best blocks: once
/// for all the imports already waiting, as each would read the same best block. Its storage
/// reads block the thread, so it runs as a blocking task.
pub async fn run(
	client: Arc<FullClient>,
	offchain_storage: impl OffchainStorage,
	gauges: PinningGauges,
) {
	use futures::{FutureExt, StreamExt};
	let mut imports = client.import_notification_stream();
	let update = |client: &FullClient| {
		gauges.follow_failures(failed_bucket_requests(&offchain_storage));
		let info = client.info();
		match backlog_at(client, info.best_hash, info.best_number) {
			Some(backlog) => gauges.set(&backlog, info.best_number),
			None => {
				log::warn!(target: "pinning", "cannot read the pinning backlog at the best block")
			},
		}
	};
	update(&client);
	while let Some(notification) = imports.next().await {
		let mut new_best = notification.is_new_best;
		while let Some(Some(waiting)) = imports.next().now_or_never() {
			new_best |= waiting.is_new_best;
		}
		if new_best {
			update(&client);
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_backlog_counts_pending_and_failed_requests_and_the_oldest_wait() {
		let backlog = Backlog::at(
			100,
			[
				Some((PinStatus::Pending, 90)),
				Some((PinStatus::Failed, 10)),
				Some((PinStatus::Pending, 60)),
			],
			[],
		);
		assert_eq!(
			backlog,
			Backlog { pending: 2, failed: 1, oldest_pending_blocks: 40, ..Default::default() }
		);
	}

	#[test]
	fn a_failed_request_is_no_pending_wait() {
		let backlog = Backlog::at(100, [Some((PinStatus::Failed, 1))], []);
		assert_eq!(backlog, Backlog { failed: 1, ..Default::default() });
		assert_eq!(Backlog::at(100, [], []), Backlog::default());
	}

	#[test]
	fn the_backlog_counts_unpin_requests_and_the_oldest_wait_for_deletion() {
		let backlog =
			Backlog::at(100, [Some((PinStatus::Pending, 90))], [Some(70), Some(20), Some(95)]);
		assert_eq!(
			backlog,
			Backlog {
				pending: 1,
				oldest_pending_blocks: 10,
				unpins: 3,
				oldest_unpin_blocks: 80,
				..Default::default()
			}
		);
	}

	#[test]
	fn the_failure_counter_follows_the_workers_count() {
		use codec::Encode;
		use sp_core::offchain::storage::InMemOffchainStorage;
		let registry = Registry::new();
		let gauges = PinningGauges::register(&registry).unwrap();
		let mut storage = InMemOffchainStorage::default();
		assert_eq!(failed_bucket_requests(&storage), 0);
		storage.set(STORAGE_PREFIX, FAILED_REQUESTS_KEY, &3u64.encode());
		gauges.follow_failures(failed_bucket_requests(&storage));
		assert_eq!(gauges.bucket_request_failures.get(), 3);
		storage.set(STORAGE_PREFIX, FAILED_REQUESTS_KEY, &5u64.encode());
		gauges.follow_failures(failed_bucket_requests(&storage));
		assert_eq!(gauges.bucket_request_failures.get(), 5);
		// A counter never goes back, whatever the storage says.
		storage.set(STORAGE_PREFIX, FAILED_REQUESTS_KEY, &1u64.encode());
		gauges.follow_failures(failed_bucket_requests(&storage));
		assert_eq!(gauges.bucket_request_failures.get(), 5);
	}

	#[test]
	fn an_unreadable_request_is_counted_apart() {
		let backlog =
			Backlog::at(100, [None, Some((PinStatus::Pending, 99)), None], [None, Some(98)]);
		assert_eq!(
			backlog,
			Backlog {
				pending: 1,
				oldest_pending_blocks: 1,
				unpins: 1,
				oldest_unpin_blocks: 2,
				unreadable: 3,
				..Default::default()
			}
		);
	}
}
