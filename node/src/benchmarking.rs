//! What `medchain-node benchmark overhead` needs to build this chain's blocks: signed
//! `system.remark` transactions with the runtime's transaction extensions, the timestamp
//! inherent, and a `pow_` pre-runtime digest naming a sealer (the runtime refuses to execute
//! a block without one, so upstream's default block builder cannot measure it).
//!
//! For benchmarking only: the keys are the development chain's well-known ones.

use crate::service::FullClient;
use codec::Encode;
use medchain_runtime as runtime;
use sc_client_api::BlockBackend;
use sp_core::Pair;
use sp_inherents::{InherentData, InherentDataProvider};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic::Era, DigestItem, OpaqueExtrinsic};
use std::sync::Arc;

/// Builds the `system.remark` transactions the overhead benchmark fills blocks with, signed by
/// Bob (endowed on the development chain).
pub struct RemarkBuilder {
	client: Arc<FullClient>,
}

impl RemarkBuilder {
	/// Transactions for the chain `client` holds.
	pub fn new(client: Arc<FullClient>) -> Self {
		Self { client }
	}
}

impl frame_benchmarking_cli::ExtrinsicBuilder for RemarkBuilder {
	fn pallet(&self) -> &str {
		"system"
	}

	fn extrinsic(&self) -> &str {
		"remark"
	}

	fn build(&self, nonce: u32) -> Result<OpaqueExtrinsic, &'static str> {
		let call = runtime::RuntimeCall::System(frame_system::Call::remark { remark: Vec::new() });
		signed_transaction(&self.client, &Sr25519Keyring::Bob.pair(), call, nonce).map(Into::into)
	}
}

/// `call` signed by `sender` with `nonce` and every extension the runtime checks, immortal
/// and without a tip.
fn signed_transaction(
	client: &FullClient,
	sender: &sp_core::sr25519::Pair,
	call: runtime::RuntimeCall,
	nonce: u32,
) -> Result<runtime::UncheckedExtrinsic, &'static str> {
	let genesis_hash =
		client.block_hash(0).ok().flatten().ok_or("the chain has no genesis block")?;
	let extensions: runtime::TxExtension = (
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_system::WeightReclaim::new(),
	);
	// What each extension adds to the signed payload without carrying it in the transaction.
	let implicit = (
		(),
		runtime::VERSION.spec_version,
		runtime::VERSION.transaction_version,
		genesis_hash,
		genesis_hash,
		(),
		(),
		(),
		(),
	);
	let payload = runtime::SignedPayload::from_raw(call.clone(), extensions.clone(), implicit);
	let signature = payload.using_encoded(|bytes| sender.sign(bytes));
	Ok(runtime::UncheckedExtrinsic::new_signed(
		call,
		sp_runtime::AccountId32::from(sender.public()).into(),
		runtime::Signature::Sr25519(signature),
		extensions,
	))
}

/// The inherent data of a benchmarked block: the current time.
pub fn inherent_data() -> sc_cli::Result<InherentData> {
	let mut data = InherentData::new();
	futures::executor::block_on(
		sp_timestamp::InherentDataProvider::from_system_time().provide_inherent_data(&mut data),
	)
	.map_err(|error| format!("creating the timestamp inherent: {error:?}"))?;
	Ok(data)
}

/// The digest of a benchmarked block: Alice, the development chain's sealer, is its author.
pub fn digest() -> Vec<DigestItem> {
	vec![DigestItem::PreRuntime(
		sp_consensus_pow::POW_ENGINE_ID,
		Sr25519Keyring::Alice.to_account_id().encode(),
	)]
}
