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
	let _ = sealers_genesis(vec![1, 1]).build_storage();
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

// ---------------------------------------------------------------------------------------------
// Organisations, members and encryption keys
// ---------------------------------------------------------------------------------------------

mod identities {
	/// `error` charged `weight`: a refused membership call pays for itself alone, not for the
	/// most the membership hooks may use.
	fn charged_alone(
		error: impl Into<sp_runtime::DispatchError>,
		weight: frame_support::weights::Weight,
	) -> frame_support::dispatch::DispatchErrorWithPostInfo {
		use frame_support::dispatch::WithPostDispatchInfo;
		error.into().with_weight(weight)
	}

	use crate::{
		benchmark_gln, is_valid_gln, mock::*, EncryptionKey, EncryptionKeys, Error, Event,
		GenesisOrganisation, Gln, HoldReason, Members, Membership, NextOrganisationId,
		Organisation, OrganisationByGln, Organisations, WeightInfo,
	};
	use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
	use medchain_primitives::health::{OrgKind, Organisations as _, Role, Roles};
	use sp_runtime::{traits::BadOrigin, BoundedVec, TokenError};

	/// A valid GLN (the GS1 EAN-13 textbook example).
	const GLN: Gln = *b"5901234123457";
	/// Another valid GLN.
	const OTHER_GLN: Gln = *b"4000001000005";

	fn roles(list: &[Role]) -> Roles {
		BoundedVec::truncate_from(list.to_vec())
	}

	fn hold_of(reason: HoldReason, who: u64) -> u64 {
		Balances::balance_on_hold(&RuntimeHoldReason::Consortium(reason), &who)
	}

	/// Registers a hospital with [`GLN`] managed by [`ADMIN`]; returns its id.
	fn register_hospital() -> u32 {
		let org = NextOrganisationId::<Test>::get();
		assert_ok!(Consortium::register_organisation(
			RuntimeOrigin::root(),
			OrgKind::Hospital,
			GLN,
			ADMIN
		));
		org
	}

	fn add(
		org: u32,
		member: u64,
		list: &[Role],
	) -> frame_support::dispatch::DispatchResultWithPostInfo {
		Consortium::add_member(RuntimeOrigin::signed(ADMIN), org, member, roles(list))
	}

	#[test]
	fn gln_check_digits_follow_gs1() {
		assert!(is_valid_gln(&GLN));
		assert!(is_valid_gln(&OTHER_GLN));
		assert!(is_valid_gln(b"0614141000012"));
		assert!(!is_valid_gln(b"5901234123450"), "wrong check digit");
		assert!(!is_valid_gln(b"5901234123475"), "two digits swapped");
		assert!(!is_valid_gln(b"59012341234a7"), "not a digit");
		assert!(!is_valid_gln(b"590123412345 "), "not a digit");
		assert!(!is_valid_gln(b"0000000000000"), "all zeros, although its check digit is valid");
		for seed in [0, 1, 42, 99_999, u32::MAX] {
			assert!(is_valid_gln(&benchmark_gln(seed)), "{seed}");
		}
		assert_ne!(benchmark_gln(1), benchmark_gln(2));
	}

	#[test]
	fn governance_registers_an_organisation() {
		new_test_ext().execute_with(|| {
			let org = register_hospital();
			assert_eq!(
				Organisations::<Test>::get(org),
				Some(Organisation { kind: OrgKind::Hospital, gln: GLN, admin: ADMIN, members: 0 })
			);
			assert_eq!(OrganisationByGln::<Test>::get(GLN), Some(org));
			assert_eq!(NextOrganisationId::<Test>::get(), org + 1);
			assert_eq!(Consortium::organisation_kind(org), Some(OrgKind::Hospital));
			System::assert_last_event(
				Event::OrganisationRegistered {
					org,
					kind: OrgKind::Hospital,
					gln: GLN,
					admin: ADMIN,
				}
				.into(),
			);
		});
	}

	#[test]
	fn registering_an_organisation_refuses_bad_requests() {
		new_test_ext().execute_with(|| {
			let register = |origin, gln| {
				Consortium::register_organisation(origin, OrgKind::Clinic, gln, ADMIN)
			};
			assert_noop!(register(RuntimeOrigin::signed(ADMIN), GLN), BadOrigin);
			assert_noop!(
				register(RuntimeOrigin::root(), *b"5901234123450"),
				Error::<Test>::InvalidGln
			);
			assert_noop!(
				register(RuntimeOrigin::root(), *b"0000000000000"),
				Error::<Test>::InvalidGln
			);
			assert_ok!(register(RuntimeOrigin::root(), GLN));
			assert_noop!(register(RuntimeOrigin::root(), GLN), Error::<Test>::GlnInUse);
			NextOrganisationId::<Test>::put(u32::MAX);
			assert_noop!(register(RuntimeOrigin::root(), OTHER_GLN), Error::<Test>::Overflow);
		});
	}

