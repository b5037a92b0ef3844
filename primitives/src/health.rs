//! The health-records vocabulary the identities (`pallet-consortium`), record registry
//! (`pallet-records`) and consent (`pallet-consent`) pallets share, and the traits through which
//! they talk to each other.
//!
//! No pallet reads another's storage: each asks through one of these traits, wired in the
//! runtime's `Config`s. The shapes follow HL7 FHIR R5 (`DocumentReference`, `Consent`), reduced
//! to what may live on a chain: hashes, sizes, codes, enums and account ids, never health data.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{ConstU32, Get, H256};
use sp_runtime::{BoundedVec, Weight};

/// Identifies a record (a FHIR `DocumentReference` version) in the record registry.
pub type RecordId = u64;
/// Identifies a consent, or a break-glass access (they share one id space so that an
/// [`AccessDecision`] can name either without ambiguity).
pub type ConsentId = u64;
/// Identifies an organisation of the consortium.
pub type OrgId = u32;

/// The longest [`CategoryCode`], in bytes.
pub const MAX_CODE_LEN: u32 = 32;

/// A document class code, e.g. the LOINC document ontology code `11488-4` (consult note).
///
/// Codes are short ASCII tokens (see [`is_valid_code`]), never narrative text; records and
/// consents accept only those in [`crate::vocabulary::DOCUMENT_CATEGORIES`].
pub type CategoryCode = BoundedVec<u8, ConstU32<MAX_CODE_LEN>>;

/// Whether `code` is a well-formed code: non-empty, and only ASCII letters, digits and the
/// separators `. - _ : / +` (enough for LOINC, SNOMED CT, IANA media types and local codes).
///
/// Spaces are refused so a code cannot carry a sentence.
pub fn is_valid_code(code: &[u8]) -> bool {
	!code.is_empty()
		&& code.iter().all(|byte| byte.is_ascii_alphanumeric() || b".-_:/+".contains(byte))
}

/// Why a set given to a call was refused by [`sorted_set`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SetError {
	/// The set is empty.
	Empty,
	/// The same element is listed twice.
	Duplicate,
}

/// Sorts `items` so that a set has one encoding, refusing empty sets and duplicates.
pub fn sorted_set<T: Ord, S: Get<u32>>(
	mut items: BoundedVec<T, S>,
) -> Result<BoundedVec<T, S>, SetError> {
	if items.is_empty() {
		return Err(SetError::Empty);
	}
	items.sort();
	if items.windows(2).any(|pair| matches!(pair, [first, second] if first == second)) {
		return Err(SetError::Duplicate);
	}
	Ok(items)
}

/// What an account wants to do with a patient's records (FHIR `Consent.provision.action`).
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
pub enum Action {
	/// Read a record: fetch its ciphertext and its key envelope.
	Read,
	/// Add a record to the patient's file, or a new version of one.
	Append,
}

/// Why an account accesses a record (HL7 v3 `PurposeOfUse`, FHIR `Consent.provision.purpose`).
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
pub enum Purpose {
	/// Treatment of the patient (`TREAT`).
	Treatment,
	/// Emergency treatment (`ETREAT`); the only purpose a break-glass access serves.
	Emergency,
	/// Payment for care (`HPAYMT`).
	Payment,
	/// Healthcare operations: quality, administration (`HOPERAT`).
	Operations,
	/// Research (`HRESCH`).
	Research,
	/// Public health reporting (`PUBHLTH`).
	PublicHealth,
}

impl Purpose {
	/// Every purpose, in their encoding order.
	pub const ALL: [Purpose; 6] = [
		Purpose::Treatment,
		Purpose::Emergency,
		Purpose::Payment,
		Purpose::Operations,
		Purpose::Research,
		Purpose::PublicHealth,
	];
}

/// The largest number of distinct purposes a set can hold: every [`Purpose`].
pub type MaxPurposes = ConstU32<8>;
/// A set of purposes, sorted and without duplicates.
pub type Purposes = BoundedVec<Purpose, MaxPurposes>;
/// The largest number of distinct actions a set can hold: every [`Action`].
pub type MaxActions = ConstU32<2>;
/// A set of actions, sorted and without duplicates.
pub type Actions = BoundedVec<Action, MaxActions>;

