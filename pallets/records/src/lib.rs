//! # Record registry pallet
//!
//! Patient-owned medical records, modelled on HL7 FHIR `DocumentReference`. The documents
//! themselves are encrypted and kept off chain; the chain keeps, per version, who it is about,
//! who wrote it, its class and media type codes, the SHA-256 and size of its ciphertext, its
//! status and its place in the version chain, and the document's data key wrapped for each
//! account allowed to open it ([`KeyEnvelopes`]). No health data is ever stored: class and
//! media type codes must come from the consortium's vocabulary
//! (`medchain_primitives::vocabulary`), so a code cannot name a condition.
//!
//! - The patient registers records in their own file; a provider needs the patient's consent
//!   to append ([`Config::Consent`], the consent pallet's `can_access`).
//! - [`Pallet::amend`] adds a new version linked to the old one, which becomes superseded;
//!   nothing is overwritten. [`Pallet::mark_entered_in_error`] lets the author withdraw a version.
//! - [`Pallet::erase`] is the patient's right to erasure: the key envelopes go (the ciphertext
//!   can no longer be opened), [`Config::Hooks`] releases the blob for deletion, deposits are
//!   returned, and a [`Tombstone`] keeps the hash, status and version links.
//! - Key envelopes go when they are no longer needed: with their record on erasure; on
//!   revocation of a consent (the consent pallet calls this pallet's
//!   `ConsentRevocationHooks`), which removes the envelopes of the patient's records that the
//!   grantee may no longer read, found through the indexes [`EnvelopesByHolder`] and
//!   [`EnvelopesByOrganisation`]; and when their holder joins or leaves an organisation or
//!   loses a role there (the consortium calls `MembershipHooks`), which removes the holder's
//!   envelopes they may no longer read and lists those kept under their organisation now.
//! - Every record and every key envelope holds a deposit from whoever created it, returned
//!   when it is freed.
//! - The per-patient index [`RecordsOf`] has one entry per record that is not erased, so a
//!   registration writes one small entry however large the file; [`Pallet::records_of`] reads
//!   it a page at a time. A file has no cap: each record holds its deposit.

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

/// The largest page [`Pallet::records_of`] returns.
pub const MAX_RECORDS_PAGE: u32 = 100;

/// The record registry's runtime API, for wallets and the off-chain storage gateway.
pub mod runtime_api {
	use alloc::vec::Vec;
	use medchain_primitives::health::RecordId;

