//! Unit tests of the consent pallet: every call, every error, the decision function's rules
//! (scope, action, purpose, period, grantee, delegates, break-glass) and a full scenario whose
//! storage is searched for plaintext. The record registry in the mock is the real one.

use crate::{
	mock::*, AccessLog, AccessLogLength, AccessReceipt, ConsentScope, ConsentStatus, Consents,
	ConsentsByGrantee, ConsentsOf, Delegates, Delegation, DocumentVersion, EmergencyAccess,
	EmergencyAccesses, EmergencyReason, Error, Event, GrantedScope, Grantee, GranteeKey,
	NextConsentId, OpenEmergencyAccesses, Review, ReviewOutcome,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use medchain_primitives::health::{
	AccessDecision, AccessPolicy, AccessReason, Action, OrgKind, Purpose, RecordId, Role,
};
use sp_core::H256;
use sp_runtime::TokenError;

const READ: &[Action] = &[Action::Read];
const APPEND: &[Action] = &[Action::Append];
const TREATMENT: &[Purpose] = &[Purpose::Treatment];

fn can_read(who: u64, record: RecordId, purpose: Purpose) -> AccessDecision {
	Consent::can_access(&who, record, Action::Read, purpose)
}

fn allowed_by(consent: u64) -> AccessDecision {
	AccessDecision::allow(AccessReason::Consent, Some(consent))
}

fn denied(reason: AccessReason) -> AccessDecision {
	AccessDecision::deny(reason)
}

/// The patient makes `GUARDIAN` their delegate until `until`.
fn add_guardian_until(until: u64) {
	assert_ok!(Consent::add_delegate(RuntimeOrigin::signed(PATIENT), GUARDIAN, Some(until)));
}

fn hold_of(reason: crate::HoldReason, who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Consent(reason), &who)
}

fn justification() -> H256 {
	H256::repeat_byte(0x5a)
}

fn grant_as(
	who: u64,
	grantee: Grantee<u64>,
	start: Option<u64>,
	end: Option<u64>,
) -> sp_runtime::DispatchResult {
	Consent::grant(
		RuntimeOrigin::signed(who),
		PATIENT,
		grantee,
		ConsentScope::AllRecords,
		actions(READ),
		purposes(TREATMENT),
		start,
		end,
		None,
	)
}

fn break_glass(who: u64) -> sp_runtime::DispatchResult {
	Consent::break_glass(
		RuntimeOrigin::signed(who),
		PATIENT,
		EmergencyReason::PatientCannotBeAsked,
		justification(),
	)
}

// ---------------------------------------------------------------------------------------------
// grant
// ---------------------------------------------------------------------------------------------

#[test]
fn the_patient_grants_a_consent_that_allows_access() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), denied(AccessReason::NoConsent));

		let form = H256::repeat_byte(0xf0);
		assert_ok!(Consent::grant(
			RuntimeOrigin::signed(PATIENT),
			PATIENT,
			Grantee::Account(DOCTOR),
			ConsentScope::AllRecords,
			// Given out of order: stored sorted.
			actions(&[Action::Append, Action::Read]),
			purposes(&[Purpose::Research, Purpose::Treatment]),
			None,
			Some(START + DAY),
			Some(form),
		));

		let consent = Consents::<Test>::get(0).expect("the consent is stored");
		assert_eq!(consent.patient, PATIENT);
		assert_eq!(consent.grantor, PATIENT);
		assert_eq!(consent.grantee, Grantee::Account(DOCTOR));
		assert_eq!(consent.actions.into_inner(), vec![Action::Read, Action::Append]);
		assert_eq!(consent.purposes.into_inner(), vec![Purpose::Treatment, Purpose::Research]);
		assert_eq!((consent.start, consent.end), (START, Some(START + DAY)));
		assert_eq!(consent.status, ConsentStatus::Active);
		assert_eq!(consent.created_at, START);
		assert_eq!(consent.form_hash, Some(form));
		assert_eq!(ConsentsOf::<Test>::get(PATIENT).into_inner(), vec![0]);
		assert_eq!(NextConsentId::<Test>::get(), 1);
		assert_eq!(hold_of(crate::HoldReason::ConsentDeposit, PATIENT), ConsentDeposit::get());
		System::assert_last_event(
			Event::ConsentGranted {
				consent: 0,
				patient: PATIENT,
				grantor: PATIENT,
				grantee: Grantee::Account(DOCTOR),
				start: START,
				end: Some(START + DAY),
			}
			.into(),
		);

		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(0));
		assert_eq!(can_read(DOCTOR, record, Purpose::Research), allowed_by(0));
		assert!(<Consent as AccessPolicy<u64>>::may_read_now_or_later(&DOCTOR, record));
		assert_eq!(
			<Consent as AccessPolicy<u64>>::can_append(
				&DOCTOR,
				&PATIENT,
				&lab_report(),
				Purpose::Treatment
			),
			allowed_by(0)
		);
	});
}

#[test]
fn the_patient_always_has_access_to_their_own_records() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		for purpose in Purpose::ALL {
			for action in [Action::Read, Action::Append] {
				assert_eq!(
					Consent::can_access(&PATIENT, record, action, purpose),
					AccessDecision::allow(AccessReason::Patient, None)
				);
			}
		}
	});
}

#[test]
fn grant_refuses_a_malformed_consent() {
	new_test_ext().execute_with(|| {
		let grant_with = |grantee, scope, action_list: &[Action], purpose_list: &[Purpose]| {
			Consent::grant(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				grantee,
				scope,
				actions(action_list),
				purposes(purpose_list),
				None,
				None,
				None,
			)
		};
		let all = || ConsentScope::AllRecords;
		let doctor = || Grantee::Account(DOCTOR);
		assert_noop!(
			grant_with(Grantee::Account(PATIENT), all(), READ, TREATMENT),
			Error::<Test>::CannotConsentToSelf
		);
		assert_noop!(
			grant_with(Grantee::Organisation { org: 99, role: None }, all(), READ, TREATMENT),
			Error::<Test>::UnknownOrganisation
		);
		assert_noop!(grant_with(doctor(), all(), &[], TREATMENT), Error::<Test>::NoActions);
		assert_noop!(
			grant_with(doctor(), all(), &[Action::Read, Action::Read], TREATMENT),
			Error::<Test>::DuplicateAction
		);
		assert_noop!(grant_with(doctor(), all(), READ, &[]), Error::<Test>::NoPurposes);
		assert_noop!(
			grant_with(doctor(), all(), READ, &[Purpose::Payment, Purpose::Payment]),
			Error::<Test>::DuplicatePurpose
		);
		assert_noop!(
			grant_with(doctor(), categories_scope(&[]), READ, TREATMENT),
			Error::<Test>::EmptyScope
		);
		assert_noop!(
			grant_with(doctor(), records_scope(&[]), READ, TREATMENT),
			Error::<Test>::EmptyScope
		);
		assert_noop!(
			grant_with(doctor(), categories_scope(&[lab_report(), lab_report()]), READ, TREATMENT),
			Error::<Test>::DuplicateScopeItem
		);
		assert_noop!(
			grant_with(doctor(), categories_scope(&[category("HIV status")]), READ, TREATMENT),
			Error::<Test>::InvalidCategory
		);
		assert_noop!(
			grant_with(doctor(), categories_scope(&[category("HIV")]), READ, TREATMENT),
			Error::<Test>::InvalidCategory
		);
		let theirs = register_note(OTHER_PATIENT, OTHER_PATIENT, 1);
		let mine = register_note(PATIENT, PATIENT, 2);
		assert_noop!(
			grant_with(doctor(), records_scope(&[mine, mine]), READ, TREATMENT),
			Error::<Test>::DuplicateScopeItem
		);
		// Two versions of one document list it twice.
		assert_ok!(amend_note(mine, 3));
		assert_noop!(
			grant_with(doctor(), records_scope(&[mine, mine + 1]), READ, TREATMENT),
			Error::<Test>::DuplicateScopeItem
		);
		// A version withdrawn as entered in error is no one else's to read.
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), mine + 1));
		assert_noop!(
			grant_with(doctor(), records_scope(&[mine + 1]), READ, TREATMENT),
			Error::<Test>::RecordEnteredInError
		);
		assert_noop!(
			grant_with(doctor(), records_scope(&[mine, theirs]), READ, TREATMENT),
			Error::<Test>::RecordNotOfPatient
		);
		assert_noop!(
			grant_with(doctor(), records_scope(&[mine, 77]), READ, TREATMENT),
			Error::<Test>::RecordNotOfPatient
		);
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), mine));
		assert_noop!(
			grant_with(doctor(), records_scope(&[mine]), READ, TREATMENT),
			Error::<Test>::RecordNotOfPatient
		);
	});
}

#[test]
fn grant_refuses_an_all_zero_form_hash() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Consent::grant(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				Grantee::Account(DOCTOR),
				ConsentScope::AllRecords,
				actions(READ),
				purposes(TREATMENT),
				None,
				None,
				Some(H256::zero()),
			),
			Error::<Test>::InvalidFormHash
		);
	});
}

