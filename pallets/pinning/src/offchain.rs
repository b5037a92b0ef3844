//! The off-chain worker that pins ciphertext on sealer nodes.
//!
//! Each block, on a node whose keystore holds a `seal` key and whose
//! off-chain storage holds [`StorageSettings`] (written by the node at start-up and renewed as
//! days pass; never chain state) with a signing key of the day, [`run`]:
//!
//! 1. with the first key of a current sealer, goes through the [`Pending`] pin requests (not
//!    pinned yet) that sealer has not confirmed,
//!    and for at most [`Config::MaxPinsPerRun`] of those that are due and whose ciphertext the
//!    node holds (at [`blob_key`] in its `PERSISTENT` off-chain storage):
//!    - takes a [`StorageLock`] on the object ([`lock_key`]), so two runs never upload or
//!      delete the same object at once;
//!    - checks the ciphertext's SHA-256: on a mismatch it never uploads, and reports
//!      [`FailureReason::HashMismatch`] at once;
//!    - while the node's last check found S3 versioning enabled on the bucket
//!      ([`BUCKET_KEEPS_VERSIONS_KEY`] naming it), never uploads, and reports
//!      [`FailureReason::BucketKeepsVersions`] at once (the confirmation it sends once the
//!      bucket is fixed withdraws the report);
//!    - when the ciphertext's header seals it for another patient than the one whose records
//!      name its hash (a record front-ran the patient's), never uploads, and reports
//!      [`FailureReason::SealedForAnotherPatient`] at once;
//!    - uploads it with an S3 `PUT` signed with AWS Signature V4, the object key and
//!      `x-amz-content-sha256` being the lower-case hex SHA-256, so the store refuses a body
//!      that does not match;
//!    - on a 2xx submits [`crate::Pallet::confirm_pin`]; otherwise backs off exponentially
//!      ([`backoff_delay_ms`], state at [`pin_retry_key`]) and after
//!      [`Config::MaxUploadAttempts`] submits [`crate::Pallet::report_pin_failure`], then
//!      keeps retrying at the backoff reached, without reporting again: a later confirmation
//!      withdraws the report, so the pin completes once storage is back;
//! 2. for every `seal` key in the keystore, a current sealer's or not (a sealer that left the
//!    set still deletes what it stored), goes through the [`Unpins`] it holds a copy of and
//!    has not deleted, `DELETE`s the object (a 404 `NoSuchKey` counts as deleted) and submits
//!    [`crate::Pallet::confirm_unpin`], backing off the same way on failure (state at
//!    [`unpin_retry_key`]). The node's own copy went with the erasure (off-chain indexing). While the bucket keeps versions it deletes
//!    nothing (a `DELETE` there only hides the object) and retries.
//!
//! 3. goes through the uploads it made recently ([`UNTRACKED_UPLOADS_KEY`]): a record erased
//!    while its upload's confirmation was still on its way would otherwise leave its
//!    ciphertext in the bucket for ever, unknown to the chain. Once the upload is settled
//!    ([`Config::UnsignedLongevity`] plus the node's finality depth later, so that neither a
//!    pending confirmation nor a reorganisation can change the answer), it `DELETE`s the
//!    object if no live record references it and no deletion request names the uploader,
//!    confirming nothing; it forgets the upload if the chain lists the uploader as holding it
//!    or asks it to delete it (the chain accounts for it);
//! 4. an upload still referenced that the chain never listed the uploader as holding (its
//!    confirmation was refused or lost, or its answer timed out while other sealers pinned the
//!    record) is a copy nothing on chain would ever ask it to delete: it moves to the
//!    [`OrphanCopy`] list ([`ORPHAN_COPIES_KEY`]), which each run goes through
//!    [`ORPHAN_CHECKS_PER_RUN`] entries at a time, and the copy is `DELETE`d once no record
//!    references the object any more (forgotten if the chain lists or asks the holder
//!    meanwhile).
//!
//! Runs overlap: a run on an old block may still be uploading or deleting when the next
//! block's run starts. The last upload or deletion of each object is kept with the height of
//! the block its run looked at ([`LastAction`], at [`last_action_key`]), and a run never acts on
//! an object a run on a higher block acted on ([`may_act`]): a run that saw a deletion called
//! off does not have its upload undone by an older run's `DELETE`, nor an erasure's deletion
//! undone by an older run's upload. Heights order the runs of one chain; after a
//! reorganisation to a heavier chain with fewer blocks, a run of the abandoned fork can pass
//! for the newer one until the new chain is as high.
//!
//! After submitting a statement the worker leaves the request alone for
//! [`Config::UnsignedLongevity`] blocks, the time the statement may spend in the pool.
//!
//! Logs name records, content hashes, HTTP statuses, S3 error codes, the endpoint and the
//! bucket; never request headers, credentials or ciphertext. The worker never holds the secret
//! access key: the node gives it the SigV4 signing keys of today and tomorrow only. Every
//! request to the bucket that fails or cannot be signed, and every run that finds no signing
//! key of the day, adds one to the node's count at [`FAILED_REQUESTS_KEY`], which the node
//! exports to Prometheus.
//!
//! The decisions are small pure functions ([`is_due`], [`put_outcome`], [`delete_outcome`],
//! [`next_step`], [`backoff_delay_ms`], [`may_act`], [`untracked_fate`], [`orphan_fate`],
//! [`split_endpoint`],
//! [`s3_error_code`]) so they can be tested alone.

use crate::{
	Call, Config, FailurePayload, FailureReason, Objects, Pending, PinPayload, PinRequestOf,
	PinStatus, Pins, SealerSet, UnpinPayload, Unpins, LOG_TARGET,
};
use alloc::{string::String, vec, vec::Vec};
use codec::{Decode, Encode};
use core::fmt;
use frame_support::traits::Get;
use frame_system::{
	offchain::{Account, SendUnsignedTransaction, SignedPayload, Signer},
	pallet_prelude::BlockNumberFor,
};
use medchain_primitives::{
	health::RecordId,
	pinning::{
		blob_key, sealed_for, StorageSettings, BUCKET_KEEPS_VERSIONS_KEY, FAILED_REQUESTS_KEY,
		STORAGE_SETTINGS_KEY,
	},
};
use medchain_sigv4::{
	hex_lower, is_valid_bucket, Addressing, AmzDateTime, Credentials, DayKeys, S3Config,
	S3Operation, S3Request, S3_SERVICE,
};
use sp_core::{
	offchain::{Duration, StorageKind},
	H256,
};
use sp_runtime::{
	offchain::{
		http,
		storage::{MutateStorageError, StorageRetrievalError, StorageValueRef},
		storage_lock::{StorageLock, Time},
	},
	SaturatedConversion,
};

