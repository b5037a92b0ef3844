//! Unit tests of the consortium pallet: every call, every error, the block-author check.

use crate::{mock::*, Error, Event, Sealers, POW_ENGINE_ID};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_runtime::{generic::DigestItem, traits::BadOrigin, BuildStorage, Digest};

fn start_block_sealed_by(author_digest: Option<Vec<u8>>) {
	let logs = author_digest
		.map(|bytes| vec![DigestItem::PreRuntime(POW_ENGINE_ID, bytes)])
		.unwrap_or_default();
	System::initialize(&2, &Default::default(), &Digest { logs });
	Consortium::on_initialize(2);
}

#[test]
fn genesis_sealers_are_stored_sorted() {
	new_test_ext().execute_with(|| {
		assert_eq!(Consortium::sealers(), vec![1, 2]);
		assert!(Consortium::is_sealer(&1));
		assert!(Consortium::is_sealer(&2));
		assert!(!Consortium::is_sealer(&3));
	});
}

#[test]
#[should_panic(expected = "duplicate sealer")]
fn genesis_with_a_duplicate_sealer_is_refused() {
	let _ = RuntimeGenesisConfig {
		system: Default::default(),
		consortium: crate::GenesisConfig { sealers: vec![1, 1] },
	}
	.build_storage();
}

#[test]
fn governance_adds_a_sealer_in_order_and_says_so() {
	new_test_ext().execute_with(|| {
		assert_ok!(Consortium::add_sealer(RuntimeOrigin::root(), 0));
		assert_eq!(Consortium::sealers(), vec![0, 1, 2]);
		System::assert_last_event(Event::SealerAdded { sealer: 0 }.into());
	});
}

#[test]
fn adding_an_existing_sealer_fails() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Consortium::add_sealer(RuntimeOrigin::root(), 1),
			Error::<Test>::AlreadySealer
		);
	});
}

#[test]
fn adding_beyond_max_sealers_fails() {
	new_test_ext().execute_with(|| {
		assert_ok!(Consortium::add_sealer(RuntimeOrigin::root(), 3));
		assert_ok!(Consortium::add_sealer(RuntimeOrigin::root(), 4));
		assert_noop!(
			Consortium::add_sealer(RuntimeOrigin::root(), 5),
			Error::<Test>::TooManySealers
		);
		assert_eq!(Sealers::<Test>::get().len(), 4);
	});
}

#[test]
fn only_governance_changes_the_set() {
	new_test_ext().execute_with(|| {
		assert_noop!(Consortium::add_sealer(RuntimeOrigin::signed(1), 3), BadOrigin);
		assert_noop!(Consortium::remove_sealer(RuntimeOrigin::signed(1), 2), BadOrigin);
	});
}

#[test]
fn governance_removes_a_sealer_and_says_so() {
	new_test_ext().execute_with(|| {
		assert_ok!(Consortium::remove_sealer(RuntimeOrigin::root(), 1));
		assert_eq!(Consortium::sealers(), vec![2]);
		System::assert_last_event(Event::SealerRemoved { sealer: 1 }.into());
	});
}

#[test]
fn removing_a_non_sealer_fails() {
	new_test_ext().execute_with(|| {
		assert_noop!(Consortium::remove_sealer(RuntimeOrigin::root(), 9), Error::<Test>::NotSealer);
	});
}

#[test]
fn the_last_sealer_cannot_be_removed() {
	new_test_ext().execute_with(|| {
		assert_ok!(Consortium::remove_sealer(RuntimeOrigin::root(), 1));
		assert_noop!(
			Consortium::remove_sealer(RuntimeOrigin::root(), 2),
			Error::<Test>::LastSealer
		);
		assert_eq!(Consortium::sealers(), vec![2]);
	});
}

#[test]
fn a_block_sealed_by_a_sealer_executes_and_names_its_author() {
	new_test_ext().execute_with(|| {
		start_block_sealed_by(Some(2u64.encode()));
		assert_eq!(Consortium::block_author(), Some(2));
	});
}

#[test]
#[should_panic(expected = "not in the consortium sealer set")]
fn a_block_sealed_by_an_outsider_fails_to_execute() {
	new_test_ext().execute_with(|| start_block_sealed_by(Some(7u64.encode())));
}

#[test]
#[should_panic(expected = "not in the consortium sealer set")]
fn a_block_without_an_author_fails_to_execute() {
	new_test_ext().execute_with(|| start_block_sealed_by(None));
}

#[test]
#[should_panic(expected = "not in the consortium sealer set")]
fn a_block_whose_author_digest_has_extra_bytes_fails_to_execute() {
	new_test_ext().execute_with(|| {
		let mut bytes = 1u64.encode();
		bytes.push(0);
		start_block_sealed_by(Some(bytes))
	});
}

#[test]
fn a_removed_sealer_can_no_longer_author() {
	new_test_ext().execute_with(|| {
		assert_ok!(Consortium::remove_sealer(RuntimeOrigin::root(), 1));
		let result = std::panic::catch_unwind(|| start_block_sealed_by(Some(1u64.encode())));
		assert!(result.is_err());
	});
}
