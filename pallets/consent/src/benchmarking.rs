//! Benchmarks of the consent pallet's calls, worst case: full per-patient lists, the longest
//! scopes, the caller acting as the last of the patient's delegates, deposits actually held.
//!
//! Records and organisation members come from [`Config::RecordsHelper`] and
//! [`Config::OrganisationsHelper`].

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get, Time},
	BoundedVec,
};
use frame_system::RawOrigin;
use medchain_primitives::health::{
	Action, CategoryCode, ConsentId, OrgKind, OrganisationsBenchmarkHelper, Purpose, RecordId,
	RecordsBenchmarkHelper, Role,
};
use sp_core::H256;
use sp_runtime::traits::Bounded;

/// Gives `who` plenty of funds for deposits (a millionth of the largest balance, so that many
/// funded accounts do not overflow the total issuance).
fn fund<T: Config>(who: &T::AccountId) {
	let _ = T::Currency::set_balance(who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
}

fn category() -> CategoryCode {
	BoundedVec::truncate_from(b"11488-4".to_vec())
}

fn all_actions() -> medchain_primitives::health::Actions {
	BoundedVec::truncate_from(alloc::vec![Action::Read, Action::Append])
}

fn all_purposes() -> medchain_primitives::health::Purposes {
	BoundedVec::truncate_from(Purpose::ALL.to_vec())
}

/// A funded patient.
fn patient<T: Config>() -> T::AccountId {
	let patient: T::AccountId = account("patient", 0, 0);
	fund::<T>(&patient);
	patient
}

/// `count` records of `patient`.
fn records<T: Config>(patient: &T::AccountId, count: u32) -> Vec<RecordId> {
	(0..count).map(|_| T::RecordsHelper::create_record(patient, category())).collect()
}

/// Fills `patient`'s delegates to `count`, the last being a funded `delegate` without end.
fn delegates<T: Config>(patient: &T::AccountId, count: u32) -> T::AccountId {
	let mut delegate = account("delegate", 0, 0);
	for i in 0..count {
		delegate = account("delegate", i, 0);
		fund::<T>(&delegate);
		let _ = Pallet::<T>::add_delegate(
			RawOrigin::Signed(patient.clone()).into(),
			delegate.clone(),
			None,
		);
	}
	delegate
}

/// The patient grants `count` consents to `grantee` over `scope`, with every action and
/// purpose; returns their ids.
fn grant_many<T: Config>(
	patient: &T::AccountId,
	grantee: Grantee<T::AccountId>,
	scope: ConsentScopeOf<T>,
	count: u32,
) -> Result<Vec<ConsentId>, BenchmarkError> {
	let mut ids = Vec::new();
	for _ in 0..count {
		ids.push(NextConsentId::<T>::get());
		Pallet::<T>::grant(
			RawOrigin::Signed(patient.clone()).into(),
			patient.clone(),
			grantee.clone(),
			scope.clone(),
			all_actions(),
			all_purposes(),
			None,
			None,
			Some(H256::repeat_byte(9)),
		)?;
	}
	Ok(ids)
}

/// The decision function's worst case: `reader` is emergency staff of an organisation; the
/// patient has the most consents allowed both for the reader's account and for the
/// organisation, every one of which fails only on its scope (the longest); the read succeeds
/// through reader's break-glass access. Returns the reader and the record.
fn worst_case_decision<T: Config>() -> Result<(T::AccountId, RecordId), BenchmarkError> {
	let patient = patient::<T>();
	let reader: T::AccountId = account("reader", 0, 0);
	let org = T::OrganisationsHelper::member_with_role(&reader, OrgKind::Hospital, Role::Emergency);
	let listed = records::<T>(&patient, T::MaxScopeItems::get());
	let target = records::<T>(&patient, 1)[0];
	let scope = ConsentScope::Records(BoundedVec::truncate_from(listed));
	grant_many::<T>(
		&patient,
		Grantee::Organisation { org, role: Some(Role::Emergency) },
		scope.clone(),
		T::MaxConsentsPerGrantee::get(),
	)?;
	grant_many::<T>(
		&patient,
		Grantee::Account(reader.clone()),
		scope,
		T::MaxConsentsPerGrantee::get(),
	)?;
	break_glass_as::<T>(&reader, &patient)?;
	Ok((reader, target))
}

/// `accessor` breaks the glass on `patient`; returns the access.
fn break_glass_as<T: Config>(
	accessor: &T::AccountId,
	patient: &T::AccountId,
) -> Result<ConsentId, BenchmarkError> {
	let access = NextConsentId::<T>::get();
	Pallet::<T>::break_glass(
		RawOrigin::Signed(accessor.clone()).into(),
		patient.clone(),
		EmergencyReason::CareCannotWait,
		H256::repeat_byte(1),
	)?;
	Ok(access)
}

/// A hospital's emergency staff member broke the glass on `patient`, and the access has ended
/// whatever the benchmark's clock says; returns the accessor and the access.
fn ended_emergency_access<T: Config>(
	patient: &T::AccountId,
) -> Result<(T::AccountId, ConsentId), BenchmarkError> {
	let accessor: T::AccountId = account("accessor", 0, 0);
	T::OrganisationsHelper::member_with_role(&accessor, OrgKind::Hospital, Role::Emergency);
	let access = break_glass_as::<T>(&accessor, patient)?;
	EmergencyAccesses::<T>::mutate(access, |entry| {
		if let Some(entry) = entry {
			entry.expires_at = entry.started_at;
		}
	});
	OpenEmergencyAccesses::<T>::mutate(patient, &accessor, |open| {
		if let Some(open) = open {
			open.expires_at = 0;
		}
	});
	Ok((accessor, access))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `s`: records listed in the scope (each checked to be the patient's). A delegate grants
	/// to an organisation, into the patient's last free place.
	#[benchmark]
	fn grant(s: Linear<0, { T::MaxScopeItems::get() }>) -> Result<(), BenchmarkError> {
		let patient = patient::<T>();
		let delegate = delegates::<T>(&patient, T::MaxDelegates::get());
		let member: T::AccountId = account("member", 0, 0);
		let org =
			T::OrganisationsHelper::member_with_role(&member, OrgKind::Hospital, Role::Clinician);
		// The patient's list and the organisation's index each one short of full.
		grant_many::<T>(
			&patient,
			Grantee::Organisation { org, role: None },
			ConsentScope::AllRecords,
			T::MaxConsentsPerGrantee::get() - 1,
		)?;
		for i in 0..(T::MaxConsentsPerPatient::get() - T::MaxConsentsPerGrantee::get()) {
			let other: T::AccountId = account("other", i, 0);
			grant_many::<T>(&patient, Grantee::Account(other), ConsentScope::AllRecords, 1)?;
		}
		let scope = if s == 0 {
			ConsentScope::AllRecords
		} else {
			ConsentScope::Records(BoundedVec::truncate_from(records::<T>(&patient, s)))
		};
		let consent = NextConsentId::<T>::get();
		let now = T::Time::now();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(delegate),
			patient.clone(),
			Grantee::Organisation { org, role: Some(Role::Clinician) },
			scope,
			all_actions(),
			all_purposes(),
			Some(now),
			Some(now.saturating_add(1_000_000)),
			Some(H256::repeat_byte(9)),
		);

		assert!(Consents::<T>::contains_key(consent));
		Ok(())
	}

	/// A delegate revokes the last consent of a full list.
	#[benchmark]
	fn revoke() -> Result<(), BenchmarkError> {
		let patient = patient::<T>();
		let delegate = delegates::<T>(&patient, T::MaxDelegates::get());
		let grantee: T::AccountId = account("grantee", 0, 0);
		grant_many::<T>(
			&patient,
			Grantee::Account(grantee.clone()),
			ConsentScope::AllRecords,
			T::MaxConsentsPerGrantee::get() - 1,
		)?;
		for i in 0..(T::MaxConsentsPerPatient::get() - T::MaxConsentsPerGrantee::get()) {
			let other: T::AccountId = account("other", i, 0);
			grant_many::<T>(&patient, Grantee::Account(other), ConsentScope::AllRecords, 1)?;
		}
		// The last of full lists, for the patient and for the grantee.
		let consent =
			grant_many::<T>(&patient, Grantee::Account(grantee), ConsentScope::AllRecords, 1)?[0];

		#[extrinsic_call]
		_(RawOrigin::Signed(delegate), consent);

		assert_eq!(Consents::<T>::get(consent).map(|c| c.status), Some(ConsentStatus::Revoked));
		Ok(())
	}

	/// Into the last free place.
	#[benchmark]
	fn add_delegate() {
		let patient = patient::<T>();
		delegates::<T>(&patient, T::MaxDelegates::get() - 1);
		let delegate: T::AccountId = account("new-delegate", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), delegate.clone(), Some(u64::MAX));

		assert!(Delegates::<T>::get(&patient).iter().any(|d| d.delegate == delegate));
	}

	/// The last of a full list steps down.
	#[benchmark]
	fn remove_delegate() {
		let patient = patient::<T>();
		let delegate = delegates::<T>(&patient, T::MaxDelegates::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(delegate.clone()), patient.clone(), delegate.clone());

		assert!(!Delegates::<T>::get(&patient).iter().any(|d| d.delegate == delegate));
	}

	/// Replacing the accessor's earlier access, still running but in an organisation where they
	/// no longer hold the emergency role (the longest check), every delegate told.
	#[benchmark]
	fn break_glass() {
		let patient = patient::<T>();
		delegates::<T>(&patient, T::MaxDelegates::get());
		let accessor: T::AccountId = account("accessor", 0, 0);
		let org =
			T::OrganisationsHelper::member_with_role(&accessor, OrgKind::Hospital, Role::Emergency);
		OpenEmergencyAccesses::<T>::insert(
			&patient,
			&accessor,
			OpenEmergencyAccess {
				id: ConsentId::MAX,
				organisation: org.saturating_add(1),
				expires_at: u64::MAX,
			},
		);
		let access = NextConsentId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(accessor),
			patient.clone(),
			EmergencyReason::CareCannotWait,
			H256::repeat_byte(1),
		);

		assert!(EmergencyAccesses::<T>::contains_key(access));
	}

	/// A regulator's auditor reviews an access that has ended: the longest authorisation
	/// path, and the running entry cleared.
	#[benchmark]
	fn review_break_glass() -> Result<(), BenchmarkError> {
		let patient = patient::<T>();
		let (accessor, access) = ended_emergency_access::<T>(&patient)?;
		let auditor: T::AccountId = account("auditor", 0, 0);
		T::OrganisationsHelper::member_with_role(&auditor, OrgKind::Regulator, Role::Auditor);

		#[extrinsic_call]
		_(RawOrigin::Signed(auditor), access, ReviewOutcome::Unjustified);

		assert!(EmergencyAccesses::<T>::get(access).is_some_and(|a| a.audit_review.is_some()));
		assert!(!OpenEmergencyAccesses::<T>::contains_key(&patient, &accessor));
		Ok(())
	}

	/// Anyone clears the running entry of an access that has ended.
	#[benchmark]
	fn clear_ended_emergency_access() -> Result<(), BenchmarkError> {
		let patient = patient::<T>();
		let (accessor, _access) = ended_emergency_access::<T>(&patient)?;
		let caller: T::AccountId = account("cleaner", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), patient.clone(), accessor.clone());

		assert!(!OpenEmergencyAccesses::<T>::contains_key(&patient, &accessor));
		Ok(())
	}

	/// A read under the decision function's worst case.
	#[benchmark]
	fn record_access() -> Result<(), BenchmarkError> {
		let (reader, record) = worst_case_decision::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(reader), record, Purpose::Emergency);

		assert_eq!(AccessLogLength::<T>::get(record), 1);
		Ok(())
	}

	/// The decision function alone, in its worst case: what other pallets add to their calls'
	/// weights through `AccessPolicy::decision_weight`.
	#[benchmark]
	fn can_access() -> Result<(), BenchmarkError> {
		let (reader, record) = worst_case_decision::<T>()?;
		let decision;

		#[block]
		{
			decision = Pallet::<T>::can_access(&reader, record, Action::Read, Purpose::Emergency);
		}

		assert!(decision.allowed);
		assert_eq!(decision.reason, medchain_primitives::health::AccessReason::BreakGlass);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