/// Prefix of the lock taken on an object while it is uploaded or deleted.
pub const LOCK_PREFIX: &[u8] = b"medchain/pin-lock/";
/// Prefix of the retry state of a record's upload.
pub const PIN_RETRY_PREFIX: &[u8] = b"medchain/pin-retry/";
/// Prefix of the retry state of an object's deletion.
pub const UNPIN_RETRY_PREFIX: &[u8] = b"medchain/unpin-retry/";
/// Prefix of what the node last did to an object in its bucket ([`LastAction`]).
pub const LAST_ACTION_PREFIX: &[u8] = b"medchain/pin-last-action/";
/// The uploads the chain does not list this node as holding yet ([`UntrackedUpload`]s).
pub const UNTRACKED_UPLOADS_KEY: &[u8] = b"medchain/pin-untracked";
/// The most [`UntrackedUpload`]s kept: past it the worker uploads nothing more until earlier
/// uploads settle, rather than leave objects it could not account for.
pub const MAX_UNTRACKED_UPLOADS: usize = 1_024;
/// The copies in the bucket that records still reference but the chain does not list their
/// holder for ([`OrphanCopy`]s).
pub const ORPHAN_COPIES_KEY: &[u8] = b"medchain/pin-orphans";
/// Where the next run goes on through the [`OrphanCopy`] list.
pub const ORPHAN_CURSOR_KEY: &[u8] = b"medchain/pin-orphans-cursor";
/// The most [`OrphanCopy`]s kept (about 90 bytes each): past it a new one is forgotten, with
/// a warning, and its copy stays if its record is erased. Each needs an upload that stored
/// the bytes (or may have: its answer was lost) and then a confirmation that never counted,
/// so a node should never come near.
pub const MAX_ORPHAN_COPIES: usize = 4_096;
/// How many [`OrphanCopy`]s a run looks at (one or two storage reads each), deleting at most
/// `MaxPinsPerRun` of those no record references any more.
pub const ORPHAN_CHECKS_PER_RUN: usize = 32;
/// When the worker last said pinning is off for want of settings.
pub const NO_SETTINGS_NOTICE_KEY: &[u8] = b"medchain/pin-notice/no-settings";
/// When the worker last said the settings are unusable.
pub const BAD_SETTINGS_NOTICE_KEY: &[u8] = b"medchain/pin-notice/bad-settings";
/// The off-chain storage key of when the worker last said its settings hold no signing key of
/// the day.
pub const NO_DAY_KEY_NOTICE_KEY: &[u8] = b"medchain/pin-notice/no-day-key";
/// When the worker last said where it pins.
pub const PINNING_NOTICE_KEY: &[u8] = b"medchain/pin-notice/on";

/// How long a lock on an object lasts if its holder dies, in milliseconds.
pub const LOCK_EXPIRY_MS: u64 = 60_000;
/// How long an HTTP request may take, in milliseconds.
pub const HTTP_TIMEOUT_MS: u64 = 30_000;
/// The wait before the first retry, in milliseconds; each further retry waits twice as long.
pub const BACKOFF_BASE_MS: u64 = 2_000;
/// The longest wait between retries, in milliseconds.
pub const BACKOFF_CAP_MS: u64 = 300_000;
/// How often a notice (pinning off, settings unusable, pinning to…) is repeated, in
/// milliseconds.
pub const NOTICE_INTERVAL_MS: u64 = 3_600_000;
/// The most of an error response's body read to find its S3 error code.
const MAX_ERROR_BODY: usize = 4_096;

/// The off-chain storage key of the lock on the object `content_hash`.
pub fn lock_key(content_hash: &H256) -> Vec<u8> {
	prefixed(LOCK_PREFIX, content_hash.as_bytes())
}

/// The off-chain storage key of the retry state of `record`'s upload.
pub fn pin_retry_key(record: RecordId) -> Vec<u8> {
	prefixed(PIN_RETRY_PREFIX, &record.to_le_bytes())
}

/// The off-chain storage key of the retry state of the deletion of `content_hash`.
pub fn unpin_retry_key(content_hash: &H256) -> Vec<u8> {
	prefixed(UNPIN_RETRY_PREFIX, content_hash.as_bytes())
}

/// The off-chain storage key of what the node last did to the object `content_hash`.
pub fn last_action_key(content_hash: &H256) -> Vec<u8> {
	prefixed(LAST_ACTION_PREFIX, content_hash.as_bytes())
}

fn prefixed(prefix: &[u8], suffix: &[u8]) -> Vec<u8> {
	let mut key = Vec::with_capacity(prefix.len().saturating_add(suffix.len()));
	key.extend_from_slice(prefix);
	key.extend_from_slice(suffix);
	key
}

/// The S3 object key of a ciphertext: its SHA-256 in lower-case hex, also what is sent as
/// `x-amz-content-sha256`.
pub fn object_key(content_hash: &H256) -> String {
	hex_lower(content_hash.as_bytes())
}

/// Where a request (upload or deletion) stands on this node, kept in its off-chain storage.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, Debug)]
pub struct RetryState {
	/// Failed attempts so far.
	pub attempts: u32,
	/// When the next attempt may be made, in milliseconds since the Unix epoch.
	pub next_attempt_at: u64,
	/// The block at which a statement about the request was submitted, if one was.
	pub submitted_at: Option<u64>,
}

impl RetryState {
	/// The state after submitting a statement at `block`, with `attempts` failed attempts.
	pub fn submitted(block: u64, attempts: u32) -> Self {
		Self { attempts, next_attempt_at: 0, submitted_at: Some(block) }
	}
}

/// Whether a request in `state` may be worked on at `now_ms` and `block`: not while a
/// statement submitted about it may still be in the pool (`longevity` blocks), nor before its
/// backoff ends.
pub fn is_due(state: &RetryState, now_ms: u64, block: u64, longevity: u64) -> bool {
	if let Some(submitted) = state.submitted_at {
		if block <= submitted.saturating_add(longevity) {
			return false;
		}
	}
	now_ms >= state.next_attempt_at
}

/// What the node did to an object in its bucket.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, Debug)]
pub enum ObjectAction {
	/// Uploaded it.
	Uploaded,
	/// Deleted it.
	Deleted,
}

/// The last upload or deletion of an object by this node, and the block the run that did it
/// looked at.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, Debug)]
pub struct LastAction {
	/// What was done.
	pub action: ObjectAction,
	/// The block of the run that did it.
	pub block: u64,
}

/// Whether a run on `block` may do `action` to an object whose last upload or deletion was
/// `last`. Not if a run on a newer block did either: that run saw more of the chain (a
/// deletion called off by a new record of the same ciphertext, or an erasure), and an older
/// run acting after it would undo what it did. Nor, on a block of the same height (another
/// fork), if it did the opposite. The next block's run decides then.
pub fn may_act(last: Option<LastAction>, action: ObjectAction, block: u64) -> bool {
	match last {
		None => true,
		Some(last) => block > last.block || (block == last.block && last.action == action),
	}
}

/// An upload the node made (or tried), kept until it is settled: the chain learns of it only
/// when the confirmation lands, and if the record is erased first, nothing on chain asks for
/// the object's deletion.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub struct UntrackedUpload<AccountId> {
	/// The object uploaded.
	pub content_hash: H256,
	/// The sealer key that uploaded it: the holder the chain would list.
	pub holder: AccountId,
	/// The block of the run that uploaded it.
	pub uploaded_at: u64,
	/// Where deleting it stands, once no record needs it.
	pub deletion: RetryState,
}

/// A copy in the bucket that the chain does not account for: uploaded by `holder`, settled,
/// still referenced by a record, but the chain never listed `holder` as holding it. Kept until
/// no record references the object, then deleted.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub struct OrphanCopy<AccountId> {
	/// The object.
	pub content_hash: H256,
	/// The sealer key that uploaded it.
	pub holder: AccountId,
	/// The block of the run that put it on the list.
	pub noted_at: u64,
	/// Where deleting it stands, once no record needs it.
	pub deletion: RetryState,
}

/// What the chain, as of some block, says of an object an [`UntrackedUpload`] or an
/// [`OrphanCopy`] stored.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ObjectOnChain {
	/// A live record references the object.
	pub referenced: bool,
	/// The chain lists the upload's holder among the object's holders: its deletion will be
	/// asked for when the last record referencing it is erased.
	pub held: bool,
	/// A deletion request asks the upload's holder to delete it, which it has not confirmed.
	pub deletion_requested: bool,
}

impl ObjectOnChain {
	/// What the chain says of `holder`'s copy of an object, from `object` (the object's
	/// holders, if a record references it) and `unpin` (its deletion request's holders and
	/// those that deleted their copies): the second is read only if the first is absent, as
	/// an object never has both.
	pub fn read<AccountId: PartialEq>(
		holder: &AccountId,
		object: Option<Vec<AccountId>>,
		unpin: impl FnOnce() -> Option<(Vec<AccountId>, Vec<AccountId>)>,
	) -> Self {
		match object {
			Some(holders) => ObjectOnChain {
				referenced: true,
				held: holders.contains(holder),
				deletion_requested: false,
			},
			None => ObjectOnChain {
				referenced: false,
				held: false,
				deletion_requested: unpin().is_some_and(|(holders, deleted)| {
					holders.contains(holder) && !deleted.contains(holder)
				}),
			},
		}
	}
}

