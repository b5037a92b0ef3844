//! MedChain's consortium Proof-of-Work.
//!
//! A block's `pow_` pre-runtime digest is the SCALE-encoded 32-byte account of its author
//! (what polkadot.js reads as the block author). Its `pow_` seal is a SCALE-encoded
//! [`Seal`]: a nonce and the author's sr25519 signature over `pre_hash ++ nonce`.
//!
//! - **Work**: `blake2_256(pre_hash ++ nonce)` read as a big-endian `U256`; it meets
//!   `difficulty` when `work × difficulty` does not overflow 256 bits — the "leading zeroes"
//!   rule made continuous, so a difficulty of `d` takes `d` hashes on average.
//! - **Signature**: signing happens once per found block, never per hash, so mining runs at
//!   the hash function's speed. Because the author is part of `pre_hash`, neither the work
//!   nor the signature can be moved to another block or author.
//! - **Membership**: the author must be in the consortium's sealer set at the parent block,
//!   asked through [`medchain_primitives::ConsortiumApi`].
//!
//! Fork choice is sc-consensus-pow's: the chain with the greatest total difficulty.

use codec::{DecodeAll, Encode};
use medchain_primitives::{seal_message, AccountId, ConsortiumApi, Difficulty, SEALER_KEY_TYPE};
use sc_consensus_pow::{Error as PowError, PowAlgorithm};
use sp_api::ProvideRuntimeApi;
use sp_consensus_pow::DifficultyApi;
use sp_core::{sr25519, Pair, U256};
use sp_keystore::KeystorePtr;
use sp_runtime::{generic::BlockId, traits::Block as BlockT};
use std::{marker::PhantomData, sync::Arc};

pub use medchain_primitives::Seal;

/// `blake2_256(pre_hash ++ nonce)`: the work a nonce does for a block.
pub fn work_hash(pre_hash: &[u8; 32], nonce: u64) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(&seal_message(pre_hash, nonce))
}

/// The largest work hash that meets a difficulty.
///
/// `work × difficulty ≤ U256::MAX  ⇔  work ≤ ⌊U256::MAX / difficulty⌋`, so one division per
/// block replaces a 256-bit multiplication per hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target(U256);

impl Target {
	/// The target for `difficulty`; difficulty 0 is treated as 1 (every hash meets it).
	pub fn for_difficulty(difficulty: Difficulty) -> Self {
		Target(U256::MAX / difficulty.max(U256::one()))
	}

	/// Whether `work` meets this target.
	pub fn is_met_by(&self, work: &[u8; 32]) -> bool {
		U256::from_big_endian(work) <= self.0
	}
}

/// Why a seal was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
	/// The header has no `pow_` pre-runtime digest naming the author.
	MissingAuthor,
	/// The `pow_` pre-runtime digest is not exactly a 32-byte account.
	MalformedAuthor,
	/// The seal bytes do not decode as a nonce and a 64-byte signature.
	MalformedSeal,
	/// The seal's signature is not the author's over this block and nonce.
	BadSignature,
	/// The nonce's work does not meet the difficulty.
	DifficultyNotMet,
	/// The author is not in the consortium's sealer set at the parent block.
	NotSealer(AccountId),
	/// The runtime could not be asked (unknown parent block, runtime error).
	Runtime(String),
}

impl std::fmt::Display for SealError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::MissingAuthor => {
				write!(f, "block has no pow_ pre-runtime digest naming its author")
			},
			Self::MalformedAuthor => write!(f, "pow_ pre-runtime digest is not a 32-byte account"),
			Self::MalformedSeal => write!(f, "seal is not a nonce and a 64-byte signature"),
			Self::BadSignature => write!(f, "seal signature is not the author's over this block"),
			Self::DifficultyNotMet => write!(f, "seal work does not meet the difficulty"),
			Self::NotSealer(who) => write!(f, "author {who} is not in the consortium sealer set"),
			Self::Runtime(e) => write!(f, "runtime query failed: {e}"),
		}
	}
}

impl std::error::Error for SealError {}

