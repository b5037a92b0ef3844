//! A minimal runtime to test the difficulty pallet in.

use crate as pallet_difficulty;
use frame_support::{derive_impl, parameter_types};
use frame_system::EnsureRoot;
use sp_core::U256;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Difficulty: pallet_difficulty,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = Difficulty;
	type MinimumPeriod = frame_support::traits::ConstU64<0>;
	type WeightInfo = ();
}

/// Target block time of the tests, in milliseconds.
pub const TARGET_MS: u64 = 6_000;
/// Difficulty at genesis in every test.
pub const INITIAL: u64 = 1_000_000;

parameter_types! {
	pub const TargetBlockTime: u64 = TARGET_MS;
	pub const AdjustmentWindow: u32 = 4;
	pub const DampingFactor: u32 = 2;
	pub const ClampFactor: u32 = 2;
	pub MinDifficulty: U256 = U256::from(1_000);
	pub MaxDifficulty: U256 = U256::from(1_000_000_000u64);
}

impl pallet_difficulty::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type DifficultyOrigin = EnsureRoot<u64>;
	type TargetBlockTime = TargetBlockTime;
	type AdjustmentWindow = AdjustmentWindow;
	type DampingFactor = DampingFactor;
	type ClampFactor = ClampFactor;
	type MinDifficulty = MinDifficulty;
	type MaxDifficulty = MaxDifficulty;
	type WeightInfo = ();
}

pub fn test_ext_with(initial: u64) -> sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		difficulty: pallet_difficulty::GenesisConfig {
			initial_difficulty: U256::from(initial),
			_config: Default::default(),
		},
	}
	.build_storage()
	.expect("the test genesis config is valid");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	test_ext_with(INITIAL)
}