	sp_api::decl_runtime_apis! {
		/// Reads the record registry.
		///
		/// `RecordInfo` is `pallet_records::RecordOf<Runtime>`.
		pub trait RecordsApi<AccountId, RecordInfo> where
			AccountId: codec::Codec,
			RecordInfo: codec::Codec,
		{
			/// Up to `count` (at most 100) ids of `patient`'s records that are not erased, in
			/// storage order, not by id: the first page with `after` = `None`, the next with
			/// the last id of this one.
			fn records_of(patient: AccountId, after: Option<RecordId>, count: u32) -> Vec<RecordId>;
			/// The record `record`, if it exists and is not erased.
			fn record(record: RecordId) -> Option<RecordInfo>;
			/// What is left of the erased record `record`.
			fn tombstone(record: RecordId) -> Option<crate::Tombstone>;
			/// `record`'s data key wrapped for `recipient`, if there is such an envelope.
			fn key_envelope(record: RecordId, recipient: AccountId) -> Option<Vec<u8>>;
		}
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		dispatch::WithPostDispatchInfo,
		pallet_prelude::*,
		storage::with_storage_layer,
		traits::{
			fungible::{Mutate, MutateHold},
			Time,
		},
	};
	use frame_system::pallet_prelude::*;
	use medchain_primitives::{
		health::{
			AccessDecision, AccessPolicy, AccessReason, Action, CategoryCode, CiphertextClaim,
			ConsentId, ConsentRevocationHooks, GranteeKey, MembershipHooks, OrgId, Organisations,
			Purpose, RecordHooks, RecordId, RecordInspect, RecordStatus, RecordSummary, Role,
		},
		vocabulary::{is_document_category, is_media_type},
	};
	use sp_core::H256;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the record registry.
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
		/// Who may append to and read a patient's records: the consent pallet.
		type Consent: AccessPolicy<Self::AccountId>;
		/// The consortium's organisations, to record the author's organisation.
		type Organisations: Organisations<Self::AccountId>;
		/// Told when a record is registered or erased (e.g. the pinning pallet); `()` if nobody.
		type Hooks: RecordHooks<Self::AccountId>;
		/// The deposit held for each record, from the account that registers it.
		#[pallet::constant]
		type RecordDeposit: Get<BalanceOf<Self>>;
		/// The deposit held for each key envelope, from the account that writes it.
		#[pallet::constant]
		type KeyEnvelopeDeposit: Get<BalanceOf<Self>>;
		/// The largest number of key envelopes a record may have.
		#[pallet::constant]
		type MaxEnvelopesPerRecord: Get<u32>;
		/// The longest wrapped data key, in bytes.
		#[pallet::constant]
		type MaxWrappedKeyLen: Get<u32>;
		/// The most key envelopes one revocation of a consent, or one call of
		/// [`Pallet::remove_unneeded_envelopes`], examines for removal.
		#[pallet::constant]
		type MaxEnvelopesExaminedOnRevoke: Get<u32>;
		/// Puts [`Config::Hooks`] in their most expensive case for this pallet's benchmarks,
		/// which measure the hooks together with the calls.
		#[cfg(feature = "runtime-benchmarks")]
		type HooksHelper: medchain_primitives::health::RecordHooksBenchmarkHelper<Self::AccountId>;
		/// Makes envelope recipients members of organisations for this pallet's benchmarks,
		/// whose envelopes are then also indexed by organisation, the worst case.
		#[cfg(feature = "runtime-benchmarks")]
		type OrganisationsHelper: medchain_primitives::health::OrganisationsBenchmarkHelper<
			Self::AccountId,
		>;
		/// Weights of this pallet's calls, measured by its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why the record registry holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit for a record.
		#[codec(index = 0)]
		RecordDeposit,
		/// The deposit for a key envelope.
		#[codec(index = 1)]
		KeyEnvelopeDeposit,
	}

	/// The id the next record will get.
	#[pallet::storage]
	pub type NextRecordId<T: Config> = StorageValue<_, RecordId, ValueQuery>;

	/// Every record that is not erased, by id: all versions, current or not.
	#[pallet::storage]
	pub type Records<T: Config> = StorageMap<_, Twox64Concat, RecordId, RecordOf<T>>;

	/// What is left of erased records, by id.
	#[pallet::storage]
	pub type Tombstones<T: Config> = StorageMap<_, Twox64Concat, RecordId, Tombstone>;

	/// Each patient's records that are not erased, one entry per record: the patient's file.
	#[pallet::storage]
	pub type RecordsOf<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, RecordId, ()>;

	/// Each record's data key wrapped for each account allowed to open it.
	#[pallet::storage]
	pub type KeyEnvelopes<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RecordId,
		Blake2_128Concat,
		T::AccountId,
		KeyEnvelopeOf<T>,
	>;

	/// The key envelopes of patients' records held by someone other than the patient, by
	/// holder, patient and record, with the organisation the holder was a member of when the
	/// envelope was written or last found still needed: where a revocation of a consent naming
	/// an account, and a holder's leaving an organisation, look for envelopes nobody needs any
	/// more.
	#[pallet::storage]
	pub type EnvelopesByHolder<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, RecordId>,
		),
		Option<OrgId>,
	>;

	/// The key envelopes of each patient's records held by members of an organisation (a
	/// member when the envelope was written or last found still needed), by patient,
	/// organisation and holder: where a revocation of a consent naming an organisation looks.
	#[pallet::storage]
	pub type EnvelopesByOrganisation<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, OrgId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, RecordId>,
		),
		(),
	>;

	/// Events of the record registry.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A new document was registered in `patient`'s file.
		RecordRegistered {
			/// The new record.
			record: RecordId,
			/// The patient whose file it is in.
			patient: T::AccountId,
			/// The account that registered it.
			author: T::AccountId,
			/// The author's organisation, if any.
			organisation: Option<OrgId>,
			/// Its document class.
			category: CategoryCode,
			/// SHA-256 of its ciphertext.
			content_hash: H256,
			/// The consent the author used; `None` if the patient registered it.
			consent_used: Option<ConsentId>,
		},
		/// A new version of a document was registered; the old version is now superseded.
		RecordAmended {
			/// The new version.
			record: RecordId,
			/// The version it replaces, now superseded.
			replaces: RecordId,
			/// The new version's number.
			version: u32,
			/// The patient whose file it is in.
			patient: T::AccountId,
			/// The account that registered the new version.
			author: T::AccountId,
			/// SHA-256 of the new version's ciphertext.
			content_hash: H256,
			/// The consent the author used; `None` if the patient amended it.
			consent_used: Option<ConsentId>,
		},
		/// The author withdrew a record as entered in error.
		RecordEnteredInError {
			/// The record.
			record: RecordId,
			/// Its author.
			author: T::AccountId,
			/// The nearest earlier version still valid, current again because the withdrawn
			/// record was the current version of its document.
			restored: Option<RecordId>,
		},
		/// The patient erased a record: its key envelopes are gone and its ciphertext may be
		/// deleted; a tombstone is left.
		RecordErased {
			/// The erased record.
			record: RecordId,
			/// The patient who erased it.
			patient: T::AccountId,
			/// SHA-256 of the ciphertext released for deletion.
			content_hash: H256,
			/// How many key envelopes were removed with it.
			envelopes_removed: u32,
			/// The nearest earlier version still valid, current again because the erased
			/// record was the current version of its document.
			restored: Option<RecordId>,
		},
		/// A record's data key was wrapped for `recipient`.
		KeyEnvelopeAdded {
			/// The record.
			record: RecordId,
			/// The account the key is wrapped for.
			recipient: T::AccountId,
			/// The account that wrote the envelope and paid its deposit.
			depositor: T::AccountId,
		},
		/// `recipient`'s key envelope of a record was removed and its deposit returned.
		KeyEnvelopeRemoved {
			/// The record.
			record: RecordId,
			/// The account the key was wrapped for.
			recipient: T::AccountId,
		},
		/// The key envelopes of `patient`'s records held by `grantee` (or by its members) were
		/// examined, after a revocation of a consent naming `grantee` or at someone's request,
		/// and those nobody may read with any more were removed (each also has its
		/// `KeyEnvelopeRemoved`).
		UnneededEnvelopesRemoved {
			/// The patient whose records the envelopes open.
			patient: T::AccountId,
			/// Whose envelopes: an account's, or those of an organisation's members.
			grantee: GranteeKey<T::AccountId>,
			/// How many envelopes were examined.
			examined: u32,
			/// How many of them were removed.
			removed: u32,
			/// `None` once every envelope was examined. Otherwise more were left than one go
			/// examines (`MaxEnvelopesExaminedOnRevoke`): the holder and record of the last one
			/// examined, to give to `remove_unneeded_envelopes` to go on from there.
			resume_after: Option<(T::AccountId, RecordId)>,
		},
		/// Key envelopes held by `holder`, of any patient's records, were examined after the
		/// holder joined or left an organisation or lost a role there, or at someone's
		/// request: those the holder may no longer read with were removed (each also has its
		/// `KeyEnvelopeRemoved`), the others are listed under the holder's organisation now.
		UnneededEnvelopesOfHolderRemoved {
			/// Whose envelopes.
			holder: T::AccountId,
			/// How many envelopes were examined.
			examined: u32,
			/// How many of them were removed.
			removed: u32,
			/// `None` once every envelope was examined. Otherwise more were left than one go
			/// examines (`MaxEnvelopesExaminedOnRevoke`): the patient and record of the last
			/// one examined, to give to `remove_unneeded_envelopes_of` to go on from there.
			resume_after: Option<(T::AccountId, RecordId)>,
		},
	}

	/// Errors of the record registry.
	#[pallet::error]
	pub enum Error<T> {
		/// No record with this id was ever registered.
		RecordNotFound,
		/// The record was erased by its patient.
		RecordErased,
		/// Only the record's patient may do this.
		NotPatient,
		/// Only the record's author may do this.
		NotAuthor,
		/// Only the record's patient, its author, or a key custodian holding its key in escrow
		/// may write its key envelopes.
		NotPatientOrAuthor,
		/// Only the current version of a record can be amended.
		NotCurrent,
		/// The record is already marked entered in error.
		AlreadyEnteredInError,
		/// The category is not one of the consortium's document categories (LOINC document
		/// types such as `11488-4`, consult note): a category names a kind of document, never
		/// a condition.
		InvalidCategory,
		/// The media type is not one of the consortium's media types (e.g.
		/// `application/fhir+json`, `application/pdf`).
		InvalidMediaType,
		/// The content hash is all zeros: give the SHA-256 of the ciphertext.
		MissingContentHash,
		/// The ciphertext size is zero.
		EmptyDocument,
		/// The record already has `MaxEnvelopesPerRecord` key envelopes.
		TooManyEnvelopes,
		/// The same recipient is listed twice.
		DuplicateRecipient,
		/// A wrapped key is empty.
		EmptyWrappedKey,
		/// An author may wrap the data key only for the patient and themselves; sharing with
		/// anyone else is the patient's decision.
		RecipientNotAllowed,
		/// The author may no longer read the record (the patient revoked or let lapse the
		/// consent that let them), so cannot wrap its key for themselves again.
		AuthorMayNoLongerRead,
		/// The recipient already has a key envelope for this record.
		EnvelopeExists,
		/// The recipient has no key envelope for this record.
		EnvelopeNotFound,
		/// The recipient may still read the record: only the patient or the recipient may
		/// remove the envelope.
		EnvelopeStillInUse,
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
		/// The consent does not cover this record or category.
		OutOfScope,
		/// A counter would overflow.
		Overflow,
		/// The key custodian holds no key envelope of this record to wrap the key from.
		CustodianHoldsNoKey,
		/// The key custodian may no longer read the record in an emergency: the patient
		/// withdrew the escrow consent, or it ended.
		EscrowNotConsented,
		/// The recipient may not read the record in an emergency now: they have no running
		/// break-glass access to the patient (nor a consent for emergencies).
		RecipientMayNotReadInEmergency,
		/// There is no key envelope of this patient's records held by this grantee (or its
		/// members), or held by this holder, to examine, after the resume point if one was
		/// given.
		NoEnvelopesToExamine,
		/// The resume point names another holder than the grantee account: give the one from
		/// the last `UnneededEnvelopesRemoved` event.
		ResumePointOfAnotherHolder,
		/// The record was entered in error: keys are wrapped for its patient and author only.
		RecordEnteredInError,
		/// Another patient's records name this ciphertext, or its deletion after their erasure
		/// is under way: a ciphertext is one patient's, so that erasing their records deletes
		/// it. Encrypt the document afresh (a new data key gives a new ciphertext).
		CiphertextOfAnotherPatient,
		/// The patient erased every record naming this ciphertext and its deletion is under
		/// way: only the patient may name it again (which calls the deletion off).
		CiphertextBeingDeleted,
		/// The patient's records already name this ciphertext: only the patient may name it
		/// in another record. Encrypt the document afresh (a new data key gives a new
		/// ciphertext).
		CiphertextAlreadyNamed,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxEnvelopesPerRecord::get() > 0, "MaxEnvelopesPerRecord must be positive");
			assert!(T::MaxWrappedKeyLen::get() > 0, "MaxWrappedKeyLen must be positive");
			assert!(
				T::MaxEnvelopesExaminedOnRevoke::get() > 0,
				"MaxEnvelopesExaminedOnRevoke must be positive"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a new document in `patient`'s file.
		///
		/// The caller is the patient, or a provider holding the patient's consent to append
		/// documents of `category` for `purpose` (`purpose` is ignored for the patient). The
		/// ciphertext is stored off chain; `content_hash` is its SHA-256 and `ciphertext_size` its
		/// length. A ciphertext is one patient's: another patient's records may not name it.
		/// `envelopes` wraps the document's data key for its first readers: a provider may wrap
		/// it only for the patient and themselves. Holds `RecordDeposit` and one
		/// `KeyEnvelopeDeposit` per envelope from the caller. Only a provider is charged for
		/// the consent decision.
		#[pallet::call_index(0)]
		#[pallet::weight({
			let (others, own) = Pallet::<T>::envelope_components(patient, envelopes);
			T::WeightInfo::register(others, own).saturating_add(T::Consent::decision_weight())
		})]
		pub fn register(
			origin: OriginFor<T>,
			patient: T::AccountId,
			category: CategoryCode,
			content_hash: H256,
			ciphertext_size: u64,
			media_type: MediaTypeCode,
			purpose: Purpose,
			envelopes: EnvelopesOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(is_document_category(&category), Error::<T>::InvalidCategory);
			Self::ensure_valid_content(&content_hash, ciphertext_size, &media_type)?;
			// The patient's own register takes no consent decision, so is not charged for one.
			let (others, own) = Self::envelope_components(&patient, &envelopes);
			let call_alone = T::WeightInfo::register(others, own);
			let (consent_used, charged) = if who == patient {
				(None, call_alone)
			} else {
				let consent = T::Consent::can_append(&who, &patient, &category, purpose);
				(
					Self::ensure_allowed(consent)?,
					call_alone.saturating_add(T::Consent::decision_weight()),
				)
			};
			let InsertedVersion { record, organisation, hooks_unused } = Self::insert_record(
				&who,
				NewVersion {
					patient: patient.clone(),
					category: category.clone(),
					content_hash,
					ciphertext_size,
					media_type,
					version: 1,
					replaces: None,
					document: None,
					consent_used,
				},
				envelopes,
			)?;
			Self::deposit_event(Event::RecordRegistered {
				record,
				patient,
				author: who,
				organisation,
				category,
				content_hash,
				consent_used,
			});
			Ok(Some(charged.saturating_sub(hooks_unused)).into())
		}

		/// Register a new version of the current record `record`; `record` becomes superseded
		/// and stays as history.
		///
		/// The caller is the patient, or a provider whose consent lets them append to `record`
		/// for `purpose`. The new version keeps the patient and category; the rest is as for
		/// [`Pallet::register`], deposits included.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::amend(envelopes.len() as u32, 1)
			.saturating_add(T::Consent::decision_weight()))]
		pub fn amend(
			origin: OriginFor<T>,
			record: RecordId,
			content_hash: H256,
			ciphertext_size: u64,
			media_type: MediaTypeCode,
			purpose: Purpose,
			envelopes: EnvelopesOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut old = Self::live_record(record)?;
			ensure!(old.status == RecordStatus::Current, Error::<T>::NotCurrent);
			Self::ensure_valid_content(&content_hash, ciphertext_size, &media_type)?;
			// The declared weight counts every envelope as someone else's and one more as the
			// patient's; the patient is not charged for a consent decision either.
			let (others, own) = Self::envelope_components(&old.patient, &envelopes);
			let call_alone = T::WeightInfo::amend(others, own);
			let (consent_used, charged) = if who == old.patient {
				(None, call_alone)
			} else {
				let consent = T::Consent::can_access(&who, record, Action::Append, purpose);
				(
					Self::ensure_allowed(consent)?,
					call_alone.saturating_add(T::Consent::decision_weight()),
				)
			};
			let version = old.latest_version.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let inserted = Self::insert_record(
				&who,
				NewVersion {
					patient: old.patient.clone(),
					category: old.category.clone(),
					content_hash,
					ciphertext_size,
					media_type,
					version,
					replaces: Some(record),
					document: Some(old.document),
					consent_used,
				},
				envelopes,
			)?;
			let new_record = inserted.record;
			old.status = RecordStatus::Superseded;
			old.superseded_by = Some(new_record);
			old.fallback_of = Some(new_record);
			let patient = old.patient.clone();
			Records::<T>::insert(record, old);
			Self::deposit_event(Event::RecordAmended {
				record: new_record,
				replaces: record,
				version,
				patient,
				author: who,
				content_hash,
				consent_used,
			});
			Ok(Some(charged.saturating_sub(inserted.hooks_unused)).into())
		}

		/// Withdraw `record` as entered in error (wrong patient, wrong document). Its author
		/// only; the record stays as history. If it was the current version of its document,
		/// the nearest earlier version still valid (neither erased nor entered in error)
		/// becomes current again, so the document can still be amended.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::mark_entered_in_error())]
		pub fn mark_entered_in_error(origin: OriginFor<T>, record: RecordId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut entry =
				Records::<T>::get(record).ok_or_else(|| Self::missing_record(record))?;
			ensure!(entry.author == who, Error::<T>::NotAuthor);
			ensure!(
				entry.status != RecordStatus::EnteredInError,
				Error::<T>::AlreadyEnteredInError
			);
			let restored = Self::unlink_withdrawn_version(&mut entry);
			entry.status = RecordStatus::EnteredInError;
			Records::<T>::insert(record, entry);
			Self::deposit_event(Event::RecordEnteredInError { record, author: who, restored });
			Ok(())
		}

		/// Erase `record`: the patient's right to erasure. The patient only.
		///
		/// Every key envelope of the record is removed, so its ciphertext can no longer be
		/// opened; [`Config::Hooks`] releases the ciphertext for deletion; every deposit is
		/// returned; a [`Tombstone`] keeps its hash, status and version links. Other versions
		/// of the document stay (erase them one by one); if the erased record was the current
		/// version, the nearest earlier version still valid becomes current again.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::erase(T::MaxEnvelopesPerRecord::get(), 1))]
		pub fn erase(origin: OriginFor<T>, record: RecordId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut entry = Self::live_record(record)?;
			ensure!(entry.patient == who, Error::<T>::NotPatient);

			// Charged as for `register`: the patient's own envelope was never indexed.
			let (mut others_removed, mut own_removed) = (0u32, 0u32);
			for (recipient, envelope) in KeyEnvelopes::<T>::drain_prefix(record) {
				Self::release(HoldReason::KeyEnvelopeDeposit, &envelope.deposit)?;
				Self::unindex_envelope(&entry.patient, &recipient, record);
				if recipient == entry.patient {
					own_removed = own_removed.saturating_add(1);
				} else {
					others_removed = others_removed.saturating_add(1);
				}
				Self::deposit_event(Event::KeyEnvelopeRemoved { record, recipient });
			}
			let envelopes_removed = others_removed.saturating_add(own_removed);
			Self::release(HoldReason::RecordDeposit, &entry.deposit)?;
			RecordsOf::<T>::remove(&entry.patient, record);
			Records::<T>::remove(record);
			let restored = Self::unlink_withdrawn_version(&mut entry);
			Tombstones::<T>::insert(
				record,
				Tombstone {
					content_hash: entry.content_hash,
					status: RecordStatus::Erased,
					version: entry.version,
					replaces: entry.replaces,
					superseded_by: entry.superseded_by,
					erased_at: T::Time::now(),
				},
			);
			let hooks_unused = T::Hooks::on_erased(record, &entry.content_hash);
			Self::deposit_event(Event::RecordErased {
				record,
				patient: who,
				content_hash: entry.content_hash,
				envelopes_removed,
				restored,
			});
			Ok(Some(T::WeightInfo::erase(others_removed, own_removed).saturating_sub(hooks_unused))
				.into())
		}

		/// Wrap `record`'s data key for `recipient`.
		///
		/// The patient may wrap it for anyone (typically a grantee of a new consent); the
		/// author only for the patient and, while a consent still lets them read the record,
		/// themselves.
		///
		/// Emergency key escrow: a patient who wraps the key for a key custodian (a member
		/// with the `KeyCustodian` role) and consents to its emergency reads lets that
		/// custodian wrap the key for emergency staff who broke the glass, while their access
		/// runs. Withdrawing that consent ends the escrow. Every release is this call, so it is
		/// on chain beside the break-glass access.
		///
		/// Holds `KeyEnvelopeDeposit` from the caller. The patient and the author are charged
		/// only for the envelope; a custodian's release also for the consent decisions.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::add_key_envelope()
			.saturating_add(T::Consent::decision_weight().saturating_mul(2))
			.saturating_add(T::DbWeight::get().reads(2)))]
		pub fn add_key_envelope(
			origin: OriginFor<T>,
			record: RecordId,
			recipient: T::AccountId,
			wrapped_key: WrappedKeyOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut entry = Self::live_record(record)?;
			// No one else may read a record entered in error: a key for them is never used.
			ensure!(
				entry.status != RecordStatus::EnteredInError
					|| recipient == entry.patient
					|| recipient == entry.author,
				Error::<T>::RecordEnteredInError
			);
			let author_wraps_for_allowed =
				who == entry.author && (recipient == entry.patient || recipient == who);
			// Only a custodian's release takes the two consent decisions the weight allows for,
			// an author's envelope for themselves one.
			let mut actual_weight = Some(T::WeightInfo::add_key_envelope());
			if who != entry.patient && who == entry.author && recipient == who {
				// A revocation removes the author's envelope with everyone else's: putting it
				// back would undo the patient's decision on chain.
				ensure!(
					T::Consent::may_read_now_or_later(&who, record),
					Error::<T>::AuthorMayNoLongerRead
				);
				actual_weight = Some(
					T::WeightInfo::add_key_envelope().saturating_add(T::Consent::decision_weight()),
				);
			}
			if who != entry.patient && !author_wraps_for_allowed {
				if Self::is_key_custodian(&who) {
					Self::ensure_custodian_may_release(record, &who, &recipient)?;
					actual_weight = None;
				} else if who == entry.author {
					return Err(Error::<T>::RecipientNotAllowed.into());
				} else {
					return Err(Error::<T>::NotPatientOrAuthor.into());
				}
			}
			ensure!(!wrapped_key.is_empty(), Error::<T>::EmptyWrappedKey);
			ensure!(
				!KeyEnvelopes::<T>::contains_key(record, &recipient),
				Error::<T>::EnvelopeExists
			);
			ensure!(
				entry.envelopes < T::MaxEnvelopesPerRecord::get(),
				Error::<T>::TooManyEnvelopes
			);
			entry.envelopes = entry.envelopes.saturating_add(1);
			Self::insert_envelope(&who, &entry.patient, record, recipient, wrapped_key)?;
			Records::<T>::insert(record, entry);
			Ok(actual_weight.into())
		}

		/// Remove `recipient`'s key envelope of `record` and return its deposit.
		///
		/// The patient and the recipient may always do so. Anyone else may once the recipient
		/// can no longer read the record (its consent was revoked or has expired, or the record
		/// was entered in error): the envelopes a revocation left unexamined, or those of a
		/// break-glass access that has ended. A consent granted but not yet started keeps the envelope in use.
		/// Only such a clean-up by someone else is charged for the consent decision.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::remove_key_envelope()
			.saturating_add(T::Consent::decision_weight()))]
		pub fn remove_key_envelope(
			origin: OriginFor<T>,
			record: RecordId,
			recipient: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut entry = Self::live_record(record)?;
			let envelope =
				KeyEnvelopes::<T>::get(record, &recipient).ok_or(Error::<T>::EnvelopeNotFound)?;
			// Only a third party's clean-up takes the consent decision the weight allows for.
			let mut actual_weight = Some(T::WeightInfo::remove_key_envelope());
			if who != entry.patient && who != recipient {
				actual_weight = None;
				// The patient's own envelope is always in use, whatever the access policy says.
				ensure!(
					recipient != entry.patient
						&& !T::Consent::may_read_now_or_later(&recipient, record),
					Error::<T>::EnvelopeStillInUse
				);
			}
			Self::remove_envelope(&mut entry, record, recipient, &envelope)?;
			Records::<T>::insert(record, entry);
			Ok(actual_weight.into())
		}

		/// Remove the key envelopes of `patient`'s records held by `grantee` (an account, or
		/// the members of an organisation) that their holder may no longer read, now or under
		/// a consent not started yet, and return their deposits to whoever paid them.
		///
		/// A revocation does this by itself for up to `MaxEnvelopesExaminedOnRevoke`
		/// envelopes; when it leaves more, its `UnneededEnvelopesRemoved` event gives
		/// `resume_after`, and anyone may call this with it to go on from there (`None` starts
		/// from the first envelope). Each call examines at most `MaxEnvelopesExaminedOnRevoke`
		/// envelopes, those still needed included, and is charged for those it examined.
		#[pallet::call_index(6)]
		#[pallet::weight(Pallet::<T>::unneeded_envelopes_weight(
			T::MaxEnvelopesExaminedOnRevoke::get()
		))]
		pub fn remove_unneeded_envelopes(
			origin: OriginFor<T>,
			patient: T::AccountId,
			grantee: GranteeKey<T::AccountId>,
			resume_after: Option<(T::AccountId, RecordId)>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			// A refused call is charged for looking, not for the most a sweep may examine.
			let nothing_examined = Self::unneeded_envelopes_weight(0);
			if let (GranteeKey::Account(grantee), Some((holder, _record))) =
				(&grantee, &resume_after)
			{
				ensure!(
					holder == grantee,
					Error::<T>::ResumePointOfAnotherHolder.with_weight(nothing_examined)
				);
			}
			let sweep = Self::sweep_unneeded_envelopes(
				&patient,
				&grantee,
				resume_after,
				T::MaxEnvelopesExaminedOnRevoke::get(),
			);
			ensure!(
				sweep.examined > 0,
				Error::<T>::NoEnvelopesToExamine.with_weight(nothing_examined)
			);
			Ok(Some(Self::unneeded_envelopes_weight(sweep.examined)).into())
		}

		/// Remove the key envelopes held by `holder`, of any patient's records, that the
		/// holder may no longer read, now or under a consent not started yet, and return
		/// their deposits to whoever paid them.
		///
		/// Envelopes kept are listed under the organisation the holder is a member of now, so
		/// that revoking a consent naming it finds them. When the holder joins or leaves an
		/// organisation or loses a role there, the consortium has this done by itself for up
		/// to `MaxEnvelopesExaminedOnRevoke` envelopes; when it
		/// leaves more, its `UnneededEnvelopesOfHolderRemoved` event gives `resume_after`, and
		/// anyone may call this with it to go on from there (`None` starts from the first
		/// envelope). Each call examines at most `MaxEnvelopesExaminedOnRevoke` envelopes,
		/// those still needed included, and is charged for those it examined.
		#[pallet::call_index(7)]
		#[pallet::weight(Pallet::<T>::unneeded_envelopes_of_weight(
			T::MaxEnvelopesExaminedOnRevoke::get()
		))]
		pub fn remove_unneeded_envelopes_of(
			origin: OriginFor<T>,
			holder: T::AccountId,
			resume_after: Option<(T::AccountId, RecordId)>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let sweep = Self::sweep_unneeded_envelopes_of(
				&holder,
				resume_after,
				T::MaxEnvelopesExaminedOnRevoke::get(),
			);
			ensure!(
				sweep.examined > 0,
				Error::<T>::NoEnvelopesToExamine.with_weight(Self::unneeded_envelopes_of_weight(0))
			);
			Ok(Some(Self::unneeded_envelopes_of_weight(sweep.examined)).into())
		}
	}

	/// The parts of a new version that differ between [`Pallet::register`] and
	/// [`Pallet::amend`].
	struct NewVersion<AccountId> {
		patient: AccountId,
		category: CategoryCode,
		content_hash: H256,
		ciphertext_size: u64,
		media_type: MediaTypeCode,
		version: u32,
		replaces: Option<RecordId>,
		/// The document the version belongs to; `None` for a new document, which is its own.
		document: Option<RecordId>,
		consent_used: Option<ConsentId>,
	}

	/// A version [`Pallet::insert_record`] stored.
	struct InsertedVersion {
		record: RecordId,
		/// The author's organisation.
		organisation: Option<OrgId>,
		/// What [`Config::Hooks`] did not use of the most expensive case the call is charged
		/// for: to refund.
		hooks_unused: Weight,
	}

	impl<T: Config> Pallet<T> {
		/// Takes a version that is being erased or entered in error out of its document's
		/// chain of valid versions: its valid neighbours are linked to each other, and if it was
		/// the current version, the nearest earlier valid version becomes current again, so the
		/// document can still be amended. Returns that restored version.
		///
		/// The links make this two writes at most, however many versions were withdrawn
		/// before.
		fn unlink_withdrawn_version(withdrawn: &mut RecordOf<T>) -> Option<RecordId> {
			if withdrawn.status == RecordStatus::EnteredInError {
				// Already out of the chain.
				return None;
			}
			let was_current = withdrawn.status == RecordStatus::Current;
			let previous = withdrawn.falls_back_to.take();
			let next = withdrawn.fallback_of.take();
			if let Some(next) = next {
				Records::<T>::mutate_extant(next, |entry| entry.falls_back_to = previous);
			}
			let previous = previous?;
			Records::<T>::mutate_extant(previous, |entry| {
				entry.fallback_of = next;
				if !was_current || entry.status != RecordStatus::Superseded {
					return None;
				}
				entry.status = RecordStatus::Current;
				entry.superseded_by = None;
				// The withdrawn version's number stays given out.
				entry.latest_version = entry.latest_version.max(withdrawn.latest_version);
				Some(previous)
			})
		}

		/// Up to `count` (at most [`MAX_RECORDS_PAGE`]) ids of `patient`'s records that are not
		/// erased, in storage order: from the start if `after` is `None`, else from the
		/// record after `after`.
		pub fn records_of(
			patient: &T::AccountId,
			after: Option<RecordId>,
			count: u32,
		) -> Vec<RecordId> {
			let page = count.min(MAX_RECORDS_PAGE) as usize;
			match after {
				None => RecordsOf::<T>::iter_key_prefix(patient).take(page).collect(),
				Some(after) => RecordsOf::<T>::iter_key_prefix_from(
					patient,
					RecordsOf::<T>::hashed_key_for(patient, after),
				)
				.take(page)
				.collect(),
			}
		}

		/// The record `record`, if it exists and is not erased.
		pub fn record(record: RecordId) -> Option<RecordOf<T>> {
			Records::<T>::get(record)
		}

		/// What is left of the erased record `record`.
		pub fn tombstone(record: RecordId) -> Option<Tombstone> {
			Tombstones::<T>::get(record)
		}

		/// `record`'s data key wrapped for `recipient`.
		pub fn key_envelope(record: RecordId, recipient: &T::AccountId) -> Option<Vec<u8>> {
			KeyEnvelopes::<T>::get(record, recipient).map(|envelope| envelope.wrapped_key.into())
		}

		/// The live record `record`, or the error saying why there is none.
		fn live_record(record: RecordId) -> Result<RecordOf<T>, Error<T>> {
			Records::<T>::get(record).ok_or_else(|| Self::missing_record(record))
		}

		/// Why `record` is not in [`Records`].
		fn missing_record(record: RecordId) -> Error<T> {
			if Tombstones::<T>::contains_key(record) {
				Error::<T>::RecordErased
			} else {
				Error::<T>::RecordNotFound
			}
		}

		fn ensure_valid_content(
			content_hash: &H256,
			ciphertext_size: u64,
			media_type: &MediaTypeCode,
		) -> DispatchResult {
			ensure!(!content_hash.is_zero(), Error::<T>::MissingContentHash);
			ensure!(ciphertext_size > 0, Error::<T>::EmptyDocument);
			ensure!(is_media_type(media_type), Error::<T>::InvalidMediaType);
			Ok(())
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
				// Appends meet `RecordNotCurrent` first; both say the record cannot be amended.
				AccessReason::RecordNotCurrent | AccessReason::RecordEnteredInError => {
					Error::<T>::NotCurrent
				},
				AccessReason::Patient
				| AccessReason::Consent
				| AccessReason::BreakGlass
				| AccessReason::BreakGlassExpired
				| AccessReason::NoConsent => Error::<T>::NoConsent,
			})
		}

		/// Stores a new version authored by `author` with its envelopes, holding the deposits,
		/// and tells [`Config::Hooks`].
		fn insert_record(
			author: &T::AccountId,
			new: NewVersion<T::AccountId>,
			envelopes: EnvelopesOf<T>,
		) -> Result<InsertedVersion, DispatchError> {
			if let Some(claim) = T::Hooks::ciphertext_claim(&new.content_hash) {
				ensure!(*claim.patient() == new.patient, Error::<T>::CiphertextOfAnotherPatient);
				// Only the patient may name it again: a provider appending under a consent
				// could otherwise file a record its consent lets it read around a ciphertext
				// it may not read (nodes serve a blob through any record naming it), and keep
				// that ciphertext stored after the patient erased its own records.
				if *author != new.patient {
					return Err(match claim {
						CiphertextClaim::Named(_) => Error::<T>::CiphertextAlreadyNamed,
						CiphertextClaim::BeingDeleted(_) => Error::<T>::CiphertextBeingDeleted,
					}
					.into());
				}
			}
			let mut recipients: Vec<&T::AccountId> = envelopes.iter().map(|(r, _)| r).collect();
			recipients.sort();
			ensure!(
				!recipients.windows(2).any(|pair| matches!(pair, [a, b] if a == b)),
				Error::<T>::DuplicateRecipient
			);
			for (recipient, wrapped_key) in envelopes.iter() {
				ensure!(!wrapped_key.is_empty(), Error::<T>::EmptyWrappedKey);
				ensure!(
					*author == new.patient || *recipient == new.patient || recipient == author,
					Error::<T>::RecipientNotAllowed
				);
			}

			let record = NextRecordId::<T>::get();
			let next = record.checked_add(1).ok_or(Error::<T>::Overflow)?;

			let deposit = Deposit { depositor: author.clone(), amount: T::RecordDeposit::get() };
			Self::hold(HoldReason::RecordDeposit, &deposit)?;
			let envelope_count = envelopes.len() as u32;
			for (recipient, wrapped_key) in envelopes {
				Self::insert_envelope(author, &new.patient, record, recipient, wrapped_key)?;
			}
			let organisation = T::Organisations::organisation_of(author);
			let patient = new.patient;
			RecordsOf::<T>::insert(&patient, record, ());
			Records::<T>::insert(
				record,
				Record {
					patient: patient.clone(),
					author: author.clone(),
					organisation,
					category: new.category,
					content_hash: new.content_hash,
					ciphertext_size: new.ciphertext_size,
					media_type: new.media_type,
					created_at: T::Time::now(),
					document: new.document.unwrap_or(record),
					version: new.version,
					latest_version: new.version,
					replaces: new.replaces,
					superseded_by: None,
					// Only the current version can be amended, so the one replaced is valid.
					falls_back_to: new.replaces,
					fallback_of: None,
					status: RecordStatus::Current,
					consent_used: new.consent_used,
					envelopes: envelope_count,
					deposit,
				},
			);
			NextRecordId::<T>::put(next);
			let hooks_unused =
				T::Hooks::on_registered(record, &patient, &new.content_hash, new.ciphertext_size);
			Ok(InsertedVersion { record, organisation, hooks_unused })
		}

		/// The components of the register and amend weights for `envelopes` of `patient`'s
		/// record: how many are for others (each also indexed for revocations) and how many
		/// for the patient.
		pub(crate) fn envelope_components(
			patient: &T::AccountId,
			envelopes: &EnvelopesOf<T>,
		) -> (u32, u32) {
			let own = envelopes.iter().filter(|(recipient, _)| recipient == patient).count();
			// Bounded by `MaxEnvelopesPerRecord`, a `u32`.
			let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
			(count(envelopes.len().saturating_sub(own)), count(own))
		}

		/// Whether `who` is the key custodian of a registered organisation.
		fn is_key_custodian(who: &T::AccountId) -> bool {
			T::Organisations::organisation_of(who)
				.is_some_and(|org| T::Organisations::has_role(org, who, Role::KeyCustodian))
		}

		/// A key custodian may wrap `record`'s key for `recipient` only from its own envelope,
		/// while the patient still consents to its emergency reads (a break-glass access of its
		/// own does not count), and only for someone who may read the record in an emergency
		/// now.
		fn ensure_custodian_may_release(
			record: RecordId,
			custodian: &T::AccountId,
			recipient: &T::AccountId,
		) -> DispatchResult {
			ensure!(
				KeyEnvelopes::<T>::contains_key(record, custodian),
				Error::<T>::CustodianHoldsNoKey
			);
			let emergency_read =
				|who| T::Consent::can_access(who, record, Action::Read, Purpose::Emergency);
			// The custodian's own right must be the patient's consent: a custodian who also
			// breaks the glass must not keep releasing keys after the escrow is withdrawn.
			let escrow = emergency_read(custodian);
			ensure!(
				escrow.allowed && escrow.reason == AccessReason::Consent,
				Error::<T>::EscrowNotConsented
			);
			ensure!(emergency_read(recipient).allowed, Error::<T>::RecipientMayNotReadInEmergency);
			Ok(())
		}

		/// Stores an envelope of `patient`'s `record` written by `depositor`, holding its
		/// deposit. The caller checks that there is room and none yet for `recipient`, and
		/// counts it in the record.
		pub(crate) fn insert_envelope(
			depositor: &T::AccountId,
			patient: &T::AccountId,
			record: RecordId,
			recipient: T::AccountId,
			wrapped_key: WrappedKeyOf<T>,
		) -> DispatchResult {
			let deposit =
				Deposit { depositor: depositor.clone(), amount: T::KeyEnvelopeDeposit::get() };
			Self::hold(HoldReason::KeyEnvelopeDeposit, &deposit)?;
			// The patient's own envelopes are always needed, so no revocation looks for them.
			if recipient != *patient {
				let holder_org = T::Organisations::organisation_of(&recipient);
				Self::index_envelope(patient, &recipient, record, holder_org);
			}
			KeyEnvelopes::<T>::insert(record, &recipient, KeyEnvelope { wrapped_key, deposit });
			Self::deposit_event(Event::KeyEnvelopeAdded {
				record,
				recipient,
				depositor: depositor.clone(),
			});
			Ok(())
		}

		/// Removes `recipient`'s envelope of `entry` (the record `record`) and returns its
		/// deposit. The caller stores `entry`, whose envelope count this lowers.
		fn remove_envelope(
			entry: &mut RecordOf<T>,
			record: RecordId,
			recipient: T::AccountId,
			envelope: &KeyEnvelopeOf<T>,
		) -> DispatchResult {
			Self::release(HoldReason::KeyEnvelopeDeposit, &envelope.deposit)?;
			KeyEnvelopes::<T>::remove(record, &recipient);
			Self::unindex_envelope(&entry.patient, &recipient, record);
			entry.envelopes = entry.envelopes.saturating_sub(1);
			Self::deposit_event(Event::KeyEnvelopeRemoved { record, recipient });
			Ok(())
		}

		/// Lists `holder`'s envelope of `patient`'s `record` where revocations look for it: by
		/// holder, and by `holder_org` (the holder's organisation) if any.
		pub(crate) fn index_envelope(
			patient: &T::AccountId,
			holder: &T::AccountId,
			record: RecordId,
			holder_org: Option<OrgId>,
		) {
			EnvelopesByHolder::<T>::insert((holder, patient, record), holder_org);
			if let Some(org) = holder_org {
				EnvelopesByOrganisation::<T>::insert((patient, org, holder, record), ());
			}
		}

		/// Takes `holder`'s envelope of `patient`'s `record` out of the revocation indexes.
		fn unindex_envelope(patient: &T::AccountId, holder: &T::AccountId, record: RecordId) {
			if holder == patient {
				// Never indexed (see `insert_envelope`).
				return;
			}
			if let Some(org) = EnvelopesByHolder::<T>::take((holder, patient, record)).flatten() {
				EnvelopesByOrganisation::<T>::remove((patient, org, holder, record));
			}
		}

		/// Removes the envelopes of `patient`'s records that nobody needs any more among those
		/// held by the grantee account, or by the grantee organisation's members (members when
		/// the envelope was written or last found still needed): those whose holder may no
		/// longer read the record now or later. Examines at most `limit` envelopes, in storage
		/// order after `resume_after` (a holder and record; from the first if `None`).
		pub(crate) fn sweep_unneeded_envelopes(
			patient: &T::AccountId,
			grantee: &GranteeKey<T::AccountId>,
			resume_after: Option<(T::AccountId, RecordId)>,
			limit: u32,
		) -> EnvelopeSweep<(T::AccountId, RecordId)> {
			// One more than the limit, to learn whether any were left unexamined.
			let take = (limit as usize).saturating_add(1);
			let candidates: Vec<IndexedEnvelope<T::AccountId>> = match grantee {
				GranteeKey::Account(holder) => {
					let prefix = (holder, patient);
					let entries = match resume_after {
						Some((_, record)) => EnvelopesByHolder::<T>::iter_prefix_from(
							prefix,
							EnvelopesByHolder::<T>::hashed_key_for((holder, patient, record)),
						),
						None => EnvelopesByHolder::<T>::iter_prefix(prefix),
					};
					entries
						.take(take)
						.map(|(record, org)| IndexedEnvelope {
							patient: patient.clone(),
							holder: holder.clone(),
							record,
							org,
						})
						.collect()
				},
				GranteeKey::Organisation(org) => {
					let prefix = (patient, *org);
					let keys = match resume_after {
						Some((holder, record)) => {
							EnvelopesByOrganisation::<T>::iter_key_prefix_from(
								prefix,
								EnvelopesByOrganisation::<T>::hashed_key_for((
									patient, *org, holder, record,
								)),
							)
						},
						None => EnvelopesByOrganisation::<T>::iter_key_prefix(prefix),
					};
					keys.take(take)
						.map(|(holder, record)| IndexedEnvelope {
							patient: patient.clone(),
							holder,
							record,
							org: Some(*org),
						})
						.collect()
				},
			};
			let sweep = Self::examine_envelopes(candidates, limit);
			let sweep = EnvelopeSweep {
				examined: sweep.examined,
				removed: sweep.removed,
				resume_after: sweep.resume_after.map(|last| (last.holder, last.record)),
			};
			if sweep.examined > 0 {
				Self::deposit_event(Event::UnneededEnvelopesRemoved {
					patient: patient.clone(),
					grantee: grantee.clone(),
					examined: sweep.examined,
					removed: sweep.removed,
					resume_after: sweep.resume_after.clone(),
				});
			}
			sweep
		}

		/// Removes the envelopes held by `holder`, of any patient's records, that the holder
		/// may no longer read now or later, and lists those kept under the holder's
		/// organisation now: after the holder joined or left an organisation or lost a role
		/// there. Examines at most `limit` envelopes, in storage order after
		/// `resume_after` (a patient and record; from the first if `None`).
		pub(crate) fn sweep_unneeded_envelopes_of(
			holder: &T::AccountId,
			resume_after: Option<(T::AccountId, RecordId)>,
			limit: u32,
		) -> EnvelopeSweep<(T::AccountId, RecordId)> {
			let take = (limit as usize).saturating_add(1);
			let prefix = (holder,);
			let entries = match resume_after {
				Some((patient, record)) => EnvelopesByHolder::<T>::iter_prefix_from(
					prefix,
					EnvelopesByHolder::<T>::hashed_key_for((holder, patient, record)),
				),
				None => EnvelopesByHolder::<T>::iter_prefix(prefix),
			};
			let candidates = entries
				.take(take)
				.map(|((patient, record), org)| IndexedEnvelope {
					patient,
					holder: holder.clone(),
					record,
					org,
				})
				.collect();
			let sweep = Self::examine_envelopes(candidates, limit);
			let sweep = EnvelopeSweep {
				examined: sweep.examined,
				removed: sweep.removed,
				resume_after: sweep.resume_after.map(|last| (last.patient, last.record)),
			};
			if sweep.examined > 0 {
				Self::deposit_event(Event::UnneededEnvelopesOfHolderRemoved {
					holder: holder.clone(),
					examined: sweep.examined,
					removed: sweep.removed,
					resume_after: sweep.resume_after.clone(),
				});
			}
			sweep
		}

		/// Examines the first `limit` of `candidates` (one more tells that some are left):
		/// removes the envelopes whose holder may no longer read the record now or later, and
		/// lists those still needed under the organisation their holder is a member of now, so
		/// that the revocation that ends the holder's access finds them. Returns the counts,
		/// and the last envelope examined if some were left.
		fn examine_envelopes(
			mut candidates: Vec<IndexedEnvelope<T::AccountId>>,
			limit: u32,
		) -> EnvelopeSweep<IndexedEnvelope<T::AccountId>> {
			let all_examined = candidates.len() <= limit as usize;
			candidates.truncate(limit as usize);
			// Iteration goes on from a removed key as well as from a kept one.
			let resume_after = if all_examined { None } else { candidates.last().cloned() };
			let examined = candidates.len() as u32;
			let mut removed: u32 = 0;
			for IndexedEnvelope { patient, holder, record, org } in candidates {
				if T::Consent::may_read_now_or_later(&holder, record) {
					let member_of = T::Organisations::organisation_of(&holder);
					if member_of != org {
						Self::unindex_envelope(&patient, &holder, record);
						Self::index_envelope(&patient, &holder, record, member_of);
					}
					continue;
				}
				let (Some(mut entry), Some(envelope)) =
					(Records::<T>::get(record), KeyEnvelopes::<T>::get(record, &holder))
				else {
					// Never expected: an index entry without its envelope would otherwise take
					// a place in every later revocation.
					Self::unindex_envelope(&patient, &holder, record);
					continue;
				};
				// The release cannot fail (the deposit was held when the envelope was written);
				// if it did, the layer undoes this removal alone and the revocation stands.
				let removal = with_storage_layer(|| {
					Self::remove_envelope(&mut entry, record, holder, &envelope)?;
					Records::<T>::insert(record, &entry);
					Ok::<_, DispatchError>(())
				});
				if removal.is_ok() {
					removed = removed.saturating_add(1);
				}
			}
			EnvelopeSweep { examined, removed, resume_after }
		}

		/// The weight of [`Pallet::sweep_unneeded_envelopes`] examining `examined` envelopes,
		/// each in its worst case: an access decision (benchmarked by the consent pallet) and a
		/// removal. Listing a kept envelope under its holder's organisation now (the holder's
		/// membership, and at most 1 read and 4 writes of the indexes) costs less than a
		/// removal (9 reads and 6 writes, and a released hold).
		pub(crate) fn unneeded_envelopes_weight(examined: u32) -> Weight {
			T::WeightInfo::remove_unneeded_envelopes(examined)
				.saturating_add(T::Consent::decision_weight().saturating_mul(u64::from(examined)))
		}

		/// The weight of [`Pallet::sweep_unneeded_envelopes_of`] examining `examined`
		/// envelopes, each in its worst case: an access decision and a removal (see
		/// [`Pallet::unneeded_envelopes_weight`]).
		pub(crate) fn unneeded_envelopes_of_weight(examined: u32) -> Weight {
			T::WeightInfo::remove_unneeded_envelopes_of(examined)
				.saturating_add(T::Consent::decision_weight().saturating_mul(u64::from(examined)))
		}

		/// Holds `deposit` for `reason`.
		fn hold(
			reason: HoldReason,
			deposit: &Deposit<T::AccountId, BalanceOf<T>>,
		) -> DispatchResult {
			deposit.hold::<T::Currency>(&reason.into())
		}

		/// Returns `deposit`, held for `reason`, to its depositor.
		fn release(
			reason: HoldReason,
			deposit: &Deposit<T::AccountId, BalanceOf<T>>,
		) -> DispatchResult {
			deposit.release::<T::Currency>(&reason.into())
		}
	}

	impl<T: Config> MembershipHooks<T::AccountId> for Pallet<T> {
		fn on_membership_changed(member: &T::AccountId) -> Weight {
			let sweep = Self::sweep_unneeded_envelopes_of(
				member,
				None,
				T::MaxEnvelopesExaminedOnRevoke::get(),
			);
			Self::unneeded_envelopes_of_weight(sweep.examined)
		}

		fn max_weight() -> Weight {
			Self::unneeded_envelopes_of_weight(T::MaxEnvelopesExaminedOnRevoke::get())
		}
	}

	impl<T: Config> ConsentRevocationHooks<T::AccountId> for Pallet<T> {
		fn on_revoked(patient: &T::AccountId, grantee: &GranteeKey<T::AccountId>) -> Weight {
			let sweep = Self::sweep_unneeded_envelopes(
				patient,
				grantee,
				None,
				T::MaxEnvelopesExaminedOnRevoke::get(),
			);
			Self::unneeded_envelopes_weight(sweep.examined)
		}

		fn max_weight() -> Weight {
			Self::unneeded_envelopes_weight(T::MaxEnvelopesExaminedOnRevoke::get())
		}
	}

	impl<T: Config> RecordInspect<T::AccountId> for Pallet<T> {
		fn record_summary(record: RecordId) -> Option<RecordSummary<T::AccountId>> {
			Records::<T>::get(record).map(|entry| RecordSummary {
				patient: entry.patient,
				author: entry.author,
				category: entry.category,
				document: entry.document,
				status: entry.status,
			})
		}

		fn record_status(record: RecordId) -> Option<RecordStatus> {
			Records::<T>::get(record)
				.map(|entry| entry.status)
				.or_else(|| Tombstones::<T>::get(record).map(|tombstone| tombstone.status))
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl<T: Config> medchain_primitives::health::RecordsBenchmarkHelper<T::AccountId> for Pallet<T> {
		fn create_record(patient: &T::AccountId, category: CategoryCode) -> RecordId {
			let record = NextRecordId::<T>::get();
			NextRecordId::<T>::put(record.saturating_add(1));
			RecordsOf::<T>::insert(patient, record, ());
			Records::<T>::insert(
				record,
				Record {
					patient: patient.clone(),
					author: patient.clone(),
					organisation: None,
					category,
					content_hash: H256::repeat_byte(0xbe),
					ciphertext_size: 1,
					media_type: MediaTypeCode::truncate_from(b"application/fhir+json".to_vec()),
					created_at: T::Time::now(),
					document: record,
					version: 1,
					latest_version: 1,
					replaces: None,
					superseded_by: None,
					falls_back_to: None,
					fallback_of: None,
					status: RecordStatus::Current,
					consent_used: None,
					envelopes: 0,
					deposit: Deposit {
						depositor: patient.clone(),
						amount: sp_runtime::traits::Zero::zero(),
					},
				},
			);
			record
		}
	}
}