	#[test]
	fn governance_updates_an_organisation_and_its_gln_index() {
		new_test_ext().execute_with(|| {
			let org = register_hospital();
			assert_ok!(Consortium::update_organisation(
				RuntimeOrigin::root(),
				org,
				OrgKind::Clinic,
				OTHER_GLN,
				OTHER_ADMIN
			));
			assert_eq!(
				Organisations::<Test>::get(org),
				Some(Organisation {
					kind: OrgKind::Clinic,
					gln: OTHER_GLN,
					admin: OTHER_ADMIN,
					members: 0
				})
			);
			assert_eq!(OrganisationByGln::<Test>::get(OTHER_GLN), Some(org));
			assert_eq!(OrganisationByGln::<Test>::get(GLN), None);
			System::assert_last_event(
				Event::OrganisationUpdated {
					org,
					kind: OrgKind::Clinic,
					gln: OTHER_GLN,
					admin: OTHER_ADMIN,
				}
				.into(),
			);
			// Keeping the same GLN is fine; the old one is free for others.
			assert_ok!(Consortium::update_organisation(
				RuntimeOrigin::root(),
				org,
				OrgKind::Hospital,
				OTHER_GLN,
				ADMIN
			));
			assert_ok!(Consortium::register_organisation(
				RuntimeOrigin::root(),
				OrgKind::Laboratory,
				GLN,
				OTHER_ADMIN
			));
		});
	}

	#[test]
	fn updating_an_organisation_refuses_bad_requests() {
		new_test_ext().execute_with(|| {
			let org = register_hospital();
			assert_ok!(Consortium::register_organisation(
				RuntimeOrigin::root(),
				OrgKind::Pharmacy,
				OTHER_GLN,
				OTHER_ADMIN
			));
			let update = |origin, org, gln| {
				Consortium::update_organisation(origin, org, OrgKind::Hospital, gln, ADMIN)
			};
			assert_noop!(update(RuntimeOrigin::signed(ADMIN), org, GLN), BadOrigin);
			assert_noop!(update(RuntimeOrigin::root(), 9, GLN), Error::<Test>::UnknownOrganisation);
			assert_noop!(
				update(RuntimeOrigin::root(), org, *b"0000000000001"),
				Error::<Test>::InvalidGln
			);
			assert_noop!(update(RuntimeOrigin::root(), org, OTHER_GLN), Error::<Test>::GlnInUse);
		});
	}

	#[test]
	fn the_admin_adds_members_with_roles_and_pays_the_deposit() {
		new_test_ext().execute_with(|| {
			let org = register_hospital();
			// Roles given out of order are stored sorted.
			let added =
				add(org, ALICE, &[Role::Emergency, Role::Clinician]).expect("the admin may");
			// The hooks are told, so the envelopes Alice holds are listed under the hospital;
			// charged for what they used, not for their most.
			assert_eq!(RecordingMembershipHooks::changed(), vec![ALICE]);
			assert_eq!(
				added.actual_weight,
				Some(<() as WeightInfo>::add_member() + RecordingMembershipHooks::USED)
			);
			assert_eq!(
				Members::<Test>::get(ALICE),
				Some(Membership {
					org,
					roles: roles(&[Role::Clinician, Role::Emergency]),
					deposit: crate::Deposit { depositor: ADMIN, amount: MemberDeposit::get() },
				})
			);
			assert_eq!(Organisations::<Test>::get(org).map(|o| o.members), Some(1));
			assert_eq!(hold_of(HoldReason::MemberDeposit, ADMIN), MemberDeposit::get());
			assert_eq!(hold_of(HoldReason::MemberDeposit, ALICE), 0);
			System::assert_last_event(
				Event::MemberAdded {
					org,
					member: ALICE,
					roles: roles(&[Role::Clinician, Role::Emergency]),
				}
				.into(),
			);

			assert_eq!(Consortium::organisation_of(&ALICE), Some(org));
			assert!(Consortium::has_role(org, &ALICE, Role::Emergency));
			assert!(Consortium::has_role(org, &ALICE, Role::Clinician));
			assert!(!Consortium::has_role(org, &ALICE, Role::Auditor));
			assert!(!Consortium::has_role(org + 1, &ALICE, Role::Clinician));
			assert_eq!(Consortium::organisation_of(&BOB), None);
		});
	}

	#[test]
	fn adding_a_member_refuses_bad_requests() {
		new_test_ext().execute_with(|| {
			let org = register_hospital();
			assert_ok!(Consortium::register_organisation(
				RuntimeOrigin::root(),
				OrgKind::Clinic,
				OTHER_GLN,
				OTHER_ADMIN
			));
			assert_noop!(
				add(org + 5, ALICE, &[Role::Clinician]),
				charged_alone(Error::<Test>::UnknownOrganisation, <() as WeightInfo>::add_member())
			);
			assert_noop!(
				Consortium::add_member(
					RuntimeOrigin::signed(OTHER_ADMIN),
					org,
					ALICE,
					roles(&[Role::Clinician])
				),
				charged_alone(Error::<Test>::NotAdmin, <() as WeightInfo>::add_member())
			);
			assert_noop!(
				add(org, ALICE, &[]),
				charged_alone(Error::<Test>::NoRoles, <() as WeightInfo>::add_member())
			);
			assert_noop!(
				add(org, ALICE, &[Role::Nurse, Role::Nurse]),
				charged_alone(Error::<Test>::DuplicateRole, <() as WeightInfo>::add_member())
			);
			assert_ok!(add(org, ALICE, &[Role::Clinician]));
			assert_noop!(
				add(org, ALICE, &[Role::Nurse]),
				charged_alone(Error::<Test>::AlreadyMember, <() as WeightInfo>::add_member())
			);
			// One organisation per account.
			assert_noop!(
				Consortium::add_member(
					RuntimeOrigin::signed(OTHER_ADMIN),
					org + 1,
					ALICE,
					roles(&[Role::Pharmacist])
				),
				charged_alone(Error::<Test>::AlreadyMember, <() as WeightInfo>::add_member())
			);
			assert_ok!(add(org, BOB, &[Role::Nurse]));
			assert_ok!(add(org, CAROL, &[Role::Auditor]));
			assert_noop!(
				add(org, DAVE, &[Role::Nurse]),
				charged_alone(Error::<Test>::TooManyMembers, <() as WeightInfo>::add_member())
			);
			assert_noop!(
				add(org, DAVE, &[Role::Nurse]),
				charged_alone(Error::<Test>::TooManyMembers, <() as WeightInfo>::add_member())
			);
			assert_noop!(
				Consortium::add_member(RuntimeOrigin::none(), org, DAVE, roles(&[Role::Nurse])),
				charged_alone(BadOrigin, <() as WeightInfo>::add_member())
			);
		});
	}

