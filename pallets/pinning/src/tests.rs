//! Unit tests of the pinning pallet: every call and error, the pool's checks, the status
//! transitions, the record hooks, and the off-chain worker end to end with sp-core's test
//! off-chain externalities (HTTP, off-chain storage, transaction pool) and a keystore holding
//! a sealer key.

#![allow(deprecated)] // `ValidateUnsigned`, see the TODO in lib.rs.

use crate::{
	mock::*, offchain::*, Error, Event, FailurePayload, FailureReason, Objects, Pending,
	PinPayload, PinStatus, PinStatusInfo, Pins, SignatureOf, StoredObject, UnpinPayload,
	UnpinRequest, Unpins,
};
use codec::{Decode, Encode};
use frame_support::{
	assert_noop, assert_ok,
	traits::{Hooks, UnfilteredDispatchable},
	weights::Weight,
	BoundedVec,
};
use frame_system::offchain::SignedPayload;
use medchain_primitives::{
	health::RecordHooks,
	pinning::{
		blob_key, DaySigningKey, StorageSettings, BUCKET_KEEPS_VERSIONS_KEY, STORAGE_SETTINGS_KEY,
	},
	SEALER_KEY_TYPE,
};
use medchain_sigv4::{hex_lower, signing_key, Addressing, AmzDateTime, Credentials, S3Config};
use sp_core::{
	offchain::{
		testing::{PendingRequest, TestOffchainExt, TestTransactionPoolExt},
		DbExternalities, Externalities, HttpError, HttpRequestId, HttpRequestStatus, OffchainDbExt,
		OffchainWorkerExt, OpaqueNetworkState, StorageKind, Timestamp, TransactionPoolExt,
	},
	sr25519, OpaquePeerId, Pair, H256,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{
	offchain::storage::StorageValueRef,
	traits::ValidateUnsigned,
	transaction_validity::{InvalidTransaction, TransactionSource},
	DispatchError, MultiSignature,
};
use std::{
	collections::VecDeque,
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc, Mutex,
	},
};

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/// Signs `payload` with `pair` under `context`, as a sealer's off-chain worker does.
fn sign_with(pair: &sr25519::Pair, context: &[u8], payload: &impl Encode) -> SignatureOf<Test> {
	MultiSignature::from(pair.sign(&crate::signing_message(context, payload)))
}

fn pin_payload(record: u64, n: u8, sealer: u8) -> PinPayload<sp_runtime::MultiSigner, u64> {
	PinPayload { record, content_hash: content(n), sealer: sealer_public(sealer), block: 1 }
}

fn failure_payload(
	record: u64,
	sealer: u8,
	reason: FailureReason,
) -> FailurePayload<sp_runtime::MultiSigner, u64> {
	FailurePayload { record, sealer: sealer_public(sealer), reason, block: 1 }
}

fn unpin_payload(n: u8, sealer: u8) -> UnpinPayload<sp_runtime::MultiSigner, u64> {
	UnpinPayload { content_hash: content(n), sealer: sealer_public(sealer), block: 1 }
}

fn confirm(record: u64, n: u8, sealer: u8) -> sp_runtime::DispatchResult {
	let payload = pin_payload(record, n, sealer);
	let signature = sign_with(&sealer_pair(sealer), crate::signing_context::PIN, &payload);
	Pinning::confirm_pin(RuntimeOrigin::none(), payload, signature)
}

fn report(record: u64, sealer: u8, reason: FailureReason) -> sp_runtime::DispatchResult {
	let payload = failure_payload(record, sealer, reason);
	let signature = sign_with(&sealer_pair(sealer), crate::signing_context::FAILURE, &payload);
	Pinning::report_pin_failure(RuntimeOrigin::none(), payload, signature)
}

fn confirm_deleted(n: u8, sealer: u8) -> sp_runtime::DispatchResult {
	let payload = unpin_payload(n, sealer);
	let signature = sign_with(&sealer_pair(sealer), crate::signing_context::UNPIN, &payload);
	Pinning::confirm_unpin(RuntimeOrigin::none(), payload, signature)
}

fn confirm_call(record: u64, n: u8, sealer: u8) -> crate::Call<Test> {
	let payload = pin_payload(record, n, sealer);
	let signature = sign_with(&sealer_pair(sealer), crate::signing_context::PIN, &payload);
	crate::Call::confirm_pin { payload, signature }
}

fn status(record: u64) -> Option<PinStatus> {
	Pins::<Test>::get(record).map(|pin| pin.status)
}

fn accounts(ns: &[u8]) -> Vec<sp_runtime::AccountId32> {
	ns.iter().map(|n| sealer(*n)).collect()
}

fn pinning_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Pinning(event) => Some(event),
			_ => None,
		})
		.collect()
}

// ---------------------------------------------------------------------------------------------
// record hooks
// ---------------------------------------------------------------------------------------------

#[test]
fn registering_a_record_requests_a_pin() {
	new_test_ext().execute_with(|| {
		register(7, 1);

		let pin = Pins::<Test>::get(7).expect("a pin request");
		assert_eq!(pin.content_hash, content(1));
		assert_eq!(pin.size, ciphertext(1).len() as u64);
		assert_eq!(pin.status, PinStatus::Pending);
		assert!(pin.confirmations.is_empty() && pin.failures.is_empty());
		assert_eq!(pin.requested_at, 1);
		assert!(Pending::<Test>::contains_key(7));
		assert_eq!(
			Objects::<Test>::get(content(1)),
			Some(StoredObject { patient: PATIENT, references: 1, holders: BoundedVec::new() })
		);
		System::assert_last_event(
			Event::PinRequested {
				record: 7,
				content_hash: content(1),
				size: ciphertext(1).len() as u64,
				target: 2,
			}
			.into(),
		);
	});
}

#[test]
fn a_record_id_is_only_requested_once() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		register(7, 2);
		assert_eq!(Pins::<Test>::get(7).map(|pin| pin.content_hash), Some(content(1)));
		assert_eq!(Objects::<Test>::get(content(1)).map(|o| o.references), Some(1));
		assert!(!Objects::<Test>::contains_key(content(2)));
	});
}

#[test]
fn a_ciphertext_is_referenced_while_a_live_record_names_it() {
	new_test_ext().execute_with(|| {
		assert!(!Pinning::is_referenced(content(1)));
		register(7, 1);
		register(8, 1);
		assert!(Pinning::is_referenced(content(1)));
		assert!(!Pinning::is_referenced(content(2)));
		erase(7, 1);
		assert!(Pinning::is_referenced(content(1)));
		erase(8, 1);
		assert!(!Pinning::is_referenced(content(1)));
	});
}

#[test]
fn a_ciphertext_is_the_patient_s_whose_records_name_it_while_they_do() {
	new_test_ext().execute_with(|| {
		let other = sp_runtime::AccountId32::new([0xbb; 32]);
		assert_eq!(Pinning::ciphertext_patient(content(1)), None);
		register_for(&other, 7, 1);
		register(8, 2);
		assert_eq!(Pinning::ciphertext_patient(content(1)), Some(other.clone()));
		assert_eq!(Pinning::ciphertext_patient(content(2)), Some(PATIENT));
		erase(7, 1);
		assert_eq!(Pinning::ciphertext_patient(content(1)), None);
		assert_eq!(Pinning::ciphertext_patient(content(2)), Some(PATIENT));
	});
}

#[test]
fn erasing_before_any_confirmation_leaves_nothing_to_delete() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		erase(7, 1);
		assert!(!Pins::<Test>::contains_key(7));
		assert!(!Pending::<Test>::contains_key(7));
		assert!(!Objects::<Test>::contains_key(content(1)));
		assert!(!Unpins::<Test>::contains_key(content(1)));
		System::assert_last_event(Event::PinRemoved { record: 7, content_hash: content(1) }.into());
	});
}

#[test]
fn erasing_a_record_without_pin_request_does_nothing() {
	new_test_ext().execute_with(|| {
		erase(9, 1);
		assert!(pinning_events().is_empty());
	});
}

#[test]
fn erasing_while_pending_asks_the_confirming_sealers_to_delete() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		erase(7, 1);

		assert!(!Pins::<Test>::contains_key(7));
		assert!(!Pending::<Test>::contains_key(7));
		assert!(!Objects::<Test>::contains_key(content(1)));
		assert_eq!(
			Unpins::<Test>::get(content(1)),
			Some(UnpinRequest {
				record: 7,
				patient: PATIENT,
				holders: BoundedVec::truncate_from(accounts(&[1])),
				deleted: BoundedVec::new(),
				requested_at: 1,
			})
		);
		System::assert_has_event(Event::PinRemoved { record: 7, content_hash: content(1) }.into());
		System::assert_last_event(
			Event::UnpinRequested { content_hash: content(1), record: 7, holders: 1 }.into(),
		);
	});
}

#[test]
fn erasing_after_pinning_asks_every_holder_and_finishes_when_all_deleted() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		assert_ok!(confirm(7, 1, 2));
		assert_eq!(status(7), Some(PinStatus::Pinned));
		System::set_block_number(3);
		erase(7, 1);
		let unpin = Unpins::<Test>::get(content(1)).expect("a deletion request");
		assert_eq!(unpin.holders.into_inner(), accounts(&[1, 2]));
		assert_eq!(unpin.requested_at, 3);

		assert_ok!(confirm_deleted(1, 2));
		System::assert_last_event(
			Event::UnpinConfirmed {
				content_hash: content(1),
				sealer: sealer(2),
				deleted: 1,
				holders: 2,
			}
			.into(),
		);
		assert_eq!(
			Unpins::<Test>::get(content(1)).map(|u| u.deleted.into_inner()),
			Some(accounts(&[2]))
		);

		assert_ok!(confirm_deleted(1, 1));
		assert!(!Unpins::<Test>::contains_key(content(1)));
		System::assert_has_event(
			Event::UnpinConfirmed {
				content_hash: content(1),
				sealer: sealer(1),
				deleted: 2,
				holders: 2,
			}
			.into(),
		);
		System::assert_last_event(Event::Unpinned { content_hash: content(1) }.into());
	});
}

#[test]
fn a_shared_object_is_deleted_only_when_its_last_record_is_erased() {
	new_test_ext().execute_with(|| {
		// Two records of the patient with the same ciphertext.
		register(7, 1);
		register(8, 1);
		assert_ok!(confirm(7, 1, 1));
		assert_ok!(confirm(8, 1, 2));
		assert_eq!(
			Objects::<Test>::get(content(1)),
			Some(StoredObject {
				patient: PATIENT,
				references: 2,
				holders: BoundedVec::truncate_from(accounts(&[1, 2])),
			})
		);

		erase(7, 1);
		assert!(!Unpins::<Test>::contains_key(content(1)));
		assert_eq!(Objects::<Test>::get(content(1)).map(|o| o.references), Some(1));
		assert_eq!(status(8), Some(PinStatus::Pending));

		erase(8, 1);
		assert_eq!(
			Unpins::<Test>::get(content(1)).map(|u| (u.record, u.holders.into_inner())),
			Some((8, accounts(&[1, 2])))
		);
	});
}

/// Whether the node that imported the blocks so far still keeps its own copy of ciphertext
/// `n`: what the runtime's off-chain indexing left in the node's off-chain storage.
fn node_keeps_copy(ext: &mut sp_io::TestExternalities, n: u8) -> bool {
	ext.persist_offchain_overlay();
	ext.offchain_db().get(&blob_key(&content(n))).is_some()
}

#[test]
fn the_last_erasure_of_a_ciphertext_drops_every_nodes_own_copy() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		// What a client's `blobs_put` left on the node.
		sp_io::offchain_index::set(&blob_key(&content(1)), &ciphertext(1));
		sp_io::offchain_index::set(&blob_key(&content(2)), &ciphertext(2));
		register(7, 1);
		register(8, 1);
		register(9, 2);
		assert_ok!(confirm(7, 1, 1));
	});
	assert!(node_keeps_copy(&mut ext, 1));

	// Another record still references the ciphertext: the node keeps it to pin that one.
	ext.execute_with(|| erase(7, 1));
	assert!(node_keeps_copy(&mut ext, 1));

	// The last reference, with holders to delete the pinned copies too.
	ext.execute_with(|| erase(8, 1));
	assert!(!node_keeps_copy(&mut ext, 1));

	// Never confirmed anywhere: no deletion is asked of anyone, the node's copy goes all the
	// same.
	ext.execute_with(|| {
		erase(9, 2);
		assert!(!Unpins::<Test>::contains_key(content(2)));
	});
	assert!(!node_keeps_copy(&mut ext, 2));
}

