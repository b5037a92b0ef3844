//! # Pinning pallet
//!
//! Keeps each record's ciphertext stored by several consortium sealers, each in its own
//! S3-compatible bucket, and proves it on chain.
//!
//! - When the record registry registers a record (through
//!   [`RecordHooks`](medchain_primitives::health::RecordHooks), never by touching its storage),
//!   a [`PinRequest`] is created and listed in [`Pending`].
//! - Sealer nodes run the [off-chain worker](crate::offchain): for each pending request whose
//!   ciphertext the node holds in its off-chain storage, it checks the SHA-256, uploads the
//!   ciphertext with an S3 `PUT` signed with AWS Signature V4 (the content's SHA-256 in
//!   `x-amz-content-sha256`, so the store verifies integrity) and submits
//!   [`Pallet::confirm_pin`], signed with its sealer key. Tampered ciphertext is never uploaded:
//!   the sealer reports [`FailureReason::HashMismatch`] instead. Uploads that keep failing are
//!   retried with exponential backoff and, after [`Config::MaxUploadAttempts`], reported with
//!   [`Pallet::report_pin_failure`]. A report is not the end: the worker keeps retrying at
//!   the longest backoff, and a later confirmation withdraws the sealer's report, so a pin
//!   completes once storage is back, however long it was away.
//! - A request is [`PinStatus::Pinned`] once [`Pallet::effective_target`] distinct sealers
//!   confirmed (the [`Config::ReplicationTarget`], or every sealer if there are fewer, so a
//!   one-sealer development chain can pin), and [`PinStatus::Failed`] while so many sealers
//!   report failure that the target cannot be reached. A failed request stays open: it is
//!   pending again, or pinned, once confirmations withdraw enough reports. A sealer that
//!   confirms after the request was pinned is recorded as a holder too, so an erasure asks it
//!   to delete its copy.
//! - When a record is erased its pin request goes. Once no pin request references the
//!   ciphertext object any more (records with the same content share one object, see
//!   [`Objects`]), an [`UnpinRequest`] asks every sealer that stored it to delete it and to
//!   confirm with [`Pallet::confirm_unpin`].
//! - An object is one patient's: the record registry asks
//!   [`RecordHooks::ciphertext_claim`](medchain_primitives::health::RecordHooks) and refuses
//!   another patient's record naming it, and lets only the patient call a deletion off. So
//!   nobody can read a content hash off the chain and keep that patient's ciphertext stored
//!   after their erasure. (Whoever registers a hash first owns it: see the README on a record
//!   that front-runs the patient's.)
//!
//! All three calls are unsigned transactions carrying a payload signed by the sealer's `seal`
//! key (the key it seals blocks with, whose public key is its account id): sealers do not pay
//! fees for their duty, and the pool admits only statements that would succeed.
//!
//! Where the bucket is and what signs requests to it are node configuration
//! ([`StorageSettings`](medchain_primitives::pinning::StorageSettings) in the node's off-chain
//! storage: day-scoped signing keys, never the secret access key), never chain state, and
//! never logged.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
pub mod offchain;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

/// The target of this pallet's log lines.
pub const LOG_TARGET: &str = "runtime::pinning";

/// The sealer key as this pallet uses it: sr25519 under key type `seal`
/// ([`medchain_primitives::SEALER_KEY_TYPE`]), the key a sealer seals blocks with.
pub mod crypto {
	use medchain_primitives::SEALER_KEY_TYPE;
	use sp_runtime::{
		app_crypto::{app_crypto, sr25519},
		MultiSignature, MultiSigner,
	};

	app_crypto!(sr25519, SEALER_KEY_TYPE);

	/// Signs and verifies the pinning pallet's payloads with a sealer key, for a runtime
	/// whose signing types are `MultiSigner`/`MultiSignature` (MedChain's).
	pub struct SealerAuthId;

	impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for SealerAuthId {
		type RuntimeAppPublic = Public;
		type GenericSignature = sp_core::sr25519::Signature;
		type GenericPublic = sp_core::sr25519::Public;
	}

	impl frame_system::offchain::AppCrypto<sp_core::sr25519::Public, sp_core::sr25519::Signature>
		for SealerAuthId
	{
		type RuntimeAppPublic = Public;
		type GenericSignature = sp_core::sr25519::Signature;
		type GenericPublic = sp_core::sr25519::Public;
	}
}

