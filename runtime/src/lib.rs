//! The MedChain runtime.
//!
//! A consortium Proof-of-Work chain: blocks are sealed by members of the sealer set
//! ([`pallet_consortium`]) at a difficulty steered toward a six-second block time
//! ([`pallet_difficulty`]). Patients' records live in [`pallet_records`] and are shared
//! under [`pallet_consent`]; organisations and their members in [`pallet_consortium`]. Pallet configuration lives in [`configs`], runtime APIs in
//! [`apis`], and the chain's starting states in [`genesis_config_presets`].

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime!` does a lot of recursion and requires us to increase the limit.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// `define_benchmarks!` makes macros that `apis` uses, so this module comes first.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::vec::Vec;
use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256};
use sp_version::RuntimeVersion;

pub use frame_support::{construct_runtime, parameter_types};
pub use medchain_primitives::{AccountId, Balance, BlockNumber, Hash, Nonce, Signature};

/// Opaque types: what the node needs to know of the runtime without its call types.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;

	impl_opaque_keys! {
		/// MedChain has no session keys: sealers sign with a key of type `seal` kept in the
		/// node's keystore, and the sealer set lives in `pallet_consortium`.
		pub struct SessionKeys {}
	}
}

/// The runtime's version: bump `spec_version` with every runtime change that goes on chain.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("medchain"),
	impl_name: alloc::borrow::Cow::Borrowed("medchain"),
	authoring_version: 1,
	spec_version: 100,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Milliseconds the difficulty steers the block time toward.
pub const TARGET_BLOCK_TIME_MS: u64 = 6_000;

/// Blocks per minute, hour and day at the target block time.
pub const MINUTES: BlockNumber = 60_000 / (TARGET_BLOCK_TIME_MS as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// The smallest unit of the token is 10^-12 MED.
pub const UNIT: Balance = 1_000_000_000_000;
pub const MILLI_UNIT: Balance = 1_000_000_000;
pub const MICRO_UNIT: Balance = 1_000_000;

/// Token symbol shown by wallets.
pub const TOKEN_SYMBOL: &str = "MED";
/// Token decimals shown by wallets.
pub const TOKEN_DECIMALS: u8 = 12;
/// Address format (SS58 prefix): the generic Substrate one, understood by every wallet.
pub const SS58_PREFIX: u16 = 42;

/// Existential deposit.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// The address format for describing accounts.
pub type Address = sp_runtime::MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A Block signed with a Justification.
pub type SignedBlock = generic::SignedBlock<Block>;
/// BlockId type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, checked and applied to every signed transaction.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Executive: handles dispatch to the various pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(3)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(4)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(5)]
	pub type Utility = pallet_utility;

	#[runtime::pallet_index(10)]
	pub type Consortium = pallet_consortium;

	#[runtime::pallet_index(11)]
	pub type Difficulty = pallet_difficulty;

	#[runtime::pallet_index(12)]
	pub type Records = pallet_records;

	#[runtime::pallet_index(13)]
	pub type Consent = pallet_consent;

	#[runtime::pallet_index(14)]
	pub type SupplyChain = pallet_supply_chain;

	#[runtime::pallet_index(15)]
	pub type Pinning = pallet_pinning;
}