	#[test]
	fn an_admin_without_funds_cannot_add_members() {
		new_test_ext().execute_with(|| {
			assert_ok!(Consortium::register_organisation(
				RuntimeOrigin::root(),
				OrgKind::Clinic,
				GLN,
				PAUPER
			));
			assert_noop!(
				Consortium::add_member(
					RuntimeOrigin::signed(PAUPER),
					0,
					ALICE,
					roles(&[Role::Nurse])
				),
				charged_alone(TokenError::FundsUnavailable, <() as WeightInfo>::add_member())
			);
		});
	}

	#[test]
	fn the_admin_changes_a_member_roles() {
		new_test_ext().execute_with(|| {
			let org = register_hospital();
			assert_ok!(add(org, ALICE, &[Role::Clinician]));
			assert_ok!(Consortium::set_member_roles(
				RuntimeOrigin::signed(ADMIN),
				org,
				ALICE,
				roles(&[Role::Auditor, Role::Clinician])
			));
			assert!(Consortium::has_role(org, &ALICE, Role::Auditor));
			System::assert_last_event(
				Event::MemberRolesChanged {
					org,
					member: ALICE,
					roles: roles(&[Role::Clinician, Role::Auditor]),
				}
				.into(),
			);
			// Joining was told to the membership hooks; gaining a role takes nothing away, so
			// it is not, and is charged for the call alone.
			assert_eq!(RecordingMembershipHooks::changed(), vec![ALICE]);
			let set = |who, org, member, list: &[Role]| {
				Consortium::set_member_roles(RuntimeOrigin::signed(who), org, member, roles(list))
			};
			let gained_emergency =
				set(ADMIN, org, ALICE, &[Role::Auditor, Role::Clinician, Role::Emergency])
					.expect("the admin may");
			assert_eq!(
				gained_emergency.actual_weight,
				Some(<() as WeightInfo>::set_member_roles())
			);
			assert_eq!(RecordingMembershipHooks::changed(), vec![ALICE]);
			// Losing one is told, and charged for what the hooks used, not for their most.
			let lost_clinician = set(ADMIN, org, ALICE, &[Role::Auditor]).expect("the admin may");
			assert!(!Consortium::has_role(org, &ALICE, Role::Clinician));
			assert_eq!(RecordingMembershipHooks::changed(), vec![ALICE, ALICE]);
			assert_eq!(
				lost_clinician.actual_weight,
				Some(<() as WeightInfo>::set_member_roles() + RecordingMembershipHooks::USED)
			);
			assert_noop!(
				set(ALICE, org, ALICE, &[Role::Emergency]),
				charged_alone(Error::<Test>::NotAdmin, <() as WeightInfo>::set_member_roles())
			);
			assert_noop!(
				set(ADMIN, org + 1, ALICE, &[Role::Nurse]),
				charged_alone(
					Error::<Test>::UnknownOrganisation,
					<() as WeightInfo>::set_member_roles()
				)
			);
			assert_noop!(
				set(ADMIN, org, BOB, &[Role::Nurse]),
				charged_alone(Error::<Test>::NotMember, <() as WeightInfo>::set_member_roles())
			);
			assert_noop!(
				set(ADMIN, org, ALICE, &[]),
				charged_alone(Error::<Test>::NoRoles, <() as WeightInfo>::set_member_roles())
			);
			assert_noop!(
				set(ADMIN, org, ALICE, &[Role::Nurse, Role::Nurse]),
				charged_alone(Error::<Test>::DuplicateRole, <() as WeightInfo>::set_member_roles())
			);
			// A member of another organisation is not this admin's to change.
			assert_ok!(Consortium::register_organisation(
				RuntimeOrigin::root(),
				OrgKind::Clinic,
				OTHER_GLN,
				ADMIN
			));
			assert_noop!(
				set(ADMIN, org + 1, ALICE, &[Role::Nurse]),
				charged_alone(Error::<Test>::NotMember, <() as WeightInfo>::set_member_roles())
			);
		});
	}

