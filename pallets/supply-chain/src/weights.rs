//! Weights for `pallet_supply_chain`.
//!
//! PLACEHOLDER UNTIL `scripts/benchmark-pallets.sh` IS RUN: these figures were written by hand
//! (database reads and writes counted from the code, execution times guessed), in the shape the
//! benchmark CLI generates. Run `scripts/benchmark-pallets.sh supply-chain` and commit its output
//! over this file.
//!
//! Components: `n` = serials commissioned, children packed or unpacked, or top-level items of a
//! shipment (`ship` and `receive` assume each is a container holding packs of
//! `MaxBatchesPerContainer` = 16 batches); `h` = history entries of the purged identifier.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_supply_chain`.
pub trait WeightInfo {
	fn register_product() -> Weight;
	fn commission(n: u32, ) -> Weight;
	fn aggregate(n: u32, ) -> Weight;
	fn disaggregate(n: u32, ) -> Weight;
	fn ship(n: u32, ) -> Weight;
	fn receive(n: u32, ) -> Weight;
	fn reject(n: u32, ) -> Weight;
	fn dispense() -> Weight;
	fn decommission() -> Weight;
	fn revert_decommission() -> Weight;
	fn recall() -> Weight;
	fn mark_suspect() -> Weight;
	fn clear_suspect() -> Weight;
	fn confirm_illegitimate() -> Weight;
	fn purge_pack(h: u32, ) -> Weight;
	fn purge_container(h: u32, ) -> Weight;
	fn verify_pack() -> Weight;
}

/// Weights for `pallet_supply_chain` (placeholders, see the module documentation).
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_product() -> Weight {
		Weight::from_parts(45_000_000, 3600)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn commission(n: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 3700)
			.saturating_add(Weight::from_parts(28_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2600).saturating_mul(n.into()))
	}
	fn aggregate(n: u32, ) -> Weight {
		Weight::from_parts(55_000_000, 4300)
			.saturating_add(Weight::from_parts(24_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2800).saturating_mul(n.into()))
	}
	fn disaggregate(n: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 4300)
			.saturating_add(Weight::from_parts(24_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2800).saturating_mul(n.into()))
	}
	fn ship(n: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 6000)
			.saturating_add(Weight::from_parts(90_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().reads((17_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 40000).saturating_mul(n.into()))
	}
	fn receive(n: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 6000)
			.saturating_add(Weight::from_parts(90_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().reads((17_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 40000).saturating_mul(n.into()))
	}
	fn reject(n: u32, ) -> Weight {
		Weight::from_parts(45_000_000, 6000)
			.saturating_add(Weight::from_parts(25_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2800).saturating_mul(n.into()))
	}
	fn dispense() -> Weight {
		Weight::from_parts(55_000_000, 3700)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn decommission() -> Weight {
		Weight::from_parts(50_000_000, 3700)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn revert_decommission() -> Weight {
		Weight::from_parts(55_000_000, 3700)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn recall() -> Weight {
		Weight::from_parts(45_000_000, 3700)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn mark_suspect() -> Weight {
		Weight::from_parts(65_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn clear_suspect() -> Weight {
		Weight::from_parts(65_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn confirm_illegitimate() -> Weight {
		Weight::from_parts(50_000_000, 3700)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn purge_pack(h: u32, ) -> Weight {
		Weight::from_parts(70_000_000, 3700)
			.saturating_add(Weight::from_parts(4_000_000, 0).saturating_mul(h.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(h.into())))
	}
	fn purge_container(h: u32, ) -> Weight {
		Weight::from_parts(55_000_000, 3700)
			.saturating_add(Weight::from_parts(4_000_000, 0).saturating_mul(h.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(h.into())))
	}
	fn verify_pack() -> Weight {
		Weight::from_parts(30_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
	}
}

// For tests and mocks: the same figures with RocksDB's database weights.
impl WeightInfo for () {
	fn register_product() -> Weight {
		Weight::from_parts(45_000_000, 3600)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn commission(n: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 3700)
			.saturating_add(Weight::from_parts(28_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2600).saturating_mul(n.into()))
	}
	fn aggregate(n: u32, ) -> Weight {
		Weight::from_parts(55_000_000, 4300)
			.saturating_add(Weight::from_parts(24_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2800).saturating_mul(n.into()))
	}
	fn disaggregate(n: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 4300)
			.saturating_add(Weight::from_parts(24_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2800).saturating_mul(n.into()))
	}
	fn ship(n: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 6000)
			.saturating_add(Weight::from_parts(90_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().reads((17_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 40000).saturating_mul(n.into()))
	}
	fn receive(n: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 6000)
			.saturating_add(Weight::from_parts(90_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().reads((17_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 40000).saturating_mul(n.into()))
	}
	fn reject(n: u32, ) -> Weight {
		Weight::from_parts(45_000_000, 6000)
			.saturating_add(Weight::from_parts(25_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2800).saturating_mul(n.into()))
	}
	fn dispense() -> Weight {
		Weight::from_parts(55_000_000, 3700)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn decommission() -> Weight {
		Weight::from_parts(50_000_000, 3700)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn revert_decommission() -> Weight {
		Weight::from_parts(55_000_000, 3700)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn recall() -> Weight {
		Weight::from_parts(45_000_000, 3700)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn mark_suspect() -> Weight {
		Weight::from_parts(65_000_000, 8000)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn clear_suspect() -> Weight {
		Weight::from_parts(65_000_000, 8000)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn confirm_illegitimate() -> Weight {
		Weight::from_parts(50_000_000, 3700)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn purge_pack(h: u32, ) -> Weight {
		Weight::from_parts(70_000_000, 3700)
			.saturating_add(Weight::from_parts(4_000_000, 0).saturating_mul(h.into()))
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(h.into())))
	}
	fn purge_container(h: u32, ) -> Weight {
		Weight::from_parts(55_000_000, 3700)
			.saturating_add(Weight::from_parts(4_000_000, 0).saturating_mul(h.into()))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(h.into())))
	}
	fn verify_pack() -> Weight {
		Weight::from_parts(30_000_000, 8000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
	}
}
