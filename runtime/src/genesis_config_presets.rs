//! The states a MedChain chain can start from.
//!
//! - `development`: Alice seals alone at a difficulty one core meets in about a second.
//! - `local_testnet`: Alice, Bob and Charlie seal, for a three-node network on one machine.
//! - `consortium_template`: the shape of a real launch. Replace the sealers, the founding
//!   organisations and the governance key with the consortium's own before generating its
//!   chain spec (see `chain-spec/README.md`).

use crate::{AccountId, Balance, BalancesConfig, RuntimeGenesisConfig, SudoConfig, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use medchain_primitives::{
	health::{OrgKind, Role},
	Difficulty,
};
use pallet_consortium::GenesisOrganisation;
use serde_json::Value;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::Sr25519Keyring;

/// Name of the consortium launch template preset.
pub const CONSORTIUM_TEMPLATE_PRESET: &str = "consortium_template";

/// Expected hashes per block on the development chains: about a second of one core.
pub const DEV_DIFFICULTY: u64 = 6_000_000;
/// Starting difficulty of a consortium chain: a few seconds of a few sealers' cores; the
/// adjustment finds the real value within the first hour.
pub const CONSORTIUM_DIFFICULTY: u64 = 20_000_000;

/// What each endowed development account starts with.
const DEV_ENDOWMENT: Balance = 1_000_000 * UNIT;

/// The consortium template's founding hospital's GLN: a placeholder to replace.
pub const TEMPLATE_HOSPITAL_GLN: &str = "5790000000005";

fn genesis(
	sealers: Vec<AccountId>,
	organisations: Vec<GenesisOrganisation<AccountId>>,
	endowed: Vec<(AccountId, Balance)>,
	governance: AccountId,
	initial_difficulty: u64,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed },
		sudo: SudoConfig { key: Some(governance) },
		consortium: pallet_consortium::GenesisConfig { sealers, organisations },
		difficulty: pallet_difficulty::GenesisConfig {
			initial_difficulty: Difficulty::from(initial_difficulty),
		},
	})
}

fn dev_endowments() -> Vec<(AccountId, Balance)> {
	Sr25519Keyring::well_known().map(|k| (k.to_account_id(), DEV_ENDOWMENT)).collect()
}

/// Alice seals alone; every well-known account is endowed; Alice holds sudo.
pub fn development_config_genesis() -> Value {
	genesis(
		vec![Sr25519Keyring::Alice.to_account_id()],
		Vec::new(),
		dev_endowments(),
		Sr25519Keyring::Alice.to_account_id(),
		DEV_DIFFICULTY,
	)
}

/// Alice, Bob and Charlie seal; every well-known account is endowed; Alice holds sudo.
pub fn local_config_genesis() -> Value {
	genesis(
		vec![
			Sr25519Keyring::Alice.to_account_id(),
			Sr25519Keyring::Bob.to_account_id(),
			Sr25519Keyring::Charlie.to_account_id(),
		],
		Vec::new(),
		dev_endowments(),
		Sr25519Keyring::Alice.to_account_id(),
		DEV_DIFFICULTY,
	)
}

/// The launch template: placeholder accounts stand for the founding hospital's keys. Alice is
/// its sealer, governance and organisation admin, and the only endowed account (enough to
/// pay fees and member deposits); Bob is its first clinician with the emergency role.
pub fn consortium_template_genesis() -> Value {
	let founder = Sr25519Keyring::Alice.to_account_id();
	let founding_hospital = GenesisOrganisation {
		kind: OrgKind::Hospital,
		gln: TEMPLATE_HOSPITAL_GLN.into(),
		admin: founder.clone(),
		members: vec![(
			Sr25519Keyring::Bob.to_account_id(),
			vec![Role::Clinician, Role::Emergency],
		)],
		company_prefixes: vec![],
	};
	genesis(
		vec![founder.clone()],
		vec![founding_hospital],
		vec![(founder.clone(), 1_000 * UNIT)],
		founder,
		CONSORTIUM_DIFFICULTY,
	)
}

/// Provides the JSON representation of the predefined genesis config for the given `id`.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		CONSORTIUM_TEMPLATE_PRESET => consortium_template_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// List of supported presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(CONSORTIUM_TEMPLATE_PRESET),
	]
}
