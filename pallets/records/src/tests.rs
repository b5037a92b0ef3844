//! Unit tests of the record registry: every call, every error, deposits, hooks and the
//! version chain. The consent pallet in the mock is the real one.

use crate::{
	mock::*, EnvelopesByHolder, Error, Event, KeyEnvelopes, NextRecordId, Record, RecordsOf,
	Tombstone, Tombstones, MAX_RECORDS_PAGE,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::DispatchResultWithPostInfo,
	traits::{fungible::InspectHold, UnfilteredDispatchable},
};
use medchain_primitives::{
	health::{
		AccessPolicy, Action, GranteeKey, OrgId, OrgKind, Purpose, RecordId, RecordInspect,
		RecordStatus, RecordSummary, Role,
	},
	vocabulary::{DOCUMENT_CATEGORIES, MEDIA_TYPES},
};
use pallet_consent::{ConsentScope, Grantee};
use sp_core::H256;
use sp_runtime::{BoundedVec, TokenError};

fn record_of(id: u64) -> crate::RecordOf<Test> {
	crate::Records::<Test>::get(id).expect("the record exists")
}

/// `author` registers a new document (a ciphertext of its own) in the patient's file.
fn register_as(author: u64, purpose: Purpose) -> DispatchResultWithPostInfo {
	let fresh_ciphertext = content((crate::NextRecordId::<Test>::get() as u8).wrapping_add(7));
	Records::register(
		RuntimeOrigin::signed(author),
		PATIENT,
		consult_note(),
		fresh_ciphertext,
		2_048,
		fhir_json(),
		purpose,
		if author == PATIENT { envelopes(&[PATIENT]) } else { envelopes(&[PATIENT, author]) },
	)
}

/// The weight `call` was charged in the end: `None` means all of its declared weight.
fn charged(call: DispatchResultWithPostInfo) -> Option<frame_support::weights::Weight> {
	call.expect("the call succeeds").actual_weight
}

type Weights = <Test as crate::Config>::WeightInfo;

fn hold_of(reason: crate::HoldReason, who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Records(reason), &who)
}

// ---------------------------------------------------------------------------------------------
// register
// ---------------------------------------------------------------------------------------------

#[test]
fn patient_registers_a_record_in_their_own_file() {
	new_test_ext().execute_with(|| {
		assert_ok!(Records::register(
			RuntimeOrigin::signed(PATIENT),
			PATIENT,
			consult_note(),
			content(1),
			1_024,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[PATIENT]),
		));

		assert_eq!(
			record_of(0),
			Record {
				patient: PATIENT,
				author: PATIENT,
				organisation: None,
				category: consult_note(),
				content_hash: content(1),
				ciphertext_size: 1_024,
				media_type: fhir_json(),
				created_at: START,
				document: 0,
				version: 1,
				latest_version: 1,
				replaces: None,
				superseded_by: None,
				falls_back_to: None,
				fallback_of: None,
				status: RecordStatus::Current,
				consent_used: None,
				envelopes: 1,
				deposit: crate::Deposit { depositor: PATIENT, amount: RecordDeposit::get() },
			}
		);
		assert_eq!(records_of(PATIENT), vec![0]);
		assert_eq!(NextRecordId::<Test>::get(), 1);
		assert_eq!(Records::key_envelope(0, &PATIENT), Some(wrapped_key(PATIENT as u8).into()));
		assert_eq!(hold_of(crate::HoldReason::RecordDeposit, PATIENT), RecordDeposit::get());
		assert_eq!(
			hold_of(crate::HoldReason::KeyEnvelopeDeposit, PATIENT),
			KeyEnvelopeDeposit::get()
		);
		assert_eq!(MockHooks::calls(), vec![HookCall::Registered(0, content(1), 1_024)]);
		System::assert_has_event(
			Event::KeyEnvelopeAdded { record: 0, recipient: PATIENT, depositor: PATIENT }.into(),
		);
		System::assert_last_event(
			Event::RecordRegistered {
				record: 0,
				patient: PATIENT,
				author: PATIENT,
				organisation: None,
				category: consult_note(),
				content_hash: content(1),
				consent_used: None,
			}
			.into(),
		);
	});
}

#[test]
fn a_provider_with_an_append_consent_registers_and_the_record_names_consent_and_organisation() {
	new_test_ext().execute_with(|| {
		let consent = grant_doctor_treatment();
		assert_ok!(register_as(DOCTOR, Purpose::Treatment));

		let record = record_of(0);
		assert_eq!(record.author, DOCTOR);
		assert_eq!(record.organisation, Some(HOSPITAL));
		assert_eq!(record.consent_used, Some(consent));
		assert_eq!(record.deposit.depositor, DOCTOR);
		assert_eq!(records_of(PATIENT), vec![0]);
		// The provider pays for the record and both envelopes; the patient pays nothing.
		assert_eq!(held(DOCTOR), RecordDeposit::get() + 2 * KeyEnvelopeDeposit::get());
		assert_eq!(hold_of(crate::HoldReason::RecordDeposit, PATIENT), 0);
		System::assert_last_event(
			Event::RecordRegistered {
				record: 0,
				patient: PATIENT,
				author: DOCTOR,
				organisation: Some(HOSPITAL),
				category: consult_note(),
				content_hash: content(7),
				consent_used: Some(consent),
			}
			.into(),
		);
	});
}

#[test]
fn only_a_provider_is_charged_for_the_consent_decision() {
	new_test_ext().execute_with(|| {
		use crate::WeightInfo;
		// The declared weight allows for a consent decision; the patient's own calls take
		// none and are refunded down to the call alone.
		assert_eq!(
			charged(register_as(PATIENT, Purpose::Treatment)),
			Some(Weights::register(0, 1))
		);
		assert_eq!(charged(amend_as(PATIENT, 0)), Some(Weights::amend(0, 0)));
		assert_eq!(
			charged(Records::remove_key_envelope(RuntimeOrigin::signed(PATIENT), 0, PATIENT)),
			Some(Weights::remove_key_envelope())
		);

		let consent_end = START + DAY;
		grant_doctor_treatment_ending(Some(consent_end));
		let decision = <<Test as crate::Config>::Consent as AccessPolicy<u64>>::decision_weight();
		assert_eq!(
			charged(register_as(DOCTOR, Purpose::Treatment)),
			Some(Weights::register(1, 1).saturating_add(decision))
		);
		assert_eq!(
			charged(amend_as(DOCTOR, 2)),
			Some(Weights::amend(1, 0).saturating_add(decision))
		);
		// The recipient removes its own envelope without a decision; a third party's clean-up
		// takes one.
		assert_eq!(
			charged(Records::remove_key_envelope(RuntimeOrigin::signed(DOCTOR), 2, DOCTOR)),
			Some(Weights::remove_key_envelope())
		);
		// Once the consent has ended, a stranger's clean-up is charged for the decision.
		set_now(consent_end);
		assert_eq!(
			charged(Records::remove_key_envelope(RuntimeOrigin::signed(STRANGER), 3, DOCTOR)),
			None
		);
	});
}

#[test]
fn the_patients_own_envelope_is_charged_less_than_one_for_someone_else() {
	new_test_ext().execute_with(|| {
		use crate::WeightInfo;
		let register_for = |recipients: &[u64]| {
			Records::register(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				consult_note(),
				content(recipients.len() as u8 + 1),
				2_048,
				fhir_json(),
				Purpose::Treatment,
				envelopes(recipients),
			)
		};
		// The patient's own envelope is not indexed for revocations.
		assert!(Weights::register(0, 1).all_lt(Weights::register(1, 0)));
		assert_eq!(charged(register_for(&[PATIENT])), Some(Weights::register(0, 1)));
		assert_eq!(charged(register_for(&[NURSE, PATIENT])), Some(Weights::register(1, 1)));
		assert_eq!(charged(register_for(&[NURSE, DOCTOR])), Some(Weights::register(2, 0)));
		// What a call declares before it runs is never less than what it is charged.
		let call = crate::Call::<Test>::register {
			patient: PATIENT,
			category: consult_note(),
			content_hash: content(9),
			ciphertext_size: 2_048,
			media_type: fhir_json(),
			purpose: Purpose::Treatment,
			envelopes: envelopes(&[PATIENT]),
		};
		let decision = <<Test as crate::Config>::Consent as AccessPolicy<u64>>::decision_weight();
		assert_eq!(declared(call), Weights::register(0, 1).saturating_add(decision));

		// Amend cannot know the patient before it runs: it declares every envelope as someone
		// else's plus the patient's own, and refunds down to what it carried.
		let amend_with = |author: u64, record: RecordId, recipients: &[u64]| {
			let call = crate::Call::<Test>::amend {
				record,
				content_hash: content(20 + record as u8),
				ciphertext_size: 2_048,
				media_type: fhir_json(),
				purpose: Purpose::Treatment,
				envelopes: envelopes(recipients),
			};
			let declared = declared(call.clone());
			let charged_weight =
				charged(call.dispatch_bypass_filter(RuntimeOrigin::signed(author)))
					.expect("amend says what it used");
			assert!(declared.all_gte(charged_weight));
			charged_weight
		};
		assert_eq!(amend_with(PATIENT, 0, &[PATIENT, NURSE]), Weights::amend(1, 1));
		grant_doctor_treatment();
		assert_eq!(amend_with(DOCTOR, 1, &[DOCTOR]), Weights::amend(1, 0).saturating_add(decision));
	});
}

#[test]
fn what_the_record_hooks_did_not_use_is_refunded() {
	new_test_ext().execute_with(|| {
		use crate::WeightInfo;
		let unused = frame_support::weights::Weight::from_parts(7_000, 11);
		MockHooks::set_unused(unused);
		let decision = <<Test as crate::Config>::Consent as AccessPolicy<u64>>::decision_weight();

		assert_eq!(
			charged(register_as(PATIENT, Purpose::Treatment)),
			Some(Weights::register(0, 1).saturating_sub(unused))
		);
		assert_eq!(
			charged(amend_as(PATIENT, 0)),
			Some(Weights::amend(0, 0).saturating_sub(unused))
		);
		grant_doctor_treatment();
		assert_eq!(
			charged(register_as(DOCTOR, Purpose::Treatment)),
			Some(Weights::register(1, 1).saturating_add(decision).saturating_sub(unused))
		);
		assert_eq!(
			charged(amend_as(DOCTOR, 2)),
			Some(Weights::amend(1, 0).saturating_add(decision).saturating_sub(unused))
		);
		// Record 1, the patient's amendment, carries no envelope.
		assert_eq!(
			charged(Records::erase(RuntimeOrigin::signed(PATIENT), 1)),
			Some(Weights::erase(0, 0).saturating_sub(unused))
		);
		assert_eq!(
			MockHooks::calls().iter().filter(|call| matches!(call, HookCall::Erased(1, _))).count(),
			1
		);
	});
}