#[test]
fn grant_refuses_a_period_that_is_inverted_or_over() {
	new_test_ext().execute_with(|| {
		let doctor = || Grantee::Account(DOCTOR);
		assert_noop!(
			grant_as(PATIENT, doctor(), Some(START + DAY), Some(START + DAY)),
			Error::<Test>::InvalidPeriod
		);
		assert_noop!(grant_as(PATIENT, doctor(), None, Some(START)), Error::<Test>::InvalidPeriod);
		assert_noop!(
			grant_as(PATIENT, doctor(), Some(START - 2 * DAY), Some(START - DAY)),
			Error::<Test>::PeriodEnded
		);
		// A period that started in the past and is still running is fine: it starts now
		// (`a_consent_cannot_be_backdated`).
		assert_ok!(grant_as(PATIENT, doctor(), Some(START - DAY), Some(START + 1)));
	});
}

#[test]
fn only_the_patient_or_a_delegate_grants() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			grant_as(DOCTOR, Grantee::Account(DOCTOR), None, None),
			Error::<Test>::NotPatientOrDelegate
		);
		assert_noop!(
			grant_as(STRANGER, Grantee::Account(DOCTOR), None, None),
			Error::<Test>::NotPatientOrDelegate
		);
	});
}

#[test]
fn a_patient_consent_list_is_capped_with_a_clear_error() {
	new_test_ext().execute_with(|| {
		for who in [DOCTOR, NURSE, CLINIC_DOCTOR, STRANGER] {
			assert_ok!(grant_as(PATIENT, Grantee::Account(who), None, None));
		}
		assert_noop!(
			grant_as(PATIENT, Grantee::Account(GUARDIAN), None, None),
			Error::<Test>::TooManyConsents
		);
		// Revoking frees a place.
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), 1));
		assert_ok!(grant_as(PATIENT, Grantee::Account(GUARDIAN), None, None));
	});
}

#[test]
fn consents_for_one_grantee_are_capped_with_a_clear_error() {
	new_test_ext().execute_with(|| {
		let hospital = Grantee::Organisation { org: HOSPITAL, role: None };
		let hospital_clinicians =
			Grantee::Organisation { org: HOSPITAL, role: Some(Role::Clinician) };
		assert_ok!(grant_as(PATIENT, hospital.clone(), None, None));
		assert_ok!(grant_as(PATIENT, hospital_clinicians.clone(), None, None));
		// Both name the hospital, whatever the role: the hospital's key is full.
		assert_noop!(
			grant_as(PATIENT, hospital, None, None),
			Error::<Test>::TooManyConsentsForGrantee
		);
		// Other grantees still have room in the patient's list.
		assert_ok!(grant_as(PATIENT, Grantee::Account(DOCTOR), None, None));
		// Revoking frees the hospital's place.
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), 0));
		assert_ok!(grant_as(PATIENT, hospital_clinicians, None, None));
	});
}

#[test]
fn the_grantee_index_follows_grants_and_revocations() {
	new_test_ext().execute_with(|| {
		let hospital = Grantee::Organisation { org: HOSPITAL, role: None };
		assert_ok!(grant_as(PATIENT, Grantee::Account(DOCTOR), None, None));
		assert_ok!(grant_as(PATIENT, hospital.clone(), None, None));
		assert_ok!(grant_as(PATIENT, Grantee::Account(DOCTOR), None, None));
		assert_eq!(
			ConsentsByGrantee::<Test>::get(PATIENT, GranteeKey::Account(DOCTOR)).into_inner(),
			vec![0, 2]
		);
		assert_eq!(
			ConsentsByGrantee::<Test>::get(PATIENT, GranteeKey::Organisation(HOSPITAL))
				.into_inner(),
			vec![1]
		);
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), 0));
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), 1));
		assert_eq!(
			ConsentsByGrantee::<Test>::get(PATIENT, GranteeKey::Account(DOCTOR)).into_inner(),
			vec![2]
		);
		// An emptied key leaves no storage behind.
		assert!(!ConsentsByGrantee::<Test>::contains_key(
			PATIENT,
			GranteeKey::Organisation(HOSPITAL)
		));
	});
}

#[test]
fn granting_without_funds_for_the_deposit_fails() {
	new_test_ext().execute_with(|| {
		assert_ok!(Consent::add_delegate(RuntimeOrigin::signed(PATIENT), PAUPER, None));
		assert_noop!(
			grant_as(PAUPER, Grantee::Account(DOCTOR), None, None),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn consent_ids_never_wrap_around() {
	new_test_ext().execute_with(|| {
		NextConsentId::<Test>::put(u64::MAX);
		assert_noop!(
			grant_as(PATIENT, Grantee::Account(DOCTOR), None, None),
			Error::<Test>::Overflow
		);
		assert_noop!(break_glass(ER_DOCTOR), Error::<Test>::Overflow);
	});
}

// ---------------------------------------------------------------------------------------------
// revoke
// ---------------------------------------------------------------------------------------------

#[test]
fn revocation_is_immediate_for_reads_appends_and_receipts() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let consent = grant_doctor_treatment();
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(consent));
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(DOCTOR),
			record,
			Purpose::Treatment
		));
		register_note(DOCTOR, PATIENT, 2);

		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), consent));

		// Same block, no other call: nothing is allowed any more.
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), denied(AccessReason::NoConsent));
		assert_eq!(
			Consent::can_access(&DOCTOR, record, Action::Append, Purpose::Treatment),
			denied(AccessReason::NoConsent)
		);
		assert_noop!(
			Records::register(
				RuntimeOrigin::signed(DOCTOR),
				PATIENT,
				consult_note(),
				content(3),
				1,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[PATIENT]),
			),
			pallet_records::Error::<Test>::NoConsent
		);
		assert_noop!(
			Records::amend(
				RuntimeOrigin::signed(DOCTOR),
				record,
				content(3),
				1,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[PATIENT]),
			),
			pallet_records::Error::<Test>::NoConsent
		);
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(DOCTOR), record, Purpose::Treatment),
			Error::<Test>::NoConsent
		);
	});
}

#[test]
fn a_revoked_consent_is_kept_as_history_and_its_deposit_returned() {
	new_test_ext().execute_with(|| {
		let consent = grant_doctor_treatment();
		set_now(START + HOUR);
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), consent));

		let stored = Consents::<Test>::get(consent).expect("revoked consents are kept");
		assert_eq!(stored.status, ConsentStatus::Revoked);
		assert_eq!(stored.revoked_at, Some(START + HOUR));
		assert_eq!(stored.revoked_by, Some(PATIENT));
		assert_eq!(stored.grantee, Grantee::Account(DOCTOR));
		assert!(ConsentsOf::<Test>::get(PATIENT).is_empty());
		assert!(Consent::consents_of(&PATIENT).is_empty());
		assert_eq!(hold_of(crate::HoldReason::ConsentDeposit, PATIENT), 0);
		System::assert_last_event(
			Event::ConsentRevoked { consent, patient: PATIENT, revoked_by: PATIENT }.into(),
		);
	});
}

#[test]
fn revoke_refuses_unknown_repeated_or_foreign_revocations() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(PATIENT), 0),
			Error::<Test>::ConsentNotFound
		);
		let consent = grant_doctor_treatment();
		// Not the grantee, not a stranger.
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(DOCTOR), consent),
			Error::<Test>::NotPatientOrDelegate
		);
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(STRANGER), consent),
			Error::<Test>::NotPatientOrDelegate
		);
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), consent));
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(PATIENT), consent),
			Error::<Test>::AlreadyRevoked
		);
	});
}

#[test]
fn an_expired_consent_can_be_revoked_to_free_its_place() {
	new_test_ext().execute_with(|| {
		assert_ok!(grant_as(PATIENT, Grantee::Account(DOCTOR), None, Some(START + HOUR)));
		set_now(START + 2 * HOUR);
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), 0));
		assert!(ConsentsOf::<Test>::get(PATIENT).is_empty());
		assert_eq!(held(PATIENT), 0);
	});
}

// ---------------------------------------------------------------------------------------------
// the decision function: scope, action, purpose, period, grantee
// ---------------------------------------------------------------------------------------------

#[test]
fn scope_is_enforced() {
	new_test_ext().execute_with(|| {
		let note = register_note(PATIENT, PATIENT, 1);
		assert_ok!(Records::register(
			RuntimeOrigin::signed(PATIENT),
			PATIENT,
			lab_report(),
			content(2),
			1,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[PATIENT]),
		));
		let lab = note + 1;
		let other_note = register_note(PATIENT, PATIENT, 3);

		let by_category = grant(
			Grantee::Account(DOCTOR),
			categories_scope(&[lab_report()]),
			READ,
			TREATMENT,
			None,
		);
		assert_eq!(can_read(DOCTOR, lab, Purpose::Treatment), allowed_by(by_category));
		assert_eq!(can_read(DOCTOR, note, Purpose::Treatment), denied(AccessReason::OutOfScope));

		let by_record =
			grant(Grantee::Account(NURSE), records_scope(&[note]), READ, TREATMENT, None);
		assert_eq!(can_read(NURSE, note, Purpose::Treatment), allowed_by(by_record));
		assert_eq!(
			can_read(NURSE, other_note, Purpose::Treatment),
			denied(AccessReason::OutOfScope)
		);
		assert_eq!(can_read(NURSE, lab, Purpose::Treatment), denied(AccessReason::OutOfScope));

		let everything =
			grant(Grantee::Account(CLINIC_DOCTOR), ConsentScope::AllRecords, READ, TREATMENT, None);
		for record in [note, lab, other_note] {
			assert_eq!(can_read(CLINIC_DOCTOR, record, Purpose::Treatment), allowed_by(everything));
		}
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(DOCTOR), note, Purpose::Treatment),
			Error::<Test>::OutOfScope
		);
	});
}

