//! The pinning pallet's stored, call and runtime-API types.

use crate::Config;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::{
	offchain::{AppCrypto, SignedPayload, SigningTypes},
	pallet_prelude::BlockNumberFor,
};
use medchain_primitives::health::RecordId;
use scale_info::TypeInfo;
use sp_core::{Get, H256};

/// An account id of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// The public key type the runtime's signed payloads name (`MultiSigner` on MedChain).
pub type PublicOf<T> = <T as SigningTypes>::Public;
/// The signature type of the runtime's signed payloads (`MultiSignature` on MedChain).
pub type SignatureOf<T> = <T as SigningTypes>::Signature;
/// Sealers' accounts, at most one entry each.
pub type SealersOf<T> = BoundedVec<AccountIdOf<T>, <T as Config>::MaxSealers>;
/// A pin request as stored for runtime `T`.
pub type PinRequestOf<T> = PinRequest<AccountIdOf<T>, BlockNumberFor<T>, <T as Config>::MaxSealers>;
/// An unpin request as stored for runtime `T`.
pub type UnpinRequestOf<T> =
	UnpinRequest<AccountIdOf<T>, BlockNumberFor<T>, <T as Config>::MaxSealers>;
/// A stored object as recorded for runtime `T`.
pub type StoredObjectOf<T> = StoredObject<AccountIdOf<T>, <T as Config>::MaxSealers>;
/// The payload of [`crate::Pallet::confirm_pin`] for runtime `T`.
pub type PinPayloadOf<T> = PinPayload<PublicOf<T>, BlockNumberFor<T>>;
/// The payload of [`crate::Pallet::report_pin_failure`] for runtime `T`.
pub type FailurePayloadOf<T> = FailurePayload<PublicOf<T>, BlockNumberFor<T>>;
/// The payload of [`crate::Pallet::confirm_unpin`] for runtime `T`.
pub type UnpinPayloadOf<T> = UnpinPayload<PublicOf<T>, BlockNumberFor<T>>;
/// What the runtime API tells about a pin request of runtime `T`.
pub type PinStatusInfoOf<T> = PinStatusInfo<AccountIdOf<T>, BlockNumberFor<T>>;

/// Where a pin request stands.
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
pub enum PinStatus {
	/// Fewer sealers than the replication target have confirmed storing the ciphertext, and
	/// enough of them may still do so.
	Pending,
	/// At least the replication target of distinct sealers confirmed storing the ciphertext.
	Pinned,
	/// So many sealers reported failing to store the ciphertext that the replication target
	/// can no longer be reached.
	Failed,
}

/// Why a sealer could not store a record's ciphertext.
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
pub enum FailureReason {
	/// The storage endpoint could not be reached (connection error or timeout), every attempt.
	StorageUnreachable,
	/// The storage endpoint refused the upload with this HTTP status, on the last attempt.
	StorageRejected {
		/// The HTTP status code, e.g. 403 or 503.
		status: u16,
	},
	/// The ciphertext the sealer holds does not have the registered SHA-256: it was tampered
	/// with or corrupted, and was not uploaded.
	HashMismatch,
	/// The sealer's bucket keeps old versions of its objects (S3 versioning was turned on
	/// while the node ran), so the sealer does not upload: deleting the ciphertext of an
	/// erased record would only hide it. Its operator must move pinning to a bucket without
	/// versioning (or suspend it) and restart the node.
	BucketKeepsVersions,
	/// The ciphertext's header says it was sealed for another patient than the one whose
	/// records name its hash (someone registered a patient's hash before that patient's
	/// record landed), so the sealer does not upload it: it would be kept for the wrong
	/// patient, out of reach of the right one's erasure.
	SealedForAnotherPatient,
}

/// A record's ciphertext to be stored by `ReplicationTarget` distinct sealers.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxSealers))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct PinRequest<AccountId, BlockNumber, MaxSealers: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// SHA-256 of the ciphertext, as registered with the record.
	pub content_hash: H256,
	/// Size of the ciphertext in bytes, as registered with the record.
	pub size: u64,
	/// Pending, pinned or failed.
	pub status: PinStatus,
	/// The sealers that confirmed storing the ciphertext, in the order they did.
	pub confirmations: BoundedVec<AccountId, MaxSealers>,
	/// The sealers that reported failing to store it, and why.
	pub failures: BoundedVec<(AccountId, FailureReason), MaxSealers>,
	/// The block in which the record was registered.
	pub requested_at: BlockNumber,
}

/// A ciphertext object whose sealers may delete it: the last record referencing it was erased.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxSealers))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct UnpinRequest<AccountId, BlockNumber, MaxSealers: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// The erased record whose erasure released the object (the last one referencing it).
	pub record: RecordId,
	/// The patient whose ciphertext it is: until it is deleted, only their records may name
	/// it again (which calls the deletion off).
	pub patient: AccountId,
	/// The sealers that confirmed storing the object and must delete it.
	pub holders: BoundedVec<AccountId, MaxSealers>,
	/// The holders that confirmed deleting it.
	pub deleted: BoundedVec<AccountId, MaxSealers>,
	/// The block in which the record was erased.
	pub requested_at: BlockNumber,
}