/// What to do with a recent upload.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UntrackedFate {
	/// Not settled yet: a confirmation may still land, or a reorganisation undo what the run
	/// sees.
	Keep,
	/// The chain accounts for the copy: it lists the uploader as holding it, or a deletion
	/// request asks the uploader to delete it.
	Forget,
	/// A record needs the object, but the chain does not know of this copy: keep it in the
	/// [`OrphanCopy`] list until no record does.
	Orphaned,
	/// No record needs it and no deletion request names the uploader: delete it.
	Delete,
}

/// What to do with an upload made on block `uploaded_at`, by a run on `block`, once
/// `settle_blocks` have passed (the pool's longevity of the upload's confirmation plus the
/// node's finality depth), given what `object_on_chain` reads of it. That is read only for a
/// settled upload: an unsettled one is kept whatever the chain says, so a run spends no storage
/// reads on the uploads of the last few blocks. An object a record still references but the
/// chain never listed the uploader as holding (its confirmation was refused or lost, or its
/// upload's answer was lost while others pinned) is orphaned if `copy_may_exist` (the node's
/// last action on the object was an upload that did not fail): nothing on chain would ask for
/// that copy's deletion when the record is erased. An upload the store refused left no copy.
pub fn untracked_fate(
	uploaded_at: u64,
	block: u64,
	settle_blocks: u64,
	object_on_chain: impl FnOnce() -> ObjectOnChain,
	copy_may_exist: impl FnOnce() -> bool,
) -> UntrackedFate {
	if block <= uploaded_at.saturating_add(settle_blocks) {
		return UntrackedFate::Keep;
	}
	match orphan_fate(object_on_chain()) {
		OrphanFate::Keep if copy_may_exist() => UntrackedFate::Orphaned,
		OrphanFate::Keep | OrphanFate::Forget => UntrackedFate::Forget,
		OrphanFate::Delete => UntrackedFate::Delete,
	}
}

/// What to do with a copy the chain does not list its holder for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OrphanFate {
	/// A record still needs the object: keep the copy.
	Keep,
	/// The chain now accounts for the copy (lists its holder, or asks it to delete it).
	Forget,
	/// No record needs it and nothing on chain names the holder: delete it.
	Delete,
}

/// What to do with a copy of an object, given what the chain says of it.
pub fn orphan_fate(object: ObjectOnChain) -> OrphanFate {
	if object.held || object.deletion_requested {
		OrphanFate::Forget
	} else if object.referenced {
		OrphanFate::Keep
	} else {
		OrphanFate::Delete
	}
}

/// The wait before the next attempt after `attempts` failed ones: `base_ms` (the node's
/// `--pinning-retry-base-ms`, [`BACKOFF_BASE_MS`] by default) doubled for each failure after
/// the first, at most [`BACKOFF_CAP_MS`].
pub fn backoff_delay_ms(attempts: u32, base_ms: u64) -> u64 {
	let factor = 1u64.checked_shl(attempts.saturating_sub(1)).unwrap_or(u64::MAX);
	base_ms.saturating_mul(factor).min(BACKOFF_CAP_MS)
}

/// How an upload or a deletion went.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RequestOutcome {
	/// The store did it.
	Done,
	/// The store could not be reached (connection error or timeout).
	Unreachable,
	/// The store refused, with this HTTP status.
	Rejected(u16),
}

/// The outcome of a `PUT` answered with `status` (`None`: no answer).
pub fn put_outcome(status: Option<u16>) -> RequestOutcome {
	match status {
		Some(code) if (200..300).contains(&code) => RequestOutcome::Done,
		Some(code) => RequestOutcome::Rejected(code),
		None => RequestOutcome::Unreachable,
	}
}

/// The outcome of a `DELETE` that went as `outcome`. A 404 `NoSuchKey` means the object is
/// already gone, which is what was asked; any other 404 (`NoSuchBucket`: a wrong or renamed
/// bucket; or no S3 error code at all) says nothing of the object, which may still be in the
/// bucket it was uploaded to, so it is a failure, never a deletion to confirm.
pub fn delete_outcome(outcome: &HttpOutcome) -> RequestOutcome {
	match outcome {
		HttpOutcome::Answered { status: 404, error_code }
			if error_code.as_deref() == Some("NoSuchKey") =>
		{
			RequestOutcome::Done
		},
		other => put_outcome(other.status()),
	}
}

/// What to do after an attempt.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Step {
	/// Submit the confirmation.
	Confirm,
	/// Try again later, from this state.
	Retry(RetryState),
	/// Give up and report the failure, after this many attempts.
	Report(FailureReason, u32),
}

/// What to do after an attempt that ended in `outcome`, from `state`, at `now_ms`; with
/// `max_attempts`, failures are reported once that many attempts failed, without, retried for
/// ever.
pub fn next_step(
	outcome: RequestOutcome,
	state: &RetryState,
	now_ms: u64,
	max_attempts: Option<u32>,
	backoff_base_ms: u64,
) -> Step {
	let reason = match outcome {
		RequestOutcome::Done => return Step::Confirm,
		RequestOutcome::Unreachable => FailureReason::StorageUnreachable,
		RequestOutcome::Rejected(status) => FailureReason::StorageRejected { status },
	};
	let attempts = state.attempts.saturating_add(1);
	if max_attempts.is_some_and(|max| attempts >= max) {
		return Step::Report(reason, attempts);
	}
	Step::Retry(retry_after_failure(state, now_ms, backoff_base_ms))
}

/// The state after one more failed attempt from `state`, at `now_ms`: the next attempt after
/// the backoff.
pub fn retry_after_failure(state: &RetryState, now_ms: u64, backoff_base_ms: u64) -> RetryState {
	let attempts = state.attempts.saturating_add(1);
	RetryState {
		attempts,
		next_attempt_at: now_ms.saturating_add(backoff_delay_ms(attempts, backoff_base_ms)),
		submitted_at: None,
	}
}

/// Splits a settings endpoint, `http://host[:port]` or `https://host[:port]` (a trailing `/`
/// allowed), into scheme and `host[:port]`.
pub fn split_endpoint(endpoint: &str) -> Option<(&'static str, &str)> {
	let (scheme, rest) = if let Some(rest) = endpoint.strip_prefix("https://") {
		("https", rest)
	} else if let Some(rest) = endpoint.strip_prefix("http://") {
		("http", rest)
	} else {
		return None;
	};
	let host = rest.strip_suffix('/').unwrap_or(rest);
	(!host.is_empty() && !host.contains('/')).then_some((scheme, host))
}

/// The `<Code>` of an S3 error response, if it is a short alphanumeric token (e.g.
/// `SignatureDoesNotMatch`); nothing else of the body is ever logged.
pub fn s3_error_code(body: &[u8]) -> Option<&str> {
	let text = core::str::from_utf8(body).ok()?;
	let start = text.find("<Code>")?.checked_add("<Code>".len())?;
	let rest = text.get(start..)?;
	let code = rest.get(..rest.find("</Code>")?)?;
	let plausible = !code.is_empty()
		&& code.len() <= 64
		&& code.bytes().all(|byte| byte.is_ascii_alphanumeric());
	plausible.then_some(code)
}

/// Why the node's storage settings cannot be used. Never carries a key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SettingsError {
	/// The stored settings do not decode.
	Undecodable,
	/// The endpoint is not `http(s)://host[:port]`.
	Endpoint,
	/// The bucket name breaks S3's naming rules.
	Bucket,
	/// The region is not `[a-z0-9-]+`.
	Region,
	/// The access key id is empty or malformed, or the signing keys are missing or not of
	/// `YYYYMMDD` days.
	Credentials,
}

impl fmt::Display for SettingsError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			SettingsError::Undecodable => "the stored settings do not decode",
			SettingsError::Endpoint => "the endpoint is not http(s)://host[:port]",
			SettingsError::Bucket => "the bucket name breaks S3's naming rules",
			SettingsError::Region => "the region is not [a-z0-9-]+",
			SettingsError::Credentials => {
				"the access key id or the signing keys are missing or malformed"
			},
		})
	}
}