/// `reads` reads and `writes` writes of the mock's database.
fn db(reads: u64, writes: u64) -> Weight {
	<Test as frame_system::Config>::DbWeight::get().reads_writes(reads, writes)
}

#[test]
fn a_registration_reports_what_it_did_not_read_or_write_as_unused() {
	new_test_ext().execute_with(|| {
		// Nothing to call off: the deletion is looked for, not written.
		assert_eq!(register(7, 1), db(0, 1));
		assert_ok!(confirm(7, 1, 1));
		erase(7, 1);
		assert!(Unpins::<Test>::contains_key(content(1)));

		// The most expensive case, as benchmarked: a deletion called off.
		assert_eq!(register(8, 1), Weight::zero());
		assert!(!Unpins::<Test>::contains_key(content(1)));

		// A record that already has a pin request: that request was read, and the object or
		// the deletion (by the registry, asking whose the ciphertext is), not the sealers.
		let pin = Pins::<Test>::get(8);
		assert_eq!(register(8, 2), db(1, 4));
		assert_eq!(Pins::<Test>::get(8), pin);
	});
}

#[test]
fn an_erasure_reports_what_it_did_not_read_or_write_as_unused() {
	new_test_ext().execute_with(|| {
		// No pin request: only that was read.
		assert_eq!(erase(7, 1), db(1, 4));

		// Another record still needs the object: no deletion written.
		register(7, 1);
		register(8, 1);
		assert_eq!(erase(7, 1), db(0, 1));
		// Nobody holds the object yet: no deletion written.
		assert_eq!(erase(8, 1), db(0, 1));
		assert!(!Objects::<Test>::contains_key(content(1)));
		assert!(!Unpins::<Test>::contains_key(content(1)));

		// The most expensive case, as benchmarked: the last record of a held object.
		register(9, 2);
		assert_ok!(confirm(9, 2, 1));
		assert_eq!(erase(9, 2), Weight::zero());
		assert!(Unpins::<Test>::contains_key(content(2)));

		// A pin request without its object (never left by these hooks): neither the object
		// nor a deletion written.
		register(10, 3);
		Objects::<Test>::remove(content(3));
		assert_eq!(erase(10, 3), db(0, 2));
		assert!(!Pins::<Test>::contains_key(10));
	});
}

#[test]
fn registering_the_content_again_calls_off_its_deletion() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		assert_ok!(confirm(7, 1, 2));
		erase(7, 1);
		assert_ok!(confirm_deleted(1, 1));

		register(9, 1);
		assert!(!Unpins::<Test>::contains_key(content(1)));
		// Sealer 1 deleted its copy; sealer 2 still holds one.
		assert_eq!(
			Objects::<Test>::get(content(1)),
			Some(StoredObject {
				patient: PATIENT,
				references: 1,
				holders: BoundedVec::truncate_from(accounts(&[2]))
			})
		);
		System::assert_has_event(
			Event::UnpinCancelled { content_hash: content(1), record: 9 }.into(),
		);
		assert_eq!(status(9), Some(PinStatus::Pending));
		// The confirmation of a deletion that was called off is refused.
		assert_noop!(confirm_deleted(1, 2), Error::<Test>::UnpinNotFound);
		// Both sealers store it again for the new record.
		assert_ok!(confirm(9, 1, 1));
		assert_ok!(confirm(9, 1, 2));
		assert_eq!(status(9), Some(PinStatus::Pinned));
	});
}

// ---------------------------------------------------------------------------------------------
// confirm_pin, report_pin_failure: status transitions
// ---------------------------------------------------------------------------------------------

#[test]
fn two_of_three_sealers_pin_a_record() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		assert_eq!(status(7), Some(PinStatus::Pending));
		assert!(Pending::<Test>::contains_key(7));
		System::assert_last_event(
			Event::PinConfirmed { record: 7, sealer: sealer(1), confirmations: 1, target: 2 }
				.into(),
		);

		assert_ok!(confirm(7, 1, 3));
		assert_eq!(status(7), Some(PinStatus::Pinned));
		assert!(!Pending::<Test>::contains_key(7));
		assert_eq!(
			Pins::<Test>::get(7).map(|pin| pin.confirmations.into_inner()),
			Some(accounts(&[1, 3]))
		);
		assert_eq!(
			Objects::<Test>::get(content(1)).map(|o| o.holders.into_inner()),
			Some(accounts(&[1, 3]))
		);
		System::assert_has_event(
			Event::PinConfirmed { record: 7, sealer: sealer(3), confirmations: 2, target: 2 }
				.into(),
		);
		System::assert_last_event(Event::Pinned { record: 7, content_hash: content(1) }.into());

		// The third sealer confirms after the pin: recorded as one more holder (an erasure
		// asks it to delete its copy too), the request stays pinned.
		assert_ok!(confirm(7, 1, 2));
		assert_eq!(status(7), Some(PinStatus::Pinned));
		assert_eq!(
			Objects::<Test>::get(content(1)).map(|o| o.holders.into_inner()),
			Some(accounts(&[1, 3, 2]))
		);
		System::assert_last_event(
			Event::PinConfirmed { record: 7, sealer: sealer(2), confirmations: 3, target: 2 }
				.into(),
		);
		assert_noop!(confirm(7, 1, 2), Error::<Test>::AlreadyConfirmed);
	});
}

#[test]
fn a_one_sealer_chain_pins_with_one_confirmation() {
	new_test_ext().execute_with(|| {
		set_sealers(&[1]);
		assert_eq!(Pinning::effective_target(), 1);
		register(7, 1);
		System::assert_last_event(
			Event::PinRequested {
				record: 7,
				content_hash: content(1),
				size: ciphertext(1).len() as u64,
				target: 1,
			}
			.into(),
		);
		assert_ok!(confirm(7, 1, 1));
		assert_eq!(status(7), Some(PinStatus::Pinned));
		System::assert_last_event(Event::Pinned { record: 7, content_hash: content(1) }.into());
	});
}

#[test]
fn the_effective_target_is_the_replication_target_capped_by_the_sealers_and_at_least_one() {
	new_test_ext().execute_with(|| {
		set_sealers(&[]);
		assert_eq!(Pinning::effective_target(), 1);
		set_sealers(&[1]);
		assert_eq!(Pinning::effective_target(), 1);
		set_sealers(&[1, 2]);
		assert_eq!(Pinning::effective_target(), 2);
		set_sealers(&[1, 2, 3, 4]);
		assert_eq!(Pinning::effective_target(), TARGET);
	});
}

#[test]
fn a_request_fails_when_failures_put_the_target_out_of_reach() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		// Three sealers, target two: one failure leaves two that may confirm.
		assert_ok!(report(7, 1, FailureReason::StorageUnreachable));
		assert_eq!(status(7), Some(PinStatus::Pending));
		System::assert_last_event(
			Event::PinFailureReported {
				record: 7,
				sealer: sealer(1),
				reason: FailureReason::StorageUnreachable,
			}
			.into(),
		);

		assert_ok!(report(7, 2, FailureReason::StorageRejected { status: 403 }));
		assert_eq!(status(7), Some(PinStatus::Failed));
		// Still listed: the sealers keep trying.
		assert!(Pending::<Test>::contains_key(7));
		assert_eq!(
			Pins::<Test>::get(7).map(|pin| pin.failures.into_inner()),
			Some(vec![
				(sealer(1), FailureReason::StorageUnreachable),
				(sealer(2), FailureReason::StorageRejected { status: 403 }),
			])
		);
		System::assert_last_event(Event::PinFailed { record: 7, content_hash: content(1) }.into());
	});
}

#[test]
fn a_failed_request_reopens_and_pins_once_its_reporters_confirm() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		assert_ok!(report(7, 1, FailureReason::StorageUnreachable));
		assert_ok!(report(7, 2, FailureReason::StorageRejected { status: 503 }));
		assert_eq!(status(7), Some(PinStatus::Failed));

		// Sealer 1's storage is back: its confirmation withdraws its report. Sealers 1 and 3
		// may make two again: pending, still listed for the workers.
		assert_ok!(confirm(7, 1, 1));
		assert_eq!(status(7), Some(PinStatus::Pending));
		assert_eq!(
			Pins::<Test>::get(7).map(|pin| pin.failures.into_inner()),
			Some(vec![(sealer(2), FailureReason::StorageRejected { status: 503 })])
		);
		assert!(Pending::<Test>::contains_key(7));
		System::assert_last_event(
			Event::PinConfirmed { record: 7, sealer: sealer(1), confirmations: 1, target: 2 }
				.into(),
		);

		// Sealer 2's too: pinned, off the list.
		assert_ok!(confirm(7, 1, 2));
		assert_eq!(status(7), Some(PinStatus::Pinned));
		assert!(Pins::<Test>::get(7).is_some_and(|pin| pin.failures.is_empty()));
		assert!(!Pending::<Test>::contains_key(7));
		System::assert_last_event(Event::Pinned { record: 7, content_hash: content(1) }.into());
	});
}

#[test]
fn a_failed_request_pins_straight_away_when_a_confirmation_reaches_the_target() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 3));
		assert_ok!(report(7, 1, FailureReason::StorageUnreachable));
		assert_ok!(report(7, 2, FailureReason::StorageUnreachable));
		assert_eq!(status(7), Some(PinStatus::Failed));
		assert_ok!(confirm(7, 1, 2));
		assert_eq!(status(7), Some(PinStatus::Pinned));
		System::assert_last_event(Event::Pinned { record: 7, content_hash: content(1) }.into());
	});
}

#[test]
fn a_confirmation_and_failures_count_together() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		assert_ok!(report(7, 2, FailureReason::HashMismatch));
		// Sealers 1 (confirmed) and 3 (not answered) may still make two.
		assert_eq!(status(7), Some(PinStatus::Pending));
		assert_ok!(report(7, 3, FailureReason::HashMismatch));
		assert_eq!(status(7), Some(PinStatus::Failed));
	});
}

#[test]
fn a_one_sealer_chain_fails_on_its_sealers_report() {
	new_test_ext().execute_with(|| {
		set_sealers(&[1]);
		register(7, 1);
		assert_ok!(report(7, 1, FailureReason::HashMismatch));
		assert_eq!(status(7), Some(PinStatus::Failed));
	});
}

#[test]
fn the_runtime_api_reports_a_pin_status() {
	new_test_ext().execute_with(|| {
		assert_eq!(Pinning::pin_status(7), None);
		register(7, 1);
		assert_ok!(confirm(7, 1, 2));
		assert_ok!(report(7, 3, FailureReason::StorageUnreachable));
		assert_eq!(
			Pinning::pin_status(7),
			Some(PinStatusInfo {
				content_hash: content(1),
				size: ciphertext(1).len() as u64,
				status: PinStatus::Pending,
				confirmations: accounts(&[2]),
				target: 2,
				failures: vec![(sealer(3), FailureReason::StorageUnreachable)],
				requested_at: 1,
			})
		);
	});
}

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

#[test]
fn confirm_pin_refuses_what_it_must() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		// Only unsigned transactions.
		let payload = pin_payload(7, 1, 1);
		let signature = sign_with(&sealer_pair(1), crate::signing_context::PIN, &payload);
		assert_noop!(
			Pinning::confirm_pin(RuntimeOrigin::signed(sealer(1)), payload.clone(), signature),
			DispatchError::BadOrigin
		);
		// Not a sealer.
		assert_noop!(confirm(7, 1, 4), Error::<Test>::NotSealer);
		// Signed by another key.
		let signature = sign_with(&sealer_pair(2), crate::signing_context::PIN, &payload);
		assert_noop!(
			Pinning::confirm_pin(RuntimeOrigin::none(), payload.clone(), signature),
			Error::<Test>::BadSignature
		);
		// Signed without the context, or as another kind of statement.
		let signature = MultiSignature::from(sealer_pair(1).sign(&payload.encode()));
		assert_noop!(
			Pinning::confirm_pin(RuntimeOrigin::none(), payload.clone(), signature),
			Error::<Test>::BadSignature
		);
		let signature = sign_with(&sealer_pair(1), crate::signing_context::UNPIN, &payload);
		assert_noop!(
			Pinning::confirm_pin(RuntimeOrigin::none(), payload.clone(), signature),
			Error::<Test>::BadSignature
		);
		// No such request.
		assert_noop!(confirm(8, 1, 1), Error::<Test>::PinNotFound);
		// Not the registered hash.
		assert_noop!(confirm(7, 2, 1), Error::<Test>::WrongContentHash);
		// Twice.
		assert_ok!(confirm(7, 1, 1));
		assert_noop!(confirm(7, 1, 1), Error::<Test>::AlreadyConfirmed);
		// After its own failure report: the confirmation withdraws the report.
		assert_ok!(report(7, 2, FailureReason::StorageUnreachable));
		assert_ok!(confirm(7, 1, 2));
		assert!(Pins::<Test>::get(7).is_some_and(|pin| pin.failures.is_empty()));
		assert_noop!(confirm(7, 1, 2), Error::<Test>::AlreadyConfirmed);
		// A request whose object is missing (never left by the hooks): the holder is not
		// recorded under a guessed patient.
		register(9, 3);
		Objects::<Test>::remove(content(3));
		assert_noop!(confirm(9, 3, 1), Error::<Test>::ObjectNotFound);
	});
}

