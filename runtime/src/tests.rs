//! Runtime-level tests: the genesis presets, where transaction fees go, and pallets working
//! together as this runtime wires them.

use crate::{
	configs::FeesToBlockAuthor, genesis_config_presets, Balances, Runtime, RuntimeGenesisConfig,
	System,
};
use codec::Encode;
use frame_support::traits::{fungible::Balanced, Get, OnUnbalanced};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic::DigestItem, Digest};

/// State built from a preset the way the node does it: the preset patched onto the defaults.
fn ext_from_preset(id: &str) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&id.into()).expect("preset exists");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serializes");
	json_merge(&mut config, serde_json::from_slice(&patch).expect("a preset is JSON"));
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
			config.to_string().into_bytes(),
		)
		.expect("genesis builds")
	});
	ext
}

fn json_merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				json_merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

#[test]
fn every_preset_builds_with_its_sealers_and_difficulty() {
	use Sr25519Keyring::*;
	let expected = [
		("development", vec![Alice], genesis_config_presets::DEV_DIFFICULTY),
		("local_testnet", vec![Alice, Bob, Charlie], genesis_config_presets::DEV_DIFFICULTY),
		(
			genesis_config_presets::CONSORTIUM_TEMPLATE_PRESET,
			vec![Alice],
			genesis_config_presets::CONSORTIUM_DIFFICULTY,
		),
	];
	assert_eq!(
		genesis_config_presets::preset_names(),
		expected.iter().map(|(id, _, _)| id.to_string()).collect::<Vec<_>>()
	);
	for (id, sealers, difficulty) in expected {
		ext_from_preset(id).execute_with(|| {
			let mut sealers: Vec<_> = sealers.iter().map(|k| k.to_account_id()).collect();
			sealers.sort();
			assert_eq!(pallet_consortium::Pallet::<Runtime>::sealers(), sealers, "{id}");
			assert_eq!(
				pallet_difficulty::Pallet::<Runtime>::difficulty(),
				difficulty.into(),
				"{id}"
			);
			assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Alice.to_account_id()), "{id}");
		});
	}
	assert!(genesis_config_presets::get_preset(&"unknown".into()).is_none());
}

#[test]
fn only_the_consortium_template_founds_an_organisation() {
	use medchain_primitives::health::{OrgKind, Organisations as _, Role};
	use Sr25519Keyring::*;
	ext_from_preset(genesis_config_presets::CONSORTIUM_TEMPLATE_PRESET).execute_with(|| {
		let hospital = pallet_consortium::Organisations::<Runtime>::get(0)
			.expect("the template founds a hospital");
		assert_eq!(hospital.kind, OrgKind::Hospital);
		assert_eq!(&hospital.gln, genesis_config_presets::TEMPLATE_HOSPITAL_GLN.as_bytes());
		assert_eq!(hospital.admin, Alice.to_account_id());
		let consortium = pallet_consortium::Pallet::<Runtime>::organisation_of;
		assert_eq!(consortium(&Bob.to_account_id()), Some(0));
		assert!(pallet_consortium::Pallet::<Runtime>::has_role(
			0,
			&Bob.to_account_id(),
			Role::Emergency
		));
		assert_eq!(
			<Balances as frame_support::traits::fungible::InspectHold<_>>::total_balance_on_hold(
				&Alice.to_account_id()
			),
			<Runtime as pallet_consortium::Config>::MemberDeposit::get(),
			"Alice pays Bob's member deposit"
		);
	});
	for id in ["development", "local_testnet"] {
		ext_from_preset(id).execute_with(|| {
			assert_eq!(pallet_consortium::NextOrganisationId::<Runtime>::get(), 0, "{id}");
		});
	}
}

#[test]
fn fees_go_to_the_block_author() {
	ext_from_preset("local_testnet").execute_with(|| {
		let bob = Sr25519Keyring::Bob.to_account_id();
		let digest = Digest { logs: vec![DigestItem::PreRuntime(*b"pow_", bob.encode())] };
		System::initialize(&1, &Default::default(), &digest);
		let before = Balances::free_balance(&bob);
		FeesToBlockAuthor::on_unbalanced(Balances::issue(1_000_000));
		assert_eq!(Balances::free_balance(&bob), before + 1_000_000);
	});
}