/// The consortium's sealers, as the pinning pallet sees them.
pub trait SealerSet<AccountId> {
	/// Whether `who` may seal blocks, and so pin ciphertext.
	fn is_sealer(who: &AccountId) -> bool;
	/// How many sealers there are.
	fn sealer_count() -> u32;
}

/// No sealers at all: nothing can ever be pinned.
impl<AccountId> SealerSet<AccountId> for () {
	fn is_sealer(_who: &AccountId) -> bool {
		false
	}
	fn sealer_count() -> u32 {
		0
	}
}

/// Sets up sealers for this pallet's benchmarks. Never used by a running chain.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` a sealer, so that [`SealerSet::is_sealer`] holds for it and
	/// [`SealerSet::sealer_count`] counts it.
	fn make_sealer(who: &AccountId);
}

/// The pinning pallet's runtime API, for wallets and the off-chain storage gateway.
pub mod runtime_api {
	use medchain_primitives::health::RecordId;

	sp_api::decl_runtime_apis! {
		/// Reads where the pinning of records' ciphertext stands.
		#[api_version(2)]
		pub trait PinningApi<AccountId, BlockNumber> where
			AccountId: codec::Codec,
			BlockNumber: codec::Codec,
		{
			/// The pin request of `record`: status, the sealers that confirmed storing its
			/// ciphertext, the number of confirmations that pins it, and the failures
			/// reported. `None` if the record has no pin request (never registered, or erased).
			fn pin_status(record: RecordId) -> Option<crate::PinStatusInfo<AccountId, BlockNumber>>;
			/// Whether a live record references the ciphertext whose SHA-256 is
			/// `content_hash`. Nodes ask [`Self::ciphertext_patient`] of a runtime that has it.
			#[api_version(2)]
			fn is_referenced(content_hash: sp_core::H256) -> bool;
			/// The patient whose live records reference the ciphertext whose SHA-256 is
			/// `content_hash` (the first to name it: no other patient's record may), `None` if
			/// none does. A node keeps a blob sealed for that patient, and no other, until the
			/// erasure of the patient's last record naming it.
			#[api_version(3)]
			fn ciphertext_patient(content_hash: sp_core::H256) -> Option<AccountId>;
		}
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{AppCrypto, CreateBare, SignedPayload, SigningTypes},
		pallet_prelude::*,
	};
	use medchain_primitives::health::{CiphertextClaim, RecordHooks, RecordId};
	use sp_core::H256;
	use sp_runtime::{
		traits::IdentifyAccount,
		transaction_validity::{
			InvalidTransaction, TransactionLongevity, TransactionPriority, TransactionSource,
			TransactionValidity, ValidTransaction,
		},
		SaturatedConversion,
	};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the pinning pallet.
	#[pallet::config]
	pub trait Config: CreateBare<Call<Self>> + SigningTypes + frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The sealer key that signs the payloads: [`crypto::SealerAuthId`].
		type AuthorityId: AppCrypto<Self::Public, Self::Signature>;
		/// The consortium's sealers (`pallet-consortium`).
		type Sealers: SealerSet<Self::AccountId>;
		/// How many distinct sealers must store a record's ciphertext for it to be pinned
		/// (fewer if there are fewer sealers).
		#[pallet::constant]
		type ReplicationTarget: Get<u32>;
		/// The largest number of sealers; bounds the confirmations and failures kept per
		/// request. At least the sealer set's own bound.
		#[pallet::constant]
		type MaxSealers: Get<u32>;
		/// The largest number of requests of each kind a sealer's off-chain worker makes per
		/// block: uploads; deletions asked for, per `seal` key; deletions of uploads whose
		/// record was erased before the chain listed the uploader.
		#[pallet::constant]
		type MaxPinsPerRun: Get<u32>;
		/// How many times a sealer's off-chain worker tries to upload a ciphertext before it
		/// reports the failure on chain.
		#[pallet::constant]
		type MaxUploadAttempts: Get<u32>;
		/// For how many blocks a sealer's statement stays valid in the transaction pool; the
		/// off-chain worker waits as long before submitting it again.
		#[pallet::constant]
		type UnsignedLongevity: Get<TransactionLongevity>;
		/// The priority of sealers' statements in the transaction pool.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;
		/// Weights of this pallet's calls and hooks, measured by its benchmarks.
		type WeightInfo: WeightInfo;
		/// Makes accounts sealers in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Every record's pin request, by record id: pending, pinned or failed. Removed when the
	/// record is erased.
	#[pallet::storage]
	pub type Pins<T: Config> = StorageMap<_, Twox64Concat, RecordId, PinRequestOf<T>>;

