//! `blobs_put` / `blobs_get`: clients hand a record's ciphertext to a consortium node, which
//! keeps it in its off-chain storage (where the pinning off-chain worker finds it) and serves
//! it back by SHA-256, to those the chain's consent lets read a record of it. The copy goes
//! when no record references the ciphertext any more: the erasure's block drops it through
//! off-chain indexing (`pallet_pinning`).
//!
//! Every new blob is *staged*: it counts against the node's staging quota
//! (`--blob-staging-quota`) and is deleted if, `--blob-staging-ttl` after it was put, no record
//! references it at the best or the finalized block. It leaves staging, to stay until the
//! record is erased, once a record referencing it is finalized (and still in the best block).
//! A blob whose header names the patient it is sealed for ([`sealed_for`]) counts only that
//! patient's records: one that someone else named first, in a record of their own, goes with
//! the TTL. Whoever may put can
//! therefore hold at most the quota of the node's disk, each blob for at most the TTL (plus
//! the time the node spends catching up with the chain, and the first TTL after it starts:
//! staged blobs wait then, as the blocks that reference them may not be imported yet).
//!
//! A put is signed ([`put_message`], valid for at most ten minutes; sr25519, ed25519 or ecdsa)
//! by an account that published an encryption key on chain (and so holds a deposit there, or
//! loses its staged blobs), and each account's staged blobs take at most
//! `--blob-staging-quota-per-account`: nobody fills the node's quota without an account, and
//! one account cannot fill it alone. Each blob counts at least the node's quota over the
//! [`MAX_STAGED_BLOBS`] it stages at most, so tiny blobs cannot take every place either.
//! `--blob-put-unsigned` also accepts unsigned puts, within the node's quota only (for nodes
//! only trusted clients reach).
//!
//! A get is signed too ([`get_message`]), by a reader who names the record that references
//! the blob and the purpose of the read: the node serves the bytes only if that record's
//! ciphertext is the blob and `can_access(reader, record, Read, purpose)` allows it at the best
//! block, so a revoked or expired consent, or a member who left the organisation a consent
//! names, stops the fetch as it stops the key envelope. Each served read is logged (target
//! `blobs`) with the reader, record, purpose and the consent used: the node's trace of what it
//! handed out, next to the read receipts readers leave on chain. The signer of a blob still
//! waiting for its record may get it back without naming one. `--blob-get-unsigned` serves
//! anyone (for nodes only trusted clients reach).
//!
//! The node never sees plaintext: clients encrypt before putting. Every bad request gets a
//! JSON-RPC error with its own code and nothing is stored; the node stays up whatever arrives.

use codec::{Decode, DecodeAll, Encode};
use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::{error::INVALID_PARAMS_CODE, ErrorObjectOwned},
};
use medchain_primitives::{
	health::{AccessDecision, Purpose, RecordId},
	pinning::blob_key,
};
use sp_core::{
	crypto::AccountId32,
	ecdsa, ed25519,
	offchain::{OffchainStorage, STORAGE_PREFIX},
	sr25519, Bytes, H256,
};
use sp_runtime::{traits::Verify, MultiSignature};
use std::{
	sync::{Arc, Mutex, MutexGuard, PoisonError},
	time::{Duration, SystemTime, UNIX_EPOCH},
};

/// The largest ciphertext `blobs_put` accepts by default: 4 MiB. Hex in JSON doubles it, which
/// stays under the RPC server's default 15 MiB request limit (`--rpc-max-request-size`).
pub const DEFAULT_MAX_BLOB_BYTES: usize = 4 * 1024 * 1024;
/// How long a put blob may wait for its record by default: one hour.
pub const DEFAULT_STAGING_TTL_SECS: u64 = 60 * 60;
/// How many bytes of staged blobs a node keeps by default: 1 GiB.
pub const DEFAULT_STAGING_QUOTA_BYTES: u64 = 1024 * 1024 * 1024;
/// How many bytes of staged blobs one account may have on a node by default: 64 MiB.
pub const DEFAULT_STAGING_QUOTA_PER_ACCOUNT_BYTES: u64 = 64 * 1024 * 1024;
/// The most blobs staged at once, whatever their size: the index of staged blobs is one
/// off-chain storage value, rewritten on every put (about 320 KiB at this count).
pub const MAX_STAGED_BLOBS: usize = 4_096;

/// The off-chain storage key of the index of staged blobs.
const STAGED_INDEX_KEY: &[u8] = b"medchain/blobs/staged/v2";
/// Where nodes before signed puts kept it, entries without a signer ([`LegacyStaged`]): read
/// when there is no index at [`STAGED_INDEX_KEY`], removed when that is first written.
const LEGACY_STAGED_INDEX_KEY: &[u8] = b"medchain/blobs/staged";
/// The longest a put or get signature may stay valid: ten minutes. A signature can be replayed
/// (a put on this node after its blob expired, or on another node; a get by whoever saw it)
/// only until then.
pub const MAX_SIGNATURE_VALIDITY_MS: u64 = 10 * 60 * 1000;

/// JSON-RPC error codes of the blob methods.
pub mod error_code {
	/// The blob is empty.
	pub const EMPTY: i32 = 4000;
	/// The blob is larger than the node's `--blob-max-bytes`.
	pub const TOO_LARGE: i32 = 4001;
	/// The node holds no blob with this SHA-256, and cloud storage does not either.
	pub const UNKNOWN: i32 = 4004;
	/// What the node or cloud storage holds under this SHA-256 does not hash to it.
	pub const CORRUPT: i32 = 4005;
	/// The put or get is not signed, and this node accepts signed ones only.
	pub const UNSIGNED: i32 = 4010;
	/// The signature is not the signer's over [`super::put_message`] (or
	/// [`super::get_message`]), or is malformed.
	pub const BAD_SIGNATURE: i32 = 4011;
	/// The signer has not published an encryption key on chain.
	pub const UNKNOWN_SIGNER: i32 = 4012;
	/// The node cannot read the chain to check the signer or the reader's consent now (or is
	/// catching up with it); try again.
	pub const CHAIN_UNAVAILABLE: i32 = 4013;
	/// The signature's `valid_until_ms` has passed, or is more than
	/// [`super::MAX_SIGNATURE_VALIDITY_MS`] ahead of the node's clock.
	pub const SIGNATURE_OUT_OF_DATE: i32 = 4014;
	/// The chain's consent does not let the reader read the record named for this purpose
	/// (the message says why), or no record was named by a reader who did not put the blob.
	pub const READ_REFUSED: i32 = 4015;
	/// The record named is not one whose ciphertext is this blob: no such record lives at the
	/// best block, its `content_hash` is another, or the blob is not sealed for its patient
	/// ([`super::sealed_for`]).
	pub const NOT_THE_RECORDS_BLOB: i32 = 4016;
	/// The signer's own staging quota is taken by their blobs no record references yet.
	pub const ACCOUNT_STAGING_FULL: i32 = 4028;
	/// The node's staging quota is taken by blobs no record references yet: register the
	/// records of those already put, or try again once unclaimed ones expire.
	pub const STAGING_FULL: i32 = 4029;
	/// Cloud storage could not be asked.
	pub const STORAGE_UNAVAILABLE: i32 = 4030;
}

/// Where a blob the node no longer holds can be fetched from (the pinned copy in cloud storage).
#[async_trait]
pub trait RemoteBlobs: Send + Sync + 'static {
	/// The object stored for `hash`: `Ok(None)` if the store does not have it.
	async fn fetch(&self, hash: H256) -> Result<Option<Vec<u8>>, String>;
}

/// The ciphertext methods.
#[rpc(client, server)]
pub trait BlobsApi {
	/// Keeps `bytes` (a record's ciphertext) in this node for pinning; returns its SHA-256, the
	/// `content_hash` to register. Putting the same bytes again is harmless.
	///
	/// `signature` is `signer`'s signature (sr25519 or ed25519, 64 bytes; ecdsa, 65 bytes; or
	/// any as a SCALE `MultiSignature`) over [`put_message`] (as is, or wrapped in
	/// `<Bytes>…</Bytes>` as wallets' `signRaw` does), which ends with `valid_until_ms` (Unix
	/// time, at most ten minutes ahead); `signer` must have published an encryption key.
	/// Unsigned puts are refused (4010) unless the node runs with `--blob-put-unsigned`; a
	/// signer without a signature, or the reverse, is refused as a bad signature (4011).
	///
	/// Register the record within the node's staging TTL (`--blob-staging-ttl`, one hour by
	/// default): a blob no record references by then is deleted, and so is one sealed for a
	/// patient that only another patient's record references. Refused with code 4028 while
	/// the signer's blobs waiting for their records fill their quota, 4029 while all of them
	/// fill the node's.
	#[method(name = "blobs_put", blocking)]
	fn put(
		&self,
		bytes: Bytes,
		signer: Option<AccountId32>,
		signature: Option<Bytes>,
		valid_until_ms: Option<u64>,
	) -> RpcResult<H256>;

	/// The ciphertext whose SHA-256 is `hash`, from this node, or from cloud storage when the
	/// node no longer holds it. The bytes are checked against `hash` before they are returned.
	///
	/// `signature` is `reader`'s signature (as for puts) over [`get_message`] (as is or
	/// wrapped in `<Bytes>…</Bytes>`), valid until `valid_until_ms` (at most ten minutes
	/// ahead). `record` is a record whose ciphertext is `hash`, and `purpose` (`"Treatment"`,
	/// `"Emergency"`, …, as the chain spells `Purpose`) what the reader reads it for: the
	/// chain's `can_access(reader, record, Read, purpose)` must allow it at the best block
	/// (else 4015; 4016 if the record's ciphertext is not `hash`). Without `record` and
	/// `purpose`, only the signer of a put still waiting for its record gets it. Unsigned gets
	/// are refused (4010) unless the node runs with `--blob-get-unsigned`.
	#[method(name = "blobs_get")]
	async fn get(
		&self,
		hash: H256,
		reader: Option<AccountId32>,
		signature: Option<Bytes>,
		valid_until_ms: Option<u64>,
		record: Option<RecordId>,
		purpose: Option<String>,
	) -> RpcResult<Bytes>;
}

/// Whose live records reference a ciphertext at one block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReferencedBy {
	/// No live record does.
	#[default]
	Nobody,
	/// Live records of this patient (the first to name the ciphertext: no other patient's
	/// record may name it then).
	Patient(AccountId32),
	/// Live records, of a patient the runtime cannot name (one from before it could), or
	/// nothing the runtime can tell (one from before it could be asked): counted as the
	/// blob's patient's.
	Unnamed,
}

impl ReferencedBy {
	/// Whether these records claim a blob sealed for the patient `sealed_for` names (`None`:
	/// bytes without a header, which any record may claim). A record that named a patient's
	/// ciphertext first, from the transaction pool, before the patient's own, claims nothing:
	/// the patient's erasure could never reach the copy it kept. `sealed_for` is called only
	/// when a patient's records are to be compared: reading the header reads the blob.
	fn claims(&self, sealed_for: impl FnOnce() -> Option<AccountId32>) -> bool {
		match self {
			Self::Nobody => false,
			Self::Unnamed => true,
			Self::Patient(patient) => sealed_for().is_none_or(|sealed_for| &sealed_for == patient),
		}
	}
}

/// Whose live records reference a ciphertext, at the node's best and finalized blocks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Referenced {
	/// At the best block: the record may still be reorganised away.
	pub at_best: ReferencedBy,
	/// At the finalized block: for good.
	pub at_finalized: ReferencedBy,
}

/// Asks the chain about ciphertexts.
pub trait References: Send + Sync + 'static {
	/// Where live records reference the ciphertext `hash`; `Err` if that cannot be told now
	/// (the blob is then kept).
	fn is_referenced(&self, hash: H256) -> Result<Referenced, String>;
}

/// Asks `R` only while the node is not catching up with the chain: a node far behind has not
/// imported the blocks whose records may reference a blob put to it, and would otherwise
/// expire the blob of a record registered long ago. Staged blobs then wait, neither claimed
/// nor expired, until the node has caught up.
pub struct WhenSynced<R> {
	/// What answers once the node is in sync.
	pub references: R,
	/// Whether the node is catching up.
	pub sync: Arc<dyn sp_consensus::SyncOracle + Send + Sync>,
}

impl<R: References + ?Sized> References for Arc<R> {
	fn is_referenced(&self, hash: H256) -> Result<Referenced, String> {
		(**self).is_referenced(hash)
	}
}