/// How an HTTP request went.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum HttpOutcome {
	/// The store answered with this status; for errors, the S3 error code if there is one.
	Answered {
		/// The HTTP status.
		status: u16,
		/// The S3 error code of an error response.
		error_code: Option<String>,
	},
	/// No answer: connection error or timeout.
	Unreachable(&'static str),
	/// Not sent, for this reason: it could not do what it asks.
	NotSent(&'static str),
}

impl HttpOutcome {
	/// The HTTP status, if the store answered.
	pub fn status(&self) -> Option<u16> {
		match self {
			HttpOutcome::Answered { status, .. } => Some(*status),
			HttpOutcome::Unreachable(_) | HttpOutcome::NotSent(_) => None,
		}
	}
}

impl fmt::Display for HttpOutcome {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			HttpOutcome::Answered { status, error_code: Some(code) } => {
				write!(f, "HTTP {status} {code}")
			},
			HttpOutcome::Answered { status, error_code: None } => write!(f, "HTTP {status}"),
			HttpOutcome::Unreachable(why) | HttpOutcome::NotSent(why) => f.write_str(why),
		}
	}
}

/// The node's bucket: where and as whom objects are written. No `Debug`: it holds signing
/// keys (which `S3Config` would redact anyway).
pub struct ObjectStore {
	config: S3Config,
	bucket: String,
	scheme: &'static str,
	retry_base_ms: u64,
	finality_depth: u64,
	/// [`StorageSettings::bucket_identity`].
	bucket_identity: Vec<u8>,
}

impl ObjectStore {
	/// The store the node's `settings` describe, path-style addressed.
	pub fn from_settings(settings: &StorageSettings) -> Result<Self, SettingsError> {
		let text =
			|bytes: &[u8], error| core::str::from_utf8(bytes).map(String::from).map_err(|_| error);
		let endpoint = text(&settings.endpoint, SettingsError::Endpoint)?;
		let (scheme, host) = split_endpoint(&endpoint).ok_or(SettingsError::Endpoint)?;
		let region = text(&settings.region, SettingsError::Region)?;
		let day_keys = settings
			.signing_keys
			.iter()
			.map(|day| Ok((text(&day.date_stamp, SettingsError::Credentials)?, day.key)))
			.collect::<Result<Vec<_>, SettingsError>>()?;
		let day_keys =
			DayKeys::new(region.clone(), S3_SERVICE, day_keys).map_err(|error| match error {
				medchain_sigv4::Error::InvalidScope => SettingsError::Region,
				_ => SettingsError::Credentials,
			})?;
		let credentials = Credentials::from_day_keys(
			text(&settings.access_key_id, SettingsError::Credentials)?,
			day_keys,
		)
		.map_err(|_| SettingsError::Credentials)?;
		let config = S3Config::new(host, region, credentials, Addressing::Path).map_err(
			|error| match error {
				medchain_sigv4::Error::InvalidEndpoint => SettingsError::Endpoint,
				_ => SettingsError::Region,
			},
		)?;
		let bucket = text(&settings.bucket, SettingsError::Bucket)?;
		if !is_valid_bucket(&bucket) {
			return Err(SettingsError::Bucket);
		}
		Ok(Self {
			config,
			bucket,
			scheme,
			retry_base_ms: settings.retry_base_ms,
			finality_depth: u64::from(settings.finality_depth),
			bucket_identity: settings.bucket_identity(),
		})
	}

	/// The endpoint, `host[:port]`.
	pub fn endpoint(&self) -> &str {
		self.config.endpoint()
	}

	/// Whether the settings hold a signing key of the day of `now_ms`.
	pub fn signs_on(&self, now_ms: u64) -> bool {
		let Ok(time) = amz_time(now_ms) else { return false };
		let today = time.date_stamp();
		self.config.credentials().day_keys().is_some_and(|keys| keys.days().any(|day| day == today))
	}

	/// The bucket.
	pub fn bucket(&self) -> &str {
		&self.bucket
	}

	/// The signed `PUT` of a ciphertext of `length` bytes and SHA-256 `content_hash`, at
	/// `now_ms`.
	pub fn put_request(
		&self,
		content_hash: &H256,
		length: u64,
		now_ms: u64,
	) -> Result<S3Request, medchain_sigv4::Error> {
		let key = object_key(content_hash);
		amz_time(now_ms)
			.and_then(|time| {
				self.config.request(
					&self.bucket,
					S3Operation::PutObject {
						key: &key,
						payload_sha256: &key,
						content_length: length,
					},
					&[],
					&time,
				)
			})
			.inspect_err(|_| count_failed_request())
	}

	/// The signed `DELETE` of the object `content_hash`, at `now_ms`.
	pub fn delete_request(
		&self,
		content_hash: &H256,
		now_ms: u64,
	) -> Result<S3Request, medchain_sigv4::Error> {
		amz_time(now_ms)
			.and_then(|time| {
				self.config.delete_object(&self.bucket, &object_key(content_hash), &time)
			})
			.inspect_err(|_| count_failed_request())
	}

	/// Sends `request` with `body`, waiting at most [`HTTP_TIMEOUT_MS`]; counts it in
	/// [`FAILED_REQUESTS_KEY`] if it did not do what it asked.
	pub fn send(&self, request: &S3Request, body: &[u8]) -> HttpOutcome {
		let outcome = self.exchange(request, body);
		let done = match request.method {
			"DELETE" => delete_outcome(&outcome),
			_ => put_outcome(outcome.status()),
		};
		if done != RequestOutcome::Done {
			count_failed_request();
		}
		outcome
	}

	fn exchange(&self, request: &S3Request, body: &[u8]) -> HttpOutcome {
		let method = match request.method {
			"PUT" => http::Method::Put,
			"DELETE" => http::Method::Delete,
			"GET" => http::Method::Get,
			other => http::Method::Other(other),
		};
		let url = request.url(self.scheme);
		let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(HTTP_TIMEOUT_MS));
		let chunks: Vec<&[u8]> = if body.is_empty() { Vec::new() } else { vec![body] };
		let mut http_request =
			http::Request::new(url.as_str()).method(method).body(chunks).deadline(deadline);
		for (name, value) in &request.headers {
			http_request = http_request.add_header(name, value);
		}
		let Ok(pending) = http_request.send() else {
			return HttpOutcome::Unreachable("connection error");
		};
		match pending.try_wait(deadline) {
			Ok(Ok(response)) => {
				let status = response.code;
				let mut body = response.body();
				body.deadline(deadline);
				let head: Vec<u8> = body.take(MAX_ERROR_BODY).collect();
				let error_code = if (200..300).contains(&status) {
					None
				} else {
					s3_error_code(&head).map(String::from)
				};
				HttpOutcome::Answered { status, error_code }
			},
			Ok(Err(_)) => HttpOutcome::Unreachable("connection error"),
			Err(_) => HttpOutcome::Unreachable("timeout"),
		}
	}
}

/// How many times [`count_failed_request`] tries its compare-and-set before giving up.
const COUNT_TRIES: u32 = 16;

/// Adds one to this node's count of failed requests ([`FAILED_REQUESTS_KEY`]). Runs overlap
/// and a compare-and-set loses to a concurrent one, so it tries again.
fn count_failed_request() {
	let count = StorageValueRef::persistent(FAILED_REQUESTS_KEY);
	for _ in 0..COUNT_TRIES {
		let counted = count.mutate(|failed: Result<Option<u64>, StorageRetrievalError>| {
			Ok::<u64, ()>(failed.ok().flatten().unwrap_or(0).saturating_add(1))
		});
		if !matches!(counted, Err(MutateStorageError::ConcurrentModification(_))) {
			return;
		}
	}
}

/// How many of this node's requests to the bucket failed ([`FAILED_REQUESTS_KEY`]).
pub fn failed_requests() -> u64 {
	StorageValueRef::persistent(FAILED_REQUESTS_KEY).get().ok().flatten().unwrap_or(0)
}