/// The weight `call` declares before it runs.
fn declared(call: crate::Call<Test>) -> frame_support::weights::Weight {
	frame_support::dispatch::GetDispatchInfo::get_dispatch_info(&call).call_weight
}

fn amend_as(author: u64, record: RecordId) -> DispatchResultWithPostInfo {
	let recipients: &[u64] = if author == PATIENT { &[] } else { &[author] };
	Records::amend(
		RuntimeOrigin::signed(author),
		record,
		content(record as u8 + 20),
		512,
		fhir_json(),
		Purpose::Treatment,
		envelopes(recipients),
	)
}

/// `OTHER_PATIENT` lets `DOCTOR` append to every record for treatment.
fn other_patient_lets_doctor_append() {
	assert_ok!(pallet_consent::Pallet::<Test>::grant(
		RuntimeOrigin::signed(OTHER_PATIENT),
		OTHER_PATIENT,
		Grantee::Account(DOCTOR),
		ConsentScope::AllRecords,
		actions(&[Action::Append]),
		purposes(&[Purpose::Treatment]),
		None,
		None,
		None,
	));
}

#[test]
fn a_provider_without_consent_cannot_register() {
	new_test_ext().execute_with(|| {
		assert_noop!(register_as(DOCTOR, Purpose::Treatment), Error::<Test>::NoConsent);
		// A consent for another patient does not help.
		other_patient_lets_doctor_append();
		assert_noop!(register_as(DOCTOR, Purpose::Treatment), Error::<Test>::NoConsent);
	});
}

#[test]
fn a_read_only_consent_does_not_allow_registering() {
	new_test_ext().execute_with(|| {
		grant_treatment_reads(Grantee::Account(DOCTOR));
		assert_noop!(register_as(DOCTOR, Purpose::Treatment), Error::<Test>::ActionNotPermitted);
	});
}

#[test]
fn registering_for_a_purpose_the_consent_does_not_name_fails() {
	new_test_ext().execute_with(|| {
		grant_doctor_treatment();
		assert_noop!(register_as(DOCTOR, Purpose::Research), Error::<Test>::PurposeNotPermitted);
	});
}

#[test]
fn registering_a_category_outside_the_consent_scope_fails() {
	new_test_ext().execute_with(|| {
		grant(
			Grantee::Account(DOCTOR),
			categories_scope(&[lab_report()]),
			&[Action::Append],
			&[Purpose::Treatment],
			None,
		);
		assert_noop!(register_as(DOCTOR, Purpose::Treatment), Error::<Test>::OutOfScope);
		// The category the consent names is fine.
		assert_ok!(Records::register(
			RuntimeOrigin::signed(DOCTOR),
			PATIENT,
			lab_report(),
			content(3),
			10,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[PATIENT]),
		));
	});
}

#[test]
fn a_listed_records_scope_allows_amending_those_documents_but_not_new_ones() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let other_document = register_note(PATIENT, PATIENT, 2);
		grant(
			Grantee::Account(DOCTOR),
			records_scope(&[record]),
			&[Action::Append],
			&[Purpose::Treatment],
			None,
		);
		assert_noop!(register_as(DOCTOR, Purpose::Treatment), Error::<Test>::OutOfScope);
		let amend_as_doctor = |version, seed| {
			Records::amend(
				RuntimeOrigin::signed(DOCTOR),
				version,
				content(seed),
				10,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[PATIENT]),
			)
		};
		assert_noop!(amend_as_doctor(other_document, 3), Error::<Test>::OutOfScope);
		assert_ok!(amend_as_doctor(record, 4));
		// The consent follows the document: its new version, by the doctor or by the patient,
		// is in scope too.
		let second = NextRecordId::<Test>::get() - 1;
		assert_ok!(amend_as_doctor(second, 5));
		let third = second + 1;
		assert_ok!(amend_note(third, 6));
		assert_ok!(amend_as_doctor(third + 1, 7));
	});
}

#[test]
fn registering_outside_the_consent_period_fails() {
	new_test_ext().execute_with(|| {
		assert_ok!(pallet_consent::Pallet::<Test>::grant(
			RuntimeOrigin::signed(PATIENT),
			PATIENT,
			Grantee::Account(DOCTOR),
			ConsentScope::AllRecords,
			actions(&[Action::Append]),
			purposes(&[Purpose::Treatment]),
			Some(START + DAY),
			Some(START + 2 * DAY),
			None,
		));
		assert_noop!(register_as(DOCTOR, Purpose::Treatment), Error::<Test>::ConsentNotYetValid);
		set_now(START + DAY);
		assert_ok!(register_as(DOCTOR, Purpose::Treatment));
		set_now(START + 2 * DAY);
		assert_noop!(register_as(DOCTOR, Purpose::Treatment), Error::<Test>::ConsentExpired);
	});
}

#[test]
fn register_refuses_malformed_input() {
	new_test_ext().execute_with(|| {
		let register = |category, hash, size, media_type| {
			Records::register(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				category,
				hash,
				size,
				media_type,
				Purpose::Treatment,
				envelopes(&[PATIENT]),
			)
		};
		assert_noop!(
			register(category(""), content(1), 1, fhir_json()),
			Error::<Test>::InvalidCategory
		);
		assert_noop!(
			register(category("type 2 diabetes"), content(1), 1, fhir_json()),
			Error::<Test>::InvalidCategory
		);
		assert_noop!(
			register(consult_note(), H256::zero(), 1, fhir_json()),
			Error::<Test>::MissingContentHash
		);
		assert_noop!(
			register(consult_note(), content(1), 0, fhir_json()),
			Error::<Test>::EmptyDocument
		);
		assert_noop!(
			register(
				consult_note(),
				content(1),
				1,
				BoundedVec::truncate_from(b"text plain".to_vec())
			),
			Error::<Test>::InvalidMediaType
		);
		assert_noop!(
			register(consult_note(), content(1), 1, BoundedVec::new()),
			Error::<Test>::InvalidMediaType
		);
		// Well-formed codes outside the vocabulary would put a condition on chain.
		for condition in ["HIV", "ICD10:B20", "oncology"] {
			assert_noop!(
				register(category(condition), content(1), 1, fhir_json()),
				Error::<Test>::InvalidCategory
			);
		}
		assert_noop!(
			register(
				consult_note(),
				content(1),
				1,
				BoundedVec::truncate_from(b"image/tumour".to_vec())
			),
			Error::<Test>::InvalidMediaType
		);
	});
}

#[test]
fn every_code_of_the_vocabulary_registers() {
	new_test_ext().execute_with(|| {
		for (seed, code) in DOCUMENT_CATEGORIES.iter().enumerate() {
			assert_ok!(Records::register(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				category(core::str::from_utf8(code).expect("codes are ASCII")),
				content(seed as u8 + 1),
				1,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[PATIENT]),
			));
		}
		for (seed, media_type) in MEDIA_TYPES.iter().enumerate() {
			assert_ok!(Records::register(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				consult_note(),
				content(seed as u8 + 100),
				1,
				BoundedVec::try_from(media_type.to_vec()).expect("fits MediaTypeCode"),
				Purpose::Treatment,
				envelopes(&[PATIENT]),
			));
		}
	});
}

#[test]
fn register_refuses_bad_envelopes() {
	new_test_ext().execute_with(|| {
		let register = |author: u64, list| {
			Records::register(
				RuntimeOrigin::signed(author),
				PATIENT,
				consult_note(),
				content(1),
				1,
				fhir_json(),
				Purpose::Treatment,
				list,
			)
		};
		let twice = BoundedVec::truncate_from(vec![
			(PATIENT, wrapped_key(1)),
			(GUARDIAN, wrapped_key(2)),
			(PATIENT, wrapped_key(3)),
		]);
		assert_noop!(register(PATIENT, twice), Error::<Test>::DuplicateRecipient);
		let empty = BoundedVec::truncate_from(vec![(PATIENT, BoundedVec::new())]);
		assert_noop!(register(PATIENT, empty), Error::<Test>::EmptyWrappedKey);

		// A provider may wrap the key only for the patient and themselves.
		grant_doctor_treatment();
		assert_noop!(
			register(DOCTOR, envelopes(&[PATIENT, NURSE])),
			Error::<Test>::RecipientNotAllowed
		);
		assert_ok!(register(DOCTOR, envelopes(&[PATIENT, DOCTOR])));
		// The patient may wrap it for anyone.
		assert_ok!(register(PATIENT, envelopes(&[PATIENT, NURSE, GUARDIAN])));
		assert_eq!(record_of(1).envelopes, 3);
	});
}

#[test]
fn a_record_may_not_name_another_patients_ciphertext() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		let others_record = register_note(OTHER_PATIENT, OTHER_PATIENT, 2);
		let register_for_other_patient = |author: u64| {
			Records::register(
				RuntimeOrigin::signed(author),
				OTHER_PATIENT,
				consult_note(),
				content(1),
				1_024,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[OTHER_PATIENT]),
			)
		};

		// Neither the other patient, nor a provider they let append, may name it.
		assert_noop!(
			register_for_other_patient(OTHER_PATIENT),
			Error::<Test>::CiphertextOfAnotherPatient
		);
		other_patient_lets_doctor_append();
		assert_noop!(register_for_other_patient(DOCTOR), Error::<Test>::CiphertextOfAnotherPatient);
		for author in [OTHER_PATIENT, DOCTOR] {
			assert_noop!(
				Records::amend(
					RuntimeOrigin::signed(author),
					others_record,
					content(1),
					1_024,
					fhir_json(),
					Purpose::Treatment,
					envelopes(&[]),
				),
				Error::<Test>::CiphertextOfAnotherPatient
			);
		}

		// Nor may a provider the patient lets append and read name it again: its consent
		// would serve it, through its own record, a ciphertext it may not read.
		grant_doctor_treatment();
		let doctor_names_it = || {
			Records::register(
				RuntimeOrigin::signed(DOCTOR),
				PATIENT,
				consult_note(),
				content(1),
				1_024,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[PATIENT, DOCTOR]),
			)
		};
		assert_noop!(doctor_names_it(), Error::<Test>::CiphertextAlreadyNamed);
		let doctors_record = register_note(DOCTOR, PATIENT, 3);
		assert_noop!(
			Records::amend(
				RuntimeOrigin::signed(DOCTOR),
				doctors_record,
				content(1),
				1_024,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[]),
			),
			Error::<Test>::CiphertextAlreadyNamed
		);

		// The patient's own records may share it.
		let second = register_note(PATIENT, PATIENT, 1);
		assert_eq!(record_of(second).content_hash, record_of(first).content_hash);
		// Erasing them does not free it for another patient while its deletion is under way,
		// and only the patient may call the deletion off: not a provider they let append.
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), first));
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), second));
		assert_noop!(
			register_for_other_patient(OTHER_PATIENT),
			Error::<Test>::CiphertextOfAnotherPatient
		);
		assert_noop!(doctor_names_it(), Error::<Test>::CiphertextBeingDeleted);
		let again = register_note(PATIENT, PATIENT, 1);
		assert_eq!(record_of(again).content_hash, content(1));
	});
}