impl<R: References> References for WhenSynced<R> {
	fn is_referenced(&self, hash: H256) -> Result<Referenced, String> {
		if self.sync.is_major_syncing() {
			return Err("the node is catching up with the chain".into());
		}
		self.references.is_referenced(hash)
	}
}

/// How long the node may go without importing a block before its view of the chain is too
/// old to decide puts and reads on: five minutes, fifty target block times.
pub const MAX_CHAIN_SILENCE_MS: u64 = 5 * 60 * 1000;

/// When the node last imported a block (its own or a peer's), to tell whether what it reads
/// of the chain is current. A node restarted after a while is not known to be behind until
/// peers tell it: a consent revoked meanwhile would still let a reader in. Until it imports
/// a block, and whenever it has imported none for [`MAX_CHAIN_SILENCE_MS`], it decides
/// nothing.
#[derive(Debug, Default)]
pub struct LastImport(std::sync::atomic::AtomicU64);

impl LastImport {
	/// A block was imported at `now_ms`.
	pub fn record(&self, now_ms: u64) {
		self.0.fetch_max(now_ms, std::sync::atomic::Ordering::SeqCst);
	}

	/// `Err`, saying why, unless a block was imported within [`MAX_CHAIN_SILENCE_MS`] of
	/// `now_ms`.
	pub fn current(&self, now_ms: u64) -> Result<(), String> {
		let last = self.0.load(std::sync::atomic::Ordering::SeqCst);
		if last == 0 {
			return Err("no block imported since the node started: it may be behind".into());
		}
		let silence = now_ms.saturating_sub(last);
		if silence > MAX_CHAIN_SILENCE_MS {
			return Err(format!(
				"no block imported for {} s: the node may be behind",
				silence / 1000
			));
		}
		Ok(())
	}
}

/// Tells who may put blobs.
pub trait Putters: Send + Sync + 'static {
	/// Whether `who` published an encryption key at the best block; `Err` if that cannot be
	/// told now.
	fn may_put(&self, who: &AccountId32) -> Result<bool, String>;
}

/// What a reader says a get is for: the record whose ciphertext the blob is, and the purpose
/// of the read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode)]
pub struct ReadContext {
	/// A record whose ciphertext the blob is.
	pub record: RecordId,
	/// What the reader reads it for.
	pub purpose: Purpose,
}

/// A read through a record that the chain's consent allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedRead {
	/// The record's patient: the bytes must be sealed for them ([`sealed_for`]).
	pub patient: AccountId32,
	/// What the node's log of served reads says of it once the bytes are served.
	trace: String,
}

/// What the chain says of a read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadDecision {
	/// No live record of that id has this blob as its ciphertext.
	NotTheRecordsBlob,
	/// The consent decision for the read of the record of `patient`.
	Decided {
		/// Whether the reader may, under what, and why.
		decision: AccessDecision,
		/// Whose record it is: the ciphertext must be sealed for them ([`sealed_for`]).
		patient: AccountId32,
	},
}

/// The patient the ciphertext `bytes` was sealed for, read from its header
/// ([`medchain_primitives::pinning::sealed_for`]); `None` if it has none. A record's
/// ciphertext is served through that record only if it was sealed for the record's patient:
/// whoever registers another patient's ciphertext hash as a record of their own (the chain
/// refuses that only once a record of the patient names it: it never sees the bytes) does not
/// get the bytes.
pub fn sealed_for(bytes: &[u8]) -> Option<AccountId32> {
	medchain_primitives::pinning::sealed_for(bytes).map(AccountId32::new)
}

/// Tells who may read a record's ciphertext.
pub trait Readers: Send + Sync + 'static {
	/// Whether `who` may read the blob `hash` as `context` says, at the best block; `Err` if
	/// that cannot be told now.
	fn may_read(
		&self,
		who: &AccountId32,
		hash: H256,
		context: ReadContext,
	) -> Result<ReadDecision, String>;
}

/// Which puts and gets a node accepts.
#[derive(Clone)]
pub struct AccessPolicy {
	/// Whether unsigned puts are accepted too (`--blob-put-unsigned`).
	pub accept_unsigned_puts: bool,
	/// Whether unsigned gets are served too (`--blob-get-unsigned`).
	pub accept_unsigned_gets: bool,
	/// The genesis hash of the chain, in what signers sign: a signature is good on one chain.
	pub genesis: H256,
	/// Who may put.
	pub putters: Arc<dyn Putters>,
	/// Who may read.
	pub readers: Arc<dyn Readers>,
}

/// The context every [`put_message`] starts with.
const PUT_CONTEXT: &[u8] = b"medchain blobs_put v1 ";
/// The context every [`get_message`] starts with.
const GET_CONTEXT: &[u8] = b"medchain blobs_get v1 ";

/// What a signer signs to put the blob whose SHA-256 is `hash` on the chain whose genesis hash
/// is `genesis`, valid until `valid_until_ms` (Unix time): the bytes of
/// `"medchain blobs_put v1 "`, then `genesis`, then `hash`, then `valid_until_ms` as 8
/// little-endian bytes.
pub fn put_message(genesis: &H256, hash: &H256, valid_until_ms: u64) -> Vec<u8> {
	[PUT_CONTEXT, genesis.as_bytes(), hash.as_bytes(), &valid_until_ms.to_le_bytes()].concat()
}

/// What a reader signs to get the blob whose SHA-256 is `hash` on the chain whose genesis hash
/// is `genesis`, as `context` says (`None`: their own put, waiting for its record), valid until
/// `valid_until_ms` (Unix time): the bytes of `"medchain blobs_get v1 "`, then `genesis`, then
/// `hash`, then `context` SCALE-encoded (`0x00`; or `0x01`, the record id as 8 little-endian
/// bytes and the purpose's index, one byte), then `valid_until_ms` as 8 little-endian bytes.
pub fn get_message(
	genesis: &H256,
	hash: &H256,
	context: Option<ReadContext>,
	valid_until_ms: u64,
) -> Vec<u8> {
	[
		GET_CONTEXT,
		genesis.as_bytes(),
		hash.as_bytes(),
		&context.encode(),
		&valid_until_ms.to_le_bytes(),
	]
	.concat()
}

/// The purpose named `name` as the chain's metadata spells it (`"Treatment"`, …), in any
/// case, as polkadot.js takes enum names: a client that signed `treatment` as polkadot.js
/// encoded it gets the same purpose here.
fn purpose_named(name: &str) -> Option<Purpose> {
	Purpose::ALL.into_iter().find(|purpose| format!("{purpose:?}").eq_ignore_ascii_case(name))
}

/// What `signature` may be, by its length: an sr25519 or ed25519 signature (64 bytes), an
/// ecdsa one (65), or any of them SCALE-encoded as a `MultiSignature` (a type byte first, as
/// some wallets give them). Every account kind the chain accepts can so sign.
fn signature_candidates(signature: &[u8]) -> Vec<MultiSignature> {
	let mut candidates = Vec::new();
	if let Ok(raw) = <[u8; 64]>::try_from(signature) {
		candidates.push(sr25519::Signature::from_raw(raw).into());
		candidates.push(ed25519::Signature::from_raw(raw).into());
	}
	if let Ok(raw) = <[u8; 65]>::try_from(signature) {
		candidates.push(ecdsa::Signature::from_raw(raw).into());
	}
	if let Ok(typed) = MultiSignature::decode_all(&mut &signature[..]) {
		candidates.push(typed);
	}
	candidates
}

/// Whether `signature` is `signer`'s over `message`, as is or wrapped in `<Bytes>…</Bytes>`
/// (what wallets' `signRaw` signs), under any scheme the signature's length allows: sr25519
/// or ed25519 (the account is the public key), or ecdsa (the account is the hash of the key
/// the signature recovers). Every candidate is checked against the same account, so no
/// scheme lets a signature pass for someone else's.
fn signed_by(signer: &AccountId32, signature: &[u8], message: &[u8]) -> bool {
	let wrapped = [b"<Bytes>".as_slice(), message, b"</Bytes>".as_slice()].concat();
	signature_candidates(signature).iter().any(|candidate| {
		candidate.verify(message, signer) || candidate.verify(wrapped.as_slice(), signer)
	})
}

/// How long a blob no record references is kept, and how many bytes such blobs may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StagingLimits {
	/// Deleted this long after being put unless a record references it by then.
	pub ttl: Duration,
	/// The most bytes staged blobs may take together.
	pub quota_bytes: u64,
	/// The most bytes one signer's staged blobs may take together.
	pub quota_per_account_bytes: u64,
}

impl Default for StagingLimits {
	fn default() -> Self {
		Self {
			ttl: Duration::from_secs(DEFAULT_STAGING_TTL_SECS),
			quota_bytes: DEFAULT_STAGING_QUOTA_BYTES,
			quota_per_account_bytes: DEFAULT_STAGING_QUOTA_PER_ACCOUNT_BYTES,
		}
	}
}

impl StagingLimits {
	/// How often staged blobs are looked at: a quarter of the TTL, between 1 s and 1 min, so
	/// that an unclaimed blob outlives its TTL by at most a quarter of it (or a minute).
	pub fn sweep_period(&self) -> Duration {
		(self.ttl / 4).clamp(Duration::from_secs(1), Duration::from_secs(60))
	}
}

/// A blob staged by a node before signed puts.
#[derive(Decode)]
struct LegacyStaged {
	hash: H256,
	size: u64,
	put_at_ms: u64,
}

/// A blob put but not yet referenced by a record.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
struct Staged {
	hash: H256,
	size: u64,
	put_at_ms: u64,
	/// Who signed the put; `None` for an unsigned one.
	signer: Option<AccountId32>,
}

/// What one sweep of the staged blobs did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
	/// Blobs a finalized record (of the patient they are sealed for) now references: no
	/// longer staged, kept.
	pub claimed: usize,
	/// Blobs no record (of the patient they are sealed for) referenced within the TTL:
	/// deleted.
	pub expired: usize,
	/// Blobs still waiting for their record.
	pub waiting: usize,
}

/// The blob methods over the node's off-chain storage. Clones share the storage handle, so
/// the RPC server and the staging sweeper serialise their writes.
pub struct Blobs<S> {
	inner: Arc<Inner<S>>,
}

impl<S> Clone for Blobs<S> {
	fn clone(&self) -> Self {
		Self { inner: self.inner.clone() }
	}
}

struct Inner<S> {
	// `OffchainStorage::set` takes `&mut self`; the lock serialises writers of this handle.
	storage: Mutex<S>,
	max_bytes: usize,
	remote: Option<Arc<dyn RemoteBlobs>>,
	references: Arc<dyn References>,
	staging: StagingLimits,
	policy: AccessPolicy,
	/// When the node started: nothing expires in the first TTL after it (see [`Blobs::sweep`]).
	started_at_ms: u64,
	/// Whom the staged blobs asked about so far are sealed for (see
	/// [`Blobs::staged_blob_sealed_for`]).
	staged_headers: Mutex<std::collections::BTreeMap<H256, Option<AccountId32>>>,
}

impl<S: OffchainStorage> Blobs<S> {
	/// Blobs kept in `storage`, up to `max_bytes` each, falling back to `remote` for reads,
	/// put and got as `policy` allows; those `references` does not know are staged within
	/// `staging`, on a node that started at `started_at_ms` (Unix time).
	pub fn new(
		storage: S,
		max_bytes: usize,
		remote: Option<Arc<dyn RemoteBlobs>>,
		references: Arc<dyn References>,
		staging: StagingLimits,
		policy: AccessPolicy,
		started_at_ms: u64,
	) -> Self {
		Self {
			inner: Arc::new(Inner {
				storage: Mutex::new(storage),
				max_bytes,
				remote,
				references,
				staging,
				policy,
				started_at_ms,
				staged_headers: Mutex::default(),
			}),
		}
	}