/// The kind of an organisation of the consortium.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum OrgKind {
	/// A hospital.
	Hospital,
	/// A clinic or a practice.
	Clinic,
	/// A medical laboratory.
	Laboratory,
	/// A pharmacy.
	Pharmacy,
	/// A manufacturer of medicines or devices.
	Manufacturer,
	/// A wholesaler of medicines.
	Wholesaler,
	/// A regulator or health authority; its auditors may review any break-glass access.
	Regulator,
	/// A research institution.
	Research,
}

/// What a member account does in its organisation (FHIR `PractitionerRole.code`).
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Role {
	/// A physician or other clinician treating patients.
	Clinician,
	/// A nurse.
	Nurse,
	/// Emergency staff: may break the glass on a patient's records.
	Emergency,
	/// A pharmacist.
	Pharmacist,
	/// A laboratory technician.
	LabTechnician,
	/// A health-information manager filing records for the organisation.
	RecordsClerk,
	/// A privacy or compliance auditor: may review break-glass accesses.
	Auditor,
	/// A researcher.
	Researcher,
	/// The organisation's key custodian (a key service, typically in an HSM): holds record
	/// keys that patients escrow to it, and wraps them for emergency staff who broke the
	/// glass. See `records.add_key_envelope`.
	KeyCustodian,
}

/// The largest number of distinct roles a member can hold: every [`Role`].
pub type MaxRoles = ConstU32<9>;
/// A set of roles, sorted and without duplicates.
pub type Roles = BoundedVec<Role, MaxRoles>;

/// The state of a record (FHIR `DocumentReference.status`, plus erasure).
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
pub enum RecordStatus {
	/// The latest version of the document.
	Current,
	/// A newer version replaces it; it stays readable as history.
	Superseded,
	/// Its author withdrew it as written in error; it stays as history.
	EnteredInError,
	/// The patient erased it: only a tombstone (id, hash, status) is left.
	Erased,
}

/// What the consent pallet needs to know about a live record to decide who may access it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct RecordSummary<AccountId> {
	/// The patient the record is about and who owns it.
	pub patient: AccountId,
	/// The account that registered the record.
	pub author: AccountId,
	/// The record's document class.
	pub category: CategoryCode,
	/// The document the record is a version of, named by its first version's id.
	pub document: RecordId,
	/// The record's status; never [`RecordStatus::Erased`] (erased records have no summary).
	pub status: RecordStatus,
}

/// Why [`AccessPolicy`] allowed or refused an access.
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
pub enum AccessReason {
	/// Allowed: the account is the patient.
	Patient,
	/// Allowed: an active consent of the patient covers the access.
	Consent,
	/// Allowed: an unexpired break-glass access of the account covers the access.
	BreakGlass,
	/// Refused: no such record.
	RecordNotFound,
	/// Refused: the patient erased the record.
	RecordErased,
	/// Refused: no consent of the patient names the account or its organisation.
	NoConsent,
	/// Refused: the closest consent's period has not started yet.
	ConsentNotYetValid,
	/// Refused: the closest consent's period has ended.
	ConsentExpired,
	/// Refused: the closest consent does not permit this action.
	ActionNotPermitted,
	/// Refused: the closest consent does not permit this purpose.
	PurposeNotPermitted,
	/// Refused: the closest consent does not cover this record.
	OutOfScope,
	/// Refused: the account's break-glass access has expired.
	BreakGlassExpired,
	/// Refused: only the current version of a document can be appended to (amended); this
	/// one is superseded or entered in error.
	RecordNotCurrent,
	/// Refused: the record was entered in error (e.g. filed in the wrong patient's file), so
	/// only its patient and its author may still read it.
	RecordEnteredInError,
}

/// The answer of [`AccessPolicy::can_access`].
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
pub struct AccessDecision {
	/// Whether the access is allowed.
	pub allowed: bool,
	/// The consent (or break-glass access) that allows it, if any.
	pub consent_used: Option<ConsentId>,
	/// Why it is allowed or refused.
	pub reason: AccessReason,
}

impl AccessDecision {
	/// A refusal for `reason`.
	pub const fn deny(reason: AccessReason) -> Self {
		Self { allowed: false, consent_used: None, reason }
	}

	/// A permission for `reason`, through `consent_used`.
	pub const fn allow(reason: AccessReason, consent_used: Option<ConsentId>) -> Self {
		Self { allowed: true, consent_used, reason }
	}
}

