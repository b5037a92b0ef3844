//! Configuration of every pallet in the MedChain runtime.

use crate::{
	AccountId, Balance, Balances, Block, BlockNumber, Consent, Consortium, Hash, Nonce, PalletInfo,
	Pinning, Records, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason,
	RuntimeOrigin, RuntimeTask, Signature, System, Timestamp, UncheckedExtrinsic,
	EXISTENTIAL_DEPOSIT, MILLI_UNIT, SS58_PREFIX, TARGET_BLOCK_TIME_MS, VERSION,
};
use frame_support::dispatch::DispatchClass;
use frame_support::{
	derive_impl, parameter_types,
	traits::{
		fungible::{Balanced, Credit},
		ConstU128, ConstU32, ConstU64, ConstU8, OnUnbalanced, VariantCountOf,
	},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, IdentityFee, Weight},
};
use frame_system::{limits::BlockWeights, EnsureRoot};
use medchain_primitives::Difficulty;
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::{
	traits::{One, Verify},
	Perbill,
};

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Two seconds of compute per block; proof size is unbounded (a solochain has no relay chain
/// to prove blocks to).
const MAX_BLOCK_WEIGHT: Weight = Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX);
/// The share of a block `on_initialize` hooks are expected to use.
const AVERAGE_ON_INITIALIZE_RATIO: Perbill = Perbill::from_percent(10);
/// Largest block, in bytes.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: sp_version::RuntimeVersion = VERSION;

	/// [`MAX_BLOCK_WEIGHT`], a third of the target block time, so a block imports well before
	/// the next one is due even on modest consortium hardware. Three
	/// quarters for normal transactions, the rest kept for operational ones (as upstream's
	/// sensible defaults), with the base weights of a block and of an extrinsic measured on
	/// this runtime.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(crate::weights::BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = crate::weights::ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAX_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAX_BLOCK_WEIGHT);
			weights.reserved =
				Some(MAX_BLOCK_WEIGHT.saturating_sub(NORMAL_DISPATCH_RATIO * MAX_BLOCK_WEIGHT));
		})
		.avg_block_initialization(AVERAGE_ON_INITIALIZE_RATIO)
		.build_or_panic();
	pub RuntimeBlockLength: frame_system::limits::BlockLength = frame_system::limits::BlockLength
		::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	// The node stores state in ParityDB only: its costs as measured on a state snapshot as
	// large as a consortium's after 150,000 records, not upstream's placeholder figures.
	type DbWeight = crate::weights::ParityDbWeight;
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	// Each block's timestamp feeds the difficulty adjustment.
	type OnTimestampSet = crate::Difficulty;
	// Proof-of-Work has no slots: a block may follow its parent after any positive delay.
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

/// Pays the transaction fees of a block to the consortium member who sealed it.
///
/// Fees that cannot be paid (no author, or an amount below the existential deposit for a
/// new account) are dropped, which burns them.
pub struct FeesToBlockAuthor;
impl OnUnbalanced<Credit<AccountId, Balances>> for FeesToBlockAuthor {
	fn on_nonzero_unbalanced(fees: Credit<AccountId, Balances>) {
		if let Some(author) = Consortium::block_author() {
			let _ = Balances::resolve(&author, fees);
		}
	}
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, FeesToBlockAuthor>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = crate::OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

impl pallet_consortium::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type SealerOrigin = EnsureRoot<AccountId>;
	type MaxSealers = ConstU32<64>;
	type Currency = Balances;
	type OrganisationOrigin = EnsureRoot<AccountId>;
	type MemberDeposit = ConstU128<{ 5 * MILLI_UNIT }>;
	type EncryptionKeyDeposit = ConstU128<{ 2 * MILLI_UNIT }>;
	type MaxMembersPerOrganisation = ConstU32<10_000>;
	// A large manufacturer licenses a handful of prefixes, one per brand or acquisition.
	type MaxCompanyPrefixes = ConstU32<16>;
	type MembershipHooks = Records;
	type WeightInfo = pallet_consortium::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const TargetBlockTime: u64 = TARGET_BLOCK_TIME_MS;
	/// The easiest allowed difficulty: about a millisecond of one core's hashing.
	pub MinDifficulty: Difficulty = Difficulty::from(1_000u64);
	pub MaxDifficulty: Difficulty = Difficulty::MAX;
}

impl pallet_difficulty::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type DifficultyOrigin = EnsureRoot<AccountId>;
	type TargetBlockTime = TargetBlockTime;
	// Ten minutes of blocks at the target time.
	type AdjustmentWindow = ConstU32<100>;
	type DampingFactor = ConstU32<3>;
	type ClampFactor = ConstU32<2>;
	type MinDifficulty = MinDifficulty;
	type MaxDifficulty = MaxDifficulty;
	type WeightInfo = pallet_difficulty::weights::SubstrateWeight<Runtime>;
}

