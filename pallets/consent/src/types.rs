//! The consent pallet's stored and call types, shaped after HL7 FHIR R5 `Consent`.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::fungible::Inspect, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
pub use medchain_primitives::health::GranteeKey;
use medchain_primitives::health::{
	AccessReason, Actions, CategoryCode, ConsentId, OrgId, Purpose, Purposes, RecordId, Role,
};
use scale_info::TypeInfo;
use sp_core::{Get, H256};

/// An account id of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// A balance of the currency deposits are held in.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<AccountIdOf<T>>>::Balance;
/// A consent scope, as granted, for runtime `T`.
pub type ConsentScopeOf<T> = ConsentScope<<T as Config>::MaxScopeItems>;
/// A consent scope, as stored, for runtime `T`.
pub type GrantedScopeOf<T> = GrantedScope<<T as Config>::MaxScopeItems>;
/// A consent as stored for runtime `T`.
pub type ConsentOf<T> = Consent<AccountIdOf<T>, BalanceOf<T>, GrantedScopeOf<T>>;
/// A delegation as stored for runtime `T`.
pub type DelegationOf<T> = Delegation<AccountIdOf<T>, BalanceOf<T>>;
/// A break-glass access as stored for runtime `T`.
pub type EmergencyAccessOf<T> = EmergencyAccess<AccountIdOf<T>>;

/// Who a consent is given to (FHIR `Consent.grantee`, `provision.actor`).
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Grantee<AccountId> {
	/// One account, e.g. a family doctor.
	Account(AccountId),
	/// Every member of a registered organisation, or only those holding `role` there.
	Organisation {
		/// The organisation.
		org: OrgId,
		/// The role a member must hold; `None` for any member.
		role: Option<Role>,
	},
}

impl<AccountId: Clone> Grantee<AccountId> {
	/// The key this grantee's consents are indexed under in [`crate::ConsentsByGrantee`].
	pub fn key(&self) -> GranteeKey<AccountId> {
		match self {
			Grantee::Account(account) => GranteeKey::Account(account.clone()),
			Grantee::Organisation { org, .. } => GranteeKey::Organisation(*org),
		}
	}
}

/// Which of the patient's records a consent is to cover (FHIR `provision.class`/`code`/
/// `data`), as [`crate::Pallet::grant`] takes it; stored as a [`GrantedScope`].
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(S))]
#[codec(mel_bound())]
pub enum ConsentScope<S: Get<u32>> {
	/// Every record of the patient, present and future.
	AllRecords,
	/// Records of these document classes, present and future.
	Categories(BoundedVec<CategoryCode, S>),
	/// These records, each with every later version of its document: the consent follows a
	/// document as it is amended, never back to the versions before the one listed. A
	/// version entered in error cannot be listed. Appending to one of them means amending it.
	Records(BoundedVec<RecordId, S>),
}

impl<S: Get<u32>> ConsentScope<S> {
	/// How many categories or records the scope lists.
	pub fn item_count(&self) -> u32 {
		match self {
			ConsentScope::AllRecords => 0,
			ConsentScope::Categories(categories) => categories.len() as u32,
			ConsentScope::Records(records) => records.len() as u32,
		}
	}
}

/// A version of a document: the record `record`, of the document named by its first
/// version's id, `document`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct DocumentVersion {
	/// The document, named by its first version's id.
	pub document: RecordId,
	/// The version's record id. Later versions of a document have larger ids.
	pub record: RecordId,
}

/// Which of the patient's records a granted consent covers: its [`ConsentScope`], each listed
/// record resolved to its document.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(S))]
#[codec(mel_bound())]
pub enum GrantedScope<S: Get<u32>> {
	/// Every record of the patient, present and future.
	AllRecords,
	/// Records of these document classes, present and future, sorted.
	Categories(BoundedVec<CategoryCode, S>),
	/// These documents, each from the version listed on: that version and every later one
	/// (a larger record id), whichever version it amends. Sorted by document; no document
	/// twice.
	Records(BoundedVec<DocumentVersion, S>),
}

impl<S: Get<u32>> GrantedScope<S> {
	/// Whether the scope covers a record of `category`: the version `existing` of an existing
	/// document, or a new document if `None`.
	pub fn covers(&self, category: &CategoryCode, existing: Option<DocumentVersion>) -> bool {
		match self {
			GrantedScope::AllRecords => true,
			GrantedScope::Categories(categories) => categories.contains(category),
			GrantedScope::Records(listed) => existing.is_some_and(|version| {
				listed
					.binary_search_by_key(&version.document, |listed| listed.document)
					.ok()
					.and_then(|at| listed.get(at))
					.is_some_and(|listed| version.record >= listed.record)
			}),
		}
	}
}

/// The state of a consent (FHIR `Consent.status`).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ConsentStatus {
	/// In force (within its period; see [`Consent::status_at`]).
	Active,
	/// Withdrawn by the patient or a delegate.
	Revoked,
	/// Its period has ended: derived when read ([`Consent::status_at`]), and stored once the
	/// consent is taken off the patient's list.
	Expired,
}

pub use medchain_primitives::deposit::Deposit;