fn amz_time(now_ms: u64) -> Result<AmzDateTime, medchain_sigv4::Error> {
	AmzDateTime::from_unix_seconds(now_ms / 1_000)
}

fn now_ms() -> u64 {
	sp_io::offchain::timestamp().unix_millis()
}

/// Logs `message` at `level` unless it was logged under `key` in the last
/// [`NOTICE_INTERVAL_MS`], so that a node says it once, not every block.
fn notice(key: &[u8], level: log::Level, message: fmt::Arguments<'_>) {
	let now = now_ms();
	let last = StorageValueRef::persistent(key);
	let due = last.mutate(|at: Result<Option<u64>, StorageRetrievalError>| match at {
		Ok(Some(at)) if now < at.saturating_add(NOTICE_INTERVAL_MS) => Err(()),
		_ => Ok(now),
	});
	if due.is_ok() {
		log::log!(target: LOG_TARGET, level, "{message}");
	}
}

/// The node's storage settings, if it has usable ones; says why not otherwise.
fn object_store() -> Option<ObjectStore> {
	let Some(raw) =
		sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, STORAGE_SETTINGS_KEY)
	else {
		notice(
			NO_SETTINGS_NOTICE_KEY,
			log::Level::Info,
			format_args!("no storage settings on this node: pinning is off"),
		);
		return None;
	};
	let store = StorageSettings::decode(&mut raw.as_slice())
		.map_err(|_| SettingsError::Undecodable)
		.and_then(|settings| ObjectStore::from_settings(&settings));
	match store {
		Ok(store) if !store.signs_on(now_ms()) => {
			// Counted once a run, not per request: nothing could be signed.
			count_failed_request();
			notice(
				NO_DAY_KEY_NOTICE_KEY,
				log::Level::Warn,
				format_args!(
					"the storage settings hold no signing key of today (the node renews them \
					 every 10 minutes; is its clock right?): not pinning"
				),
			);
			None
		},
		Ok(store) => Some(store),
		Err(error) => {
			notice(
				BAD_SETTINGS_NOTICE_KEY,
				log::Level::Warn,
				format_args!("unusable storage settings ({error}): pinning is off"),
			);
			None
		},
	}
}

/// The off-chain worker's entry point: see the [module documentation](self).
pub fn run<T: Config>(block: BlockNumberFor<T>) {
	let accounts: Vec<Account<T>> = Signer::<T, T::AuthorityId>::keystore_accounts().collect();
	if accounts.is_empty() {
		log::trace!(target: LOG_TARGET, "no seal key in the keystore: not pinning");
		return;
	}
	let Some(store) = object_store() else {
		return;
	};
	let bucket_keeps_versions =
		sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, BUCKET_KEEPS_VERSIONS_KEY)
			.is_some_and(|bucket| bucket == store.bucket_identity);
	let worker =
		Worker::<T> { store, block, block_number: block.saturated_into(), bucket_keeps_versions };
	// The first key of a current sealer pins.
	if let Some(sealer) = accounts.iter().find(|account| T::Sealers::is_sealer(&account.id)) {
		notice(
			PINNING_NOTICE_KEY,
			log::Level::Info,
			format_args!(
				"pinning to bucket {} at {}",
				worker.store.bucket(),
				worker.store.endpoint()
			),
		);
		worker.pin_pending(sealer);
	}
	// Every key deletes the released copies it holds, also once its sealer has left the set:
	// otherwise an erased record's ciphertext would stay in that bucket for ever.
	for account in &accounts {
		worker.unpin_released(account);
	}
	worker.delete_untracked();
	worker.delete_orphans();
}

/// One run of the worker.
struct Worker<T: Config> {
	store: ObjectStore,
	block: BlockNumberFor<T>,
	block_number: u64,
	/// The node's last check found S3 versioning enabled on the bucket: upload nothing.
	bucket_keeps_versions: bool,
}

impl<T: Config> Worker<T> {
	fn is_due(&self, state: &RetryState) -> bool {
		is_due(state, now_ms(), self.block_number, T::UnsignedLongevity::get())
	}

	/// Uploads the pending ciphertexts this node holds and `sealer` has not answered.
	fn pin_pending(&self, sealer: &Account<T>) {
		let mut budget = T::MaxPinsPerRun::get();
		for record in Pending::<T>::iter_keys() {
			if budget == 0 {
				break;
			}
			let Some(pin) = Pins::<T>::get(record) else {
				continue;
			};
			if pin.status == PinStatus::Pinned {
				continue;
			}
			let retry_key = pin_retry_key(record);
			let mut retry = StorageValueRef::persistent(&retry_key);
			// A sealer that reported a failure keeps trying: its confirmation withdraws the
			// report, so the pin completes once storage is back.
			if pin.confirmations.contains(&sealer.id) {
				forget(&mut retry);
				continue;
			}
			// A ciphertext sealed for another patient stays so (its bytes are fixed by the hash,
			// the object's patient by the first record): once reported, never looked at again.
			// Anyone can make such requests, and each look would spend this run's budget.
			let refused_for_good = pin.failures.iter().any(|(reporter, reason)| {
				*reporter == sealer.id && *reason == FailureReason::SealedForAnotherPatient
			});
			if refused_for_good {
				forget(&mut retry);
				continue;
			}
			if !self.is_due(&read_state(&retry)) {
				continue;
			}
			let Some(ciphertext) = sp_io::offchain::local_storage_get(
				StorageKind::PERSISTENT,
				&blob_key(&pin.content_hash),
			) else {
				// Another sealer may hold it.
				continue;
			};
			let attempted = locked(&pin.content_hash, || {
				// Another run may have finished with it between the first look and the lock.
				let state = read_state(&retry);
				if !self.is_due(&state) || !self.may_act(&pin.content_hash, ObjectAction::Uploaded)
				{
					return false;
				}
				self.pin(sealer, record, &pin, &ciphertext, &state, &retry);
				true
			});
			if attempted == Some(true) {
				budget = budget.saturating_sub(1);
			}
		}
	}

