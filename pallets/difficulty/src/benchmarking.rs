//! Benchmarks of the difficulty pallet: the governance call and the per-block adjustment
//! with a full window.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_difficulty() -> Result<(), BenchmarkError> {
		let origin =
			T::DifficultyOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let difficulty = T::MinDifficulty::get();
		// Set before, in an earlier block.
		frame_system::Pallet::<T>::set_block_number(2u32.into());
		LastSetIn::<T>::put(BlockNumberFor::<T>::from(1u32));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, difficulty);

		assert_eq!(CurrentDifficulty::<T>::get(), difficulty);
		assert_eq!(LastSetIn::<T>::get(), Some(2u32.into()));
		Ok(())
	}

	/// `w`: blocks already in the adjustment window.
	#[benchmark]
	fn on_timestamp_set(w: Linear<1, { T::AdjustmentWindow::get() }>) {
		let sample = BlockSample { difficulty: T::MaxDifficulty::get(), duration_ms: 1 };
		let window: BoundedVec<_, T::AdjustmentWindow> =
			BoundedVec::truncate_from(core::iter::repeat_n(sample, w as usize).collect());
		RecentBlocks::<T>::put(window);
		LastTimestamp::<T>::put(1_000u64);

		#[block]
		{
			Pallet::<T>::adjust(1_000 + T::TargetBlockTime::get() * 10);
		}

		assert!(LastTimestamp::<T>::get().is_some());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