#[test]
fn a_ciphertext_is_its_patients_until_its_deletion_finishes() {
	new_test_ext().execute_with(|| {
		use medchain_primitives::health::CiphertextClaim::{BeingDeleted, Named};
		let other_patient = sp_runtime::AccountId32::new([0xbb; 32]);
		let claim = |n| <Pinning as RecordHooks<_>>::ciphertext_claim(&content(n));
		assert_eq!(claim(1), None);

		register(7, 1);
		assert_eq!(claim(1), Some(Named(PATIENT)));
		// Another record of the same patient shares the object.
		register(8, 1);
		assert_eq!(Objects::<Test>::get(content(1)).map(|object| object.references), Some(2));
		// Another patient's ciphertext is filed under its own patient.
		register_for(&other_patient, 9, 2);
		assert_eq!(claim(2), Some(Named(other_patient)));

		assert_ok!(confirm(7, 1, 1));
		erase(7, 1);
		assert_eq!(claim(1), Some(Named(PATIENT)));
		// The last record goes: while the holder deletes its copy, the ciphertext stays the
		// patient's, so only the patient's records may call the deletion off.
		erase(8, 1);
		assert!(Unpins::<Test>::contains_key(content(1)));
		assert_eq!(claim(1), Some(BeingDeleted(PATIENT)));
		assert_ok!(confirm_deleted(1, 1));
		assert_eq!(claim(1), None);

		// Nobody held it: no deletion to wait for.
		erase(9, 2);
		assert!(!Unpins::<Test>::contains_key(content(2)));
		assert_eq!(claim(2), None);
	});
}

#[test]
fn report_pin_failure_refuses_what_it_must() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		let payload = failure_payload(7, 1, FailureReason::HashMismatch);
		let signature = sign_with(&sealer_pair(1), crate::signing_context::FAILURE, &payload);
		assert_noop!(
			Pinning::report_pin_failure(
				RuntimeOrigin::signed(sealer(1)),
				payload.clone(),
				signature
			),
			DispatchError::BadOrigin
		);
		assert_noop!(report(7, 4, FailureReason::HashMismatch), Error::<Test>::NotSealer);
		let signature = sign_with(&sealer_pair(1), crate::signing_context::PIN, &payload);
		assert_noop!(
			Pinning::report_pin_failure(RuntimeOrigin::none(), payload, signature),
			Error::<Test>::BadSignature
		);
		assert_noop!(report(8, 1, FailureReason::HashMismatch), Error::<Test>::PinNotFound);
		assert_ok!(report(7, 1, FailureReason::HashMismatch));
		assert_noop!(report(7, 1, FailureReason::HashMismatch), Error::<Test>::AlreadyReported);
		assert_ok!(confirm(7, 1, 2));
		assert_noop!(report(7, 2, FailureReason::HashMismatch), Error::<Test>::AlreadyConfirmed);
		assert_ok!(report(7, 3, FailureReason::HashMismatch));
		assert_eq!(status(7), Some(PinStatus::Failed));
		set_sealers(&[1, 2, 3, 4]);
		assert_noop!(report(7, 4, FailureReason::HashMismatch), Error::<Test>::NotPending);
	});
}

#[test]
fn confirm_unpin_refuses_what_it_must() {
	new_test_ext().execute_with(|| {
		assert_noop!(confirm_deleted(1, 1), Error::<Test>::UnpinNotFound);
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		erase(7, 1);
		let payload = unpin_payload(1, 1);
		let signature = sign_with(&sealer_pair(1), crate::signing_context::UNPIN, &payload);
		assert_noop!(
			Pinning::confirm_unpin(RuntimeOrigin::signed(sealer(1)), payload.clone(), signature),
			DispatchError::BadOrigin
		);
		let signature = sign_with(&sealer_pair(2), crate::signing_context::UNPIN, &payload);
		assert_noop!(
			Pinning::confirm_unpin(RuntimeOrigin::none(), payload, signature),
			Error::<Test>::BadSignature
		);
		// Sealer 2 never stored it.
		assert_noop!(confirm_deleted(1, 2), Error::<Test>::NotHolder);
		// A holder that left the sealer set may still confirm.
		set_sealers(&[2, 3]);
		assert_ok!(confirm_deleted(1, 1));
		assert!(!Unpins::<Test>::contains_key(content(1)));
		assert_noop!(confirm_deleted(1, 1), Error::<Test>::UnpinNotFound);
	});
}

#[test]
fn a_holder_confirms_a_deletion_once() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		assert_ok!(confirm(7, 1, 2));
		erase(7, 1);
		assert_ok!(confirm_deleted(1, 1));
		assert_noop!(confirm_deleted(1, 1), Error::<Test>::AlreadyDeleted);
	});
}

// ---------------------------------------------------------------------------------------------
// the transaction pool's checks
// ---------------------------------------------------------------------------------------------

#[test]
fn the_pool_admits_a_valid_statement_once_per_sealer_and_kind() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		let validity =
			Pinning::validate_unsigned(TransactionSource::External, &confirm_call(7, 1, 1))
				.expect("valid");
		assert_eq!(validity.priority, UnsignedPriority::get());
		assert_eq!(validity.longevity, LONGEVITY);
		assert!(validity.propagate);
		assert!(validity.requires.is_empty());
		assert_eq!(validity.provides.len(), 1);

		// Another sealer's confirmation provides another tag; the same one the same tag.
		let other = Pinning::validate_unsigned(TransactionSource::Local, &confirm_call(7, 1, 2))
			.expect("valid");
		assert_ne!(other.provides, validity.provides);
		let again = Pinning::validate_unsigned(TransactionSource::Local, &confirm_call(7, 1, 1))
			.expect("valid");
		assert_eq!(again.provides, validity.provides);
		// The same sealer's failure report is another statement.
		let payload = failure_payload(7, 1, FailureReason::StorageUnreachable);
		let signature = sign_with(&sealer_pair(1), crate::signing_context::FAILURE, &payload);
		let failure = Pinning::validate_unsigned(
			TransactionSource::Local,
			&crate::Call::report_pin_failure { payload, signature },
		)
		.expect("valid");
		assert_ne!(failure.provides, validity.provides);

		// Once included, a duplicate is stale.
		assert_ok!(confirm(7, 1, 1));
		assert_eq!(
			Pinning::validate_unsigned(TransactionSource::External, &confirm_call(7, 1, 1)),
			Err(InvalidTransaction::Stale.into())
		);
	});
}

#[test]
fn the_pool_refuses_strangers_forgeries_and_stale_statements() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		let validate = |call: &crate::Call<Test>| {
			Pinning::validate_unsigned(TransactionSource::External, call)
		};
		// Not a sealer.
		assert_eq!(validate(&confirm_call(7, 1, 4)), Err(InvalidTransaction::BadSigner.into()));
		// Forged signature.
		let payload = pin_payload(7, 1, 1);
		let forged = sign_with(&sealer_pair(2), crate::signing_context::PIN, &payload);
		assert_eq!(
			validate(&crate::Call::confirm_pin { payload, signature: forged }),
			Err(InvalidTransaction::BadProof.into())
		);
		// Wrong hash; unknown record.
		assert_eq!(validate(&confirm_call(7, 2, 1)), Err(InvalidTransaction::Call.into()));
		assert_eq!(validate(&confirm_call(8, 1, 1)), Err(InvalidTransaction::Stale.into()));
		// From the future.
		let payload = PinPayload { block: 2, ..pin_payload(7, 1, 1) };
		let signature = sign_with(&sealer_pair(1), crate::signing_context::PIN, &payload);
		assert_eq!(
			validate(&crate::Call::confirm_pin { payload, signature }),
			Err(InvalidTransaction::Future.into())
		);
		// Older than its longevity; the longevity left shrinks with age.
		System::set_block_number(1 + LONGEVITY - 1);
		assert_eq!(validate(&confirm_call(7, 1, 1)).map(|v| v.longevity), Ok(1));
		System::set_block_number(1 + LONGEVITY);
		assert_eq!(validate(&confirm_call(7, 1, 1)), Err(InvalidTransaction::Stale.into()));
	});
}

#[test]
fn the_pool_checks_deletion_confirmations() {
	new_test_ext().execute_with(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		erase(7, 1);
		let call = |sealer: u8| {
			let payload = unpin_payload(1, sealer);
			let signature =
				sign_with(&sealer_pair(sealer), crate::signing_context::UNPIN, &payload);
			crate::Call::confirm_unpin { payload, signature }
		};
		assert!(Pinning::validate_unsigned(TransactionSource::External, &call(1)).is_ok());
		assert_eq!(
			Pinning::validate_unsigned(TransactionSource::External, &call(2)),
			Err(InvalidTransaction::BadSigner.into())
		);
	});
}

#[test]
fn the_configuration_is_consistent() {
	new_test_ext().execute_with(|| {
		<Pinning as Hooks<u64>>::integrity_test();
	});
}

// ---------------------------------------------------------------------------------------------
// off-chain worker: decisions
// ---------------------------------------------------------------------------------------------

#[test]
fn backoff_doubles_up_to_a_cap() {
	assert_eq!(backoff_delay_ms(0, BACKOFF_BASE_MS), BACKOFF_BASE_MS);
	assert_eq!(backoff_delay_ms(1, BACKOFF_BASE_MS), 2_000);
	assert_eq!(backoff_delay_ms(2, BACKOFF_BASE_MS), 4_000);
	assert_eq!(backoff_delay_ms(3, BACKOFF_BASE_MS), 8_000);
	assert_eq!(backoff_delay_ms(8, BACKOFF_BASE_MS), 256_000);
	assert_eq!(backoff_delay_ms(9, BACKOFF_BASE_MS), BACKOFF_CAP_MS);
	assert_eq!(backoff_delay_ms(64, BACKOFF_BASE_MS), BACKOFF_CAP_MS);
	assert_eq!(backoff_delay_ms(u32::MAX, BACKOFF_BASE_MS), BACKOFF_CAP_MS);
}

#[test]
fn a_request_is_due_after_its_backoff_and_once_its_statement_left_the_pool() {
	let fresh = RetryState::default();
	assert!(is_due(&fresh, 0, 1, 5));
	let backing_off = RetryState { attempts: 1, next_attempt_at: 10_000, submitted_at: None };
	assert!(!is_due(&backing_off, 9_999, 1, 5));
	assert!(is_due(&backing_off, 10_000, 1, 5));
	let submitted = RetryState::submitted(10, 0);
	assert!(!is_due(&submitted, u64::MAX, 10, 5));
	assert!(!is_due(&submitted, u64::MAX, 15, 5));
	assert!(is_due(&submitted, 0, 16, 5));
	assert!(!is_due(&RetryState::submitted(u64::MAX, 0), 0, u64::MAX, 5));
}

#[test]
fn a_run_never_undoes_what_a_run_on_a_newer_block_did_to_an_object() {
	use ObjectAction::{Deleted, Uploaded};
	let last = |action, block| Some(LastAction { action, block });
	// Nothing done yet, or done on an older block: anything goes.
	assert!(may_act(None, Uploaded, 0));
	assert!(may_act(None, Deleted, 0));
	assert!(may_act(last(Uploaded, 4), Deleted, 5));
	assert!(may_act(last(Deleted, 4), Uploaded, 5));
	// Done on a newer block: neither the same nor the opposite.
	assert!(!may_act(last(Uploaded, 6), Deleted, 5));
	assert!(!may_act(last(Uploaded, 6), Uploaded, 5));
	assert!(!may_act(last(Deleted, 6), Uploaded, 5));
	// On a block of the same height: a retry of the same, not the opposite.
	assert!(may_act(last(Uploaded, 5), Uploaded, 5));
	assert!(may_act(last(Deleted, 5), Deleted, 5));
	assert!(!may_act(last(Uploaded, 5), Deleted, 5));
	assert!(!may_act(last(Deleted, 5), Uploaded, 5));
}