	/// Checks and uploads `record`'s `ciphertext`, then confirms, retries later or reports.
	fn pin(
		&self,
		sealer: &Account<T>,
		record: RecordId,
		pin: &PinRequestOf<T>,
		ciphertext: &[u8],
		state: &RetryState,
		retry: &StorageValueRef<'_>,
	) {
		let content_hash = pin.content_hash;
		let started_ms = now_ms();
		let reported = pin.failures.iter().any(|(reporter, _)| *reporter == sealer.id);
		if let Some(reason) = self.refusal(pin, ciphertext) {
			if reported {
				// Said already; look again later, in case a client put the right bytes, or the
				// bucket was fixed, since.
				retry.set(&retry_after_failure(state, now_ms(), self.store.retry_base_ms));
				return;
			}
			match reason {
				FailureReason::HashMismatch => log::warn!(
					target: LOG_TARGET,
					"record {record}: the ciphertext held does not have the registered SHA-256 \
					 {content_hash:?}; not uploading it, reporting the mismatch",
				),
				FailureReason::BucketKeepsVersions => log::warn!(
					target: LOG_TARGET,
					"record {record}: the bucket {} keeps object versions, so erased ciphertext \
					 would stay in it; not uploading, reporting it",
					self.store.bucket(),
				),
				_ => log::warn!(
					target: LOG_TARGET,
					"record {record}: the ciphertext held is sealed for another patient than the \
					 one whose records name {content_hash:?}; not uploading it, reporting it",
				),
			}
			self.report(sealer, record, reason, state.attempts, retry);
			return;
		}
		let length = u64::try_from(ciphertext.len()).unwrap_or(u64::MAX);
		let request = match self.store.put_request(&content_hash, length, now_ms()) {
			Ok(request) => request,
			Err(error) => {
				log::warn!(target: LOG_TARGET, "record {record}: cannot sign the upload: {error}");
				return;
			},
		};
		// Noted before the upload, so that an upload whose answer is lost is accounted for too.
		if !self.note_untracked(&sealer.id, &content_hash) {
			log::warn!(
				target: LOG_TARGET,
				"record {record}: {MAX_UNTRACKED_UPLOADS} recent uploads are not settled yet; \
				 not uploading more until they are",
			);
			return;
		}
		let outcome = self.store.send(&request, ciphertext);
		// A `PUT` left unanswered may have landed all the same: counted as an upload, so no
		// older run deletes it and a copy the chain never lists is looked after.
		if !matches!(put_outcome(outcome.status()), RequestOutcome::Rejected(_)) {
			self.record_action(&content_hash, ObjectAction::Uploaded);
		}
		if outcome.status().is_some_and(|status| (200..300).contains(&status)) {
			// Hash check, signing and upload: what scripts/pinning-throughput measures.
			log::debug!(
				target: LOG_TARGET,
				"record {record}: uploaded {length} bytes in {} ms",
				now_ms().saturating_sub(started_ms),
			);
		}
		let max_attempts = T::MaxUploadAttempts::get();
		match next_step(
			put_outcome(outcome.status()),
			state,
			now_ms(),
			// Once reported, retried for ever (at the longest backoff by then).
			(!reported).then_some(max_attempts),
			self.store.retry_base_ms,
		) {
			Step::Confirm => {
				log::info!(target: LOG_TARGET, "record {record}: ciphertext stored, confirming");
				let submitted = self.submit(
					sealer,
					|account| PinPayload {
						record,
						content_hash,
						sealer: account.public.clone(),
						block: self.block,
					},
					|payload, signature| Call::confirm_pin { payload, signature },
				);
				if !submitted {
					log::warn!(target: LOG_TARGET, "record {record}: confirmation not submitted");
				}
				retry.set(&RetryState::submitted(self.block_number, 0));
			},
			Step::Retry(next) if reported => {
				log::warn!(
					target: LOG_TARGET,
					"record {record}: upload still failing ({outcome}) after the report; \
					 retrying in {} s",
					backoff_delay_ms(next.attempts, self.store.retry_base_ms) / 1_000,
				);
				retry.set(&next);
			},
			Step::Retry(next) => {
				log::warn!(
					target: LOG_TARGET,
					"record {record}: upload failed ({outcome}), attempt {} of {max_attempts}; \
					 retrying in {} s",
					next.attempts,
					backoff_delay_ms(next.attempts, self.store.retry_base_ms) / 1_000,
				);
				retry.set(&next);
			},
			Step::Report(reason, attempts) => {
				log::warn!(
					target: LOG_TARGET,
					"record {record}: upload failed ({outcome}) {attempts} times; reporting",
				);
				self.report(sealer, record, reason, attempts, retry);
			},
		}
	}

	/// Why this sealer must not upload `ciphertext` for `pin`, if it must not: the bytes do not
	/// have the registered hash; the header seals them for another patient than the one whose
	/// records name the hash (headerless bytes are nobody's to check); or the bucket keeps
	/// versions.
	fn refusal(&self, pin: &PinRequestOf<T>, ciphertext: &[u8]) -> Option<FailureReason> {
		if sp_io::hashing::sha2_256(ciphertext) != pin.content_hash.0 {
			return Some(FailureReason::HashMismatch);
		}
		// Before the bucket: this reason is final (see `pin_pending`), the bucket's may pass.
		let named_by = Objects::<T>::get(pin.content_hash).map(|object| object.patient.encode());
		if let (Some(sealed_for), Some(named_by)) = (sealed_for(ciphertext), named_by) {
			if named_by != sealed_for {
				return Some(FailureReason::SealedForAnotherPatient);
			}
		}
		self.bucket_keeps_versions.then_some(FailureReason::BucketKeepsVersions)
	}

	/// Submits `report_pin_failure` for `record`.
	fn report(
		&self,
		sealer: &Account<T>,
		record: RecordId,
		reason: FailureReason,
		attempts: u32,
		retry: &StorageValueRef<'_>,
	) {
		let submitted = self.submit(
			sealer,
			|account| FailurePayload {
				record,
				sealer: account.public.clone(),
				reason,
				block: self.block,
			},
			|payload, signature| Call::report_pin_failure { payload, signature },
		);
		if !submitted {
			log::warn!(target: LOG_TARGET, "record {record}: failure report not submitted");
		}
		retry.set(&RetryState::submitted(self.block_number, attempts));
	}

	/// Deletes the released objects `holder` holds a copy of.
	fn unpin_released(&self, holder: &Account<T>) {
		let mut budget = T::MaxPinsPerRun::get();
		for (content_hash, unpin) in Unpins::<T>::iter() {
			if budget == 0 {
				break;
			}
			if !unpin.holders.contains(&holder.id) {
				continue;
			}
			let retry_key = unpin_retry_key(&content_hash);
			let mut retry = StorageValueRef::persistent(&retry_key);
			if unpin.deleted.contains(&holder.id) {
				forget(&mut retry);
				continue;
			}
			if !self.is_due(&read_state(&retry)) {
				continue;
			}
			let attempted = locked(&content_hash, || {
				let state = read_state(&retry);
				if !self.is_due(&state) || !self.may_act(&content_hash, ObjectAction::Deleted) {
					return false;
				}
				self.unpin(holder, content_hash, &state, &retry);
				true
			});
			if attempted == Some(true) {
				budget = budget.saturating_sub(1);
			}
		}
	}

	/// Deletes the object `content_hash`, then confirms or retries later.
	fn unpin(
		&self,
		holder: &Account<T>,
		content_hash: H256,
		state: &RetryState,
		retry: &StorageValueRef<'_>,
	) {
		let Some(outcome) = self.send_deletion(&content_hash) else {
			return;
		};
		match next_step(delete_outcome(&outcome), state, now_ms(), None, self.store.retry_base_ms) {
			Step::Confirm => {
				self.record_action(&content_hash, ObjectAction::Deleted);
				log::info!(target: LOG_TARGET, "object {content_hash:?} deleted, confirming");
				// The node's own copy is left alone: the erasure dropped it already (off-chain
				// indexing, always on), and one there now was put again since, for a record
				// naming it anew that this run, on an older block, may not see.
				let submitted = self.submit(
					holder,
					|account| UnpinPayload {
						content_hash,
						sealer: account.public.clone(),
						block: self.block,
					},
					|payload, signature| Call::confirm_unpin { payload, signature },
				);
				if !submitted {
					log::warn!(
						target: LOG_TARGET,
						"object {content_hash:?}: deletion confirmation not submitted"
					);
				}
				retry.set(&RetryState::submitted(self.block_number, 0));
			},
			Step::Retry(next) => {
				log::warn!(
					target: LOG_TARGET,
					"object {content_hash:?}: deletion failed ({outcome}), attempt {}; retrying \
					 in {} s",
					next.attempts,
					backoff_delay_ms(next.attempts, self.store.retry_base_ms) / 1_000,
				);
				retry.set(&next);
			},
			// Deletions are retried for ever.
			Step::Report(..) => {},
		}
	}

