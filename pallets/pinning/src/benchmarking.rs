//! Benchmarks of the pinning pallet's calls and of the record hooks it implements, worst
//! case: every bounded list as long as it may be, and each statement settling its request
//! (pinned, failed, deletion finished) so the extra writes and events are counted.
//!
//! Sealer keys are generated in the benchmark's keystore and made sealers through
//! [`Config::BenchmarkHelper`]; payloads are really signed and verified.

use super::*;
use crate::Pallet as Pinning;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, weights::Weight, BoundedVec};
use frame_system::{
	offchain::{AppCrypto, SignedPayload},
	RawOrigin,
};
use medchain_primitives::health::{CiphertextClaim, RecordHooks, RecordId};
use sp_core::H256;
use sp_runtime::{traits::IdentifyAccount, RuntimeAppPublic};

type CryptoOf<T> = <T as Config>::AuthorityId;
type AppPublicOf<T> = <CryptoOf<T> as AppCrypto<PublicOf<T>, SignatureOf<T>>>::RuntimeAppPublic;
type GenericPublicOf<T> = <CryptoOf<T> as AppCrypto<PublicOf<T>, SignatureOf<T>>>::GenericPublic;

/// The record the benchmarks pin.
const RECORD: RecordId = 1;

/// The content hash the benchmarks pin.
fn content() -> H256 {
	H256::repeat_byte(0xc1)
}

/// The patient whose ciphertext the benchmarks pin.
fn patient<T: Config>() -> T::AccountId {
	account("patient", 0, 0)
}

/// A new `seal` key in the keystore, made a sealer: its public key and account.
fn new_sealer<T: Config>() -> (PublicOf<T>, T::AccountId) {
	let generic = GenericPublicOf::<T>::from(AppPublicOf::<T>::generate_pair(None));
	let public: PublicOf<T> = generic.into();
	let account = public.clone().into_account();
	T::BenchmarkHelper::make_sealer(&account);
	(public, account)
}

/// `count` accounts that are not the benchmark's signer, starting at index `from`.
fn others<T: Config>(from: u32, count: u32) -> Vec<T::AccountId> {
	(from..from.saturating_add(count)).map(|i| account("other", i, 0)).collect()
}

