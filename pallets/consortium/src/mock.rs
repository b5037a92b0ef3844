//! A minimal runtime to test the consortium pallet in.

use crate as pallet_consortium;
use frame_support::{derive_impl, parameter_types};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Consortium: pallet_consortium,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = u64;
	type Lookup = sp_runtime::traits::IdentityLookup<u64>;
}

parameter_types! {
	pub const MaxSealers: u32 = 4;
}

impl pallet_consortium::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type SealerOrigin = EnsureRoot<u64>;
	type MaxSealers = MaxSealers;
	type WeightInfo = ();
}

/// Sealers at genesis in every test: 1 and 2.
pub const GENESIS_SEALERS: [u64; 2] = [2, 1];

pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		consortium: pallet_consortium::GenesisConfig { sealers: GENESIS_SEALERS.to_vec() },
	}
	.build_storage()
	.expect("the test genesis config is valid");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