	/// Deletes the objects this node uploaded that no record needs any more and the chain
	/// never listed it as holding; forgets those the chain now accounts for; moves to the
	/// [`OrphanCopy`] list those a record still needs although the chain does not list their
	/// holder.
	fn delete_untracked(&self) {
		let uploads = untracked_uploads::<T::AccountId>();
		if uploads.is_empty() {
			return;
		}
		let mut budget = T::MaxPinsPerRun::get();
		let mut settled = Vec::new();
		let mut orphaned = Vec::new();
		let mut failed = Vec::new();
		for upload in uploads {
			let settle_blocks =
				T::UnsignedLongevity::get().saturating_add(self.store.finality_depth);
			let on_chain = || object_on_chain::<T>(&upload.content_hash, &upload.holder);
			let copy = || copy_may_exist(&upload.content_hash);
			match untracked_fate(
				upload.uploaded_at,
				self.block_number,
				settle_blocks,
				on_chain,
				copy,
			) {
				UntrackedFate::Keep => continue,
				UntrackedFate::Forget => {
					settled.push(upload);
					continue;
				},
				UntrackedFate::Orphaned => {
					orphaned.push(upload);
					continue;
				},
				UntrackedFate::Delete => {},
			}
			match self.delete_unneeded(&upload.content_hash, &upload.deletion, &mut budget) {
				Deletion::NotNow => {},
				Deletion::Done => settled.push(upload),
				Deletion::Failed(deletion) => failed.push(UntrackedUpload { deletion, ..upload }),
			}
		}
		// Orphans leave the untracked list only once they are in theirs.
		if !orphaned.is_empty() {
			let copies = orphaned.iter().map(|upload| OrphanCopy {
				content_hash: upload.content_hash,
				holder: upload.holder.clone(),
				noted_at: self.block_number,
				deletion: RetryState::default(),
			});
			if self.note_orphans(copies.collect()) {
				settled.extend(orphaned);
			}
		}
		if settled.is_empty() && failed.is_empty() {
			return;
		}
		// Another run may have noted a newer upload of the same object meanwhile: only the
		// entries as they were read are dropped or updated.
		let updated = StorageValueRef::persistent(UNTRACKED_UPLOADS_KEY).mutate(
			|current: Result<Option<Vec<UntrackedUpload<T::AccountId>>>, StorageRetrievalError>| {
				let mut current = current.ok().flatten().unwrap_or_default();
				current.retain(|entry| !settled.iter().any(|done| same_upload(done, entry)));
				for entry in current.iter_mut() {
					if let Some(retry) = failed.iter().find(|retry| same_upload(retry, entry)) {
						entry.deletion = retry.deletion;
					}
				}
				Ok::<_, ()>(current)
			},
		);
		if updated.is_err() {
			log::debug!(target: LOG_TARGET, "untracked uploads changed by another run; next run");
		}
	}

	/// Adds `copies` to the [`OrphanCopy`] list, each (object, holder) once. Copies past
	/// [`MAX_ORPHAN_COPIES`] are forgotten with a warning. False if another run wrote the list
	/// at the same moment: then the copies stay where they are, for the next run.
	fn note_orphans(&self, copies: Vec<OrphanCopy<T::AccountId>>) -> bool {
		let mut added = Vec::new();
		let mut dropped = Vec::new();
		let noted = StorageValueRef::persistent(ORPHAN_COPIES_KEY).mutate(
			|current: Result<Option<Vec<OrphanCopy<T::AccountId>>>, StorageRetrievalError>| {
				let mut current = current.ok().flatten().unwrap_or_default();
				for copy in copies {
					if current.iter().any(|entry| {
						entry.content_hash == copy.content_hash && entry.holder == copy.holder
					}) {
						continue;
					}
					if current.len() >= MAX_ORPHAN_COPIES {
						dropped.push(copy.content_hash);
					} else {
						added.push(copy.content_hash);
						current.push(copy);
					}
				}
				Ok::<_, ()>(current)
			},
		);
		if noted.is_err() {
			log::debug!(target: LOG_TARGET, "orphan copies changed by another run; next run");
			return false;
		}
		for content_hash in added {
			log::info!(
				target: LOG_TARGET,
				"object {content_hash:?}: uploaded for a record, but the chain does not list this \
				 node as holding it; deleting it once no record needs it",
			);
		}
		for content_hash in dropped {
			log::warn!(
				target: LOG_TARGET,
				"object {content_hash:?}: {MAX_ORPHAN_COPIES} copies the chain does not list \
				 this node for are kept already; this one stays in the bucket if its records \
				 are erased",
			);
		}
		true
	}

	/// Goes on through the [`OrphanCopy`] list, at most [`ORPHAN_CHECKS_PER_RUN`] entries from
	/// where the last run stopped: deletes the copies no record needs any more (at most
	/// `MaxPinsPerRun`), forgets those the chain now accounts for.
	fn delete_orphans(&self) {
		let copies = orphan_copies::<T::AccountId>();
		if copies.is_empty() {
			return;
		}
		let cursor = StorageValueRef::persistent(ORPHAN_CURSOR_KEY);
		let start = cursor.get::<u32>().ok().flatten().unwrap_or_default() as usize % copies.len();
		let mut budget = T::MaxPinsPerRun::get();
		let mut looked_at = 0;
		let mut removed = Vec::new();
		let mut failed = Vec::new();
		let window = copies.len().min(ORPHAN_CHECKS_PER_RUN);
		for index in (start..).take(window).map(|index| index % copies.len()) {
			let Some(copy) = copies.get(index) else {
				break;
			};
			// The next run starts with the first copy this one had no budget left to delete.
			if budget == 0 {
				break;
			}
			looked_at += 1;
			match orphan_fate(object_on_chain::<T>(&copy.content_hash, &copy.holder)) {
				OrphanFate::Keep => continue,
				OrphanFate::Forget => {
					removed.push(index);
					continue;
				},
				OrphanFate::Delete => {},
			}
			match self.delete_unneeded(&copy.content_hash, &copy.deletion, &mut budget) {
				Deletion::NotNow => {},
				Deletion::Done => removed.push(index),
				Deletion::Failed(deletion) => failed.push(OrphanCopy { deletion, ..copy.clone() }),
			}
		}
		let next = next_orphan_cursor(copies.len(), start, looked_at, &removed);
		if next != start || !removed.is_empty() {
			cursor.set(&u32::try_from(next).unwrap_or_default());
		}
		if removed.is_empty() && failed.is_empty() {
			return;
		}
		let done: Vec<&OrphanCopy<T::AccountId>> =
			removed.iter().filter_map(|index| copies.get(*index)).collect();
		let updated = StorageValueRef::persistent(ORPHAN_COPIES_KEY).mutate(
			|current: Result<Option<Vec<OrphanCopy<T::AccountId>>>, StorageRetrievalError>| {
				let mut current = current.ok().flatten().unwrap_or_default();
				current.retain(|entry| !done.iter().any(|copy| same_copy(copy, entry)));
				for entry in current.iter_mut() {
					if let Some(retry) = failed.iter().find(|copy| same_copy(copy, entry)) {
						entry.deletion = retry.deletion;
					}
				}
				Ok::<_, ()>(current)
			},
		);
		if updated.is_err() {
			log::debug!(target: LOG_TARGET, "orphan copies changed by another run; next run");
		}
	}

	/// `DELETE`s a copy of `content_hash` that nothing on chain asks this node to delete,
	/// unless its `deletion` is not due yet, `budget` is spent, another run holds the object
	/// or acted on it on a newer block.
	fn delete_unneeded(
		&self,
		content_hash: &H256,
		deletion: &RetryState,
		budget: &mut u32,
	) -> Deletion {
		if *budget == 0 || now_ms() < deletion.next_attempt_at {
			return Deletion::NotNow;
		}
		let sent = locked(content_hash, || {
			if !self.may_act(content_hash, ObjectAction::Deleted) {
				return None;
			}
			let outcome = self.send_deletion(content_hash)?;
			if delete_outcome(&outcome) == RequestOutcome::Done {
				self.record_action(content_hash, ObjectAction::Deleted);
			}
			Some(outcome)
		});
		let Some(Some(outcome)) = sent else {
			return Deletion::NotNow;
		};
		*budget = budget.saturating_sub(1);
		if delete_outcome(&outcome) == RequestOutcome::Done {
			log::info!(
				target: LOG_TARGET,
				"object {content_hash:?}: no record needs it any more and no deletion request \
				 names this node for it; deleted",
			);
			Deletion::Done
		} else {
			let next = retry_after_failure(deletion, now_ms(), self.store.retry_base_ms);
			log::warn!(
				target: LOG_TARGET,
				"object {content_hash:?}: deletion of an unneeded copy failed ({outcome}); \
				 retrying in {} s",
				backoff_delay_ms(next.attempts, self.store.retry_base_ms) / 1_000,
			);
			Deletion::Failed(next)
		}
	}

