//! Mining threads: search nonces for the current build, sign the found one, submit it.
//!
//! sc-consensus-pow's `MiningHandle::submit` future is not `Send`, so each miner is a plain
//! OS thread that drives it with `block_on`; block import and RPC run on the async runtime
//! and are never held up by hashing.

use crate::service::{Algorithm, FullClient};
use futures::future::{self, Either};
use medchain_pow::{search_nonce, SealerKey, Target};
use medchain_primitives::{AccountId, ConsortiumApi};
use medchain_runtime::opaque::Block;
use sc_consensus_pow::MiningHandle;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_consensus::Environment;
use sp_runtime::traits::{Block as BlockT, Header as _};
use std::{
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc,
	},
	thread,
	time::{Duration, Instant},
};
use substrate_prometheus_endpoint::{register, Gauge, Registry, U64};

/// A block's hash.
type BlockHash = <Block as BlockT>::Hash;

/// Nonces hashed between two checks for a newer build or a stop request (a few ms of work).
const BATCH: u64 = 20_000;
/// How often the hash rate is measured, logged and published.
const REPORT_INTERVAL: Duration = Duration::from_secs(10);
/// How long an idle miner waits before looking for work again.
const IDLE_WAIT: Duration = Duration::from_millis(50);
/// Each thread searches its own share of the nonces, from `index << NONCE_SHARE_BITS`.
const NONCE_SHARE_BITS: u32 = 56;
/// The most miner threads, each with its own share of the nonces: more would start where
/// another thread started and repeat its work.
pub const MAX_THREADS: u32 = 1 << (u64::BITS - NONCE_SHARE_BITS);

/// Running miner threads; dropping this stops them.
pub struct Miners {
	stop: Arc<AtomicBool>,
}

impl Miners {
	/// Starts `threads` miners on `handle`'s builds, sealing with `key`, and a reporter that
	/// publishes the hash rate to `gauge` (see [`hash_rate_gauge`]).
	pub fn start<L>(
		handle: MiningHandle<Block, Algorithm, L>,
		key: SealerKey,
		threads: usize,
		gauge: Option<Gauge<U64>>,
	) -> Result<Self, String>
	where
		L: sc_consensus::JustificationSyncLink<Block> + Send + Sync + 'static,
	{
		let stop = Arc::new(AtomicBool::new(false));
		let hashes = Arc::new(AtomicU64::new(0));
		log::info!("⛏️  Mining as {} with {threads} thread(s)", key.account());

		for index in 0..threads {
			let miner = Miner {
				handle: handle.clone(),
				key: key.clone(),
				stop: stop.clone(),
				hashes: hashes.clone(),
				first_nonce: (index as u64) << NONCE_SHARE_BITS,
			};
			thread::Builder::new()
				.name(format!("miner-{index}"))
				.spawn(move || miner.run())
				.map_err(|e| e.to_string())?;
		}
		let reporter_stop = stop.clone();
		thread::Builder::new()
			.name("miner-report".into())
			.spawn(move || report_hash_rate(&hashes, gauge, &reporter_stop))
			.map_err(|e| e.to_string())?;
		Ok(Self { stop })
	}
}

/// The `medchain_mining_hashes_per_second` gauge, registered once for every [`Miners`] the
/// node starts.
pub fn hash_rate_gauge(registry: Option<&Registry>) -> Result<Option<Gauge<U64>>, String> {
	registry
		.map(|registry| {
			register(
				Gauge::<U64>::new(
					"medchain_mining_hashes_per_second",
					"Nonces hashed per second by this node's miner threads",
				)?,
				registry,
			)
		})
		.transpose()
		.map_err(|e| e.to_string())
}

/// How long a detected key change must hold before the worker restarts, while the old key may
/// still seal: a reorganisation that flips straight back to a branch with the other sealer set
/// then costs no restart (each restart idles the new worker until the next block or
/// `PROPOSAL_TIMEOUT`). A key that left the set restarts the worker at once, as its build is
/// stale.
const KEY_CHANGE_SETTLE: Duration = Duration::from_secs(1);

/// The consortium's sealer set at `at`, or `None` (logged) if the runtime cannot tell.
fn sealers_at(client: &FullClient, at: BlockHash) -> Option<Vec<AccountId>> {
	client
		.runtime_api()
		.sealers(at)
		.inspect_err(|e| log::warn!("⛏️  Cannot ask the runtime for the sealer set: {e}"))
		.ok()
}