/// Registers [`RECORD`] and fills its request and object, keeping it pending.
fn pending_pin<T: Config>(confirmations: u32, failures: u32, holders: u32) {
	Pinning::<T>::on_registered(RECORD, &patient::<T>(), &content(), u64::MAX);
	Pins::<T>::mutate(RECORD, |pin| {
		if let Some(pin) = pin {
			pin.confirmations = BoundedVec::truncate_from(others::<T>(0, confirmations));
			pin.failures = BoundedVec::truncate_from(
				others::<T>(1_000, failures)
					.into_iter()
					.map(|sealer| (sealer, FailureReason::StorageUnreachable))
					.collect(),
			);
		}
	});
	Objects::<T>::mutate(content(), |object| {
		if let Some(object) = object {
			object.holders = BoundedVec::truncate_from(others::<T>(2_000, holders));
		}
	});
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The last confirmation the target needs, from a sealer whose failure report is the last
	/// of a full list and is withdrawn: the request becomes pinned.
	#[benchmark]
	fn confirm_pin() -> Result<(), BenchmarkError> {
		let (public, sealer) = new_sealer::<T>();
		for other in others::<T>(3_000, T::ReplicationTarget::get().saturating_sub(1)) {
			T::BenchmarkHelper::make_sealer(&other);
		}
		let target = Pinning::<T>::effective_target();
		let max = T::MaxSealers::get();
		pending_pin::<T>(target.saturating_sub(1), max.saturating_sub(1), max.saturating_sub(1));
		Pins::<T>::mutate(RECORD, |pin| {
			if let Some(pin) = pin {
				let _ = pin.failures.try_push((sealer.clone(), FailureReason::StorageUnreachable));
			}
		});
		let payload = PinPayload {
			record: RECORD,
			content_hash: content(),
			sealer: public,
			block: frame_system::Pallet::<T>::block_number(),
		};
		let signature = SignedPayload::<T>::sign::<T::AuthorityId>(&payload)
			.ok_or(BenchmarkError::Stop("the keystore cannot sign"))?;

		#[extrinsic_call]
		_(RawOrigin::None, payload, signature);

		let pin = Pins::<T>::get(RECORD).ok_or(BenchmarkError::Stop("no pin request"))?;
		assert_eq!(pin.status, PinStatus::Pinned);
		assert!(!pin.failures.iter().any(|(reporter, _)| *reporter == sealer));
		Ok(())
	}

	/// The failure report that puts the target out of reach: the request fails.
	#[benchmark]
	fn report_pin_failure() -> Result<(), BenchmarkError> {
		let (public, _) = new_sealer::<T>();
		for other in others::<T>(3_000, T::ReplicationTarget::get().saturating_sub(1)) {
			T::BenchmarkHelper::make_sealer(&other);
		}
		let target = Pinning::<T>::effective_target();
		// As many failures as leave the target just reachable.
		let failures = T::Sealers::sealer_count()
			.saturating_sub(target)
			.min(T::MaxSealers::get().saturating_sub(1));
		pending_pin::<T>(target.saturating_sub(1), failures, T::MaxSealers::get());
		let payload = FailurePayload {
			record: RECORD,
			sealer: public,
			reason: FailureReason::StorageRejected { status: 503 },
			block: frame_system::Pallet::<T>::block_number(),
		};
		let signature = SignedPayload::<T>::sign::<T::AuthorityId>(&payload)
			.ok_or(BenchmarkError::Stop("the keystore cannot sign"))?;

		#[extrinsic_call]
		_(RawOrigin::None, payload, signature);

		assert_eq!(Pins::<T>::get(RECORD).map(|pin| pin.status), Some(PinStatus::Failed));
		Ok(())
	}

	/// The last holder confirms deleting its copy: the deletion request goes.
	#[benchmark]
	fn confirm_unpin() -> Result<(), BenchmarkError> {
		let (public, holder) = new_sealer::<T>();
		let mut holders = others::<T>(0, T::MaxSealers::get().saturating_sub(1));
		let deleted = holders.clone();
		holders.push(holder);
		Unpins::<T>::insert(
			content(),
			UnpinRequest {
				record: RECORD,
				patient: patient::<T>(),
				holders: BoundedVec::truncate_from(holders),
				deleted: BoundedVec::truncate_from(deleted),
				requested_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		let payload = UnpinPayload {
			content_hash: content(),
			sealer: public,
			block: frame_system::Pallet::<T>::block_number(),
		};
		let signature = SignedPayload::<T>::sign::<T::AuthorityId>(&payload)
			.ok_or(BenchmarkError::Stop("the keystore cannot sign"))?;

		#[extrinsic_call]
		_(RawOrigin::None, payload, signature);

		assert!(!Unpins::<T>::contains_key(content()));
		Ok(())
	}

	/// A record of the patient's with the content of their object being deleted by every
	/// sealer: the registry finds it the patient's, the deletion is called off and the holders
	/// kept.
	#[benchmark]
	fn on_registered() {
		let patient = patient::<T>();
		Unpins::<T>::insert(
			content(),
			UnpinRequest {
				record: 0,
				patient: patient.clone(),
				holders: BoundedVec::truncate_from(others::<T>(0, T::MaxSealers::get())),
				deleted: BoundedVec::new(),
				requested_at: frame_system::Pallet::<T>::block_number(),
			},
		);

		let (owner, unused);
		#[block]
		{
			owner = Pinning::<T>::ciphertext_claim(&content());
			unused = Pinning::<T>::on_registered(RECORD, &patient, &content(), u64::MAX);
		}

		assert_eq!(owner, Some(CiphertextClaim::BeingDeleted(patient)));

		assert!(Pending::<T>::contains_key(RECORD));
		assert!(!Unpins::<T>::contains_key(content()));
		// This is the case the hook's refunds are counted from.
		assert_eq!(unused, Weight::zero());
	}

	/// The last record referencing an object every sealer holds is erased: its deletion is
	/// requested.
	#[benchmark]
	fn on_erased() {
		let max = T::MaxSealers::get();
		pending_pin::<T>(max, max, max);

		let unused;
		#[block]
		{
			unused = Pinning::<T>::on_erased(RECORD, &content());
		}

		assert!(!Pins::<T>::contains_key(RECORD));
		assert!(Unpins::<T>::contains_key(content()));
		// This is the case the hook's refunds are counted from.
		assert_eq!(unused, Weight::zero());
	}

	impl_benchmark_test_suite!(Pinning, crate::mock::new_test_ext(), crate::mock::Test);
}
