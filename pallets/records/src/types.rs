//! The record registry's stored and call types.

use crate::Config;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{traits::fungible::Inspect, BoundedVec};
use medchain_primitives::health::{CategoryCode, ConsentId, OrgId, RecordId, RecordStatus};
use scale_info::TypeInfo;
use sp_core::{ConstU32, H256};

/// An account id of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// A balance of the currency deposits are held in.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<AccountIdOf<T>>>::Balance;

/// The longest [`MediaTypeCode`], in bytes.
pub const MAX_MEDIA_TYPE_LEN: u32 = 64;
/// The IANA media type of a record's plaintext, e.g. `application/fhir+json`
/// (FHIR `Attachment.contentType`); one of `medchain_primitives::vocabulary::MEDIA_TYPES`.
pub type MediaTypeCode = BoundedVec<u8, ConstU32<MAX_MEDIA_TYPE_LEN>>;

/// A record's data key wrapped (encrypted) for one recipient's X25519 key.
pub type WrappedKeyOf<T> = BoundedVec<u8, <T as Config>::MaxWrappedKeyLen>;
/// Key envelopes given with a new record: each recipient with the data key wrapped for them.
pub type EnvelopesOf<T> =
	BoundedVec<(AccountIdOf<T>, WrappedKeyOf<T>), <T as Config>::MaxEnvelopesPerRecord>;
/// A record as stored for runtime `T`.
pub type RecordOf<T> = Record<AccountIdOf<T>, BalanceOf<T>>;
/// A key envelope as stored for runtime `T`.
pub type KeyEnvelopeOf<T> = KeyEnvelope<AccountIdOf<T>, BalanceOf<T>, WrappedKeyOf<T>>;

pub use medchain_primitives::deposit::Deposit;

/// One version of a patient's document (FHIR `DocumentReference`): its ciphertext lives off
/// chain; the chain keeps who, what kind, the hash that proves it, and its history.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Record<AccountId, Balance> {
	/// The patient the document is about, who owns it (`subject`).
	pub patient: AccountId,
	/// The account that registered this version (`author`).
	pub author: AccountId,
	/// The organisation the author belonged to when registering, if any (`custodian`).
	pub organisation: Option<OrgId>,
	/// The document class, e.g. a LOINC document ontology code (`category`).
	pub category: CategoryCode,
	/// SHA-256 of the ciphertext (`content.attachment.hash`).
	pub content_hash: H256,
	/// Size of the ciphertext in bytes (`content.attachment.size`).
	pub ciphertext_size: u64,
	/// Media type of the plaintext (`content.attachment.contentType`).
	pub media_type: MediaTypeCode,
	/// When this version was registered, in milliseconds since the Unix epoch (`date`).
	pub created_at: u64,
	/// The document this is a version of, named by its first version's id: the record's own
	/// id for a new document, the replaced version's `document` for an amendment. A consent
	/// listing a record covers it and the later versions of its document through it.
	pub document: RecordId,
	/// 1 for a new document, one more than the document's highest so far for each amendment.
	pub version: u32,
	/// The highest version number the document has given out: this version's, or a later
	/// one's that was withdrawn (entered in error or erased) while current, after which this
	/// version became current again. The next amendment is one more, so no number repeats.
	pub latest_version: u32,
	/// The version this one replaces (`relatesTo.replaces`).
	pub replaces: Option<RecordId>,
	/// The version that replaced this one, if any.
	pub superseded_by: Option<RecordId>,
	/// The nearest earlier version of the document that is still valid (neither erased nor
	/// entered in error): it becomes current again if this version is withdrawn while current.
	pub falls_back_to: Option<RecordId>,
	/// The nearest later version of the document that is still valid: the one whose
	/// `falls_back_to` this version is.
	pub fallback_of: Option<RecordId>,
	/// Current, superseded or entered in error (`status`).
	pub status: RecordStatus,
	/// The consent under which a provider registered this version; `None` if the patient did.
	pub consent_used: Option<ConsentId>,
	/// How many key envelopes the record has.
	pub envelopes: u32,
	/// The deposit held for the record.
	pub deposit: Deposit<AccountId, Balance>,
}

/// What is left of an erased record: enough to prove it existed and to keep the version chain,
/// nothing that names the patient.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Tombstone {
	/// SHA-256 of the ciphertext that was released for deletion.
	pub content_hash: H256,
	/// Always [`RecordStatus::Erased`].
	pub status: RecordStatus,
	/// The version the erased record had.
	pub version: u32,
	/// The version the erased record replaced.
	pub replaces: Option<RecordId>,
	/// The version that had replaced the erased record.
	pub superseded_by: Option<RecordId>,
	/// When the record was erased, in milliseconds since the Unix epoch.
	pub erased_at: u64,
}

/// A record's data key wrapped for one account.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct KeyEnvelope<AccountId, Balance, WrappedKey> {
	/// The data key, encrypted to the recipient's published X25519 key.
	pub wrapped_key: WrappedKey,
	/// The deposit held for the envelope.
	pub deposit: Deposit<AccountId, Balance>,
}

/// What one sweep for key envelopes nobody needs any more did.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EnvelopeSweep<ResumePoint> {
	/// How many envelopes it examined.
	pub examined: u32,
	/// How many of them it removed.
	pub removed: u32,
	/// Where the last envelope examined is, if some were left unexamined.
	pub resume_after: Option<ResumePoint>,
}

/// A key envelope as a sweep finds it in the revocation indexes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IndexedEnvelope<AccountId> {
	/// The patient whose record the envelope opens.
	pub patient: AccountId,
	/// Whom the envelope is for.
	pub holder: AccountId,
	/// The record the envelope opens.
	pub record: RecordId,
	/// The organisation it is listed under: the holder's when the envelope was written or last
	/// found still needed.
	pub org: Option<OrgId>,
}
