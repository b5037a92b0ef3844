//! # Consent pallet
//!
//! Who may read or add to a patient's records, modelled on HL7 FHIR R5 `Consent`.
//!
//! - The patient, or a delegate while their delegation lasts, [grants](Pallet::grant) a
//!   consent to an account or an organisation (optionally only its members holding a role):
//!   which records (all, some categories, listed records), which actions (read, append),
//!   which purposes (treatment, emergency, payment…), and a period. [`Pallet::revoke`] ends it
//!   at once. A consent past its end stops granting by itself: expiry is derived when read.
//! - The patient [adds](Pallet::add_delegate) and removes delegates (e.g. a parent for a minor,
//!   with an end date).
//! - Emergency staff of a registered organisation may [break the glass](Pallet::break_glass):
//!   a read of one patient's records for [`Config::EmergencyAccessDuration`], with a reason code
//!   and the hash of a written justification. The event names the patient and their delegates;
//!   the patient and the auditors each later [review](Pallet::review_break_glass) it once.
//! - [`Pallet::can_access`] is the one decision function, deterministic from chain state; the
//!   record registry asks it (through `AccessPolicy`) before any append, and readers record
//!   each read with [`Pallet::record_access`], leaving a read receipt in [`AccessLog`] that is
//!   never deleted.
//! - Consents and delegations hold a deposit while they occupy the patient's capped lists
//!   ([`Config::MaxConsentsPerPatient`], [`Config::MaxDelegates`]); a revoked consent leaves the
//!   list and returns its deposit, but stays in [`Consents`] as history.
//!
//! Delegates act for the patient but do not read the patient's records by being delegates: a
//! delegate who needs to read grants themselves a consent, which is then on record. Whatever
//! a delegate grants ends by the end of their delegation, and once a delegation is over (or
//! removed) its former holder can no longer revoke running consents; anyone may revoke a
//! consent whose period has ended, returning its deposit to its grantor. Removing a delegate
//! revokes at once the consents they granted to their own account. What they granted to
//! others stays, an organisation they belong to included (its other members' care goes on):
//! the patient reviews those ([`Pallet::consents_of`]) and revokes what they no longer want.
//!
//! The audit trail is the one kind of storage that holds no refundable deposit: read receipts
//! ([`AccessLog`]), revoked and expired consents ([`Consents`]) and break-glass accesses
//! ([`EmergencyAccesses`]), like the record registry's tombstones, are never freed, because
//! history must never be lost (HIPAA's audit controls keep such logs for six years). A deposit
//! that can never be returned would be a fee by another name: each entry is bounded in size
//! and written by a signed call whose fee pays for it.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

/// The largest page [`Pallet::access_log`] returns.
pub const MAX_ACCESS_LOG_PAGE: u32 = 100;

/// The consent pallet's runtime API, for wallets and providers' systems.
pub mod runtime_api {
	use alloc::vec::Vec;
	use medchain_primitives::health::{AccessDecision, Action, ConsentId, Purpose, RecordId};

