//! The chains `medchain-node` knows by name: `dev`, `local` and `consortium-template`.

use medchain_runtime::{
	genesis_config_presets::CONSORTIUM_TEMPLATE_PRESET, SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL,
	WASM_BINARY,
};
use sc_service::{ChainType, Properties};

/// Specialized `ChainSpec`: the runtime's genesis config as JSON, no extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

/// What wallets such as polkadot.js apps show: token symbol, decimals, address format.
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn spec(name: &str, id: &str, chain_type: ChainType, preset: &str) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY
		.ok_or_else(|| "the runtime Wasm was not built (SKIP_WASM_BUILD?)".to_string())?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// One node, Alice seals: `--dev`.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	spec(
		"MedChain Development",
		"medchain_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// Alice, Bob and Charlie seal: `--chain local`.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	spec(
		"MedChain Local Testnet",
		"medchain_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// The starting point of a real consortium: `--chain consortium-template`.
pub fn consortium_template_chain_spec() -> Result<ChainSpec, String> {
	spec("MedChain Consortium", "medchain", ChainType::Live, CONSORTIUM_TEMPLATE_PRESET)
}