#[test]
fn a_patient_file_is_read_a_page_at_a_time() {
	new_test_ext().execute_with(|| {
		let registered: Vec<RecordId> =
			(0..7).map(|seed| register_note(PATIENT, PATIENT, seed + 1)).collect();
		register_note(OTHER_PATIENT, OTHER_PATIENT, 9);
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), registered[3]));

		// Pages of 3 after the last id of the page before: every live record once.
		let mut pages = Vec::new();
		let mut after = None;
		loop {
			let page = Records::records_of(&PATIENT, after, 3);
			assert!(page.len() <= 3);
			let Some(last) = page.last().copied() else { break };
			pages.push(page);
			after = Some(last);
		}
		assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3]);
		let mut listed: Vec<RecordId> = pages.concat();
		listed.sort();
		let mut live = registered.clone();
		live.remove(3);
		assert_eq!(listed, live);

		// A page is never larger than MAX_RECORDS_PAGE, whatever is asked.
		for seed in 100..200 {
			register_note(PATIENT, PATIENT, seed);
		}
		assert_eq!(Records::records_of(&PATIENT, None, u32::MAX).len(), MAX_RECORDS_PAGE as usize);
	});
}

/// Every record id in `patient`'s file, sorted: all the pages of [`Records::records_of`].
fn records_of(patient: u64) -> Vec<RecordId> {
	let mut ids: Vec<RecordId> = Vec::new();
	loop {
		let page = Records::records_of(&patient, ids.last().copied(), MAX_RECORDS_PAGE);
		if page.is_empty() {
			break;
		}
		ids.extend(page);
	}
	ids.sort();
	ids
}

#[test]
fn registering_without_funds_for_the_deposit_fails() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Records::register(
				RuntimeOrigin::signed(PAUPER),
				PAUPER,
				consult_note(),
				content(1),
				1,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[]),
			),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn record_ids_never_wrap_around() {
	new_test_ext().execute_with(|| {
		NextRecordId::<Test>::put(u64::MAX);
		assert_noop!(register_as(PATIENT, Purpose::Treatment), Error::<Test>::Overflow);
	});
}

#[test]
fn unsigned_origins_are_refused() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Records::register(
				RuntimeOrigin::none(),
				PATIENT,
				consult_note(),
				content(1),
				1,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[]),
			),
			sp_runtime::traits::BadOrigin
		);
		assert_noop!(Records::erase(RuntimeOrigin::root(), 0), sp_runtime::traits::BadOrigin);
	});
}

// ---------------------------------------------------------------------------------------------
// amend
// ---------------------------------------------------------------------------------------------

#[test]
fn amending_adds_a_linked_version_and_supersedes_the_old_one_without_overwriting_it() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		let before = record_of(first);
		set_now(START + HOUR);
		assert_ok!(Records::amend(
			RuntimeOrigin::signed(PATIENT),
			first,
			content(2),
			4_096,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[PATIENT]),
		));
		let second = first + 1;

		let old = record_of(first);
		assert_eq!(old.status, RecordStatus::Superseded);
		assert_eq!(old.superseded_by, Some(second));
		assert_eq!(old.fallback_of, Some(second));
		// Everything else of the old version is untouched, its envelope included.
		assert_eq!(
			Record {
				status: RecordStatus::Current,
				superseded_by: None,
				fallback_of: None,
				..old.clone()
			},
			before
		);
		assert!(KeyEnvelopes::<Test>::contains_key(first, PATIENT));

		let new = record_of(second);
		assert_eq!(new.version, 2);
		assert_eq!(new.document, first);
		assert_eq!(new.replaces, Some(first));
		assert_eq!(new.status, RecordStatus::Current);
		assert_eq!(new.content_hash, content(2));
		assert_eq!(new.category, before.category);
		assert_eq!(new.created_at, START + HOUR);
		assert_eq!(records_of(PATIENT), vec![first, second]);
		assert_eq!(
			MockHooks::calls(),
			vec![
				HookCall::Registered(first, content(1), 1_024),
				HookCall::Registered(second, content(2), 4_096)
			]
		);
		System::assert_last_event(
			Event::RecordAmended {
				record: second,
				replaces: first,
				version: 2,
				patient: PATIENT,
				author: PATIENT,
				content_hash: content(2),
				consent_used: None,
			}
			.into(),
		);
	});
}

#[test]
fn a_provider_amends_only_with_an_append_consent() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let amend = |who: u64| {
			Records::amend(
				RuntimeOrigin::signed(who),
				record,
				content(2),
				1,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[PATIENT, who]),
			)
		};
		assert_noop!(amend(DOCTOR), Error::<Test>::NoConsent);
		let consent = grant_doctor_treatment();
		assert_ok!(amend(DOCTOR));
		assert_eq!(record_of(record + 1).consent_used, Some(consent));
		assert_eq!(record_of(record + 1).author, DOCTOR);
	});
}

#[test]
fn only_the_current_version_of_a_live_record_can_be_amended() {
	new_test_ext().execute_with(|| {
		let amend = |record| {
			Records::amend(
				RuntimeOrigin::signed(PATIENT),
				record,
				content(9),
				1,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[]),
			)
		};
		assert_noop!(amend(0), Error::<Test>::RecordNotFound);
		let first = register_note(PATIENT, PATIENT, 1);
		assert_ok!(amend(first));
		assert_noop!(amend(first), Error::<Test>::NotCurrent);

		let withdrawn = register_note(PATIENT, PATIENT, 2);
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), withdrawn));
		assert_noop!(amend(withdrawn), Error::<Test>::NotCurrent);

		let erased = register_note(PATIENT, PATIENT, 3);
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), erased));
		assert_noop!(amend(erased), Error::<Test>::RecordErased);
	});
}

#[test]
fn amend_checks_its_input_and_its_version_counter() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let amend = |hash, size, media_type| {
			Records::amend(
				RuntimeOrigin::signed(PATIENT),
				record,
				hash,
				size,
				media_type,
				Purpose::Treatment,
				envelopes(&[]),
			)
		};
		assert_noop!(amend(H256::zero(), 1, fhir_json()), Error::<Test>::MissingContentHash);
		assert_noop!(amend(content(2), 0, fhir_json()), Error::<Test>::EmptyDocument);
		assert_noop!(
			amend(content(2), 1, BoundedVec::truncate_from(b"a b".to_vec())),
			Error::<Test>::InvalidMediaType
		);
		crate::Records::<Test>::mutate(record, |entry| {
			if let Some(entry) = entry {
				entry.latest_version = u32::MAX;
			}
		});
		assert_noop!(amend(content(2), 1, fhir_json()), Error::<Test>::Overflow);
	});
}

// ---------------------------------------------------------------------------------------------
// mark_entered_in_error
// ---------------------------------------------------------------------------------------------

#[test]
fn the_author_marks_a_record_entered_in_error_and_it_stays_as_history() {
	new_test_ext().execute_with(|| {
		grant_doctor_treatment();
		assert_ok!(register_as(DOCTOR, Purpose::Treatment));
		assert_noop!(
			Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), 0),
			Error::<Test>::NotAuthor
		);
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(DOCTOR), 0));
		assert_eq!(record_of(0).status, RecordStatus::EnteredInError);
		assert_eq!(record_of(0).content_hash, content(7));
		assert_eq!(records_of(PATIENT), vec![0]);
		System::assert_last_event(
			Event::RecordEnteredInError { record: 0, author: DOCTOR, restored: None }.into(),
		);
		assert_noop!(
			Records::mark_entered_in_error(RuntimeOrigin::signed(DOCTOR), 0),
			Error::<Test>::AlreadyEnteredInError
		);
		// Nobody but its patient and author may read it now: no key is wrapped for others.
		assert_noop!(
			Records::add_key_envelope(RuntimeOrigin::signed(PATIENT), 0, NURSE, wrapped_key(3)),
			Error::<Test>::RecordEnteredInError
		);
	});
}

#[test]
fn a_superseded_version_can_be_marked_entered_in_error() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		assert_ok!(amend_note(first, 2));
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), first));
		assert_eq!(record_of(first).status, RecordStatus::EnteredInError);
		assert_eq!(record_of(first).superseded_by, Some(first + 1));
	});
}

#[test]
fn withdrawing_the_current_version_makes_the_previous_one_current_again() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		assert_ok!(amend_note(first, 2));
		let second = first + 1;
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), second));
		System::assert_last_event(
			Event::RecordEnteredInError { record: second, author: PATIENT, restored: Some(first) }
				.into(),
		);
		assert_eq!(record_of(first).status, RecordStatus::Current);
		assert_eq!(record_of(first).superseded_by, None);
		// The withdrawn version keeps its link to the one it replaced, as history.
		assert_eq!(record_of(second).replaces, Some(first));
		// So the document can be amended again, from the restored version only.
		assert_noop!(amend_note(second, 3), Error::<Test>::NotCurrent);
		assert_ok!(amend_note(first, 3));
		// A withdrawn version is never restored.
		let third = second + 1;
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), first));
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), third));
		assert_eq!(record_of(first).status, RecordStatus::EnteredInError);
		System::assert_last_event(
			Event::RecordEnteredInError { record: third, author: PATIENT, restored: None }.into(),
		);
	});
}

#[test]
fn the_nearest_valid_version_is_restored_whichever_versions_were_withdrawn_before() {
	new_test_ext().execute_with(|| {
		let entered_in_error = |record, restored| {
			assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), record));
			System::assert_last_event(
				Event::RecordEnteredInError { record, author: PATIENT, restored }.into(),
			);
		};
		// Four versions of one document.
		let first = register_note(PATIENT, PATIENT, 1);
		let (second, third, fourth) = (first + 1, first + 2, first + 3);
		assert_ok!(amend_note(first, 2));
		assert_ok!(amend_note(second, 3));
		assert_ok!(amend_note(third, 4));
		for version in [first, second, third, fourth] {
			assert_eq!(record_of(version).document, first);
		}
		assert_eq!(record_of(second).falls_back_to, Some(first));
		assert_eq!(record_of(second).fallback_of, Some(third));

		// Middle versions go first, one entered in error, one erased: their neighbours are
		// linked to each other, and the history links stay as they were.
		entered_in_error(second, None);
		assert_eq!(record_of(first).fallback_of, Some(third));
		assert_eq!(record_of(third).falls_back_to, Some(first));
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), third));
		assert_eq!(record_of(first).fallback_of, Some(fourth));
		assert_eq!(record_of(fourth).falls_back_to, Some(first));
		assert_eq!(record_of(fourth).replaces, Some(third));
		assert_eq!(record_of(second).replaces, Some(first));
		assert_eq!(record_of(first).superseded_by, Some(second));
		assert_eq!(record_of(first).status, RecordStatus::Superseded);

		// Then the current version: the nearest valid one is current again and can be amended.
		entered_in_error(fourth, Some(first));
		assert_eq!(record_of(first).status, RecordStatus::Current);
		assert_eq!(record_of(first).fallback_of, None);
		assert_ok!(amend_note(first, 5));
		let fifth = fourth + 1;
		assert_eq!(record_of(fifth).falls_back_to, Some(first));
		assert_eq!(record_of(first).fallback_of, Some(fifth));

		// Withdrawn versions are out of the chain: erasing one changes no other version.
		for withdrawn in [second, fourth] {
			assert_eq!(record_of(withdrawn).falls_back_to, None);
			assert_eq!(record_of(withdrawn).fallback_of, None);
		}
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), second));
		assert_eq!(record_of(first).fallback_of, Some(fifth));
		assert_eq!(record_of(first).status, RecordStatus::Superseded);
		assert_eq!(record_of(fifth).status, RecordStatus::Current);
	});
}