/// The organisations of the consortium and their members, as other pallets see them.
///
/// An account is a member of at most one organisation.
pub trait Organisations<AccountId> {
	/// The registered organisation `who` is a member of, if any.
	fn organisation_of(who: &AccountId) -> Option<OrgId>;
	/// Whether `who` is a member of the registered organisation `org` and holds `role` there.
	fn has_role(org: OrgId, who: &AccountId, role: Role) -> bool;
	/// The kind of the registered organisation `org`; `None` if it is not registered.
	fn organisation_kind(org: OrgId) -> Option<OrgKind>;
	/// The GS1 GLN (party, AI 417) of the registered organisation `org`.
	fn organisation_gln(org: OrgId) -> Option<crate::gs1::Gln>;
	/// The registered organisation holding the GS1 Company Prefix `gtin` is under, if any
	/// (prefixes never overlap, so there is at most one).
	fn gtin_prefix_holder(gtin: &crate::gs1::Gtin) -> Option<OrgId>;
	/// The registered organisation holding the GS1 Company Prefix `sscc` is under, if any: the
	/// one company that may number a logistic unit with it.
	fn sscc_prefix_holder(sscc: &crate::gs1::Sscc) -> Option<OrgId>;
}

/// No organisations at all.
impl<AccountId> Organisations<AccountId> for () {
	fn organisation_of(_who: &AccountId) -> Option<OrgId> {
		None
	}
	fn has_role(_org: OrgId, _who: &AccountId, _role: Role) -> bool {
		false
	}
	fn organisation_kind(_org: OrgId) -> Option<OrgKind> {
		None
	}
	fn organisation_gln(_org: OrgId) -> Option<crate::gs1::Gln> {
		None
	}
	fn gtin_prefix_holder(_gtin: &crate::gs1::Gtin) -> Option<OrgId> {
		None
	}
	fn sscc_prefix_holder(_sscc: &crate::gs1::Sscc) -> Option<OrgId> {
		None
	}
}

/// The record registry, as the consent pallet sees it.
pub trait RecordInspect<AccountId> {
	/// The patient, category and status of the live (not erased) record `record`.
	fn record_summary(record: RecordId) -> Option<RecordSummary<AccountId>>;
	/// The status of `record`, erased ones included; `None` if it never existed.
	fn record_status(record: RecordId) -> Option<RecordStatus>;
}

/// No records at all.
impl<AccountId> RecordInspect<AccountId> for () {
	fn record_summary(_record: RecordId) -> Option<RecordSummary<AccountId>> {
		None
	}
	fn record_status(_record: RecordId) -> Option<RecordStatus> {
		None
	}
}

/// Who may do what with a patient's records: the consent pallet's one decision function.
///
/// Every method answers from chain state alone, so every node reaches the same answer.
pub trait AccessPolicy<AccountId> {
	/// Whether `who` may perform `action` on the existing record `record` for `purpose`.
	fn can_access(
		who: &AccountId,
		record: RecordId,
		action: Action,
		purpose: Purpose,
	) -> AccessDecision;
	/// Whether `who` may add a new record of `category` to `patient`'s file for `purpose`.
	fn can_append(
		who: &AccountId,
		patient: &AccountId,
		category: &CategoryCode,
		purpose: Purpose,
	) -> AccessDecision;
	/// Whether `who` may read `record` for at least one purpose now, or will once a consent
	/// already granted starts: whether a key envelope for `who` is still needed.
	fn may_read_now_or_later(who: &AccountId, record: RecordId) -> bool;
	/// The worst-case weight of any one of the methods above.
	fn decision_weight() -> Weight;
}

/// Only the patient: refuses every access it is asked about.
impl<AccountId> AccessPolicy<AccountId> for () {
	fn can_access(
		_who: &AccountId,
		_record: RecordId,
		_action: Action,
		_purpose: Purpose,
	) -> AccessDecision {
		AccessDecision::deny(AccessReason::NoConsent)
	}
	fn can_append(
		_who: &AccountId,
		_patient: &AccountId,
		_category: &CategoryCode,
		_purpose: Purpose,
	) -> AccessDecision {
		AccessDecision::deny(AccessReason::NoConsent)
	}
	fn may_read_now_or_later(_who: &AccountId, _record: RecordId) -> bool {
		false
	}
	fn decision_weight() -> Weight {
		Weight::zero()
	}
}

