//! A minimal runtime to test the consortium pallet in.

use crate as pallet_consortium;
use frame_support::{derive_impl, parameter_types};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

/// The sealers' genesis config.
pub fn sealers_genesis(sealers: Vec<u64>) -> pallet_consortium::GenesisConfig<Test> {
	pallet_consortium::GenesisConfig { sealers, organisations: Vec::new() }
}

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		// The consortium's genesis config is left out of the runtime's and built on its own in
		// `new_test_ext`, with the test sealers: its default would leave nobody able to seal.
		Consortium: pallet_consortium::{Pallet, Call, Storage, Event<T>, HoldReason},
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = u64;
	type Lookup = sp_runtime::traits::IdentityLookup<u64>;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub const MaxSealers: u32 = 4;
	pub const MemberDeposit: u64 = 30;
	pub const EncryptionKeyDeposit: u64 = 5;
	pub const MaxMembersPerOrganisation: u32 = 3;
	pub const MaxCompanyPrefixes: u32 = 2;
}

impl pallet_consortium::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type SealerOrigin = EnsureRoot<u64>;
	type MaxSealers = MaxSealers;
	type Currency = Balances;
	type OrganisationOrigin = EnsureRoot<u64>;
	type MemberDeposit = MemberDeposit;
	type EncryptionKeyDeposit = EncryptionKeyDeposit;
	type MaxMembersPerOrganisation = MaxMembersPerOrganisation;
	type MaxCompanyPrefixes = MaxCompanyPrefixes;
	type MembershipHooks = RecordingMembershipHooks;
	type WeightInfo = ();
}

thread_local! {
	static CHANGED_MEMBERSHIPS: core::cell::RefCell<Vec<u64>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// Remembers whose membership changed, and says it used [`RecordingMembershipHooks::USED`].
pub struct RecordingMembershipHooks;

impl RecordingMembershipHooks {
	/// The weight every call of the hook says it used.
	pub const USED: frame_support::weights::Weight =
		frame_support::weights::Weight::from_parts(7_000, 0);

	/// The members the hook was told about, in order, since the test began.
	pub fn changed() -> Vec<u64> {
		CHANGED_MEMBERSHIPS.with(|changed| changed.borrow().clone())
	}
}

impl medchain_primitives::health::MembershipHooks<u64> for RecordingMembershipHooks {
	fn on_membership_changed(member: &u64) -> frame_support::weights::Weight {
		CHANGED_MEMBERSHIPS.with(|changed| changed.borrow_mut().push(*member));
		Self::USED
	}
	fn max_weight() -> frame_support::weights::Weight {
		Self::USED.saturating_mul(3)
	}
}

/// Sealers at genesis in every test: 1 and 2.
pub const GENESIS_SEALERS: [u64; 2] = [2, 1];

/// An organisation admin, funded.
pub const ADMIN: u64 = 20;
/// Another organisation's admin, funded.
pub const OTHER_ADMIN: u64 = 21;
/// Funded accounts to make members of organisations.
pub const ALICE: u64 = 30;
/// See [`ALICE`].
pub const BOB: u64 = 31;
/// See [`ALICE`].
pub const CAROL: u64 = 32;
/// See [`ALICE`].
pub const DAVE: u64 = 33;
/// An account with no funds.
pub const PAUPER: u64 = 40;
/// What every funded account starts with.
pub const ENDOWMENT: u64 = 1_000;

pub fn new_test_ext() -> sp_io::TestExternalities {
	ext_with_organisations(Vec::new())
}

/// [`new_test_ext`], with `organisations` founded at genesis.
pub fn ext_with_organisations(
	organisations: Vec<pallet_consortium::GenesisOrganisation<u64>>,
) -> sp_io::TestExternalities {
	let mut storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: [ADMIN, OTHER_ADMIN, ALICE, BOB, CAROL, DAVE]
				.iter()
				.map(|who| (*who, ENDOWMENT))
				.collect(),
			..Default::default()
		},
	}
	.build_storage()
	.expect("the test genesis config is valid");
	pallet_consortium::GenesisConfig::<Test> { sealers: GENESIS_SEALERS.to_vec(), organisations }
		.assimilate_storage(&mut storage)
		.expect("the test genesis is valid");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