#[test]
fn a_version_number_is_never_given_twice_after_the_current_version_is_withdrawn() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		let second = first + 1;
		assert_ok!(amend_note(first, 2));
		assert_eq!(record_of(second).version, 2);

		// Version 2 entered in error: version 1 is current again, and its next amendment is
		// version 3, not a second version 2.
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), second));
		assert_eq!(record_of(first).status, RecordStatus::Current);
		assert_eq!(record_of(first).version, 1);
		assert_eq!(record_of(first).latest_version, 2);
		assert_ok!(amend_note(first, 3));
		let third = second + 1;
		assert_eq!(record_of(third).version, 3);
		assert_eq!(record_of(third).replaces, Some(first));
		System::assert_last_event(
			Event::RecordAmended {
				record: third,
				replaces: first,
				version: 3,
				patient: PATIENT,
				author: PATIENT,
				content_hash: content(3),
				consent_used: None,
			}
			.into(),
		);

		// Version 3 erased: its number stays given out too, though only a tombstone is left.
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), third));
		assert_eq!(record_of(first).latest_version, 3);
		assert_ok!(amend_note(first, 4));
		assert_eq!(record_of(third + 1).version, 4);
	});
}

#[test]
fn withdrawing_the_first_version_leaves_nothing_to_fall_back_to() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		let second = first + 1;
		assert_ok!(amend_note(first, 2));
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), first));
		assert_eq!(record_of(second).falls_back_to, None);
		assert_eq!(record_of(second).status, RecordStatus::Current);
		// With no valid version before it, withdrawing the current one restores nothing.
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), second));
		System::assert_last_event(
			Event::RecordEnteredInError { record: second, author: PATIENT, restored: None }.into(),
		);
		assert_eq!(Records::tombstone(first).map(|t| t.status), Some(RecordStatus::Erased));
	});
}

#[test]
fn marking_a_missing_or_erased_record_fails() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), 5),
			Error::<Test>::RecordNotFound
		);
		let record = register_note(PATIENT, PATIENT, 1);
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), record));
		assert_noop!(
			Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), record),
			Error::<Test>::RecordErased
		);
	});
}

// ---------------------------------------------------------------------------------------------
// erase
// ---------------------------------------------------------------------------------------------

#[test]
fn erasing_removes_envelopes_returns_deposits_and_leaves_a_tombstone() {
	new_test_ext().execute_with(|| {
		grant_doctor_treatment();
		// The doctor registers with envelopes for the patient and themselves; the patient
		// then wraps the key for the guardian too.
		assert_ok!(register_as(DOCTOR, Purpose::Treatment));
		assert_ok!(Records::add_key_envelope(
			RuntimeOrigin::signed(PATIENT),
			0,
			GUARDIAN,
			wrapped_key(4)
		));
		let doctor_held = held(DOCTOR);
		assert_eq!(doctor_held, RecordDeposit::get() + 2 * KeyEnvelopeDeposit::get());
		assert_eq!(
			hold_of(crate::HoldReason::KeyEnvelopeDeposit, PATIENT),
			KeyEnvelopeDeposit::get()
		);

		set_now(START + DAY);
		let erased = Records::erase(RuntimeOrigin::signed(PATIENT), 0);

		// Charged for the doctor's and the guardian's envelopes and the patient's own.
		use crate::WeightInfo;
		assert_eq!(charged(erased), Some(Weights::erase(2, 1)));
		assert!(declared(crate::Call::<Test>::erase { record: 0 }).all_gte(Weights::erase(2, 1)));
		assert_eq!(Records::record(0), None);
		assert_eq!(KeyEnvelopes::<Test>::iter_prefix(0).count(), 0);
		assert_eq!(
			Tombstones::<Test>::get(0),
			Some(Tombstone {
				content_hash: content(7),
				status: RecordStatus::Erased,
				version: 1,
				replaces: None,
				superseded_by: None,
				erased_at: START + DAY,
			})
		);
		assert!(records_of(PATIENT).is_empty());
		// Every deposit is back with whoever paid it.
		assert_eq!(held(DOCTOR), 0);
		// Only the deposit of the doctor's consent is still held from the patient.
		assert_eq!(held(PATIENT), ConsentDeposit::get());
		assert_eq!(Balances::free_balance(DOCTOR), ENDOWMENT);
		assert_eq!(MockHooks::calls().last(), Some(&HookCall::Erased(0, content(7))));
		assert_eq!(<Records as RecordInspect<u64>>::record_status(0), Some(RecordStatus::Erased));
		assert_eq!(<Records as RecordInspect<u64>>::record_summary(0), None);
		System::assert_has_event(
			Event::KeyEnvelopeRemoved { record: 0, recipient: GUARDIAN }.into(),
		);
		System::assert_last_event(
			Event::RecordErased {
				record: 0,
				patient: PATIENT,
				content_hash: content(7),
				envelopes_removed: 3,
				restored: None,
			}
			.into(),
		);
	});
}

#[test]
fn erasing_keeps_the_version_chain() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		assert_ok!(Records::amend(
			RuntimeOrigin::signed(PATIENT),
			first,
			content(2),
			1,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[PATIENT]),
		));
		let second = first + 1;
		assert_ok!(Records::amend(
			RuntimeOrigin::signed(PATIENT),
			second,
			content(3),
			1,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[PATIENT]),
		));
		let third = second + 1;
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), second));

		let tombstone = Records::tombstone(second).expect("a tombstone is left");
		assert_eq!(tombstone.replaces, Some(first));
		assert_eq!(tombstone.superseded_by, Some(third));
		assert_eq!(tombstone.version, 2);
		assert_eq!(record_of(first).superseded_by, Some(second));
		assert_eq!(record_of(third).replaces, Some(second));
		assert_eq!(records_of(PATIENT), vec![first, third]);
	});
}

#[test]
fn erasing_the_current_version_makes_the_previous_one_current_again() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		assert_ok!(Records::amend(
			RuntimeOrigin::signed(PATIENT),
			first,
			content(2),
			1,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[PATIENT]),
		));
		let second = first + 1;
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), second));

		assert_eq!(record_of(first).status, RecordStatus::Current);
		assert_eq!(record_of(first).superseded_by, None);
		assert_eq!(Records::tombstone(second).map(|t| t.replaces), Some(Some(first)));
		System::assert_last_event(
			Event::RecordErased {
				record: second,
				patient: PATIENT,
				content_hash: content(2),
				envelopes_removed: 1,
				restored: Some(first),
			}
			.into(),
		);
		// The document can be amended again.
		assert_ok!(Records::amend(
			RuntimeOrigin::signed(PATIENT),
			first,
			content(3),
			1,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[PATIENT]),
		));
		assert_eq!(record_of(first).status, RecordStatus::Superseded);
	});
}

#[test]
fn only_the_patient_erases_and_only_once() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Records::erase(RuntimeOrigin::signed(PATIENT), 0),
			Error::<Test>::RecordNotFound
		);
		grant_doctor_treatment();
		assert_ok!(register_as(DOCTOR, Purpose::Treatment));
		// Not even the author.
		assert_noop!(Records::erase(RuntimeOrigin::signed(DOCTOR), 0), Error::<Test>::NotPatient);
		assert_noop!(Records::erase(RuntimeOrigin::signed(GUARDIAN), 0), Error::<Test>::NotPatient);
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), 0));
		assert_noop!(
			Records::erase(RuntimeOrigin::signed(PATIENT), 0),
			Error::<Test>::RecordErased
		);
	});
}

// ---------------------------------------------------------------------------------------------
// key envelopes
// ---------------------------------------------------------------------------------------------

#[test]
fn the_patient_wraps_the_key_for_anyone() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		assert_ok!(Records::add_key_envelope(
			RuntimeOrigin::signed(PATIENT),
			record,
			CLINIC_DOCTOR,
			wrapped_key(9)
		));
		assert_eq!(Records::key_envelope(record, &CLINIC_DOCTOR), Some(wrapped_key(9).into()));
		assert_eq!(record_of(record).envelopes, 2);
		assert_eq!(
			hold_of(crate::HoldReason::KeyEnvelopeDeposit, PATIENT),
			2 * KeyEnvelopeDeposit::get()
		);
		System::assert_last_event(
			Event::KeyEnvelopeAdded { record, recipient: CLINIC_DOCTOR, depositor: PATIENT }.into(),
		);
	});
}

#[test]
fn the_author_wraps_the_key_only_for_the_patient_and_themselves() {
	new_test_ext().execute_with(|| {
		grant_doctor_treatment();
		assert_ok!(Records::register(
			RuntimeOrigin::signed(DOCTOR),
			PATIENT,
			consult_note(),
			content(1),
			1,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[]),
		));
		assert_noop!(
			Records::add_key_envelope(RuntimeOrigin::signed(DOCTOR), 0, NURSE, wrapped_key(3)),
			Error::<Test>::RecipientNotAllowed
		);
		assert_ok!(Records::add_key_envelope(
			RuntimeOrigin::signed(DOCTOR),
			0,
			DOCTOR,
			wrapped_key(2)
		));
		assert_ok!(Records::add_key_envelope(
			RuntimeOrigin::signed(DOCTOR),
			0,
			PATIENT,
			wrapped_key(1)
		));
		assert_eq!(record_of(0).envelopes, 2);
		assert_noop!(
			Records::add_key_envelope(RuntimeOrigin::signed(NURSE), 0, NURSE, wrapped_key(3)),
			Error::<Test>::NotPatientOrAuthor
		);
	});
}