impl pallet_records::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Time = Timestamp;
	type Consent = Consent;
	type Organisations = Consortium;
	// Registrations and erasures create pin and unpin requests.
	type Hooks = Pinning;
	type RecordDeposit = ConstU128<{ 10 * MILLI_UNIT }>;
	type KeyEnvelopeDeposit = ConstU128<{ 5 * MILLI_UNIT }>;
	type MaxEnvelopesPerRecord = ConstU32<32>;
	// An X25519 sealed box of a 32-byte data key is 80 bytes; room for other wrappings.
	type MaxWrappedKeyLen = ConstU32<128>;
	// About 0.5 ms per envelope (an access decision and a removal): a revocation stays cheap,
	// and covers the envelopes a patient typically gives one provider.
	type MaxEnvelopesExaminedOnRevoke = ConstU32<32>;
	#[cfg(feature = "runtime-benchmarks")]
	type HooksHelper = Pinning;
	#[cfg(feature = "runtime-benchmarks")]
	type OrganisationsHelper = Consortium;
	type WeightInfo = pallet_records::weights::SubstrateWeight<Runtime>;
}

impl pallet_consent::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Time = Timestamp;
	type Records = Records;
	type RevocationHooks = Records;
	type Organisations = Consortium;
	type ConsentDeposit = ConstU128<{ 10 * MILLI_UNIT }>;
	type DelegateDeposit = ConstU128<{ 5 * MILLI_UNIT }>;
	type MaxConsentsPerPatient = ConstU32<32>;
	type MaxConsentsPerGrantee = ConstU32<4>;
	type MaxScopeItems = ConstU32<16>;
	type MaxDelegates = ConstU32<4>;
	/// A break-glass read lasts four hours.
	type EmergencyAccessDuration = ConstU64<{ 4 * 60 * 60 * 1000 }>;
	type WeightInfo = pallet_consent::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type RecordsHelper = Records;
	#[cfg(feature = "runtime-benchmarks")]
	type OrganisationsHelper = Consortium;
}

/// The consortium's sealers, as the pinning pallet asks for them: only they pin ciphertext.
pub struct ConsortiumSealers;

impl pallet_pinning::SealerSet<AccountId> for ConsortiumSealers {
	fn is_sealer(who: &AccountId) -> bool {
		Consortium::is_sealer(who)
	}

	fn sealer_count() -> u32 {
		let count = pallet_consortium::Sealers::<Runtime>::decode_len().unwrap_or(0);
		u32::try_from(count).unwrap_or(u32::MAX)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_pinning::BenchmarkHelper<AccountId> for ConsortiumSealers {
	fn make_sealer(who: &AccountId) {
		pallet_consortium::Sealers::<Runtime>::mutate(|sealers| {
			if let Err(at) = sealers.binary_search(who) {
				let _ = sealers.try_insert(at, who.clone());
			}
		});
	}
}

impl frame_system::offchain::SigningTypes for Runtime {
	type Public = <Signature as Verify>::Signer;
	type Signature = Signature;
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}

impl pallet_pinning::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AuthorityId = pallet_pinning::crypto::SealerAuthId;
	type Sealers = ConsortiumSealers;
	/// Each ciphertext is stored by two sealers (or every sealer, if fewer).
	type ReplicationTarget = ConstU32<2>;
	type MaxSealers = ConstU32<64>;
	type MaxPinsPerRun = ConstU32<4>;
	type MaxUploadAttempts = ConstU32<8>;
	/// Sealers' statements stay valid for ten blocks, about a minute.
	type UnsignedLongevity = ConstU64<10>;
	type UnsignedPriority = ConstU64<{ 1 << 20 }>;
	type WeightInfo = pallet_pinning::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ConsortiumSealers;
}

/// Sets the chain's clock for the supply-chain benchmarks (expiry and revert windows).
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkClock;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_supply_chain::BenchmarkHelper for BenchmarkClock {
	fn set_time(now: u64) {
		pallet_timestamp::Now::<Runtime>::put(now);
	}
}

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

impl pallet_supply_chain::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Time = Timestamp;
	type Organisations = Consortium;
	type ProductDeposit = ConstU128<{ 10 * MILLI_UNIT }>;
	/// Small: a manufacturer commissions packs by the thousand.
	type PackDeposit = ConstU128<{ MILLI_UNIT / 10 }>;
	type ContainerDeposit = ConstU128<{ MILLI_UNIT }>;
	type MaxCommissionPerCall = ConstU32<1000>;
	type MaxChildrenPerContainer = ConstU32<1000>;
	/// Pack in a case on a pallet.
	type MaxNestingDepth = ConstU32<3>;
	type MaxBatchesPerContainer = ConstU32<16>;
	type MaxShipmentItems = ConstU32<100>;
	type MaxHistoryLen = ConstU32<128>;
	/// EU FMD Art. 13: a decommissioned pack may be reverted within ten days.
	type RevertWindow = ConstU64<{ 10 * DAY_MS }>;
	/// DSCSA: transaction records are kept six years.
	type RetentionPeriod = ConstU64<{ 6 * 365 * DAY_MS }>;
	/// A month for the buyer to receive or reject: longer than any overland or sea freight
	/// leg, short enough that goods lost in transit return to a custodian's books.
	type ShipmentTimeout = ConstU64<{ 30 * DAY_MS }>;
	/// As `consortium`'s `OrganisationOrigin`, which records the Company Prefixes.
	type ProductOrigin = EnsureRoot<AccountId>;
	type WeightInfo = pallet_supply_chain::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type OrganisationsHelper = Consortium;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkClock;
}
