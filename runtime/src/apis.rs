//! The runtime APIs MedChain implements: the standard set a node and polkadot.js need,
//! plus the consortium, Proof-of-Work difficulty, records, consent and pinning queries.

use crate::{
	AccountId, Balance, Block, BlockNumber, Consent, Consortium, Executive, InherentDataExt, Nonce,
	Pinning, Records, Runtime, RuntimeCall, RuntimeGenesisConfig, SupplyChain, System,
	TransactionPayment, VERSION,
};
use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use medchain_primitives::{
	health::{AccessDecision, Action, ConsentId, Purpose, RecordId},
	Difficulty,
};
use sp_api::impl_runtime_apis;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::Block as BlockT,
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			crate::opaque::SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			crate::opaque::SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl sp_consensus_pow::DifficultyApi<Block, Difficulty> for Runtime {
		fn difficulty() -> Difficulty {
			pallet_difficulty::Pallet::<Runtime>::difficulty()
		}
	}

	#[api_version(2)]
	impl medchain_primitives::ConsortiumApi<Block> for Runtime {
		fn is_sealer(who: AccountId) -> bool {
			Consortium::is_sealer(&who)
		}

		fn sealers() -> Vec<AccountId> {
			Consortium::sealers()
		}

		fn encryption_key(who: AccountId) -> Option<[u8; 32]> {
			Consortium::encryption_key(&who)
		}
	}

	impl pallet_records::runtime_api::RecordsApi<Block, AccountId, pallet_records::RecordOf<Runtime>> for Runtime {
		fn records_of(patient: AccountId, after: Option<RecordId>, count: u32) -> Vec<RecordId> {
			Records::records_of(&patient, after, count)
		}

		fn record(record: RecordId) -> Option<pallet_records::RecordOf<Runtime>> {
			Records::record(record)
		}

		fn tombstone(record: RecordId) -> Option<pallet_records::Tombstone> {
			Records::tombstone(record)
		}

		fn key_envelope(record: RecordId, recipient: AccountId) -> Option<Vec<u8>> {
			Records::key_envelope(record, &recipient)
		}
	}

	impl pallet_supply_chain::runtime_api::SupplyChainApi<Block, BlockNumber> for Runtime {
		fn verify(sgtin: pallet_supply_chain::Sgtin) -> pallet_supply_chain::Verification {
			SupplyChain::verify(&sgtin)
		}

		fn history(
			sgtin: pallet_supply_chain::Sgtin,
			start: u32,
			count: u32,
		) -> Vec<(pallet_supply_chain::Epc, pallet_supply_chain::HistoryEntry<BlockNumber>)> {
			SupplyChain::history(&sgtin, start, count)
		}
	}

	#[api_version(3)]
	impl pallet_pinning::runtime_api::PinningApi<Block, AccountId, BlockNumber> for Runtime {
		fn pin_status(record: RecordId) -> Option<pallet_pinning::PinStatusInfo<AccountId, BlockNumber>> {
			Pinning::pin_status(record)
		}

		fn is_referenced(content_hash: sp_core::H256) -> bool {
			Pinning::is_referenced(content_hash)
		}

		fn ciphertext_patient(content_hash: sp_core::H256) -> Option<AccountId> {
			Pinning::ciphertext_patient(content_hash)
		}
	}

	impl pallet_consent::runtime_api::ConsentApi<Block, AccountId, pallet_consent::ConsentOf<Runtime>> for Runtime {
		fn can_access(who: AccountId, record: RecordId, action: Action, purpose: Purpose) -> AccessDecision {
			Consent::can_access(&who, record, action, purpose)
		}

		fn consents_of(patient: AccountId) -> Vec<(ConsentId, pallet_consent::ConsentOf<Runtime>)> {
			Consent::consents_of(&patient)
		}

		fn access_log(
			record: RecordId,
			start: u32,
			count: u32,
		) -> Vec<(u32, pallet_consent::AccessReceipt<AccountId>)> {
			Consent::access_log(record, start, count)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::{baseline, BenchmarkList};
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = crate::AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline, BenchmarkBatch};
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use frame_support::traits::WhitelistedStorageKeys;

			impl frame_system_benchmarking::Config for Runtime {}
			impl baseline::Config for Runtime {}
			impl pallet_transaction_payment::BenchmarkConfig for Runtime {
				/// Fees go to the block's author, as in every real block: the benchmarked
				/// block has one in its `pow_` digest.
				fn setup_benchmark_environment() {
					let author: AccountId = frame_benchmarking::account("author", 0, 0);
					crate::System::deposit_log(sp_runtime::DigestItem::PreRuntime(
						pallet_consortium::POW_ENGINE_ID,
						codec::Encode::encode(&author),
					));
				}
			}

			let whitelist = crate::AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			Ok(batches)
		}
	}
}