#[test]
fn an_author_whose_consent_was_revoked_cannot_wrap_the_key_for_themselves_again() {
	new_test_ext().execute_with(|| {
		let treatment = grant_doctor_treatment();
		assert_ok!(Records::register(
			RuntimeOrigin::signed(DOCTOR),
			PATIENT,
			consult_note(),
			content(1),
			1,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[DOCTOR]),
		));
		assert_ok!(revoke(treatment));
		// The revocation removed the doctor's envelope; the doctor may not put it back.
		assert!(!KeyEnvelopes::<Test>::contains_key(0, DOCTOR));
		assert_noop!(
			Records::add_key_envelope(RuntimeOrigin::signed(DOCTOR), 0, DOCTOR, wrapped_key(2)),
			Error::<Test>::AuthorMayNoLongerRead
		);
		// Wrapping it for the patient is still the author's to do.
		assert_ok!(Records::add_key_envelope(
			RuntimeOrigin::signed(DOCTOR),
			0,
			PATIENT,
			wrapped_key(1)
		));
		// A new consent lets the doctor read again, and hold the key again.
		grant_doctor_treatment();
		let added =
			Records::add_key_envelope(RuntimeOrigin::signed(DOCTOR), 0, DOCTOR, wrapped_key(2));
		let decision = <<Test as crate::Config>::Consent as AccessPolicy<u64>>::decision_weight();
		use crate::WeightInfo as _;
		assert_eq!(charged(added), Some(Weights::add_key_envelope().saturating_add(decision)));
		assert!(KeyEnvelopes::<Test>::contains_key(0, DOCTOR));
	});
}

/// The regulator's key service holds escrowed keys in these tests.
const CUSTODIAN: u64 = STRANGER;

fn release(
	custodian: u64,
	record: RecordId,
	recipient: u64,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Records::add_key_envelope(RuntimeOrigin::signed(custodian), record, recipient, wrapped_key(9))
}

fn break_glass(who: u64) {
	assert_ok!(pallet_consent::Pallet::<Test>::break_glass(
		RuntimeOrigin::signed(who),
		PATIENT,
		pallet_consent::EmergencyReason::PatientCannotBeAsked,
		H256::repeat_byte(0xee),
	));
}

#[test]
fn a_key_custodian_releases_an_escrowed_key_only_to_whoever_broke_the_glass() {
	new_test_ext().execute_with(|| {
		MockOrganisations::add_member(REGULATOR, CUSTODIAN, &[Role::KeyCustodian]);
		let record = register_note(PATIENT, PATIENT, 1);
		break_glass(ER_DOCTOR);

		// The custodian holds nothing until the patient escrows the key to it.
		assert_noop!(release(CUSTODIAN, record, ER_DOCTOR), Error::<Test>::CustodianHoldsNoKey);
		let escrowed = Records::add_key_envelope(
			RuntimeOrigin::signed(PATIENT),
			record,
			CUSTODIAN,
			wrapped_key(8),
		);
		// The patient is charged for the envelope only, not for a custodian's decisions.
		assert_eq!(
			escrowed.map(|info| info.actual_weight),
			Ok(
				Some(<<Test as crate::Config>::WeightInfo as crate::WeightInfo>::add_key_envelope())
			)
		);
		// An envelope alone is not consent: the patient must also allow emergency reads.
		assert_noop!(release(CUSTODIAN, record, ER_DOCTOR), Error::<Test>::EscrowNotConsented);
		let escrow = grant_escrow();

		// Only to someone who may read in an emergency now.
		assert_noop!(
			release(CUSTODIAN, record, DOCTOR),
			Error::<Test>::RecipientMayNotReadInEmergency
		);
		assert_eq!(release(CUSTODIAN, record, ER_DOCTOR).map(|info| info.actual_weight), Ok(None));
		let envelope = KeyEnvelopes::<Test>::get(record, ER_DOCTOR).expect("released");
		assert_eq!(envelope.wrapped_key, wrapped_key(9));
		assert_eq!(envelope.deposit.depositor, CUSTODIAN);
		assert_eq!(held(CUSTODIAN), KeyEnvelopeDeposit::get());
		assert_eq!(record_of(record).envelopes, 3);
		System::assert_last_event(
			Event::KeyEnvelopeAdded { record, recipient: ER_DOCTOR, depositor: CUSTODIAN }.into(),
		);

		// A member who merely holds an envelope is no custodian.
		MockOrganisations::add_member(HOSPITAL, NURSE, &[Role::Emergency]);
		break_glass(NURSE);
		assert_noop!(release(ER_DOCTOR, record, NURSE), Error::<Test>::NotPatientOrAuthor);

		// Once the access is over anyone may clear the envelope; the custodian's deposit
		// comes back to it.
		set_now(START + EMERGENCY_ACCESS_MS);
		assert_ok!(Records::remove_key_envelope(
			RuntimeOrigin::signed(OTHER_PATIENT),
			record,
			ER_DOCTOR
		));
		assert_eq!(held(CUSTODIAN), 0);

		// Withdrawing the consent ends the escrow, even for a custodian who broke the glass
		// itself: its running access keeps its envelope, but it may not release from it.
		break_glass(ER_DOCTOR);
		MockOrganisations::add_member(REGULATOR, CUSTODIAN, &[Role::KeyCustodian, Role::Emergency]);
		break_glass(CUSTODIAN);
		assert_ok!(pallet_consent::Pallet::<Test>::revoke(RuntimeOrigin::signed(PATIENT), escrow));
		assert!(KeyEnvelopes::<Test>::contains_key(record, CUSTODIAN));
		assert_noop!(release(CUSTODIAN, record, ER_DOCTOR), Error::<Test>::EscrowNotConsented);
		// And a custodian of a deregistered organisation is no custodian.
		MockOrganisations::deregister(REGULATOR);
		assert_noop!(release(CUSTODIAN, record, ER_DOCTOR), Error::<Test>::NotPatientOrAuthor);
	});
}

#[test]
fn adding_a_key_envelope_refuses_bad_requests() {
	new_test_ext().execute_with(|| {
		let add = |record, recipient, key| {
			Records::add_key_envelope(RuntimeOrigin::signed(PATIENT), record, recipient, key)
		};
		assert_noop!(add(0, DOCTOR, wrapped_key(1)), Error::<Test>::RecordNotFound);
		let record = register_note(PATIENT, PATIENT, 1);
		assert_noop!(add(record, PATIENT, wrapped_key(1)), Error::<Test>::EnvelopeExists);
		assert_noop!(add(record, DOCTOR, BoundedVec::new()), Error::<Test>::EmptyWrappedKey);
		assert_ok!(add(record, DOCTOR, wrapped_key(2)));
		assert_ok!(add(record, NURSE, wrapped_key(3)));
		assert_ok!(add(record, GUARDIAN, wrapped_key(4)));
		assert_noop!(add(record, STRANGER, wrapped_key(5)), Error::<Test>::TooManyEnvelopes);
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), record));
		assert_noop!(add(record, DOCTOR, wrapped_key(2)), Error::<Test>::RecordErased);
	});
}

#[test]
fn a_key_envelope_without_funds_for_its_deposit_is_refused() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		// Whatever is not on hold is spent.
		<Balances as frame_support::traits::fungible::Mutate<u64>>::set_balance(&PATIENT, 1);
		assert_noop!(
			Records::add_key_envelope(
				RuntimeOrigin::signed(PATIENT),
				record,
				DOCTOR,
				wrapped_key(2)
			),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn the_patient_or_the_recipient_removes_an_envelope_and_the_deposit_returns() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		grant_doctor_treatment();
		for who in [DOCTOR, NURSE] {
			assert_ok!(Records::add_key_envelope(
				RuntimeOrigin::signed(PATIENT),
				record,
				who,
				wrapped_key(who as u8)
			));
		}
		assert_eq!(
			held(PATIENT),
			RecordDeposit::get() + 3 * KeyEnvelopeDeposit::get() + ConsentDeposit::get()
		);

		assert_ok!(Records::remove_key_envelope(RuntimeOrigin::signed(PATIENT), record, DOCTOR));
		System::assert_last_event(Event::KeyEnvelopeRemoved { record, recipient: DOCTOR }.into());
		assert_ok!(Records::remove_key_envelope(RuntimeOrigin::signed(NURSE), record, NURSE));
		assert_eq!(Records::key_envelope(record, &DOCTOR), None);
		assert_eq!(Records::key_envelope(record, &NURSE), None);
		assert_eq!(record_of(record).envelopes, 1);
		assert_eq!(
			held(PATIENT),
			RecordDeposit::get() + KeyEnvelopeDeposit::get() + ConsentDeposit::get()
		);
	});
}

#[test]
fn anyone_removes_an_envelope_whose_recipient_lost_access_but_not_before() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		grant_doctor_treatment_ending(Some(START + DAY));
		assert_ok!(Records::add_key_envelope(
			RuntimeOrigin::signed(PATIENT),
			record,
			DOCTOR,
			wrapped_key(2)
		));
		assert_noop!(
			Records::remove_key_envelope(RuntimeOrigin::signed(STRANGER), record, DOCTOR),
			Error::<Test>::EnvelopeStillInUse
		);
		// The consent has expired; nobody revoked it, so the envelope is still there.
		set_now(START + DAY);
		assert_ok!(Records::remove_key_envelope(RuntimeOrigin::signed(STRANGER), record, DOCTOR));
		// The deposit goes back to whoever paid it, not to the caller.
		assert_eq!(held(STRANGER), 0);
		assert_eq!(
			hold_of(crate::HoldReason::KeyEnvelopeDeposit, PATIENT),
			KeyEnvelopeDeposit::get()
		);
		// The patient's own envelope is never stale.
		assert_noop!(
			Records::remove_key_envelope(RuntimeOrigin::signed(STRANGER), record, PATIENT),
			Error::<Test>::EnvelopeStillInUse
		);
	});
}

#[test]
fn a_consent_that_has_not_started_keeps_its_envelope_in_use() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		// The patient prepares tomorrow's appointment: consent and envelope today.
		assert_ok!(pallet_consent::Pallet::<Test>::grant(
			RuntimeOrigin::signed(PATIENT),
			PATIENT,
			Grantee::Account(DOCTOR),
			ConsentScope::AllRecords,
			actions(&[Action::Read]),
			purposes(&[Purpose::Treatment]),
			Some(START + DAY),
			Some(START + 2 * DAY),
			None,
		));
		assert_ok!(Records::add_key_envelope(
			RuntimeOrigin::signed(PATIENT),
			record,
			DOCTOR,
			wrapped_key(2)
		));
		assert_noop!(
			Records::remove_key_envelope(RuntimeOrigin::signed(STRANGER), record, DOCTOR),
			Error::<Test>::EnvelopeStillInUse
		);
		set_now(START + DAY);
		assert_noop!(
			Records::remove_key_envelope(RuntimeOrigin::signed(STRANGER), record, DOCTOR),
			Error::<Test>::EnvelopeStillInUse
		);
		// Once the consent has ended, the envelope is stale and anyone may clean it up.
		set_now(START + 2 * DAY);
		assert_ok!(Records::remove_key_envelope(RuntimeOrigin::signed(STRANGER), record, DOCTOR));
		assert_eq!(Records::key_envelope(record, &DOCTOR), None);
	});
}