/// A patient's permission for a grantee to read or append to some of their records, for some
/// purposes, during a period (FHIR R5 `Consent` with one permit provision).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Consent<AccountId, Balance, Scope> {
	/// The patient whose records are concerned (`subject`).
	pub patient: AccountId,
	/// Who gave the consent: the patient or one of their delegates (`grantor`).
	pub grantor: AccountId,
	/// Who may access (`grantee`).
	pub grantee: Grantee<AccountId>,
	/// Which records.
	pub scope: Scope,
	/// What the grantee may do (`provision.action`).
	pub actions: Actions,
	/// What for (`provision.purpose`).
	pub purposes: Purposes,
	/// From when, in milliseconds since the Unix epoch (`period.start`).
	pub start: u64,
	/// Until when, exclusive; `None` until revoked (`period.end`).
	pub end: Option<u64>,
	/// As stored: active until revoked, or until taken off the patient's list after its end
	/// (expired); [`Consent::status_at`] derives expiry before that.
	pub status: ConsentStatus,
	/// When it was granted (`date`).
	pub created_at: u64,
	/// When it was revoked (`None` for one that expired).
	pub revoked_at: Option<u64>,
	/// Who revoked it (`None` for one that expired).
	pub revoked_by: Option<AccountId>,
	/// SHA-256 of the signed consent form kept off chain, if any (`sourceAttachment.hash`).
	pub form_hash: Option<H256>,
	/// The deposit held while the consent is in the patient's list.
	pub deposit: Deposit<AccountId, Balance>,
}

impl<AccountId, Balance, Scope> Consent<AccountId, Balance, Scope> {
	/// The consent's status at `now`: a revoked or expired one stays so; an active one whose
	/// period ended is expired.
	pub fn status_at(&self, now: u64) -> ConsentStatus {
		match (self.status, self.end) {
			(ConsentStatus::Active, Some(end)) if end <= now => ConsentStatus::Expired,
			(status, _) => status,
		}
	}
}

/// An account allowed to grant and revoke consents for a patient (FHIR `Consent.manager`),
/// e.g. a parent for a minor.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Delegation<AccountId, Balance> {
	/// The delegate.
	pub delegate: AccountId,
	/// When the delegation ends, exclusive, in milliseconds since the Unix epoch; `None`
	/// until removed.
	pub until: Option<u64>,
	/// When it was added.
	pub since: u64,
	/// The deposit held from the patient for it.
	pub deposit: Balance,
}

impl<AccountId, Balance> Delegation<AccountId, Balance> {
	/// Whether the delegate may act for the patient at `now`.
	pub fn lasts_at(&self, now: u64) -> bool {
		self.until.is_none_or(|until| now < until)
	}
}

/// Why emergency staff broke the glass on a patient's records (a code; the written
/// justification stays off chain and only its hash is stored).
///
/// The codes describe why consent could not be obtained, never the patient's condition:
/// "unconscious" or "life-threatening" next to a patient's account would be health data.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum EmergencyReason {
	/// Care cannot wait for consent to be asked for.
	CareCannotWait,
	/// The patient cannot be asked for consent.
	PatientCannotBeAsked,
	/// No delegate of the patient can be reached in time.
	DelegateUnreachable,
	/// Another reason, explained in the written justification.
	Other,
}

/// What a reviewer concluded about a break-glass access.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ReviewOutcome {
	/// The emergency justified the access.
	Justified,
	/// It did not: the organisation must follow up.
	Unjustified,
}

/// The review of a break-glass access.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Review<AccountId> {
	/// The patient or auditor who reviewed it.
	pub reviewer: AccountId,
	/// Their conclusion.
	pub outcome: ReviewOutcome,
	/// When, in milliseconds since the Unix epoch.
	pub reviewed_at: u64,
}

/// A time-limited emergency read of one patient's records, without their consent.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct EmergencyAccess<AccountId> {
	/// The patient whose records may be read.
	pub patient: AccountId,
	/// The emergency staff member who broke the glass.
	pub accessor: AccountId,
	/// The accessor's organisation.
	pub organisation: OrgId,
	/// Why.
	pub reason: EmergencyReason,
	/// SHA-256 of the written justification kept off chain.
	pub justification_hash: H256,
	/// When the access started, in milliseconds since the Unix epoch.
	pub started_at: u64,
	/// When it ends, exclusive: brought forward to the review's time if an `Unjustified`
	/// review ended it early.
	pub expires_at: u64,
	/// The review of an auditor (of the accessor's organisation or of a regulator), once
	/// done.
	pub audit_review: Option<Review<AccountId>>,
	/// The patient's own review, once done: an auditor's review, however early, does not take
	/// from the patient the right to judge an access to their records, and to end it.
	pub patient_review: Option<Review<AccountId>>,
}

/// A break-glass access that may still be running, filed under its patient and accessor
/// so `can_access` needs one read to find it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct OpenEmergencyAccess {
	/// The access's id in `EmergencyAccesses`.
	pub id: ConsentId,
	/// The accessor's organisation, where they must still hold the emergency role.
	pub organisation: OrgId,
	/// When it ends, exclusive.
	pub expires_at: u64,
}

/// A read receipt: who read which record, under what, for which purpose, when.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct AccessReceipt<AccountId> {
	/// The account that read the record.
	pub reader: AccountId,
	/// The consent or break-glass access used; `None` when the patient read it.
	pub consent_used: Option<ConsentId>,
	/// Patient, consent or break-glass.
	pub basis: AccessReason,
	/// The purpose of the read.
	pub purpose: Purpose,
	/// When, in milliseconds since the Unix epoch.
	pub at: u64,
}