/// A ciphertext object (one per content hash, shared by every record with that hash): whose
/// it is, how many pin requests reference it and which sealers stored it.
///
/// Deletion waits until no pin request references the object, so erasing one record can
/// never delete the ciphertext another record still needs. Only one patient's records may
/// reference it, so no other patient's record can keep it after that patient's erasure.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxSealers))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub struct StoredObject<AccountId, MaxSealers: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// The patient whose records reference the object.
	pub patient: AccountId,
	/// How many pin requests (pending, pinned or failed) reference the object.
	pub references: u32,
	/// The sealers that confirmed storing the object for any of them.
	pub holders: BoundedVec<AccountId, MaxSealers>,
}

/// A sealer's signed statement that it stored a record's ciphertext.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct PinPayload<Public, BlockNumber> {
	/// The record whose ciphertext was stored.
	pub record: RecordId,
	/// SHA-256 of the ciphertext stored; must be the registered one.
	pub content_hash: H256,
	/// The sealer's public key (its account id); it signs the payload.
	pub sealer: Public,
	/// The block the sealer's off-chain worker ran at; the statement goes stale soon after.
	pub block: BlockNumber,
}

/// A sealer's signed statement that it failed to store a record's ciphertext.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct FailurePayload<Public, BlockNumber> {
	/// The record whose ciphertext could not be stored.
	pub record: RecordId,
	/// The sealer's public key (its account id); it signs the payload.
	pub sealer: Public,
	/// Why the ciphertext could not be stored.
	pub reason: FailureReason,
	/// The block the sealer's off-chain worker ran at; the statement goes stale soon after.
	pub block: BlockNumber,
}

/// A holder's signed statement that it deleted a released ciphertext object.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct UnpinPayload<Public, BlockNumber> {
	/// SHA-256 of the deleted object.
	pub content_hash: H256,
	/// The holder's public key (its account id); it signs the payload.
	pub sealer: Public,
	/// The block the holder's off-chain worker ran at; the statement goes stale soon after.
	pub block: BlockNumber,
}

/// Prefixes of the signed messages, so that a signature by a sealer key (which also signs
/// block seals) over one kind of statement is never valid for another kind or for a seal.
pub mod signing_context {
	/// Prefix of a signed [`super::PinPayload`].
	pub const PIN: &[u8; 16] = b"medchain/pin/v1:";
	/// Prefix of a signed [`super::FailurePayload`].
	pub const FAILURE: &[u8; 16] = b"medchain/pfl/v1:";
	/// Prefix of a signed [`super::UnpinPayload`].
	pub const UNPIN: &[u8; 16] = b"medchain/upn/v1:";
}

/// `context ++ SCALE(payload)`: the bytes a sealer signs.
pub fn signing_message(context: &[u8], payload: &impl Encode) -> Vec<u8> {
	let mut message = Vec::with_capacity(context.len().saturating_add(payload.size_hint()));
	message.extend_from_slice(context);
	payload.encode_to(&mut message);
	message
}

macro_rules! impl_signed_payload {
	($payload:ident, $context:expr) => {
		impl<T: SigningTypes> SignedPayload<T> for $payload<T::Public, BlockNumberFor<T>> {
			fn public(&self) -> T::Public {
				self.sealer.clone()
			}

			fn sign<C: AppCrypto<T::Public, T::Signature>>(&self) -> Option<T::Signature> {
				C::sign(&signing_message($context, self), self.sealer.clone())
			}

			fn verify<C: AppCrypto<T::Public, T::Signature>>(
				&self,
				signature: T::Signature,
			) -> bool {
				C::verify(&signing_message($context, self), self.sealer.clone(), signature)
			}
		}
	};
}

impl_signed_payload!(PinPayload, signing_context::PIN);
impl_signed_payload!(FailurePayload, signing_context::FAILURE);
impl_signed_payload!(UnpinPayload, signing_context::UNPIN);

/// A record's pin request as the runtime API reports it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PinStatusInfo<AccountId, BlockNumber> {
	/// SHA-256 of the ciphertext.
	pub content_hash: H256,
	/// Size of the ciphertext in bytes.
	pub size: u64,
	/// Pending, pinned or failed.
	pub status: PinStatus,
	/// The sealers that confirmed storing the ciphertext.
	pub confirmations: Vec<AccountId>,
	/// How many confirmations pin it now: the replication target, or the number of sealers
	/// if there are fewer, and at least one.
	pub target: u32,
	/// The sealers that reported failing to store it, and why.
	pub failures: Vec<(AccountId, FailureReason)>,
	/// The block in which the record was registered.
	pub requested_at: BlockNumber,
}