	/// Who signed a request (`what`: "puts" or "gets") whose signed message, for a validity
	/// until `valid_until_ms`, is `message(valid_until_ms)`, if anyone: refuses a malformed,
	/// bad or out-of-date signature, and an unsigned request unless `accept_unsigned`.
	fn verified_signer<'a>(
		signed: RequestSignature<'a>,
		accept_unsigned: bool,
		what: &str,
		message: impl FnOnce(u64) -> Vec<u8>,
		now_ms: u64,
	) -> RpcResult<Option<&'a AccountId32>> {
		let (signer, signature) = match (signed.signer, signed.signature) {
			(None, None) if accept_unsigned => return Ok(None),
			(None, None) => {
				return Err(error(
					error_code::UNSIGNED,
					format!(
						"this node accepts signed {what} only: give the signer and its \
						 signature over the message of the request"
					),
				))
			},
			(Some(signer), Some(signature)) => (signer, signature),
			_ => {
				return Err(error(
					error_code::BAD_SIGNATURE,
					"give both the signer and the signature, or neither",
				))
			},
		};
		if signature_candidates(signature).is_empty() {
			return Err(error(
				error_code::BAD_SIGNATURE,
				"the signature is not an sr25519 or ed25519 (64 bytes) or ecdsa (65 bytes) one, \
				 nor a SCALE-encoded MultiSignature",
			));
		}
		let Some(valid_until_ms) = signed.valid_until_ms else {
			return Err(error(
				error_code::BAD_SIGNATURE,
				"give valid_until_ms, the time the signature was made valid until",
			));
		};
		if now_ms > valid_until_ms
			|| valid_until_ms > now_ms.saturating_add(MAX_SIGNATURE_VALIDITY_MS)
		{
			return Err(error(
				error_code::SIGNATURE_OUT_OF_DATE,
				format!(
					"the signature is valid until {valid_until_ms} ms; the node's clock says \
					 {now_ms}: sign again, valid for at most {MAX_SIGNATURE_VALIDITY_MS} ms"
				),
			));
		}
		if !signed_by(signer, signature, &message(valid_until_ms)) {
			return Err(error(
				error_code::BAD_SIGNATURE,
				format!("the signature is not {signer}'s over the message of this request"),
			));
		}
		Ok(Some(signer))
	}

	/// Who signed the put of the blob `hash`, if anyone: refuses a bad signature, a signer
	/// who may not put, and an unsigned put the policy does not accept.
	fn signer_of(
		&self,
		hash: &H256,
		signed: RequestSignature<'_>,
		now_ms: u64,
	) -> RpcResult<Option<AccountId32>> {
		let policy = &self.inner.policy;
		let message = |valid_until_ms| put_message(&policy.genesis, hash, valid_until_ms);
		let Some(signer) =
			Self::verified_signer(signed, policy.accept_unsigned_puts, "puts", message, now_ms)?
		else {
			return Ok(None);
		};
		match policy.putters.may_put(signer) {
			Ok(true) => Ok(Some(signer.clone())),
			Ok(false) => Err(error(
				error_code::UNKNOWN_SIGNER,
				format!("{signer} has not published an encryption key on chain"),
			)),
			Err(reason) => Err(error(
				error_code::CHAIN_UNAVAILABLE,
				format!("cannot check the signer now: {reason}"),
			)),
		}
	}

	/// Whether the get of the blob `hash`, signed as `signed` for `context`, may be served as
	/// of `now_ms`: refuses what [`Self::verified_signer`] refuses, a read the chain's consent
	/// does not allow, a record whose ciphertext is not `hash`, and a get without a context
	/// by anyone but the signer of a put of `hash` still waiting for its record. Returns the
	/// read the consent allows, if they are served through a record.
	fn check_get(
		&self,
		hash: &H256,
		signed: RequestSignature<'_>,
		context: Option<ReadContext>,
		now_ms: u64,
	) -> RpcResult<Option<AllowedRead>> {
		let policy = &self.inner.policy;
		let message = |valid_until_ms| get_message(&policy.genesis, hash, context, valid_until_ms);
		let Some(reader) =
			Self::verified_signer(signed, policy.accept_unsigned_gets, "gets", message, now_ms)?
		else {
			return Ok(None);
		};
		let Some(context) = context else {
			let own_put_waiting = staged_index(&*self.storage())
				.iter()
				.any(|blob| blob.hash == *hash && blob.signer.as_ref() == Some(reader));
			if own_put_waiting {
				return Ok(None);
			}
			return Err(error(
				error_code::READ_REFUSED,
				format!(
					"name the record whose ciphertext {hash:?} is and the purpose of the read: \
					 only the signer of a put still waiting for its record may get it without"
				),
			));
		};
		let ReadContext { record, purpose } = context;
		match policy.readers.may_read(reader, *hash, context) {
			Ok(ReadDecision::Decided { decision, patient }) if decision.allowed => {
				Ok(Some(AllowedRead {
					patient,
					trace: format!(
						"blob {hash:?} of record {record} to {reader} for {purpose:?} ({:?}, \
						 consent {:?})",
						decision.reason, decision.consent_used
					),
				}))
			},
			Ok(ReadDecision::Decided { decision, .. }) => Err(error(
				error_code::READ_REFUSED,
				format!(
					"{reader} may not read record {record} for {purpose:?}: {:?}",
					decision.reason
				),
			)),
			Ok(ReadDecision::NotTheRecordsBlob) => Err(error(
				error_code::NOT_THE_RECORDS_BLOB,
				format!("no live record {record} has {hash:?} as its ciphertext"),
			)),
			Err(reason) => Err(error(
				error_code::CHAIN_UNAVAILABLE,
				format!("cannot check the reader now: {reason}"),
			)),
		}
	}

	/// The blob `hash`, from this node or else from cloud storage, checked against `hash`.
	async fn fetch(&self, hash: H256) -> RpcResult<Bytes> {
		let local = self.storage().get(STORAGE_PREFIX, &blob_key(&hash));
		if let Some(bytes) = local {
			if sha256(&bytes) == hash {
				return Ok(bytes.into());
			}
			log::warn!(target: "blobs", "local copy of blob {hash:?} is corrupt; asking cloud storage");
		}
		let Some(remote) = &self.inner.remote else {
			return Err(error(error_code::UNKNOWN, format!("no blob {hash:?} on this node")));
		};
		match remote.fetch(hash).await {
			Ok(Some(bytes)) if sha256(&bytes) == hash => Ok(bytes.into()),
			Ok(Some(_)) => Err(error(
				error_code::CORRUPT,
				format!("cloud storage's copy of {hash:?} does not match its hash"),
			)),
			Ok(None) => Err(error(
				error_code::UNKNOWN,
				format!("no blob {hash:?} on this node or in cloud storage"),
			)),
			Err(reason) => Err(error(
				error_code::STORAGE_UNAVAILABLE,
				format!("cloud storage could not be asked for {hash:?}: {reason}"),
			)),
		}
	}

	/// Keeps `bytes` put as of `now_ms` as `signed` (nothing: unsigned), if the policy
	/// accepts the put; staged if the node did not hold them yet.
	fn checked_put(
		&self,
		bytes: &[u8],
		signed: RequestSignature<'_>,
		now_ms: u64,
	) -> RpcResult<H256> {
		if bytes.is_empty() {
			return Err(error(error_code::EMPTY, "the blob is empty"));
		}
		if bytes.len() > self.inner.max_bytes {
			return Err(error(
				error_code::TOO_LARGE,
				format!(
					"the blob is {} bytes, more than this node's limit of {} (--blob-max-bytes)",
					bytes.len(),
					self.inner.max_bytes
				),
			));
		}
		let hash = sha256(bytes);
		let signer = self.signer_of(&hash, signed, now_ms)?;
		let key = blob_key(&hash);
		let mut storage = self.storage();
		let held = storage.get(STORAGE_PREFIX, &key);
		if held.as_deref() == Some(bytes) {
			// Put again: nothing changes, the TTL included (else re-putting would hold a
			// blob for ever).
			return Ok(hash);
		}
		// Staged even if a record references it now: the erasure that drops it could be
		// imported between that check and this write, and leave it for good. A copy that does
		// not match is corrupt: replaced, and staged as it was or was not.
		if held.is_none() {
			let mut staged = staged_index(&*storage);
			let counted = |blobs: &mut dyn Iterator<Item = &Staged>| {
				blobs.map(|blob| self.staging_charge(blob.size)).fold(0, u64::saturating_add)
			};
			let staged_bytes = counted(&mut staged.iter());
			let size = bytes.len() as u64;
			let charge = self.staging_charge(size);
			if let Some(who) = &signer {
				let signers_bytes =
					counted(&mut staged.iter().filter(|blob| blob.signer.as_ref() == Some(who)));
				let quota = self.inner.staging.quota_per_account_bytes;
				if signers_bytes.saturating_add(charge) > quota {
					return Err(error(
						error_code::ACCOUNT_STAGING_FULL,
						format!(
							"{who}'s blobs waiting for their records count {signers_bytes} \
							 bytes on this node (each at least {} bytes); with this one they \
							 would pass its quota of {quota} bytes per account \
							 (--blob-staging-quota-per-account): register their records, or \
							 try again once unclaimed ones expire",
							self.staging_charge(0)
						),
					));
				}
			}
			if staged.len() >= MAX_STAGED_BLOBS
				|| staged_bytes.saturating_add(charge) > self.inner.staging.quota_bytes
			{
				return Err(error(
					error_code::STAGING_FULL,
					format!(
						"{} blobs (counting {staged_bytes} bytes) wait for their records on this \
						 node, the most it keeps (--blob-staging-quota {} bytes, \
						 {MAX_STAGED_BLOBS} blobs); try again later",
						staged.len(),
						self.inner.staging.quota_bytes
					),
				));
			}
			staged.push(Staged { hash, size, put_at_ms: now_ms, signer });
			// The index first: a crash between the two writes leaves an entry the sweep
			// clears, never a blob that no sweep would find.
			write_staged_index(&mut *storage, &staged);
		}
		storage.set(STORAGE_PREFIX, &key, bytes);
		log::debug!(target: "blobs", "kept blob {hash:?} of {} bytes", bytes.len());
		Ok(hash)
	}

	/// What a staged blob of `size` bytes counts against the staging quotas: its size, but at
	/// least an even share of the node's quota among the [`MAX_STAGED_BLOBS`] it stages at
	/// most. Tiny blobs then take places in the index only as they take quota, so one account
	/// takes at most its quota's share of the places too, never all of them. The share never
	/// passes an account's whole quota, so each account may always stage one blob.
	fn staging_charge(&self, size: u64) -> u64 {
		let staging = &self.inner.staging;
		let share =
			(staging.quota_bytes / MAX_STAGED_BLOBS as u64).min(staging.quota_per_account_bytes);
		size.max(share)
	}

	/// Looks at the staged blobs as of `now_ms`: those a finalized record references leave
	/// staging, those past the TTL that no record references at the best or the finalized
	/// block are deleted, and so are, at once, those no record references at the best block
	/// whose signer has withdrawn their encryption key (and so their deposit: otherwise one
	/// deposit, withdrawn and published again from account after account, would hold a
	/// quota per account). Only the records of the patient a blob is sealed for count (any
	/// record, for a blob with no header), and a blob leaves staging only once its record is
	/// in both the finalized and the best block.
	///
	/// Nothing expires within the TTL after the node started. A node restarted after a
	/// while does not know yet that it is behind until peers tell it (so the catching-up
	/// guard, [`WhenSynced`], does not hold yet), and would otherwise delete, past their TTL,
	/// the blobs of records registered while it was down: possibly the only copy, if not yet
	/// pinned.
	pub fn sweep(&self, now_ms: u64) -> SweepReport {
		let staged = staged_index(&*self.storage());
		if staged.is_empty() {
			return SweepReport::default();
		}
		// The runtime is asked without holding the lock, so puts go on meanwhile.
		let ttl_ms = u64::try_from(self.inner.staging.ttl.as_millis()).unwrap_or(u64::MAX);
		let may_expire = now_ms >= self.inner.started_at_ms.saturating_add(ttl_ms);
		let mut claimed = Vec::new();
		let mut expired = Vec::new();
		let mut signers_gone = std::collections::BTreeMap::new();
		let mut signer_gone = |signer: &Option<AccountId32>| match signer {
			Some(who) => *signers_gone
				.entry(who.clone())
				.or_insert_with(|| self.inner.policy.putters.may_put(who) == Ok(false)),
			None => false,
		};
		// Blobs whose header names another patient than the one whose records name them at the
		// best block: a record that front-ran the patient's own (logged when they go).
		let mut named_by_another = std::collections::BTreeMap::new();
		for blob in &staged {
			let referenced = self.inner.references.is_referenced(blob.hash).map(|referenced| {
				let sealed_for = || self.staged_blob_sealed_for(blob.hash);
				let at_best = referenced.at_best.claims(sealed_for);
				if let (ReferencedBy::Patient(by), false) = (&referenced.at_best, at_best) {
					named_by_another.insert(blob.hash, by.clone());
				}
				(at_best, referenced.at_finalized.claims(sealed_for))
			});
			match referenced {
				// Claimed only if the best block claims it too: a record the best chain erased
				// while the erasure is not final yet no longer keeps it (its erasure already
				// dropped what the node held then).
				Ok((true, true)) => claimed.push(blob.clone()),
				Ok((false, _))
					if may_expire
						&& (now_ms >= blob.put_at_ms.saturating_add(ttl_ms)
							|| signer_gone(&blob.signer)) =>
				{
					expired.push(blob.clone())
				},
				Ok(_) => {},
				Err(reason) => log::debug!(
					target: "blobs",
					"cannot tell whether blob {:?} is referenced, kept: {reason}",
					blob.hash
				),
			}
		}
		let mut storage = self.storage();
		// Only entries unchanged since the index was read are acted on: one put or put again
		// meanwhile waits for the next sweep.
		let mut report = SweepReport::default();
		let mut remaining = Vec::new();
		for blob in staged_index(&*storage) {
			if claimed.contains(&blob) {
				report.claimed += 1;
			} else if expired.contains(&blob) {
				storage.remove(STORAGE_PREFIX, &blob_key(&blob.hash));
				report.expired += 1;
				if let Some(other) = named_by_another.get(&blob.hash) {
					log::warn!(
						target: "blobs",
						"deleted blob {:?} ({} bytes): it is sealed for another patient than \
						 {other}, whose record names it (registered before the patient's own, \
						 which the chain then refused), and no record of its patient did within \
						 the staging TTL",
						blob.hash,
						blob.size
					);
				} else {
					log::info!(
						target: "blobs",
						"deleted blob {:?} ({} bytes): no record referenced it within the staging \
						 TTL, or its signer withdrew their encryption key",
						blob.hash,
						blob.size
					);
				}
			} else {
				remaining.push(blob);
			}
		}
		write_staged_index(&mut *storage, &remaining);
		drop(storage);
		report.waiting = remaining.len();
		let still_staged: std::collections::BTreeSet<H256> =
			remaining.iter().map(|blob| blob.hash).collect();
		self.staged_headers().retain(|hash, _| still_staged.contains(hash));
		report
	}

	/// The patient the staged blob `hash` is sealed for ([`sealed_for`]); `None` if it has no
	/// header or the node does not hold it. Read once while the blob is staged (a read takes
	/// the whole blob): a front-run blob is asked about at every sweep until it expires.
	fn staged_blob_sealed_for(&self, hash: H256) -> Option<AccountId32> {
		if let Some(known) = self.staged_headers().get(&hash) {
			return known.clone();
		}
		let header = self
			.storage()
			.get(STORAGE_PREFIX, &blob_key(&hash))
			.and_then(|bytes| sealed_for(&bytes));
		self.staged_headers().insert(hash, header.clone());
		header
	}

	fn staged_headers(
		&self,
	) -> MutexGuard<'_, std::collections::BTreeMap<H256, Option<AccountId32>>> {
		self.inner.staged_headers.lock().unwrap_or_else(PoisonError::into_inner)
	}
}

