//! A runtime with the system and pinning pallets, sealers kept in a thread-local list, and
//! unsigned transactions built as the MedChain runtime builds them (bare extrinsics,
//! `MultiSigner`/`MultiSignature` payload signatures).

use crate as pallet_pinning;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
	weights::{RuntimeDbWeight, Weight},
};
use frame_system::offchain::{CreateBare, CreateTransactionBase, SigningTypes};
use medchain_primitives::{health::RecordHooks, pinning::CIPHERTEXT_MAGIC};
use sp_core::{sr25519, Pair, H256};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{
	testing::TestXt, traits::IdentityLookup, AccountId32, BuildStorage, MultiSignature, MultiSigner,
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Pinning: pallet_pinning,
	}
);

parameter_types! {
	/// Reads and writes told apart in a weight: a read is 1, a write 1,000.
	pub const TestDbWeight: RuntimeDbWeight = RuntimeDbWeight { read: 1, write: 1_000 };
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId32;
	type Lookup = IdentityLookup<AccountId32>;
	type DbWeight = TestDbWeight;
}

/// The extrinsic the worker's transactions are encoded as.
pub type Extrinsic = TestXt<RuntimeCall, ()>;

impl SigningTypes for Test {
	type Public = MultiSigner;
	type Signature = MultiSignature;
}

impl<LocalCall> CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> CreateBare<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_bare(call: RuntimeCall) -> Extrinsic {
		Extrinsic::new_bare(call)
	}
}

thread_local! {
	static SEALERS: RefCell<Vec<AccountId32>> = const { RefCell::new(Vec::new()) };
}

/// The sealer set: a thread-local list.
pub struct MockSealers;

impl MockSealers {
	/// Makes exactly `sealers` the sealer set.
	pub fn set(sealers: &[AccountId32]) {
		SEALERS.with(|set| *set.borrow_mut() = sealers.to_vec());
	}
}

impl pallet_pinning::SealerSet<AccountId32> for MockSealers {
	fn is_sealer(who: &AccountId32) -> bool {
		SEALERS.with(|set| set.borrow().contains(who))
	}
	fn sealer_count() -> u32 {
		SEALERS.with(|set| set.borrow().len() as u32)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_pinning::BenchmarkHelper<AccountId32> for MockSealers {
	fn make_sealer(who: &AccountId32) {
		SEALERS.with(|set| {
			let mut set = set.borrow_mut();
			if !set.contains(who) {
				set.push(who.clone());
			}
		});
	}
}

parameter_types! {
	pub const UnsignedPriority: u64 = 1 << 20;
}

/// The replication target of the mock.
pub const TARGET: u32 = 2;
/// The mock's `MaxUploadAttempts`.
pub const MAX_ATTEMPTS: u32 = 3;
/// The mock's `UnsignedLongevity`.
pub const LONGEVITY: u64 = 5;

impl pallet_pinning::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type AuthorityId = pallet_pinning::crypto::SealerAuthId;
	type Sealers = MockSealers;
	type ReplicationTarget = ConstU32<TARGET>;
	type MaxSealers = ConstU32<4>;
	type MaxPinsPerRun = ConstU32<2>;
	type MaxUploadAttempts = ConstU32<MAX_ATTEMPTS>;
	type UnsignedLongevity = ConstU64<LONGEVITY>;
	type UnsignedPriority = UnsignedPriority;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockSealers;
}

/// The key pair of test sealer `n`.
pub fn sealer_pair(n: u8) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//Sealer{n}"), None).expect("a valid derivation path")
}

/// The account of test sealer `n`.
pub fn sealer(n: u8) -> AccountId32 {
	AccountId32::from(sealer_pair(n).public())
}

/// The payload public key of test sealer `n`.
pub fn sealer_public(n: u8) -> MultiSigner {
	MultiSigner::from(sealer_pair(n).public())
}

/// Makes test sealers `ns` the sealer set.
pub fn set_sealers(ns: &[u8]) {
	MockSealers::set(&ns.iter().map(|n| sealer(*n)).collect::<Vec<_>>());
}

/// The ciphertext of test record content `n`, sealed for [`PATIENT`] as a client seals it.
pub fn ciphertext(n: u8) -> Vec<u8> {
	let body = format!("ciphertext {n}: not health data, just bytes");
	[CIPHERTEXT_MAGIC, PATIENT.as_ref(), body.as_bytes()].concat()
}

/// SHA-256 of [`ciphertext`] `n`.
pub fn content(n: u8) -> H256 {
	H256(sp_io::hashing::sha2_256(&ciphertext(n)))
}

/// The patient of every test record, unless a test says otherwise.
pub const PATIENT: AccountId32 = AccountId32::new([0xaa; 32]);

/// The record registry registering [`PATIENT`]'s `record` with [`ciphertext`] `n`: the weight
/// the hook did not use.
pub fn register(record: u64, n: u8) -> Weight {
	register_for(&PATIENT, record, n)
}

/// The record registry registering `patient`'s `record` with [`ciphertext`] `n`: the weight
/// the hook did not use.
pub fn register_for(patient: &AccountId32, record: u64, n: u8) -> Weight {
	<Pinning as RecordHooks<AccountId32>>::on_registered(
		record,
		patient,
		&content(n),
		ciphertext(n).len() as u64,
	)
}

/// The record registry erasing `record`, whose ciphertext is [`ciphertext`] `n`: the weight
/// the hook did not use.
pub fn erase(record: u64, n: u8) -> Weight {
	<Pinning as RecordHooks<AccountId32>>::on_erased(record, &content(n))
}

/// Externalities at block 1 (so events are kept), with a keystore (benchmarks generate keys)
/// and sealers 1, 2 and 3.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext.execute_with(|| {
		System::set_block_number(1);
		set_sealers(&[1, 2, 3]);
	});
	ext
}
