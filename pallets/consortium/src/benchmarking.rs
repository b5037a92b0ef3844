//! Benchmarks of the consortium pallet's calls, worst case: a nearly full sealer set.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{traits::EnsureOrigin, BoundedVec};

fn fill_sealers<T: Config>(count: u32) -> Vec<T::AccountId> {
	let mut sealers: Vec<T::AccountId> = (0..count).map(|i| account("sealer", i, 0)).collect();
	sealers.sort();
	let bounded: BoundedVec<_, T::MaxSealers> =
		sealers.clone().try_into().expect("count is at most MaxSealers");
	Sealers::<T>::put(bounded);
	sealers
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `s`: sealers already in the set.
	#[benchmark]
	fn add_sealer(s: Linear<1, { T::MaxSealers::get() - 1 }>) -> Result<(), BenchmarkError> {
		fill_sealers::<T>(s);
		let origin =
			T::SealerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let new_sealer: T::AccountId = account("new", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new_sealer.clone());

		assert!(Pallet::<T>::is_sealer(&new_sealer));
		Ok(())
	}

	/// `s`: sealers in the set before the removal.
	#[benchmark]
	fn remove_sealer(s: Linear<2, { T::MaxSealers::get() }>) -> Result<(), BenchmarkError> {
		let sealers = fill_sealers::<T>(s);
		let origin =
			T::SealerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let gone = sealers[0].clone();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, gone.clone());

		assert!(!Pallet::<T>::is_sealer(&gone));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