	sp_api::decl_runtime_apis! {
		/// Asks the consent pallet.
		///
		/// `ConsentInfo` is `pallet_consent::ConsentOf<Runtime>`.
		pub trait ConsentApi<AccountId, ConsentInfo> where
			AccountId: codec::Codec,
			ConsentInfo: codec::Codec,
		{
			/// Whether `who` may perform `action` on `record` for `purpose`, under which
			/// consent, and why.
			fn can_access(
				who: AccountId,
				record: RecordId,
				action: Action,
				purpose: Purpose,
			) -> AccessDecision;
			/// `patient`'s consents that are not revoked (active, not yet started or
			/// expired), with their status at this block.
			fn consents_of(patient: AccountId) -> Vec<(ConsentId, ConsentInfo)>;
			/// Up to `count` (at most 100) read receipts of `record`, from sequence number
			/// `start`, with their sequence numbers.
			fn access_log(
				record: RecordId,
				start: u32,
				count: u32,
			) -> Vec<(u32, crate::AccessReceipt<AccountId>)>;
		}
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Mutate, MutateHold},
			Time,
		},
	};
	use frame_system::pallet_prelude::*;
	use medchain_primitives::{
		health::{
			sorted_set, AccessDecision, AccessPolicy, AccessReason, Action, Actions, CategoryCode,
			ConsentId, ConsentRevocationHooks, OrgId, OrgKind, Organisations, Purpose, Purposes,
			RecordId, RecordInspect, RecordStatus, Role, SetError,
		},
		vocabulary::is_document_category,
	};
	use sp_core::H256;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the consent pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The currency deposits are held in.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason: From<HoldReason>>;
		/// The chain's clock, in milliseconds since the Unix epoch (`pallet_timestamp`).
		type Time: Time<Moment = u64>;
		/// The record registry, to learn a record's patient, category and status.
		type Records: RecordInspect<Self::AccountId>;
		/// Told when a consent is revoked, to remove the key envelopes it leaves unneeded (the
		/// record registry); `()` if nobody.
		type RevocationHooks: ConsentRevocationHooks<Self::AccountId>;
		/// The consortium's organisations and their members' roles.
		type Organisations: Organisations<Self::AccountId>;
		/// The deposit held for a consent from its grantor, while it is not revoked.
		#[pallet::constant]
		type ConsentDeposit: Get<BalanceOf<Self>>;
		/// The deposit held for a delegation from the patient, while it exists.
		#[pallet::constant]
		type DelegateDeposit: Get<BalanceOf<Self>>;
		/// The largest number of consents (not revoked) a patient may have.
		#[pallet::constant]
		type MaxConsentsPerPatient: Get<u32>;
		/// The largest number of consents (not revoked) a patient may have for one grantee key:
		/// one account, or one organisation whatever the role. Bounds the reads of
		/// [`Pallet::can_access`].
		#[pallet::constant]
		type MaxConsentsPerGrantee: Get<u32>;
		/// The largest number of categories or records a consent's scope may list.
		#[pallet::constant]
		type MaxScopeItems: Get<u32>;
		/// The largest number of delegates a patient may have.
		#[pallet::constant]
		type MaxDelegates: Get<u32>;
		/// How long a break-glass access lasts, in milliseconds.
		#[pallet::constant]
		type EmergencyAccessDuration: Get<u64>;
		/// Weights of this pallet's calls, measured by its benchmarks.
		type WeightInfo: WeightInfo;
		/// Creates records for the benchmarks (`pallet_records::Pallet<Runtime>`).
		#[cfg(feature = "runtime-benchmarks")]
		type RecordsHelper: medchain_primitives::health::RecordsBenchmarkHelper<Self::AccountId>;
		/// Creates organisation members for the benchmarks
		/// (`pallet_consortium::Pallet<Runtime>`).
		#[cfg(feature = "runtime-benchmarks")]
		type OrganisationsHelper: medchain_primitives::health::OrganisationsBenchmarkHelper<
			Self::AccountId,
		>;
	}

	/// Why the consent pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit for a consent that is not revoked.
		#[codec(index = 0)]
		ConsentDeposit,
		/// The deposit for a delegation.
		#[codec(index = 1)]
		DelegateDeposit,
	}

	/// The id the next consent or break-glass access will get (they share one id space).
	#[pallet::storage]
	pub type NextConsentId<T: Config> = StorageValue<_, ConsentId, ValueQuery>;

	/// Every consent ever granted, revoked ones included, by id: the consent history.
	#[pallet::storage]
	pub type Consents<T: Config> = StorageMap<_, Twox64Concat, ConsentId, ConsentOf<T>>;

	/// The ids of each patient's consents that are not revoked, oldest first: the ones
	/// [`Pallet::can_access`] considers.
	#[pallet::storage]
	pub type ConsentsOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<ConsentId, T::MaxConsentsPerPatient>,
		ValueQuery,
	>;

	/// The ids of each patient's consents that are not revoked, by grantee key (the account, or
	/// the organisation), oldest first: where [`Pallet::can_access`] looks, so that a decision
	/// reads a bounded handful of consents however many the patient has.
	#[pallet::storage]
	pub type ConsentsByGrantee<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		GranteeKey<T::AccountId>,
		BoundedVec<ConsentId, T::MaxConsentsPerGrantee>,
		ValueQuery,
	>;

	/// Each patient's delegates.
	#[pallet::storage]
	pub type Delegates<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<DelegationOf<T>, T::MaxDelegates>,
		ValueQuery,
	>;

	/// Every break-glass access ever opened, by id, with its review: never deleted.
	#[pallet::storage]
	pub type EmergencyAccesses<T: Config> =
		StorageMap<_, Twox64Concat, ConsentId, EmergencyAccessOf<T>>;

	/// The latest break-glass access of each emergency staff member on each patient, by
	/// patient and accessor, while it may still be running: `can_access` finds it with one
	/// read. There is no cap, so no number of colleagues' accesses can keep an emergency out;
	/// an expired entry is replaced by the accessor's next break-glass, or removed when the
	/// access is reviewed, or by anyone with `clear_ended_emergency_access`.
	#[pallet::storage]
	pub type OpenEmergencyAccesses<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		OpenEmergencyAccess,
	>;

	/// Read receipts of each record, by record and sequence number: never deleted.
	#[pallet::storage]
	pub type AccessLog<T: Config> =
		StorageDoubleMap<_, Twox64Concat, RecordId, Twox64Concat, u32, AccessReceipt<T::AccountId>>;

	/// How many read receipts each record has: the next receipt's sequence number.
	#[pallet::storage]
	pub type AccessLogLength<T: Config> = StorageMap<_, Twox64Concat, RecordId, u32, ValueQuery>;

	/// Events of the consent pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A consent was granted.
		ConsentGranted {
			/// The new consent.
			consent: ConsentId,
			/// The patient whose records it concerns.
			patient: T::AccountId,
			/// The patient or the delegate who granted it.
			grantor: T::AccountId,
			/// Who it is given to.
			grantee: Grantee<T::AccountId>,
			/// When it starts, in milliseconds since the Unix epoch.
			start: u64,
			/// When it ends, if ever.
			end: Option<u64>,
		},
		/// A consent was revoked: it grants nothing from now on.
		ConsentRevoked {
			/// The consent.
			consent: ConsentId,
			/// The patient whose records it concerned.
			patient: T::AccountId,
			/// The patient or the delegate who revoked it.
			revoked_by: T::AccountId,
		},
		/// A consent past its end was taken off the patient's list, its deposit returned to
		/// its grantor. It had stopped granting at its end; it stays expired in the history.
		ExpiredConsentCleared {
			/// The consent.
			consent: ConsentId,
			/// The patient whose records it concerned.
			patient: T::AccountId,
			/// Who took it off the list (anyone may).
			cleared_by: T::AccountId,
		},
		/// The patient made `delegate` able to grant and revoke consents for them.
		DelegateAdded {
			/// The patient.
			patient: T::AccountId,
			/// The delegate.
			delegate: T::AccountId,
			/// When the delegation ends, if ever.
			until: Option<u64>,
		},
		/// A delegation was removed.
		DelegateRemoved {
			/// The patient.
			patient: T::AccountId,
			/// The former delegate.
			delegate: T::AccountId,
			/// The patient or the delegate, whoever removed it.
			removed_by: T::AccountId,
		},
		/// Emergency staff broke the glass on a patient's records. Addressed to the patient
		/// and to every delegate listed in `notified`.
		EmergencyAccessGranted {
			/// The break-glass access.
			access: ConsentId,
			/// The patient whose records may be read.
			patient: T::AccountId,
			/// The emergency staff member.
			accessor: T::AccountId,
			/// Their organisation.
			organisation: OrgId,
			/// The reason code.
			reason: EmergencyReason,
			/// SHA-256 of the written justification.
			justification_hash: H256,
			/// When the access ends, in milliseconds since the Unix epoch.
			expires_at: u64,
			/// The patient's delegates, who are told too.
			notified: BoundedVec<T::AccountId, T::MaxDelegates>,
		},
		/// A break-glass access was reviewed.
		EmergencyAccessReviewed {
			/// The break-glass access.
			access: ConsentId,
			/// The patient or auditor who reviewed it.
			reviewer: T::AccountId,
			/// Their conclusion.
			outcome: ReviewOutcome,
		},
		/// The running entry of an ended break-glass access was cleared; the access itself
		/// stays as history.
		EmergencyAccessEntryCleared {
			/// The break-glass access.
			access: ConsentId,
			/// The patient it was to.
			patient: T::AccountId,
			/// The emergency staff member.
			accessor: T::AccountId,
		},
		/// A record was read: a read receipt was added to its access log.
		RecordAccessed {
			/// The record.
			record: RecordId,
			/// The receipt's sequence number in the record's access log.
			sequence: u32,
			/// Who read it.
			reader: T::AccountId,
			/// The consent or break-glass access used; `None` for the patient.
			consent_used: Option<ConsentId>,
			/// Patient, consent or break-glass.
			basis: AccessReason,
			/// For what.
			purpose: Purpose,
		},
	}

	/// Errors of the consent pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// Only the patient or one of their delegates (while the delegation lasts) may do this.
		NotPatientOrDelegate,
		/// The caller's delegation for this patient has ended.
		DelegationEnded,
		/// No consent with this id.
		ConsentNotFound,
		/// The consent is already revoked, or, past its end, already taken off the patient's
		/// list.
		AlreadyRevoked,
		/// The patient already has `MaxConsentsPerPatient` consents: revoke some first.
		TooManyConsents,
		/// The patient already has `MaxConsentsPerGrantee` consents for this account or
		/// organisation: revoke one first, or widen an existing one.
		TooManyConsentsForGrantee,
		/// A patient needs no consent to access their own records.
		CannotConsentToSelf,
		/// No organisation with this id is registered.
		UnknownOrganisation,
		/// The consent lists no action.
		NoActions,
		/// The consent lists an action twice.
		DuplicateAction,
		/// The consent lists no purpose.
		NoPurposes,
		/// The consent lists a purpose twice.
		DuplicatePurpose,
		/// The scope lists no category or record.
		EmptyScope,
		/// The scope lists a category twice, or two records of one document (the same record,
		/// or two versions of it).
		DuplicateScopeItem,
		/// A category in the scope is not one of the consortium's document categories (LOINC
		/// document types such as `11488-4`, consult note).
		InvalidCategory,
		/// A record in the scope is not a live record of this patient.
		RecordNotOfPatient,
		/// The period ends before it starts.
		InvalidPeriod,
		/// The period has already ended.
		PeriodEnded,
		/// The account is already a delegate of this patient.
		AlreadyDelegate,
		/// The patient already has `MaxDelegates` delegates.
		TooManyDelegates,
		/// A patient cannot be their own delegate.
		CannotDelegateToSelf,
		/// The account is not a delegate of this patient.
		NotDelegate,
		/// Only the patient or the delegate may remove a delegation.
		NotPatientOrThisDelegate,
		/// Only a member holding the emergency role in a registered organisation may break
		/// the glass.
		NotEmergencyStaff,
		/// A patient needs no break-glass access to their own records.
		CannotBreakGlassOnSelf,
		/// The justification hash is all zeros: give the SHA-256 of the written justification.
		MissingJustification,
		/// The consent form hash is all zeros: give the SHA-256 of the signed form, or none.
		InvalidFormHash,
		/// The caller already has a running break-glass access to this patient's records.
		EmergencyAccessActive,
		/// No break-glass access with this id.
		EmergencyAccessNotFound,
		/// This accessor has no running entry for a break-glass access to this patient.
		NoRunningEntry,
		/// The break-glass access has already been reviewed by the caller's side: the patient,
		/// or the auditors.
		AlreadyReviewed,
		/// Only the patient, or an auditor of the accessor's organisation or of a regulator,
		/// other than the accessor, may review a break-glass access.
		NotReviewer,
		/// No record with this id was ever registered.
		RecordNotFound,
		/// The record was erased by its patient.
		RecordErased,
		/// No consent of the patient names this account or its organisation.
		NoConsent,
		/// The consent's period has not started yet.
		ConsentNotYetValid,
		/// The consent's period has ended.
		ConsentExpired,
		/// The consent does not permit this action.
		ActionNotPermitted,
		/// The consent does not permit this purpose.
		PurposeNotPermitted,
		/// The consent does not cover this record.
		OutOfScope,
		/// The caller's break-glass access has expired.
		EmergencyAccessExpired,
		/// The record's access log holds `u32::MAX` receipts.
		AccessLogFull,
		/// The id counter would overflow.
		Overflow,
		/// A delegate's consent must end (`end`) no later than their delegation does.
		ConsentOutlastsDelegation,
		/// The record was entered in error: only its patient and its author may read it.
		RecordEnteredInError,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxConsentsPerPatient::get() > 0, "MaxConsentsPerPatient must be positive");
			assert!(T::MaxConsentsPerGrantee::get() > 0, "MaxConsentsPerGrantee must be positive");
			assert!(
				T::MaxConsentsPerGrantee::get() <= T::MaxConsentsPerPatient::get(),
				"MaxConsentsPerGrantee cannot exceed MaxConsentsPerPatient"
			);
			assert!(T::MaxScopeItems::get() > 0, "MaxScopeItems must be positive");
			assert!(
				T::EmergencyAccessDuration::get() > 0,
				"EmergencyAccessDuration must be positive"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Grant `grantee` a consent to `patient`'s records. The patient, or a delegate while
		/// the delegation lasts; a consent a delegate grants must end by the end of their
		/// delegation.
		///
		/// `scope` says which records, `actions` what may be done with them, `purposes` what
		/// for; the consent runs from `start` (now if `None` or in the past) until `end`
		/// (exclusive; until revoked if `None`), in milliseconds since the Unix epoch.
		/// `form_hash` is the SHA-256 of a signed consent form kept off chain, if any. Holds
		/// `ConsentDeposit` from the caller until the consent is revoked.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::grant(scope.item_count()))]
		pub fn grant(
			origin: OriginFor<T>,
			patient: T::AccountId,
			grantee: Grantee<T::AccountId>,
			scope: ConsentScopeOf<T>,
			actions: Actions,
			purposes: Purposes,
			start: Option<u64>,
			end: Option<u64>,
			form_hash: Option<H256>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let now = T::Time::now();
			let authority_ends = Self::ensure_patient_or_delegate(&who, &patient, now)?;
			match &grantee {
				Grantee::Account(account) => {
					ensure!(*account != patient, Error::<T>::CannotConsentToSelf)
				},
				Grantee::Organisation { org, .. } => ensure!(
					T::Organisations::organisation_kind(*org).is_some(),
					Error::<T>::UnknownOrganisation
				),
			}
			let actions = sorted_set(actions).map_err(|e| match e {
				SetError::Empty => Error::<T>::NoActions,
				SetError::Duplicate => Error::<T>::DuplicateAction,
			})?;
			let purposes = sorted_set(purposes).map_err(|e| match e {
				SetError::Empty => Error::<T>::NoPurposes,
				SetError::Duplicate => Error::<T>::DuplicatePurpose,
			})?;
			ensure!(!form_hash.is_some_and(|hash| hash.is_zero()), Error::<T>::InvalidFormHash);
			let scope = Self::validated_scope(scope, &patient)?;
			let requested_start = start.unwrap_or(now);
			if let Some(end) = end {
				ensure!(end > requested_start, Error::<T>::InvalidPeriod);
				ensure!(end > now, Error::<T>::PeriodEnded);
			}
			// What a delegate grants ends with their delegation: a guardian of a minor cannot
			// leave consents (their own included) running past the day the patient decides.
			if let Some(until) = authority_ends {
				ensure!(end.is_some_and(|end| end <= until), Error::<T>::ConsentOutlastsDelegation);
			}
			// A start in the past would make the consent look older than it is in the
			// audit trail; it starts when it is granted instead.
			let start = requested_start.max(now);

			let consent = NextConsentId::<T>::get();
			let next = consent.checked_add(1).ok_or(Error::<T>::Overflow)?;
			ConsentsOf::<T>::try_mutate(&patient, |consents| consents.try_push(consent))
				.map_err(|_| Error::<T>::TooManyConsents)?;
			ConsentsByGrantee::<T>::try_mutate(&patient, grantee.key(), |consents| {
				consents.try_push(consent)
			})
			.map_err(|_| Error::<T>::TooManyConsentsForGrantee)?;
			let deposit = Deposit { depositor: who.clone(), amount: T::ConsentDeposit::get() };
			Self::hold(HoldReason::ConsentDeposit, &deposit.depositor, deposit.amount)?;
			Consents::<T>::insert(
				consent,
				Consent {
					patient: patient.clone(),
					grantor: who.clone(),
					grantee: grantee.clone(),
					scope,
					actions,
					purposes,
					start,
					end,
					status: ConsentStatus::Active,
					created_at: now,
					revoked_at: None,
					revoked_by: None,
					form_hash,
					deposit,
				},
			);
			NextConsentId::<T>::put(next);
			Self::deposit_event(Event::ConsentGranted {
				consent,
				patient,
				grantor: who,
				grantee,
				start,
				end,
			});
			Ok(())
		}

		/// Revoke `consent`: from this block on it grants nothing. The patient, or a delegate
		/// while the delegation lasts; once the consent's period has ended, anyone.
		///
		/// The consent stays in [`Consents`] as history; it leaves the patient's list and its
		/// deposit returns to its grantor. Expired consents are taken off the list the same
		/// way, to free their place, and stay expired: the history does not say that anyone
		/// withdrew them ([`Event::ExpiredConsentCleared`]).
		///
		/// The grantee's key envelopes of the patient's records that nobody may read any more
		/// are removed with it ([`Config::RevocationHooks`]), their deposits returned; the
		/// caller is charged only for those examined.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::revoke().saturating_add(T::RevocationHooks::max_weight()))]
		pub fn revoke(origin: OriginFor<T>, consent: ConsentId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let now = T::Time::now();
			let entry = Consents::<T>::get(consent).ok_or(Error::<T>::ConsentNotFound)?;
			ensure!(entry.status == ConsentStatus::Active, Error::<T>::AlreadyRevoked);
			// A consent that has ended grants nothing, so anyone may revoke it to free its
			// place and return its deposit to the grantor (a former delegate included). A
			// running one only the patient or a current delegate may end: a delegate
			// removed or past their term must not cut off the patient's care.
			if entry.status_at(now) != ConsentStatus::Expired {
				Self::ensure_patient_or_delegate(&who, &entry.patient, now)?;
			}
			let (patient, grantee) = (entry.patient.clone(), entry.grantee.key());
			Self::end_consent(consent, entry, &who, now)?;
			// After the consent is marked revoked, so the hook sees it grant nothing.
			let hooks_weight = T::RevocationHooks::on_revoked(&patient, &grantee);
			Ok(Some(T::WeightInfo::revoke().saturating_add(hooks_weight)).into())
		}

		/// Let `delegate` grant and revoke consents for the caller (the patient) until `until`
		/// (exclusive, milliseconds since the Unix epoch; until removed if `None`).
		///
		/// Holds `DelegateDeposit` from the patient until the delegation is removed.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_delegate())]
		pub fn add_delegate(
			origin: OriginFor<T>,
			delegate: T::AccountId,
			until: Option<u64>,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			let now = T::Time::now();
			ensure!(delegate != patient, Error::<T>::CannotDelegateToSelf);
			if let Some(until) = until {
				ensure!(until > now, Error::<T>::PeriodEnded);
			}
			let amount = T::DelegateDeposit::get();
			Delegates::<T>::try_mutate(&patient, |delegations| {
				ensure!(
					!delegations.iter().any(|d| d.delegate == delegate),
					Error::<T>::AlreadyDelegate
				);
				delegations
					.try_push(Delegation {
						delegate: delegate.clone(),
						until,
						since: now,
						deposit: amount,
					})
					.map_err(|_| Error::<T>::TooManyDelegates)
			})?;
			Self::hold(HoldReason::DelegateDeposit, &patient, amount)?;
			Self::deposit_event(Event::DelegateAdded { patient, delegate, until });
			Ok(())
		}

		/// Remove `delegate` from `patient`'s delegates and return the deposit to the patient.
		/// The patient, or the delegate stepping down (even after the delegation ended).
		///
		/// The consents the delegate granted to their own account end with it (revoked by the
		/// caller, or cleared as expired if past their end; their deposits returned to the
		/// delegate, their key envelopes that nobody may read any more removed). What they
		/// granted to others stays, to an organisation they belong to too: removing a delegate
		/// must not cut off the patient's care. The patient revokes those they no longer want.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_delegate()
			.saturating_add(Pallet::<T>::own_consents_weight(
				T::MaxConsentsPerGrantee::get(),
				T::MaxConsentsPerGrantee::get(),
			))
			.saturating_add(T::RevocationHooks::max_weight()))]
		pub fn remove_delegate(
			origin: OriginFor<T>,
			patient: T::AccountId,
			delegate: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(who == patient || who == delegate, Error::<T>::NotPatientOrThisDelegate);
			let removed = Delegates::<T>::try_mutate(&patient, |delegations| {
				let at = delegations
					.iter()
					.position(|d| d.delegate == delegate)
					.ok_or(Error::<T>::NotDelegate)?;
				Ok::<_, Error<T>>(delegations.remove(at))
			})?;
			Self::release(HoldReason::DelegateDeposit, &patient, removed.deposit)?;
			Self::deposit_event(Event::DelegateRemoved {
				patient: patient.clone(),
				delegate: delegate.clone(),
				removed_by: who.clone(),
			});

			let now = T::Time::now();
			let grantee = GranteeKey::Account(delegate.clone());
			let (mut examined, mut ended) = (0u32, 0u32);
			for consent in ConsentsByGrantee::<T>::get(&patient, &grantee) {
				examined = examined.saturating_add(1);
				let Some(entry) = Consents::<T>::get(consent) else { continue };
				if entry.grantor == delegate && entry.status == ConsentStatus::Active {
					Self::end_consent(consent, entry, &who, now)?;
					ended = ended.saturating_add(1);
				}
			}
			// After the consents are marked revoked, so the hook sees them grant nothing.
			let hooks_weight = if ended > 0 {
				T::RevocationHooks::on_revoked(&patient, &grantee)
			} else {
				Weight::zero()
			};
			Ok(Some(
				T::WeightInfo::remove_delegate()
					.saturating_add(Self::own_consents_weight(examined, ended))
					.saturating_add(hooks_weight),
			)
			.into())
		}

		/// Break the glass: read `patient`'s records in an emergency, without their consent,
		/// for `EmergencyAccessDuration`, with purpose `Emergency` only.
		///
		/// The caller must hold the emergency role in a registered organisation. `reason` is a
		/// code; `justification_hash` the SHA-256 of the written justification kept off chain.
		/// The event tells the patient and their delegates; the access awaits review. No
		/// deposit: an emergency must not wait for funds.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::break_glass())]
		pub fn break_glass(
			origin: OriginFor<T>,
			patient: T::AccountId,
			reason: EmergencyReason,
			justification_hash: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(who != patient, Error::<T>::CannotBreakGlassOnSelf);
			ensure!(!justification_hash.is_zero(), Error::<T>::MissingJustification);
			let organisation = T::Organisations::organisation_of(&who)
				.filter(|org| T::Organisations::has_role(*org, &who, Role::Emergency))
				.ok_or(Error::<T>::NotEmergencyStaff)?;
			let now = T::Time::now();
			let expires_at = now.saturating_add(T::EmergencyAccessDuration::get());

			let access = NextConsentId::<T>::get();
			let next = access.checked_add(1).ok_or(Error::<T>::Overflow)?;
			// One running access per accessor and patient. An entry from an organisation the
			// accessor no longer holds the emergency role in grants nothing (`decide`), so it
			// must not keep them out of this emergency either.
			ensure!(
				OpenEmergencyAccesses::<T>::get(&patient, &who).is_none_or(|running| {
					running.expires_at <= now
						|| !T::Organisations::has_role(running.organisation, &who, Role::Emergency)
				}),
				Error::<T>::EmergencyAccessActive
			);
			OpenEmergencyAccesses::<T>::insert(
				&patient,
				&who,
				OpenEmergencyAccess { id: access, organisation, expires_at },
			);
			EmergencyAccesses::<T>::insert(
				access,
				EmergencyAccess {
					patient: patient.clone(),
					accessor: who.clone(),
					organisation,
					reason,
					justification_hash,
					started_at: now,
					expires_at,
					audit_review: None,
					patient_review: None,
				},
			);
			NextConsentId::<T>::put(next);
			let notified = BoundedVec::truncate_from(
				Delegates::<T>::get(&patient)
					.into_iter()
					.filter(|d| d.lasts_at(now))
					.map(|d| d.delegate)
					.collect::<Vec<_>>(),
			);
			Self::deposit_event(Event::EmergencyAccessGranted {
				access,
				patient,
				accessor: who,
				organisation,
				reason,
				justification_hash,
				expires_at,
				notified,
			});
			Ok(())
		}

		/// Review the break-glass access `access`: record whether it was justified. An
		/// `Unjustified` review of a running access ends it at once (its `expires_at` becomes
		/// the review's time); reviewing an access that has ended clears its running entry.
		///
		/// The patient may review it once, and so may the auditors once (an auditor of the
		/// accessor's organisation or of a regulator), but never the accessor themselves. The
		/// two reviews are kept apart: a colleague's early `Justified` does not stop the patient
		/// from judging the access `Unjustified`, which ends it.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::review_break_glass())]
		pub fn review_break_glass(
			origin: OriginFor<T>,
			access: ConsentId,
			outcome: ReviewOutcome,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let now = T::Time::now();
			EmergencyAccesses::<T>::try_mutate(access, |maybe_access| {
				let entry = maybe_access.as_mut().ok_or(Error::<T>::EmergencyAccessNotFound)?;
				let by_patient = who == entry.patient;
				ensure!(
					who != entry.accessor
						&& (by_patient || Self::is_auditor_for(&who, entry.organisation)),
					Error::<T>::NotReviewer
				);
				let review =
					if by_patient { &mut entry.patient_review } else { &mut entry.audit_review };
				ensure!(review.is_none(), Error::<T>::AlreadyReviewed);
				*review = Some(Review { reviewer: who.clone(), outcome, reviewed_at: now });
				let running = entry.expires_at > now
					&& OpenEmergencyAccesses::<T>::get(&entry.patient, &entry.accessor)
						.is_some_and(|open| open.id == access);
				if outcome == ReviewOutcome::Unjustified && running {
					// Ended early: the history keeps when it really ended.
					entry.expires_at = now;
				}
				if entry.expires_at <= now || outcome == ReviewOutcome::Unjustified {
					// Over, or judged unjustified, which ends it at once: either way nothing
					// needs its running entry any more.
					OpenEmergencyAccesses::<T>::mutate_exists(
						&entry.patient,
						&entry.accessor,
						|open| {
							if open.as_ref().is_some_and(|open| open.id == access) {
								*open = None;
							}
						},
					);
				}
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::EmergencyAccessReviewed { access, reviewer: who, outcome });
			Ok(())
		}

		/// Leave a read receipt: the caller reads `record` for `purpose`.
		///
		/// Fails, leaving no receipt, unless [`Pallet::can_access`] allows the read. Clients
		/// call this before fetching the ciphertext (MedChain's client does). The chain cannot
		/// force a reader who already holds the data key to leave one, so the log is complete
		/// for reads made through conforming clients. Receipts are never deleted.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::record_access())]
		pub fn record_access(
			origin: OriginFor<T>,
			record: RecordId,
			purpose: Purpose,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let decision = Self::can_access(&who, record, Action::Read, purpose);
			let consent_used = Self::ensure_allowed(decision)?;
			let sequence = AccessLogLength::<T>::get(record);
			let next = sequence.checked_add(1).ok_or(Error::<T>::AccessLogFull)?;
			AccessLog::<T>::insert(
				record,
				sequence,
				AccessReceipt {
					reader: who.clone(),
					consent_used,
					basis: decision.reason,
					purpose,
					at: T::Time::now(),
				},
			);
			AccessLogLength::<T>::insert(record, next);
			Self::deposit_event(Event::RecordAccessed {
				record,
				sequence,
				reader: who,
				consent_used,
				basis: decision.reason,
				purpose,
			});
			Ok(())
		}

		/// Clear the running entry of `accessor`'s break-glass access to `patient`'s records
		/// once the access has ended. Anyone may: an ended entry grants nothing, and the access
		/// itself, its review included, stays in `EmergencyAccesses` as history.
		///
		/// Entries are otherwise cleared by a review after the end, or replaced by the
		/// accessor's next break-glass; this clears the rest: those reviewed while they ran,
		/// and those not reviewed yet (a later review still finds the access).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::clear_ended_emergency_access())]
		pub fn clear_ended_emergency_access(
			origin: OriginFor<T>,
			patient: T::AccountId,
			accessor: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let open = OpenEmergencyAccesses::<T>::get(&patient, &accessor)
				.ok_or(Error::<T>::NoRunningEntry)?;
			ensure!(open.expires_at <= T::Time::now(), Error::<T>::EmergencyAccessActive);
			OpenEmergencyAccesses::<T>::remove(&patient, &accessor);
			Self::deposit_event(Event::EmergencyAccessEntryCleared {
				access: open.id,
				patient,
				accessor,
			});
			Ok(())
		}
	}

	/// How close a consent came to allowing an access: the later the check it failed, the
	/// closer. Used to name the most useful reason for a refusal.
	fn closeness(reason: AccessReason) -> u8 {
		match reason {
			AccessReason::ConsentNotYetValid
			| AccessReason::ConsentExpired
			| AccessReason::BreakGlassExpired => 1,
			AccessReason::ActionNotPermitted => 2,
			AccessReason::PurposeNotPermitted => 3,
			AccessReason::OutOfScope => 4,
			_ => 0,
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether `who` may perform `action` on `record` for `purpose`, under which consent
		/// or break-glass access, and why: the one decision function.
		///
		/// The patient may always; anyone else needs an active consent of the patient (not
		/// revoked, within its period) naming them or their organisation (and role), and
		/// permitting the action, the purpose and this record; or, to read for purpose
		/// `Emergency`, an unexpired break-glass access while they still hold the emergency
		/// role. The first matching consent, oldest first, is used. A refusal names the check
		/// that the closest consent failed. A record entered in error is read by its patient
		/// and its author only.
		pub fn can_access(
			who: &T::AccountId,
			record: RecordId,
			action: Action,
			purpose: Purpose,
		) -> AccessDecision {
			Self::decide_on_record(who, record, action, Some(purpose), Horizon::Now)
		}

		/// `patient`'s consents that are not revoked, oldest first, each with its status at
		/// this block (expired ones say so).
		pub fn consents_of(patient: &T::AccountId) -> Vec<(ConsentId, ConsentOf<T>)> {
			let now = T::Time::now();
			ConsentsOf::<T>::get(patient)
				.into_iter()
				.filter_map(|id| {
					Consents::<T>::get(id).map(|mut consent| {
						consent.status = consent.status_at(now);
						(id, consent)
					})
				})
				.collect()
		}

		/// Up to `count` (at most [`MAX_ACCESS_LOG_PAGE`]) read receipts of `record` from
		/// sequence number `start`, with their sequence numbers.
		pub fn access_log(
			record: RecordId,
			start: u32,
			count: u32,
		) -> Vec<(u32, AccessReceipt<T::AccountId>)> {
			let end = start
				.saturating_add(count.min(MAX_ACCESS_LOG_PAGE))
				.min(AccessLogLength::<T>::get(record));
			(start..end)
				.filter_map(|sequence| {
					AccessLog::<T>::get(record, sequence).map(|receipt| (sequence, receipt))
				})
				.collect()
		}

		/// [`Pallet::can_access`] with `purpose: None` meaning "for any purpose".
		fn decide_on_record(
			who: &T::AccountId,
			record: RecordId,
			action: Action,
			purpose: Option<Purpose>,
			horizon: Horizon,
		) -> AccessDecision {
			match T::Records::record_summary(record) {
				// No consent makes an old version amendable: say so, as `amend` would.
				Some(summary)
					if action == Action::Append && summary.status != RecordStatus::Current =>
				{
					AccessDecision::deny(AccessReason::RecordNotCurrent)
				},
				// A document withdrawn as entered in error may hold another person's data (a
				// wrong-patient filing): no consent or break-glass lets anyone else read it any
				// more. Its patient and its author (under the usual rules) keep it, to see and
				// correct the mistake.
				Some(summary)
					if summary.status == RecordStatus::EnteredInError
						&& *who != summary.patient
						&& *who != summary.author =>
				{
					AccessDecision::deny(AccessReason::RecordEnteredInError)
				},
				Some(summary) => Self::decide(
					who,
					&summary.patient,
					&summary.category,
					Some(DocumentVersion { document: summary.document, record }),
					action,
					purpose,
					T::Time::now(),
					horizon,
				),
				None => match T::Records::record_status(record) {
					Some(RecordStatus::Erased) => AccessDecision::deny(AccessReason::RecordErased),
					_ => AccessDecision::deny(AccessReason::RecordNotFound),
				},
			}
		}

		/// The decision itself, for a record of `category` of `patient`: the version `existing`
		/// of an existing document, or a new document if `None`.
		#[allow(clippy::too_many_arguments)]
		fn decide(
			who: &T::AccountId,
			patient: &T::AccountId,
			category: &CategoryCode,
			existing: Option<DocumentVersion>,
			action: Action,
			purpose: Option<Purpose>,
			now: u64,
			horizon: Horizon,
		) -> AccessDecision {
			if who == patient {
				return AccessDecision::allow(AccessReason::Patient, None);
			}
			let organisation = T::Organisations::organisation_of(who);
			let mut closest = AccessReason::NoConsent;
			for id in Self::consents_naming(patient, who, organisation) {
				let Some(consent) = Consents::<T>::get(id) else { continue };
				if consent.status != ConsentStatus::Active
					|| !Self::names(&consent.grantee, who, organisation)
				{
					continue;
				}
				let failed = if consent.start > now && horizon == Horizon::Now {
					Some(AccessReason::ConsentNotYetValid)
				} else if consent.end.is_some_and(|end| end <= now) {
					Some(AccessReason::ConsentExpired)
				} else if consent.actions.binary_search(&action).is_err() {
					Some(AccessReason::ActionNotPermitted)
				} else if purpose.is_some_and(|p| consent.purposes.binary_search(&p).is_err()) {
					Some(AccessReason::PurposeNotPermitted)
				} else if !consent.scope.covers(category, existing) {
					Some(AccessReason::OutOfScope)
				} else {
					None
				};
				match failed {
					None => return AccessDecision::allow(AccessReason::Consent, Some(id)),
					Some(reason) if closeness(reason) > closeness(closest) => closest = reason,
					Some(_) => {},
				}
			}
			let emergency_read = action == Action::Read
				&& purpose.is_none_or(|p| p == Purpose::Emergency)
				&& existing.is_some();
			if emergency_read {
				if let Some(open) = OpenEmergencyAccesses::<T>::get(patient, who).filter(|open| {
					T::Organisations::has_role(open.organisation, who, Role::Emergency)
				}) {
					if now < open.expires_at {
						return AccessDecision::allow(AccessReason::BreakGlass, Some(open.id));
					}
					if closeness(AccessReason::BreakGlassExpired) > closeness(closest) {
						closest = AccessReason::BreakGlassExpired;
					}
				}
			}
			AccessDecision::deny(closest)
		}

		/// The ids of `patient`'s consents (not revoked) given to `who` or to `organisation`,
		/// oldest first: at most two index reads, whatever the patient's other consents.
		fn consents_naming(
			patient: &T::AccountId,
			who: &T::AccountId,
			organisation: Option<OrgId>,
		) -> Vec<ConsentId> {
			let mut ids =
				ConsentsByGrantee::<T>::get(patient, GranteeKey::Account(who.clone())).into_inner();
			if let Some(org) = organisation {
				ids.extend(ConsentsByGrantee::<T>::get(patient, GranteeKey::Organisation(org)));
				ids.sort_unstable();
			}
			ids
		}

		/// Whether `grantee` names `who`, a member of `organisation`.
		fn names(
			grantee: &Grantee<T::AccountId>,
			who: &T::AccountId,
			organisation: Option<OrgId>,
		) -> bool {
			match grantee {
				Grantee::Account(account) => account == who,
				Grantee::Organisation { org, role } => {
					organisation == Some(*org)
						&& role.is_none_or(|role| T::Organisations::has_role(*org, who, role))
				},
			}
		}

		/// Whether `who` may review a break-glass access by a member of `organisation`.
		fn is_auditor_for(who: &T::AccountId, organisation: OrgId) -> bool {
			let Some(own) = T::Organisations::organisation_of(who) else { return false };
			let allowed_org = own == organisation
				|| T::Organisations::organisation_kind(own) == Some(OrgKind::Regulator);
			allowed_org && T::Organisations::has_role(own, who, Role::Auditor)
		}

		/// Ok if `who` is `patient` or a delegate of theirs whose delegation lasts at `now`,
		/// with the end of that delegation (`None` for the patient or an open-ended one).
		fn ensure_patient_or_delegate(
			who: &T::AccountId,
			patient: &T::AccountId,
			now: u64,
		) -> Result<Option<u64>, Error<T>> {
			if who == patient {
				return Ok(None);
			}
			let delegations = Delegates::<T>::get(patient);
			let delegation = delegations
				.iter()
				.find(|d| d.delegate == *who)
				.ok_or(Error::<T>::NotPatientOrDelegate)?;
			ensure!(delegation.lasts_at(now), Error::<T>::DelegationEnded);
			Ok(delegation.until)
		}

		/// Marks consent `consent` (`entry`) revoked by `who` at `now`, takes it out of its
		/// patient's lists, returns its deposit to whoever paid it and says so: what `revoke`
		/// and `remove_delegate` share. The caller runs the revocation hooks.
		fn end_consent(
			consent: ConsentId,
			mut entry: ConsentOf<T>,
			who: &T::AccountId,
			now: u64,
		) -> DispatchResult {
			// One past its end grants nothing already: it is stored expired, not revoked, so
			// its history never says that whoever took it off the list withdrew it.
			let expired = entry.status_at(now) == ConsentStatus::Expired;
			if expired {
				entry.status = ConsentStatus::Expired;
			} else {
				entry.status = ConsentStatus::Revoked;
				entry.revoked_at = Some(now);
				entry.revoked_by = Some(who.clone());
			}
			ConsentsOf::<T>::mutate(&entry.patient, |consents| {
				consents.retain(|id| *id != consent)
			});
			ConsentsByGrantee::<T>::mutate_exists(
				&entry.patient,
				entry.grantee.key(),
				|maybe_consents| {
					if let Some(consents) = maybe_consents {
						consents.retain(|id| *id != consent);
						if consents.is_empty() {
							*maybe_consents = None;
						}
					}
				},
			);
			Self::release(
				HoldReason::ConsentDeposit,
				&entry.deposit.depositor,
				entry.deposit.amount,
			)?;
			let patient = entry.patient.clone();
			Consents::<T>::insert(consent, entry);
			Self::deposit_event(if expired {
				Event::ExpiredConsentCleared { consent, patient, cleared_by: who.clone() }
			} else {
				Event::ConsentRevoked { consent, patient, revoked_by: who.clone() }
			});
			Ok(())
		}

		/// What `remove_delegate` adds to its own weight to look at `examined` consents given to
		/// the delegate and end the `ended` of them they granted themselves: the read of their
		/// index and of each consent, and each ending as `revoke` does it (the revocation hooks
		/// aside).
		pub fn own_consents_weight(examined: u32, ended: u32) -> Weight {
			T::DbWeight::get()
				.reads(u64::from(examined).saturating_add(1))
				.saturating_add(T::WeightInfo::revoke().saturating_mul(u64::from(ended)))
		}

		/// `scope` as stored: sorted, once its items are checked, each listed record resolved
		/// to its document.
		fn validated_scope(
			scope: ConsentScopeOf<T>,
			patient: &T::AccountId,
		) -> Result<GrantedScopeOf<T>, Error<T>> {
			let set_error = |e| match e {
				SetError::Empty => Error::<T>::EmptyScope,
				SetError::Duplicate => Error::<T>::DuplicateScopeItem,
			};
			Ok(match scope {
				ConsentScope::AllRecords => GrantedScope::AllRecords,
				ConsentScope::Categories(categories) => {
					let categories = sorted_set(categories).map_err(set_error)?;
					ensure!(
						categories.iter().all(|category| is_document_category(category)),
						Error::<T>::InvalidCategory
					);
					GrantedScope::Categories(categories)
				},
				ConsentScope::Records(records) => {
					ensure!(!records.is_empty(), Error::<T>::EmptyScope);
					let mut listed = BoundedVec::<DocumentVersion, T::MaxScopeItems>::new();
					for record in records {
						let summary = T::Records::record_summary(record)
							.filter(|summary| summary.patient == *patient)
							.ok_or(Error::<T>::RecordNotOfPatient)?;
						// No one but its patient and author may read it any more.
						ensure!(
							summary.status != RecordStatus::EnteredInError,
							Error::<T>::RecordEnteredInError
						);
						let document = summary.document;
						// As many items as `records`, which has the same bound.
						listed
							.try_push(DocumentVersion { document, record })
							.map_err(|_| Error::<T>::DuplicateScopeItem)?;
					}
					listed.sort();
					ensure!(
						!listed.windows(2).any(|pair| {
							matches!(pair, [first, second] if first.document == second.document)
						}),
						Error::<T>::DuplicateScopeItem
					);
					GrantedScope::Records(listed)
				},
			})
		}

		/// The consent an allowed access uses, or the error naming why it was refused.
		fn ensure_allowed(decision: AccessDecision) -> Result<Option<ConsentId>, Error<T>> {
			if decision.allowed {
				return Ok(decision.consent_used);
			}
			Err(match decision.reason {
				AccessReason::RecordNotFound => Error::<T>::RecordNotFound,
				AccessReason::RecordErased => Error::<T>::RecordErased,
				AccessReason::ConsentNotYetValid => Error::<T>::ConsentNotYetValid,
				AccessReason::ConsentExpired => Error::<T>::ConsentExpired,
				AccessReason::ActionNotPermitted => Error::<T>::ActionNotPermitted,
				AccessReason::PurposeNotPermitted => Error::<T>::PurposeNotPermitted,
				AccessReason::OutOfScope => Error::<T>::OutOfScope,
				AccessReason::BreakGlassExpired => Error::<T>::EmergencyAccessExpired,
				AccessReason::RecordEnteredInError => Error::<T>::RecordEnteredInError,
				// Allowed reasons, and `RecordNotCurrent`, which only appends meet: never
				// the answer to a read.
				AccessReason::Patient
				| AccessReason::Consent
				| AccessReason::BreakGlass
				| AccessReason::RecordNotCurrent
				| AccessReason::NoConsent => Error::<T>::NoConsent,
			})
		}

		/// Holds `amount` from `who` for `reason`.
		fn hold(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			medchain_primitives::deposit::hold::<T::AccountId, T::Currency>(
				&reason.into(),
				who,
				amount,
			)
		}

		/// Returns `amount`, held for `reason`, to `who`.
		fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			medchain_primitives::deposit::release::<T::AccountId, T::Currency>(
				&reason.into(),
				who,
				amount,
			)
		}
	}

	/// Whether a consent that has not started yet grants: never for an access, but it keeps
	/// the grantee's key envelope in use until it starts.
	#[derive(Clone, Copy, PartialEq, Eq)]
	enum Horizon {
		/// Only what grants at this moment.
		Now,
		/// Also what will grant once its start is reached.
		NowOrLater,
	}

	impl<T: Config> AccessPolicy<T::AccountId> for Pallet<T> {
		fn can_access(
			who: &T::AccountId,
			record: RecordId,
			action: Action,
			purpose: Purpose,
		) -> AccessDecision {
			Self::can_access(who, record, action, purpose)
		}

		fn can_append(
			who: &T::AccountId,
			patient: &T::AccountId,
			category: &CategoryCode,
			purpose: Purpose,
		) -> AccessDecision {
			Self::decide(
				who,
				patient,
				category,
				None,
				Action::Append,
				Some(purpose),
				T::Time::now(),
				Horizon::Now,
			)
		}

		fn may_read_now_or_later(who: &T::AccountId, record: RecordId) -> bool {
			Self::decide_on_record(who, record, Action::Read, None, Horizon::NowOrLater).allowed
		}

		fn decision_weight() -> Weight {
			T::WeightInfo::can_access()
		}
	}
}