#[test]
fn removing_a_missing_envelope_fails() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Records::remove_key_envelope(RuntimeOrigin::signed(PATIENT), 0, DOCTOR),
			Error::<Test>::RecordNotFound
		);
		let record = register_note(PATIENT, PATIENT, 1);
		assert_noop!(
			Records::remove_key_envelope(RuntimeOrigin::signed(PATIENT), record, DOCTOR),
			Error::<Test>::EnvelopeNotFound
		);
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), record));
		assert_noop!(
			Records::remove_key_envelope(RuntimeOrigin::signed(PATIENT), record, PATIENT),
			Error::<Test>::RecordErased
		);
	});
}

// ---------------------------------------------------------------------------------------------
// what the consent pallet sees
// ---------------------------------------------------------------------------------------------

#[test]
fn record_inspect_reports_patient_category_and_status() {
	new_test_ext().execute_with(|| {
		assert_eq!(<Records as RecordInspect<u64>>::record_summary(0), None);
		assert_eq!(<Records as RecordInspect<u64>>::record_status(0), None);
		let record = register_note(PATIENT, PATIENT, 1);
		assert_eq!(
			<Records as RecordInspect<u64>>::record_summary(record),
			Some(RecordSummary {
				patient: PATIENT,
				author: PATIENT,
				category: consult_note(),
				document: record,
				status: RecordStatus::Current
			})
		);
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), record));
		assert_eq!(
			<Records as RecordInspect<u64>>::record_status(record),
			Some(RecordStatus::EnteredInError)
		);
	});
}

#[test]
fn an_organisation_wide_consent_lets_its_members_register() {
	new_test_ext().execute_with(|| {
		grant(
			Grantee::Organisation { org: HOSPITAL, role: Some(Role::Clinician) },
			ConsentScope::AllRecords,
			&[Action::Append],
			&[Purpose::Treatment],
			None,
		);
		assert_ok!(register_as(DOCTOR, Purpose::Treatment));
		assert_noop!(register_as(NURSE, Purpose::Treatment), Error::<Test>::NoConsent);
		assert_noop!(register_as(CLINIC_DOCTOR, Purpose::Treatment), Error::<Test>::NoConsent);
		// A member of an organisation registered later is not covered either.
		MockOrganisations::register(42, OrgKind::Laboratory);
		MockOrganisations::add_member(42, STRANGER, &[Role::Clinician]);
		assert_noop!(register_as(STRANGER, Purpose::Treatment), Error::<Test>::NoConsent);
	});
}

#[test]
fn records_of_lists_only_live_records_of_that_patient() {
	new_test_ext().execute_with(|| {
		let mine = register_note(PATIENT, PATIENT, 1);
		let theirs = register_note(OTHER_PATIENT, OTHER_PATIENT, 2);
		assert_eq!(records_of(PATIENT), vec![mine]);
		assert_eq!(records_of(OTHER_PATIENT), vec![theirs]);
		assert_eq!(RecordsOf::<Test>::iter_prefix(STRANGER).count(), 0);
	});
}

/// `PATIENT` consents to the key custodian's emergency reads, with no end: the escrow.
fn grant_escrow() -> medchain_primitives::health::ConsentId {
	grant(
		Grantee::Account(CUSTODIAN),
		ConsentScope::AllRecords,
		&[Action::Read],
		&[Purpose::Emergency],
		None,
	)
}

/// `PATIENT` lets `grantee` read every record for treatment, with no end.
fn grant_treatment_reads(grantee: Grantee<u64>) -> medchain_primitives::health::ConsentId {
	grant(grantee, ConsentScope::AllRecords, &[Action::Read], &[Purpose::Treatment], None)
}

/// The patient wraps `record`'s key for `recipient`.
fn share(record: RecordId, recipient: u64) {
	assert_ok!(Records::add_key_envelope(
		RuntimeOrigin::signed(PATIENT),
		record,
		recipient,
		wrapped_key(recipient as u8)
	));
}

/// The records whose envelopes for `holder` a revocation would look at.
fn indexed_envelopes(holder: u64) -> Vec<RecordId> {
	let mut records: Vec<RecordId> =
		EnvelopesByHolder::<Test>::iter_key_prefix((holder, PATIENT)).collect();
	records.sort();
	records
}

/// The last event says a sweep of the patient's envelopes held by `grantee` examined and
/// removed that many envelopes, and examined them all.
fn assert_last_revocation_sweep(grantee: GranteeKey<u64>, examined: u32, removed: u32) {
	assert_eq!(last_sweep(), (grantee, examined, removed, None));
}

/// The grantee, examined and removed counts and resume point of the sweep of the patient's
/// envelopes that the last event reports.
fn last_sweep() -> (GranteeKey<u64>, u32, u32, Option<(u64, RecordId)>) {
	match System::events().pop().map(|record| record.event) {
		Some(RuntimeEvent::Records(Event::UnneededEnvelopesRemoved {
			patient: PATIENT,
			grantee,
			examined,
			removed,
			resume_after,
		})) => (grantee, examined, removed, resume_after),
		other => panic!("the last event is not a sweep of the patient's envelopes: {other:?}"),
	}
}

/// A refused sweep: charged for looking only.
fn refused_sweep(error: Error<Test>) -> frame_support::dispatch::DispatchErrorWithPostInfo {
	use frame_support::dispatch::WithPostDispatchInfo;
	error.with_weight(crate::Pallet::<Test>::unneeded_envelopes_weight(0))
}

/// `STRANGER` goes on removing the patient's envelopes held by `grantee` after `resume_after`.
fn sweep_after(
	grantee: GranteeKey<u64>,
	resume_after: Option<(u64, RecordId)>,
) -> DispatchResultWithPostInfo {
	Records::remove_unneeded_envelopes(
		RuntimeOrigin::signed(STRANGER),
		PATIENT,
		grantee,
		resume_after,
	)
}

/// The limit of envelopes one sweep examines.
fn sweep_limit() -> u32 {
	<<Test as crate::Config>::MaxEnvelopesExaminedOnRevoke as frame_support::traits::Get<u32>>::get(
	)
}

fn revoke(consent: medchain_primitives::health::ConsentId) -> DispatchResultWithPostInfo {
	pallet_consent::Pallet::<Test>::revoke(RuntimeOrigin::signed(PATIENT), consent)
}

#[test]
fn revoking_a_consent_removes_the_envelopes_it_leaves_unneeded() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		let second = register_note(PATIENT, PATIENT, 2);
		let treatment = grant_doctor_treatment();
		// A second consent covers the second record only.
		grant(
			Grantee::Account(DOCTOR),
			records_scope(&[second]),
			&[Action::Read],
			&[Purpose::Research],
			None,
		);
		share(first, DOCTOR);
		share(second, DOCTOR);
		// The patient's own envelopes are never looked at.
		assert_eq!(indexed_envelopes(PATIENT), Vec::<RecordId>::new());
		assert_eq!(indexed_envelopes(DOCTOR), vec![first, second]);
		let envelope_deposits = || hold_of(crate::HoldReason::KeyEnvelopeDeposit, PATIENT);
		let held_before = envelope_deposits();

		let revoked = revoke(treatment);

		// The first record's envelope goes with its deposit; the second is still needed.
		assert!(!KeyEnvelopes::<Test>::contains_key(first, DOCTOR));
		assert!(KeyEnvelopes::<Test>::contains_key(second, DOCTOR));
		assert!(KeyEnvelopes::<Test>::contains_key(first, PATIENT));
		assert_eq!(record_of(first).envelopes, 1);
		assert_eq!(record_of(second).envelopes, 2);
		assert_eq!(envelope_deposits(), held_before - KeyEnvelopeDeposit::get());
		assert_eq!(indexed_envelopes(DOCTOR), vec![second]);
		System::assert_has_event(
			Event::KeyEnvelopeRemoved { record: first, recipient: DOCTOR }.into(),
		);
		assert_last_revocation_sweep(GranteeKey::Account(DOCTOR), 2, 1);
		// Charged for the two envelopes examined, not for the most a revocation may examine.
		use medchain_primitives::health::ConsentRevocationHooks;
		use pallet_consent::WeightInfo as _;
		let revoke_alone = <Test as pallet_consent::Config>::WeightInfo::revoke();
		let charged_weight = charged(revoked).expect("the weight is corrected");
		let most =
			revoke_alone.saturating_add(<Records as ConsentRevocationHooks<u64>>::max_weight());
		assert!(charged_weight.all_lt(most));
		assert!(charged_weight.all_gt(revoke_alone));

		// Erasing a record takes its envelopes out of the index too.
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), second));
		assert_eq!(indexed_envelopes(DOCTOR), Vec::<RecordId>::new());
	});
}

#[test]
fn revoking_an_organisation_consent_removes_only_its_members_unneeded_envelopes() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let hospital = grant_treatment_reads(Grantee::Organisation { org: HOSPITAL, role: None });
		// The nurse also has a consent of her own.
		grant_treatment_reads(Grantee::Account(NURSE));
		share(record, DOCTOR);
		share(record, NURSE);
		// Stale envelopes of people outside the hospital are not the hospital's business, and
		// more of them than a revocation examines do not keep it from the members' envelopes.
		// (A record has room for four envelopes here, the patient's included.)
		share(record, CLINIC_DOCTOR);
		let other = register_note(PATIENT, PATIENT, 2);
		share(other, CLINIC_DOCTOR);
		share(other, STRANGER);
		share(other, CLINIC_AUDITOR);

		assert_ok!(revoke(hospital));

		assert!(!KeyEnvelopes::<Test>::contains_key(record, DOCTOR));
		assert!(KeyEnvelopes::<Test>::contains_key(record, NURSE));
		assert!(KeyEnvelopes::<Test>::contains_key(record, CLINIC_DOCTOR));
		assert!(KeyEnvelopes::<Test>::contains_key(other, STRANGER));
		assert_last_revocation_sweep(GranteeKey::Organisation(HOSPITAL), 2, 1);
		// The clinic's own revocation would find its members' envelopes.
		assert_eq!(
			crate::EnvelopesByOrganisation::<Test>::iter_key_prefix((PATIENT, CLINIC)).count(),
			3
		);
	});
}

