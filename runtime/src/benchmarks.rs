//! The pallets whose benchmarks `medchain-node benchmark pallet` runs.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_consortium, Consortium]
	[pallet_difficulty, Difficulty]
	[pallet_records, Records]
	[pallet_consent, Consent]
);