#[test]
fn a_listed_record_is_covered_with_the_versions_that_replace_it_but_not_earlier_ones() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		assert_ok!(amend_note(first, 2));
		let second = first + 1;
		let other_document = register_note(PATIENT, PATIENT, 3);
		let may_read =
			|who, record| <Consent as AccessPolicy<u64>>::may_read_now_or_later(&who, record);

		// The patient lists the version they see, the current one: the consent stores its
		// document (named by its first version) and the version it starts from.
		let consent =
			grant(Grantee::Account(NURSE), records_scope(&[second]), READ, TREATMENT, None);
		let listed = DocumentVersion { document: first, record: second };
		assert_eq!(
			Consents::<Test>::get(consent).map(|c| c.scope),
			Some(GrantedScope::Records(BoundedVec::truncate_from(vec![listed])))
		);
		assert_eq!(can_read(NURSE, second, Purpose::Treatment), allowed_by(consent));
		// The version it replaced (say, a wrong result) is not shared with it.
		assert_eq!(can_read(NURSE, first, Purpose::Treatment), denied(AccessReason::OutOfScope));
		assert!(!may_read(NURSE, first));
		assert_eq!(
			can_read(NURSE, other_document, Purpose::Treatment),
			denied(AccessReason::OutOfScope)
		);

		// A corrected result reaches the nurse it was shared with: its new version is in scope.
		assert_ok!(amend_note(second, 4));
		let third = other_document + 1;
		assert_eq!(can_read(NURSE, third, Purpose::Treatment), allowed_by(consent));
		assert!(may_read(NURSE, third));
		assert_ok!(Consent::record_access(RuntimeOrigin::signed(NURSE), third, Purpose::Treatment));

		// Erasing the document's first version changes nothing for the later ones, and a
		// later version can still be listed: its document keeps the erased version's id.
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), first));
		assert_eq!(can_read(NURSE, third, Purpose::Treatment), allowed_by(consent));
		let doctors =
			grant(Grantee::Account(DOCTOR), records_scope(&[third]), READ, TREATMENT, None);
		assert_eq!(
			Consents::<Test>::get(doctors).map(|c| c.scope),
			Some(GrantedScope::Records(BoundedVec::truncate_from(vec![DocumentVersion {
				document: first,
				record: third
			}])))
		);
		assert_eq!(can_read(DOCTOR, third, Purpose::Treatment), allowed_by(doctors));
		assert_eq!(can_read(DOCTOR, second, Purpose::Treatment), denied(AccessReason::OutOfScope));
	});
}

#[test]
fn a_listed_version_withdrawn_later_still_lets_the_consent_follow_its_document() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		assert_ok!(amend_note(first, 2));
		let second = first + 1;
		let consent =
			grant(Grantee::Account(NURSE), records_scope(&[second]), READ, TREATMENT, None);
		// The listed version is withdrawn: the first is current again, and stays unshared.
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(PATIENT), second));
		assert_eq!(can_read(NURSE, first, Purpose::Treatment), denied(AccessReason::OutOfScope));
		// Its next version is a later version of the document: covered.
		assert_ok!(amend_note(first, 3));
		assert_eq!(can_read(NURSE, second + 1, Purpose::Treatment), allowed_by(consent));
	});
}

#[test]
fn action_is_enforced() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let read_only =
			grant(Grantee::Account(DOCTOR), ConsentScope::AllRecords, READ, TREATMENT, None);
		let append_only =
			grant(Grantee::Account(NURSE), ConsentScope::AllRecords, APPEND, TREATMENT, None);

		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(read_only));
		assert_eq!(
			Consent::can_access(&DOCTOR, record, Action::Append, Purpose::Treatment),
			denied(AccessReason::ActionNotPermitted)
		);
		assert_eq!(
			Consent::can_access(&NURSE, record, Action::Append, Purpose::Treatment),
			allowed_by(append_only)
		);
		assert_eq!(
			can_read(NURSE, record, Purpose::Treatment),
			denied(AccessReason::ActionNotPermitted)
		);
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(NURSE), record, Purpose::Treatment),
			Error::<Test>::ActionNotPermitted
		);
	});
}

#[test]
fn authoring_a_record_grants_no_read_of_it() {
	new_test_ext().execute_with(|| {
		let patients_own = register_note(PATIENT, PATIENT, 1);
		let append_only =
			grant(Grantee::Account(NURSE), ConsentScope::AllRecords, APPEND, TREATMENT, None);
		// The nurse may not file a record around the ciphertext of the patient's own record
		// (the registry refuses it: `CiphertextAlreadyNamed`), only one of its own.
		assert_noop!(
			pallet_records::Pallet::<Test>::register(
				RuntimeOrigin::signed(NURSE),
				PATIENT,
				consult_note(),
				content(1),
				1_024,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[PATIENT]),
			),
			pallet_records::Error::<Test>::CiphertextAlreadyNamed
		);
		let authored = register_note(NURSE, PATIENT, 2);
		assert_eq!(
			Consent::can_access(&NURSE, authored, Action::Append, Purpose::Treatment),
			allowed_by(append_only)
		);
		for record in [authored, patients_own] {
			assert_eq!(
				can_read(NURSE, record, Purpose::Treatment),
				denied(AccessReason::ActionNotPermitted)
			);
		}
	});
}

#[test]
fn purpose_is_enforced() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let consent = grant(
			Grantee::Account(DOCTOR),
			ConsentScope::AllRecords,
			READ,
			&[Purpose::Treatment, Purpose::Payment],
			None,
		);
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(consent));
		assert_eq!(can_read(DOCTOR, record, Purpose::Payment), allowed_by(consent));
		for purpose in
			[Purpose::Research, Purpose::Operations, Purpose::PublicHealth, Purpose::Emergency]
		{
			assert_eq!(
				can_read(DOCTOR, record, purpose),
				denied(AccessReason::PurposeNotPermitted)
			);
		}
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(DOCTOR), record, Purpose::Research),
			Error::<Test>::PurposeNotPermitted
		);
	});
}

#[test]
fn a_consent_cannot_be_backdated() {
	new_test_ext().execute_with(|| {
		assert_ok!(grant_as(PATIENT, Grantee::Account(DOCTOR), Some(START - DAY), None));
		assert_eq!(Consents::<Test>::get(0).map(|c| c.start), Some(START));
		assert_ok!(grant_as(PATIENT, Grantee::Account(NURSE), Some(START + DAY), None));
		assert_eq!(Consents::<Test>::get(1).map(|c| c.start), Some(START + DAY));
	});
}

#[test]
fn period_is_enforced_and_expiry_needs_no_call() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		assert_ok!(grant_as(
			PATIENT,
			Grantee::Account(DOCTOR),
			Some(START + HOUR),
			Some(START + DAY)
		));
		let consent = 0;

		assert_eq!(
			can_read(DOCTOR, record, Purpose::Treatment),
			denied(AccessReason::ConsentNotYetValid)
		);
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(DOCTOR), record, Purpose::Treatment),
			Error::<Test>::ConsentNotYetValid
		);
		// Not readable yet, but the grantee's key envelope is already needed.
		assert!(<Consent as AccessPolicy<u64>>::may_read_now_or_later(&DOCTOR, record));
		set_now(START + HOUR);
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(consent));
		set_now(START + DAY - 1);
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(consent));
		assert_eq!(Consent::consents_of(&PATIENT)[0].1.status, ConsentStatus::Active);

		// The end is exclusive; nobody calls anything.
		set_now(START + DAY);
		assert_eq!(
			can_read(DOCTOR, record, Purpose::Treatment),
			denied(AccessReason::ConsentExpired)
		);
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(DOCTOR), record, Purpose::Treatment),
			Error::<Test>::ConsentExpired
		);
		assert!(!<Consent as AccessPolicy<u64>>::may_read_now_or_later(&DOCTOR, record));
		// Expiry is derived when read; storage still says active.
		assert_eq!(Consent::consents_of(&PATIENT)[0].1.status, ConsentStatus::Expired);
		assert_eq!(Consents::<Test>::get(consent).map(|c| c.status), Some(ConsentStatus::Active));
	});
}