/// The key to seal with at block `at` (see [`SealerKey::from_keystore`]) and whether it may
/// seal there (`None` if the runtime cannot tell: then the first key is chosen); `None` if the
/// keystore holds no sealer key.
pub fn sealing_key_at(
	client: &FullClient,
	keystore: &sp_keystore::KeystorePtr,
	at: BlockHash,
) -> Option<(SealerKey, Option<bool>)> {
	let sealers = sealers_at(client, at);
	let is_sealer = |who: &AccountId| sealers.as_ref().is_some_and(|set| set.contains(who));
	let key = SealerKey::from_keystore(keystore.clone(), is_sealer)?;
	let key_is_sealer = sealers.as_ref().map(|set| set.contains(&key.account()));
	Some((key, key_is_sealer))
}

/// Why the worker must restart, and whether at once.
struct KeyChange {
	reason: String,
	/// The current key may no longer seal: the build it keeps is stale.
	stale: bool,
}

/// Why mining as `current` must stop at block `at`, if it must: the keystore's preferred key
/// is now another, or `current` was a sealer (`was_sealer`) and no longer is, so the build
/// the worker keeps (on a parent where it could seal) is stale. `Err` carries whether
/// `current` is a sealer at `at` when mining may go on; `None` there means the runtime could
/// not tell, and nothing is decided on such a block.
fn key_change_at(
	client: &FullClient,
	keystore: &sp_keystore::KeystorePtr,
	current: &AccountId,
	was_sealer: bool,
	at: BlockHash,
) -> Result<KeyChange, Option<bool>> {
	let Some(sealers) = sealers_at(client, at) else { return Err(None) };
	let is_sealer = sealers.contains(current);
	let stale = was_sealer && !is_sealer;
	let preferred = SealerKey::from_keystore(keystore.clone(), |who| sealers.contains(who))
		.map(|key| key.account());
	if let Some(preferred) = preferred.filter(|preferred| preferred != current) {
		let reason = format!("{preferred} replaces {current} as this node's sealer key");
		return Ok(KeyChange { reason, stale });
	}
	if stale {
		return Ok(KeyChange { reason: format!("{current} left the sealer set"), stale });
	}
	Err(Some(is_sealer))
}

/// Waits for a new best block after which mining as `current` must stop (see
/// [`key_change_at`]) and returns why. `imports` must have been subscribed to before
/// `current` and `was_sealer` were decided, so that no block imported since goes unexamined.
/// Each decision is taken at the best block of the moment, not the notified one, and, unless
/// the current key's build is stale, only once it has held for [`KEY_CHANGE_SETTLE`].
pub async fn sealing_key_change(
	client: Arc<FullClient>,
	keystore: sp_keystore::KeystorePtr,
	current: AccountId,
	mut was_sealer: bool,
	mut imports: sc_client_api::ImportNotifications<Block>,
) -> String {
	use futures::StreamExt;
	let decide = |was_sealer| {
		key_change_at(&client, &keystore, &current, was_sealer, client.info().best_hash)
	};
	while let Some(imported) = imports.next().await {
		if !imported.is_new_best {
			continue;
		}
		let mut decision = decide(was_sealer);
		if decision.as_ref().is_ok_and(|change| !change.stale) {
			// Blocks imported while the change settles are examined too: one that takes the
			// current key out of the set makes the build stale, and the restart immediate.
			let settle = tokio::time::sleep(KEY_CHANGE_SETTLE);
			futures::pin_mut!(settle);
			while let Either::Right((Some(imported), _)) =
				future::select(&mut settle, imports.next()).await
			{
				if !imported.is_new_best {
					continue;
				}
				match decide(was_sealer) {
					Ok(change) if change.stale => return change.reason,
					_ => {},
				}
			}
			decision = decide(was_sealer);
		}
		match decision {
			Ok(change) => return change.reason,
			Err(Some(is_sealer)) => was_sealer = is_sealer,
			Err(None) => {},
		}
	}
	// The stream ends only with the client, which the caller holds: never, while it waits.
	futures::future::pending().await
}

impl Drop for Miners {
	fn drop(&mut self) {
		self.stop.store(true, Ordering::Relaxed);
	}
}

struct Miner<L: sc_consensus::JustificationSyncLink<Block>> {
	handle: MiningHandle<Block, Algorithm, L>,
	key: SealerKey,
	stop: Arc<AtomicBool>,
	hashes: Arc<AtomicU64>,
	first_nonce: u64,
}

