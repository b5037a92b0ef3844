//! # Difficulty pallet
//!
//! Proof-of-Work difficulty for MedChain, adjusted every block toward
//! [`Config::TargetBlockTime`].
//!
//! Difficulty is the expected number of hashes needed to seal a block: a seal is valid when
//! `hash × difficulty` fits in 256 bits. After each block's timestamp is set, the pallet
//! records that block's difficulty and duration in a window of the last
//! [`Config::AdjustmentWindow`] blocks and sets the next block's difficulty to
//!
//! ```text
//! average difficulty × damped(target time / average block time)
//! damped(r) = 1 + (r − 1) / DampingFactor,  clamped to [1 / ClampFactor, ClampFactor]
//! ```
//!
//! then bounded by [`Config::MinDifficulty`] and [`Config::MaxDifficulty`]. Basing the step on
//! the window's average difficulty, not the last one, keeps a run of slow blocks from being
//! corrected once per block (the Kulupu approach). The node reads the result through
//! `sp_consensus_pow::DifficultyApi`.

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use sp_core::U256;

/// Proof-of-Work difficulty: the expected number of hashes per block.
pub type Difficulty = U256;

/// One block in the adjustment window.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct BlockSample {
	/// The difficulty the block was sealed at.
	pub difficulty: Difficulty,
	/// Milliseconds between the block's timestamp and its parent's.
	pub duration_ms: u64,
}