	#[test]
	fn the_admin_governance_or_the_member_removes_a_member() {
		new_test_ext().execute_with(|| {
			let org = register_hospital();
			assert_ok!(add(org, ALICE, &[Role::Clinician]));
			assert_ok!(add(org, BOB, &[Role::Clinician]));
			assert_ok!(add(org, CAROL, &[Role::Clinician]));
			assert_noop!(
				Consortium::remove_member(RuntimeOrigin::signed(BOB), org, ALICE),
				charged_alone(
					Error::<Test>::CannotRemoveMember,
					<() as WeightInfo>::remove_member()
				)
			);
			assert_noop!(
				Consortium::remove_member(RuntimeOrigin::signed(ADMIN), org, DAVE),
				charged_alone(Error::<Test>::NotMember, <() as WeightInfo>::remove_member())
			);
			assert_noop!(
				Consortium::remove_member(RuntimeOrigin::signed(ADMIN), org + 1, ALICE),
				charged_alone(Error::<Test>::NotMember, <() as WeightInfo>::remove_member())
			);
			assert_noop!(
				Consortium::remove_member(RuntimeOrigin::none(), org, ALICE),
				charged_alone(BadOrigin, <() as WeightInfo>::remove_member())
			);
			// Each member who joined was told to the hooks; a refused removal tells nothing.
			assert_eq!(RecordingMembershipHooks::changed(), vec![ALICE, BOB, CAROL]);

			let removed = Consortium::remove_member(RuntimeOrigin::signed(ADMIN), org, ALICE)
				.expect("the admin may");
			System::assert_last_event(Event::MemberRemoved { org, member: ALICE }.into());
			assert_eq!(
				removed.actual_weight,
				Some(<() as WeightInfo>::remove_member() + RecordingMembershipHooks::USED)
			);
			assert_ok!(Consortium::remove_member(RuntimeOrigin::signed(BOB), org, BOB));
			assert_ok!(Consortium::remove_member(RuntimeOrigin::root(), org, CAROL));
			// Each member who left is told to the hooks, so access through the hospital ends.
			assert_eq!(
				RecordingMembershipHooks::changed(),
				vec![ALICE, BOB, CAROL, ALICE, BOB, CAROL]
			);
			assert_eq!(Members::<Test>::get(ALICE), None);
			assert_eq!(Consortium::organisation_of(&BOB), None);
			assert_eq!(Organisations::<Test>::get(org).map(|o| o.members), Some(0));
			assert_eq!(hold_of(HoldReason::MemberDeposit, ADMIN), 0);
			assert_eq!(Balances::free_balance(ADMIN), ENDOWMENT);
			// The freed places can be filled again.
			assert_ok!(add(org, DAVE, &[Role::Nurse]));
		});
	}

	#[test]
	fn a_member_deposit_returns_to_the_admin_who_paid_it() {
		new_test_ext().execute_with(|| {
			let org = register_hospital();
			assert_ok!(add(org, ALICE, &[Role::Clinician]));
			assert_ok!(Consortium::update_organisation(
				RuntimeOrigin::root(),
				org,
				OrgKind::Hospital,
				GLN,
				OTHER_ADMIN
			));
			assert_ok!(Consortium::remove_member(RuntimeOrigin::signed(OTHER_ADMIN), org, ALICE));
			assert_eq!(hold_of(HoldReason::MemberDeposit, ADMIN), 0);
			assert_eq!(Balances::free_balance(ADMIN), ENDOWMENT);
		});
	}

	#[test]
	fn deregistering_an_organisation_ends_its_members_roles_at_once() {
		new_test_ext().execute_with(|| {
			let org = register_hospital();
			assert_ok!(add(org, ALICE, &[Role::Emergency]));
			assert_noop!(
				Consortium::deregister_organisation(RuntimeOrigin::signed(ADMIN), org),
				BadOrigin
			);
			assert_ok!(Consortium::deregister_organisation(RuntimeOrigin::root(), org));
			System::assert_last_event(Event::OrganisationDeregistered { org }.into());
			assert_eq!(Organisations::<Test>::get(org), None);
			assert_eq!(OrganisationByGln::<Test>::get(GLN), None);
			assert_eq!(Consortium::organisation_kind(org), None);
			assert_eq!(Consortium::organisation_of(&ALICE), None);
			assert!(!Consortium::has_role(org, &ALICE, Role::Emergency));
			assert_noop!(
				Consortium::deregister_organisation(RuntimeOrigin::root(), org),
				Error::<Test>::UnknownOrganisation
			);
			// Its admin no longer manages anything.
			assert_noop!(
				add(org, BOB, &[Role::Nurse]),
				charged_alone(Error::<Test>::UnknownOrganisation, <() as WeightInfo>::add_member())
			);

			// Anyone may clean up the orphaned member; the admin gets the deposit back.
			assert_ok!(Consortium::remove_member(RuntimeOrigin::signed(DAVE), org, ALICE));
			assert_eq!(hold_of(HoldReason::MemberDeposit, ADMIN), 0);
			// The id is not reused; the GLN is.
			let again = register_hospital();
			assert_ne!(again, org);
			assert_ok!(add(again, ALICE, &[Role::Clinician]));
		});
	}

	#[test]
	fn any_account_publishes_rotates_and_removes_an_encryption_key() {
		new_test_ext().execute_with(|| {
			assert_eq!(Consortium::encryption_key(&ALICE), None);
			assert_ok!(Consortium::publish_encryption_key(RuntimeOrigin::signed(ALICE), [7; 32]));
			assert_eq!(Consortium::encryption_key(&ALICE), Some([7; 32]));
			assert_eq!(
				EncryptionKeys::<Test>::get(ALICE),
				Some(EncryptionKey { key: [7; 32], deposit: EncryptionKeyDeposit::get() })
			);
			assert_eq!(
				hold_of(HoldReason::EncryptionKeyDeposit, ALICE),
				EncryptionKeyDeposit::get()
			);
			System::assert_last_event(
				Event::EncryptionKeyPublished { who: ALICE, key: [7; 32] }.into(),
			);

			// Rotating keeps the one deposit.
			assert_ok!(Consortium::publish_encryption_key(RuntimeOrigin::signed(ALICE), [8; 32]));
			assert_eq!(Consortium::encryption_key(&ALICE), Some([8; 32]));
			assert_eq!(
				hold_of(HoldReason::EncryptionKeyDeposit, ALICE),
				EncryptionKeyDeposit::get()
			);

			assert_ok!(Consortium::remove_encryption_key(RuntimeOrigin::signed(ALICE)));
			assert_eq!(Consortium::encryption_key(&ALICE), None);
			assert_eq!(hold_of(HoldReason::EncryptionKeyDeposit, ALICE), 0);
			assert_eq!(Balances::free_balance(ALICE), ENDOWMENT);
			System::assert_last_event(Event::EncryptionKeyRemoved { who: ALICE }.into());
		});
	}

