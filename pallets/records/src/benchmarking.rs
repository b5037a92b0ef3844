//! Benchmarks of the record registry's calls, worst case: the vocabulary's longest codes,
//! wrapped keys of the largest size, deposits actually held. A patient's file is a double map,
//! so its size does not change the cost of adding or removing a record.
//!
//! [`Config::Hooks`] run in their most expensive case ([`Config::HooksHelper`]) and are
//! measured with the calls. The patient is the caller: a provider's call costs the same plus
//! one consent decision, which the call weights add as `T::Consent::decision_weight()`
//! (benchmarked by the consent pallet).

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::Precision,
		Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use medchain_primitives::{
	health::{
		CategoryCode, GranteeKey, OrgKind, OrganisationsBenchmarkHelper, Purpose,
		RecordHooksBenchmarkHelper, RecordId, RecordStatus, Role,
	},
	vocabulary::{DOCUMENT_CATEGORIES, MEDIA_TYPES},
};
use sp_core::H256;
use sp_runtime::traits::{BlakeTwo256, Bounded, Hash};

/// Gives `who` plenty of funds for deposits (a millionth of the largest balance, so that many
/// funded accounts do not overflow the total issuance).
fn fund<T: Config>(who: &T::AccountId) {
	let _ = T::Currency::set_balance(who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
}

/// The last document category of the vocabulary (all are as long).
fn category() -> CategoryCode {
	let last = DOCUMENT_CATEGORIES.last().copied().unwrap_or_default();
	BoundedVec::truncate_from(last.to_vec())
}

/// The longest media type of the vocabulary.
fn media_type() -> MediaTypeCode {
	let longest = MEDIA_TYPES.iter().max_by_key(|code| code.len()).copied().unwrap_or_default();
	BoundedVec::truncate_from(longest.to_vec())
}

/// The longest wrapped key.
fn wrapped_key<T: Config>() -> WrappedKeyOf<T> {
	BoundedVec::truncate_from(alloc::vec![0x5a; T::MaxWrappedKeyLen::get() as usize])
}

/// `count` envelopes, for members of organisations other than the patient: the worst case,
/// as each is also indexed by holder and by organisation for revocations (the patient's own
/// envelope is not).
fn envelopes<T: Config>(count: u32) -> EnvelopesOf<T> {
	let recipients = (0..count).map(|i| {
		let recipient = account::<T::AccountId>("recipient", i, 0);
		T::OrganisationsHelper::member_with_role(&recipient, OrgKind::Hospital, Role::Clinician);
		recipient
	});
	BoundedVec::truncate_from(recipients.map(|r| (r, wrapped_key::<T>())).collect::<Vec<_>>())
}

/// `others` envelopes as [`envelopes`] gives them, after the patient's own if `own` is 1.
fn envelopes_with_patients<T: Config>(
	patient: &T::AccountId,
	others: u32,
	own: u32,
) -> EnvelopesOf<T> {
	let patients = (own > 0).then(|| (patient.clone(), wrapped_key::<T>()));
	let list: Vec<_> = patients.into_iter().chain(envelopes::<T>(others)).collect();
	BoundedVec::truncate_from(list)
}

/// Gives `record` of `patient` an envelope for `holder` paid by `depositor`, as when an author
/// wraps the key: its deposit is held from an account other than the (whitelisted) caller's, so
/// a removal releases a hold the caller's own call does not touch. Counts it in the record.
fn envelope_paid_by<T: Config>(
	patient: &T::AccountId,
	record: RecordId,
	holder: &T::AccountId,
	depositor: &T::AccountId,
) -> Result<(), BenchmarkError> {
	fund::<T>(depositor);
	Pallet::<T>::insert_envelope(depositor, patient, record, holder.clone(), wrapped_key::<T>())?;
	Records::<T>::mutate_extant(record, |entry| {
		entry.envelopes = entry.envelopes.saturating_add(1)
	});
	Ok(())
}

/// Moves `record`'s deposit to `payer`, as when a provider registered it.
fn record_deposit_paid_by<T: Config>(
	record: RecordId,
	payer: &T::AccountId,
) -> Result<(), BenchmarkError> {
	let mut entry = Records::<T>::get(record).ok_or(BenchmarkError::Stop("no such record"))?;
	let reason = HoldReason::RecordDeposit.into();
	T::Currency::release(
		&reason,
		&entry.deposit.depositor,
		entry.deposit.amount,
		Precision::Exact,
	)?;
	fund::<T>(payer);
	T::Currency::hold(&reason, payer, entry.deposit.amount)?;
	entry.deposit.depositor = payer.clone();
	Records::<T>::insert(record, entry);
	Ok(())
}

/// A funded patient.
fn patient<T: Config>() -> T::AccountId {
	let patient: T::AccountId = whitelisted_caller();
	fund::<T>(&patient);
	patient
}

/// The patient registers a record with `envelope_count` envelopes; returns its id. Its
/// ciphertext is the patient's own: a ciphertext is one patient's.
fn register_record<T: Config>(
	patient: &T::AccountId,
	envelope_count: u32,
) -> Result<RecordId, BenchmarkError> {
	let record = NextRecordId::<T>::get();
	Pallet::<T>::register(
		RawOrigin::Signed(patient.clone()).into(),
		patient.clone(),
		category(),
		BlakeTwo256::hash_of(patient),
		u64::MAX,
		media_type(),
		Purpose::Treatment,
		envelopes::<T>(envelope_count),
	)?;
	Ok(record)
}

/// A document of three versions, the middle one with `envelopes`: returns the three ids, oldest
/// first. Withdrawing the middle version links both its neighbours, the worst case of
/// entered-in-error and erase (withdrawing the current version updates one).
fn document_of_three_versions<T: Config>(
	patient: &T::AccountId,
	envelopes: EnvelopesOf<T>,
) -> Result<[RecordId; 3], BenchmarkError> {
	let first = register_record::<T>(patient, 0)?;
	let middle = amend_record::<T>(patient, first, envelopes, H256::repeat_byte(2))?;
	let last = amend_record::<T>(patient, middle, BoundedVec::new(), H256::repeat_byte(3))?;
	Ok([first, middle, last])
}

/// The patient amends `record` with a version of ciphertext `content_hash` and `envelopes`;
/// returns the new version.
fn amend_record<T: Config>(
	patient: &T::AccountId,
	record: RecordId,
	envelopes: EnvelopesOf<T>,
	content_hash: H256,
) -> Result<RecordId, BenchmarkError> {
	let new_version = NextRecordId::<T>::get();
	Pallet::<T>::amend(
		RawOrigin::Signed(patient.clone()).into(),
		record,
		content_hash,
		u64::MAX,
		media_type(),
		Purpose::Treatment,
		envelopes,
	)?;
	Ok(new_version)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `o`: key envelopes given with the record to others than the patient, each also indexed
	/// for revocations; `p`: 1 if the patient's own is given too (not indexed). `o` stops one
	/// short of `MaxEnvelopesPerRecord` to leave room for the patient's; a record with every
	/// envelope for others is charged on the same line, as each envelope costs the same.
	#[benchmark]
	fn register(
		o: Linear<0, { T::MaxEnvelopesPerRecord::get().saturating_sub(1) }>,
		p: Linear<0, 1>,
	) {
		let patient = patient::<T>();
		let record = NextRecordId::<T>::get();
		T::HooksHelper::worst_case_registration(&patient, &H256::repeat_byte(1));

		#[extrinsic_call]
		_(
			RawOrigin::Signed(patient.clone()),
			patient.clone(),
			category(),
			H256::repeat_byte(1),
			u64::MAX,
			media_type(),
			Purpose::Treatment,
			envelopes_with_patients::<T>(&patient, o, p),
		);

		assert_eq!(Records::<T>::get(record).map(|r| r.envelopes), Some(o + p));
	}

	/// `o` and `p` as for `register`, for the new version.
	#[benchmark]
	fn amend(
		o: Linear<0, { T::MaxEnvelopesPerRecord::get().saturating_sub(1) }>,
		p: Linear<0, 1>,
	) -> Result<(), BenchmarkError> {
		let patient = patient::<T>();
		let old = register_record::<T>(&patient, 0)?;
		let new = NextRecordId::<T>::get();
		T::HooksHelper::worst_case_registration(&patient, &H256::repeat_byte(2));

		#[extrinsic_call]
		_(
			RawOrigin::Signed(patient.clone()),
			old,
			H256::repeat_byte(2),
			u64::MAX,
			media_type(),
			Purpose::Treatment,
			envelopes_with_patients::<T>(&patient, o, p),
		);

		assert_eq!(Records::<T>::get(old).and_then(|r| r.superseded_by), Some(new));
		assert_eq!(Records::<T>::get(new).map(|r| r.envelopes), Some(o + p));
		Ok(())
	}

	/// Worst case: a middle version, so both its neighbours are linked to each other.
	#[benchmark]
	fn mark_entered_in_error() -> Result<(), BenchmarkError> {
		let patient = patient::<T>();
		let [first, record, last] = document_of_three_versions::<T>(&patient, BoundedVec::new())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), record);

		assert_eq!(Records::<T>::get(record).map(|r| r.status), Some(RecordStatus::EnteredInError));
		assert_eq!(Records::<T>::get(first).and_then(|r| r.fallback_of), Some(last));
		assert_eq!(Records::<T>::get(last).and_then(|r| r.falls_back_to), Some(first));
		Ok(())
	}

	/// `o` and `p`: the record's key envelopes, as for `register`. Worst case: a middle version,
	/// as for `mark_entered_in_error`, whose deposits were all paid by others than the patient:
	/// the record's and the patient's envelope by a provider, each other envelope by its holder,
	/// so every release touches another account.
	#[benchmark]
	fn erase(
		o: Linear<0, { T::MaxEnvelopesPerRecord::get().saturating_sub(1) }>,
		p: Linear<0, 1>,
	) -> Result<(), BenchmarkError> {
		let patient = patient::<T>();
		let [first, record, last] = document_of_three_versions::<T>(&patient, BoundedVec::new())?;
		let provider: T::AccountId = account("provider", 0, 0);
		record_deposit_paid_by::<T>(record, &provider)?;
		if p > 0 {
			envelope_paid_by::<T>(&patient, record, &patient, &provider)?;
		}
		for i in 0..o {
			// Members of organisations: indexed by holder and by organisation.
			let holder: T::AccountId = account("recipient", i, 0);
			T::OrganisationsHelper::member_with_role(&holder, OrgKind::Hospital, Role::Clinician);
			envelope_paid_by::<T>(&patient, record, &holder, &holder)?;
		}
		T::HooksHelper::worst_case_erasure(record).map_err(BenchmarkError::Stop)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), record);

		assert!(Tombstones::<T>::contains_key(record));
		assert_eq!(Records::<T>::get(first).and_then(|r| r.fallback_of), Some(last));
		assert_eq!(Records::<T>::get(last).and_then(|r| r.falls_back_to), Some(first));
		Ok(())
	}

	/// The record's last free envelope place, for a member of an organisation.
	#[benchmark]
	fn add_key_envelope() -> Result<(), BenchmarkError> {
		let patient = patient::<T>();
		let record = register_record::<T>(&patient, T::MaxEnvelopesPerRecord::get() - 1)?;
		// A member of an organisation: the envelope is indexed twice.
		let recipient: T::AccountId = account("new-recipient", 0, 0);
		T::OrganisationsHelper::member_with_role(&recipient, OrgKind::Hospital, Role::Clinician);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), record, recipient.clone(), wrapped_key::<T>());

		assert!(KeyEnvelopes::<T>::contains_key(record, &recipient));
		Ok(())
	}

	/// A third party removes a stale envelope: the recipient's read access is checked, and the
	/// deposit goes back to the recipient, who paid it (not the whitelisted patient).
	#[benchmark]
	fn remove_key_envelope() -> Result<(), BenchmarkError> {
		let patient = patient::<T>();
		let record = register_record::<T>(&patient, T::MaxEnvelopesPerRecord::get() - 1)?;
		let recipient: T::AccountId = account("paying-recipient", 0, 0);
		T::OrganisationsHelper::member_with_role(&recipient, OrgKind::Hospital, Role::Clinician);
		envelope_paid_by::<T>(&patient, record, &recipient, &recipient)?;
		let caller: T::AccountId = account("cleaner", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), record, recipient.clone());

		assert!(!KeyEnvelopes::<T>::contains_key(record, &recipient));
		Ok(())
	}

	/// `n`: envelopes examined for a consent naming an organisation, going on from where an
	/// earlier sweep stopped, all of them removed (their holders may read none of those records
	/// any more). Worst case: each envelope held by another member, who paid its deposit, so
	/// every removal releases a different account's hold. A revocation's own sweep (from the
	/// first envelope) is charged this weight too. The access decisions, measured by the
	/// consent pallet, are added to it.
	#[benchmark]
	fn remove_unneeded_envelopes(
		n: Linear<1, { T::MaxEnvelopesExaminedOnRevoke::get() }>,
	) -> Result<(), BenchmarkError> {
		let patient = patient::<T>();
		let founder: T::AccountId = account("member", 0, 0);
		let org =
			T::OrganisationsHelper::member_with_role(&founder, OrgKind::Hospital, Role::Clinician);
		// One more than examined: the first goes in an earlier sweep.
		for i in 0..=n {
			let record = register_record::<T>(&patient, 0)?;
			let member: T::AccountId = account("member", i, 0);
			// An author wrapping the key for themselves pays for it.
			envelope_paid_by::<T>(&patient, record, &member, &member)?;
			Pallet::<T>::index_envelope(&patient, &member, record, Some(org));
		}
		let grantee = GranteeKey::Organisation(org);
		let earlier = Pallet::<T>::sweep_unneeded_envelopes(&patient, &grantee, None, 1);
		assert_eq!((earlier.examined, earlier.removed), (1, 1));
		let caller: T::AccountId = account("cleaner", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), patient.clone(), grantee, earlier.resume_after);

		assert_eq!(EnvelopesByOrganisation::<T>::iter_key_prefix((&patient, org)).count(), 0);
		assert_eq!(EnvelopesByHolder::<T>::iter_keys().count(), 0);
		Ok(())
	}

	/// Removing `n` envelopes held by one account that may no longer read them, after it left
	/// its organisation: the worst case as for `remove_unneeded_envelopes`, each envelope of
	/// another patient's record and paid for by another account, so every removal releases a
	/// different hold. The access decisions are added to it, as there.
	#[benchmark]
	fn remove_unneeded_envelopes_of(
		n: Linear<1, { T::MaxEnvelopesExaminedOnRevoke::get() }>,
	) -> Result<(), BenchmarkError> {
		let holder: T::AccountId = account("holder", 0, 0);
		let org =
			T::OrganisationsHelper::member_with_role(&holder, OrgKind::Hospital, Role::Clinician);
		// One more than examined: the first goes in an earlier sweep.
		for i in 0..=n {
			let patient: T::AccountId = account("patient", i, 0);
			fund::<T>(&patient);
			let record = register_record::<T>(&patient, 0)?;
			envelope_paid_by::<T>(&patient, record, &holder, &account("depositor", i, 0))?;
			Pallet::<T>::index_envelope(&patient, &holder, record, Some(org));
		}
		let earlier = Pallet::<T>::sweep_unneeded_envelopes_of(&holder, None, 1);
		assert_eq!((earlier.examined, earlier.removed), (1, 1));
		let caller: T::AccountId = account("cleaner", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), holder.clone(), earlier.resume_after);

		assert_eq!(EnvelopesByHolder::<T>::iter_prefix((&holder,)).count(), 0);
		assert_eq!(EnvelopesByOrganisation::<T>::iter_keys().count(), 0);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