/// The next difficulty from a window of samples; `None` for an empty window.
///
/// Pure arithmetic, shared by the block hook and the tests; never panics.
pub fn next_difficulty(
	samples: &[BlockSample],
	target_ms: u64,
	damping: u32,
	clamp: u32,
	min: Difficulty,
	max: Difficulty,
) -> Option<Difficulty> {
	let count = U256::from(samples.len() as u64);
	if count.is_zero() {
		return None;
	}
	// Σ(d / n) + Σ(d mod n) / n is the exact floor of the mean and cannot overflow, even for
	// a window of maximal difficulties.
	let (quotients, remainders, total_ms) = samples.iter().fold(
		(U256::zero(), U256::zero(), U256::zero()),
		|(quotients, remainders, ms), sample| {
			(
				quotients.saturating_add(sample.difficulty / count),
				remainders.saturating_add(sample.difficulty % count),
				ms.saturating_add(U256::from(sample.duration_ms)),
			)
		},
	);
	let average_difficulty = quotients.saturating_add(remainders / count);
	// A window of zero-length blocks cannot come from the timestamp pallet, but if it did
	// it means "much too fast": treat it as one millisecond per block.
	let average_ms = (total_ms / count).max(U256::one());
	let damping = U256::from(damping.max(1));
	let clamp = U256::from(clamp.max(1));
	let target = U256::from(target_ms);

	// damped(target / average) = (average × (damping − 1) + target) / (average × damping)
	let numerator = average_ms.saturating_mul(damping - 1).saturating_add(target);
	let denominator = average_ms.saturating_mul(damping);
	let raw = average_difficulty.saturating_mul(numerator) / denominator;

	let upper = average_difficulty.saturating_mul(clamp);
	let lower = average_difficulty / clamp;
	Some(raw.clamp(lower, upper).clamp(min, max))
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the difficulty pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// Who may reset the difficulty (the consortium's governance; sudo for now).
		type DifficultyOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The block time the difficulty steers toward, in milliseconds.
		#[pallet::constant]
		type TargetBlockTime: Get<u64>;
		/// How many recent blocks the moving average covers.
		#[pallet::constant]
		type AdjustmentWindow: Get<u32>;
		/// Only `1 / DampingFactor` of the measured correction is applied per block.
		#[pallet::constant]
		type DampingFactor: Get<u32>;
		/// The next difficulty is at most this factor above or below the window's average
		/// difficulty (not the last block's: after a run of changes in one direction, one
		/// block can move further than this factor from its parent).
		#[pallet::constant]
		type ClampFactor: Get<u32>;
		/// The difficulty never goes below this.
		#[pallet::constant]
		type MinDifficulty: Get<Difficulty>;
		/// The difficulty never goes above this.
		#[pallet::constant]
		type MaxDifficulty: Get<Difficulty>;
		/// Weights of this pallet's calls and hook, measured by its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The difficulty the next block must be sealed at.
	#[pallet::storage]
	pub type CurrentDifficulty<T: Config> = StorageValue<_, Difficulty, ValueQuery>;

	/// The timestamp of the last block, to measure the next block's duration.
	#[pallet::storage]
	pub type LastTimestamp<T: Config> = StorageValue<_, u64, OptionQuery>;

	/// Difficulty and duration of the most recent blocks, oldest first.
	#[pallet::storage]
	pub type RecentBlocks<T: Config> =
		StorageValue<_, BoundedVec<BlockSample, T::AdjustmentWindow>, ValueQuery>;

	/// The block in which governance last set the difficulty. It may do so once per block:
	/// the cap on raising it is relative to the current difficulty, so two settings in one
	/// block (a batch) would compound it.
	#[pallet::storage]
	pub type LastSetIn<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	/// Events of the difficulty pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The difficulty for the next block changed from `from` to `to`.
		DifficultyAdjusted { from: Difficulty, to: Difficulty },
		/// Governance set the difficulty to `difficulty` and cleared the window.
		DifficultySet { difficulty: Difficulty },
	}

	/// Errors of the difficulty pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The difficulty must lie between `MinDifficulty` and `MaxDifficulty`.
		DifficultyOutOfBounds,
		/// Governance may raise the difficulty at most `ClampFactor` times at once: the
		/// controller raises it that much per block by itself, and a difficulty set far too
		/// high could never be lowered again, as lowering it takes a new block.
		DifficultyRaisedTooFar,
		/// Governance already set the difficulty in this block; set it again in a later one.
		AlreadySetInThisBlock,
	}

	/// The difficulty a chain starts with.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// Difficulty of block 1: about the hashes one core computes in one target block time.
		pub initial_difficulty: Difficulty,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		/// The easiest allowed difficulty.
		fn default() -> Self {
			Self { initial_difficulty: T::MinDifficulty::get(), _config: Default::default() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// Genesis is built by the node from a chain spec, never inside a block: a
			// malformed spec must stop the node at start-up.
			assert!(
				Pallet::<T>::within_bounds(self.initial_difficulty),
				"initial difficulty outside MinDifficulty..=MaxDifficulty"
			);
			CurrentDifficulty::<T>::put(self.initial_difficulty);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			// The adjustment runs when the timestamp inherent is applied; charge for it here.
			T::WeightInfo::on_timestamp_set(T::AdjustmentWindow::get())
		}

		fn integrity_test() {
			assert!(T::AdjustmentWindow::get() > 0, "AdjustmentWindow must be at least 1");
			assert!(T::DampingFactor::get() > 0, "DampingFactor must be at least 1");
			assert!(T::ClampFactor::get() > 0, "ClampFactor must be at least 1");
			assert!(T::TargetBlockTime::get() > 0, "TargetBlockTime must be positive");
			assert!(
				!T::MinDifficulty::get().is_zero()
					&& T::MinDifficulty::get() <= T::MaxDifficulty::get(),
				"need 0 < MinDifficulty <= MaxDifficulty"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set the difficulty of the next block and restart the moving average. Governance
		/// only: for a consortium whose hash power fell by far more than the clamp allows
		/// (blocks too slow). Lowering has no limit but `MinDifficulty`; raising is capped at
		/// `ClampFactor` times the current difficulty, which the controller reaches by itself
		/// in one block when blocks come too fast. Once per block, so that a batch cannot
		/// compound the cap.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_difficulty())]
		pub fn set_difficulty(origin: OriginFor<T>, difficulty: Difficulty) -> DispatchResult {
			T::DifficultyOrigin::ensure_origin(origin)?;
			let block = frame_system::Pallet::<T>::block_number();
			ensure!(LastSetIn::<T>::get() != Some(block), Error::<T>::AlreadySetInThisBlock);
			ensure!(Self::within_bounds(difficulty), Error::<T>::DifficultyOutOfBounds);
			let highest = CurrentDifficulty::<T>::get()
				.saturating_mul(Difficulty::from(T::ClampFactor::get()));
			ensure!(difficulty <= highest, Error::<T>::DifficultyRaisedTooFar);
			CurrentDifficulty::<T>::put(difficulty);
			LastSetIn::<T>::put(block);
			RecentBlocks::<T>::kill();
			Self::deposit_event(Event::DifficultySet { difficulty });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The difficulty the next block must be sealed at.
		pub fn difficulty() -> Difficulty {
			CurrentDifficulty::<T>::get()
		}

		fn within_bounds(difficulty: Difficulty) -> bool {
			(T::MinDifficulty::get()..=T::MaxDifficulty::get()).contains(&difficulty)
		}

		/// Records the block that just got timestamp `now` and sets the next difficulty.
		pub(crate) fn adjust(now: u64) {
			let previous = LastTimestamp::<T>::get();
			LastTimestamp::<T>::put(now);
			let Some(previous) = previous else { return };

			let current = CurrentDifficulty::<T>::get();
			let sample =
				BlockSample { difficulty: current, duration_ms: now.saturating_sub(previous) };
			let samples = RecentBlocks::<T>::mutate(|window| {
				if window.is_full() && !window.is_empty() {
					window.remove(0);
				}
				// Cannot fail: a slot was freed above when the window was full.
				let _ = window.try_push(sample);
				window.clone()
			});
			let next = next_difficulty(
				&samples,
				T::TargetBlockTime::get(),
				T::DampingFactor::get(),
				T::ClampFactor::get(),
				T::MinDifficulty::get(),
				T::MaxDifficulty::get(),
			)
			.unwrap_or(current);
			if next != current {
				CurrentDifficulty::<T>::put(next);
				Self::deposit_event(Event::DifficultyAdjusted { from: current, to: next });
			}
		}
	}
}

impl<T: Config> frame_support::traits::OnTimestampSet<u64> for Pallet<T> {
	fn on_timestamp_set(now: u64) {
		Self::adjust(now);
	}
}
