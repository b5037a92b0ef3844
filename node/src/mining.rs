//! Mining threads: search nonces for the current build, sign the found one, submit it.
//!
//! sc-consensus-pow's `MiningHandle::submit` future is not `Send`, so each miner is a plain
//! OS thread that drives it with `block_on`; block import and RPC run on the async runtime
//! and are never held up by hashing.

use crate::service::{Algorithm, FullClient};
use medchain_pow::{search_nonce, SealerKey, Target};
use medchain_primitives::ConsortiumApi;
use medchain_runtime::opaque::Block;
use sc_consensus_pow::MiningHandle;
use sp_api::ProvideRuntimeApi;
use std::{
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc,
	},
	thread,
	time::{Duration, Instant},
};
use substrate_prometheus_endpoint::{register, Gauge, Registry, U64};

/// Nonces hashed between two checks for a newer build or a stop request (a few ms of work).
const BATCH: u64 = 20_000;
/// How often the hash rate is measured, logged and published.
const REPORT_INTERVAL: Duration = Duration::from_secs(10);
/// How long an idle miner waits before looking for work again.
const IDLE_WAIT: Duration = Duration::from_millis(50);

/// Running miner threads; dropping this stops them.
pub struct Miners {
	stop: Arc<AtomicBool>,
}

impl Miners {
	/// Starts `threads` miners on `handle`'s builds, sealing with `key`, and a reporter that
	/// publishes the hash rate as `medchain_mining_hashes_per_second`.
	pub fn start<L>(
		handle: MiningHandle<Block, Algorithm, L>,
		key: SealerKey,
		client: Arc<FullClient>,
		threads: usize,
		registry: Option<&Registry>,
	) -> Result<Self, String>
	where
		L: sc_consensus::JustificationSyncLink<Block> + Send + Sync + 'static,
	{
		let gauge = registry
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
			.map_err(|e| e.to_string())?;
		let stop = Arc::new(AtomicBool::new(false));
		let hashes = Arc::new(AtomicU64::new(0));
		log::info!("⛏️  Mining as {} with {threads} thread(s)", key.account());

		for index in 0..threads {
			let miner = Miner {
				handle: handle.clone(),
				key: key.clone(),
				client: client.clone(),
				stop: stop.clone(),
				hashes: hashes.clone(),
				first_nonce: (index as u64) << 56,
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

	/// A task that keeps the miners running until the node's task manager drops it.
	pub async fn run_until_dropped(self) {
		futures::future::pending::<()>().await
	}
}

impl Drop for Miners {
	fn drop(&mut self) {
		self.stop.store(true, Ordering::Relaxed);
	}
}

struct Miner<L: sc_consensus::JustificationSyncLink<Block>> {
	handle: MiningHandle<Block, Algorithm, L>,
	key: SealerKey,
	client: Arc<FullClient>,
	stop: Arc<AtomicBool>,
	hashes: Arc<AtomicU64>,
	first_nonce: u64,
}

impl<L: sc_consensus::JustificationSyncLink<Block>> Miner<L> {
	fn run(self) {
		// The parent block the sealer-set membership was last checked at, and the answer.
		let mut membership: Option<(sp_core::H256, bool)> = None;
		while !self.stop.load(Ordering::Relaxed) {
			let Some(build) = self.handle.metadata() else {
				thread::sleep(IDLE_WAIT);
				continue;
			};
			let version = self.handle.version();
			let may_seal = match membership {
				Some((parent, answer)) if parent == build.best_hash => answer,
				_ => {
					let answer = self.is_sealer_at(build.best_hash);
					membership = Some((build.best_hash, answer));
					answer
				},
			};
			if !may_seal {
				thread::sleep(IDLE_WAIT);
				continue;
			}

			let target = Target::for_difficulty(build.difficulty);
			let pre_hash = build.pre_hash.0;
			let mut nonce = self.first_nonce;
			while !self.stop.load(Ordering::Relaxed) && self.handle.version() == version {
				let found = search_nonce(&pre_hash, &target, nonce, BATCH);
				let hashed = found.map_or(BATCH, |n| n - nonce + 1);
				self.hashes.fetch_add(hashed, Ordering::Relaxed);
				nonce = nonce.wrapping_add(BATCH);
				if let Some(nonce) = found {
					match self.key.seal(&pre_hash, nonce) {
						Some(seal) => {
							futures::executor::block_on(self.handle.submit(seal));
						},
						None => log::error!("⛏️  The keystore refused to sign a found seal"),
					}
					break;
				}
			}
		}
	}

	fn is_sealer_at(&self, parent: sp_core::H256) -> bool {
		match self.client.runtime_api().is_sealer(parent, self.key.account()) {
			Ok(true) => true,
			Ok(false) => {
				log::warn!(
					"⛏️  {} is not in the consortium sealer set at {parent}: not mining on it",
					self.key.account()
				);
				false
			},
			Err(e) => {
				log::warn!("⛏️  Cannot ask the runtime for the sealer set at {parent}: {e}");
				false
			},
		}
	}
}

fn report_hash_rate(hashes: &AtomicU64, gauge: Option<Gauge<U64>>, stop: &AtomicBool) {
	let mut since = Instant::now();
	while !stop.load(Ordering::Relaxed) {
		thread::sleep(REPORT_INTERVAL);
		let elapsed = since.elapsed().as_secs_f64();
		since = Instant::now();
		let rate = (hashes.swap(0, Ordering::Relaxed) as f64 / elapsed) as u64;
		if let Some(gauge) = &gauge {
			gauge.set(rate);
		}
		log::debug!(target: "pow", "⛏️  {rate} hashes/s");
	}
}