#[test]
fn a_recent_upload_is_deleted_once_settled_if_nothing_on_chain_accounts_for_it() {
	let chain = |referenced, held, deletion_requested| ObjectOnChain {
		referenced,
		held,
		deletion_requested,
	};
	let settle = 15;
	// Before it settles nothing is decided, and the chain is not even read: a confirmation may
	// land, a reorganisation may bring back a record the run does not see.
	let unread = || -> ObjectOnChain { panic!("an unsettled upload's object was read") };
	let copy = || true;
	assert_eq!(untracked_fate(5, 4, settle, unread, copy), UntrackedFate::Keep);
	assert_eq!(untracked_fate(5, 20, settle, unread, copy), UntrackedFate::Keep);
	assert_eq!(untracked_fate(u64::MAX, u64::MAX, settle, unread, copy), UntrackedFate::Keep);
	// Settled: the chain lists the uploader as holding it, or a deletion request names it.
	let fate = |object: ObjectOnChain, copy_may_exist: bool| {
		untracked_fate(5, 21, settle, || object, || copy_may_exist)
	};
	assert_eq!(fate(chain(true, true, false), true), UntrackedFate::Forget);
	assert_eq!(fate(chain(false, false, true), true), UntrackedFate::Forget);
	// Settled, a record needs it, but the chain knows nothing of this copy: kept as an orphan,
	// unless the store refused the upload (no copy was made).
	assert_eq!(fate(chain(true, false, false), true), UntrackedFate::Orphaned);
	assert_eq!(fate(chain(true, false, false), false), UntrackedFate::Forget);
	// Settled and nothing accounts for it: deleted.
	assert_eq!(fate(chain(false, false, false), false), UntrackedFate::Delete);
}

#[test]
fn an_orphan_copy_is_kept_while_referenced_and_deleted_once_not() {
	let chain = |referenced, held, deletion_requested| ObjectOnChain {
		referenced,
		held,
		deletion_requested,
	};
	assert_eq!(orphan_fate(chain(true, false, false)), OrphanFate::Keep);
	// The chain accounts for the copy now: its deletion will be asked for.
	assert_eq!(orphan_fate(chain(true, true, false)), OrphanFate::Forget);
	assert_eq!(orphan_fate(chain(false, false, true)), OrphanFate::Forget);
	assert_eq!(orphan_fate(chain(false, false, false)), OrphanFate::Delete);
}

#[test]
fn what_the_chain_says_of_a_copy_is_read_from_its_object_or_else_its_deletion_request() {
	let holder = 1u8;
	let no_unpin = || -> Option<(Vec<u8>, Vec<u8>)> { panic!("an object has no deletion request") };
	assert_eq!(
		ObjectOnChain::read(&holder, Some(vec![2, 1]), no_unpin),
		ObjectOnChain { referenced: true, held: true, deletion_requested: false }
	);
	assert_eq!(
		ObjectOnChain::read(&holder, Some(vec![2, 3]), no_unpin),
		ObjectOnChain { referenced: true, held: false, deletion_requested: false }
	);
	let unpin = |holders: Vec<u8>, deleted: Vec<u8>| move || Some((holders, deleted));
	assert!(ObjectOnChain::read(&holder, None, unpin(vec![1, 2], vec![2])).deletion_requested);
	// Deleted already, or never asked.
	assert!(!ObjectOnChain::read(&holder, None, unpin(vec![1, 2], vec![1])).deletion_requested);
	assert!(!ObjectOnChain::read(&holder, None, unpin(vec![2], vec![])).deletion_requested);
	assert_eq!(
		ObjectOnChain::read(&holder, None, || None),
		ObjectOnChain { referenced: false, held: false, deletion_requested: false }
	);
}

#[test]
fn the_orphan_cursor_resumes_at_the_first_copy_not_looked_at() {
	// Ten copies; a run looked at 0..4 and removed none: the next starts at 4.
	assert_eq!(next_orphan_cursor(10, 0, 4, &[]), 4);
	// It removed 1 and 2: the copy that was at 4 is now at 2.
	assert_eq!(next_orphan_cursor(10, 0, 4, &[1, 2]), 2);
	// Wrapping round: looked at 8, 9, 0, 1 and removed 9 and 0; the next is the old 2, now 1.
	assert_eq!(next_orphan_cursor(10, 8, 4, &[9, 0]), 1);
	// Looked at all of them: back to where it started, less what went before it.
	assert_eq!(next_orphan_cursor(10, 3, 10, &[0, 5]), 2);
	// Nothing left, or nothing there.
	assert_eq!(next_orphan_cursor(2, 0, 2, &[0, 1]), 0);
	assert_eq!(next_orphan_cursor(0, 0, 0, &[]), 0);
}

#[test]
fn http_statuses_map_to_outcomes() {
	assert_eq!(put_outcome(Some(200)), RequestOutcome::Done);
	assert_eq!(put_outcome(Some(204)), RequestOutcome::Done);
	assert_eq!(put_outcome(Some(404)), RequestOutcome::Rejected(404));
	assert_eq!(put_outcome(Some(503)), RequestOutcome::Rejected(503));
	assert_eq!(put_outcome(Some(301)), RequestOutcome::Rejected(301));
	assert_eq!(put_outcome(None), RequestOutcome::Unreachable);
	let answered = |status, code: Option<&str>| HttpOutcome::Answered {
		status,
		error_code: code.map(String::from),
	};
	assert_eq!(delete_outcome(&answered(204, None)), RequestOutcome::Done);
	assert_eq!(delete_outcome(&answered(200, None)), RequestOutcome::Done);
	// Already gone: what was asked.
	assert_eq!(delete_outcome(&answered(404, Some("NoSuchKey"))), RequestOutcome::Done);
	// A wrong or renamed bucket says nothing of the copy in the right one.
	assert_eq!(delete_outcome(&answered(404, Some("NoSuchBucket"))), RequestOutcome::Rejected(404));
	assert_eq!(delete_outcome(&answered(404, None)), RequestOutcome::Rejected(404));
	assert_eq!(delete_outcome(&answered(403, Some("AccessDenied"))), RequestOutcome::Rejected(403));
	assert_eq!(delete_outcome(&HttpOutcome::Unreachable("timeout")), RequestOutcome::Unreachable);
}

#[test]
fn failures_back_off_then_are_reported() {
	let now = 1_000_000;
	assert_eq!(
		next_step(RequestOutcome::Done, &RetryState::default(), now, Some(3), BACKOFF_BASE_MS),
		Step::Confirm
	);
	let first = next_step(
		RequestOutcome::Rejected(503),
		&RetryState::default(),
		now,
		Some(3),
		BACKOFF_BASE_MS,
	);
	let Step::Retry(first) = first else { panic!("a retry, not {first:?}") };
	assert_eq!(first, RetryState { attempts: 1, next_attempt_at: now + 2_000, submitted_at: None });
	let second = next_step(RequestOutcome::Unreachable, &first, now, Some(3), BACKOFF_BASE_MS);
	let Step::Retry(second) = second else { panic!("a retry, not {second:?}") };
	assert_eq!(second.attempts, 2);
	assert_eq!(second.next_attempt_at, now + 4_000);
	assert_eq!(
		next_step(RequestOutcome::Rejected(403), &second, now, Some(3), BACKOFF_BASE_MS),
		Step::Report(FailureReason::StorageRejected { status: 403 }, 3)
	);
	assert_eq!(
		next_step(RequestOutcome::Unreachable, &second, now, Some(3), BACKOFF_BASE_MS),
		Step::Report(FailureReason::StorageUnreachable, 3)
	);
	// Without a bound (deletions), never reported.
	let many = RetryState { attempts: 1_000, next_attempt_at: 0, submitted_at: None };
	assert!(matches!(
		next_step(RequestOutcome::Unreachable, &many, now, None, BACKOFF_BASE_MS),
		Step::Retry(RetryState { attempts: 1_001, .. })
	));
}

#[test]
fn endpoints_split_into_scheme_and_host() {
	assert_eq!(split_endpoint("http://127.0.0.1:8333"), Some(("http", "127.0.0.1:8333")));
	assert_eq!(
		split_endpoint("https://s3.eu-central-1.amazonaws.com/"),
		Some(("https", "s3.eu-central-1.amazonaws.com"))
	);
	assert_eq!(split_endpoint("s3.amazonaws.com"), None);
	assert_eq!(split_endpoint("ftp://host"), None);
	assert_eq!(split_endpoint("http://"), None);
	assert_eq!(split_endpoint("http://host/bucket"), None);
}

#[test]
fn only_a_short_s3_error_code_is_taken_from_an_error_body() {
	let body = b"<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code>\
		<StringToSign>AWS4-HMAC-SHA256...</StringToSign></Error>";
	assert_eq!(s3_error_code(body), Some("SignatureDoesNotMatch"));
	assert_eq!(s3_error_code(b"<Error><Code>has space</Code></Error>"), None);
	assert_eq!(s3_error_code(b"<Error><Code></Code></Error>"), None);
	assert_eq!(s3_error_code(b"<Error><Code>Unterminated"), None);
	assert_eq!(s3_error_code(b"service unavailable"), None);
	assert_eq!(s3_error_code(&[0xff, 0xfe]), None);
}

/// The signing keys, derived from the secret the tests' own S3 client signs with, of the
/// `days` days starting with the one of `at_ms`: what the node gives the worker.
fn day_keys_from(at_ms: u64, days: u64) -> Vec<DaySigningKey> {
	(0..days)
		.map(|day| {
			let time = AmzDateTime::from_unix_seconds(at_ms / 1_000 + day * 86_400).unwrap();
			let date_stamp = time.date_stamp();
			DaySigningKey {
				date_stamp: date_stamp.as_bytes().try_into().unwrap(),
				key: signing_key("very-secret-value", &date_stamp, "us-east-1", "s3").unwrap(),
			}
		})
		.collect()
}

fn settings() -> StorageSettings {
	StorageSettings {
		endpoint: b"http://127.0.0.1:8333".to_vec(),
		bucket: b"medchain".to_vec(),
		region: b"us-east-1".to_vec(),
		access_key_id: b"AKIDEXAMPLE".to_vec(),
		signing_keys: day_keys_from(NOW, 2),
		retry_base_ms: 2_000,
		finality_depth: FINALITY_DEPTH,
	}
}

#[test]
fn settings_are_checked_before_use() {
	let store = ObjectStore::from_settings(&settings()).expect("usable settings");
	assert_eq!(store.endpoint(), "127.0.0.1:8333");
	assert_eq!(store.bucket(), "medchain");
	let bad = |change: fn(&mut StorageSettings)| {
		let mut settings = settings();
		change(&mut settings);
		ObjectStore::from_settings(&settings).err()
	};
	assert_eq!(bad(|s| s.endpoint = b"127.0.0.1:8333".to_vec()), Some(SettingsError::Endpoint));
	assert_eq!(bad(|s| s.endpoint = b"http://a b".to_vec()), Some(SettingsError::Endpoint));
	assert_eq!(bad(|s| s.bucket = b"Bad_Bucket".to_vec()), Some(SettingsError::Bucket));
	assert_eq!(bad(|s| s.region = b"US EAST".to_vec()), Some(SettingsError::Region));
	assert_eq!(bad(|s| s.access_key_id = b"".to_vec()), Some(SettingsError::Credentials));
	assert_eq!(bad(|s| s.signing_keys.clear()), Some(SettingsError::Credentials));
	assert_eq!(
		bad(|s| s.signing_keys[0].date_stamp = *b"2023-11-"),
		Some(SettingsError::Credentials)
	);
	assert_eq!(bad(|s| s.signing_keys[0].date_stamp = [0xff; 8]), Some(SettingsError::Credentials));
	// No error message repeats a setting's value.
	for error in [
		SettingsError::Undecodable,
		SettingsError::Endpoint,
		SettingsError::Bucket,
		SettingsError::Region,
		SettingsError::Credentials,
	] {
		assert!(!error.to_string().contains("very-secret-value"));
	}
}

// ---------------------------------------------------------------------------------------------
// off-chain worker: end to end
// ---------------------------------------------------------------------------------------------

/// The unix time the worker tests run at, in milliseconds.
const NOW: u64 = 1_700_000_000_000;
/// The finality depth the node gives the worker in its settings.
const FINALITY_DEPTH: u32 = 3;

/// The test off-chain externalities, answering HTTP requests with the statuses queued in
/// `statuses` (sp-core's always answers 200) and otherwise as sp-core's.
#[derive(Clone)]
struct StatusOffchain {
	inner: TestOffchainExt,
	statuses: Arc<Mutex<VecDeque<HttpRequestStatus>>>,
	/// How many times the worker cleared a key of the node's off-chain storage.
	clears: Arc<AtomicUsize>,
}