	#[test]
	fn encryption_key_calls_refuse_bad_requests() {
		new_test_ext().execute_with(|| {
			// Keys of small order: every shared secret with them is zero.
			let order_eight = [
				0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83,
				0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd,
				0xd0, 0x9f, 0x11, 0x57,
			];
			let mut one = [0u8; 32];
			one[0] = 1;
			let mut p_plus_one = [0xff; 32];
			p_plus_one[0] = 0xee;
			p_plus_one[31] = 0x7f;
			let mut with_top_bit = one;
			with_top_bit[31] = 0x80;
			for key in [[0; 32], one, order_eight, p_plus_one, with_top_bit] {
				assert_noop!(
					Consortium::publish_encryption_key(RuntimeOrigin::signed(ALICE), key),
					Error::<Test>::InvalidEncryptionKey
				);
			}
			// The base point's u-coordinate, 9, is an ordinary key.
			let mut nine = [0u8; 32];
			nine[0] = 9;
			assert_ok!(Consortium::publish_encryption_key(RuntimeOrigin::signed(BOB), nine));
			assert_noop!(
				Consortium::publish_encryption_key(RuntimeOrigin::signed(PAUPER), [1; 32]),
				TokenError::FundsUnavailable
			);
			assert_noop!(
				Consortium::publish_encryption_key(RuntimeOrigin::root(), [1; 32]),
				BadOrigin
			);
			assert_noop!(
				Consortium::remove_encryption_key(RuntimeOrigin::signed(ALICE)),
				Error::<Test>::NoEncryptionKey
			);
		});
	}

	fn founding(
		kind: OrgKind,
		gln: &str,
		admin: u64,
		members: &[(u64, &[Role])],
	) -> GenesisOrganisation<u64> {
		GenesisOrganisation {
			kind,
			gln: gln.into(),
			admin,
			members: members.iter().map(|(who, list)| (*who, list.to_vec())).collect(),
			company_prefixes: vec![],
		}
	}

	#[test]
	fn genesis_founds_organisations_with_members_and_their_deposits() {
		ext_with_organisations(vec![
			founding(
				OrgKind::Hospital,
				"5901234123457",
				ADMIN,
				&[(ALICE, &[Role::Emergency, Role::Clinician]), (BOB, &[Role::Auditor])],
			),
			founding(OrgKind::Pharmacy, "4000001000005", OTHER_ADMIN, &[]),
		])
		.execute_with(|| {
			assert_eq!(
				Organisations::<Test>::get(0),
				Some(Organisation { kind: OrgKind::Hospital, gln: GLN, admin: ADMIN, members: 2 })
			);
			assert_eq!(
				Organisations::<Test>::get(1),
				Some(Organisation {
					kind: OrgKind::Pharmacy,
					gln: OTHER_GLN,
					admin: OTHER_ADMIN,
					members: 0
				})
			);
			assert_eq!(OrganisationByGln::<Test>::get(GLN), Some(0));
			assert_eq!(OrganisationByGln::<Test>::get(OTHER_GLN), Some(1));
			assert_eq!(NextOrganisationId::<Test>::get(), 2);
			let alice = Members::<Test>::get(ALICE).expect("Alice was founded a member");
			assert_eq!((alice.org, alice.roles), (0, roles(&[Role::Clinician, Role::Emergency])));
			assert_eq!(Consortium::organisation_of(&BOB), Some(0));
			assert!(Consortium::has_role(0, &ALICE, Role::Emergency));
			assert_eq!(hold_of(HoldReason::MemberDeposit, ADMIN), 2 * MemberDeposit::get());

			// The founders' members are ordinary members: the admin removes one and gets that
			// deposit back, and the next organisation registered gets the next id.
			assert_ok!(Consortium::remove_member(RuntimeOrigin::signed(ADMIN), 0, BOB));
			assert_eq!(hold_of(HoldReason::MemberDeposit, ADMIN), MemberDeposit::get());
			assert_ok!(Consortium::register_organisation(
				RuntimeOrigin::root(),
				OrgKind::Laboratory,
				*b"0614141000012",
				DAVE
			));
			assert!(Organisations::<Test>::contains_key(2));
		});
	}

	#[test]
	#[should_panic(expected = "InvalidGln")]
	fn genesis_refuses_a_gln_with_a_wrong_check_digit() {
		let _ =
			ext_with_organisations(vec![founding(OrgKind::Hospital, "5901234123450", ADMIN, &[])]);
	}

	#[test]
	#[should_panic(expected = "is not 13 digits")]
	fn genesis_refuses_a_gln_of_the_wrong_length() {
		let _ =
			ext_with_organisations(vec![founding(OrgKind::Hospital, "590123412345", ADMIN, &[])]);
	}