impl<S> Blobs<S> {
	fn storage(&self) -> MutexGuard<'_, S> {
		// A writer that panicked left nothing half-written: `set` is one call.
		self.inner.storage.lock().unwrap_or_else(PoisonError::into_inner)
	}
}

/// The staged blobs, oldest first: from the index, or from a node's index before signed puts
/// (unsigned entries) if there is none yet. An unreadable index counts as empty (its blobs
/// then stay until their records are erased, as before staging existed).
fn staged_index<S: OffchainStorage>(storage: &S) -> Vec<Staged> {
	if let Some(encoded) = storage.get(STORAGE_PREFIX, STAGED_INDEX_KEY) {
		return Vec::<Staged>::decode(&mut &encoded[..]).unwrap_or_default();
	}
	storage
		.get(STORAGE_PREFIX, LEGACY_STAGED_INDEX_KEY)
		.and_then(|encoded| Vec::<LegacyStaged>::decode(&mut &encoded[..]).ok())
		.unwrap_or_default()
		.into_iter()
		.map(|LegacyStaged { hash, size, put_at_ms }| Staged {
			hash,
			size,
			put_at_ms,
			signer: None,
		})
		.collect()
}

/// Stores `staged` as the index of staged blobs (none: no index), in place of a node's index
/// before signed puts.
fn write_staged_index<S: OffchainStorage>(storage: &mut S, staged: &[Staged]) {
	if staged.is_empty() {
		storage.remove(STORAGE_PREFIX, STAGED_INDEX_KEY);
	} else {
		storage.set(STORAGE_PREFIX, STAGED_INDEX_KEY, &staged.encode());
	}
	storage.remove(STORAGE_PREFIX, LEGACY_STAGED_INDEX_KEY);
}

/// How a put or a get is signed: all `None` if it is not.
#[derive(Clone, Copy, Default)]
pub struct RequestSignature<'a> {
	/// Who signed.
	pub signer: Option<&'a AccountId32>,
	/// Their signature over [`put_message`] or [`get_message`].
	pub signature: Option<&'a [u8]>,
	/// Until when the signature is valid, in Unix time milliseconds.
	pub valid_until_ms: Option<u64>,
}

/// Sweeps `blobs`' staged blobs every [`StagingLimits::sweep_period`], for ever. Runs on a
/// thread of its own: a sweep calls the runtime once per staged blob.
pub async fn sweep_staged_blobs<S: OffchainStorage>(blobs: Blobs<S>) {
	let period = blobs.inner.staging.sweep_period();
	loop {
		tokio::time::sleep(period).await;
		let report = blobs.sweep(unix_time_ms());
		if report.claimed > 0 || report.expired > 0 {
			log::debug!(target: "blobs", "staged blobs: {report:?}");
		}
	}
}

/// Now, in Unix time milliseconds (0 if the clock is before 1970).
pub fn unix_time_ms() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|since| u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
		.unwrap_or(0)
}

fn error(code: i32, message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(code, message.into(), None::<()>)
}

fn sha256(bytes: &[u8]) -> H256 {
	H256(sp_io::hashing::sha2_256(bytes))
}