/// Whom a patient's consents are indexed under: one account, or an organisation whatever the
/// role, so that the decision function finds every consent that may name a reader with two
/// reads, and the record registry knows whose key envelopes a revocation may leave unneeded.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum GranteeKey<AccountId> {
	/// Consents naming this account.
	Account(AccountId),
	/// Consents naming this organisation (any member, or members with some role).
	Organisation(OrgId),
}

/// Told by the consent pallet when a patient revokes a consent, so that the record registry
/// removes the key envelopes nobody needs any more.
///
/// Implementations must not fail: the revocation stands whatever they find. The consent
/// pallet charges [`ConsentRevocationHooks::max_weight`] up front and refunds the rest.
pub trait ConsentRevocationHooks<AccountId> {
	/// `patient`'s consent naming `grantee` was revoked; it no longer grants anything. Returns
	/// the weight used, at most [`ConsentRevocationHooks::max_weight`].
	fn on_revoked(patient: &AccountId, grantee: &GranteeKey<AccountId>) -> Weight;
	/// The most [`ConsentRevocationHooks::on_revoked`] may use.
	fn max_weight() -> Weight;
}

/// Nobody listens.
impl<AccountId> ConsentRevocationHooks<AccountId> for () {
	fn on_revoked(_patient: &AccountId, _grantee: &GranteeKey<AccountId>) -> Weight {
		Weight::zero()
	}
	fn max_weight() -> Weight {
		Weight::zero()
	}
}

/// Told by the consortium when an account's membership changes in a way that can change what
/// consents naming an organisation give it: it joins an organisation, leaves it, or loses a
/// role there. The record registry then removes the key envelopes the account may no longer
/// read with, whatever gave them, and lists those it keeps under the account's organisation
/// now, where a revocation of that organisation's consent looks.
///
/// Implementations must not fail: the change stands whatever they find. The consortium
/// charges [`MembershipHooks::max_weight`] up front and refunds the rest.
pub trait MembershipHooks<AccountId> {
	/// `member` joined an organisation, left it or lost a role there. Returns the weight used,
	/// at most [`MembershipHooks::max_weight`].
	fn on_membership_changed(member: &AccountId) -> Weight;
	/// The most [`MembershipHooks::on_membership_changed`] may use.
	fn max_weight() -> Weight;
}

/// Nobody listens.
impl<AccountId> MembershipHooks<AccountId> for () {
	fn on_membership_changed(_member: &AccountId) -> Weight {
		Weight::zero()
	}
	fn max_weight() -> Weight {
		Weight::zero()
	}
}

/// Told by the record registry when a record's ciphertext must be kept or may be deleted
/// (e.g. by the pinning pallet), and asked whose ciphertext a content hash is.
///
/// Implementations must be cheap and must not fail. The calls that run them are charged for
/// their most expensive case, the one [`RecordHooksBenchmarkHelper`] sets up; each hook
/// returns the part of that weight it did not use, which the call refunds.
pub trait RecordHooks<AccountId> {
	/// Whose the ciphertext `content_hash` is: the patient whose records name it, or whose
	/// erasure is having it deleted; `None` if no record names it and no deletion is under way.
	///
	/// The record registry refuses a record of another patient naming it, which would keep the
	/// first patient's ciphertext stored after they erased their records, and lets only the
	/// patient call a deletion off. It reads only what [`RecordHooks::on_registered`] reads
	/// next, so it is charged with it.
	fn ciphertext_claim(content_hash: &H256) -> Option<CiphertextClaim<AccountId>>;
	/// `record` of `patient` was registered; its ciphertext (`size` bytes, SHA-256
	/// `content_hash`) must be kept. Returns the weight of the most expensive case this call
	/// did not use.
	fn on_registered(
		record: RecordId,
		patient: &AccountId,
		content_hash: &H256,
		size: u64,
	) -> Weight;
	/// `record` was erased; its ciphertext may be deleted. Returns the weight of the most
	/// expensive case this call did not use.
	fn on_erased(record: RecordId, content_hash: &H256) -> Weight;
}

/// Whose a ciphertext is, as [`RecordHooks::ciphertext_claim`] tells.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum CiphertextClaim<AccountId> {
	/// Records of this patient name it.
	Named(AccountId),
	/// No record names it any more: its deletion after this patient's erasure is under way.
	BeingDeleted(AccountId),
}