	#[test]
	#[should_panic(expected = "GlnInUse")]
	fn genesis_refuses_two_organisations_with_one_gln() {
		let _ = ext_with_organisations(vec![
			founding(OrgKind::Hospital, "5901234123457", ADMIN, &[]),
			founding(OrgKind::Clinic, "5901234123457", OTHER_ADMIN, &[]),
		]);
	}

	#[test]
	#[should_panic(expected = "AlreadyMember")]
	fn genesis_refuses_an_account_in_two_organisations() {
		let _ = ext_with_organisations(vec![
			founding(OrgKind::Hospital, "5901234123457", ADMIN, &[(ALICE, &[Role::Clinician])]),
			founding(OrgKind::Clinic, "4000001000005", OTHER_ADMIN, &[(ALICE, &[Role::Nurse])]),
		]);
	}

	#[test]
	#[should_panic(expected = "NoRoles")]
	fn genesis_refuses_a_member_without_roles() {
		let _ = ext_with_organisations(vec![founding(
			OrgKind::Hospital,
			"5901234123457",
			ADMIN,
			&[(ALICE, &[])],
		)]);
	}

	#[test]
	#[should_panic(expected = "cannot be added")]
	fn genesis_refuses_members_the_admin_cannot_pay_for() {
		let _ = ext_with_organisations(vec![founding(
			OrgKind::Hospital,
			"5901234123457",
			PAUPER,
			&[(ALICE, &[Role::Clinician])],
		)]);
	}

	#[test]
	fn a_founding_organisation_reads_from_chain_spec_json() {
		let json = r#"{"kind": "Hospital", "gln": "5901234123457", "admin": 20,
			"members": [[30, ["Clinician", "Emergency"]]]}"#;
		let parsed: GenesisOrganisation<u64> =
			serde_json::from_str(json).expect("the documented shape parses");
		assert_eq!(
			parsed,
			founding(
				OrgKind::Hospital,
				"5901234123457",
				ADMIN,
				&[(ALICE, &[Role::Clinician, Role::Emergency])]
			)
		);
		assert!(serde_json::from_str::<GenesisOrganisation<u64>>(
			r#"{"kind": "Hospital", "gln": "5901234123457", "admin": 20, "members": [], "extra": 1}"#
		)
		.is_err());
	}
}

/// GS1 Company Prefixes: governance assigns and revokes them; a GTIN is its prefix holder's.
mod company_prefixes {
	use crate::{
		mock::*, CompanyPrefix, CompanyPrefixHolders, CompanyPrefixesOf, Error, Event,
		GenesisOrganisation, NextOrganisationId, WeightInfo,
	};
	use frame_support::{assert_noop, assert_ok, dispatch::PostDispatchInfo};
	use medchain_primitives::{
		gs1::Gtin,
		health::{OrgKind, Organisations as _},
	};
	use sp_runtime::{traits::BadOrigin, BuildStorage};

	/// A GTIN-14 under the company prefix `0614141` (GS1's textbook company).
	const GTIN: Gtin = *b"10614141000019";

	fn prefix(digits: &str) -> CompanyPrefix {
		CompanyPrefix::truncate_from(digits.as_bytes().to_vec())
	}

	/// Registers a manufacturer with the GLN `gln`; returns its id.
	fn manufacturer(gln: &[u8; 13]) -> u32 {
		let org = NextOrganisationId::<Test>::get();
		assert_ok!(Consortium::register_organisation(
			RuntimeOrigin::root(),
			OrgKind::Manufacturer,
			*gln,
			ADMIN
		));
		org
	}

	fn assign(org: u32, digits: &str) -> frame_support::dispatch::DispatchResult {
		Consortium::assign_company_prefix(RuntimeOrigin::root(), org, prefix(digits))
	}

	#[test]
	fn governance_assigns_a_prefix_and_its_gtins_become_the_holders() {
		new_test_ext().execute_with(|| {
			let maker = manufacturer(b"0614141000012");
			assert_eq!(Consortium::gtin_prefix_holder(&GTIN), None);
			assert_ok!(assign(maker, "0614141"));
			System::assert_last_event(
				Event::CompanyPrefixAssigned { org: maker, prefix: prefix("0614141") }.into(),
			);
			assert_eq!(CompanyPrefixHolders::<Test>::get(prefix("0614141")), Some(maker));
			assert_eq!(CompanyPrefixesOf::<Test>::get(maker).into_inner(), vec![prefix("0614141")]);
			assert_eq!(Consortium::gtin_prefix_holder(&GTIN), Some(maker));
			// The indicator digit is not part of the prefix; another company's GTIN is nobody's.
			assert_eq!(Consortium::gtin_prefix_holder(b"00614141000012"), Some(maker));
			assert_eq!(Consortium::gtin_prefix_holder(b"10614142000018"), None);
		});
	}

	#[test]
	fn only_governance_assigns_and_revokes_prefixes() {
		new_test_ext().execute_with(|| {
			let maker = manufacturer(b"0614141000012");
			assert_noop!(
				Consortium::assign_company_prefix(
					RuntimeOrigin::signed(ADMIN),
					maker,
					prefix("0614141")
				),
				BadOrigin
			);
			assert_ok!(assign(maker, "0614141"));
			assert_noop!(
				Consortium::revoke_company_prefix(RuntimeOrigin::signed(ADMIN), prefix("0614141")),
				BadOrigin
			);
		});
	}