#[async_trait]
impl<S: OffchainStorage + 'static> BlobsApiServer for Blobs<S> {
	fn put(
		&self,
		bytes: Bytes,
		signer: Option<AccountId32>,
		signature: Option<Bytes>,
		valid_until_ms: Option<u64>,
	) -> RpcResult<H256> {
		let signed = RequestSignature {
			signer: signer.as_ref(),
			signature: signature.as_deref(),
			valid_until_ms,
		};
		self.checked_put(&bytes, signed, unix_time_ms())
	}

	async fn get(
		&self,
		hash: H256,
		reader: Option<AccountId32>,
		signature: Option<Bytes>,
		valid_until_ms: Option<u64>,
		record: Option<RecordId>,
		purpose: Option<String>,
	) -> RpcResult<Bytes> {
		let context = match (record, purpose) {
			(None, None) => None,
			(Some(record), Some(name)) => {
				let purpose = purpose_named(&name).ok_or_else(|| {
					error(
						INVALID_PARAMS_CODE,
						format!(
							"no purpose {name:?}: one of {:?}, as the chain's metadata spells them",
							Purpose::ALL
						),
					)
				})?;
				Some(ReadContext { record, purpose })
			},
			_ => {
				return Err(error(
					INVALID_PARAMS_CODE,
					"give both the record and the purpose of the read, or neither",
				))
			},
		};
		// The check calls the runtime: off the RPC server's async workers.
		let blobs = self.clone();
		let allowed_read = tokio::task::spawn_blocking(move || {
			let signed = RequestSignature {
				signer: reader.as_ref(),
				signature: signature.as_deref(),
				valid_until_ms,
			};
			blobs.check_get(&hash, signed, context, unix_time_ms())
		})
		.await
		.map_err(|e| error(error_code::CHAIN_UNAVAILABLE, format!("the check failed: {e}")))??;
		let bytes = self.fetch(hash).await?;
		match allowed_read {
			Some(read) if sealed_for(&bytes).as_ref() != Some(&read.patient) => Err(error(
				error_code::NOT_THE_RECORDS_BLOB,
				format!(
					"{hash:?} is not sealed for {}, the patient of the record named: it is not \
					 that record's ciphertext",
					read.patient
				),
			)),
			Some(read) => {
				// The node's own trace of what it handed out, to whom and under what: reads
				// refused after the consent check (not found, not sealed for the patient)
				// are not in it.
				log::info!(target: "blobs", "served {}", read.trace);
				Ok(bytes)
			},
			None => Ok(bytes),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use medchain_primitives::{health::AccessReason, pinning::CIPHERTEXT_MAGIC};
	use sp_core::{offchain::storage::InMemOffchainStorage, Pair as _};
	use sp_runtime::{traits::IdentifyAccount, MultiSigner};

	struct FixedRemote(Result<Option<Vec<u8>>, String>);

	#[async_trait]
	impl RemoteBlobs for FixedRemote {
		async fn fetch(&self, _hash: H256) -> Result<Option<Vec<u8>>, String> {
			self.0.clone()
		}
	}

	/// The chain as the tests set it: whose live records reference which ciphertexts at the
	/// best and the finalized block, or that the runtime cannot be asked.
	#[derive(Default)]
	struct Chain {
		referenced: Mutex<std::collections::BTreeMap<H256, Referenced>>,
		unreachable: std::sync::atomic::AtomicBool,
	}

	/// The patient whose records reference the tests' blobs that have no header.
	const ANY_PATIENT: AccountId32 = AccountId32::new([0x11; 32]);

	impl Chain {
		/// Records of the patient `bytes` are sealed for (a header-less blob: anyone's)
		/// reference them at the best block, the finalized one, or neither.
		fn set(&self, bytes: &[u8], at_best: bool, at_finalized: bool) {
			let patient = ReferencedBy::Patient(sealed_for(bytes).unwrap_or(ANY_PATIENT));
			let at = |referenced: bool| {
				if referenced {
					patient.clone()
				} else {
					ReferencedBy::Nobody
				}
			};
			self.set_by(bytes, Referenced { at_best: at(at_best), at_finalized: at(at_finalized) });
		}

		fn set_by(&self, bytes: &[u8], referenced: Referenced) {
			self.referenced.lock().unwrap().insert(sha256(bytes), referenced);
		}

		/// A record referencing `bytes` is in the best block, not yet finalized.
		fn include(&self, bytes: &[u8]) {
			self.set(bytes, true, false);
		}

		/// A record referencing `bytes` is finalized.
		fn finalize(&self, bytes: &[u8]) {
			self.set(bytes, true, true);
		}
	}

	impl References for Chain {
		fn is_referenced(&self, hash: H256) -> Result<Referenced, String> {
			if self.unreachable.load(std::sync::atomic::Ordering::SeqCst) {
				return Err("no runtime".into());
			}
			Ok(self.referenced.lock().unwrap().get(&hash).cloned().unwrap_or_default())
		}
	}

	const TTL_MS: u64 = 60_000;
	const QUOTA: u64 = 40;
	const GENESIS: H256 = H256::repeat_byte(0x47);

	/// The accounts that published an encryption key, or that the chain cannot be read.
	#[derive(Default)]
	struct Published {
		accounts: Mutex<Vec<AccountId32>>,
		unreadable: std::sync::atomic::AtomicBool,
	}

	impl Putters for Published {
		fn may_put(&self, who: &AccountId32) -> Result<bool, String> {
			if self.unreadable.load(std::sync::atomic::Ordering::SeqCst) {
				return Err("no state".into());
			}
			Ok(self.accounts.lock().unwrap().contains(who))
		}
	}

	/// The chain's records and consents as the tests set them: each live record's
	/// ciphertext and patient, who may read which record for which purpose, or that the chain
	/// cannot be read.
	#[derive(Default)]
	struct Consents {
		records: Mutex<std::collections::BTreeMap<RecordId, (H256, AccountId32)>>,
		allowed: Mutex<Vec<(AccountId32, RecordId, Purpose)>>,
		unreadable: std::sync::atomic::AtomicBool,
	}

	/// The consent the tests' allowed reads are made under.
	const CONSENT: u64 = 7;

	impl Readers for Consents {
		fn may_read(
			&self,
			who: &AccountId32,
			hash: H256,
			context: ReadContext,
		) -> Result<ReadDecision, String> {
			if self.unreadable.load(std::sync::atomic::Ordering::SeqCst) {
				return Err("no state".into());
			}
			let records = self.records.lock().unwrap();
			let Some((_, patient)) = records.get(&context.record).filter(|(of, _)| *of == hash)
			else {
				return Ok(ReadDecision::NotTheRecordsBlob);
			};
			let allowed = (who.clone(), context.record, context.purpose);
			let decision = if self.allowed.lock().unwrap().contains(&allowed) {
				AccessDecision::allow(AccessReason::Consent, Some(CONSENT))
			} else {
				AccessDecision::deny(AccessReason::NoConsent)
			};
			Ok(ReadDecision::Decided { decision, patient: patient.clone() })
		}
	}

	/// Unsigned puts and gets accepted too, as with `--blob-put-unsigned` and
	/// `--blob-get-unsigned`.
	fn open_policy() -> AccessPolicy {
		AccessPolicy {
			accept_unsigned_puts: true,
			accept_unsigned_gets: true,
			genesis: GENESIS,
			putters: Arc::new(Published::default()),
			readers: Arc::new(Consents::default()),
		}
	}

	fn limits(ttl: Duration, quota_bytes: u64) -> StagingLimits {
		StagingLimits { ttl, quota_bytes, quota_per_account_bytes: u64::MAX }
	}

	fn staged_blobs(chain: Arc<Chain>) -> Blobs<InMemOffchainStorage> {
		let staging = limits(Duration::from_millis(TTL_MS), QUOTA);
		Blobs::new(InMemOffchainStorage::default(), 16, None, chain, staging, open_policy(), 0)
	}

	fn blobs(remote: Option<FixedRemote>) -> Blobs<InMemOffchainStorage> {
		Blobs::new(
			InMemOffchainStorage::default(),
			16,
			remote.map(|r| Arc::new(r) as Arc<dyn RemoteBlobs>),
			Arc::new(Chain::default()),
			StagingLimits::default(),
			open_policy(),
			0,
		)
	}

	fn held(blobs: &Blobs<InMemOffchainStorage>, bytes: &[u8]) -> bool {
		blobs.storage().get(STORAGE_PREFIX, &blob_key(&sha256(bytes))).is_some()
	}

	fn staged_hashes(blobs: &Blobs<InMemOffchainStorage>) -> Vec<H256> {
		staged_index(&*blobs.storage()).into_iter().map(|blob| blob.hash).collect()
	}

	#[test]
	fn a_blob_no_record_claims_within_the_ttl_is_deleted() {
		let chain = Arc::new(Chain::default());
		let blobs = staged_blobs(chain.clone());
		blobs.checked_put(b"orphan", RequestSignature::default(), 1_000).unwrap();
		blobs.checked_put(b"claimed", RequestSignature::default(), 1_000).unwrap();
		assert_eq!(staged_hashes(&blobs), vec![sha256(b"orphan"), sha256(b"claimed")]);
		chain.finalize(b"claimed");

		// Before the TTL: the claimed one leaves staging, the other waits.
		let report = blobs.sweep(1_000 + TTL_MS - 1);
		assert_eq!(report, SweepReport { claimed: 1, expired: 0, waiting: 1 });
		assert_eq!(staged_hashes(&blobs), vec![sha256(b"orphan")]);

		let report = blobs.sweep(1_000 + TTL_MS);
		assert_eq!(report, SweepReport { claimed: 0, expired: 1, waiting: 0 });
		assert!(!held(&blobs, b"orphan"));
		assert!(held(&blobs, b"claimed"));
		assert!(staged_hashes(&blobs).is_empty());
		// The claimed blob stays however late it is: only its erasure drops it.
		assert_eq!(blobs.sweep(u64::MAX), SweepReport::default());
		assert!(held(&blobs, b"claimed"));
	}

	#[test]
	fn the_staging_quota_bounds_what_unclaimed_blobs_take() {
		let chain = Arc::new(Chain::default());
		let blobs = staged_blobs(chain.clone());
		blobs.checked_put(&[1u8; 16], RequestSignature::default(), 0).unwrap();
		blobs.checked_put(&[2u8; 16], RequestSignature::default(), 0).unwrap();
		// 32 of 40 bytes staged: 9 more do not fit, and nothing is kept of them.
		assert_eq!(
			code(blobs.checked_put(&[3u8; 9], RequestSignature::default(), 0)),
			error_code::STAGING_FULL
		);
		assert!(!held(&blobs, &[3u8; 9]));
		blobs.checked_put(&[4u8; 8], RequestSignature::default(), 0).unwrap();
		// A record only in the best block does not free the room yet; a finalized one does.
		chain.include(&[1u8; 16]);
		blobs.sweep(1);
		assert_eq!(
			code(blobs.checked_put(&[3u8; 9], RequestSignature::default(), 1)),
			error_code::STAGING_FULL
		);
		chain.finalize(&[1u8; 16]);
		blobs.sweep(1);
		blobs.checked_put(&[3u8; 9], RequestSignature::default(), 1).unwrap();
	}

	#[test]
	fn at_most_max_staged_blobs_wait_whatever_their_size() {
		let blobs = Blobs::new(
			InMemOffchainStorage::default(),
			16,
			None,
			Arc::new(Chain::default()),
			limits(Duration::from_secs(60), u64::MAX),
			open_policy(),
			0,
		);
		for n in 0..MAX_STAGED_BLOBS as u32 {
			blobs.checked_put(&n.to_le_bytes(), RequestSignature::default(), 0).unwrap();
		}
		assert_eq!(
			code(blobs.checked_put(b"one more", RequestSignature::default(), 0)),
			error_code::STAGING_FULL
		);
	}

	#[test]
	fn putting_again_counts_once_and_keeps_the_deadline() {
		let blobs = staged_blobs(Arc::new(Chain::default()));
		blobs.checked_put(&[1u8; 16], RequestSignature::default(), 0).unwrap();
		blobs.checked_put(&[1u8; 16], RequestSignature::default(), TTL_MS / 2).unwrap();
		assert_eq!(staged_hashes(&blobs).len(), 1);
		assert_eq!(blobs.sweep(TTL_MS).expired, 1);
		assert!(!held(&blobs, &[1u8; 16]));
	}

	#[test]
	fn a_record_not_yet_final_keeps_its_blob_and_a_reorganised_one_does_not() {
		let chain = Arc::new(Chain::default());
		let blobs = staged_blobs(chain.clone());
		blobs.checked_put(b"pending", RequestSignature::default(), 0).unwrap();
		blobs.checked_put(b"reorganised", RequestSignature::default(), 0).unwrap();
		chain.include(b"pending");
		chain.include(b"reorganised");
		// Past the TTL, both records are in the best block: kept, still staged.
		assert_eq!(blobs.sweep(TTL_MS), SweepReport { claimed: 0, expired: 0, waiting: 2 });
		// One record is finalized; the other's block is reorganised away.
		chain.finalize(b"pending");
		chain.set(b"reorganised", false, false);
		assert_eq!(blobs.sweep(TTL_MS + 1), SweepReport { claimed: 1, expired: 1, waiting: 0 });
		assert!(held(&blobs, b"pending"));
		assert!(!held(&blobs, b"reorganised"));
	}

	/// `data` sealed for `patient`: behind the header a client's ciphertext starts with.
	fn sealed_bytes(patient: &AccountId32, data: &[u8]) -> Vec<u8> {
		[CIPHERTEXT_MAGIC, AsRef::<[u8]>::as_ref(patient), data].concat()
	}

	/// As [`staged_blobs`], with room for blobs behind a header.
	fn staged_sealed_blobs(chain: Arc<Chain>) -> Blobs<InMemOffchainStorage> {
		let staging = limits(Duration::from_millis(TTL_MS), 1024);
		Blobs::new(InMemOffchainStorage::default(), 256, None, chain, staging, open_policy(), 0)
	}

	#[test]
	fn only_the_records_of_the_patient_a_blob_is_sealed_for_claim_it() {
		let patient = AccountId32::new([0x0a; 32]);
		let front_runner = AccountId32::new([0x0f; 32]);
		let chain = Arc::new(Chain::default());
		let blobs = staged_sealed_blobs(chain.clone());
		// Someone who saw the patient's ciphertext hash in the transaction pool named it in a
		// record of their own first; the patient's own record was refused.
		let front_run = sealed_bytes(&patient, b"front-run");
		let own = sealed_bytes(&patient, b"own");
		for bytes in [&front_run, &own, &b"no header".to_vec()] {
			blobs.checked_put(bytes, RequestSignature::default(), 0).unwrap();
		}
		let finalized = |by: &AccountId32| Referenced {
			at_best: ReferencedBy::Patient(by.clone()),
			at_finalized: ReferencedBy::Patient(by.clone()),
		};
		chain.set_by(&front_run, finalized(&front_runner));
		chain.set_by(&own, finalized(&patient));
		chain.set_by(b"no header", finalized(&front_runner));

		// The patient's own record and any record of header-less bytes claim theirs.
		assert_eq!(blobs.sweep(TTL_MS - 1), SweepReport { claimed: 2, expired: 0, waiting: 1 });
		assert_eq!(staged_hashes(&blobs), vec![sha256(&front_run)]);
		// The front-runner's record keeps nothing: the copy goes when the TTL passes.
		assert_eq!(blobs.sweep(TTL_MS), SweepReport { claimed: 0, expired: 1, waiting: 0 });
		assert!(!held(&blobs, &front_run));
		assert!(held(&blobs, &own) && held(&blobs, b"no header"));
	}

	#[test]
	fn a_record_the_best_chain_no_longer_has_claims_nothing() {
		let patient = AccountId32::new([0x0a; 32]);
		let chain = Arc::new(Chain::default());
		let blobs = staged_sealed_blobs(chain.clone());
		let erased = sealed_bytes(&patient, b"erased");
		let taken = sealed_bytes(&patient, b"taken over");
		for bytes in [&erased, &taken] {
			blobs.checked_put(bytes, RequestSignature::default(), 0).unwrap();
		}
		// The patient's finalized record was erased in the best chain; in the other case the
		// erasure freed the hash and someone else's record names it at the best block.
		let finalized_only = |by: ReferencedBy| Referenced {
			at_best: by,
			at_finalized: ReferencedBy::Patient(patient.clone()),
		};
		chain.set_by(&erased, finalized_only(ReferencedBy::Nobody));
		chain.set_by(&taken, finalized_only(ReferencedBy::Patient(AccountId32::new([0x0f; 32]))));
		assert_eq!(blobs.sweep(TTL_MS - 1), SweepReport { claimed: 0, expired: 0, waiting: 2 });
		assert_eq!(blobs.sweep(TTL_MS), SweepReport { claimed: 0, expired: 2, waiting: 0 });
		assert!(!held(&blobs, &erased) && !held(&blobs, &taken));
	}

	#[test]
	fn a_runtime_that_cannot_name_the_patient_claims_a_blob_for_any_record() {
		// A block of a runtime from before `ciphertext_patient`: as before it existed.
		let chain = Arc::new(Chain::default());
		let blobs = staged_sealed_blobs(chain.clone());
		let sealed = sealed_bytes(&AccountId32::new([0x0a; 32]), b"old runtime");
		blobs.checked_put(&sealed, RequestSignature::default(), 0).unwrap();
		let unnamed =
			Referenced { at_best: ReferencedBy::Unnamed, at_finalized: ReferencedBy::Unnamed };
		chain.set_by(&sealed, unnamed);
		assert_eq!(blobs.sweep(TTL_MS), SweepReport { claimed: 1, expired: 0, waiting: 0 });
		assert!(held(&blobs, &sealed));
	}

	#[test]
	fn a_blob_put_while_its_record_is_live_is_staged_all_the_same() {
		// Its erasure could be imported between the check and the write: only staging makes
		// sure such a copy does not stay for good.
		let chain = Arc::new(Chain::default());
		chain.finalize(b"registered");
		let blobs = staged_blobs(chain.clone());
		blobs.checked_put(b"registered", RequestSignature::default(), 0).unwrap();
		assert_eq!(staged_hashes(&blobs), vec![sha256(b"registered")]);
		chain.set(b"registered", false, false);
		assert_eq!(blobs.sweep(TTL_MS).expired, 1);
		assert!(!held(&blobs, b"registered"));
	}

	#[test]
	fn nothing_is_deleted_while_the_chain_cannot_be_asked() {
		let chain = Arc::new(Chain::default());
		let blobs = staged_blobs(chain.clone());
		blobs.checked_put(b"waiting", RequestSignature::default(), 0).unwrap();
		chain.unreachable.store(true, std::sync::atomic::Ordering::SeqCst);
		assert_eq!(blobs.sweep(10 * TTL_MS), SweepReport { claimed: 0, expired: 0, waiting: 1 });
		assert!(held(&blobs, b"waiting"));
		chain.unreachable.store(false, std::sync::atomic::Ordering::SeqCst);
		assert_eq!(blobs.sweep(10 * TTL_MS).expired, 1);
	}

	/// A node that is, or is not, catching up with the chain.
	struct Syncing(std::sync::atomic::AtomicBool);

	impl sp_consensus::SyncOracle for Syncing {
		fn is_major_syncing(&self) -> bool {
			self.0.load(std::sync::atomic::Ordering::SeqCst)
		}
		fn is_offline(&self) -> bool {
			false
		}
	}

	#[test]
	fn nothing_expires_or_is_claimed_while_the_node_catches_up() {
		let chain = Arc::new(Chain::default());
		let syncing = Arc::new(Syncing(true.into()));
		let references = WhenSynced { references: chain.clone(), sync: syncing.clone() };
		let staging = limits(Duration::from_millis(TTL_MS), QUOTA);
		let blobs = Blobs::new(
			InMemOffchainStorage::default(),
			16,
			None,
			Arc::new(references),
			staging,
			open_policy(),
			0,
		);
		blobs.checked_put(b"old record", RequestSignature::default(), 0).unwrap();
		blobs.checked_put(b"orphan", RequestSignature::default(), 0).unwrap();
		// The record was finalized long ago, in a block this node has not imported yet.
		chain.finalize(b"old record");
		assert_eq!(blobs.sweep(10 * TTL_MS), SweepReport { claimed: 0, expired: 0, waiting: 2 });
		assert!(held(&blobs, b"old record") && held(&blobs, b"orphan"));

		syncing.0.store(false, std::sync::atomic::Ordering::SeqCst);

		assert_eq!(blobs.sweep(10 * TTL_MS), SweepReport { claimed: 1, expired: 1, waiting: 0 });
		assert!(held(&blobs, b"old record"));
		assert!(!held(&blobs, b"orphan"));
	}

	#[test]
	fn the_sweep_period_follows_the_ttl_within_bounds() {
		let limits = |secs| limits(Duration::from_secs(secs), 1);
		assert_eq!(limits(2).sweep_period(), Duration::from_secs(1));
		assert_eq!(limits(20).sweep_period(), Duration::from_secs(5));
		assert_eq!(limits(3_600).sweep_period(), Duration::from_secs(60));
	}

	fn code<T: std::fmt::Debug>(result: RpcResult<T>) -> i32 {
		result.expect_err("an error").code()
	}

	/// `blobs_get` of `hash` without a signature.
	async fn get_unsigned(blobs: &Blobs<InMemOffchainStorage>, hash: H256) -> RpcResult<Bytes> {
		blobs.get(hash, None, None, None, None, None).await
	}

	#[test]
	fn put_keeps_the_bytes_under_their_sha256() {
		let blobs = blobs(None);
		let hash = blobs.put(Bytes(b"ciphertext".to_vec()), None, None, None).unwrap();
		assert_eq!(hash, sha256(b"ciphertext"));
		assert_eq!(
			blobs.storage().get(STORAGE_PREFIX, &blob_key(&hash)),
			Some(b"ciphertext".to_vec())
		);
		// Again: same hash, nothing else changes.
		assert_eq!(blobs.put(Bytes(b"ciphertext".to_vec()), None, None, None).unwrap(), hash);
	}

	#[test]
	fn empty_and_oversized_blobs_are_refused_and_not_kept() {
		let blobs = blobs(None);
		assert_eq!(code(blobs.put(Bytes(Vec::new()), None, None, None)), error_code::EMPTY);
		let too_big = vec![7u8; 17];
		assert_eq!(
			code(blobs.put(Bytes(too_big.clone()), None, None, None)),
			error_code::TOO_LARGE
		);
		assert_eq!(blobs.storage().get(STORAGE_PREFIX, &blob_key(&sha256(&too_big))), None);
		// Exactly the limit is fine.
		assert!(blobs.put(Bytes(vec![7u8; 16]), None, None, None).is_ok());
	}

	#[tokio::test]
	async fn get_serves_local_blobs_and_names_unknown_ones() {
		let blobs = blobs(None);
		let hash = blobs.put(Bytes(b"sealed".to_vec()), None, None, None).unwrap();
		assert_eq!(get_unsigned(&blobs, hash).await.unwrap().0, b"sealed".to_vec());
		assert_eq!(code(get_unsigned(&blobs, H256::repeat_byte(1)).await), error_code::UNKNOWN);
	}

	#[tokio::test]
	async fn get_falls_back_to_cloud_storage_and_checks_what_comes_back() {
		let hash = sha256(b"pinned elsewhere");
		let found = blobs(Some(FixedRemote(Ok(Some(b"pinned elsewhere".to_vec())))));
		assert_eq!(get_unsigned(&found, hash).await.unwrap().0, b"pinned elsewhere".to_vec());
		let tampered = blobs(Some(FixedRemote(Ok(Some(b"tampered".to_vec())))));
		assert_eq!(code(get_unsigned(&tampered, hash).await), error_code::CORRUPT);
		let missing = blobs(Some(FixedRemote(Ok(None))));
		assert_eq!(code(get_unsigned(&missing, hash).await), error_code::UNKNOWN);
		let down = blobs(Some(FixedRemote(Err("connection refused".into()))));
		assert_eq!(code(get_unsigned(&down, hash).await), error_code::STORAGE_UNAVAILABLE);
	}

	#[tokio::test]
	async fn a_corrupt_local_copy_is_never_served() {
		let blobs = blobs(None);
		let hash = sha256(b"original");
		blobs.storage().set(STORAGE_PREFIX, &blob_key(&hash), b"bit-flipped");
		assert_eq!(code(get_unsigned(&blobs, hash).await), error_code::UNKNOWN);
	}

	/// Blobs only signed puts and gets reach, as by default, with a quota of 20 bytes per
	/// account; `published` have published an encryption key.
	fn signed_blobs(published: &[&AccountId32]) -> (Blobs<InMemOffchainStorage>, Arc<Published>) {
		let (blobs, putters, _) = signed_blobs_reading(published, Arc::new(Chain::default()));
		(blobs, putters)
	}

	/// As [`signed_blobs`], with the chain's records and consents to set, and `chain` telling
	/// which blobs records reference.
	fn signed_blobs_reading(
		published: &[&AccountId32],
		chain: Arc<Chain>,
	) -> (Blobs<InMemOffchainStorage>, Arc<Published>, Arc<Consents>) {
		let staging = StagingLimits {
			ttl: Duration::from_millis(TTL_MS),
			quota_bytes: QUOTA,
			quota_per_account_bytes: 20,
		};
		signed_blobs_staging(published, chain, staging)
	}

	/// As [`signed_blobs_reading`], within `staging`.
	fn signed_blobs_staging(
		published: &[&AccountId32],
		chain: Arc<Chain>,
		staging: StagingLimits,
	) -> (Blobs<InMemOffchainStorage>, Arc<Published>, Arc<Consents>) {
		let putters = Arc::new(Published::default());
		putters.accounts.lock().unwrap().extend(published.iter().map(|who| (*who).clone()));
		let readers = Arc::new(Consents::default());
		let policy = AccessPolicy {
			accept_unsigned_puts: false,
			accept_unsigned_gets: false,
			genesis: GENESIS,
			putters: putters.clone(),
			readers: readers.clone(),
		};
		let blobs =
			Blobs::new(InMemOffchainStorage::default(), 16, None, chain, staging, policy, 0);
		(blobs, putters, readers)
	}

	fn keyring(seed: &str) -> (sr25519::Pair, AccountId32) {
		let pair =
			<sr25519::Pair as sp_core::Pair>::from_string(&format!("//{seed}"), None).unwrap();
		let account = AccountId32::from(pair.public());
		(pair, account)
	}

	/// When the tests put: the node's clock.
	const NOW: u64 = 1_000_000;
	/// What the tests' signatures are valid until.
	const VALID_UNTIL: u64 = NOW + 60_000;

	/// `pair`'s signature over the put message of `bytes` on `genesis`, valid until `until`.
	fn signature_until(pair: &sr25519::Pair, genesis: H256, bytes: &[u8], until: u64) -> Vec<u8> {
		let signature = pair.sign(&put_message(&genesis, &sha256(bytes), until));
		AsRef::<[u8]>::as_ref(&signature).to_vec()
	}

	/// `pair`'s signature over the put message of `bytes` on `genesis`, valid until
	/// [`VALID_UNTIL`].
	fn signature(pair: &sr25519::Pair, genesis: H256, bytes: &[u8]) -> Vec<u8> {
		signature_until(pair, genesis, bytes, VALID_UNTIL)
	}

	/// `bytes` put as `signer` with `signature` valid until `until`, at [`NOW`].
	fn put_signed(
		blobs: &Blobs<InMemOffchainStorage>,
		bytes: &[u8],
		signer: Option<&AccountId32>,
		signature: Option<&[u8]>,
		until: u64,
	) -> RpcResult<H256> {
		let signed = RequestSignature { signer, signature, valid_until_ms: Some(until) };
		blobs.checked_put(bytes, signed, NOW)
	}

	#[test]
	fn a_put_signed_by_an_account_with_a_published_key_is_kept() {
		let (alice, alice_id) = keyring("Alice");
		let (blobs, _) = signed_blobs(&[&alice_id]);
		let signed = signature(&alice, GENESIS, b"ciphertext");
		let hash = put_signed(&blobs, b"ciphertext", Some(&alice_id), Some(&signed), VALID_UNTIL);
		assert_eq!(hash.unwrap(), sha256(b"ciphertext"));
		assert!(held(&blobs, b"ciphertext"));
		assert_eq!(staged_index(&*blobs.storage())[0].signer, Some(alice_id.clone()));
		// A wallet's `signRaw` signs the message wrapped in `<Bytes>…</Bytes>`: accepted too.
		let message = put_message(&GENESIS, &sha256(b"wallet"), VALID_UNTIL);
		let wrapped = [b"<Bytes>".as_slice(), &message, b"</Bytes>".as_slice()].concat();
		let by_wallet = AsRef::<[u8]>::as_ref(&alice.sign(&wrapped)).to_vec();
		assert!(
			put_signed(&blobs, b"wallet", Some(&alice_id), Some(&by_wallet), VALID_UNTIL).is_ok()
		);
	}

	#[test]
	fn unsigned_badly_signed_out_of_date_and_unknown_puts_are_refused_and_not_kept() {
		let (alice, alice_id) = keyring("Alice");
		let (bob, bob_id) = keyring("Bob");
		let (blobs, putters) = signed_blobs(&[&alice_id]);
		let bytes = b"ciphertext";
		let put = |signer: Option<&AccountId32>, signature: Option<Vec<u8>>, until: u64| {
			code(put_signed(&blobs, bytes, signer, signature.as_deref(), until))
		};
		let good = signature(&alice, GENESIS, bytes);
		assert_eq!(
			code(blobs.checked_put(bytes, RequestSignature::default(), NOW)),
			error_code::UNSIGNED
		);
		assert_eq!(put(Some(&alice_id), None, VALID_UNTIL), error_code::BAD_SIGNATURE);
		assert_eq!(put(None, Some(good.clone()), VALID_UNTIL), error_code::BAD_SIGNATURE);
		let without_validity = RequestSignature {
			signer: Some(&alice_id),
			signature: Some(&good),
			valid_until_ms: None,
		};
		assert_eq!(
			code(blobs.checked_put(bytes, without_validity, NOW)),
			error_code::BAD_SIGNATURE
		);
		// Bob's signature given as Alice's; Alice's for another chain, other bytes, or another
		// validity than the one given.
		let bobs = signature(&bob, GENESIS, bytes);
		assert_eq!(put(Some(&alice_id), Some(bobs), VALID_UNTIL), error_code::BAD_SIGNATURE);
		let other_chain = signature(&alice, H256::repeat_byte(1), bytes);
		assert_eq!(put(Some(&alice_id), Some(other_chain), VALID_UNTIL), error_code::BAD_SIGNATURE);
		let other_bytes = signature(&alice, GENESIS, b"other");
		assert_eq!(put(Some(&alice_id), Some(other_bytes), VALID_UNTIL), error_code::BAD_SIGNATURE);
		assert_eq!(
			put(Some(&alice_id), Some(good.clone()), VALID_UNTIL + 1),
			error_code::BAD_SIGNATURE
		);
		assert_eq!(put(Some(&alice_id), Some(vec![0; 63]), VALID_UNTIL), error_code::BAD_SIGNATURE);
		// Out of date: past, or valid for longer than a node accepts.
		let past = signature_until(&alice, GENESIS, bytes, NOW - 1);
		assert_eq!(put(Some(&alice_id), Some(past), NOW - 1), error_code::SIGNATURE_OUT_OF_DATE);
		let too_far = NOW + MAX_SIGNATURE_VALIDITY_MS + 1;
		let long_lived = signature_until(&alice, GENESIS, bytes, too_far);
		assert_eq!(
			put(Some(&alice_id), Some(long_lived), too_far),
			error_code::SIGNATURE_OUT_OF_DATE
		);
		// Bob signs well but has published no encryption key.
		let bobs_own = signature(&bob, GENESIS, bytes);
		assert_eq!(put(Some(&bob_id), Some(bobs_own), VALID_UNTIL), error_code::UNKNOWN_SIGNER);
		// The chain cannot be read: no answer either way, try again.
		putters.unreadable.store(true, std::sync::atomic::Ordering::SeqCst);
		assert_eq!(
			put(Some(&alice_id), Some(good.clone()), VALID_UNTIL),
			error_code::CHAIN_UNAVAILABLE
		);
		assert!(!held(&blobs, bytes));
		assert!(staged_hashes(&blobs).is_empty());
		putters.unreadable.store(false, std::sync::atomic::Ordering::SeqCst);
		// Exactly at the end of its validity, and exactly at the longest validity, it is good.
		let at_end = RequestSignature {
			signer: Some(&alice_id),
			signature: Some(&good),
			valid_until_ms: Some(VALID_UNTIL),
		};
		assert!(blobs.checked_put(bytes, at_end, VALID_UNTIL).is_ok());
		let longest = NOW + MAX_SIGNATURE_VALIDITY_MS;
		let other = b"other";
		let signed = signature_until(&alice, GENESIS, other, longest);
		assert!(put_signed(&blobs, other, Some(&alice_id), Some(&signed), longest).is_ok());
	}

	#[test]
	fn one_account_cannot_fill_the_staging_quota_alone() {
		let (alice, alice_id) = keyring("Alice");
		let (bob, bob_id) = keyring("Bob");
		let (carol, carol_id) = keyring("Carol");
		let (blobs, _) = signed_blobs(&[&alice_id, &bob_id, &carol_id]);
		let put_by = |pair: &sr25519::Pair, who: &AccountId32, bytes: &[u8]| {
			let signed = signature(pair, GENESIS, bytes);
			put_signed(&blobs, bytes, Some(who), Some(&signed), VALID_UNTIL)
		};
		put_by(&alice, &alice_id, &[1u8; 12]).unwrap();
		put_by(&alice, &alice_id, &[2u8; 8]).unwrap();
		// Alice's 20 bytes are her quota; Bob still has his.
		assert_eq!(code(put_by(&alice, &alice_id, &[3u8; 1])), error_code::ACCOUNT_STAGING_FULL);
		put_by(&bob, &bob_id, &[3u8; 1]).unwrap();
		put_by(&bob, &bob_id, &[4u8; 12]).unwrap();
		// The node's 40 bytes bound them all: Carol's first 8 would make 41.
		assert_eq!(code(put_by(&carol, &carol_id, &[5u8; 8])), error_code::STAGING_FULL);
		// Once Alice's blobs expire unclaimed, she may put again.
		assert_eq!(blobs.sweep(NOW + TTL_MS).expired, 4);
		put_by(&alice, &alice_id, &[3u8; 16]).unwrap();
	}

	#[test]
	fn tiny_blobs_take_places_only_as_they_take_quota() {
		let (alice, alice_id) = keyring("Alice");
		let (bob, bob_id) = keyring("Bob");
		// Each blob counts at least 4 bytes: the node's quota over the places it has.
		let share = 4;
		let staging = StagingLimits {
			ttl: Duration::from_millis(TTL_MS),
			quota_bytes: share * MAX_STAGED_BLOBS as u64,
			quota_per_account_bytes: 3 * share,
		};
		let (blobs, _, _) =
			signed_blobs_staging(&[&alice_id, &bob_id], Arc::new(Chain::default()), staging);
		let put_by = |pair: &sr25519::Pair, who: &AccountId32, bytes: &[u8]| {
			let signed = signature(pair, GENESIS, bytes);
			put_signed(&blobs, bytes, Some(who), Some(&signed), VALID_UNTIL)
		};
		// Three one-byte blobs take Alice's 12 bytes, so she cannot take the node's 4,096
		// places with 4 KiB.
		for n in 0..3u8 {
			put_by(&alice, &alice_id, &[n]).unwrap();
		}
		assert_eq!(code(put_by(&alice, &alice_id, &[3])), error_code::ACCOUNT_STAGING_FULL);
		// A blob larger than the share counts its size.
		put_by(&bob, &bob_id, &[7u8; 10]).unwrap();
		assert_eq!(code(put_by(&bob, &bob_id, &[8u8; 1])), error_code::ACCOUNT_STAGING_FULL);
		// The index keeps each blob's real size; only the quotas count the share.
		let sizes: Vec<u64> = staged_index(&*blobs.storage()).iter().map(|b| b.size).collect();
		assert_eq!(sizes, vec![1, 1, 1, 10]);
	}

	#[test]
	fn the_share_of_a_tiny_blob_never_passes_an_accounts_quota() {
		let (alice, alice_id) = keyring("Alice");
		// A node quota so large that its 4,096th is more than an account's whole quota.
		let staging = StagingLimits {
			ttl: Duration::from_millis(TTL_MS),
			quota_bytes: 100 * MAX_STAGED_BLOBS as u64,
			quota_per_account_bytes: 20,
		};
		let (blobs, _, _) = signed_blobs_staging(&[&alice_id], Arc::new(Chain::default()), staging);
		let put = |bytes: &[u8]| {
			let signed = signature(&alice, GENESIS, bytes);
			put_signed(&blobs, bytes, Some(&alice_id), Some(&signed), VALID_UNTIL)
		};
		// One blob fits, counted as the whole quota; a second does not.
		put(b"one").unwrap();
		assert_eq!(code(put(b"two")), error_code::ACCOUNT_STAGING_FULL);
	}

	#[test]
	fn a_signer_who_withdraws_their_key_loses_their_unclaimed_blobs_at_once() {
		let (alice, alice_id) = keyring("Alice");
		let (bob, bob_id) = keyring("Bob");
		let (blobs, putters) = signed_blobs(&[&alice_id, &bob_id]);
		for (pair, who, bytes) in [(&alice, &alice_id, b"alice's"), (&bob, &bob_id, b"bob's..")] {
			let signed = signature(pair, GENESIS, bytes);
			put_signed(&blobs, bytes, Some(who), Some(&signed), VALID_UNTIL).unwrap();
		}
		// Alice takes her deposit back, long before the TTL.
		putters.accounts.lock().unwrap().retain(|who| *who != alice_id);

		assert_eq!(blobs.sweep(NOW + 1), SweepReport { claimed: 0, expired: 1, waiting: 1 });
		assert!(!held(&blobs, b"alice's"));
		assert!(held(&blobs, b"bob's.."));
	}

	#[test]
	fn an_index_from_before_signed_puts_is_read_and_replaced() {
		let blobs = staged_blobs(Arc::new(Chain::default()));
		let legacy = vec![(sha256(b"old"), 3u64, 0u64)];
		{
			let mut storage = blobs.storage();
			storage.set(STORAGE_PREFIX, &blob_key(&sha256(b"old")), b"old");
			storage.set(STORAGE_PREFIX, LEGACY_STAGED_INDEX_KEY, &legacy.encode());
		}
		assert_eq!(staged_hashes(&blobs), vec![sha256(b"old")]);
		blobs.checked_put(b"new", RequestSignature::default(), 1).unwrap();
		assert_eq!(staged_hashes(&blobs), vec![sha256(b"old"), sha256(b"new")]);
		assert_eq!(blobs.storage().get(STORAGE_PREFIX, LEGACY_STAGED_INDEX_KEY), None);
		// The old entry expires as any unsigned one.
		assert_eq!(blobs.sweep(TTL_MS).expired, 1);
		assert!(!held(&blobs, b"old"));
	}

	/// `pair`'s signature over the get message of `bytes` for `context`, valid until `until`.
	fn get_signature(
		pair: &sr25519::Pair,
		bytes: &[u8],
		context: Option<ReadContext>,
		until: u64,
	) -> Vec<u8> {
		let signature = pair.sign(&get_message(&GENESIS, &sha256(bytes), context, until));
		AsRef::<[u8]>::as_ref(&signature).to_vec()
	}

	/// Whether `blobs` serves the get of `bytes` by `reader`, signed with `signature` for
	/// `context` until `until`, at [`NOW`].
	fn check_signed_get(
		blobs: &Blobs<InMemOffchainStorage>,
		bytes: &[u8],
		reader: &AccountId32,
		signature: &[u8],
		context: Option<ReadContext>,
		until: u64,
	) -> RpcResult<Option<AllowedRead>> {
		let signed = RequestSignature {
			signer: Some(reader),
			signature: Some(signature),
			valid_until_ms: Some(until),
		};
		blobs.check_get(&sha256(bytes), signed, context, NOW)
	}

	const TREATMENT_OF_RECORD_1: ReadContext =
		ReadContext { record: 1, purpose: Purpose::Treatment };

	#[tokio::test]
	async fn a_get_is_served_only_for_a_read_the_consent_allows_of_a_record_of_the_blob() {
		let (alice, alice_id) = keyring("Alice");
		let (bob, bob_id) = keyring("Bob");
		let (carol, carol_id) = keyring("Carol");
		let (blobs, _, consents) = signed_blobs_reading(&[&alice_id], Arc::default());
		let bytes = b"ciphertext";
		let put = signature(&alice, GENESIS, bytes);
		put_signed(&blobs, bytes, Some(&alice_id), Some(&put), VALID_UNTIL).unwrap();
		consents.records.lock().unwrap().extend([
			(1, (sha256(bytes), alice_id.clone())),
			(2, (sha256(b"other"), alice_id.clone())),
		]);
		consents.allowed.lock().unwrap().push((bob_id.clone(), 1, Purpose::Treatment));
		let get = |pair: &sr25519::Pair, who: &AccountId32, context: ReadContext| {
			let signed = get_signature(pair, bytes, Some(context), VALID_UNTIL);
			code(check_signed_get(&blobs, bytes, who, &signed, Some(context), VALID_UNTIL))
		};

		// Bob's consent covers record 1 for treatment: allowed, the bytes to be sealed for
		// Alice, its patient.
		let signed = get_signature(&bob, bytes, Some(TREATMENT_OF_RECORD_1), VALID_UNTIL);
		let checked = check_signed_get(
			&blobs,
			bytes,
			&bob_id,
			&signed,
			Some(TREATMENT_OF_RECORD_1),
			VALID_UNTIL,
		);
		assert_eq!(checked.unwrap().map(|read| read.patient), Some(alice_id.clone()));
		// For research, or by Carol, whom no consent names: refused.
		let research = ReadContext { record: 1, purpose: Purpose::Research };
		assert_eq!(get(&bob, &bob_id, research), error_code::READ_REFUSED);
		assert_eq!(get(&carol, &carol_id, TREATMENT_OF_RECORD_1), error_code::READ_REFUSED);
		// Naming record 2, whose ciphertext is another blob, or a record that does not live.
		let other_record = ReadContext { record: 2, purpose: Purpose::Treatment };
		assert_eq!(get(&bob, &bob_id, other_record), error_code::NOT_THE_RECORDS_BLOB);
		let no_record = ReadContext { record: 3, purpose: Purpose::Treatment };
		assert_eq!(get(&bob, &bob_id, no_record), error_code::NOT_THE_RECORDS_BLOB);
		// The context is signed: Bob's signature for treatment does not serve a research read.
		assert_eq!(
			code(check_signed_get(&blobs, bytes, &bob_id, &signed, Some(research), VALID_UNTIL)),
			error_code::BAD_SIGNATURE
		);
		// Nor does a put signature, or one past its validity.
		let bobs_put = signature(&bob, GENESIS, bytes);
		let as_get = Some(TREATMENT_OF_RECORD_1);
		assert_eq!(
			code(check_signed_get(&blobs, bytes, &bob_id, &bobs_put, as_get, VALID_UNTIL)),
			error_code::BAD_SIGNATURE
		);
		let past = get_signature(&bob, bytes, as_get, NOW - 1);
		assert_eq!(
			code(check_signed_get(&blobs, bytes, &bob_id, &past, as_get, NOW - 1)),
			error_code::SIGNATURE_OUT_OF_DATE
		);
		// Unsigned: refused, as is a signer without a signature.
		let unsigned = blobs.check_get(&sha256(bytes), RequestSignature::default(), as_get, NOW);
		assert_eq!(code(unsigned), error_code::UNSIGNED);
		let half = RequestSignature { signer: Some(&bob_id), ..Default::default() };
		assert_eq!(
			code(blobs.check_get(&sha256(bytes), half, as_get, NOW)),
			error_code::BAD_SIGNATURE
		);
		// The chain cannot be read: no answer either way.
		consents.unreadable.store(true, std::sync::atomic::Ordering::SeqCst);
		assert_eq!(get(&bob, &bob_id, TREATMENT_OF_RECORD_1), error_code::CHAIN_UNAVAILABLE);
		consents.unreadable.store(false, std::sync::atomic::Ordering::SeqCst);
		// Bob's consent is revoked: refused from then on.
		consents.allowed.lock().unwrap().clear();
		assert_eq!(get(&bob, &bob_id, TREATMENT_OF_RECORD_1), error_code::READ_REFUSED);
	}

	#[test]
	fn the_signer_of_a_put_waiting_for_its_record_gets_it_back_without_naming_one() {
		let (alice, alice_id) = keyring("Alice");
		let (bob, bob_id) = keyring("Bob");
		let chain = Arc::new(Chain::default());
		let (blobs, _, consents) = signed_blobs_reading(&[&alice_id, &bob_id], chain.clone());
		let bytes = b"ciphertext";
		let put = signature(&alice, GENESIS, bytes);
		put_signed(&blobs, bytes, Some(&alice_id), Some(&put), VALID_UNTIL).unwrap();
		let get_own = |pair: &sr25519::Pair, who: &AccountId32| {
			let signed = get_signature(pair, bytes, None, VALID_UNTIL);
			check_signed_get(&blobs, bytes, who, &signed, None, VALID_UNTIL)
		};
		assert!(get_own(&alice, &alice_id).is_ok());
		// Bob did not put it.
		assert_eq!(code(get_own(&bob, &bob_id)), error_code::READ_REFUSED);
		// A wallet's `signRaw` wraps the message in `<Bytes>…</Bytes>`: accepted too.
		let message = get_message(&GENESIS, &sha256(bytes), None, VALID_UNTIL);
		let wrapped = [b"<Bytes>".as_slice(), &message, b"</Bytes>".as_slice()].concat();
		let by_wallet = AsRef::<[u8]>::as_ref(&alice.sign(&wrapped)).to_vec();
		assert!(check_signed_get(&blobs, bytes, &alice_id, &by_wallet, None, VALID_UNTIL).is_ok());
		// Once a finalized record claims it, Alice reads it as any reader: through the record.
		consents.records.lock().unwrap().insert(1, (sha256(bytes), alice_id.clone()));
		chain.finalize(bytes);
		assert_eq!(blobs.sweep(NOW).claimed, 1);
		assert_eq!(code(get_own(&alice, &alice_id)), error_code::READ_REFUSED);
		consents.allowed.lock().unwrap().push((alice_id.clone(), 1, Purpose::Treatment));
		let through_record = get_signature(&alice, bytes, Some(TREATMENT_OF_RECORD_1), VALID_UNTIL);
		let context = Some(TREATMENT_OF_RECORD_1);
		assert!(check_signed_get(&blobs, bytes, &alice_id, &through_record, context, VALID_UNTIL)
			.is_ok());
	}

	#[tokio::test]
	async fn a_get_names_both_the_record_and_a_purpose_the_chain_knows_or_neither() {
		let blobs = blobs(None);
		let hash = blobs.put(Bytes(b"sealed".to_vec()), None, None, None).unwrap();
		let get = |record: Option<RecordId>, purpose: Option<&str>| {
			blobs.get(hash, None, None, None, record, purpose.map(String::from))
		};
		assert_eq!(code(get(Some(1), None).await), INVALID_PARAMS_CODE);
		assert_eq!(code(get(None, Some("Treatment")).await), INVALID_PARAMS_CODE);
		assert_eq!(code(get(Some(1), Some("Gossip")).await), INVALID_PARAMS_CODE);
		assert_eq!(purpose_named("publicHealth"), Some(Purpose::PublicHealth));
		// Unsigned gets served (`--blob-get-unsigned`): the context is not checked.
		assert_eq!(get(Some(1), Some("PublicHealth")).await.unwrap().0, b"sealed".to_vec());
		assert_eq!(
			Purpose::ALL.map(|purpose| purpose_named(&format!("{purpose:?}"))),
			Purpose::ALL.map(Some)
		);
	}

	#[test]
	fn ed25519_and_ecdsa_accounts_sign_as_sr25519_ones_do_raw_or_typed() {
		let (alice, alice_id) = keyring("Alice");
		let dave = ed25519::Pair::from_string("//Dave", None).unwrap();
		let dave_id = AccountId32::from(dave.public());
		let eve = ecdsa::Pair::from_string("//Eve", None).unwrap();
		let eve_id = MultiSigner::from(eve.public()).into_account();
		let (blobs, _) = signed_blobs(&[&alice_id, &dave_id, &eve_id]);
		let message = |bytes: &[u8]| put_message(&GENESIS, &sha256(bytes), VALID_UNTIL);
		let put = |bytes: &[u8], who: &AccountId32, signature: &[u8]| {
			put_signed(&blobs, bytes, Some(who), Some(signature), VALID_UNTIL)
		};

		// As wallets give them: raw ed25519 (64 bytes) and ecdsa (65 bytes) signatures.
		let by_dave = dave.sign(&message(b"dave's"));
		assert!(put(b"dave's", &dave_id, AsRef::<[u8]>::as_ref(&by_dave)).is_ok());
		let by_eve = eve.sign(&message(b"eve's"));
		assert!(put(b"eve's", &eve_id, AsRef::<[u8]>::as_ref(&by_eve)).is_ok());
		// Or typed: a SCALE MultiSignature, its scheme's byte first.
		let typed = MultiSignature::from(alice.sign(&message(b"typed"))).encode();
		assert_eq!(typed.len(), 65);
		assert!(put(b"typed", &alice_id, &typed).is_ok());
		let typed_ecdsa = MultiSignature::from(eve.sign(&message(b"typed ecdsa"))).encode();
		assert!(put(b"typed ecdsa", &eve_id, &typed_ecdsa).is_ok());

		// Each still binds its signer: Eve's signature given as Dave's, Dave's typed as an
		// sr25519 one, and a signature of no known length are refused.
		let by_eve_for_dave = eve.sign(&message(b"other"));
		assert_eq!(
			code(put(b"other", &dave_id, AsRef::<[u8]>::as_ref(&by_eve_for_dave))),
			error_code::BAD_SIGNATURE
		);
		let mistyped = [&[1u8][..], AsRef::<[u8]>::as_ref(&dave.sign(&message(b"other")))].concat();
		assert_eq!(code(put(b"other", &dave_id, &mistyped)), error_code::BAD_SIGNATURE);
		assert_eq!(code(put(b"other", &dave_id, &[0u8; 67])), error_code::BAD_SIGNATURE);
		assert!(!held(&blobs, b"other"));
	}

	#[test]
	fn the_chain_is_current_only_once_a_block_came_and_while_blocks_keep_coming() {
		let last_import = LastImport::default();
		assert!(last_import.current(NOW).is_err(), "nothing imported since the start");
		last_import.record(NOW);
		assert_eq!(last_import.current(NOW + MAX_CHAIN_SILENCE_MS), Ok(()));
		assert!(last_import.current(NOW + MAX_CHAIN_SILENCE_MS + 1).is_err());
		// A late notification does not move the time back.
		last_import.record(NOW - 1);
		assert_eq!(last_import.current(NOW + MAX_CHAIN_SILENCE_MS), Ok(()));
	}

	#[test]
	fn nothing_expires_within_a_ttl_of_the_node_starting() {
		// Restarted long after a blob was put: peers may not have told the node yet that it
		// is behind, and the blob's record may sit in a block it has not imported.
		let started = 10 * TTL_MS;
		let blobs = Blobs::new(
			InMemOffchainStorage::default(),
			16,
			None,
			Arc::new(Chain::default()),
			limits(Duration::from_millis(TTL_MS), QUOTA),
			open_policy(),
			started,
		);
		blobs.checked_put(b"before restart", RequestSignature::default(), 0).unwrap();
		let waiting = SweepReport { claimed: 0, expired: 0, waiting: 1 };
		assert_eq!(blobs.sweep(started + 1), waiting);
		assert_eq!(blobs.sweep(started + TTL_MS - 1), waiting);
		assert_eq!(blobs.sweep(started + TTL_MS).expired, 1);
		assert!(!held(&blobs, b"before restart"));
	}

	#[tokio::test]
	async fn a_record_naming_another_patients_ciphertext_does_not_open_it() {
		let (alice, alice_id) = keyring("Alice");
		let (bob, bob_id) = keyring("Bob");
		let (mallory, mallory_id) = keyring("Mallory");
		let (blobs, _, consents) = signed_blobs_reading(&[&alice_id], Arc::default());
		// Alice's registered document, sealed for her, as the client seals it.
		let sealed = sealed_bytes(&alice_id, b"sealed data");
		assert_eq!(sealed_for(&sealed), Some(alice_id.clone()));
		let hash = sha256(&sealed);
		blobs.storage().set(STORAGE_PREFIX, &blob_key(&hash), &sealed);
		// Record 1 is hers; Mallory registered record 2 as a record of his own with her
		// ciphertext's hash (front-running hers: the chain refuses it only after hers), so
		// it lets him, its patient, read it.
		consents.records.lock().unwrap().extend([
			(1, (hash, alice_id.clone())),
			(2, (hash, mallory_id.clone())),
			(3, (sha256(b"unsealed"), alice_id.clone())),
		]);
		consents.allowed.lock().unwrap().extend([
			(alice_id.clone(), 1, Purpose::Treatment),
			(bob_id.clone(), 1, Purpose::Treatment),
			(mallory_id.clone(), 2, Purpose::Treatment),
			(alice_id.clone(), 3, Purpose::Treatment),
		]);
		blobs.storage().set(STORAGE_PREFIX, &blob_key(&sha256(b"unsealed")), b"unsealed");
		// The RPC method's clock is the real one: sign for it.
		let until = unix_time_ms() + 60_000;
		let get = |pair: &sr25519::Pair, who: &AccountId32, hash: H256, record: RecordId| {
			let context = ReadContext { record, purpose: Purpose::Treatment };
			let message = get_message(&GENESIS, &hash, Some(context), until);
			let signature = Bytes(AsRef::<[u8]>::as_ref(&pair.sign(&message)).to_vec());
			blobs.get(
				hash,
				Some(who.clone()),
				Some(signature),
				Some(until),
				Some(record),
				Some("Treatment".into()),
			)
		};

		assert_eq!(get(&alice, &alice_id, hash, 1).await.unwrap().0, sealed);
		assert_eq!(get(&bob, &bob_id, hash, 1).await.unwrap().0, sealed);
		assert_eq!(
			code(get(&mallory, &mallory_id, hash, 2).await),
			error_code::NOT_THE_RECORDS_BLOB
		);
		// Bytes without the header are served through no record, not even their patient's.
		assert_eq!(sealed_for(b"unsealed"), None);
		let unsealed = get(&alice, &alice_id, sha256(b"unsealed"), 3).await;
		assert_eq!(code(unsealed), error_code::NOT_THE_RECORDS_BLOB);
	}

	#[test]
	fn a_get_signature_does_not_put_and_a_put_signature_does_not_get() {
		let (alice, alice_id) = keyring("Alice");
		let (blobs, _, _) = signed_blobs_reading(&[&alice_id], Arc::default());
		let bytes = b"ciphertext";
		let as_get = get_signature(&alice, bytes, None, VALID_UNTIL);
		assert_eq!(
			code(put_signed(&blobs, bytes, Some(&alice_id), Some(&as_get), VALID_UNTIL)),
			error_code::BAD_SIGNATURE
		);
		let as_put = signature(&alice, GENESIS, bytes);
		put_signed(&blobs, bytes, Some(&alice_id), Some(&as_put), VALID_UNTIL).unwrap();
		assert_eq!(
			code(check_signed_get(&blobs, bytes, &alice_id, &as_put, None, VALID_UNTIL)),
			error_code::BAD_SIGNATURE
		);
	}
}