#[test]
fn a_revocation_examines_a_bounded_number_of_envelopes_and_anyone_goes_on_from_there() {
	new_test_ext().execute_with(|| {
		let limit = sweep_limit();
		let records: Vec<RecordId> =
			(0..=limit).map(|seed| register_note(PATIENT, PATIENT, seed as u8 + 1)).collect();
		let consent = grant_doctor_treatment();
		for record in &records {
			share(*record, DOCTOR);
		}
		let storage_order: Vec<RecordId> =
			EnvelopesByHolder::<Test>::iter_key_prefix((DOCTOR, PATIENT)).collect();

		assert_ok!(revoke(consent));

		// The event points at the last envelope examined; one is left after it.
		let resume_after = Some((DOCTOR, storage_order[limit as usize - 1]));
		assert_eq!(last_sweep(), (GranteeKey::Account(DOCTOR), limit, limit, resume_after));
		assert_eq!(indexed_envelopes(DOCTOR), vec![storage_order[limit as usize]]);

		let swept = sweep_after(GranteeKey::Account(DOCTOR), resume_after);

		assert_last_revocation_sweep(GranteeKey::Account(DOCTOR), 1, 1);
		assert_eq!(indexed_envelopes(DOCTOR), Vec::<RecordId>::new());
		assert!(records.iter().all(|record| !KeyEnvelopes::<Test>::contains_key(record, DOCTOR)));
		// Only the patient's own envelopes are still paid for.
		assert_eq!(
			hold_of(crate::HoldReason::KeyEnvelopeDeposit, PATIENT),
			KeyEnvelopeDeposit::get() * records.len() as u64
		);
		// Charged for the one envelope examined, not for the most a sweep may examine.
		let charged_weight = charged(swept).expect("the weight is corrected");
		let most = crate::Pallet::<Test>::unneeded_envelopes_weight(limit);
		assert_eq!(charged_weight, crate::Pallet::<Test>::unneeded_envelopes_weight(1));
		assert!(charged_weight.all_lt(most));
	});
}

#[test]
fn going_on_after_the_resume_point_passes_envelopes_still_needed() {
	new_test_ext().execute_with(|| {
		let limit = sweep_limit() as usize;
		// Twice the limit of records, the doctor holding an envelope of each.
		let records: Vec<RecordId> =
			(0..2 * limit).map(|seed| register_note(PATIENT, PATIENT, seed as u8 + 1)).collect();
		for record in &records {
			share(*record, DOCTOR);
		}
		let storage_order: Vec<RecordId> =
			EnvelopesByHolder::<Test>::iter_key_prefix((DOCTOR, PATIENT)).collect();
		// The records examined first stay readable under a second consent.
		let still_readable = storage_order[..limit].to_vec();
		let treatment = grant_doctor_treatment();
		grant(
			Grantee::Account(DOCTOR),
			records_scope(&still_readable),
			&[Action::Read],
			&[Purpose::Research],
			None,
		);

		assert_ok!(revoke(treatment));
		let resume_after = Some((DOCTOR, storage_order[limit - 1]));
		assert_eq!(last_sweep(), (GranteeKey::Account(DOCTOR), limit as u32, 0, resume_after));
		// Starting over would examine the same envelopes again and remove nothing.
		System::reset_events();
		assert_ok!(sweep_after(GranteeKey::Account(DOCTOR), None));
		assert_eq!(last_sweep(), (GranteeKey::Account(DOCTOR), limit as u32, 0, resume_after));

		assert_ok!(sweep_after(GranteeKey::Account(DOCTOR), resume_after));

		assert_last_revocation_sweep(GranteeKey::Account(DOCTOR), limit as u32, limit as u32);
		let mut kept = still_readable;
		kept.sort();
		assert_eq!(indexed_envelopes(DOCTOR), kept);
		for record in &storage_order[limit..] {
			assert!(!KeyEnvelopes::<Test>::contains_key(record, DOCTOR));
		}
	});
}

#[test]
fn going_on_for_an_organisation_resumes_across_its_members() {
	new_test_ext().execute_with(|| {
		let limit = sweep_limit() as usize;
		let hospital = grant_treatment_reads(Grantee::Organisation { org: HOSPITAL, role: None });
		// The nurse also has a consent of her own, so her envelopes stay.
		grant_treatment_reads(Grantee::Account(NURSE));
		let records: Vec<RecordId> =
			(0..limit).map(|seed| register_note(PATIENT, PATIENT, seed as u8 + 1)).collect();
		for record in &records {
			share(*record, DOCTOR);
			share(*record, NURSE);
		}
		let organisation = GranteeKey::Organisation(HOSPITAL);

		assert_ok!(revoke(hospital));
		let (grantee, examined, _removed, resume_after) = last_sweep();
		assert_eq!((grantee, examined), (organisation.clone(), limit as u32));
		assert!(resume_after.is_some());
		let swept = sweep_after(organisation.clone(), resume_after);
		assert_eq!(
			charged(swept),
			Some(crate::Pallet::<Test>::unneeded_envelopes_weight(limit as u32))
		);

		// Between the two, every envelope of the hospital's members was examined once.
		let (_grantee, examined, _removed, resume_after) = last_sweep();
		assert_eq!((examined, resume_after), (limit as u32, None));
		for record in &records {
			assert!(!KeyEnvelopes::<Test>::contains_key(record, DOCTOR));
			assert!(KeyEnvelopes::<Test>::contains_key(record, NURSE));
		}
		assert_eq!(indexed_envelopes(DOCTOR), Vec::<RecordId>::new());
		assert_eq!(indexed_envelopes(NURSE), records);
	});
}

#[test]
fn going_on_refuses_a_bad_request_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		// Nothing held by the doctor: nothing to examine.
		assert_noop!(
			sweep_after(GranteeKey::Account(DOCTOR), None),
			refused_sweep(Error::<Test>::NoEnvelopesToExamine)
		);
		share(record, DOCTOR);
		// Past the only envelope there is nothing left.
		assert_noop!(
			sweep_after(GranteeKey::Account(DOCTOR), Some((DOCTOR, record))),
			refused_sweep(Error::<Test>::NoEnvelopesToExamine)
		);
		assert_noop!(
			sweep_after(GranteeKey::Organisation(CLINIC), None),
			refused_sweep(Error::<Test>::NoEnvelopesToExamine)
		);
		// An account's envelopes are resumed after one of its own.
		assert_noop!(
			sweep_after(GranteeKey::Account(DOCTOR), Some((NURSE, record))),
			refused_sweep(Error::<Test>::ResumePointOfAnotherHolder)
		);
		assert_noop!(
			Records::remove_unneeded_envelopes(
				RuntimeOrigin::none(),
				PATIENT,
				GranteeKey::Account(DOCTOR),
				None
			),
			sp_runtime::DispatchError::BadOrigin
		);
		// The doctor may still read: examined, not removed, and said so.
		grant_doctor_treatment();
		assert_ok!(sweep_after(GranteeKey::Account(DOCTOR), None));
		assert_last_revocation_sweep(GranteeKey::Account(DOCTOR), 1, 0);
		assert!(KeyEnvelopes::<Test>::contains_key(record, DOCTOR));
	});
}

#[test]
fn a_revocation_that_leaves_no_envelope_unneeded_changes_no_envelope() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let consent = grant_doctor_treatment();
		// Nothing was shared: nothing to examine, no event beyond the revocation, and
		// charged for looking only.
		use pallet_consent::WeightInfo as _;
		assert_eq!(
			charged(revoke(consent)),
			Some(
				<Test as pallet_consent::Config>::WeightInfo::revoke()
					.saturating_add(crate::Pallet::<Test>::unneeded_envelopes_weight(0))
			)
		);
		System::assert_last_event(
			pallet_consent::Event::ConsentRevoked {
				consent,
				patient: PATIENT,
				revoked_by: PATIENT,
			}
			.into(),
		);
		// A consent not started yet keeps the envelope in use when a running one is revoked.
		let tomorrow = START + DAY;
		let running = grant_treatment_reads(Grantee::Account(DOCTOR));
		assert_ok!(pallet_consent::Pallet::<Test>::grant(
			RuntimeOrigin::signed(PATIENT),
			PATIENT,
			Grantee::Account(DOCTOR),
			ConsentScope::AllRecords,
			actions(&[Action::Read]),
			purposes(&[Purpose::Treatment]),
			Some(tomorrow),
			None,
			None,
		));
		share(record, DOCTOR);
		assert_ok!(revoke(running));
		assert!(KeyEnvelopes::<Test>::contains_key(record, DOCTOR));
		assert_last_revocation_sweep(GranteeKey::Account(DOCTOR), 1, 0);
	});
}

#[test]
fn a_providers_own_envelope_goes_when_the_provider_may_no_longer_read() {
	new_test_ext().execute_with(|| {
		// An author holds no standing right to read what they wrote: only a consent (or a
		// break-glass access) lets them, as for anyone else.
		let consent = grant_doctor_treatment();
		let record = NextRecordId::<Test>::get();
		assert_ok!(register_as(DOCTOR, Purpose::Treatment));
		assert!(KeyEnvelopes::<Test>::contains_key(record, DOCTOR));
		assert_eq!(indexed_envelopes(DOCTOR), vec![record]);

		assert_ok!(revoke(consent));

		assert!(!KeyEnvelopes::<Test>::contains_key(record, DOCTOR));
		assert!(KeyEnvelopes::<Test>::contains_key(record, PATIENT));
		// Its deposit goes back to the author, who paid it; the patient's envelope, also
		// written by the author, stays with its deposit.
		assert_eq!(
			hold_of(crate::HoldReason::KeyEnvelopeDeposit, DOCTOR),
			KeyEnvelopeDeposit::get()
		);
	});
}

#[test]
fn withdrawing_the_escrow_consent_removes_the_custodians_envelopes() {
	new_test_ext().execute_with(|| {
		MockOrganisations::add_member(REGULATOR, CUSTODIAN, &[Role::KeyCustodian]);
		let record = register_note(PATIENT, PATIENT, 1);
		share(record, CUSTODIAN);
		let escrow = grant_escrow();
		assert_ok!(revoke(escrow));
		assert!(!KeyEnvelopes::<Test>::contains_key(record, CUSTODIAN));
		break_glass(ER_DOCTOR);
		assert_noop!(release(CUSTODIAN, record, ER_DOCTOR), Error::<Test>::CustodianHoldsNoKey);
	});
}

#[test]
fn whoever_revokes_an_ended_consent_clears_its_envelopes() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let consent = grant_doctor_treatment_ending(Some(START + DAY));
		share(record, DOCTOR);
		set_now(START + DAY);
		assert_ok!(pallet_consent::Pallet::<Test>::revoke(
			RuntimeOrigin::signed(STRANGER),
			consent
		));
		assert!(!KeyEnvelopes::<Test>::contains_key(record, DOCTOR));
		// The deposit returns to the patient who wrapped the key, not to the caller.
		assert_eq!(
			hold_of(crate::HoldReason::KeyEnvelopeDeposit, PATIENT),
			KeyEnvelopeDeposit::get()
		);
		assert_eq!(held(STRANGER), 0);
	});
}

// ---------------------------------------------------------------------------------------------
// Membership changes
// ---------------------------------------------------------------------------------------------

/// The consortium tells the record registry that `member` left an organisation or lost a role.
fn membership_changed(member: u64) -> frame_support::weights::Weight {
	<Records as medchain_primitives::health::MembershipHooks<u64>>::on_membership_changed(&member)
}