#[test]
fn an_organisation_consent_covers_its_members_holding_the_role_while_they_are_members() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let any_member = grant(
			Grantee::Organisation { org: CLINIC, role: None },
			ConsentScope::AllRecords,
			READ,
			TREATMENT,
			None,
		);
		let clinicians = grant(
			Grantee::Organisation { org: HOSPITAL, role: Some(Role::Clinician) },
			ConsentScope::AllRecords,
			READ,
			TREATMENT,
			None,
		);
		assert_eq!(can_read(CLINIC_DOCTOR, record, Purpose::Treatment), allowed_by(any_member));
		assert_eq!(can_read(CLINIC_AUDITOR, record, Purpose::Treatment), allowed_by(any_member));
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(clinicians));
		assert_eq!(can_read(ER_DOCTOR, record, Purpose::Treatment), allowed_by(clinicians));
		// Same hospital, wrong role.
		assert_eq!(can_read(NURSE, record, Purpose::Treatment), denied(AccessReason::NoConsent));
		assert_eq!(can_read(STRANGER, record, Purpose::Treatment), denied(AccessReason::NoConsent));

		// Leaving the organisation, or the organisation leaving the consortium, ends access.
		MockOrganisations::remove_member(DOCTOR);
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), denied(AccessReason::NoConsent));
		MockOrganisations::deregister(CLINIC);
		assert_eq!(
			can_read(CLINIC_DOCTOR, record, Purpose::Treatment),
			denied(AccessReason::NoConsent)
		);
	});
}

#[test]
fn the_oldest_matching_consent_is_used_and_refusals_name_the_closest_miss() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		// An expired consent, then one for the wrong purpose: the purpose is the closer miss.
		assert_ok!(grant_as(PATIENT, Grantee::Account(DOCTOR), None, Some(START + HOUR)));
		let hospital = Grantee::Organisation { org: HOSPITAL, role: None };
		grant(hospital.clone(), ConsentScope::AllRecords, READ, &[Purpose::Payment], None);
		set_now(START + 2 * HOUR);
		assert_eq!(
			can_read(DOCTOR, record, Purpose::Treatment),
			denied(AccessReason::PurposeNotPermitted)
		);

		// The organisation's consent is older than the account's: it is the one used.
		let first_match = grant(hospital, ConsentScope::AllRecords, READ, TREATMENT, None);
		grant(Grantee::Account(DOCTOR), ConsentScope::AllRecords, READ, TREATMENT, None);
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(first_match));
	});
}

#[test]
fn missing_and_erased_records_are_refused() {
	new_test_ext().execute_with(|| {
		grant_doctor_treatment();
		assert_eq!(can_read(DOCTOR, 5, Purpose::Treatment), denied(AccessReason::RecordNotFound));
		assert_eq!(can_read(PATIENT, 5, Purpose::Treatment), denied(AccessReason::RecordNotFound));
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(PATIENT), 5, Purpose::Treatment),
			Error::<Test>::RecordNotFound
		);
		let record = register_note(PATIENT, PATIENT, 1);
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), record));
		assert_eq!(
			can_read(DOCTOR, record, Purpose::Treatment),
			denied(AccessReason::RecordErased)
		);
		assert_eq!(
			can_read(PATIENT, record, Purpose::Treatment),
			denied(AccessReason::RecordErased)
		);
		assert!(!<Consent as AccessPolicy<u64>>::may_read_now_or_later(&PATIENT, record));
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(PATIENT), record, Purpose::Treatment),
			Error::<Test>::RecordErased
		);
	});
}

#[test]
fn a_record_entered_in_error_is_read_only_by_its_patient_and_its_author() {
	new_test_ext().execute_with(|| {
		let doctors = grant_doctor_treatment();
		let nurses =
			grant(Grantee::Account(NURSE), ConsentScope::AllRecords, READ, TREATMENT, None);
		// Filed in this patient's file by the doctor; the nurse may read it, the emergency
		// doctor breaks the glass.
		let record = register_note(DOCTOR, PATIENT, 1);
		assert_ok!(Records::add_key_envelope(
			RuntimeOrigin::signed(PATIENT),
			record,
			NURSE,
			wrapped_key(NURSE as u8)
		));
		assert_ok!(break_glass(ER_DOCTOR));
		assert_eq!(can_read(NURSE, record, Purpose::Treatment), allowed_by(nurses));
		assert!(can_read(ER_DOCTOR, record, Purpose::Emergency).allowed);

		// It was the wrong patient's document: the doctor withdraws it.
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(DOCTOR), record));
		for (who, purpose) in [(NURSE, Purpose::Treatment), (ER_DOCTOR, Purpose::Emergency)] {
			assert_eq!(can_read(who, record, purpose), denied(AccessReason::RecordEnteredInError));
			assert!(!<Consent as AccessPolicy<u64>>::may_read_now_or_later(&who, record));
		}
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(NURSE), record, Purpose::Treatment),
			Error::<Test>::RecordEnteredInError
		);
		// The nurse's key envelope is no longer needed: anyone may sweep it.
		assert_ok!(Records::remove_key_envelope(RuntimeOrigin::signed(STRANGER), record, NURSE));
		// The patient and the author still see it, the author under their consent as before.
		assert_eq!(
			can_read(PATIENT, record, Purpose::Treatment),
			AccessDecision::allow(AccessReason::Patient, None)
		);
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(doctors));
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(DOCTOR),
			record,
			Purpose::Treatment
		));
		// Other records of the patient are read as before.
		let other = register_note(PATIENT, PATIENT, 2);
		assert_eq!(can_read(NURSE, other, Purpose::Treatment), allowed_by(nurses));
	});
}

// ---------------------------------------------------------------------------------------------
// delegates
// ---------------------------------------------------------------------------------------------

#[test]
fn the_patient_adds_a_delegate_who_grants_and_revokes_for_them() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		add_guardian_until(START + DAY);
		assert_eq!(
			Delegates::<Test>::get(PATIENT).into_inner(),
			vec![Delegation {
				delegate: GUARDIAN,
				until: Some(START + DAY),
				since: START,
				deposit: DelegateDeposit::get()
			}]
		);
		assert_eq!(hold_of(crate::HoldReason::DelegateDeposit, PATIENT), DelegateDeposit::get());
		System::assert_last_event(
			Event::DelegateAdded { patient: PATIENT, delegate: GUARDIAN, until: Some(START + DAY) }
				.into(),
		);
		// Being a delegate does not by itself open the records.
		assert_eq!(can_read(GUARDIAN, record, Purpose::Treatment), denied(AccessReason::NoConsent));

		// What a delegate grants must end by the end of the delegation.
		assert_noop!(
			grant_as(GUARDIAN, Grantee::Account(DOCTOR), None, None),
			Error::<Test>::ConsentOutlastsDelegation
		);
		assert_noop!(
			grant_as(GUARDIAN, Grantee::Account(DOCTOR), None, Some(START + DAY + 1)),
			Error::<Test>::ConsentOutlastsDelegation
		);
		assert_ok!(grant_as(GUARDIAN, Grantee::Account(DOCTOR), None, Some(START + DAY)));
		let consent = Consents::<Test>::get(0).expect("granted");
		assert_eq!(consent.grantor, GUARDIAN);
		assert_eq!(consent.patient, PATIENT);
		// The delegate pays the deposit of what they grant.
		assert_eq!(hold_of(crate::HoldReason::ConsentDeposit, GUARDIAN), ConsentDeposit::get());
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(0));

		assert_ok!(Consent::revoke(RuntimeOrigin::signed(GUARDIAN), 0));
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), denied(AccessReason::NoConsent));
		assert_eq!(hold_of(crate::HoldReason::ConsentDeposit, GUARDIAN), 0);
		System::assert_last_event(
			Event::ConsentRevoked { consent: 0, patient: PATIENT, revoked_by: GUARDIAN }.into(),
		);
	});
}

#[test]
fn a_delegate_acts_only_while_the_delegation_lasts() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		add_guardian_until(START + DAY);
		assert_ok!(grant_as(GUARDIAN, Grantee::Account(DOCTOR), None, Some(START + DAY)));
		// Not even to themselves can a delegate grant beyond their term.
		assert_noop!(
			grant_as(GUARDIAN, Grantee::Account(GUARDIAN), None, None),
			Error::<Test>::ConsentOutlastsDelegation
		);
		assert_ok!(grant_as(PATIENT, Grantee::Account(NURSE), None, None));

		set_now(START + DAY);
		assert_noop!(
			grant_as(GUARDIAN, Grantee::Account(CLINIC_DOCTOR), None, Some(START + 2 * DAY)),
			Error::<Test>::DelegationEnded
		);
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(GUARDIAN), 1),
			Error::<Test>::DelegationEnded
		);
		// What the delegate granted ended with the delegation…
		assert_eq!(
			can_read(DOCTOR, record, Purpose::Treatment),
			denied(AccessReason::ConsentExpired)
		);
		// …and, being over, may be revoked by anyone; the deposit returns to the delegate.
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(GUARDIAN), 0));
		assert_eq!(hold_of(crate::HoldReason::ConsentDeposit, GUARDIAN), 0);
		// The former delegate may still step down, which returns the patient's deposit.
		assert_ok!(Consent::remove_delegate(RuntimeOrigin::signed(GUARDIAN), PATIENT, GUARDIAN));
		assert_eq!(hold_of(crate::HoldReason::DelegateDeposit, PATIENT), 0);
		assert_noop!(
			grant_as(GUARDIAN, Grantee::Account(CLINIC_DOCTOR), None, None),
			Error::<Test>::NotPatientOrDelegate
		);
	});
}