	#[test]
	fn a_prefix_must_be_4_to_12_digits_for_a_registered_organisation() {
		new_test_ext().execute_with(|| {
			let maker = manufacturer(b"0614141000012");
			// Thirteen digits cannot even be encoded as a prefix. Restricted circulation
			// numbers and padded GTIN-8s are no company's.
			for bad in ["061", "06141A1", "0614 41", "", "2001234", "0412345", "0000"] {
				assert_noop!(assign(maker, bad), Error::<Test>::InvalidCompanyPrefix);
			}
			assert_noop!(assign(maker + 1, "0614141"), Error::<Test>::UnknownOrganisation);
			let hospital = NextOrganisationId::<Test>::get();
			assert_ok!(Consortium::register_organisation(
				RuntimeOrigin::root(),
				OrgKind::Hospital,
				*b"5901234123457",
				ADMIN
			));
			// Any kind of organisation may hold one: a hospital numbers its own logistic units.
			assert_ok!(assign(hospital, "0614142"));
			assert_eq!(Consortium::sscc_prefix_holder(b"306141420000000012"), Some(hospital));
			// A GTIN-8 is held alone, as `00000` and its first seven digits.
			assert_noop!(assign(maker, "00000950"), Error::<Test>::InvalidCompanyPrefix);
			assert_ok!(assign(maker, "000009501234"));
			assert_eq!(Consortium::gtin_prefix_holder(b"00000095012346"), Some(maker));
		});
	}

	#[test]
	fn a_prefix_has_one_holder_and_none_begins_with_anothers() {
		new_test_ext().execute_with(|| {
			let maker = manufacturer(b"0614141000012");
			let rival = manufacturer(b"5901234123457");
			assert_ok!(assign(maker, "0614141"));
			assert_noop!(assign(rival, "0614141"), Error::<Test>::CompanyPrefixHeld);
			assert_noop!(assign(maker, "0614141"), Error::<Test>::CompanyPrefixHeld);
			// A longer prefix inside the maker's would take some of its GTINs.
			assert_noop!(assign(rival, "06141410"), Error::<Test>::CompanyPrefixOverlaps);
			assert_noop!(assign(rival, "061414100001"), Error::<Test>::CompanyPrefixOverlaps);
		});
	}

	#[test]
	fn a_shorter_prefix_over_a_held_longer_one_is_refused_until_that_is_freed() {
		new_test_ext().execute_with(|| {
			let maker = manufacturer(b"0614141000012");
			let rival = manufacturer(b"5901234123457");
			assert_ok!(assign(maker, "06141410000"));
			// Siblings that share digits, neither beginning with the other, do not overlap.
			assert_ok!(assign(maker, "0614141999"));
			// A shorter prefix would take GTINs of the longer ones, whoever asks.
			assert_noop!(assign(rival, "0614141"), Error::<Test>::CompanyPrefixOverlaps);
			assert_noop!(assign(maker, "0614"), Error::<Test>::CompanyPrefixOverlaps);
			// One freed, the other still overlaps.
			assert_ok!(Consortium::revoke_company_prefix(
				RuntimeOrigin::root(),
				prefix("06141410000")
			));
			assert_noop!(assign(rival, "0614141"), Error::<Test>::CompanyPrefixOverlaps);
			assert_ok!(Consortium::revoke_company_prefix(
				RuntimeOrigin::root(),
				prefix("0614141999")
			));
			// Both longer ones gone: nothing is left counted under the shorter runs.
			assert_eq!(crate::CompanyPrefixExtensions::<Test>::iter().count(), 0);
			assert_ok!(assign(rival, "0614141"));
			assert_eq!(Consortium::gtin_prefix_holder(&GTIN), Some(rival));
		});
	}

	#[test]
	fn an_organisation_holds_at_most_max_company_prefixes() {
		new_test_ext().execute_with(|| {
			let maker = manufacturer(b"0614141000012");
			assert_ok!(assign(maker, "0614141"));
			assert_ok!(assign(maker, "0614142"));
			assert_noop!(assign(maker, "0614143"), Error::<Test>::TooManyCompanyPrefixes);
		});
	}

	#[test]
	fn governance_revokes_a_prefix_and_says_so() {
		new_test_ext().execute_with(|| {
			let maker = manufacturer(b"0614141000012");
			assert_ok!(assign(maker, "0614141"));
			assert_ok!(assign(maker, "0614142"));
			assert_ok!(Consortium::revoke_company_prefix(RuntimeOrigin::root(), prefix("0614141")));
			System::assert_last_event(
				Event::CompanyPrefixRevoked { org: maker, prefix: prefix("0614141") }.into(),
			);
			assert_eq!(CompanyPrefixHolders::<Test>::get(prefix("0614141")), None);
			assert_eq!(CompanyPrefixesOf::<Test>::get(maker).into_inner(), vec![prefix("0614142")]);
			assert_eq!(Consortium::gtin_prefix_holder(&GTIN), None);
			assert_noop!(
				Consortium::revoke_company_prefix(RuntimeOrigin::root(), prefix("0614141")),
				Error::<Test>::UnknownCompanyPrefix
			);
			// Its place is free again.
			assert_ok!(assign(maker, "0614143"));
			// Revoking an organisation's last prefixes leaves no empty entry behind.
			for held in ["0614142", "0614143"] {
				assert_ok!(Consortium::revoke_company_prefix(RuntimeOrigin::root(), prefix(held)));
			}
			assert!(!CompanyPrefixesOf::<Test>::contains_key(maker));
		});
	}