/// Checks everything about a seal that needs no chain state: the author digest, the seal's
/// encoding, the work against `difficulty` and the author's signature. Cheapest check first.
/// Returns the author, whose sealer membership the caller checks.
pub fn check_seal(
	pre_hash: &[u8; 32],
	pre_digest: Option<&[u8]>,
	seal: &[u8],
	difficulty: Difficulty,
) -> Result<AccountId, SealError> {
	let author = author_from_pre_digest(pre_digest)?;
	let seal = Seal::decode_all(&mut &seal[..]).map_err(|_| SealError::MalformedSeal)?;
	if !Target::for_difficulty(difficulty).is_met_by(&work_hash(pre_hash, seal.nonce)) {
		return Err(SealError::DifficultyNotMet);
	}
	let public = sr25519::Public::from_raw(author.clone().into());
	let signature = sr25519::Signature::from_raw(seal.signature);
	let message = seal_message(pre_hash, seal.nonce);
	if !<sr25519::Pair as Pair>::verify(&signature, message, &public) {
		return Err(SealError::BadSignature);
	}
	Ok(author)
}

/// The author a `pow_` pre-runtime digest names.
fn author_from_pre_digest(pre_digest: Option<&[u8]>) -> Result<AccountId, SealError> {
	let mut author_bytes = pre_digest.ok_or(SealError::MissingAuthor)?;
	AccountId::decode_all(&mut author_bytes).map_err(|_| SealError::MalformedAuthor)
}

/// The author a block's header names in its `pow_` pre-runtime digest, if it names one
/// well-formed (an imported block always does: its seal was checked against it).
pub fn author_of<H: sp_runtime::traits::Header>(header: &H) -> Option<AccountId> {
	let pre_digest = header.digest().logs().iter().find_map(|item| match item {
		sp_runtime::DigestItem::PreRuntime(id, bytes) if *id == sp_consensus_pow::POW_ENGINE_ID => {
			Some(bytes.as_slice())
		},
		_ => None,
	});
	author_from_pre_digest(pre_digest).ok()
}

/// Searches `count` nonces from `start` for one whose work meets `target`.
///
/// The mining loop: the 40-byte message is built once and only its nonce bytes change.
pub fn search_nonce(pre_hash: &[u8; 32], target: &Target, start: u64, count: u64) -> Option<u64> {
	let mut message = seal_message(pre_hash, start);
	for nonce in start..start.saturating_add(count) {
		message[32..].copy_from_slice(&nonce.to_le_bytes());
		if target.is_met_by(&sp_crypto_hashing::blake2_256(&message)) {
			return Some(nonce);
		}
	}
	None
}

/// A sealer's key in the node's keystore, used to sign found seals.
#[derive(Clone)]
pub struct SealerKey {
	keystore: KeystorePtr,
	public: sr25519::Public,
}

impl SealerKey {
	/// The key (type `seal`) in `keystore` to seal with: the first, in key order, whose account
	/// `is_sealer` says may seal now; if none may, the first (it may become one later). The
	/// keystore lists keys in no particular order: sorting makes the choice the same after
	/// every restart, and asking the sealer set keeps a node that holds an old and a new key
	/// during a rotation from sealing with the one no longer in the set.
	pub fn from_keystore(
		keystore: KeystorePtr,
		is_sealer: impl Fn(&AccountId) -> bool,
	) -> Option<Self> {
		let mut keys = keystore.sr25519_public_keys(SEALER_KEY_TYPE);
		keys.sort();
		let public = keys
			.iter()
			.find(|public| is_sealer(&AccountId::from(public.0)))
			.or_else(|| keys.first())
			.copied()?;
		Some(Self { keystore, public })
	}

	/// The account this key seals as.
	pub fn account(&self) -> AccountId {
		AccountId::from(self.public.0)
	}

	/// The `pow_` pre-runtime digest for blocks this key seals: the encoded account.
	pub fn pre_runtime_digest(&self) -> Vec<u8> {
		self.account().encode()
	}

	/// Signs a found nonce into an encoded seal; `None` if the keystore lost the key.
	pub fn seal(&self, pre_hash: &[u8; 32], nonce: u64) -> Option<Vec<u8>> {
		let message = seal_message(pre_hash, nonce);
		let signature =
			self.keystore.sr25519_sign(SEALER_KEY_TYPE, &self.public, &message).ok()??;
		Some(Seal { nonce, signature: signature.0 }.encode())
	}
}