#[test]
fn a_removed_delegate_cannot_cut_off_care_they_consented_to() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		add_guardian_until(START + DAY);
		assert_ok!(grant_as(GUARDIAN, Grantee::Account(DOCTOR), None, Some(START + DAY)));
		assert_ok!(Consent::remove_delegate(RuntimeOrigin::signed(PATIENT), PATIENT, GUARDIAN));

		set_now(START + HOUR);
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(GUARDIAN), 0),
			Error::<Test>::NotPatientOrDelegate
		);
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(STRANGER), 0),
			Error::<Test>::NotPatientOrDelegate
		);
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(0));

		// Once it has ended anyone may take it off the list; the deposit goes back to its
		// grantor, and the history keeps it expired, withdrawn by nobody.
		set_now(START + DAY);
		assert_eq!(hold_of(crate::HoldReason::ConsentDeposit, GUARDIAN), ConsentDeposit::get());
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(STRANGER), 0));
		assert_eq!(hold_of(crate::HoldReason::ConsentDeposit, GUARDIAN), 0);
		System::assert_last_event(
			Event::ExpiredConsentCleared { consent: 0, patient: PATIENT, cleared_by: STRANGER }
				.into(),
		);
		let history = crate::Consents::<Test>::get(0).expect("kept as history");
		assert_eq!(
			(history.status, history.revoked_at, history.revoked_by),
			(ConsentStatus::Expired, None, None)
		);
		assert!(Consent::consents_of(&PATIENT).is_empty());
		// Taken off once: its deposit is not returned twice.
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(STRANGER), 0),
			Error::<Test>::AlreadyRevoked
		);
	});
}

#[test]
fn a_removed_delegate_keeps_no_access_they_granted_themselves() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		assert_ok!(Consent::add_delegate(RuntimeOrigin::signed(PATIENT), GUARDIAN, None));
		// The guardian consents to their own reads, with no end, and to a doctor's.
		assert_ok!(grant_as(GUARDIAN, Grantee::Account(GUARDIAN), None, None));
		assert_ok!(grant_as(GUARDIAN, Grantee::Account(DOCTOR), None, None));
		// The patient's own consent to the guardian stays: the patient chose it.
		assert_ok!(grant_as(PATIENT, Grantee::Account(GUARDIAN), None, Some(START + DAY)));
		assert_eq!(can_read(GUARDIAN, record, Purpose::Treatment), allowed_by(0));
		assert_eq!(hold_of(crate::HoldReason::ConsentDeposit, GUARDIAN), 2 * ConsentDeposit::get());

		set_now(START + HOUR);
		assert_ok!(Consent::remove_delegate(RuntimeOrigin::signed(PATIENT), PATIENT, GUARDIAN));

		let consent = |id| Consents::<Test>::get(id).expect("kept as history");
		assert_eq!(consent(0).status, ConsentStatus::Revoked);
		assert_eq!(consent(0).revoked_by, Some(PATIENT));
		assert_eq!(consent(0).revoked_at, Some(START + HOUR));
		System::assert_has_event(
			Event::ConsentRevoked { consent: 0, patient: PATIENT, revoked_by: PATIENT }.into(),
		);
		// What they granted others, and what the patient granted them, run on.
		assert_eq!(consent(1).status, ConsentStatus::Active);
		assert_eq!(consent(2).status, ConsentStatus::Active);
		assert_eq!(can_read(DOCTOR, record, Purpose::Treatment), allowed_by(1));
		assert_eq!(can_read(GUARDIAN, record, Purpose::Treatment), allowed_by(2));
		assert_eq!(ConsentsOf::<Test>::get(PATIENT).into_inner(), vec![1, 2]);
		assert_eq!(
			ConsentsByGrantee::<Test>::get(PATIENT, GranteeKey::Account(GUARDIAN)).into_inner(),
			vec![2]
		);
		// The ended consent's deposit goes back to the guardian who paid it.
		assert_eq!(hold_of(crate::HoldReason::ConsentDeposit, GUARDIAN), ConsentDeposit::get());

		// Once the patient's own consent ends too, the former guardian reads nothing.
		set_now(START + DAY);
		assert_eq!(
			can_read(GUARDIAN, record, Purpose::Treatment),
			denied(AccessReason::ConsentExpired)
		);
	});
}

#[test]
fn a_delegate_stepping_down_ends_the_access_they_granted_themselves() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		add_guardian_until(START + DAY);
		assert_ok!(grant_as(GUARDIAN, Grantee::Account(GUARDIAN), None, Some(START + DAY)));
		assert_ok!(Consent::remove_delegate(RuntimeOrigin::signed(GUARDIAN), PATIENT, GUARDIAN));
		assert_eq!(can_read(GUARDIAN, record, Purpose::Treatment), denied(AccessReason::NoConsent));
		assert_eq!(Consents::<Test>::get(0).and_then(|c| c.revoked_by), Some(GUARDIAN));
		assert_eq!(hold_of(crate::HoldReason::ConsentDeposit, GUARDIAN), 0);

		// A delegate who granted themselves nothing is charged for the look at the consents
		// given to them only (here the patient's one), not for the endings and sweep declared.
		assert_ok!(Consent::add_delegate(RuntimeOrigin::signed(PATIENT), NURSE, None));
		assert_ok!(grant_as(PATIENT, Grantee::Account(NURSE), None, None));
		let removal = Consent::remove_delegate(RuntimeOrigin::signed(PATIENT), PATIENT, NURSE);
		assert_eq!(
			removal.map(|info| info.actual_weight),
			Ok(Some(
				<() as crate::WeightInfo>::remove_delegate()
					.saturating_add(Consent::own_consents_weight(1, 0))
			))
		);
	});
}

#[test]
fn add_delegate_refuses_bad_requests() {
	new_test_ext().execute_with(|| {
		let add = |delegate, until| {
			Consent::add_delegate(RuntimeOrigin::signed(PATIENT), delegate, until)
		};
		assert_noop!(add(PATIENT, None), Error::<Test>::CannotDelegateToSelf);
		assert_noop!(add(GUARDIAN, Some(START)), Error::<Test>::PeriodEnded);
		assert_ok!(add(GUARDIAN, None));
		assert_noop!(add(GUARDIAN, Some(START + DAY)), Error::<Test>::AlreadyDelegate);
		assert_ok!(add(STRANGER, None));
		assert_noop!(add(NURSE, None), Error::<Test>::TooManyDelegates);
		assert_noop!(
			Consent::add_delegate(RuntimeOrigin::signed(PAUPER), GUARDIAN, None),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn the_patient_or_the_delegate_removes_a_delegation() {
	new_test_ext().execute_with(|| {
		assert_ok!(Consent::add_delegate(RuntimeOrigin::signed(PATIENT), GUARDIAN, None));
		assert_ok!(Consent::add_delegate(RuntimeOrigin::signed(PATIENT), STRANGER, None));
		assert_noop!(
			Consent::remove_delegate(RuntimeOrigin::signed(DOCTOR), PATIENT, GUARDIAN),
			Error::<Test>::NotPatientOrThisDelegate
		);
		// One delegate cannot remove another.
		assert_noop!(
			Consent::remove_delegate(RuntimeOrigin::signed(STRANGER), PATIENT, GUARDIAN),
			Error::<Test>::NotPatientOrThisDelegate
		);
		assert_noop!(
			Consent::remove_delegate(RuntimeOrigin::signed(PATIENT), PATIENT, NURSE),
			Error::<Test>::NotDelegate
		);
		assert_ok!(Consent::remove_delegate(RuntimeOrigin::signed(PATIENT), PATIENT, GUARDIAN));
		System::assert_last_event(
			Event::DelegateRemoved { patient: PATIENT, delegate: GUARDIAN, removed_by: PATIENT }
				.into(),
		);
		assert_ok!(Consent::remove_delegate(RuntimeOrigin::signed(STRANGER), PATIENT, STRANGER));
		assert!(Delegates::<Test>::get(PATIENT).is_empty());
		assert_eq!(held(PATIENT), 0);
		assert_noop!(
			grant_as(GUARDIAN, Grantee::Account(DOCTOR), None, None),
			Error::<Test>::NotPatientOrDelegate
		);
	});
}

// ---------------------------------------------------------------------------------------------
// break-glass
// ---------------------------------------------------------------------------------------------

#[test]
fn emergency_staff_break_the_glass_for_a_time_limited_emergency_read() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		assert_ok!(Consent::add_delegate(RuntimeOrigin::signed(PATIENT), GUARDIAN, None));
		assert_ok!(Consent::add_delegate(
			RuntimeOrigin::signed(PATIENT),
			STRANGER,
			Some(START + 1)
		));
		set_now(START + 1);
		assert_eq!(
			can_read(ER_DOCTOR, record, Purpose::Emergency),
			denied(AccessReason::NoConsent)
		);

		assert_ok!(break_glass(ER_DOCTOR));
		let access = 0;
		let expires_at = START + 1 + EMERGENCY_ACCESS_MS;
		assert_eq!(
			EmergencyAccesses::<Test>::get(access),
			Some(EmergencyAccess {
				patient: PATIENT,
				accessor: ER_DOCTOR,
				organisation: HOSPITAL,
				reason: EmergencyReason::PatientCannotBeAsked,
				justification_hash: justification(),
				started_at: START + 1,
				expires_at,
				audit_review: None,
				patient_review: None,
			})
		);
		// The patient is named, and so is every delegate whose delegation lasts.
		System::assert_last_event(
			Event::EmergencyAccessGranted {
				access,
				patient: PATIENT,
				accessor: ER_DOCTOR,
				organisation: HOSPITAL,
				reason: EmergencyReason::PatientCannotBeAsked,
				justification_hash: justification(),
				expires_at,
				notified: BoundedVec::truncate_from(vec![GUARDIAN]),
			}
			.into(),
		);
		// No deposit for an emergency.
		assert_eq!(held(ER_DOCTOR), 0);

		let by_break_glass = AccessDecision::allow(AccessReason::BreakGlass, Some(access));
		assert_eq!(can_read(ER_DOCTOR, record, Purpose::Emergency), by_break_glass);
		// Read only, emergency only, this patient only.
		assert_eq!(
			can_read(ER_DOCTOR, record, Purpose::Treatment),
			denied(AccessReason::NoConsent)
		);
		assert_eq!(
			Consent::can_access(&ER_DOCTOR, record, Action::Append, Purpose::Emergency),
			denied(AccessReason::NoConsent)
		);
		let someone_else = register_note(OTHER_PATIENT, OTHER_PATIENT, 2);
		assert_eq!(
			can_read(ER_DOCTOR, someone_else, Purpose::Emergency),
			denied(AccessReason::NoConsent)
		);

		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(ER_DOCTOR),
			record,
			Purpose::Emergency
		));
		assert_eq!(
			AccessLog::<Test>::get(record, 0),
			Some(AccessReceipt {
				reader: ER_DOCTOR,
				consent_used: Some(access),
				basis: AccessReason::BreakGlass,
				purpose: Purpose::Emergency,
				at: START + 1,
			})
		);

		set_now(expires_at);
		assert_eq!(
			can_read(ER_DOCTOR, record, Purpose::Emergency),
			denied(AccessReason::BreakGlassExpired)
		);
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(ER_DOCTOR), record, Purpose::Emergency),
			Error::<Test>::EmergencyAccessExpired
		);
	});
}