/// The examined and removed counts and resume point of the sweep of `holder`'s envelopes that
/// the last event reports.
fn last_holder_sweep(holder: u64) -> (u32, u32, Option<(u64, RecordId)>) {
	match System::events().pop().map(|record| record.event) {
		Some(RuntimeEvent::Records(Event::UnneededEnvelopesOfHolderRemoved {
			holder: swept,
			examined,
			removed,
			resume_after,
		})) if swept == holder => (examined, removed, resume_after),
		other => panic!("the last event is not a sweep of {holder}'s envelopes: {other:?}"),
	}
}

/// Where `holder`'s envelope of `PATIENT`'s `record` is listed for revocations: under which
/// organisation by holder, after checking that exactly that organisation lists it too.
fn listed_under(holder: u64, record: RecordId) -> Option<Option<OrgId>> {
	let by_holder = EnvelopesByHolder::<Test>::get((holder, PATIENT, record));
	let by_organisation: Vec<OrgId> = crate::EnvelopesByOrganisation::<Test>::iter_keys()
		.filter(|(patient, _, listed_holder, listed_record)| {
			(*patient, *listed_holder, *listed_record) == (PATIENT, holder, record)
		})
		.map(|(_, org, _, _)| org)
		.collect();
	assert_eq!(by_organisation, by_holder.flatten().into_iter().collect::<Vec<_>>());
	by_holder
}

#[test]
fn a_member_who_leaves_loses_the_envelopes_held_through_the_organisation() {
	new_test_ext().execute_with(|| {
		let through_hospital = register_note(PATIENT, PATIENT, 1);
		let through_own_consent = register_note(PATIENT, PATIENT, 2);
		grant_treatment_reads(Grantee::Organisation { org: HOSPITAL, role: None });
		grant(
			Grantee::Account(DOCTOR),
			records_scope(&[through_own_consent]),
			&[Action::Read],
			&[Purpose::Research],
			None,
		);
		share(through_hospital, DOCTOR);
		share(through_own_consent, DOCTOR);
		// The nurse stays at the hospital and keeps hers.
		share(through_hospital, NURSE);
		let deposits = || hold_of(crate::HoldReason::KeyEnvelopeDeposit, PATIENT);
		let held_before = deposits();

		MockOrganisations::remove_member(DOCTOR);
		let used = membership_changed(DOCTOR);

		assert!(!KeyEnvelopes::<Test>::contains_key(through_hospital, DOCTOR));
		assert!(KeyEnvelopes::<Test>::contains_key(through_own_consent, DOCTOR));
		assert!(KeyEnvelopes::<Test>::contains_key(through_hospital, NURSE));
		assert_eq!(deposits(), held_before - KeyEnvelopeDeposit::get());
		assert_eq!(record_of(through_hospital).envelopes, 2);
		assert_eq!(last_holder_sweep(DOCTOR), (2, 1, None));
		System::assert_has_event(
			Event::KeyEnvelopeRemoved { record: through_hospital, recipient: DOCTOR }.into(),
		);
		// The envelope kept is now listed as held outside any organisation.
		assert_eq!(listed_under(DOCTOR, through_own_consent), Some(None));
		assert_eq!(listed_under(DOCTOR, through_hospital), None);
		// Charged for the two envelopes examined, not for the most the hook may examine.
		assert_eq!(used, crate::Pallet::<Test>::unneeded_envelopes_of_weight(2));
		use medchain_primitives::health::MembershipHooks;
		assert!(used.all_lt(<Records as MembershipHooks<u64>>::max_weight()));
		// Someone who holds no envelope costs one look and says nothing.
		System::reset_events();
		assert_eq!(
			membership_changed(CLINIC_DOCTOR),
			crate::Pallet::<Test>::unneeded_envelopes_of_weight(0)
		);
		assert!(System::events().is_empty());
	});
}

#[test]
fn an_envelope_kept_through_a_newer_membership_goes_when_that_access_is_revoked() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		// The key is wrapped for someone outside any organisation, under their own consent.
		let own = grant_treatment_reads(Grantee::Account(STRANGER));
		share(record, STRANGER);
		assert_eq!(listed_under(STRANGER, record), Some(None));
		// They join the clinic, which the patient also trusts; then their own consent goes.
		MockOrganisations::add_member(CLINIC, STRANGER, &[Role::Clinician]);
		let clinic = grant_treatment_reads(Grantee::Organisation { org: CLINIC, role: None });
		assert_ok!(revoke(own));
		// Still needed, through the clinic: kept, and now listed under the clinic.
		assert!(KeyEnvelopes::<Test>::contains_key(record, STRANGER));
		assert_last_revocation_sweep(GranteeKey::Account(STRANGER), 1, 0);
		assert_eq!(listed_under(STRANGER, record), Some(Some(CLINIC)));

		assert_ok!(revoke(clinic));

		// The clinic's revocation finds it and removes it.
		assert!(!KeyEnvelopes::<Test>::contains_key(record, STRANGER));
		assert_last_revocation_sweep(GranteeKey::Organisation(CLINIC), 1, 1);
		assert_eq!(listed_under(STRANGER, record), None);
	});
}

#[test]
fn a_moved_member_envelope_goes_when_the_new_organisation_loses_its_consent() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		// The doctor reads under a consent of their own, which ends in a day.
		grant(
			Grantee::Account(DOCTOR),
			ConsentScope::AllRecords,
			&[Action::Read],
			&[Purpose::Treatment],
			Some(START + DAY),
		);
		share(record, DOCTOR);
		assert_eq!(listed_under(DOCTOR, record), Some(Some(HOSPITAL)));
		// They leave the hospital: still needed, so kept, now listed under no organisation.
		MockOrganisations::remove_member(DOCTOR);
		membership_changed(DOCTOR);
		assert_eq!(last_holder_sweep(DOCTOR), (1, 0, None));
		assert_eq!(listed_under(DOCTOR, record), Some(None));
		// They join the clinic, which the patient also trusts: listed under the clinic.
		MockOrganisations::add_member(CLINIC, DOCTOR, &[Role::Clinician]);
		membership_changed(DOCTOR);
		assert_eq!(listed_under(DOCTOR, record), Some(Some(CLINIC)));
		let clinic = grant_treatment_reads(Grantee::Organisation { org: CLINIC, role: None });
		// Their own consent ends on its own: nothing is swept then.
		set_now(START + DAY);

		assert_ok!(revoke(clinic));

		// The clinic's revocation finds the envelope and removes it.
		assert!(!KeyEnvelopes::<Test>::contains_key(record, DOCTOR));
		assert_last_revocation_sweep(GranteeKey::Organisation(CLINIC), 1, 1);
		assert_eq!(listed_under(DOCTOR, record), None);
	});
}

#[test]
fn a_member_who_loses_the_named_role_loses_the_envelopes_it_gave() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		// The patient trusts the hospital's clinicians, not all its staff.
		grant_treatment_reads(Grantee::Organisation { org: HOSPITAL, role: Some(Role::Clinician) });
		share(record, DOCTOR);
		share(record, ER_DOCTOR);

		// The doctor stays at the hospital, as a nurse.
		MockOrganisations::add_member(HOSPITAL, DOCTOR, &[Role::Nurse]);
		membership_changed(DOCTOR);

		assert!(!KeyEnvelopes::<Test>::contains_key(record, DOCTOR));
		assert_eq!(last_holder_sweep(DOCTOR), (1, 1, None));
		assert_eq!(listed_under(DOCTOR, record), None);
		// Another clinician keeps theirs.
		assert!(KeyEnvelopes::<Test>::contains_key(record, ER_DOCTOR));
	});
}

#[test]
fn a_holder_sweep_examines_a_bounded_number_and_anyone_goes_on_across_patients() {
	new_test_ext().execute_with(|| {
		let limit = sweep_limit();
		grant_treatment_reads(Grantee::Organisation { org: HOSPITAL, role: None });
		let mut records: Vec<RecordId> =
			(0..limit).map(|seed| register_note(PATIENT, PATIENT, seed as u8 + 1)).collect();
		for record in &records {
			share(*record, DOCTOR);
		}
		// One more, in another patient's file, under that patient's consent to the hospital.
		let other = register_note(OTHER_PATIENT, OTHER_PATIENT, 99);
		assert_ok!(Consent::grant(
			RuntimeOrigin::signed(OTHER_PATIENT),
			OTHER_PATIENT,
			Grantee::Organisation { org: HOSPITAL, role: None },
			ConsentScope::AllRecords,
			actions(&[Action::Read]),
			purposes(&[Purpose::Treatment]),
			None,
			None,
			None,
		));
		assert_ok!(Records::add_key_envelope(
			RuntimeOrigin::signed(OTHER_PATIENT),
			other,
			DOCTOR,
			wrapped_key(9)
		));
		records.push(other);
		let storage_order: Vec<(u64, RecordId)> =
			EnvelopesByHolder::<Test>::iter_key_prefix((DOCTOR,)).collect();
		assert_eq!(storage_order.len(), limit as usize + 1);
		let nothing_examined = || {
			use frame_support::dispatch::WithPostDispatchInfo;
			Error::<Test>::NoEnvelopesToExamine
				.with_weight(crate::Pallet::<Test>::unneeded_envelopes_of_weight(0))
		};
		// While the doctor may still read, nothing goes, but the sweep still counts.
		assert_ok!(Records::remove_unneeded_envelopes_of(
			RuntimeOrigin::signed(STRANGER),
			DOCTOR,
			None
		));
		assert_eq!(last_holder_sweep(DOCTOR), (limit, 0, Some(storage_order[limit as usize - 1])));

		MockOrganisations::remove_member(DOCTOR);
		membership_changed(DOCTOR);

		let resume_after = Some(storage_order[limit as usize - 1]);
		assert_eq!(last_holder_sweep(DOCTOR), (limit, limit, resume_after));
		let swept = Records::remove_unneeded_envelopes_of(
			RuntimeOrigin::signed(STRANGER),
			DOCTOR,
			resume_after,
		);
		assert_eq!(last_holder_sweep(DOCTOR), (1, 1, None));
		assert_eq!(charged(swept), Some(crate::Pallet::<Test>::unneeded_envelopes_of_weight(1)));
		assert!(records.iter().all(|record| !KeyEnvelopes::<Test>::contains_key(record, DOCTOR)));
		assert_eq!(EnvelopesByHolder::<Test>::iter_prefix((DOCTOR,)).count(), 0);
		// Nothing left to examine: a named error, charged for looking only.
		assert_noop!(
			Records::remove_unneeded_envelopes_of(RuntimeOrigin::signed(STRANGER), DOCTOR, None),
			nothing_examined()
		);
		assert_noop!(
			Records::remove_unneeded_envelopes_of(RuntimeOrigin::none(), DOCTOR, None),
			sp_runtime::traits::BadOrigin
		);
	});
}