	/// Sends the signed `DELETE` of the object `content_hash`; `None` if it cannot be signed.
	///
	/// While the bucket keeps versions nothing is sent: there a `DELETE` only hides the object
	/// behind a delete marker and the ciphertext stays, as a noncurrent version, so an erasure
	/// would be confirmed with its ciphertext still in the bucket. The deletion fails (and
	/// counts as a failed request) until versioning is suspended.
	fn send_deletion(&self, content_hash: &H256) -> Option<HttpOutcome> {
		if self.bucket_keeps_versions {
			count_failed_request();
			return Some(HttpOutcome::NotSent(
				"not sent: the bucket keeps versions, where a DELETE only hides the object; \
				 suspend versioning",
			));
		}
		let request = self
			.store
			.delete_request(content_hash, now_ms())
			.map_err(|error| {
				log::warn!(
					target: LOG_TARGET,
					"object {content_hash:?}: cannot sign the deletion: {error}"
				)
			})
			.ok()?;
		Some(self.store.send(&request, &[]))
	}

	/// Whether this run may do `action` to the object `content_hash` (see [`may_act`]).
	fn may_act(&self, content_hash: &H256, action: ObjectAction) -> bool {
		let last = StorageValueRef::persistent(&last_action_key(content_hash))
			.get::<LastAction>()
			.ok()
			.flatten();
		let allowed = may_act(last, action, self.block_number);
		if !allowed {
			log::debug!(
				target: LOG_TARGET,
				"object {content_hash:?}: {last:?} by a run on a newer block; not {action:?} \
				 on block {}",
				self.block_number,
			);
		}
		allowed
	}

	/// Keeps that this run did `action` to the object `content_hash`.
	fn record_action(&self, content_hash: &H256, action: ObjectAction) {
		StorageValueRef::persistent(&last_action_key(content_hash))
			.set(&LastAction { action, block: self.block_number });
	}

	/// Notes that `holder` is about to upload `content_hash`. False if it could not be noted
	/// (too many unsettled, or another run writing the list at the same moment): then nothing
	/// may be uploaded. Noted even when this fork lists the holder already: another may not.
	fn note_untracked(&self, holder: &T::AccountId, content_hash: &H256) -> bool {
		let block = self.block_number;
		StorageValueRef::persistent(UNTRACKED_UPLOADS_KEY)
			.mutate(
				|current: Result<
					Option<Vec<UntrackedUpload<T::AccountId>>>,
					StorageRetrievalError,
				>| {
					let mut current = current.ok().flatten().unwrap_or_default();
					if let Some(entry) = current.iter_mut().find(|entry| {
						entry.content_hash == *content_hash && entry.holder == *holder
					}) {
						entry.uploaded_at = entry.uploaded_at.max(block);
						entry.deletion = RetryState::default();
					} else if current.len() >= MAX_UNTRACKED_UPLOADS {
						return Err(());
					} else {
						current.push(UntrackedUpload {
							content_hash: *content_hash,
							holder: holder.clone(),
							uploaded_at: block,
							deletion: RetryState::default(),
						});
					}
					Ok(current)
				},
			)
			.is_ok()
	}

	/// Signs the payload `payload` builds with `account`'s key and submits the statement
	/// `call` makes of it as an unsigned transaction. Whether the pool took it.
	fn submit<P: SignedPayload<T>>(
		&self,
		account: &Account<T>,
		payload: impl Fn(&Account<T>) -> P,
		call: impl Fn(P, T::Signature) -> Call<T>,
	) -> bool {
		let result = Signer::<T, T::AuthorityId>::any_account()
			.with_filter(vec![account.public.clone()])
			.send_unsigned_transaction(payload, call);
		matches!(result, Some((_, Ok(()))))
	}
}

/// Clears a retry state that is no longer needed, writing only if there is one: a request
/// this sealer answered may stay listed for a long time, and is looked at every block.
fn forget(retry: &mut StorageValueRef<'_>) {
	if retry.get::<RetryState>().ok().flatten().is_some() {
		retry.clear();
	}
}

/// Runs `work` holding this node's lock on the object `content_hash`, so that no other run
/// uploads or deletes it meanwhile; `None` if another run holds it.
fn locked<R>(content_hash: &H256, work: impl FnOnce() -> R) -> Option<R> {
	let key = lock_key(content_hash);
	let mut lock = StorageLock::<Time>::with_deadline(&key, Duration::from_millis(LOCK_EXPIRY_MS));
	let Ok(_guard) = lock.try_lock() else {
		log::debug!(target: LOG_TARGET, "object {content_hash:?} locked by another run");
		return None;
	};
	Some(work())
}

/// The uploads waiting for the chain to list their holder (see [`UntrackedUpload`]).
pub fn untracked_uploads<AccountId: Decode>() -> Vec<UntrackedUpload<AccountId>> {
	StorageValueRef::persistent(UNTRACKED_UPLOADS_KEY)
		.get::<Vec<UntrackedUpload<AccountId>>>()
		.ok()
		.flatten()
		.unwrap_or_default()
}

/// The copies the chain does not list their holder for (see [`OrphanCopy`]).
pub fn orphan_copies<AccountId: Decode>() -> Vec<OrphanCopy<AccountId>> {
	StorageValueRef::persistent(ORPHAN_COPIES_KEY)
		.get::<Vec<OrphanCopy<AccountId>>>()
		.ok()
		.flatten()
		.unwrap_or_default()
}

/// What the chain says of the copy of `content_hash` that `holder` uploaded.
fn object_on_chain<T: Config>(content_hash: &H256, holder: &T::AccountId) -> ObjectOnChain {
	ObjectOnChain::read(
		holder,
		Objects::<T>::get(content_hash).map(|object| object.holders.into_inner()),
		|| {
			Unpins::<T>::get(content_hash)
				.map(|unpin| (unpin.holders.into_inner(), unpin.deleted.into_inner()))
		},
	)
}

/// Whether this node's last action on `content_hash` in its bucket was an upload that did not
/// fail: a copy of it may be there.
fn copy_may_exist(content_hash: &H256) -> bool {
	StorageValueRef::persistent(&last_action_key(content_hash))
		.get::<LastAction>()
		.ok()
		.flatten()
		.is_some_and(|last| last.action == ObjectAction::Uploaded)
}

/// Where the next run goes on through a list of `len` [`OrphanCopy`]s, after a run that looked
/// at `looked_at` of them from index `start` on (wrapping round) and removed those at the
/// indices `removed`: the index, in the list without them, of the first entry not looked at.
pub fn next_orphan_cursor(len: usize, start: usize, looked_at: usize, removed: &[usize]) -> usize {
	let remaining = len.saturating_sub(removed.len());
	if len == 0 || remaining == 0 {
		return 0;
	}
	let next = start.saturating_add(looked_at) % len;
	let shift = removed.iter().filter(|index| **index < next).count();
	next.saturating_sub(shift) % remaining
}
/// How a deletion of an unneeded copy went.
enum Deletion {
	/// Not tried this run (not due, no budget left, or another run has the object).
	NotNow,
	/// Deleted (or already gone).
	Done,
	/// Failed; retry from this state.
	Failed(RetryState),
}

/// Whether `a` and `b` are the same entry: same object, holder and noting.
fn same_copy<AccountId: PartialEq>(a: &OrphanCopy<AccountId>, b: &OrphanCopy<AccountId>) -> bool {
	a.content_hash == b.content_hash && a.holder == b.holder && a.noted_at == b.noted_at
}

/// Whether `a` and `b` are the same upload: same object, holder and block.
fn same_upload<AccountId: PartialEq>(
	a: &UntrackedUpload<AccountId>,
	b: &UntrackedUpload<AccountId>,
) -> bool {
	a.content_hash == b.content_hash && a.holder == b.holder && a.uploaded_at == b.uploaded_at
}

fn read_state(retry: &StorageValueRef<'_>) -> RetryState {
	retry.get::<RetryState>().ok().flatten().unwrap_or_default()
}