	/// The records whose pin request is not pinned yet (pending or failed): what sealers'
	/// off-chain workers go through, so that they never walk pinned requests.
	#[pallet::storage]
	pub type Pending<T: Config> = StorageMap<_, Twox64Concat, RecordId, ()>;

	/// The ciphertext objects referenced by pin requests, by content hash: whose each is, how
	/// many requests reference it, and which sealers stored it. Records with the same
	/// ciphertext (all the same patient's) share one object, deleted only when none
	/// references it.
	#[pallet::storage]
	pub type Objects<T: Config> = StorageMap<_, Blake2_128Concat, H256, StoredObjectOf<T>>;

	/// The ciphertext objects no record references any more, by content hash: which sealers
	/// must delete them and which did. Removed once every holder deleted its copy.
	#[pallet::storage]
	pub type Unpins<T: Config> = StorageMap<_, Blake2_128Concat, H256, UnpinRequestOf<T>>;

	/// Events of the pinning pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A record was registered: sealers are asked to store its ciphertext.
		PinRequested {
			/// The record.
			record: RecordId,
			/// SHA-256 of its ciphertext.
			content_hash: H256,
			/// Size of its ciphertext in bytes.
			size: u64,
			/// How many confirmations pin it now.
			target: u32,
		},
		/// A sealer confirmed storing a record's ciphertext.
		PinConfirmed {
			/// The record.
			record: RecordId,
			/// The sealer.
			sealer: T::AccountId,
			/// How many sealers have confirmed so far.
			confirmations: u32,
			/// How many confirmations pin it.
			target: u32,
		},
		/// Enough sealers store a record's ciphertext: it is pinned.
		Pinned {
			/// The record.
			record: RecordId,
			/// SHA-256 of its ciphertext.
			content_hash: H256,
		},
		/// A sealer reported failing to store a record's ciphertext.
		PinFailureReported {
			/// The record.
			record: RecordId,
			/// The sealer.
			sealer: T::AccountId,
			/// Why it failed.
			reason: FailureReason,
		},
		/// So many sealers failed to store a record's ciphertext that it cannot be pinned.
		PinFailed {
			/// The record.
			record: RecordId,
			/// SHA-256 of its ciphertext.
			content_hash: H256,
		},
		/// A record was erased: its pin request is gone.
		PinRemoved {
			/// The erased record.
			record: RecordId,
			/// SHA-256 of its ciphertext.
			content_hash: H256,
		},
		/// No record references a ciphertext object any more: its holders are asked to
		/// delete it.
		UnpinRequested {
			/// SHA-256 of the object.
			content_hash: H256,
			/// The erased record that released it.
			record: RecordId,
			/// How many sealers hold a copy.
			holders: u32,
		},
		/// A record with the content of an object being deleted was registered: the
		/// deletion is called off and the holders that had not deleted their copy keep it.
		UnpinCancelled {
			/// SHA-256 of the object.
			content_hash: H256,
			/// The new record referencing it.
			record: RecordId,
		},
		/// A holder confirmed deleting its copy of a released object.
		UnpinConfirmed {
			/// SHA-256 of the object.
			content_hash: H256,
			/// The holder.
			sealer: T::AccountId,
			/// How many holders have deleted their copy so far.
			deleted: u32,
			/// How many holders there are.
			holders: u32,
		},
		/// Every holder deleted its copy of a released object.
		Unpinned {
			/// SHA-256 of the object.
			content_hash: H256,
		},
	}

	/// Errors of the pinning pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The payload's signature is not the named key's signature of it.
		BadSignature,
		/// The payload's key is not a sealer's.
		NotSealer,
		/// The record has no pin request (never registered, or erased).
		PinNotFound,
		/// The pin request is no longer pending (pinned or failed).
		NotPending,
		/// The payload's content hash is not the one registered with the record.
		WrongContentHash,
		/// This sealer already confirmed storing the ciphertext.
		AlreadyConfirmed,
		/// This sealer already reported failing to store the ciphertext.
		AlreadyReported,
		/// More sealers than `MaxSealers` answered.
		TooManySealers,
		/// No deletion of this object is pending.
		UnpinNotFound,
		/// This account does not hold a copy of the object.
		NotHolder,
		/// This holder already confirmed deleting its copy.
		AlreadyDeleted,
		/// The record's ciphertext has no object entry. Every pin request has one, so this
		/// names a broken invariant; the confirmation is refused rather than guess whose
		/// ciphertext it is.
		ObjectNotFound,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn offchain_worker(block: BlockNumberFor<T>) {
			crate::offchain::run::<T>(block);
		}

		fn integrity_test() {
			assert!(T::MaxSealers::get() > 0, "MaxSealers must be positive");
			assert!(T::ReplicationTarget::get() > 0, "ReplicationTarget must be positive");
			assert!(
				T::ReplicationTarget::get() <= T::MaxSealers::get(),
				"ReplicationTarget must not exceed MaxSealers"
			);
			assert!(T::MaxPinsPerRun::get() > 0, "MaxPinsPerRun must be positive");
			assert!(T::MaxUploadAttempts::get() > 0, "MaxUploadAttempts must be positive");
			assert!(T::UnsignedLongevity::get() > 0, "UnsignedLongevity must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Confirm that the sealer signing `payload` stores the ciphertext of
		/// `payload.record`, whose SHA-256 it checked to be `payload.content_hash`.
		///
		/// An unsigned transaction: `signature` is the sealer's `seal` key signature of
		/// `payload` (see [`types::signing_context`]). The sealer must not have confirmed it
		/// yet; a failure it reported is withdrawn. Pins the record once enough sealers
		/// confirmed (a failed request included); on a request already pinned, records the
		/// sealer as one more holder of the object.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::confirm_pin())]
		pub fn confirm_pin(
			origin: OriginFor<T>,
			payload: PinPayloadOf<T>,
			signature: SignatureOf<T>,
		) -> DispatchResult {
			ensure_none(origin)?;
			let (sealer, mut pin) = Self::check_pin(&payload, &signature)?;
			let record = payload.record;
			pin.failures.retain(|(reporter, _)| *reporter != sealer);
			pin.confirmations.try_push(sealer.clone()).map_err(|_| Error::<T>::TooManySealers)?;
			let object = Self::object_with_holder(&pin.content_hash, &sealer)?;
			Objects::<T>::insert(pin.content_hash, object);
			let target = Self::effective_target();
			Self::deposit_event(Event::PinConfirmed {
				record,
				sealer,
				confirmations: Self::count(pin.confirmations.len()),
				target,
			});
			Self::settle(record, &mut pin, target);
			Pins::<T>::insert(record, pin);
			Ok(())
		}

		/// Report that the sealer signing `payload` failed to store the ciphertext of
		/// `payload.record`, and why.
		///
		/// An unsigned transaction: `signature` is the sealer's `seal` key signature of
		/// `payload`. The request must be pending and the sealer must not have answered it
		/// yet. The request fails once so many sealers failed that the replication target
		/// can no longer be reached.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::report_pin_failure())]
		pub fn report_pin_failure(
			origin: OriginFor<T>,
			payload: FailurePayloadOf<T>,
			signature: SignatureOf<T>,
		) -> DispatchResult {
			ensure_none(origin)?;
			let (sealer, mut pin) = Self::check_failure(&payload, &signature)?;
			let record = payload.record;
			pin.failures
				.try_push((sealer.clone(), payload.reason))
				.map_err(|_| Error::<T>::TooManySealers)?;
			Self::deposit_event(Event::PinFailureReported {
				record,
				sealer,
				reason: payload.reason,
			});
			Self::settle(record, &mut pin, Self::effective_target());
			Pins::<T>::insert(record, pin);
			Ok(())
		}

		/// Confirm that the holder signing `payload` deleted its copy of the released object
		/// `payload.content_hash`.
		///
		/// An unsigned transaction: `signature` is the holder's `seal` key signature of
		/// `payload`. The holder need not be a sealer any more: it stored the object while it
		/// was one. The deletion request goes once every holder confirmed.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::confirm_unpin())]
		pub fn confirm_unpin(
			origin: OriginFor<T>,
			payload: UnpinPayloadOf<T>,
			signature: SignatureOf<T>,
		) -> DispatchResult {
			ensure_none(origin)?;
			let (holder, mut unpin) = Self::check_unpin(&payload, &signature)?;
			let content_hash = payload.content_hash;
			unpin.deleted.try_push(holder.clone()).map_err(|_| Error::<T>::TooManySealers)?;
			let deleted = Self::count(unpin.deleted.len());
			let holders = Self::count(unpin.holders.len());
			Self::deposit_event(Event::UnpinConfirmed {
				content_hash,
				sealer: holder,
				deleted,
				holders,
			});
			if deleted >= holders {
				Unpins::<T>::remove(content_hash);
				Self::deposit_event(Event::Unpinned { content_hash });
			} else {
				Unpins::<T>::insert(content_hash, unpin);
			}
			Ok(())
		}
	}

	// TODO: move to `#[pallet::authorize]` with `frame_system::AuthorizeCall` in the runtime's
	// transaction extensions before `ValidateUnsigned` is removed (after April 2027, see
	// https://github.com/paritytech/polkadot-sdk/issues/2415). `validate_call` holds all the
	// logic, so only the wiring changes.
	#[pallet::validate_unsigned]
	#[allow(deprecated)]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			Self::validate_call(call)
		}
	}

	/// Which statement a pool tag is for.
	#[derive(Encode)]
	enum StatementKind {
		/// [`Pallet::confirm_pin`].
		Pin,
		/// [`Pallet::report_pin_failure`].
		Failure,
		/// [`Pallet::confirm_unpin`].
		Unpin,
	}

	impl<T: Config> Pallet<T> {
		/// How many confirmations pin a record now: the replication target, or the number of
		/// sealers if there are fewer, and at least one.
		pub fn effective_target() -> u32 {
			T::ReplicationTarget::get().min(T::Sealers::sealer_count()).max(1)
		}

		/// `record`'s pin request as the runtime API reports it.
		pub fn pin_status(record: RecordId) -> Option<PinStatusInfoOf<T>> {
			Pins::<T>::get(record).map(|pin| PinStatusInfo {
				content_hash: pin.content_hash,
				size: pin.size,
				status: pin.status,
				confirmations: pin.confirmations.into_inner(),
				target: Self::effective_target(),
				failures: pin.failures.into_inner(),
				requested_at: pin.requested_at,
			})
		}

		/// Whether a live record references the ciphertext `content_hash`.
		pub fn is_referenced(content_hash: H256) -> bool {
			Objects::<T>::contains_key(content_hash)
		}

		/// The patient whose live records reference the ciphertext `content_hash`, if any.
		pub fn ciphertext_patient(content_hash: H256) -> Option<T::AccountId> {
			Objects::<T>::get(content_hash).map(|object| object.patient)
		}

		/// The pool's verdict on one of this pallet's calls: every check its dispatch makes,
		/// plus the payload's freshness.
		pub fn validate_call(call: &Call<T>) -> TransactionValidity {
			let (kind, key, block, signer) = match call {
				Call::confirm_pin { payload, signature } => {
					let (sealer, _) = Self::check_pin(payload, signature).map_err(Self::invalid)?;
					(StatementKind::Pin, payload.record.encode(), payload.block, sealer)
				},
				Call::report_pin_failure { payload, signature } => {
					let (sealer, _) =
						Self::check_failure(payload, signature).map_err(Self::invalid)?;
					(StatementKind::Failure, payload.record.encode(), payload.block, sealer)
				},
				Call::confirm_unpin { payload, signature } => {
					let (holder, _) =
						Self::check_unpin(payload, signature).map_err(Self::invalid)?;
					(StatementKind::Unpin, payload.content_hash.encode(), payload.block, holder)
				},
				Call::__Ignore(..) => return InvalidTransaction::Call.into(),
			};
			let now = frame_system::Pallet::<T>::block_number().saturated_into::<u64>();
			let block = block.saturated_into::<u64>();
			if block > now {
				return InvalidTransaction::Future.into();
			}
			let age = now.saturating_sub(block);
			let longevity = T::UnsignedLongevity::get();
			if age >= longevity {
				return InvalidTransaction::Stale.into();
			}
			ValidTransaction::with_tag_prefix("MedchainPinning")
				.priority(T::UnsignedPriority::get())
				// One statement per (kind, request, sealer): a duplicate never enters the pool.
				.and_provides((kind, key, signer))
				.longevity(longevity.saturating_sub(age))
				.propagate(true)
				.build()
		}

		/// Why the pool refuses a call that fails with `error`.
		fn invalid(error: Error<T>) -> InvalidTransaction {
			match error {
				Error::<T>::BadSignature => InvalidTransaction::BadProof,
				Error::<T>::NotSealer | Error::<T>::NotHolder => InvalidTransaction::BadSigner,
				Error::<T>::WrongContentHash => InvalidTransaction::Call,
				Error::<T>::TooManySealers => InvalidTransaction::ExhaustsResources,
				_ => InvalidTransaction::Stale,
			}
		}

		/// The sealer of a valid pin confirmation, and the request it confirms.
		fn check_pin(
			payload: &PinPayloadOf<T>,
			signature: &SignatureOf<T>,
		) -> Result<(T::AccountId, PinRequestOf<T>), Error<T>> {
			let sealer = payload.sealer.clone().into_account();
			ensure!(T::Sealers::is_sealer(&sealer), Error::<T>::NotSealer);
			let pin = Pins::<T>::get(payload.record).ok_or(Error::<T>::PinNotFound)?;
			ensure!(pin.content_hash == payload.content_hash, Error::<T>::WrongContentHash);
			ensure!(!pin.confirmations.contains(&sealer), Error::<T>::AlreadyConfirmed);
			// So that the pool refuses what `confirm_pin` would (never, while the hooks keep
			// an object for every request).
			ensure!(Objects::<T>::contains_key(pin.content_hash), Error::<T>::ObjectNotFound);
			ensure!(
				SignedPayload::<T>::verify::<T::AuthorityId>(payload, signature.clone()),
				Error::<T>::BadSignature
			);
			Ok((sealer, pin))
		}

		/// The sealer of a valid failure report, and the pending request it is about.
		fn check_failure(
			payload: &FailurePayloadOf<T>,
			signature: &SignatureOf<T>,
		) -> Result<(T::AccountId, PinRequestOf<T>), Error<T>> {
			let sealer = payload.sealer.clone().into_account();
			ensure!(T::Sealers::is_sealer(&sealer), Error::<T>::NotSealer);
			let pin = Self::pending_pin(payload.record)?;
			Self::ensure_unanswered(&pin, &sealer)?;
			ensure!(
				SignedPayload::<T>::verify::<T::AuthorityId>(payload, signature.clone()),
				Error::<T>::BadSignature
			);
			Ok((sealer, pin))
		}

		/// The holder of a valid deletion confirmation, and the request it answers.
		fn check_unpin(
			payload: &UnpinPayloadOf<T>,
			signature: &SignatureOf<T>,
		) -> Result<(T::AccountId, UnpinRequestOf<T>), Error<T>> {
			let holder = payload.sealer.clone().into_account();
			let unpin = Unpins::<T>::get(payload.content_hash).ok_or(Error::<T>::UnpinNotFound)?;
			ensure!(unpin.holders.contains(&holder), Error::<T>::NotHolder);
			ensure!(!unpin.deleted.contains(&holder), Error::<T>::AlreadyDeleted);
			ensure!(
				SignedPayload::<T>::verify::<T::AuthorityId>(payload, signature.clone()),
				Error::<T>::BadSignature
			);
			Ok((holder, unpin))
		}

		/// `record`'s pin request, if it is pending.
		fn pending_pin(record: RecordId) -> Result<PinRequestOf<T>, Error<T>> {
			let pin = Pins::<T>::get(record).ok_or(Error::<T>::PinNotFound)?;
			ensure!(pin.status == PinStatus::Pending, Error::<T>::NotPending);
			Ok(pin)
		}

		fn ensure_unanswered(pin: &PinRequestOf<T>, sealer: &T::AccountId) -> Result<(), Error<T>> {
			ensure!(!pin.confirmations.contains(sealer), Error::<T>::AlreadyConfirmed);
			ensure!(
				!pin.failures.iter().any(|(reporter, _)| reporter == sealer),
				Error::<T>::AlreadyReported
			);
			Ok(())
		}

		/// The object `content_hash` with `sealer` among its holders (not yet stored).
		fn object_with_holder(
			content_hash: &H256,
			sealer: &T::AccountId,
		) -> Result<StoredObjectOf<T>, Error<T>> {
			let mut object = Objects::<T>::get(content_hash).ok_or(Error::<T>::ObjectNotFound)?;
			if !object.holders.contains(sealer) {
				object.holders.try_push(sealer.clone()).map_err(|_| Error::<T>::TooManySealers)?;
			}
			Ok(object)
		}

		/// Sets `pin`'s status from its answers: pinned once `target` sealers confirmed, failed
		/// while too many report failure for the rest to reach it, pending otherwise. Emits
		/// [`Event::Pinned`] or [`Event::PinFailed`] when it becomes so, and keeps [`Pending`]
		/// listing every request not pinned.
		fn settle(record: RecordId, pin: &mut PinRequestOf<T>, target: u32) {
			let confirmations = Self::count(pin.confirmations.len());
			let failures = Self::count(pin.failures.len());
			// Each sealer that has not failed may still confirm: the target is out of reach
			// once fewer than `target` sealers have not failed.
			let reachable = T::Sealers::sealer_count().saturating_sub(failures) >= target;
			let status = if confirmations >= target {
				PinStatus::Pinned
			} else if !reachable {
				PinStatus::Failed
			} else {
				PinStatus::Pending
			};
			if status == pin.status {
				return;
			}
			pin.status = status;
			let content_hash = pin.content_hash;
			match status {
				PinStatus::Pinned => {
					Pending::<T>::remove(record);
					Self::deposit_event(Event::Pinned { record, content_hash });
				},
				PinStatus::Failed => Self::deposit_event(Event::PinFailed { record, content_hash }),
				// A failed request some confirmations re-opened: `PinConfirmed` says so.
				PinStatus::Pending => {},
			}
		}

		/// Has every node that imports this block drop its own copy of the ciphertext
		/// `content_hash` (the one a client put with `blobs_put`), through off-chain indexing:
		/// no record references it any more, so an erased record's ciphertext is not kept or
		/// served by any node, whether or not it was ever pinned. The node always indexes.
		fn release_local_copies(content_hash: &H256) {
			sp_io::offchain_index::clear(&medchain_primitives::pinning::blob_key(content_hash));
		}

		/// A bounded length as a `u32` (bounds are `u32`s, so this never saturates).
		fn count(len: usize) -> u32 {
			u32::try_from(len).unwrap_or(u32::MAX)
		}
	}

	/// Each hook returns what its most expensive case (this pallet's `on_registered` and
	/// `on_erased` benchmarks) reads and writes but this call did not.
	impl<T: Config> RecordHooks<T::AccountId> for Pallet<T> {
		fn ciphertext_claim(content_hash: &H256) -> Option<CiphertextClaim<T::AccountId>> {
			// An object and a deletion of the same ciphertext never coexist.
			match Objects::<T>::get(content_hash) {
				Some(object) => Some(CiphertextClaim::Named(object.patient)),
				None => Unpins::<T>::get(content_hash)
					.map(|unpin| CiphertextClaim::BeingDeleted(unpin.patient)),
			}
		}

		fn on_registered(
			record: RecordId,
			patient: &T::AccountId,
			content_hash: &H256,
			size: u64,
		) -> Weight {
			let db = T::DbWeight::get();
			if Pins::<T>::contains_key(record) {
				// Record ids are never reused; nothing to do if one were.
				log::warn!(target: LOG_TARGET, "record {record} already has a pin request");
				// The sealers not read; nothing written (the record registry read the object
				// or the deletion with `ciphertext_claim`).
				return db.reads_writes(1, 4);
			}
			// The record registry checked with `ciphertext_claim` that the object, or the
			// deletion called off below, is this patient's.
			let mut object = Objects::<T>::get(content_hash).unwrap_or(StoredObject {
				patient: patient.clone(),
				references: 0,
				holders: BoundedVec::new(),
			});
			let cancelled = Unpins::<T>::take(content_hash);
			let unused = match cancelled {
				Some(unpin) => {
					// The object is needed again: the holders that have not deleted it keep it.
					for holder in
						unpin.holders.iter().filter(|holder| !unpin.deleted.contains(holder))
					{
						if !object.holders.contains(holder) {
							// Both lists are bounded by `MaxSealers`: this cannot fail.
							let _ = object.holders.try_push(holder.clone());
						}
					}
					Self::deposit_event(Event::UnpinCancelled {
						content_hash: *content_hash,
						record,
					});
					Weight::zero()
				},
				// No deletion to call off: it is read, not written.
				None => db.writes(1),
			};
			object.references = object.references.saturating_add(1);
			Objects::<T>::insert(content_hash, object);
			Pins::<T>::insert(
				record,
				PinRequest {
					content_hash: *content_hash,
					size,
					status: PinStatus::Pending,
					confirmations: BoundedVec::new(),
					failures: BoundedVec::new(),
					requested_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Pending::<T>::insert(record, ());
			Self::deposit_event(Event::PinRequested {
				record,
				content_hash: *content_hash,
				size,
				target: Self::effective_target(),
			});
			unused
		}

		fn on_erased(record: RecordId, _content_hash: &H256) -> Weight {
			let db = T::DbWeight::get();
			let Some(pin) = Pins::<T>::take(record) else {
				// Only the pin was read.
				return db.reads_writes(1, 4);
			};
			Pending::<T>::remove(record);
			// The hash the pin request was made for is the one the object is filed under.
			let content_hash = pin.content_hash;
			Self::deposit_event(Event::PinRemoved { record, content_hash });
			let Some(mut object) = Objects::<T>::take(content_hash) else {
				Self::release_local_copies(&content_hash);
				// Neither the object nor a deletion written.
				return db.writes(2);
			};
			object.references = object.references.saturating_sub(1);
			if object.references > 0 {
				// Another record still needs the object: no deletion written.
				Objects::<T>::insert(content_hash, object);
				return db.writes(1);
			}
			Self::release_local_copies(&content_hash);
			if object.holders.is_empty() {
				// Nobody holds it yet: no deletion written.
				return db.writes(1);
			}
			let holders = Self::count(object.holders.len());
			Unpins::<T>::insert(
				content_hash,
				UnpinRequest {
					record,
					patient: object.patient,
					holders: object.holders,
					deleted: BoundedVec::new(),
					requested_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::UnpinRequested { content_hash, record, holders });
			Weight::zero()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl<T: Config> Pallet<T> {
		/// As many holders as there may be sealers: the most an object or a deletion lists.
		fn benchmark_holders() -> BoundedVec<T::AccountId, T::MaxSealers> {
			BoundedVec::truncate_from(
				(0..T::MaxSealers::get())
					.map(|i| frame_benchmarking::account("holder", i, 0))
					.collect::<alloc::vec::Vec<_>>(),
			)
		}
	}

	/// The record registry's benchmarks measure these hooks with its calls: the worst cases
	/// are those of this pallet's own `on_registered` and `on_erased` benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	impl<T: Config> medchain_primitives::health::RecordHooksBenchmarkHelper<T::AccountId>
		for Pallet<T>
	{
		fn worst_case_registration(patient: &T::AccountId, content_hash: &H256) {
			// A deletion of the patient's same ciphertext by every sealer is called off.
			let holders = Self::benchmark_holders();
			Unpins::<T>::insert(
				content_hash,
				UnpinRequest {
					record: RecordId::MAX,
					patient: patient.clone(),
					holders,
					deleted: BoundedVec::new(),
					requested_at: frame_system::Pallet::<T>::block_number(),
				},
			);
		}

		fn worst_case_erasure(record: RecordId) -> Result<(), &'static str> {
			// The last reference to an object every sealer holds: deletion is requested.
			let Some(pin) = Pins::<T>::get(record) else { return Ok(()) };
			let holders = Self::benchmark_holders();
			// The registry's benchmark registered the record through the hooks just before.
			let object = Objects::<T>::get(pin.content_hash)
				.ok_or("benchmark set-up: the pinned record's object is missing")?;
			Objects::<T>::insert(
				pin.content_hash,
				StoredObject { patient: object.patient, references: 1, holders },
			);
			Ok(())
		}
	}
}