impl Externalities for StatusOffchain {
	fn is_validator(&self) -> bool {
		self.inner.is_validator()
	}
	fn network_state(&self) -> Result<OpaqueNetworkState, ()> {
		self.inner.network_state()
	}
	fn timestamp(&mut self) -> Timestamp {
		self.inner.timestamp()
	}
	fn sleep_until(&mut self, deadline: Timestamp) {
		self.inner.sleep_until(deadline)
	}
	fn random_seed(&mut self) -> [u8; 32] {
		self.inner.random_seed()
	}
	fn http_request_start(
		&mut self,
		method: &str,
		uri: &str,
		meta: &[u8],
	) -> Result<HttpRequestId, ()> {
		self.inner.http_request_start(method, uri, meta)
	}
	fn http_request_add_header(
		&mut self,
		id: HttpRequestId,
		name: &str,
		value: &str,
	) -> Result<(), ()> {
		self.inner.http_request_add_header(id, name, value)
	}
	fn http_request_write_body(
		&mut self,
		id: HttpRequestId,
		chunk: &[u8],
		deadline: Option<Timestamp>,
	) -> Result<(), HttpError> {
		self.inner.http_request_write_body(id, chunk, deadline)
	}
	fn http_response_wait(
		&mut self,
		ids: &[HttpRequestId],
		deadline: Option<Timestamp>,
	) -> Vec<HttpRequestStatus> {
		let queued = self.statuses.lock().unwrap().pop_front();
		match queued {
			Some(status) => ids.iter().map(|_| status).collect(),
			None => self.inner.http_response_wait(ids, deadline),
		}
	}
	fn http_response_headers(&mut self, id: HttpRequestId) -> Vec<(Vec<u8>, Vec<u8>)> {
		self.inner.http_response_headers(id)
	}
	fn http_response_read_body(
		&mut self,
		id: HttpRequestId,
		buffer: &mut [u8],
		deadline: Option<Timestamp>,
	) -> Result<usize, HttpError> {
		self.inner.http_response_read_body(id, buffer, deadline)
	}
	fn set_authorized_nodes(&mut self, nodes: Vec<OpaquePeerId>, authorized_only: bool) {
		self.inner.set_authorized_nodes(nodes, authorized_only)
	}
}

impl DbExternalities for StatusOffchain {
	fn local_storage_set(&mut self, kind: StorageKind, key: &[u8], value: &[u8]) {
		self.inner.local_storage_set(kind, key, value)
	}
	fn local_storage_clear(&mut self, kind: StorageKind, key: &[u8]) {
		self.clears.fetch_add(1, Ordering::Relaxed);
		self.inner.local_storage_clear(kind, key)
	}
	fn local_storage_compare_and_set(
		&mut self,
		kind: StorageKind,
		key: &[u8],
		old_value: Option<&[u8]>,
		new_value: &[u8],
	) -> bool {
		self.inner.local_storage_compare_and_set(kind, key, old_value, new_value)
	}
	fn local_storage_get(&mut self, kind: StorageKind, key: &[u8]) -> Option<Vec<u8>> {
		self.inner.local_storage_get(kind, key)
	}
}

/// A sealer node: sealer 1's key in the keystore, sealers 1, 2 and 3 on chain, the clock at
/// [`NOW`], storage settings (unless `with_settings` is false) and a transaction pool.
struct Node {
	ext: sp_io::TestExternalities,
	offchain: TestOffchainExt,
	statuses: Arc<Mutex<VecDeque<HttpRequestStatus>>>,
	pool: Box<dyn Fn() -> Vec<Vec<u8>>>,
	clear_pool: Box<dyn Fn()>,
	clears: Arc<AtomicUsize>,
}

impl Node {
	fn new(key: u8, with_settings: bool) -> Self {
		let (offchain, _state) = TestOffchainExt::new();
		offchain.0.write().timestamp = Timestamp::from_unix_millis(NOW);
		let statuses = Arc::new(Mutex::new(VecDeque::new()));
		let clears = Arc::new(AtomicUsize::new(0));
		let wrapper = StatusOffchain {
			inner: offchain.clone(),
			statuses: statuses.clone(),
			clears: clears.clone(),
		};
		let (pool, pool_state) = TestTransactionPoolExt::new();
		let keystore = MemoryKeystore::new();
		keystore
			.sr25519_generate_new(SEALER_KEY_TYPE, Some(&format!("//Sealer{key}")))
			.expect("a key");

		let mut ext = new_test_ext();
		ext.register_extension(OffchainWorkerExt::new(wrapper.clone()));
		ext.register_extension(OffchainDbExt::new(wrapper));
		ext.register_extension(TransactionPoolExt::new(pool));
		ext.register_extension(KeystoreExt::new(keystore));
		if with_settings {
			ext.execute_with(|| {
				sp_io::offchain::local_storage_set(
					StorageKind::PERSISTENT,
					STORAGE_SETTINGS_KEY,
					&settings().encode(),
				)
			});
		}
		let read_state = pool_state.clone();
		Node {
			ext,
			offchain,
			statuses,
			pool: Box::new(move || read_state.read().transactions.clone()),
			clear_pool: Box::new(move || pool_state.write().transactions.clear()),
			clears,
		}
	}

	fn execute<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}

	/// Puts ciphertext bytes in the node's off-chain storage under the hash of content `n`.
	fn hold(&mut self, n: u8, bytes: &[u8]) {
		self.execute(|| {
			sp_io::offchain::local_storage_set(
				StorageKind::PERSISTENT,
				&blob_key(&content(n)),
				bytes,
			)
		});
	}

	/// Runs the off-chain worker at `block`.
	fn run(&mut self, block: u64) {
		self.execute(|| {
			System::set_block_number(block);
			Pinning::offchain_worker(block);
		});
	}

	fn set_time(&self, ms: u64) {
		self.offchain.0.write().timestamp = Timestamp::from_unix_millis(ms);
	}

	/// The next HTTP request is answered with `status`.
	fn answer(&self, status: HttpRequestStatus) {
		self.statuses.lock().unwrap().push_back(status);
	}

	/// Expects `request` to be sent with `body`, answered with `response` (status 200 unless
	/// [`Node::answer`] says otherwise).
	fn expect(&self, request: &medchain_sigv4::S3Request, body: Vec<u8>, response: &[u8]) {
		self.offchain.0.write().expect_request(PendingRequest {
			method: request.method.into(),
			uri: request.url("http"),
			headers: request.headers.clone(),
			body,
			sent: true,
			response: Some(response.to_vec()),
			..Default::default()
		});
	}

	/// The pool's transactions, decoded.
	fn calls(&self) -> Vec<crate::Call<Test>> {
		(self.pool)()
			.into_iter()
			.map(|tx| {
				let xt = Extrinsic::decode(&mut tx.as_slice()).expect("an extrinsic");
				assert!(
					matches!(xt.preamble, sp_runtime::generic::Preamble::Bare(_)),
					"a bare extrinsic"
				);
				match xt.function {
					RuntimeCall::Pinning(call) => call,
					other => panic!("not a pinning call: {other:?}"),
				}
			})
			.collect()
	}

	/// Requests started and not answered (answered ones are not kept). An unexpected request
	/// that is awaited fails the test by itself: awaiting it panics.
	fn unanswered_requests(&self) -> usize {
		self.offchain.0.read().requests.len()
	}

	/// The node's count of failed requests to the bucket.
	fn failed_requests(&mut self) -> u64 {
		self.execute(crate::offchain::failed_requests)
	}

	fn retry_state(&mut self, key: Vec<u8>) -> Option<RetryState> {
		self.execute(|| StorageValueRef::persistent(&key).get::<RetryState>().ok().flatten())
	}
}

/// The S3 client the tests check requests against, built independently of the worker's.
fn s3() -> S3Config {
	let credentials = Credentials::new("AKIDEXAMPLE", "very-secret-value").unwrap();
	S3Config::new("127.0.0.1:8333", "us-east-1", credentials, Addressing::Path).unwrap()
}

fn put_of(n: u8, at_ms: u64) -> medchain_sigv4::S3Request {
	let time = AmzDateTime::from_unix_seconds(at_ms / 1_000).unwrap();
	s3().put_object("medchain", &hex_lower(content(n).as_bytes()), &ciphertext(n), &time).unwrap()
}

fn delete_of(n: u8, at_ms: u64) -> medchain_sigv4::S3Request {
	let time = AmzDateTime::from_unix_seconds(at_ms / 1_000).unwrap();
	s3().delete_object("medchain", &hex_lower(content(n).as_bytes()), &time).unwrap()
}

/// Checks that `call` is a statement the pool admits and that dispatches, and dispatches it.
fn admit_and_dispatch(call: crate::Call<Test>) {
	assert!(Pinning::validate_unsigned(TransactionSource::Local, &call).is_ok());
	assert_ok!(RuntimeCall::Pinning(call).dispatch_bypass_filter(RuntimeOrigin::none()));
}

#[test]
fn the_worker_uploads_with_a_signed_put_and_confirms() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	let put = put_of(1, NOW);
	// The store verifies the body against the hash it is sent.
	assert_eq!(put.header("x-amz-content-sha256"), Some(hex_lower(content(1).as_bytes()).as_str()));
	assert_eq!(put.header("content-length"), Some(ciphertext(1).len().to_string().as_str()));
	assert_eq!(put.path, format!("/medchain/{}", hex_lower(content(1).as_bytes())));
	node.expect(&put, ciphertext(1), b"");

	node.run(1);

	let calls = node.calls();
	assert_eq!(calls.len(), 1);
	assert_eq!(node.failed_requests(), 0);
	let crate::Call::confirm_pin { payload, signature } = calls[0].clone() else {
		panic!("a confirmation, not {:?}", calls[0]);
	};
	assert_eq!(payload, pin_payload(7, 1, 1));
	assert!(SignedPayload::<Test>::verify::<crate::crypto::SealerAuthId>(
		&payload,
		signature.clone()
	));
	assert_eq!(node.retry_state(pin_retry_key(7)), Some(RetryState::submitted(1, 0)));

	// While the confirmation may be in the pool, nothing more is done.
	(node.clear_pool)();
	node.run(1 + LONGEVITY);
	assert!(node.calls().is_empty());

	// Dropped from the pool: uploaded and confirmed again.
	let later = NOW + 60_000;
	node.set_time(later);
	node.expect(&put_of(1, later), ciphertext(1), b"");
	node.run(2 + LONGEVITY);
	let calls = node.calls();
	let [crate::Call::confirm_pin { payload, signature }] = calls.as_slice() else {
		panic!("one confirmation, not {calls:?}");
	};
	assert_eq!(payload, &PinPayload { block: 2 + LONGEVITY, ..pin_payload(7, 1, 1) });
	(node.clear_pool)();

	// Once the confirmation is in a block the request is answered and left alone.
	node.execute(|| {
		admit_and_dispatch(crate::Call::confirm_pin {
			payload: payload.clone(),
			signature: signature.clone(),
		});
		assert_eq!(Pins::<Test>::get(7).map(|pin| pin.confirmations.len()), Some(1));
	});
	node.set_time(later + 600_000);
	node.run(100);
	assert!(node.calls().is_empty());
	assert_eq!(node.retry_state(pin_retry_key(7)), None);
}

