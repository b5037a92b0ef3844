//! The pallets whose benchmarks `medchain-node benchmark pallet` runs.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<crate::Runtime>]
	[frame_system, SystemBench::<crate::Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<crate::Runtime>]
	[pallet_transaction_payment, crate::TransactionPayment]
	[pallet_balances, crate::Balances]
	[pallet_timestamp, crate::Timestamp]
	[pallet_sudo, crate::Sudo]
	[pallet_utility, crate::Utility]
	[pallet_consortium, crate::Consortium]
	[pallet_difficulty, crate::Difficulty]
	[pallet_records, crate::Records]
	[pallet_consent, crate::Consent]
	[pallet_supply_chain, crate::SupplyChain]
	[pallet_pinning, crate::Pinning]
);