/// What the algorithm asks the chain about a parent block. The node answers with runtime
/// API calls ([`RuntimeQueries`]); tests answer from memory.
pub trait ChainQueries<B: BlockT>: Send + Sync {
	/// The difficulty a child of `parent` must meet.
	fn difficulty(&self, parent: B::Hash) -> Result<Difficulty, String>;
	/// Whether `who` may seal a child of `parent`.
	fn is_sealer(&self, parent: B::Hash, who: &AccountId) -> Result<bool, String>;
}

/// [`ChainQueries`] answered by the runtime through its APIs.
pub struct RuntimeQueries<C>(pub Arc<C>);

impl<B, C> ChainQueries<B> for RuntimeQueries<C>
where
	B: BlockT,
	C: ProvideRuntimeApi<B> + Send + Sync,
	C::Api: DifficultyApi<B, Difficulty> + ConsortiumApi<B>,
{
	fn difficulty(&self, parent: B::Hash) -> Result<Difficulty, String> {
		self.0.runtime_api().difficulty(parent).map_err(|e| e.to_string())
	}

	fn is_sealer(&self, parent: B::Hash, who: &AccountId) -> Result<bool, String> {
		self.0.runtime_api().is_sealer(parent, who.clone()).map_err(|e| e.to_string())
	}
}

/// The consortium Proof-of-Work algorithm.
pub struct ConsortiumPow<B, Q> {
	queries: Arc<Q>,
	_block: PhantomData<fn() -> B>,
}

impl<B, Q> Clone for ConsortiumPow<B, Q> {
	fn clone(&self) -> Self {
		Self { queries: self.queries.clone(), _block: PhantomData }
	}
}

impl<B: BlockT, Q: ChainQueries<B>> ConsortiumPow<B, Q> {
	/// An algorithm that asks `queries` about parent blocks.
	pub fn new(queries: Arc<Q>) -> Self {
		Self { queries, _block: PhantomData }
	}

	/// Full verification of a seal on a child of `parent`: [`check_seal`] then sealer-set
	/// membership at `parent`. Returns the author.
	pub fn verify_seal(
		&self,
		parent: B::Hash,
		pre_hash: &B::Hash,
		pre_digest: Option<&[u8]>,
		seal: &[u8],
		difficulty: Difficulty,
	) -> Result<AccountId, SealError> {
		let pre_hash = fixed_hash(pre_hash.as_ref()).ok_or(SealError::MalformedSeal)?;
		let author = check_seal(&pre_hash, pre_digest, seal, difficulty)?;
		match self.queries.is_sealer(parent, &author) {
			Ok(true) => Ok(author),
			Ok(false) => Err(SealError::NotSealer(author)),
			Err(e) => Err(SealError::Runtime(e)),
		}
	}
}

fn fixed_hash(bytes: &[u8]) -> Option<[u8; 32]> {
	bytes.try_into().ok()
}

impl<B: BlockT, Q: ChainQueries<B>> PowAlgorithm<B> for ConsortiumPow<B, Q> {
	type Difficulty = Difficulty;

	fn difficulty(&self, parent: B::Hash) -> Result<Difficulty, PowError<B>> {
		self.queries.difficulty(parent).map_err(PowError::Runtime)
	}

	fn verify(
		&self,
		parent: &BlockId<B>,
		pre_hash: &B::Hash,
		pre_digest: Option<&[u8]>,
		seal: &sp_consensus_pow::Seal,
		difficulty: Difficulty,
	) -> Result<bool, PowError<B>> {
		let BlockId::Hash(parent) = parent else {
			return Err(PowError::Other("parent must be given by hash".into()));
		};
		match self.verify_seal(*parent, pre_hash, pre_digest, seal, difficulty) {
			Ok(_) => Ok(true),
			Err(e @ SealError::Runtime(_)) => Err(PowError::Runtime(e.to_string())),
			Err(e) => {
				log::debug!(target: "pow", "rejecting seal on child of {parent:?}: {e}");
				Err(PowError::Other(e.to_string()))
			},
		}
	}
}

#[cfg(test)]
mod tests;