	#[test]
	fn an_organisation_keeps_its_prefixes_when_its_kind_changes() {
		new_test_ext().execute_with(|| {
			let maker = manufacturer(b"0614141000012");
			assert_ok!(assign(maker, "0614141"));
			assert_ok!(Consortium::update_organisation(
				RuntimeOrigin::root(),
				maker,
				OrgKind::Wholesaler,
				*b"0614141000012",
				ADMIN,
			));
			assert_eq!(Consortium::organisation_kind(maker), Some(OrgKind::Wholesaler));
			// Its GTINs and SSCCs are still its own (the supply chain lets only a manufacturer
			// register products).
			assert_eq!(Consortium::gtin_prefix_holder(b"10614141000019"), Some(maker));
			assert_eq!(Consortium::sscc_prefix_holder(b"306141410000000013"), Some(maker));
		});
	}

	#[test]
	fn an_sscc_is_held_by_the_holder_of_its_prefix_only() {
		new_test_ext().execute_with(|| {
			let maker = manufacturer(b"0614141000012");
			let rival = manufacturer(b"5901234123457");
			assert_ok!(assign(maker, "0614141"));
			assert_ok!(assign(rival, "061414299"));
			// After the extension digit: `3` + `0614141…`.
			assert_eq!(Consortium::sscc_prefix_holder(b"306141410000000013"), Some(maker));
			assert_eq!(Consortium::sscc_prefix_holder(b"306141429900000016"), Some(rival));
			// Under no held prefix.
			assert_eq!(Consortium::sscc_prefix_holder(b"306141430000000011"), None);
			// Never from the extension digit on: `0614141` read at the start is not it.
			assert_eq!(Consortium::sscc_prefix_holder(b"061414100000000014"), None);
			// A deregistered organisation's prefixes are freed.
			assert_ok!(Consortium::deregister_organisation(RuntimeOrigin::root(), maker));
			assert_eq!(Consortium::sscc_prefix_holder(b"306141410000000013"), None);
		});
	}

	#[test]
	fn deregistering_frees_the_organisations_prefixes_and_refunds_unused_weight() {
		new_test_ext().execute_with(|| {
			let maker = manufacturer(b"0614141000012");
			let rival = manufacturer(b"5901234123457");
			assert_ok!(assign(maker, "0614141"));
			let charged = Consortium::deregister_organisation(RuntimeOrigin::root(), maker);
			assert_eq!(
				charged,
				Ok(PostDispatchInfo {
					actual_weight: Some(<() as WeightInfo>::deregister_organisation(1)),
					pays_fee: frame_support::dispatch::Pays::Yes,
				})
			);
			System::assert_has_event(
				Event::CompanyPrefixRevoked { org: maker, prefix: prefix("0614141") }.into(),
			);
			assert!(CompanyPrefixesOf::<Test>::get(maker).is_empty());
			assert_eq!(Consortium::gtin_prefix_holder(&GTIN), None);
			// A company that takes over the licence can be given it.
			assert_ok!(assign(rival, "0614141"));
			assert_eq!(Consortium::gtin_prefix_holder(&GTIN), Some(rival));
		});
	}

	fn founding_manufacturer(prefixes: &[&str]) -> GenesisOrganisation<u64> {
		GenesisOrganisation {
			kind: OrgKind::Manufacturer,
			gln: "0614141000012".into(),
			admin: ADMIN,
			members: vec![],
			company_prefixes: prefixes.iter().map(|digits| digits.to_string()).collect(),
		}
	}

	#[test]
	fn genesis_assigns_founding_prefixes() {
		ext_with_organisations(vec![founding_manufacturer(&["0614141"])]).execute_with(|| {
			assert_eq!(Consortium::gtin_prefix_holder(&GTIN), Some(0));
		});
	}

	#[test]
	#[should_panic(expected = "InvalidCompanyPrefix")]
	fn genesis_refuses_a_malformed_prefix() {
		let _ = ext_with_organisations(vec![founding_manufacturer(&["06141410000123"])]);
	}

	#[test]
	#[should_panic(expected = "CompanyPrefixOverlaps")]
	fn genesis_refuses_overlapping_prefixes() {
		let _ = ext_with_organisations(vec![founding_manufacturer(&["0614141", "06141411"])]);
	}

	#[test]
	fn a_spec_names_prefixes_in_camel_case() {
		let config: GenesisOrganisation<u64> = serde_json::from_str(
			r#"{"kind": "Manufacturer", "gln": "0614141000012", "admin": 20, "members": [],
			"companyPrefixes": ["0614141"]}"#,
		)
		.expect("a spec with prefixes");
		assert_eq!(config.company_prefixes, vec!["0614141".to_string()]);
	}

	#[test]
	fn a_spec_without_prefixes_still_reads() {
		let config: GenesisOrganisation<u64> = serde_json::from_str(
			r#"{"kind": "Manufacturer", "gln": "0614141000012", "admin": 20, "members": []}"#,
		)
		.expect("company_prefixes may be left out");
		assert!(config.company_prefixes.is_empty());
		// And a spec written from it says nothing of them: existing specs stay as they were.
		let written = serde_json::to_string(&config).expect("serialisable");
		assert!(!written.contains("companyPrefixes"), "{written}");
		let _ = crate::GenesisConfig::<Test> { sealers: vec![1], organisations: vec![config] }
			.build_storage();
	}
}
