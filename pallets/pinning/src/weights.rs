//! Weights for `pallet_pinning`.
//!
//! PLACEHOLDER until scripts/benchmark-pallets.sh is run: hand-written estimates in the shape
//! the benchmark CLI generates (signature verification ~50 µs, storage from the items each
//! call touches, proof sizes summed over the items each touches
//! for `MaxSealers` = 64, the consortium's bound). Replace by running
//! `scripts/benchmark-pallets.sh` for `pallet_pinning`; do not tune by hand.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_pinning`.
pub trait WeightInfo {
	fn confirm_pin() -> Weight;
	fn report_pin_failure() -> Weight;
	fn confirm_unpin() -> Weight;
	fn on_registered() -> Weight;
	fn on_erased() -> Weight;
}

/// Weights for `pallet_pinning` on the MedChain runtime (placeholder estimates).
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Consortium::Sealers` (r:1 w:0)
	/// Proof: `Consortium::Sealers` (`max_values`: Some(1), `max_size`: Some(2050), added: 2545, mode: `MaxEncodedLen`)
	/// Storage: `Pinning::Pins` (r:1 w:1)
	/// Proof: `Pinning::Pins` (`max_values`: None, `max_size`: Some(4353), added: 6828, mode: `MaxEncodedLen`)
	/// Storage: `Pinning::Objects` (r:1 w:1)
	/// Proof: `Pinning::Objects` (`max_values`: None, `max_size`: Some(2102), added: 4577, mode: `MaxEncodedLen`)
	/// Storage: `Pinning::Pending` (r:0 w:1)
	/// Proof: `Pinning::Pending` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	fn confirm_pin() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1400`
		//  Estimated: `13950`
		// Minimum execution time: 70_000_000 picoseconds.
		Weight::from_parts(80_000_000, 13950)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Consortium::Sealers` (r:1 w:0)
	/// Proof: `Consortium::Sealers` (`max_values`: Some(1), `max_size`: Some(2050), added: 2545, mode: `MaxEncodedLen`)
	/// Storage: `Pinning::Pins` (r:1 w:1)
	/// Proof: `Pinning::Pins` (`max_values`: None, `max_size`: Some(4353), added: 6828, mode: `MaxEncodedLen`)
	/// Storage: `Pinning::Pending` (r:0 w:1)
	/// Proof: `Pinning::Pending` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	fn report_pin_failure() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1300`
		//  Estimated: `9373`
		// Minimum execution time: 65_000_000 picoseconds.
		Weight::from_parts(75_000_000, 9373)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Pinning::Unpins` (r:1 w:1)
	/// Proof: `Pinning::Unpins` (`max_values`: None, `max_size`: Some(4160), added: 6635, mode: `MaxEncodedLen`)
	fn confirm_unpin() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1200`
		//  Estimated: `6635`
		// Minimum execution time: 60_000_000 picoseconds.
		Weight::from_parts(70_000_000, 6635)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Pinning::Pins` (r:1 w:1)
	/// Proof: `Pinning::Pins` (`max_values`: None, `max_size`: Some(4353), added: 6828, mode: `MaxEncodedLen`)
	/// Storage: `Pinning::Objects` (r:1 w:1)
	/// Proof: `Pinning::Objects` (`max_values`: None, `max_size`: Some(2102), added: 4577, mode: `MaxEncodedLen`)
	/// Storage: `Pinning::Unpins` (r:1 w:1)
	/// Proof: `Pinning::Unpins` (`max_values`: None, `max_size`: Some(4160), added: 6635, mode: `MaxEncodedLen`)
	/// Storage: `Consortium::Sealers` (r:1 w:0)
	/// Proof: `Consortium::Sealers` (`max_values`: Some(1), `max_size`: Some(2050), added: 2545, mode: `MaxEncodedLen`)
	/// Storage: `Pinning::Pending` (r:0 w:1)
	/// Proof: `Pinning::Pending` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	fn on_registered() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1300`
		//  Estimated: `20585`
		// Minimum execution time: 30_000_000 picoseconds.
		Weight::from_parts(35_000_000, 20585)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Pinning::Pins` (r:1 w:1)
	/// Proof: `Pinning::Pins` (`max_values`: None, `max_size`: Some(4353), added: 6828, mode: `MaxEncodedLen`)
	/// Storage: `Pinning::Objects` (r:1 w:1)
	/// Proof: `Pinning::Objects` (`max_values`: None, `max_size`: Some(2102), added: 4577, mode: `MaxEncodedLen`)
	/// Storage: `Pinning::Pending` (r:0 w:1)
	/// Proof: `Pinning::Pending` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Pinning::Unpins` (r:0 w:1)
	/// Proof: `Pinning::Unpins` (`max_values`: None, `max_size`: Some(4160), added: 6635, mode: `MaxEncodedLen`)
	fn on_erased() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1500`
		//  Estimated: `18040`
		// Minimum execution time: 30_000_000 picoseconds.
		Weight::from_parts(35_000_000, 18040)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

// For tests and mocks: the same estimates with RocksDB's database weights.
impl WeightInfo for () {
	fn confirm_pin() -> Weight {
		Weight::from_parts(80_000_000, 13950)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn report_pin_failure() -> Weight {
		Weight::from_parts(75_000_000, 9373)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn confirm_unpin() -> Weight {
		Weight::from_parts(70_000_000, 6635)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn on_registered() -> Weight {
		Weight::from_parts(35_000_000, 20585)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn on_erased() -> Weight {
		Weight::from_parts(35_000_000, 18040)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
}