#[test]
fn storage_errors_back_off_and_are_reported_after_the_bound() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));

	// Attempt 1: 503.
	node.expect(&put_of(1, NOW), ciphertext(1), b"<Error><Code>SlowDown</Code></Error>");
	node.answer(HttpRequestStatus::Finished(503));
	node.run(1);
	assert!(node.calls().is_empty());
	assert_eq!(node.failed_requests(), 1);
	assert_eq!(
		node.retry_state(pin_retry_key(7)),
		Some(RetryState { attempts: 1, next_attempt_at: NOW + 2_000, submitted_at: None })
	);

	// Not due yet: no request (an unexpected one would fail the test).
	node.set_time(NOW + 1_999);
	node.run(2);
	assert!(node.calls().is_empty());
	assert_eq!(node.failed_requests(), 1);

	// Attempt 2: no answer before the deadline.
	node.set_time(NOW + 2_000);
	node.expect(&put_of(1, NOW + 2_000), ciphertext(1), b"");
	node.answer(HttpRequestStatus::DeadlineReached);
	node.run(3);
	assert!(node.calls().is_empty());
	assert_eq!(
		node.retry_state(pin_retry_key(7)),
		Some(RetryState { attempts: 2, next_attempt_at: NOW + 6_000, submitted_at: None })
	);

	// Attempt 3, the last: 503 again. Reported with the last reason.
	node.set_time(NOW + 6_000);
	node.expect(&put_of(1, NOW + 6_000), ciphertext(1), b"");
	node.answer(HttpRequestStatus::Finished(503));
	node.run(4);
	let calls = node.calls();
	assert_eq!(calls.len(), 1);
	let crate::Call::report_pin_failure { payload, signature } = calls[0].clone() else {
		panic!("a failure report, not {:?}", calls[0]);
	};
	assert_eq!(
		payload,
		FailurePayload {
			record: 7,
			sealer: sealer_public(1),
			reason: FailureReason::StorageRejected { status: 503 },
			block: 4,
		}
	);
	assert_eq!(node.retry_state(pin_retry_key(7)), Some(RetryState::submitted(4, MAX_ATTEMPTS)));
	// Every failed attempt is counted for the node's operators, timeouts included.
	assert_eq!(node.failed_requests(), 3);
	node.execute(|| {
		admit_and_dispatch(crate::Call::report_pin_failure { payload, signature });
		assert_eq!(
			Pins::<Test>::get(7).map(|pin| pin.failures.into_inner()),
			Some(vec![(sealer(1), FailureReason::StorageRejected { status: 503 })])
		);
	});
	(node.clear_pool)();

	// Still down once the report left the pool: retried, never reported twice.
	let block = 4 + LONGEVITY + 1;
	node.set_time(NOW + 60_000);
	node.expect(&put_of(1, NOW + 60_000), ciphertext(1), b"");
	node.answer(HttpRequestStatus::Finished(503));
	node.run(block);
	assert!(node.calls().is_empty());
	let after_report =
		retry_after_failure(&RetryState::submitted(4, MAX_ATTEMPTS), NOW + 60_000, BACKOFF_BASE_MS);
	assert_eq!(after_report.attempts, MAX_ATTEMPTS + 1);
	assert_eq!(node.retry_state(pin_retry_key(7)), Some(after_report));

	// Storage is back: uploaded and confirmed, which withdraws the report.
	let back = after_report.next_attempt_at;
	node.set_time(back);
	node.expect(&put_of(1, back), ciphertext(1), b"");
	node.run(block + 1);
	let calls = node.calls();
	assert_eq!(calls.len(), 1);
	// The upload that went through is not counted.
	assert_eq!(node.failed_requests(), 4);
	node.execute(|| {
		admit_and_dispatch(calls[0].clone());
		let pin = Pins::<Test>::get(7).expect("the request");
		assert!(pin.failures.is_empty());
		assert_eq!(pin.confirmations.into_inner(), accounts(&[1]));
	});
}

#[test]
fn an_unreachable_store_is_reported_as_unreachable() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	let mut at = NOW;
	for block in 1..=u64::from(MAX_ATTEMPTS) {
		node.set_time(at);
		node.answer(HttpRequestStatus::IoError);
		node.run(block);
		at += BACKOFF_CAP_MS;
	}
	let calls = node.calls();
	assert!(matches!(
		calls.as_slice(),
		[crate::Call::report_pin_failure {
			payload: FailurePayload { reason: FailureReason::StorageUnreachable, .. },
			..
		}]
	));
	assert_eq!(node.failed_requests(), u64::from(MAX_ATTEMPTS));
}

#[test]
fn tampered_ciphertext_is_never_uploaded_and_is_reported() {
	let mut node = Node::new(1, true);
	let mut tampered = ciphertext(1);
	tampered[0] ^= 1;
	node.hold(1, &tampered);
	node.execute(|| register(7, 1));

	node.run(1);

	assert_eq!(node.unanswered_requests(), 0);
	let calls = node.calls();
	assert_eq!(calls.len(), 1);
	let crate::Call::report_pin_failure { payload, signature } = calls[0].clone() else {
		panic!("a failure report, not {:?}", calls[0]);
	};
	assert_eq!(payload.reason, FailureReason::HashMismatch);
	assert_eq!(payload.record, 7);
	node.execute(|| admit_and_dispatch(crate::Call::report_pin_failure { payload, signature }));
	(node.clear_pool)();

	// Still tampered once the report left the pool: looked at again, never uploaded or
	// reported twice.
	let block = 1 + LONGEVITY + 1;
	node.run(block);
	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());

	// A client puts the right bytes again: uploaded and confirmed when next due.
	node.hold(1, &ciphertext(1));
	let due = node.retry_state(pin_retry_key(7)).expect("a retry state").next_attempt_at;
	node.set_time(due);
	node.expect(&put_of(1, due), ciphertext(1), b"");
	node.run(block + 1);
	assert!(matches!(node.calls().as_slice(), [crate::Call::confirm_pin { .. }]));
}

/// Leaves what the node writes when it finds S3 versioning enabled on `bucket` (at the
/// settings' endpoint).
fn mark_as_keeping_versions(bucket: &[u8]) {
	let mut found = settings();
	found.bucket = bucket.to_vec();
	sp_io::offchain::local_storage_set(
		StorageKind::PERSISTENT,
		BUCKET_KEEPS_VERSIONS_KEY,
		&found.bucket_identity(),
	);
}

#[test]
fn ciphertext_sealed_for_another_patient_is_never_uploaded_and_is_reported() {
	// Another patient's record named the hash of the patient's ciphertext first.
	let mut node = Node::new(1, true);
	let front_runner = sp_runtime::AccountId32::new([0xbb; 32]);
	node.hold(1, &ciphertext(1));
	node.execute(|| register_for(&front_runner, 7, 1));

	node.run(1);

	assert_eq!(node.unanswered_requests(), 0);
	let calls = node.calls();
	let [crate::Call::report_pin_failure { payload, signature }] = calls.as_slice() else {
		panic!("a failure report, not {calls:?}");
	};
	assert_eq!(payload.reason, FailureReason::SealedForAnotherPatient);
	assert_eq!(payload.record, 7);
	node.execute(|| {
		admit_and_dispatch(crate::Call::report_pin_failure {
			payload: payload.clone(),
			signature: signature.clone(),
		})
	});
	(node.clear_pool)();
	// Final: never looked at again (its retry state is dropped), uploaded or reported twice,
	// however long after.
	node.set_time(NOW + 3_600_000);
	node.run(1 + LONGEVITY + 1);
	assert_eq!(node.retry_state(pin_retry_key(7)), None);
	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());
}

#[test]
fn ciphertext_without_a_header_is_uploaded_whoever_names_it() {
	let mut node = Node::new(1, true);
	let bytes = b"bytes of a client that seals nothing".to_vec();
	let hash = H256(sp_io::hashing::sha2_256(&bytes));
	node.execute(|| {
		sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, &blob_key(&hash), &bytes);
		<Pinning as RecordHooks<_>>::on_registered(
			7,
			&sp_runtime::AccountId32::new([0xbb; 32]),
			&hash,
			bytes.len() as u64,
		);
	});
	let time = AmzDateTime::from_unix_seconds(NOW / 1_000).unwrap();
	let put = s3().put_object("medchain", &hex_lower(hash.as_bytes()), &bytes, &time).unwrap();
	node.expect(&put, bytes, b"");
	node.run(1);
	let calls = node.calls();
	assert!(matches!(calls.as_slice(), [crate::Call::confirm_pin { .. }]), "{calls:?}");
}

#[test]
fn what_was_found_of_another_bucket_does_not_stop_uploads() {
	// The node was moved off a bucket found keeping versions, to one it could not ask yet.
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| {
		register(7, 1);
		mark_as_keeping_versions(b"the-old-bucket");
	});
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(1);
	let calls = node.calls();
	assert!(matches!(calls.as_slice(), [crate::Call::confirm_pin { .. }]), "{calls:?}");
}

#[test]
fn nothing_is_uploaded_to_a_bucket_found_keeping_versions_and_it_is_reported() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| {
		register(7, 1);
		mark_as_keeping_versions(b"medchain");
	});

	node.run(1);

	assert_eq!(node.unanswered_requests(), 0);
	let calls = node.calls();
	let [crate::Call::report_pin_failure { payload, signature }] = calls.as_slice() else {
		panic!("one failure report, not {calls:?}");
	};
	assert_eq!(payload.reason, FailureReason::BucketKeepsVersions);
	assert_eq!(payload.record, 7);
	node.execute(|| {
		admit_and_dispatch(crate::Call::report_pin_failure {
			payload: payload.clone(),
			signature: signature.clone(),
		})
	});
	(node.clear_pool)();

	// Still versioned once the report left the pool: never uploaded, nor reported twice.
	let block = 1 + LONGEVITY + 1;
	node.run(block);
	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());

	// The node finds the bucket fixed: uploaded when next due, and the confirmation withdraws
	// the report.
	node.execute(|| {
		sp_io::offchain::local_storage_clear(StorageKind::PERSISTENT, BUCKET_KEEPS_VERSIONS_KEY)
	});
	let due = node.retry_state(pin_retry_key(7)).expect("a retry state").next_attempt_at;
	node.set_time(due);
	node.expect(&put_of(1, due), ciphertext(1), b"");
	node.run(block + 1);
	let calls = node.calls();
	assert!(matches!(calls.as_slice(), [crate::Call::confirm_pin { .. }]), "{calls:?}");
	node.execute(|| {
		admit_and_dispatch(calls[0].clone());
		let pin = Pins::<Test>::get(7).expect("the request");
		assert!(pin.failures.is_empty());
		assert_eq!(pin.confirmations.into_inner(), accounts(&[1]));
	});
}

/// A store's answer to a `DELETE` of a key it does not have.
const NO_SUCH_KEY: &[u8] =
	b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
	<Message>The specified key does not exist.</Message></Error>";

#[test]
fn released_objects_are_deleted_then_confirmed() {
	for (status, answer) in [(204, &b""[..]), (404, NO_SUCH_KEY)] {
		let mut node = Node::new(1, true);
		// The erasure's off-chain indexing dropped the node's copy; the patient has put the
		// ciphertext again since, for a record naming it anew in a block this run may not see.
		node.hold(1, &ciphertext(1));
		node.execute(|| {
			register(7, 1);
			assert_ok!(confirm(7, 1, 1));
			assert_ok!(confirm(7, 1, 2));
			erase(7, 1);
		});
		node.expect(&delete_of(1, NOW), Vec::new(), answer);
		node.answer(HttpRequestStatus::Finished(status));

		node.run(2);

		let calls = node.calls();
		assert_eq!(calls.len(), 1, "after HTTP {status}");
		let crate::Call::confirm_unpin { payload, signature } = calls[0].clone() else {
			panic!("a deletion confirmation, not {:?}", calls[0]);
		};
		assert_eq!(payload, UnpinPayload { block: 2, ..unpin_payload(1, 1) });
		assert_eq!(
			node.retry_state(unpin_retry_key(&content(1))),
			Some(RetryState::submitted(2, 0))
		);
		// The bucket's copy is deleted, never the node's own.
		assert_eq!(
			node.execute(|| sp_io::offchain::local_storage_get(
				StorageKind::PERSISTENT,
				&blob_key(&content(1))
			)),
			Some(ciphertext(1))
		);
		node.execute(|| {
			admit_and_dispatch(crate::Call::confirm_unpin { payload, signature });
			assert_eq!(
				Unpins::<Test>::get(content(1)).map(|u| u.deleted.into_inner()),
				Some(accounts(&[1]))
			);
		});
	}
}

#[test]
fn nothing_is_deleted_from_a_bucket_found_keeping_versions_until_it_stops() {
	let mut node = Node::new(1, true);
	node.execute(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		erase(7, 1);
		mark_as_keeping_versions(b"medchain");
	});

	// A `DELETE` there would only hide the object: none is sent, none confirmed.
	node.run(2);
	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());
	assert_eq!(
		node.retry_state(unpin_retry_key(&content(1))),
		Some(RetryState { attempts: 1, next_attempt_at: NOW + 2_000, submitted_at: None })
	);
	assert_eq!(node.failed_requests(), 1);

	// Versioning suspended: deleted and confirmed when next due.
	node.execute(|| {
		sp_io::offchain::local_storage_clear(StorageKind::PERSISTENT, BUCKET_KEEPS_VERSIONS_KEY)
	});
	let later = NOW + 2_000;
	node.set_time(later);
	node.expect(&delete_of(1, later), Vec::new(), b"");
	node.answer(HttpRequestStatus::Finished(204));
	node.run(3);
	assert!(matches!(node.calls().as_slice(), [crate::Call::confirm_unpin { .. }]));
}