impl<AccountId> CiphertextClaim<AccountId> {
	/// The patient whose ciphertext it is.
	pub fn patient(&self) -> &AccountId {
		match self {
			Self::Named(patient) | Self::BeingDeleted(patient) => patient,
		}
	}
}

/// Nobody listens: nothing is used, and hooks that do nothing have no worst case to refund.
/// Nobody keeps ciphertexts either, so none is any patient's.
impl<AccountId> RecordHooks<AccountId> for () {
	fn ciphertext_claim(_content_hash: &H256) -> Option<CiphertextClaim<AccountId>> {
		None
	}
	fn on_registered(
		_record: RecordId,
		_patient: &AccountId,
		_content_hash: &H256,
		_size: u64,
	) -> Weight {
		Weight::zero()
	}
	fn on_erased(_record: RecordId, _content_hash: &H256) -> Weight {
		Weight::zero()
	}
}

/// Puts [`RecordHooks`] in their most expensive case for the record registry's benchmarks,
/// which measure the hooks together with the calls. Implemented by `pallet-pinning` when built
/// with `runtime-benchmarks`; never used by a running chain.
pub trait RecordHooksBenchmarkHelper<AccountId> {
	/// Before `patient`'s `content_hash` is registered: the most expensive
	/// [`RecordHooks::on_registered`].
	fn worst_case_registration(patient: &AccountId, content_hash: &H256);
	/// Before `record` is erased: the most expensive [`RecordHooks::on_erased`]. Fails, saying
	/// why, when the benchmark's set-up left nothing to make expensive.
	fn worst_case_erasure(record: RecordId) -> Result<(), &'static str>;
}

/// Hooks that do nothing have no worst case.
impl<AccountId> RecordHooksBenchmarkHelper<AccountId> for () {
	fn worst_case_registration(_patient: &AccountId, _content_hash: &H256) {}
	fn worst_case_erasure(_record: RecordId) -> Result<(), &'static str> {
		Ok(())
	}
}

/// Sets up organisations for other pallets' benchmarks. Implemented by `pallet-consortium`
/// when built with `runtime-benchmarks`; never used by a running chain.
pub trait OrganisationsBenchmarkHelper<AccountId> {
	/// Registers a new organisation of `kind` and makes `who` its member holding `role`.
	fn member_with_role(who: &AccountId, kind: OrgKind, role: Role) -> OrgId;
	/// Makes `org` (a manufacturer) the holder of the longest company prefix `gtin` could be
	/// under; an error if that prefix may not be assigned.
	fn hold_prefix_of(org: OrgId, gtin: &crate::gs1::Gtin) -> Result<(), &'static str>;
	/// Makes `org` the holder of the longest company prefix `sscc` could be under; an error if
	/// that prefix may not be assigned.
	fn hold_sscc_prefix_of(org: OrgId, sscc: &crate::gs1::Sscc) -> Result<(), &'static str>;
}

/// Sets up records for other pallets' benchmarks. Implemented by `pallet-records` when built
/// with `runtime-benchmarks`; never used by a running chain.
pub trait RecordsBenchmarkHelper<AccountId> {
	/// Registers a record of `category` for `patient`, authored by the patient.
	fn create_record(patient: &AccountId, category: CategoryCode) -> RecordId;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn codes_are_short_ascii_tokens() {
		assert!(is_valid_code(b"11488-4"));
		assert!(is_valid_code(b"application/fhir+json"));
		assert!(is_valid_code(b"urn:oid:2.16.840.1_x"));
		assert!(!is_valid_code(b""));
		assert!(!is_valid_code(b"type 2 diabetes"));
		assert!(!is_valid_code("caf\u{e9}".as_bytes()));
	}

	#[test]
	fn sets_are_sorted_and_refuse_empty_or_duplicates() {
		let set: Purposes = BoundedVec::truncate_from(vec![Purpose::Research, Purpose::Treatment]);
		assert_eq!(
			sorted_set(set).map(|s| s.into_inner()),
			Ok(vec![Purpose::Treatment, Purpose::Research])
		);
		assert_eq!(sorted_set(Purposes::default()), Err(SetError::Empty));
		let twice: Purposes = BoundedVec::truncate_from(vec![Purpose::Payment, Purpose::Payment]);
		assert_eq!(sorted_set(twice), Err(SetError::Duplicate));
	}
}