#[test]
fn break_glass_stops_when_the_accessor_loses_the_emergency_role() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		assert_ok!(break_glass(ER_DOCTOR));
		MockOrganisations::add_member(HOSPITAL, ER_DOCTOR, &[Role::Clinician]);
		assert_eq!(
			can_read(ER_DOCTOR, record, Purpose::Emergency),
			denied(AccessReason::NoConsent)
		);
	});
}

#[test]
fn an_access_left_in_a_former_organisation_does_not_keep_its_accessor_out_of_an_emergency() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		assert_ok!(break_glass(ER_DOCTOR));
		// The doctor moves to the clinic's emergency department: the hospital's access grants
		// nothing any more, and does not stand in the way of one from the clinic.
		MockOrganisations::add_member(CLINIC, ER_DOCTOR, &[Role::Emergency]);
		assert_eq!(can_read(ER_DOCTOR, record, Purpose::Emergency).reason, AccessReason::NoConsent);
		set_now(START + HOUR);
		assert_ok!(break_glass(ER_DOCTOR));
		assert_eq!(
			OpenEmergencyAccesses::<Test>::get(PATIENT, ER_DOCTOR)
				.map(|open| (open.id, open.organisation)),
			Some((1, CLINIC))
		);
		assert_eq!(
			can_read(ER_DOCTOR, record, Purpose::Emergency).reason,
			AccessReason::BreakGlass
		);
		// Still one running access per accessor where they hold the role.
		assert_noop!(break_glass(ER_DOCTOR), Error::<Test>::EmergencyAccessActive);
	});
}

#[test]
fn break_glass_refuses_bad_requests() {
	new_test_ext().execute_with(|| {
		// A clinician without the emergency role, an outsider, a member of a deregistered
		// organisation.
		assert_noop!(break_glass(DOCTOR), Error::<Test>::NotEmergencyStaff);
		assert_noop!(break_glass(STRANGER), Error::<Test>::NotEmergencyStaff);
		MockOrganisations::register(7, OrgKind::Clinic);
		MockOrganisations::add_member(7, NURSE, &[Role::Emergency]);
		MockOrganisations::deregister(7);
		assert_noop!(break_glass(NURSE), Error::<Test>::NotEmergencyStaff);

		assert_noop!(
			Consent::break_glass(
				RuntimeOrigin::signed(ER_DOCTOR),
				ER_DOCTOR,
				EmergencyReason::CareCannotWait,
				justification()
			),
			Error::<Test>::CannotBreakGlassOnSelf
		);
		assert_noop!(
			Consent::break_glass(
				RuntimeOrigin::signed(ER_DOCTOR),
				PATIENT,
				EmergencyReason::CareCannotWait,
				H256::zero()
			),
			Error::<Test>::MissingJustification
		);
		assert_ok!(break_glass(ER_DOCTOR));
		assert_noop!(break_glass(ER_DOCTOR), Error::<Test>::EmergencyAccessActive);
	});
}

#[test]
fn only_the_current_version_of_a_document_can_be_appended_to() {
	new_test_ext().execute_with(|| {
		let first = register_note(PATIENT, PATIENT, 1);
		let consent = grant(
			Grantee::Account(DOCTOR),
			ConsentScope::AllRecords,
			&[Action::Read, Action::Append],
			TREATMENT,
			None,
		);
		let append =
			|who, record| Consent::can_access(&who, record, Action::Append, Purpose::Treatment);
		assert_eq!(append(DOCTOR, first), allowed_by(consent));
		assert_ok!(amend_note(first, 2));
		// The superseded version may still be read, never amended, by anyone.
		assert_eq!(append(DOCTOR, first), denied(AccessReason::RecordNotCurrent));
		assert_eq!(append(PATIENT, first), denied(AccessReason::RecordNotCurrent));
		assert_eq!(can_read(DOCTOR, first, Purpose::Treatment), allowed_by(consent));
		assert_eq!(append(DOCTOR, first + 1), allowed_by(consent));
	});
}

#[test]
fn no_number_of_running_break_glass_accesses_keeps_another_emergency_out() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		MockOrganisations::add_member(CLINIC, NURSE, &[Role::Emergency]);
		MockOrganisations::add_member(CLINIC, STRANGER, &[Role::Emergency]);
		// More staff than any list would have held (the old cap was 2 here, 8 on the runtime).
		let colleagues: Vec<u64> = (500..520).collect();
		for colleague in &colleagues {
			MockOrganisations::add_member(HOSPITAL, *colleague, &[Role::Emergency]);
			assert_ok!(break_glass(*colleague));
		}
		assert_ok!(break_glass(ER_DOCTOR));
		assert_ok!(break_glass(NURSE));
		for reader in colleagues.iter().chain([ER_DOCTOR, NURSE].iter()) {
			assert_eq!(
				can_read(*reader, record, Purpose::Emergency).reason,
				AccessReason::BreakGlass
			);
		}
		// Each access is filed under its own patient and accessor; nobody else's is read.
		assert_eq!(
			OpenEmergencyAccesses::<Test>::get(PATIENT, NURSE).map(|open| open.organisation),
			Some(CLINIC)
		);
		assert_eq!(can_read(STRANGER, record, Purpose::Emergency).reason, AccessReason::NoConsent);
	});
}

#[test]
fn an_expired_break_glass_access_is_replaced_and_cleared_by_its_review() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		assert_ok!(break_glass(ER_DOCTOR));
		let first = OpenEmergencyAccesses::<Test>::get(PATIENT, ER_DOCTOR).map(|open| open.id);
		set_now(START + EMERGENCY_ACCESS_MS);
		assert_eq!(
			can_read(ER_DOCTOR, record, Purpose::Emergency).reason,
			AccessReason::BreakGlassExpired
		);

		// The same person breaks the glass again: the new access replaces the expired one,
		// which stays on record.
		assert_ok!(break_glass(ER_DOCTOR));
		let second = OpenEmergencyAccesses::<Test>::get(PATIENT, ER_DOCTOR).map(|open| open.id);
		assert_ne!(first, second);
		assert!(first.and_then(EmergencyAccesses::<Test>::get).is_some());
		assert_eq!(
			can_read(ER_DOCTOR, record, Purpose::Emergency).reason,
			AccessReason::BreakGlass
		);

		// Reviewing the old access leaves the running one alone.
		let review = |access| {
			Consent::review_break_glass(
				RuntimeOrigin::signed(PATIENT),
				access,
				ReviewOutcome::Justified,
			)
		};
		assert_ok!(review(first.unwrap_or_default()));
		assert_eq!(OpenEmergencyAccesses::<Test>::get(PATIENT, ER_DOCTOR).map(|o| o.id), second);
		// Reviewing a running access keeps it running.
		assert_ok!(review(second.unwrap_or_default()));
		assert_eq!(
			can_read(ER_DOCTOR, record, Purpose::Emergency).reason,
			AccessReason::BreakGlass
		);

		// A review after the access is over clears its running entry.
		MockOrganisations::add_member(CLINIC, NURSE, &[Role::Emergency]);
		assert_ok!(break_glass(NURSE));
		let nurses = OpenEmergencyAccesses::<Test>::get(PATIENT, NURSE).map(|open| open.id);
		set_now(START + 2 * EMERGENCY_ACCESS_MS);
		assert_ok!(review(nurses.unwrap_or_default()));
		assert!(!OpenEmergencyAccesses::<Test>::contains_key(PATIENT, NURSE));
		assert!(nurses
			.and_then(EmergencyAccesses::<Test>::get)
			.is_some_and(|a| a.patient_review.is_some()));
		assert_eq!(can_read(NURSE, record, Purpose::Emergency).reason, AccessReason::NoConsent);
	});
}