#[test]
fn a_sealer_that_left_the_set_still_deletes_what_it_stored() {
	let mut node = Node::new(1, true);
	node.execute(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		erase(7, 1);
		// The hospital running sealer 1 leaves the consortium's sealers.
		set_sealers(&[2, 3]);
	});
	node.expect(&delete_of(1, NOW), Vec::new(), b"");
	node.answer(HttpRequestStatus::Finished(204));

	node.run(2);

	let calls = node.calls();
	assert_eq!(calls.len(), 1);
	let crate::Call::confirm_unpin { payload, signature } = calls[0].clone() else {
		panic!("a deletion confirmation, not {:?}", calls[0]);
	};
	assert_eq!(payload, UnpinPayload { block: 2, ..unpin_payload(1, 1) });
	node.execute(|| {
		admit_and_dispatch(crate::Call::confirm_unpin { payload, signature });
		// It was the only holder: the deletion is done.
		assert!(!Unpins::<Test>::contains_key(content(1)));
		System::assert_last_event(Event::Unpinned { content_hash: content(1) }.into());
	});
}

#[test]
fn a_key_that_never_held_a_copy_neither_pins_nor_deletes() {
	// Sealer 4 is not in the set and holds nothing: nothing is sent for it.
	let mut node = Node::new(4, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		erase(7, 1);
	});
	node.run(2);
	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());
}

#[test]
fn failed_deletions_back_off() {
	// Refused; or a 404 that is not about the object: a wrong or renamed bucket
	// (`NoSuchBucket`), or no S3 answer at all. The copy may still be where it was uploaded,
	// so none is confirmed deleted.
	for (status, answer) in [
		(403, &b"<Error><Code>AccessDenied</Code></Error>"[..]),
		(404, b"<Error><Code>NoSuchBucket</Code></Error>"),
		(404, b"Not Found"),
	] {
		let mut node = Node::new(1, true);
		node.execute(|| {
			register(7, 1);
			assert_ok!(confirm(7, 1, 1));
			erase(7, 1);
		});
		node.expect(&delete_of(1, NOW), Vec::new(), answer);
		node.answer(HttpRequestStatus::Finished(status));
		node.run(2);
		assert!(node.calls().is_empty(), "after HTTP {status}");
		assert_eq!(
			node.retry_state(unpin_retry_key(&content(1))),
			Some(RetryState { attempts: 1, next_attempt_at: NOW + 2_000, submitted_at: None })
		);
		assert_eq!(node.failed_requests(), 1);
	}
}

#[test]
fn a_locked_object_is_left_alone() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| {
		register(7, 1);
		// Another run holds the object's lock for another 30 s.
		StorageValueRef::persistent(&lock_key(&content(1)))
			.set(&Timestamp::from_unix_millis(NOW + 30_000));
	});

	node.run(1);

	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());
	assert_eq!(node.retry_state(pin_retry_key(7)), None);
}

#[test]
fn the_lock_is_released_after_an_upload() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(1);
	let lock = lock_key(&content(1));
	node.execute(|| {
		assert_eq!(sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, &lock), None)
	});
}

#[test]
fn ciphertext_the_node_does_not_hold_is_skipped_without_counting_an_attempt() {
	let mut node = Node::new(1, true);
	node.execute(|| register(7, 1));
	node.run(1);
	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());
	assert_eq!(node.retry_state(pin_retry_key(7)), None);
}

#[test]
fn without_settings_or_a_sealer_key_the_worker_does_nothing() {
	// No settings.
	let mut node = Node::new(1, false);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	node.run(1);
	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());

	// A key that is not a sealer's.
	let mut node = Node::new(4, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	node.run(1);
	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());

	// Settings that do not decode.
	let mut node = Node::new(1, false);
	node.hold(1, &ciphertext(1));
	node.execute(|| {
		sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, STORAGE_SETTINGS_KEY, b"\x01");
		register(7, 1);
	});
	node.run(1);
	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());
}

#[test]
fn without_a_signing_key_of_today_nothing_is_uploaded_until_the_node_renews_them() {
	// The node's keys ran out (its renewal stopped, or its clock is wrong): the worker signs
	// nothing, sends nothing and counts no attempt against any request; its operators' count
	// of failed requests goes up once a run.
	let install = |node: &mut Node, keys: Vec<DaySigningKey>| {
		node.execute(|| {
			let settings = StorageSettings { signing_keys: keys, ..settings() };
			sp_io::offchain::local_storage_set(
				StorageKind::PERSISTENT,
				STORAGE_SETTINGS_KEY,
				&settings.encode(),
			);
		})
	};
	let mut node = Node::new(1, false);
	install(&mut node, day_keys_from(NOW - 2 * 86_400_000, 2));
	node.hold(1, &ciphertext(1));
	node.hold(2, &ciphertext(2));
	node.execute(|| {
		register(7, 1);
		register(8, 2);
	});
	node.run(1);
	node.run(2);
	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());
	assert_eq!(node.retry_state(pin_retry_key(7)), None);
	assert_eq!(node.retry_state(pin_retry_key(8)), None);
	assert_eq!(node.failed_requests(), 2);

	// Renewed: uploaded and confirmed.
	install(&mut node, day_keys_from(NOW, 2));
	// In the order of the `Pending` index.
	node.expect(&put_of(2, NOW), ciphertext(2), b"");
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(3);
	let calls = node.calls();
	assert!(
		matches!(
			calls.as_slice(),
			[crate::Call::confirm_pin { .. }, crate::Call::confirm_pin { .. }]
		),
		"{calls:?}"
	);
	assert_eq!(node.failed_requests(), 2);
}

#[test]
fn requests_this_sealer_confirmed_or_that_are_pinned_are_skipped() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.hold(2, &ciphertext(2));
	node.execute(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		register(8, 2);
		assert_ok!(confirm(8, 2, 2));
		assert_ok!(confirm(8, 2, 3));
		assert_eq!(status(8), Some(PinStatus::Pinned));
	});
	node.run(2);
	assert_eq!(node.unanswered_requests(), 0);
	assert!(node.calls().is_empty());
}

#[test]
fn requests_this_sealer_confirmed_cost_no_write_while_they_stay_listed() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(1);
	// The upload's lock was released (a clear).
	let after_upload = node.clears.load(Ordering::Relaxed);
	let calls = node.calls();
	node.execute(|| {
		admit_and_dispatch(calls[0].clone());
		// Confirmed by one of the two sealers needed: still listed.
		assert!(Pending::<Test>::contains_key(7));
		for record in 8..20 {
			register(record, 1);
			assert_ok!(confirm(record, 1, 1));
		}
	});
	(node.clear_pool)();
	// Record 7's retry state goes once; then nothing is written, block after block.
	node.run(2 + LONGEVITY);
	assert_eq!(node.clears.load(Ordering::Relaxed), after_upload + 1);
	assert_eq!(node.retry_state(pin_retry_key(7)), None);
	node.run(3 + LONGEVITY);
	node.run(4 + LONGEVITY);
	// Nor uploaded again (an unexpected request would fail the test).
	assert_eq!(node.clears.load(Ordering::Relaxed), after_upload + 1);
	assert!(node.calls().is_empty());
}

#[test]
fn at_most_max_pins_per_run_uploads_are_made() {
	let mut node = Node::new(1, true);
	for n in 1..=3 {
		node.hold(n, &ciphertext(n));
	}
	let order = node.execute(|| {
		for n in 1..=3u8 {
			register(u64::from(n), n);
		}
		Pending::<Test>::iter_keys().collect::<Vec<_>>()
	});
	// `MaxPinsPerRun` is 2: the first two in the worker's order.
	for record in order.iter().take(2) {
		let n = *record as u8;
		node.expect(&put_of(n, NOW), ciphertext(n), b"");
	}
	node.run(1);
	let confirmed: Vec<u64> = node
		.calls()
		.into_iter()
		.map(|call| match call {
			crate::Call::confirm_pin { payload, .. } => payload.record,
			other => panic!("a confirmation, not {other:?}"),
		})
		.collect();
	assert_eq!(confirmed, order[..2].to_vec());

	// The third is done next block.
	(node.clear_pool)();
	let n = order[2] as u8;
	node.expect(&put_of(n, NOW), ciphertext(n), b"");
	node.run(2);
	assert_eq!(node.calls().len(), 1);
}

fn untracked(node: &mut Node) -> Vec<(H256, u64)> {
	node.execute(|| {
		untracked_uploads::<sp_runtime::AccountId32>()
			.into_iter()
			.map(|upload| (upload.content_hash, upload.uploaded_at))
			.collect()
	})
}

fn last_action(node: &mut Node, n: u8) -> Option<LastAction> {
	node.execute(|| StorageValueRef::persistent(&last_action_key(&content(n))).get().ok().flatten())
}

/// The first block whose run decides on an upload made on block `uploaded_at`: the mock's
/// longevity and the settings' finality depth later.
fn settled(uploaded_at: u64) -> u64 {
	uploaded_at + LONGEVITY + u64::from(FINALITY_DEPTH) + 1
}

#[test]
fn an_upload_overtaken_by_its_records_erasure_is_deleted_without_a_statement() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(1);
	// Uploaded; the confirmation is still in the pool when the patient erases the record.
	assert!(matches!(node.calls().as_slice(), [crate::Call::confirm_pin { .. }]));
	assert_eq!(untracked(&mut node), vec![(content(1), 1)]);
	(node.clear_pool)();
	node.execute(|| {
		erase(7, 1);
		// Nobody had confirmed: the chain asks nobody to delete it.
		assert!(!Unpins::<Test>::contains_key(content(1)));
	});

	// Not before it settles (an unexpected request would fail the test when awaited).
	node.run(settled(1) - 1);
	assert_eq!(untracked(&mut node), vec![(content(1), 1)]);

	node.expect(&delete_of(1, NOW), Vec::new(), b"");
	node.answer(HttpRequestStatus::Finished(204));
	node.run(settled(1));
	// Nothing to confirm: the chain never listed the node as holding it.
	assert!(node.calls().is_empty());
	assert!(untracked(&mut node).is_empty());
	assert_eq!(
		last_action(&mut node, 1),
		Some(LastAction { action: ObjectAction::Deleted, block: settled(1) })
	);
	node.run(settled(1) + 1);
}

#[test]
fn a_failed_deletion_of_an_untracked_upload_is_retried_after_its_backoff() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(1);
	node.execute(|| erase(7, 1));
	node.expect(&delete_of(1, NOW), Vec::new(), b"");
	node.answer(HttpRequestStatus::Finished(503));
	node.run(settled(1));
	assert_eq!(untracked(&mut node), vec![(content(1), 1)]);

	// Not before the backoff.
	node.run(settled(1) + 1);
	let later = NOW + 2_000;
	node.set_time(later);
	node.expect(&delete_of(1, later), Vec::new(), NO_SUCH_KEY);
	node.answer(HttpRequestStatus::Finished(404));
	node.run(settled(1) + 2);
	assert!(untracked(&mut node).is_empty());
	// The 503 was a failure; the 404 `NoSuchKey` is what was asked (the object is gone).
	assert_eq!(node.failed_requests(), 1);
}

#[test]
fn a_confirmed_upload_is_forgotten_once_settled_and_left_to_the_chains_deletion_requests() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(1);
	let calls = node.calls();
	(node.clear_pool)();
	node.execute(|| admit_and_dispatch(calls[0].clone()));

	// Listed as a holder, but a reorganisation could still drop the confirmation.
	node.run(2);
	assert_eq!(untracked(&mut node), vec![(content(1), 1)]);
	node.run(settled(1));
	assert!(untracked(&mut node).is_empty());

	// A second record of the same ciphertext: noted again, although this fork lists the
	// node as holding it already.
	let second = settled(1) + 1;
	node.execute(|| register(8, 1));
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(second);
	assert_eq!(untracked(&mut node), vec![(content(1), second)]);
}

/// Record 7 of ciphertext 1 uploaded by sealer 1 on block 1, whose confirmation never lands
/// (say, the sealer left the set first) while sealers 2 and 3 pin it.
fn upload_the_chain_never_lists(node: &mut Node) {
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(1);
	(node.clear_pool)();
	node.execute(|| {
		assert_ok!(confirm(7, 1, 2));
		assert_ok!(confirm(7, 1, 3));
		assert_eq!(status(7), Some(PinStatus::Pinned));
	});
}

fn orphans(node: &mut Node) -> Vec<H256> {
	node.execute(|| {
		orphan_copies::<sp_runtime::AccountId32>()
			.into_iter()
			.map(|copy| copy.content_hash)
			.collect()
	})
}