#[test]
fn blocks_use_the_measured_base_weights_and_fit_the_heaviest_record_calls() {
	use crate::{configs::RuntimeBlockWeights, weights};
	use frame_support::dispatch::DispatchClass;
	use medchain_primitives::health::AccessPolicy;
	use pallet_records::WeightInfo;

	let block = RuntimeBlockWeights::get();
	assert_eq!(block.base_block, weights::BlockExecutionWeight::get());
	for class in DispatchClass::all() {
		assert_eq!(block.get(*class).base_extrinsic, weights::ExtrinsicBaseWeight::get());
	}
	// A call declaring more than a normal transaction may use could never be included.
	let normal_limit =
		block.get(DispatchClass::Normal).max_extrinsic.expect("normal transactions are limited");
	type Records = <Runtime as pallet_records::Config>::WeightInfo;
	let most_envelopes = <Runtime as pallet_records::Config>::MaxEnvelopesPerRecord::get();
	let decision = <<Runtime as pallet_records::Config>::Consent as AccessPolicy<
		crate::AccountId,
	>>::decision_weight();
	for heaviest in [
		Records::register(most_envelopes, 0),
		Records::amend(most_envelopes, 1),
		Records::erase(most_envelopes, 1),
	] {
		assert!(heaviest.saturating_add(decision).all_lt(normal_limit));
	}
}

/// The record registry and the pinning pallet as this runtime wires them (the registry's own
/// tests use a stand-in for the hooks, which never finishes a deletion): a registered
/// ciphertext is its patient's, the sealer pins it, and after the patient's erasure it is
/// nobody's only once the sealer confirmed deleting its copy.
#[test]
fn a_ciphertext_is_its_patient_s_until_the_sealers_confirm_its_deletion() {
	use crate::{Pinning, Records, RuntimeOrigin};
	use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
	use medchain_primitives::health::Purpose;
	use pallet_pinning::{signing_context, signing_message, PinPayload, PinStatus, UnpinPayload};
	use sp_core::{Pair, H256};
	use sp_runtime::{MultiSignature, MultiSigner};
	use Sr25519Keyring::*;

	// Nodes ask version 3 for the patient (`ciphertext_patient`); of an older one, only
	// whether any record names a blob.
	use sp_api::RuntimeApiInfo;
	let pinning_api = <dyn pallet_pinning::runtime_api::PinningApi<
		crate::Block,
		crate::AccountId,
		crate::BlockNumber,
	>>::ID;
	assert_eq!(crate::VERSION.api_version(&pinning_api), Some(3));

	ext_from_preset("development").execute_with(|| {
		System::set_block_number(1);
		let (patient, other) = (Ferdie.to_account_id(), Eve.to_account_id());
		let content_hash = H256::repeat_byte(0x5e);
		let register = |who: &crate::AccountId| {
			Records::register(
				RuntimeOrigin::signed(who.clone()),
				who.clone(),
				BoundedVec::truncate_from(b"11488-4".to_vec()),
				content_hash,
				2_048,
				BoundedVec::truncate_from(b"application/fhir+json".to_vec()),
				Purpose::Treatment,
				BoundedVec::new(),
			)
		};
		// The development chain's only sealer, Alice, signs what her off-chain worker did.
		let sealer = MultiSigner::from(Alice.public());
		let sign = |message: Vec<u8>| MultiSignature::from(Alice.pair().sign(&message));

		assert_ok!(register(&patient));
		let record = pallet_records::NextRecordId::<Runtime>::get() - 1;
		assert_eq!(Pinning::ciphertext_patient(content_hash), Some(patient.clone()));
		assert!(Balances::total_balance_on_hold(&patient) > 0, "the record's deposit");
		assert_noop!(
			register(&other),
			pallet_records::Error::<Runtime>::CiphertextOfAnotherPatient
		);

		let pin = PinPayload { record, content_hash, sealer: sealer.clone(), block: 1 };
		let signature = sign(signing_message(signing_context::PIN, &pin));
		assert_ok!(Pinning::confirm_pin(RuntimeOrigin::none(), pin, signature));
		assert_eq!(
			pallet_pinning::Pins::<Runtime>::get(record).map(|pin| pin.status),
			Some(PinStatus::Pinned)
		);

		// The erasure returns the deposit and asks Alice to delete her copy; until she has,
		// the ciphertext is still the patient's.
		assert_ok!(Records::erase(RuntimeOrigin::signed(patient.clone()), record));
		assert_eq!(Balances::total_balance_on_hold(&patient), 0);
		let unpin = pallet_pinning::Unpins::<Runtime>::get(content_hash).expect("deletion asked");
		assert_eq!(unpin.holders.into_inner(), vec![Alice.to_account_id()]);
		assert_eq!(Pinning::ciphertext_patient(content_hash), None);
		assert_noop!(
			register(&other),
			pallet_records::Error::<Runtime>::CiphertextOfAnotherPatient
		);

		let deleted = UnpinPayload { content_hash, sealer, block: 1 };
		let signature = sign(signing_message(signing_context::UNPIN, &deleted));
		assert_ok!(Pinning::confirm_unpin(RuntimeOrigin::none(), deleted, signature));
		assert!(!pallet_pinning::Unpins::<Runtime>::contains_key(content_hash));
		assert_ok!(register(&other));
		assert_eq!(Pinning::ciphertext_patient(content_hash), Some(other));
	});
}