#[test]
fn anyone_clears_the_entry_of_an_access_reviewed_while_it_ran_once_it_has_ended() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let clear = |patient, accessor| {
			Consent::clear_ended_emergency_access(
				RuntimeOrigin::signed(STRANGER),
				patient,
				accessor,
			)
		};
		assert_noop!(clear(PATIENT, ER_DOCTOR), Error::<Test>::NoRunningEntry);
		assert_ok!(break_glass(ER_DOCTOR));
		let access = OpenEmergencyAccesses::<Test>::get(PATIENT, ER_DOCTOR).map(|open| open.id);
		assert_ok!(Consent::review_break_glass(
			RuntimeOrigin::signed(PATIENT),
			access.unwrap_or_default(),
			ReviewOutcome::Justified
		));
		// A justified review keeps the access running, and with it the entry.
		assert_noop!(clear(PATIENT, ER_DOCTOR), Error::<Test>::EmergencyAccessActive);
		set_now(START + EMERGENCY_ACCESS_MS - 1);
		assert_noop!(clear(PATIENT, ER_DOCTOR), Error::<Test>::EmergencyAccessActive);

		set_now(START + EMERGENCY_ACCESS_MS);
		assert_ok!(clear(PATIENT, ER_DOCTOR));
		assert!(!OpenEmergencyAccesses::<Test>::contains_key(PATIENT, ER_DOCTOR));
		System::assert_last_event(
			Event::EmergencyAccessEntryCleared {
				access: access.unwrap_or_default(),
				patient: PATIENT,
				accessor: ER_DOCTOR,
			}
			.into(),
		);
		// The access stays as history, its review included; it grants nothing, as before.
		assert!(access
			.and_then(EmergencyAccesses::<Test>::get)
			.is_some_and(|a| a.patient_review.is_some()));
		assert_eq!(can_read(ER_DOCTOR, record, Purpose::Emergency).reason, AccessReason::NoConsent);
		assert_noop!(clear(PATIENT, ER_DOCTOR), Error::<Test>::NoRunningEntry);
		assert_noop!(
			Consent::clear_ended_emergency_access(RuntimeOrigin::none(), PATIENT, ER_DOCTOR),
			sp_runtime::DispatchError::BadOrigin
		);

		// An ended access not reviewed yet: its entry is cleared, and the review comes later.
		MockOrganisations::add_member(CLINIC, NURSE, &[Role::Emergency]);
		assert_ok!(break_glass(NURSE));
		let nurses = OpenEmergencyAccesses::<Test>::get(PATIENT, NURSE).map(|open| open.id);
		set_now(START + 2 * EMERGENCY_ACCESS_MS);
		assert_ok!(clear(PATIENT, NURSE));
		assert_ok!(Consent::review_break_glass(
			RuntimeOrigin::signed(PATIENT),
			nurses.unwrap_or_default(),
			ReviewOutcome::Unjustified
		));
		assert!(nurses
			.and_then(EmergencyAccesses::<Test>::get)
			.is_some_and(|a| a.patient_review.is_some()));
		assert!(!OpenEmergencyAccesses::<Test>::contains_key(PATIENT, NURSE));
	});
}

#[test]
fn an_unjustified_review_ends_a_running_break_glass_access_at_once() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		MockOrganisations::add_member(CLINIC, NURSE, &[Role::Emergency]);
		assert_ok!(break_glass(ER_DOCTOR));
		assert_ok!(break_glass(NURSE));
		set_now(START + HOUR);
		assert_ok!(Consent::review_break_glass(
			RuntimeOrigin::signed(AUDITOR),
			0,
			ReviewOutcome::Unjustified
		));
		assert_eq!(can_read(ER_DOCTOR, record, Purpose::Emergency).reason, AccessReason::NoConsent);
		assert!(!OpenEmergencyAccesses::<Test>::contains_key(PATIENT, ER_DOCTOR));
		// A justified one keeps running.
		assert_ok!(Consent::review_break_glass(
			RuntimeOrigin::signed(PATIENT),
			1,
			ReviewOutcome::Justified
		));
		assert_eq!(can_read(NURSE, record, Purpose::Emergency).reason, AccessReason::BreakGlass);
	});
}

#[test]
fn the_patient_and_the_auditors_each_review_a_break_glass_access_once() {
	new_test_ext().execute_with(|| {
		let review =
			|who, outcome| Consent::review_break_glass(RuntimeOrigin::signed(who), 0, outcome);
		assert_ok!(break_glass(ER_DOCTOR));
		set_now(START + DAY);
		assert_ok!(review(PATIENT, ReviewOutcome::Justified));
		let reviews = || {
			EmergencyAccesses::<Test>::get(0)
				.map(|access| (access.audit_review, access.patient_review))
		};
		let by = |reviewer, outcome| Some(Review { reviewer, outcome, reviewed_at: START + DAY });
		assert_eq!(reviews(), Some((None, by(PATIENT, ReviewOutcome::Justified))));
		System::assert_last_event(
			Event::EmergencyAccessReviewed {
				access: 0,
				reviewer: PATIENT,
				outcome: ReviewOutcome::Justified,
			}
			.into(),
		);
		assert_noop!(review(PATIENT, ReviewOutcome::Unjustified), Error::<Test>::AlreadyReviewed);

		// The auditors judge for themselves, once for all of them.
		assert_ok!(review(AUDITOR, ReviewOutcome::Unjustified));
		assert_eq!(
			reviews(),
			Some((by(AUDITOR, ReviewOutcome::Unjustified), by(PATIENT, ReviewOutcome::Justified)))
		);
		assert_noop!(
			review(REGULATOR_AUDITOR, ReviewOutcome::Justified),
			Error::<Test>::AlreadyReviewed
		);
		assert_noop!(review(AUDITOR, ReviewOutcome::Justified), Error::<Test>::AlreadyReviewed);
	});
}

#[test]
fn a_colleagues_early_justified_review_does_not_stop_the_patient_ending_the_access() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		assert_ok!(break_glass(ER_DOCTOR));
		// The accessor's own hospital's auditor calls it justified at once.
		assert_ok!(Consent::review_break_glass(
			RuntimeOrigin::signed(AUDITOR),
			0,
			ReviewOutcome::Justified
		));
		assert_eq!(
			can_read(ER_DOCTOR, record, Purpose::Emergency).reason,
			AccessReason::BreakGlass
		);

		// The patient disagrees: the access ends at once.
		set_now(START + HOUR);
		assert_ok!(Consent::review_break_glass(
			RuntimeOrigin::signed(PATIENT),
			0,
			ReviewOutcome::Unjustified
		));
		assert_eq!(can_read(ER_DOCTOR, record, Purpose::Emergency).reason, AccessReason::NoConsent);
		assert!(!OpenEmergencyAccesses::<Test>::contains_key(PATIENT, ER_DOCTOR));
		// The history says when it really ended.
		assert_eq!(EmergencyAccesses::<Test>::get(0).map(|a| a.expires_at), Some(START + HOUR));
	});
}

#[test]
fn an_unjustified_review_after_the_access_ended_keeps_its_end() {
	new_test_ext().execute_with(|| {
		assert_ok!(break_glass(ER_DOCTOR));
		set_now(START + EMERGENCY_ACCESS_MS + HOUR);
		assert_ok!(Consent::review_break_glass(
			RuntimeOrigin::signed(PATIENT),
			0,
			ReviewOutcome::Unjustified
		));
		assert_eq!(
			EmergencyAccesses::<Test>::get(0).map(|a| a.expires_at),
			Some(START + EMERGENCY_ACCESS_MS)
		);
		assert!(!OpenEmergencyAccesses::<Test>::contains_key(PATIENT, ER_DOCTOR));
	});
}

#[test]
fn auditors_of_the_organisation_or_a_regulator_review_but_not_the_accessor() {
	new_test_ext().execute_with(|| {
		MockOrganisations::add_member(CLINIC, NURSE, &[Role::Emergency]);
		MockOrganisations::add_member(HOSPITAL, STRANGER, &[Role::Emergency, Role::Auditor]);
		assert_ok!(break_glass(ER_DOCTOR));
		assert_ok!(break_glass(NURSE));
		let review = |who, access| {
			Consent::review_break_glass(
				RuntimeOrigin::signed(who),
				access,
				ReviewOutcome::Unjustified,
			)
		};
		// An auditor of another (non-regulator) organisation, a clinician, an outsider.
		assert_noop!(review(CLINIC_AUDITOR, 0), Error::<Test>::NotReviewer);
		assert_noop!(review(DOCTOR, 0), Error::<Test>::NotReviewer);
		assert_noop!(review(GUARDIAN, 0), Error::<Test>::NotReviewer);
		assert_noop!(review(ER_DOCTOR, 0), Error::<Test>::NotReviewer);
		assert_noop!(review(PATIENT, 7), Error::<Test>::EmergencyAccessNotFound);

		assert_ok!(review(AUDITOR, 0));
		assert_ok!(review(REGULATOR_AUDITOR, 1));
		// An auditor cannot review their own break-glass access.
		set_now(START + EMERGENCY_ACCESS_MS);
		assert_ok!(break_glass(STRANGER));
		assert_noop!(review(STRANGER, 2), Error::<Test>::NotReviewer);
	});
}