#[test]
fn an_upload_the_chain_never_listed_is_deleted_once_its_record_is_erased() {
	let mut node = Node::new(1, true);
	upload_the_chain_never_lists(&mut node);
	// Settled: the record lives, so the copy stays, as an orphan; the untracked list does not
	// fill up with such uploads.
	node.run(settled(1));
	assert!(untracked(&mut node).is_empty());
	assert_eq!(orphans(&mut node), vec![content(1)]);
	node.run(settled(1) + 1);
	assert!(node.calls().is_empty());

	// The patient erases the record: the chain asks sealers 2 and 3 to delete their copies,
	// not this node. The worker deletes its own all the same, and confirms nothing.
	node.execute(|| {
		erase(7, 1);
		let unpin = Unpins::<Test>::get(content(1)).unwrap();
		assert_eq!(unpin.holders.into_inner(), accounts(&[2, 3]));
	});
	let erased_at = settled(1) + 2;
	node.expect(&delete_of(1, NOW), Vec::new(), b"");
	node.answer(HttpRequestStatus::Finished(204));
	node.run(erased_at);
	assert!(orphans(&mut node).is_empty());
	assert!(node.calls().is_empty());
	assert_eq!(
		last_action(&mut node, 1),
		Some(LastAction { action: ObjectAction::Deleted, block: erased_at })
	);
	// Done: no further request (an unexpected one would fail the test).
	node.run(erased_at + 1);
}

#[test]
fn an_orphan_copy_the_chain_comes_to_list_is_forgotten_not_deleted() {
	let mut node = Node::new(1, true);
	upload_the_chain_never_lists(&mut node);
	node.run(settled(1));
	assert_eq!(orphans(&mut node), vec![content(1)]);
	// A second record of the same ciphertext, which this sealer confirms: the chain now lists
	// it as a holder, and will ask it to delete the object with the last record.
	node.execute(|| {
		register(8, 1);
		assert_ok!(confirm(8, 1, 1));
	});
	node.run(settled(1) + 1);
	assert!(orphans(&mut node).is_empty());
	// Both records erased: the chain asks this node to delete its copy, which it does and
	// confirms, once (an unexpected second request would fail the test).
	node.execute(|| {
		erase(7, 1);
		erase(8, 1);
		assert!(Unpins::<Test>::get(content(1)).unwrap().holders.contains(&sealer(1)));
	});
	let erased_at = settled(1) + 2;
	node.expect(&delete_of(1, NOW), Vec::new(), b"");
	node.answer(HttpRequestStatus::Finished(204));
	node.run(erased_at);
	assert!(matches!(node.calls().as_slice(), [crate::Call::confirm_unpin { .. }]));
	assert!(orphans(&mut node).is_empty());
}

#[test]
fn an_orphan_copy_stays_while_another_record_of_the_same_bytes_lives() {
	let mut node = Node::new(1, true);
	upload_the_chain_never_lists(&mut node);
	// A second record of the same bytes, which the other two sealers pin.
	node.execute(|| {
		register(8, 1);
		assert_ok!(confirm(8, 1, 2));
		assert_ok!(confirm(8, 1, 3));
	});
	node.run(settled(1));
	assert_eq!(orphans(&mut node), vec![content(1)]);
	// One of the two records goes: the object is still referenced, so nothing is deleted.
	node.execute(|| erase(7, 1));
	node.run(settled(1) + 1);
	assert_eq!(orphans(&mut node), vec![content(1)]);
	// The other goes too: now it is.
	node.execute(|| erase(8, 1));
	node.expect(&delete_of(1, NOW), Vec::new(), b"");
	node.answer(HttpRequestStatus::Finished(204));
	node.run(settled(1) + 2);
	assert!(orphans(&mut node).is_empty());
}

#[test]
fn an_upload_the_store_refused_leaves_no_orphan() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.answer(HttpRequestStatus::Finished(403));
	node.run(1);
	// Other sealers pin it meanwhile: this node has no copy to look after.
	node.execute(|| {
		assert_ok!(confirm(7, 1, 2));
		assert_ok!(confirm(7, 1, 3));
	});
	node.run(settled(1));
	assert!(untracked(&mut node).is_empty());
	assert!(orphans(&mut node).is_empty());
}

#[test]
fn an_unanswered_upload_may_have_landed_and_is_looked_after() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.answer(HttpRequestStatus::DeadlineReached);
	node.run(1);
	assert_eq!(
		last_action(&mut node, 1),
		Some(LastAction { action: ObjectAction::Uploaded, block: 1 })
	);
	node.execute(|| {
		assert_ok!(confirm(7, 1, 2));
		assert_ok!(confirm(7, 1, 3));
	});
	node.run(settled(1));
	assert_eq!(orphans(&mut node), vec![content(1)]);
}

#[test]
fn a_failed_deletion_of_an_orphan_copy_is_retried_after_its_backoff() {
	let mut node = Node::new(1, true);
	upload_the_chain_never_lists(&mut node);
	node.run(settled(1));
	node.execute(|| erase(7, 1));
	node.expect(&delete_of(1, NOW), Vec::new(), b"");
	node.answer(HttpRequestStatus::Finished(503));
	node.run(settled(1) + 1);
	assert_eq!(orphans(&mut node), vec![content(1)]);
	// Not before the backoff.
	node.run(settled(1) + 2);
	let later = NOW + 2_000;
	node.set_time(later);
	node.expect(&delete_of(1, later), Vec::new(), NO_SUCH_KEY);
	node.answer(HttpRequestStatus::Finished(404));
	node.run(settled(1) + 3);
	assert!(orphans(&mut node).is_empty());
}

/// `n` orphan copies of sealer 1 that no record references, of objects `1_000`, `1_001`…
fn orphan_list(n: usize) -> Vec<OrphanCopy<sp_runtime::AccountId32>> {
	(0..n)
		.map(|n| OrphanCopy {
			content_hash: H256::from_low_u64_be(n as u64 + 1_000),
			holder: sealer(1),
			noted_at: 1,
			deletion: RetryState::default(),
		})
		.collect()
}

/// Expects the `DELETE` of orphan object `1_000 + n`, answered 204.
fn expect_orphan_deletion(node: &mut Node, n: usize) {
	let hash = H256::from_low_u64_be(n as u64 + 1_000);
	let time = AmzDateTime::from_unix_seconds(NOW / 1_000).unwrap();
	let request = s3().delete_object("medchain", &hex_lower(hash.as_bytes()), &time).unwrap();
	node.expect(&request, Vec::new(), b"");
	node.answer(HttpRequestStatus::Finished(204));
}

#[test]
fn orphan_copies_are_gone_through_a_window_at_a_time_and_none_is_skipped() {
	let mut node = Node::new(1, true);
	// 40 copies no record needs: each run deletes the first `MaxPinsPerRun` (2) it looks at,
	// and the next goes on from the first it did not delete.
	node.execute(|| StorageValueRef::persistent(ORPHAN_COPIES_KEY).set(&orphan_list(40)));
	for block in 1..=20u64 {
		let first = 2 * (block as usize - 1);
		expect_orphan_deletion(&mut node, first);
		expect_orphan_deletion(&mut node, first + 1);
		node.run(block);
		assert_eq!(orphans(&mut node).len(), 40 - 2 * block as usize);
	}
	assert!(orphans(&mut node).is_empty());
}

#[test]
fn past_the_most_orphan_copies_kept_a_new_one_is_forgotten() {
	let mut node = Node::new(1, true);
	let others = orphan_list(MAX_ORPHAN_COPIES);
	upload_the_chain_never_lists(&mut node);
	node.execute(|| StorageValueRef::persistent(ORPHAN_COPIES_KEY).set(&others));
	// The list's entries are no record's: each run deletes at most `MaxPinsPerRun` of them.
	expect_orphan_deletion(&mut node, 0);
	expect_orphan_deletion(&mut node, 1);
	node.run(settled(1));
	// The untracked upload is gone from its list, and the full list did not take it.
	assert!(untracked(&mut node).is_empty());
	let kept = orphans(&mut node);
	assert_eq!(kept.len(), MAX_ORPHAN_COPIES - 2);
	assert!(!kept.contains(&content(1)));
}

#[test]
fn an_older_run_does_not_delete_an_erased_upload_a_newer_run_uploaded_again() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	node.execute(|| register(7, 1));
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(1);
	(node.clear_pool)();
	node.execute(|| erase(7, 1));
	let list_as_read = node.execute(|| {
		sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, UNTRACKED_UPLOADS_KEY)
	});
	let old = settled(1);

	// The client registers the same ciphertext again; the next block's run uploads it.
	node.hold(1, &ciphertext(1));
	node.execute(|| register(9, 1));
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(old + 1);
	(node.clear_pool)();

	// The run on the block before, which read the list before that upload and does not see
	// the new record, gets the object's lock only now.
	node.execute(|| {
		Pins::<Test>::remove(9);
		Pending::<Test>::remove(9);
		Objects::<Test>::remove(content(1));
		if let Some(raw) = list_as_read {
			sp_io::offchain::local_storage_set(
				StorageKind::PERSISTENT,
				UNTRACKED_UPLOADS_KEY,
				&raw,
			);
		}
	});
	node.run(old);
	assert_eq!(
		last_action(&mut node, 1),
		Some(LastAction { action: ObjectAction::Uploaded, block: old + 1 }),
		"no DELETE of the object the newer run uploaded"
	);
}

#[test]
fn a_run_on_an_older_block_does_not_delete_what_a_newer_run_uploaded_again() {
	let mut node = Node::new(1, true);
	let old_view = node.execute(|| {
		register(7, 1);
		assert_ok!(confirm(7, 1, 1));
		erase(7, 1);
		Unpins::<Test>::get(content(1)).expect("a deletion request")
	});
	// The next block registers the same ciphertext again, calling the deletion off; the
	// client put it again, and that block's run uploads it for the new record.
	node.hold(1, &ciphertext(1));
	node.execute(|| {
		register(9, 1);
		assert!(!Unpins::<Test>::contains_key(content(1)));
	});
	node.expect(&put_of(1, NOW), ciphertext(1), b"");
	node.run(3);
	assert_eq!(
		last_action(&mut node, 1),
		Some(LastAction { action: ObjectAction::Uploaded, block: 3 })
	);
	(node.clear_pool)();

	// The run on block 2, which still sees the deletion request, gets the lock only now.
	node.execute(|| Unpins::<Test>::insert(content(1), old_view));
	node.run(2);
	assert_eq!(
		last_action(&mut node, 1),
		Some(LastAction { action: ObjectAction::Uploaded, block: 3 }),
		"no DELETE of the object block 3 needs"
	);
	assert!(node.calls().is_empty());
}

#[test]
fn a_run_on_an_older_block_does_not_upload_what_a_newer_run_deleted() {
	let mut node = Node::new(1, true);
	node.hold(1, &ciphertext(1));
	let pending = node.execute(|| {
		register(7, 1);
		let pending = Pins::<Test>::get(7).expect("a pin request");
		assert_ok!(confirm(7, 1, 1));
		erase(7, 1);
		pending
	});
	node.expect(&delete_of(1, NOW), Vec::new(), b"");
	node.answer(HttpRequestStatus::Finished(204));
	node.run(3);
	assert_eq!(
		last_action(&mut node, 1),
		Some(LastAction { action: ObjectAction::Deleted, block: 3 })
	);
	(node.clear_pool)();

	// The run on block 2 still sees the record pending, and read the node's copy before the
	// erasure dropped it.
	node.hold(1, &ciphertext(1));
	node.execute(|| {
		Pins::<Test>::insert(7, pending);
		Pending::<Test>::insert(7, ());
	});
	node.run(2);
	assert_eq!(
		last_action(&mut node, 1),
		Some(LastAction { action: ObjectAction::Deleted, block: 3 }),
		"no upload of an erased record's ciphertext"
	);
	assert!(node.calls().is_empty());
}

#[test]
fn the_worker_never_holds_the_secret_and_logs_no_key() {
	// The worker is given day keys, never the secret; it keeps them only inside `S3Config`,
	// whose `Debug` redacts them, and logs only the endpoint and bucket; the signed request it
	// sends carries a signature, never a key.
	let encoded = settings().encode();
	assert!(!encoded.windows(17).any(|window| window == b"very-secret-value"));
	let request = put_of(1, NOW);
	assert!(!format!("{request:?}").contains("very-secret-value"));
	assert!(request.headers.iter().all(|(_, value)| !value.contains("very-secret-value")));
	let printed = format!("{:?}", settings());
	for day in settings().signing_keys {
		assert!(!printed.contains(&hex_lower(&day.key)), "{printed}");
		assert!(!printed.contains(&format!("{:?}", day.key)), "{printed}");
	}
}