impl<L: sc_consensus::JustificationSyncLink<Block>> Miner<L> {
	fn run(self) {
		while !self.stop.load(Ordering::Relaxed) {
			// The version first: a build replaced between the two reads then only makes the
			// loop below stop at once, instead of mining the old work under the new version.
			let version = self.handle.version();
			let Some(build) = self.handle.metadata() else {
				thread::sleep(IDLE_WAIT);
				continue;
			};
			let target = Target::for_difficulty(build.difficulty);
			let pre_hash = build.pre_hash.0;
			let mut nonce = self.first_nonce;
			while !self.stop.load(Ordering::Relaxed) && self.handle.version() == version {
				let found = search_nonce(&pre_hash, &target, nonce, BATCH);
				let hashed = found.map_or(BATCH, |n| n - nonce + 1);
				self.hashes.fetch_add(hashed, Ordering::Relaxed);
				nonce = nonce.wrapping_add(BATCH);
				if let Some(nonce) = found {
					// A stopped miner's build may be stale (its key replaced, or no longer a
					// sealer there): it is never submitted.
					if self.stop.load(Ordering::Relaxed) {
						break;
					}
					match self.key.seal(&pre_hash, nonce) {
						Some(seal) if !self.stop.load(Ordering::Relaxed) => {
							futures::executor::block_on(self.handle.submit(seal));
						},
						Some(_) => {},
						None => log::error!("⛏️  The keystore refused to sign a found seal"),
					}
					break;
				}
			}
		}
	}
}

fn report_hash_rate(hashes: &AtomicU64, gauge: Option<Gauge<U64>>, stop: &AtomicBool) {
	let mut since = Instant::now();
	while !stop.load(Ordering::Relaxed) {
		thread::sleep(REPORT_INTERVAL);
		// Once stopped, the gauge is the next reporter's: a last figure here would overwrite it.
		if stop.load(Ordering::Relaxed) {
			break;
		}
		let elapsed = since.elapsed().as_secs_f64();
		since = Instant::now();
		let rate = (hashes.swap(0, Ordering::Relaxed) as f64 / elapsed) as u64;
		if let Some(gauge) = &gauge {
			gauge.set(rate);
		}
		log::debug!(target: "pow", "⛏️  {rate} hashes/s");
	}
}

/// Builds block proposals only on parents at which this node's sealer account is in the
/// consortium's sealer set, so a validator that is not (or no longer) a sealer neither
/// builds blocks the runtime would reject nor wastes work mining them.
pub struct SealerOnlyEnvironment<E> {
	inner: E,
	client: Arc<FullClient>,
	sealer: AccountId,
	/// Whether the last parent asked about allowed this node to seal, to log changes once.
	was_sealer: Option<bool>,
}

impl<E> SealerOnlyEnvironment<E> {
	/// Wraps `inner`, the proposer factory, for `sealer`.
	pub fn new(inner: E, client: Arc<FullClient>, sealer: AccountId) -> Self {
		Self { inner, client, sealer, was_sealer: None }
	}
}

impl<E: Environment<Block>> Environment<Block> for SealerOnlyEnvironment<E>
where
	E::CreateProposer: Unpin,
{
	type Proposer = E::Proposer;
	type CreateProposer = Either<E::CreateProposer, future::Ready<Result<E::Proposer, E::Error>>>;
	type Error = E::Error;

	fn init(
		&mut self,
		parent: &<Block as sp_runtime::traits::Block>::Header,
	) -> Self::CreateProposer {
		let parent_hash = parent.hash();
		let answer = self.client.runtime_api().is_sealer(parent_hash, self.sealer.clone());
		let is_sealer = matches!(answer, Ok(true));
		if self.was_sealer != Some(is_sealer) {
			match &answer {
				Ok(true) => log::info!("⛏️  {} is a sealer: mining", self.sealer),
				Ok(false) => log::warn!(
					"⛏️  {} is not in the consortium sealer set: not mining until it is",
					self.sealer
				),
				Err(e) => log::warn!("⛏️  Cannot ask the runtime for the sealer set: {e}"),
			}
			self.was_sealer = Some(is_sealer);
		}
		if is_sealer {
			Either::Left(self.inner.init(parent))
		} else {
			let reason = format!("{} may not seal on #{}", self.sealer, parent.number());
			Either::Right(future::ready(Err(sp_consensus::Error::Other(reason.into()).into())))
		}
	}
}