// ---------------------------------------------------------------------------------------------
// read receipts
// ---------------------------------------------------------------------------------------------

#[test]
fn every_read_leaves_a_receipt_in_the_record_access_log() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		let consent = grant_doctor_treatment();
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(PATIENT),
			record,
			Purpose::Treatment
		));
		set_now(START + HOUR);
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(DOCTOR),
			record,
			Purpose::Treatment
		));
		System::assert_last_event(
			Event::RecordAccessed {
				record,
				sequence: 1,
				reader: DOCTOR,
				consent_used: Some(consent),
				basis: AccessReason::Consent,
				purpose: Purpose::Treatment,
			}
			.into(),
		);
		assert_eq!(AccessLogLength::<Test>::get(record), 2);
		assert_eq!(
			Consent::access_log(record, 0, 10),
			vec![
				(
					0,
					AccessReceipt {
						reader: PATIENT,
						consent_used: None,
						basis: AccessReason::Patient,
						purpose: Purpose::Treatment,
						at: START,
					}
				),
				(
					1,
					AccessReceipt {
						reader: DOCTOR,
						consent_used: Some(consent),
						basis: AccessReason::Consent,
						purpose: Purpose::Treatment,
						at: START + HOUR,
					}
				),
			]
		);
		// A refused read leaves nothing.
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(STRANGER), record, Purpose::Treatment),
			Error::<Test>::NoConsent
		);
	});
}

#[test]
fn the_access_log_is_paged() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		for _ in 0..150 {
			assert_ok!(Consent::record_access(
				RuntimeOrigin::signed(PATIENT),
				record,
				Purpose::Treatment
			));
		}
		let sequences = |start, count| -> Vec<u32> {
			Consent::access_log(record, start, count).into_iter().map(|(seq, _)| seq).collect()
		};
		assert_eq!(sequences(0, 3), vec![0, 1, 2]);
		assert_eq!(sequences(148, 10), vec![148, 149]);
		assert_eq!(sequences(150, 10), Vec::<u32>::new());
		assert_eq!(sequences(10, 1_000).len(), crate::MAX_ACCESS_LOG_PAGE as usize);
		assert_eq!(sequences(u32::MAX, u32::MAX), Vec::<u32>::new());
		assert!(Consent::access_log(record + 1, 0, 10).is_empty());
	});
}

#[test]
fn a_full_access_log_refuses_more_receipts() {
	new_test_ext().execute_with(|| {
		let record = register_note(PATIENT, PATIENT, 1);
		AccessLogLength::<Test>::insert(record, u32::MAX);
		assert_noop!(
			Consent::record_access(RuntimeOrigin::signed(PATIENT), record, Purpose::Treatment),
			Error::<Test>::AccessLogFull
		);
	});
}

// ---------------------------------------------------------------------------------------------
// history and privacy
// ---------------------------------------------------------------------------------------------

#[test]
fn amend_and_erase_keep_the_version_chain_and_the_audit_trail() {
	new_test_ext().execute_with(|| {
		let consent = grant_doctor_treatment();
		let first = register_note(DOCTOR, PATIENT, 1);
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(DOCTOR),
			first,
			Purpose::Treatment
		));
		assert_ok!(Records::amend(
			RuntimeOrigin::signed(DOCTOR),
			first,
			content(2),
			1,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[PATIENT]),
		));
		let second = first + 1;
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(PATIENT),
			second,
			Purpose::Treatment
		));
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), first));
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), consent));

		// The erased first version left its tombstone and its read receipt; the second version
		// still points at it; the revoked consent the receipt names is still there.
		let tombstone = Records::tombstone(first).expect("tombstone");
		assert_eq!(tombstone.superseded_by, Some(second));
		assert_eq!(Records::record(second).and_then(|r| r.replaces), Some(first));
		let receipts = Consent::access_log(first, 0, 10);
		assert_eq!(receipts.len(), 1);
		assert_eq!(receipts[0].1.reader, DOCTOR);
		assert_eq!(receipts[0].1.consent_used, Some(consent));
		assert_eq!(
			Consents::<Test>::get(consent).map(|c| (c.grantee, c.status)),
			Some((Grantee::Account(DOCTOR), ConsentStatus::Revoked))
		);
		assert_eq!(Consent::access_log(second, 0, 10).len(), 1);
	});
}

/// Every (key, value) pair of the externalities' storage.
fn all_storage() -> Vec<(Vec<u8>, Vec<u8>)> {
	let mut pairs = Vec::new();
	let mut key = Vec::new();
	while let Some(next) = sp_io::storage::next_key(&key) {
		let value = sp_io::storage::get(&next).map(|bytes| bytes.to_vec()).unwrap_or_default();
		pairs.push((next.clone(), value));
		key = next;
	}
	pairs
}

/// A toy cipher standing in for the client's AEAD: the test only needs ciphertext that does
/// not contain the plaintext.
fn encrypt(plaintext: &[u8], key: u8) -> Vec<u8> {
	plaintext.iter().enumerate().map(|(i, byte)| byte ^ key.wrapping_add(i as u8) ^ 0xa5).collect()
}

#[test]
fn no_plaintext_of_the_scenario_documents_reaches_chain_state() {
	let documents: [&[u8]; 3] = [
		b"Consult note: patient reports chest pain; ECG shows ST elevation; refer to cardiology.",
		b"Lab report: HbA1c 8.1 percent, fasting glucose 9.4 mmol/L, consistent with type 2 diabetes.",
		b"Amended consult note: troponin negative, chest pain musculoskeletal, no cardiology referral.",
	];
	let justification_text: &[u8] =
		b"Unconscious patient brought in by ambulance after a road accident.";

	new_test_ext().execute_with(|| {
		add_guardian_until(START + 30 * DAY);
		let doctor_consent = grant_doctor_treatment();
		assert_ok!(Consent::grant(
			RuntimeOrigin::signed(GUARDIAN),
			PATIENT,
			Grantee::Organisation { org: CLINIC, role: Some(Role::Clinician) },
			categories_scope(&[lab_report()]),
			actions(READ),
			purposes(&[Purpose::Treatment, Purpose::Payment]),
			None,
			Some(START + 7 * DAY),
			Some(H256(sp_io::hashing::sha2_256(b"signed consent form"))),
		));

		let mut record_ids = Vec::new();
		for (i, document) in documents.iter().enumerate().take(2) {
			let ciphertext = encrypt(document, i as u8);
			let category = if i == 0 { consult_note() } else { lab_report() };
			record_ids.push(pallet_records::NextRecordId::<Test>::get());
			assert_ok!(Records::register(
				RuntimeOrigin::signed(DOCTOR),
				PATIENT,
				category,
				H256(sp_io::hashing::sha2_256(&ciphertext)),
				ciphertext.len() as u64,
				fhir_json(),
				Purpose::Treatment,
				envelopes(&[PATIENT, DOCTOR]),
			));
		}
		let amended = encrypt(documents[2], 2);
		assert_ok!(Records::amend(
			RuntimeOrigin::signed(DOCTOR),
			record_ids[0],
			H256(sp_io::hashing::sha2_256(&amended)),
			amended.len() as u64,
			fhir_json(),
			Purpose::Treatment,
			envelopes(&[PATIENT]),
		));
		assert_ok!(Records::add_key_envelope(
			RuntimeOrigin::signed(PATIENT),
			record_ids[1],
			CLINIC_DOCTOR,
			wrapped_key(9)
		));
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(CLINIC_DOCTOR),
			record_ids[1],
			Purpose::Payment
		));
		let emergency = NextConsentId::<Test>::get();
		assert_ok!(Consent::break_glass(
			RuntimeOrigin::signed(ER_DOCTOR),
			PATIENT,
			EmergencyReason::PatientCannotBeAsked,
			H256(sp_io::hashing::sha2_256(justification_text)),
		));
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(ER_DOCTOR),
			record_ids[0],
			Purpose::Emergency
		));
		assert_ok!(Consent::review_break_glass(
			RuntimeOrigin::signed(AUDITOR),
			emergency,
			ReviewOutcome::Justified
		));
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), doctor_consent));
		assert_ok!(Records::erase(RuntimeOrigin::signed(PATIENT), record_ids[1]));

		let storage = all_storage();
		assert!(storage.len() > 20, "the scenario wrote state: {} keys", storage.len());
		// No 6-byte window of any plaintext appears in any key or value.
		for text in documents.iter().chain([&justification_text]) {
			for window in text.windows(6) {
				for (key, value) in &storage {
					assert!(
						!key.windows(6).any(|w| w == window)
							&& !value.windows(6).any(|w| w == window),
						"plaintext {:?} found in storage",
						String::from_utf8_lossy(window)
					);
				}
			}
		}
	});
}
